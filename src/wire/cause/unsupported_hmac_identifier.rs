//! Unsupported HMAC Identifier cause (code 0x0105), RFC 4895 §4.1: an AUTH chunk used an HMAC
//! the receiver does not support.

use crate::wire::element::{element_value, emit_with};
use crate::wire::tlv::RawParam;
use crate::wire::{be16, Error, Result};

/// Unsupported HMAC Identifier (RFC 4895 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UnsupportedHmacIdentifier {
    /// The HMAC identifier the AUTH chunk used.
    pub hmac_id: u16,
}

impl UnsupportedHmacIdentifier {
    /// The cause code.
    pub const TYPE: u16 = 0x0105;

    /// Parses the cause. The RFC's length is 6 (then two bytes of padding); a length of 8 that
    /// counts the padding is accepted too.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        if value.len() != 2 && value.len() != 4 {
            return Err(Error::BadLength);
        }
        Ok(UnsupportedHmacIdentifier {
            hmac_id: be16(value, 0),
        })
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        8
    }

    /// Writes the cause with length 6 and two bytes of padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(buf, Self::TYPE, 2, |v| {
            v.copy_from_slice(&self.hmac_id.to_be_bytes())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x01, 0x05, 0, 6, 0, 2, 0, 0];
        let c = UnsupportedHmacIdentifier::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.hmac_id, 2);
        assert_eq!(emitted(8, |b| c.emit(b)), bytes);
        let with_padding = [0x01, 0x05, 0, 8, 0, 2, 0, 0];
        assert_eq!(UnsupportedHmacIdentifier::parse(&raw(&with_padding)), Ok(c));
        assert_eq!(
            UnsupportedHmacIdentifier::parse(&raw(&[0x01, 0x05, 0, 4])),
            Err(Error::BadLength)
        );
    }
}
