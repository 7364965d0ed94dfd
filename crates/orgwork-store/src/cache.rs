//! Answers of the most frequent reads kept in memory while nothing has changed: a token's user,
//! a unit's path (what every authorization reads), and a unit's counts (what every dashboard
//! reads).
//!
//! Every answer is shelved under the store's *generation*, a counter that moves on:
//!
//! - every commit of a write transaction by this process (`committed`, called right after the
//!   commit), so a change made through the server is seen by the very next request;
//! - a change of the audit log's head made by another process (the CLI writing into the
//!   database the server is serving): the head is compared at most every
//!   [`HEAD_CHECK_INTERVAL`], so such a change is seen within that interval.
//!
//! A reader takes the generation *before* it reads the database and shelves its answer under
//! that generation. A commit that happens during the read moves the generation afterwards, so
//! the answer (old or new) is never served once the commit is known. Shelves are emptied when
//! the generation moves and when they grow past [`SHELF_CAPACITY`], so memory stays bounded.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often the audit log's head is compared, to see another process's writes.
pub const HEAD_CHECK_INTERVAL: Duration = Duration::from_millis(100);

/// The most answers one shelf keeps; a full shelf is emptied.
pub const SHELF_CAPACITY: usize = 50_000;

/// Answers of one kind, valid for one generation.
pub struct Shelf<K, V> {
    inner: RwLock<(u64, HashMap<K, V>)>,
}

impl<K: Eq + Hash, V: Clone> Default for Shelf<K, V> {
    fn default() -> Self {
        Shelf { inner: RwLock::new((0, HashMap::new())) }
    }
}

impl<K: Eq + Hash, V: Clone> Shelf<K, V> {
    /// The answer shelved for `key` under `generation`, if any.
    pub fn get(&self, generation: u64, key: &K) -> Option<V> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        if inner.0 != generation {
            return None;
        }
        inner.1.get(key).cloned()
    }

    /// Shelves an answer read under `generation`; an answer of an older generation is dropped.
    pub fn put(&self, generation: u64, key: K, value: V) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if generation < inner.0 {
            return;
        }
        if generation > inner.0 || inner.1.len() >= SHELF_CAPACITY {
            inner.1.clear();
            inner.0 = generation;
        }
        inner.1.insert(key, value);
    }
}

/// The store's generation and its shelves.
pub struct ReadCache {
    /// Off until a long-lived process (the server) turns it on: a one-shot command reads once,
    /// and the benchmarks time the database, not the shelves.
    enabled: AtomicBool,
    generation: AtomicU64,
    started: Instant,
    /// When the audit log's head was last compared, in milliseconds since `started`.
    checked_ms: AtomicU64,
    checking: AtomicBool,
    /// The head seen at the last comparison (-1 before the first).
    head: AtomicI64,
    pub users: Shelf<String, crate::User>,
    pub paths: Shelf<(String, chrono::NaiveDate), Vec<i64>>,
    /// A unit's ancestors on a day (every unit page's path).
    pub ancestors: Shelf<(String, chrono::NaiveDate), Vec<orgwork_domain::structure::Unit>>,
    pub stats: Shelf<(String, chrono::NaiveDate), crate::Stats>,
    /// A year's admissions under a unit, as read on a day (the home page's figures).
    pub admissions: Shelf<(String, i32, chrono::NaiveDate), crate::Admissions>,
    /// A unit's candidates (all, or those waiting), as read on a day.
    pub candidates: Shelf<(String, bool, chrono::NaiveDate), Vec<crate::Candidate>>,
    /// How many of a unit's members are past their probation on a day.
    pub probation: Shelf<(String, chrono::NaiveDate), crate::Tally>,
    /// A page of a unit's transfers, by the filter and page asked, as read on a day.
    pub transfers: Shelf<(String, String, chrono::NaiveDate), crate::Paged<crate::Transfer>>,
    /// A work programme by id; as it stood on a day; where it stands on a day; its lint (on
    /// the day it is judged); its amendments; a unit's and its children's completions.
    pub programmes: Shelf<i64, crate::Programme>,
    pub programmes_as_of: Shelf<(i64, chrono::NaiveDate), crate::Programme>,
    pub standings: Shelf<(i64, chrono::NaiveDate), crate::ProgrammeStanding>,
    pub lints: Shelf<(i64, chrono::NaiveDate), orgwork_domain::plan::Lint>,
    pub amendments: Shelf<i64, Vec<crate::Amendment>>,
    pub completions: Shelf<(String, i32, chrono::NaiveDate), Vec<crate::UnitCompletion>>,
    /// A body's inspection programme of a year (the calendar page, the home page's figures).
    pub inspection_programmes: Shelf<(String, i32), Option<crate::InspectionProgramme>>,
    /// The recommendations a filter lists (the follow-up list, the home page's figures).
    pub recommendations: Shelf<(String, chrono::NaiveDate), Vec<crate::Recommendation>>,
}

impl Default for ReadCache {
    fn default() -> Self {
        ReadCache {
            enabled: AtomicBool::new(false),
            generation: AtomicU64::new(1),
            started: Instant::now(),
            checked_ms: AtomicU64::new(0),
            checking: AtomicBool::new(false),
            head: AtomicI64::new(-1),
            users: Shelf::default(),
            paths: Shelf::default(),
            ancestors: Shelf::default(),
            stats: Shelf::default(),
            admissions: Shelf::default(),
            candidates: Shelf::default(),
            probation: Shelf::default(),
            transfers: Shelf::default(),
            programmes: Shelf::default(),
            programmes_as_of: Shelf::default(),
            standings: Shelf::default(),
            lints: Shelf::default(),
            amendments: Shelf::default(),
            completions: Shelf::default(),
            inspection_programmes: Shelf::default(),
            recommendations: Shelf::default(),
        }
    }
}

impl ReadCache {
    /// Turns shelving on or off (off empties nothing, it only stops serving and shelving).
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::SeqCst);
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::SeqCst)
    }

    /// The current generation (take it before reading the database).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A write transaction of this process has committed.
    pub fn committed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Is it time to compare the audit log's head? True for one caller at a time, which must
    /// then call `observe_head` (or `check_failed`).
    pub fn begin_check(&self) -> bool {
        let now = self.started.elapsed().as_millis() as u64;
        let last = self.checked_ms.load(Ordering::SeqCst);
        let due = self.head.load(Ordering::SeqCst) < 0 || now >= last + HEAD_CHECK_INTERVAL.as_millis() as u64;
        due && !self.checking.swap(true, Ordering::SeqCst)
    }

    /// The audit log's head read now: a new head moves the generation.
    pub fn observe_head(&self, head: i64) {
        if self.head.swap(head, Ordering::SeqCst) != head {
            self.generation.fetch_add(1, Ordering::SeqCst);
        }
        self.checked_ms.store(self.started.elapsed().as_millis() as u64, Ordering::SeqCst);
        self.checking.store(false, Ordering::SeqCst);
    }

    /// The head could not be read; the next caller tries again.
    pub fn check_failed(&self) {
        self.checking.store(false, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_served_only_in_its_generation() {
        let shelf: Shelf<u32, &str> = Shelf::default();
        shelf.put(3, 1, "three");
        assert_eq!(shelf.get(3, &1), Some("three"));
        assert_eq!(shelf.get(4, &1), None);
        // An answer read under an older generation never replaces a newer shelf.
        shelf.put(2, 2, "two");
        assert_eq!(shelf.get(3, &2), None);
        assert_eq!(shelf.get(2, &2), None);
        // A newer generation empties the shelf.
        shelf.put(5, 2, "five");
        assert_eq!(shelf.get(5, &1), None);
        assert_eq!(shelf.get(5, &2), Some("five"));
    }

    #[test]
    fn a_full_shelf_is_emptied() {
        let shelf: Shelf<usize, usize> = Shelf::default();
        for i in 0..SHELF_CAPACITY {
            shelf.put(1, i, i);
        }
        assert_eq!(shelf.get(1, &0), Some(0));
        shelf.put(1, SHELF_CAPACITY, 0);
        assert_eq!(shelf.get(1, &0), None);
        assert_eq!(shelf.get(1, &SHELF_CAPACITY), Some(0));
    }

    #[test]
    fn commits_and_a_new_head_move_the_generation() {
        let cache = ReadCache::default();
        let g = cache.generation();
        assert!(cache.begin_check(), "the first read compares the head");
        assert!(!cache.begin_check(), "one comparison at a time");
        cache.observe_head(10);
        let g1 = cache.generation();
        assert!(g1 > g);
        cache.committed();
        assert!(cache.generation() > g1);
        let g2 = cache.generation();
        // The same head again changes nothing.
        std::thread::sleep(HEAD_CHECK_INTERVAL);
        assert!(cache.begin_check());
        cache.observe_head(10);
        assert_eq!(cache.generation(), g2);
        std::thread::sleep(HEAD_CHECK_INTERVAL);
        assert!(cache.begin_check());
        cache.observe_head(11);
        assert!(cache.generation() > g2);
    }
}
