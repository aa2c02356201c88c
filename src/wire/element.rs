//! Shared machinery for parameters and error causes: both are 16-bit type, 16-bit length TLVs
//! padded to four bytes (RFC 9260 §3.2.1, §3.3.10), so they share checks, lists and code shapes.

use super::tlv::RawParam;
use super::{be16, put16, Error, Result};

/// Length of the type and length fields that start every parameter and error cause.
pub(crate) const TLV_HEADER_LEN: usize = 4;

/// Checks `raw` against the expected type code and its own length field and returns the value
/// (the bytes after the 4-byte header, without padding).
///
/// `WrongType` when the type differs, `Truncated` when the bytes end before the declared length,
/// `BadLength` when the declared length is below the header size.
pub(crate) fn element_value<'a>(raw: &RawParam<'a>, expected: u16) -> Result<&'a [u8]> {
    if raw.param_type != expected {
        return Err(Error::WrongType);
    }
    if raw.bytes.len() < TLV_HEADER_LEN {
        return Err(Error::Truncated);
    }
    let len = be16(raw.bytes, 2) as usize;
    if len < TLV_HEADER_LEN {
        return Err(Error::BadLength);
    }
    raw.bytes.get(TLV_HEADER_LEN..len).ok_or(Error::Truncated)
}

/// `BadLength` unless the value is exactly `n` bytes long.
pub(crate) fn exact_len(value: &[u8], n: usize) -> Result<()> {
    if value.len() == n {
        Ok(())
    } else {
        Err(Error::BadLength)
    }
}

/// `BadLength` unless the value is at least `n` bytes long.
pub(crate) fn min_len(value: &[u8], n: usize) -> Result<()> {
    if value.len() >= n {
        Ok(())
    } else {
        Err(Error::BadLength)
    }
}

/// Writes a TLV whose value is `fixed` followed by `tail`, with zero padding; returns the padded
/// total length.
pub(crate) fn emit_tlv(buf: &mut [u8], code: u16, fixed: &[u8], tail: &[u8]) -> Result<usize> {
    let len = TLV_HEADER_LEN + fixed.len() + tail.len();
    let total = super::tlv::put_param_header(buf, code, len)?;
    let mid = TLV_HEADER_LEN + fixed.len();
    buf[TLV_HEADER_LEN..mid].copy_from_slice(fixed);
    buf[mid..len].copy_from_slice(tail);
    Ok(total)
}

/// Writes a TLV header for a value of `value_len` bytes, zero padding, and lets `fill` write the
/// value into a slice of exactly `value_len` bytes; returns the padded total length.
pub(crate) fn emit_with(
    buf: &mut [u8],
    code: u16,
    value_len: usize,
    fill: impl FnOnce(&mut [u8]),
) -> Result<usize> {
    let len = TLV_HEADER_LEN + value_len;
    let total = super::tlv::put_param_header(buf, code, len)?;
    fill(&mut buf[TLV_HEADER_LEN..len]);
    Ok(total)
}

/// A list of 16-bit values (address types, HMAC identifiers, stream numbers, parameter types),
/// either as received on the wire or as values to send. Two lists are equal when they hold the
/// same values, whatever their form.
#[derive(Clone, Copy)]
pub enum U16List<'a> {
    /// Big-endian pairs of bytes as received; always of even length once parsed.
    Wire(&'a [u8]),
    /// Values to emit.
    Values(&'a [u16]),
}

impl<'a> U16List<'a> {
    /// Wraps received bytes; `BadValue` when their length is odd.
    pub fn from_wire(bytes: &'a [u8]) -> Result<Self> {
        if bytes.len() % 2 == 0 {
            Ok(U16List::Wire(bytes))
        } else {
            Err(Error::BadValue)
        }
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            U16List::Wire(b) => b.len() / 2,
            U16List::Values(v) => v.len(),
        }
    }

    /// True when the list holds no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values in order.
    pub fn iter(&self) -> U16Iter<'a> {
        U16Iter {
            list: *self,
            next: 0,
        }
    }

    /// The number of bytes the list takes on the wire.
    pub fn wire_len(&self) -> usize {
        self.len() * 2
    }

    /// Writes the values big-endian at the start of `out`, which holds at least `wire_len`
    /// bytes (checked by the caller).
    pub(crate) fn write(&self, out: &mut [u8]) {
        for (i, v) in self.iter().enumerate() {
            put16(out, 2 * i, v);
        }
    }
}

impl Default for U16List<'_> {
    fn default() -> Self {
        U16List::Values(&[])
    }
}

impl PartialEq for U16List<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for U16List<'_> {}

impl core::fmt::Debug for U16List<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for U16List<'a> {
    type Item = u16;
    type IntoIter = U16Iter<'a>;

    fn into_iter(self) -> U16Iter<'a> {
        self.iter()
    }
}

/// Iterator over a [`U16List`].
#[derive(Debug, Clone)]
pub struct U16Iter<'a> {
    list: U16List<'a>,
    next: usize,
}

impl Iterator for U16Iter<'_> {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        let i = self.next;
        let v = match self.list {
            U16List::Wire(b) => {
                let pair = b.get(2 * i..2 * i + 2)?;
                u16::from_be_bytes([pair[0], pair[1]])
            }
            U16List::Values(v) => *v.get(i)?,
        };
        self.next += 1;
        Some(v)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.list.len().saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for U16Iter<'_> {}

/// Defines an element without a value (length 4): struct, `TYPE`, `parse`, `buffer_len`, `emit`.
macro_rules! empty_element {
    ($(#[$doc:meta])* $name:ident = $code:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name;

        impl $name {
            /// The type (or cause) code.
            pub const TYPE: u16 = $code;

            /// Parses the element; its length must be exactly 4.
            pub fn parse(
                raw: &$crate::wire::tlv::RawParam<'_>,
            ) -> $crate::wire::Result<Self> {
                let value = $crate::wire::element::element_value(raw, Self::TYPE)?;
                $crate::wire::element::exact_len(value, 0)?;
                Ok($name)
            }

            /// The length on the wire, padding included.
            pub fn buffer_len(&self) -> usize {
                $crate::wire::element::TLV_HEADER_LEN
            }

            /// Writes the element; returns `buffer_len`.
            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                $crate::wire::element::emit_tlv(buf, Self::TYPE, &[], &[])
            }
        }
    };
}
pub(crate) use empty_element;

/// Defines an element whose value is opaque bytes, borrowed from the input.
macro_rules! bytes_element {
    ($(#[$doc:meta])* $name:ident = $code:expr, $(#[$fdoc:meta])* $field:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name<'a> {
            $(#[$fdoc])*
            pub $field: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// The type (or cause) code.
            pub const TYPE: u16 = $code;

            /// Parses the element; any value length is accepted.
            pub fn parse(
                raw: &$crate::wire::tlv::RawParam<'a>,
            ) -> $crate::wire::Result<Self> {
                let value = $crate::wire::element::element_value(raw, Self::TYPE)?;
                Ok($name { $field: value })
            }

            /// The length on the wire, padding included.
            pub fn buffer_len(&self) -> usize {
                $crate::wire::padded($crate::wire::element::TLV_HEADER_LEN + self.$field.len())
            }

            /// Writes the element and its padding; returns `buffer_len`.
            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                $crate::wire::element::emit_tlv(buf, Self::TYPE, &[], self.$field)
            }
        }
    };
}
pub(crate) use bytes_element;

/// Defines an element whose value is one encapsulated parameter TLV, kept as borrowed bytes, with
/// a `param()` accessor that parses it (the causes that quote an address or ASCONF parameter,
/// RFC 9260 §3.3.10.5, RFC 5061 §4.3).
macro_rules! tlv_element {
    ($(#[$doc:meta])* $name:ident = $code:expr, $(#[$fdoc:meta])* $field:ident) => {
        $crate::wire::element::bytes_element!($(#[$doc])* $name = $code, $(#[$fdoc])* $field);

        impl<'a> $name<'a> {
            #[doc = concat!(
                "The parameter in `", stringify!($field), "`, parsed (an unknown type gives ",
                "`Param::Unknown`); `Truncated` when it holds no TLV."
            )]
            pub fn param(&self) -> $crate::wire::Result<$crate::wire::param::Param<'a>> {
                let raw = $crate::wire::tlv::ParamIter::new(self.$field)
                    .next()
                    .ok_or($crate::wire::Error::Truncated)??;
                $crate::wire::param::Param::parse(&raw)
            }
        }
    };
}
pub(crate) use tlv_element;

/// Defines an element whose value is one 32-bit integer (length 8).
macro_rules! u32_element {
    ($(#[$doc:meta])* $name:ident = $code:expr, $(#[$fdoc:meta])* $field:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            $(#[$fdoc])*
            pub $field: u32,
        }

        impl $name {
            /// The type (or cause) code.
            pub const TYPE: u16 = $code;

            /// Parses the element; its length must be exactly 8.
            pub fn parse(
                raw: &$crate::wire::tlv::RawParam<'_>,
            ) -> $crate::wire::Result<Self> {
                let value = $crate::wire::element::element_value(raw, Self::TYPE)?;
                $crate::wire::element::exact_len(value, 4)?;
                Ok($name {
                    $field: $crate::wire::be32(value, 0),
                })
            }

            /// The length on the wire.
            pub fn buffer_len(&self) -> usize {
                8
            }

            /// Writes the element; returns `buffer_len`.
            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                $crate::wire::element::emit_tlv(buf, Self::TYPE, &self.$field.to_be_bytes(), &[])
            }
        }
    };
}
pub(crate) use u32_element;

/// Helpers for the tests of parameters and causes.
#[cfg(test)]
pub(crate) mod testing {
    use crate::wire::tlv::{ParamIter, RawParam};
    use crate::wire::{Error, Result};

    /// The first element of `bytes`, framed by the TLV iterator.
    pub fn raw(bytes: &[u8]) -> RawParam<'_> {
        ParamIter::new(bytes).next().unwrap().unwrap()
    }

    /// Runs `emit` into a buffer of exactly `len` bytes (prefilled with garbage, so padding must
    /// be written) and checks that every shorter buffer fails with `BufferTooSmall`.
    pub fn emitted(len: usize, emit: impl Fn(&mut [u8]) -> Result<usize>) -> Vec<u8> {
        for short in 0..len {
            assert_eq!(emit(&mut vec![0xee; short]), Err(Error::BufferTooSmall));
        }
        let mut buf = vec![0xee; len];
        assert_eq!(emit(&mut buf), Ok(len));
        buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_checks() {
        let bytes = [0x80, 0x00, 0x00, 0x05, 0x07];
        let raw = RawParam {
            param_type: 0x8000,
            bytes: &bytes,
        };
        assert_eq!(element_value(&raw, 0x8000), Ok(&[7u8][..]));
        assert_eq!(element_value(&raw, 0x8001), Err(Error::WrongType));
        let short = RawParam {
            param_type: 1,
            bytes: &[0, 1, 0],
        };
        assert_eq!(element_value(&short, 1), Err(Error::Truncated));
        let under = RawParam {
            param_type: 1,
            bytes: &[0, 1, 0, 3],
        };
        assert_eq!(element_value(&under, 1), Err(Error::BadLength));
        let over = RawParam {
            param_type: 1,
            bytes: &[0, 1, 0, 9, 0],
        };
        assert_eq!(element_value(&over, 1), Err(Error::Truncated));
    }

    #[test]
    fn u16_lists_compare_by_value() {
        let wire = U16List::from_wire(&[0, 1, 0, 3]).unwrap();
        assert_eq!(wire, U16List::Values(&[1, 3]));
        assert_ne!(wire, U16List::Values(&[1]));
        assert_eq!(wire.iter().len(), 2);
        assert_eq!(U16List::from_wire(&[0, 1, 0]), Err(Error::BadValue));
        let mut out = [0u8; 4];
        U16List::Values(&[0x0102, 0x0304]).write(&mut out);
        assert_eq!(out, [1, 2, 3, 4]);
    }
}
