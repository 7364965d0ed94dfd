//! The tree over time, in memory: each unit's versions (from, to, parent), for bulk work that
//! needs many units' ancestries at once (a large import, a generated nation) without asking
//! the database once per unit. It answers as the store's recursive queries do.

use chrono::NaiveDate;
use std::collections::HashMap;

/// A span of days in which a unit's ancestors (itself first) stay the same.
pub type Segment = (NaiveDate, Option<NaiveDate>, Vec<i64>);

/// A version of a unit: valid from, valid to, parent.
type Version = (NaiveDate, Option<NaiveDate>, Option<i64>);

/// Every unit's versions, in date order.
#[derive(Debug, Default, Clone)]
pub struct Timeline {
    versions: HashMap<i64, Vec<Version>>,
}

impl Timeline {
    pub fn add(&mut self, unit: i64, from: NaiveDate, to: Option<NaiveDate>, parent: Option<i64>) {
        let v = self.versions.entry(unit).or_default();
        v.push((from, to, parent));
        v.sort_by_key(|(f, _, _)| *f);
    }

    fn live(&self, unit: i64, day: NaiveDate) -> Option<Option<i64>> {
        self.versions.get(&unit)?.iter().find(|(f, t, _)| *f <= day && t.is_none_or(|t| day < t)).map(|(_, _, p)| *p)
    }

    /// The unit and its ancestors on `day`, the unit first; empty when it is not live then.
    pub fn path_on(&self, unit: i64, day: NaiveDate) -> Vec<i64> {
        let mut out = vec![];
        let mut cur = Some(unit);
        while let Some(u) = cur {
            match self.live(u, day) {
                Some(parent) if out.len() <= 1000 => {
                    out.push(u);
                    cur = parent;
                }
                _ => break,
            }
        }
        out
    }

    /// Whether `unit` lies under `top` (or is `top`) on `day`; a unit not live then lies
    /// under nothing. Climbs without building the path (a search asks this of many units).
    pub fn under(&self, unit: i64, top: i64, day: NaiveDate) -> bool {
        let mut at = unit;
        for _ in 0..=1000 {
            if at == top {
                return true;
            }
            match self.live(at, day) {
                Some(Some(parent)) => at = parent,
                _ => return false,
            }
        }
        false
    }

    /// How many versions the timeline holds.
    pub fn len(&self) -> usize {
        self.versions.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// The ancestry of a unit over its whole life, cut where it changes.
    pub fn whole_life(&self, unit: i64) -> Vec<Segment> {
        match self.versions.get(&unit).and_then(|v| v.first()) {
            Some((from, _, _)) => self.segments(unit, *from, None),
            None => vec![],
        }
    }

    /// The ancestry of a unit from `from` (to `to`, or on), cut where it changes.
    pub fn segments(&self, unit: i64, from: NaiveDate, to: Option<NaiveDate>) -> Vec<Segment> {
        let mut out = vec![];
        let mut cur = from;
        loop {
            let path = self.path_on(unit, cur);
            let next = if path.is_empty() {
                None
            } else {
                path.iter()
                    .filter_map(|u| self.versions.get(u))
                    .flatten()
                    .map(|(f, _, _)| *f)
                    .filter(|f| *f > cur)
                    .min()
            };
            let end = match (next, to) {
                (Some(n), Some(t)) => Some(n.min(t)),
                (n, t) => n.or(t),
            };
            if !path.is_empty() {
                out.push((cur, end, path));
            }
            match end {
                Some(e) if to.is_none_or(|t| e < t) && next.is_some() => cur = e,
                _ => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ancestries_are_cut_where_a_unit_on_the_path_changes() {
        let mut t = Timeline::default();
        t.add(1, d("2020-01-01"), None, None);
        t.add(2, d("2020-01-01"), None, Some(1));
        t.add(3, d("2020-01-01"), None, Some(1));
        t.add(4, d("2020-01-01"), Some(d("2024-01-01")), Some(2));
        t.add(4, d("2024-01-01"), None, Some(3));
        t.add(5, d("2021-01-01"), None, Some(4));
        assert_eq!(t.path_on(5, d("2022-01-01")), [5, 4, 2, 1]);
        assert_eq!(t.whole_life(5), t.segments(5, d("2021-01-01"), None));
        assert_eq!(t.path_on(5, d("2020-06-01")), Vec::<i64>::new());
        assert_eq!(
            t.segments(5, d("2021-01-01"), None),
            [(d("2021-01-01"), Some(d("2024-01-01")), vec![5, 4, 2, 1]), (d("2024-01-01"), None, vec![5, 4, 3, 1])]
        );
        assert_eq!(
            t.segments(5, d("2022-01-01"), Some(d("2023-01-01"))),
            [(d("2022-01-01"), Some(d("2023-01-01")), vec![5, 4, 2, 1])]
        );
        assert_eq!(t.len(), 6);
        assert!(t.under(5, 2, d("2023-06-01")));
        assert!(!t.under(5, 2, d("2024-06-01")));
        assert!(t.under(5, 3, d("2024-06-01")));
        assert!(t.under(5, 1, d("2024-06-01")));
        assert!(t.under(3, 3, d("2024-06-01")), "a unit lies under itself");
        // Before its first version, a unit lies under nothing.
        assert!(!t.under(5, 1, d("2020-06-01")));
    }

    #[test]
    fn a_parent_loop_ends() {
        let mut t = Timeline::default();
        t.add(1, d("2020-01-01"), None, Some(2));
        t.add(2, d("2020-01-01"), None, Some(1));
        assert!(!t.under(1, 3, d("2021-01-01")));
    }
}
