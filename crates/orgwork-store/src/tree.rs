//! The unit tree in memory, for the searches of a long-lived process.
//!
//! A name search under a unit reads the units of its candidates and climbs their ancestries to
//! keep those under the unit (see the search's walk). Each climb is a few index reads per
//! candidate; at national scale a search under a province climbs over a thousand units. The
//! whole history of the tree (every `unit_version` row: unit, parent, from, to; the timeline
//! the bulk paths build) takes some tens of megabytes, so once a process has climbed a share
//! of the units the tree holds it pays to read the tree once and climb in memory instead ("ski
//! rental": a one-shot command never loads it, a server or a benchmark loads it after its first
//! searches, and never pays more than about twice).
//!
//! The tree is exact, not a cache that may lag: the database keeps a stamp
//! (`structure_clock`) that every write of `unit_version` moves, in the writing transaction
//! (triggers, so no write path can forget it; once per transaction on PostgreSQL). A search reads the stamp and uses
//! the tree only if it was read under the same stamp; otherwise the tree is dropped and the
//! process climbs in the database again until renting costs more than buying once more.

use orgwork_domain::timeline::Timeline;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Units climbed in the database before the tree's size is looked at (a one-shot search
/// climbs fewer).
pub const FIRST_LOOK: u64 = 1_000;

/// How many of the tree's rows reading it whole costs as much as climbing one unit in the
/// database: at national scale on SQLite, reading the nation's 268,087 versions took 250 ms
/// and a search under a province climbed about 1,500 units in about 25 ms (BENCHMARKS.md).
/// The tree is read once the units climbed reach its rows divided by this.
pub const ROWS_PER_CLIMB: u64 = 16;

/// The tree's whole history, read under one stamp.
#[derive(Debug)]
pub struct Tree {
    pub stamp: i64,
    pub timeline: Timeline,
}

/// The tree a process keeps, and what it has climbed in the database meanwhile.
pub struct TreeKeeper {
    climbed: AtomicU64,
    load_after: AtomicU64,
    /// Whether `load_after` has been set from the tree's size (or by hand).
    sized: AtomicBool,
    /// One search reads the tree at a time; the others climb in the database meanwhile.
    reading: AtomicBool,
    tree: RwLock<Option<Arc<Tree>>>,
}

/// The right to read the tree, held by one search at a time (see `TreeKeeper::begin_reading`);
/// given back when dropped, whether the reading succeeded or not.
pub struct Reading<'a>(&'a TreeKeeper);

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        self.0.reading.store(false, Ordering::SeqCst);
    }
}

impl Default for TreeKeeper {
    fn default() -> Self {
        TreeKeeper {
            climbed: AtomicU64::new(0),
            load_after: AtomicU64::new(FIRST_LOOK),
            sized: AtomicBool::new(false),
            reading: AtomicBool::new(false),
            tree: RwLock::new(None),
        }
    }
}

impl TreeKeeper {
    /// Read the tree once this many units have been climbed in the database (0: at the first
    /// climb; tests use it to take the tree's way every time), whatever its size.
    pub fn set_load_after(&self, units: u64) {
        self.load_after.store(units, Ordering::SeqCst);
        self.sized.store(true, Ordering::SeqCst);
    }

    /// Whether the tree's size is still to be looked at (see `size`).
    pub fn needs_size(&self) -> bool {
        !self.sized.load(Ordering::SeqCst)
    }

    /// The tree has this many rows: read it once the units climbed reach
    /// `rows / ROWS_PER_CLIMB` (and `FIRST_LOOK`).
    pub fn size(&self, rows: u64) {
        if !self.sized.swap(true, Ordering::SeqCst) {
            self.load_after.store((rows / ROWS_PER_CLIMB).max(FIRST_LOOK), Ordering::SeqCst);
        }
    }

    /// Units climbed in the database by a search.
    pub fn climbed(&self, units: u64) {
        self.climbed.fetch_add(units, Ordering::SeqCst);
    }

    /// Units climbed in the database since the tree was last dropped (or the process began).
    pub fn climbed_so_far(&self) -> u64 {
        self.climbed.load(Ordering::SeqCst)
    }

    /// Has climbing in the database cost enough that reading the tree pays?
    pub fn worth_reading(&self) -> bool {
        self.climbed.load(Ordering::SeqCst) >= self.load_after.load(Ordering::SeqCst)
    }

    /// The tree kept, if it was read under `stamp`. A tree of another stamp is dropped, and
    /// climbing counts from nothing again.
    pub fn current(&self, stamp: i64) -> Option<Arc<Tree>> {
        {
            let kept = self.tree.read().unwrap_or_else(|e| e.into_inner());
            match kept.as_ref() {
                None => return None,
                Some(t) if t.stamp == stamp => return Some(t.clone()),
                Some(_) => {}
            }
        }
        let mut kept = self.tree.write().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_some_and(|t| t.stamp != stamp) {
            *kept = None;
            self.climbed.store(0, Ordering::SeqCst);
        }
        None
    }

    /// The right to read the tree now, unless another search is reading it (concurrent
    /// searches of a server would otherwise each read a copy at once).
    pub fn begin_reading(&self) -> Option<Reading<'_>> {
        // (Built only when granted: a `Reading` dropped gives the right back.)
        if self.reading.swap(true, Ordering::SeqCst) { None } else { Some(Reading(self)) }
    }

    /// Keeps a tree just read (a newer one already kept stays).
    pub fn keep(&self, tree: Arc<Tree>) {
        let mut kept = self.tree.write().unwrap_or_else(|e| e.into_inner());
        if kept.as_ref().is_none_or(|t| t.stamp <= tree.stamp) {
            *kept = Some(tree);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(stamp: i64) -> Tree {
        Tree { stamp, timeline: Timeline::default() }
    }

    #[test]
    fn the_tree_is_read_after_climbing_a_share_of_its_size() {
        let keeper = TreeKeeper::default();
        keeper.climbed(FIRST_LOOK - 1);
        assert!(!keeper.worth_reading());
        keeper.climbed(1);
        assert!(keeper.worth_reading() && keeper.needs_size());
        keeper.size(80 * FIRST_LOOK);
        assert!(!keeper.needs_size());
        assert!(!keeper.worth_reading(), "a large tree waits for more climbing");
        keeper.climbed(80 * FIRST_LOOK / ROWS_PER_CLIMB);
        assert!(keeper.worth_reading());
        // A small tree is read at the first look.
        let small = TreeKeeper::default();
        small.climbed(FIRST_LOOK);
        small.size(10);
        assert!(small.worth_reading());
    }

    #[test]
    fn the_tree_is_read_after_enough_climbing_and_dropped_when_the_stamp_moves() {
        let keeper = TreeKeeper::default();
        keeper.set_load_after(100);
        assert!(!keeper.worth_reading());
        keeper.climbed(60);
        assert!(!keeper.worth_reading());
        keeper.climbed(60);
        assert!(keeper.worth_reading());
        assert!(keeper.current(7).is_none(), "nothing kept yet");
        keeper.keep(Arc::new(tree(7)));
        assert_eq!(keeper.current(7).map(|t| t.stamp), Some(7));
        // An older tree never replaces a newer one.
        keeper.keep(Arc::new(tree(6)));
        assert_eq!(keeper.current(7).map(|t| t.stamp), Some(7));
        // One reader at a time, until it is done.
        let first = keeper.begin_reading();
        assert!(first.is_some());
        assert!(keeper.begin_reading().is_none());
        assert!(keeper.begin_reading().is_none(), "a refused search does not give the right back");
        drop(first);
        assert!(keeper.begin_reading().is_some());
        // The structure changed: the tree goes, and climbing counts from nothing again.
        assert!(keeper.current(8).is_none());
        assert!(!keeper.worth_reading());
        assert!(keeper.current(7).is_none(), "the old tree is gone");
    }
}
