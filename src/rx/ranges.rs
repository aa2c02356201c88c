//! Helpers shared by the tracker and the reassembly queue: a set of `u64` values stored as
//! inclusive ranges, and an unwrapper that maps a wrapping 32-bit serial number onto a
//! monotonic `u64` so that ordinary ordered maps can hold it.

use std::collections::BTreeMap;

/// A set of `u64` values kept as disjoint, non-adjacent inclusive ranges `start..=end`.
///
/// Every operation is `O(log n)` in the number of ranges, except `remove_range`, which is
/// `O(log n + k)` for `k` ranges touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RangeSet {
    /// start -> end (inclusive).
    map: BTreeMap<u64, u64>,
}

impl RangeSet {
    pub(crate) fn new() -> Self {
        RangeSet::default()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Adds `v`; returns false when it was already present.
    pub(crate) fn insert(&mut self, v: u64) -> bool {
        let before = self.map.range(..=v).next_back().map(|(&s, &e)| (s, e));
        if let Some((_, e)) = before {
            if v <= e {
                return false;
            }
        }
        let mut start = v;
        if let Some((s, e)) = before {
            if e.checked_add(1) == Some(v) {
                start = s;
            }
        }
        let mut end = v;
        if let Some(after) = v.checked_add(1) {
            if let Some(e) = self.map.remove(&after) {
                end = e;
            }
        }
        self.map.insert(start, end);
        true
    }

    pub(crate) fn contains(&self, v: u64) -> bool {
        self.containing(v).is_some()
    }

    /// The range holding `v`.
    pub(crate) fn containing(&self, v: u64) -> Option<(u64, u64)> {
        match self.map.range(..=v).next_back() {
            Some((&s, &e)) if v <= e => Some((s, e)),
            _ => None,
        }
    }

    /// The lowest range.
    pub(crate) fn first(&self) -> Option<(u64, u64)> {
        self.map.first_key_value().map(|(&s, &e)| (s, e))
    }

    /// Removes and returns the lowest range.
    pub(crate) fn pop_first(&mut self) -> Option<(u64, u64)> {
        self.map.pop_first()
    }

    /// Removes every value `<= v`.
    pub(crate) fn remove_through(&mut self, v: u64) {
        let keep = match v.checked_add(1) {
            Some(next) => self.map.split_off(&next),
            None => BTreeMap::new(),
        };
        let straddling = self.map.last_key_value().map(|(_, &e)| e);
        self.map = keep;
        if let Some(e) = straddling {
            if e > v {
                self.map.insert(v + 1, e);
            }
        }
    }

    /// Removes every value in `lo..=hi`.
    pub(crate) fn remove_range(&mut self, lo: u64, hi: u64) {
        if lo > hi {
            return;
        }
        let touched: Vec<(u64, u64)> = self
            .map
            .range(..=hi)
            .rev()
            .take_while(|(_, &e)| e >= lo)
            .map(|(&s, &e)| (s, e))
            .collect();
        for (s, e) in touched {
            self.map.remove(&s);
            if s < lo {
                self.map.insert(s, lo - 1);
            }
            if e > hi {
                self.map.insert(hi + 1, e);
            }
        }
    }

    /// The ranges in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.map.iter().map(|(&s, &e)| (s, e))
    }

    /// The ranges of `self` with the values of `other` taken out, in ascending order.
    pub(crate) fn difference(&self, other: &RangeSet) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        for (s, e) in self.iter() {
            let mut cur = s;
            // Ranges of `other` that may overlap s..=e: those starting at or before e whose
            // end reaches s. The one starting before s is found first.
            let from = other.containing(s).map_or(s, |(os, _)| os);
            for (os, oe) in other.map.range(from..=e).map(|(&a, &b)| (a, b)) {
                if os > cur {
                    out.push((cur, os - 1));
                }
                cur = match oe.checked_add(1) {
                    Some(n) => n.max(cur),
                    None => return out,
                };
                if cur > e {
                    break;
                }
            }
            if cur <= e {
                out.push((cur, e));
            }
        }
        out
    }
}

/// Maps 32-bit serial numbers onto `u64` values that keep their order, as long as successive
/// inputs stay within 2^31 of the largest value seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unwrapper {
    largest: u64,
}

impl Unwrapper {
    /// Starts far from zero so that values somewhat behind the first one stay representable.
    const ORIGIN: u64 = 1 << 40;

    pub(crate) fn new() -> Self {
        Unwrapper {
            largest: Self::ORIGIN,
        }
    }

    /// The `u64` for `v`, without remembering it.
    pub(crate) fn peek(&self, v: u32) -> u64 {
        let delta = i64::from(v.wrapping_sub(self.largest as u32) as i32);
        self.largest.saturating_add_signed(delta)
    }

    /// The `u64` for `v`; remembers it when it is the largest so far.
    pub(crate) fn unwrap(&mut self, v: u32) -> u64 {
        let u = self.peek(v);
        self.largest = self.largest.max(u);
        u
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(values: &[u64]) -> RangeSet {
        let mut s = RangeSet::new();
        for &v in values {
            s.insert(v);
        }
        s
    }

    fn ranges(s: &RangeSet) -> Vec<(u64, u64)> {
        s.iter().collect()
    }

    #[test]
    fn insert_merges_neighbours() {
        let mut s = set(&[5, 7, 9]);
        assert_eq!(ranges(&s), vec![(5, 5), (7, 7), (9, 9)]);
        assert!(s.insert(6));
        assert!(!s.insert(6));
        assert_eq!(ranges(&s), vec![(5, 7), (9, 9)]);
        assert!(s.insert(8));
        assert_eq!(ranges(&s), vec![(5, 9)]);
        assert!(s.insert(u64::MAX));
        assert!(s.insert(0));
        assert_eq!(s.iter().count(), 3);
        assert!(s.contains(0) && s.contains(7) && !s.contains(10));
    }

    #[test]
    fn removal() {
        let mut s = set(&[1, 2, 3, 4, 6, 7, 8, 10]);
        s.remove_through(2);
        assert_eq!(ranges(&s), vec![(3, 4), (6, 8), (10, 10)]);
        s.remove_range(4, 7);
        assert_eq!(ranges(&s), vec![(3, 3), (8, 8), (10, 10)]);
        s.remove_through(u64::MAX);
        assert!(s.is_empty());
        let mut s = set(&[1, 2, 3]);
        s.remove_range(2, 2);
        assert_eq!(ranges(&s), vec![(1, 1), (3, 3)]);
        assert_eq!(s.pop_first(), Some((1, 1)));
        assert_eq!(s.first(), Some((3, 3)));
    }

    #[test]
    fn difference_of_sets() {
        let a = set(&[1, 2, 3, 4, 5, 8, 9, 10]);
        let b = set(&[2, 3, 9, 12]);
        assert_eq!(a.difference(&b), vec![(1, 1), (4, 5), (8, 8), (10, 10)]);
        assert_eq!(a.difference(&RangeSet::new()), ranges(&a));
        assert_eq!(a.difference(&a), vec![]);
        let c = set(&[0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(a.difference(&c), vec![(8, 10)]);
    }

    #[test]
    fn unwrapper_follows_wrap_around() {
        let mut u = Unwrapper::new();
        let a = u.unwrap(u32::MAX - 1);
        let b = u.unwrap(u32::MAX);
        let c = u.unwrap(0);
        let d = u.unwrap(3);
        assert_eq!((b - a, c - b, d - c), (1, 1, 3));
        assert_eq!(
            u.unwrap(u32::MAX),
            b,
            "older values map back to the same place"
        );
        let mut fresh = Unwrapper::new();
        let x = fresh.unwrap(0x9000_0000);
        let y = fresh.unwrap(0x9000_0001);
        assert_eq!(y - x, 1);
    }
}
