//! Fixed-size entries repeated inside a chunk (gap ack blocks, duplicate TSNs, FORWARD-TSN
//! stream entries), held without copying.
//!
//! A parsed chunk keeps the entries as the bytes it read ([`WireList::Wire`]); a chunk built by
//! the engine points at a slice of typed entries ([`WireList::Items`]). Both forms iterate the
//! same typed values, compare equal when their entries are equal, and emit the same bytes, so
//! neither parsing nor building a chunk allocates.

use core::fmt;

/// An entry of fixed size with a big-endian wire encoding.
pub trait WireItem: Copy {
    /// Encoded size in bytes.
    const LEN: usize;
    /// Decodes an entry from exactly `LEN` bytes.
    fn read(b: &[u8]) -> Self;
    /// Encodes the entry into exactly `LEN` bytes.
    fn write(&self, b: &mut [u8]);
}

/// A list of `T` either as wire bytes (a multiple of `T::LEN` long) or as typed entries.
#[derive(Clone, Copy)]
pub enum WireList<'a, T> {
    /// Encoded entries as received; the length is a multiple of `T::LEN`.
    Wire(&'a [u8]),
    /// Typed entries supplied by the sender.
    Items(&'a [T]),
}

impl<'a, T: WireItem> WireList<'a, T> {
    /// The empty list.
    pub const EMPTY: Self = WireList::Wire(&[]);

    /// Takes the first `count` entries from `bytes`, returning the list and the rest, or `None`
    /// when `bytes` is too short.
    pub(crate) fn split(bytes: &'a [u8], count: usize) -> Option<(Self, &'a [u8])> {
        let len = count.checked_mul(T::LEN)?;
        if bytes.len() < len {
            return None;
        }
        let (list, rest) = bytes.split_at(len);
        Some((WireList::Wire(list), rest))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        match self {
            WireList::Wire(b) => b.len() / T::LEN,
            WireList::Items(items) => items.len(),
        }
    }

    /// True when the list has no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Encoded size in bytes.
    pub fn byte_len(&self) -> usize {
        self.len() * T::LEN
    }

    /// The entries in order.
    pub fn iter(&self) -> WireListIter<'a, T> {
        match *self {
            WireList::Wire(b) => WireListIter::Wire(b.chunks_exact(T::LEN)),
            WireList::Items(items) => WireListIter::Items(items.iter()),
        }
    }

    /// Writes the entries at the start of `buf`, which the caller has sized with `byte_len`.
    pub(crate) fn write(&self, buf: &mut [u8]) {
        for (item, out) in self.iter().zip(buf.chunks_exact_mut(T::LEN)) {
            item.write(out);
        }
    }
}

impl<'a, T: WireItem> IntoIterator for WireList<'a, T> {
    type Item = T;
    type IntoIter = WireListIter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: WireItem + PartialEq> PartialEq for WireList<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: WireItem + Eq> Eq for WireList<'_, T> {}

impl<T: WireItem + fmt::Debug> fmt::Debug for WireList<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Iterator over the entries of a [`WireList`].
#[derive(Debug, Clone)]
pub enum WireListIter<'a, T> {
    Wire(core::slice::ChunksExact<'a, u8>),
    Items(core::slice::Iter<'a, T>),
}

impl<T: WireItem> Iterator for WireListIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            WireListIter::Wire(it) => it.next().map(T::read),
            WireListIter::Items(it) => it.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            WireListIter::Wire(it) => it.size_hint(),
            WireListIter::Items(it) => it.size_hint(),
        }
    }
}

impl<T: WireItem> ExactSizeIterator for WireListIter<'_, T> {}

impl WireItem for crate::types::Tsn {
    const LEN: usize = 4;

    fn read(b: &[u8]) -> Self {
        crate::types::Tsn(crate::wire::be32(b, 0))
    }

    fn write(&self, b: &mut [u8]) {
        crate::wire::put32(b, 0, self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Tsn;

    #[test]
    fn wire_and_items_agree() {
        let bytes = [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 9];
        let (list, rest) = WireList::<Tsn>::split(&bytes, 2).unwrap();
        assert_eq!(rest, &[9]);
        let items = [Tsn(1), Tsn(u32::MAX)];
        assert_eq!(list, WireList::Items(&items));
        assert_ne!(list, WireList::Items(&items[..1]));
        let mut out = [0u8; 8];
        WireList::Items(&items).write(&mut out);
        assert_eq!(out, bytes[..8]);
        assert!(WireList::<Tsn>::split(&bytes, 3).is_none());
        assert!(WireList::<Tsn>::split(&bytes, usize::MAX).is_none());
        assert_eq!(format!("{list:?}"), "[Tsn(1), Tsn(4294967295)]");
    }
}
