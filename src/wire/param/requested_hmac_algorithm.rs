//! Requested HMAC Algorithm parameter (type 0x8004), RFC 4895 §3.3: the HMAC identifiers the
//! sender accepts for AUTH, most preferred first.

use crate::wire::element::{element_value, emit_with, U16List, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{padded, Result};

/// Requested HMAC Algorithm (RFC 4895 §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestedHmacAlgorithm<'a> {
    /// HMAC identifiers in order of preference (RFC 4895 §6.1).
    pub hmac_ids: U16List<'a>,
}

impl<'a> RequestedHmacAlgorithm<'a> {
    /// The parameter type.
    pub const TYPE: u16 = 0x8004;
    /// HMAC identifier of HMAC-SHA-1 (RFC 4895 §6.1), mandatory to support.
    pub const SHA1: u16 = 1;
    /// HMAC identifier of HMAC-SHA-256 (RFC 4895 §6.1).
    pub const SHA256: u16 = 3;

    /// Parses the parameter; `BadValue` when the list has an odd number of bytes.
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        Ok(RequestedHmacAlgorithm {
            hmac_ids: U16List::from_wire(value)?,
        })
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + self.hmac_ids.wire_len())
    }

    /// Writes the parameter and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let list = self.hmac_ids;
        emit_with(buf, Self::TYPE, list.wire_len(), |v| list.write(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn libusrsctp_init_hmac_algo() {
        // libusrsctp offers SHA-1 and SHA-256: length 8.
        let bytes = [0x80, 0x04, 0x00, 0x08, 0x00, 0x01, 0x00, 0x03];
        let p = RequestedHmacAlgorithm::parse(&raw(&bytes)).unwrap();
        assert_eq!(
            p.hmac_ids.iter().collect::<Vec<_>>(),
            [RequestedHmacAlgorithm::SHA1, RequestedHmacAlgorithm::SHA256]
        );
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
    }

    #[test]
    fn odd_list_is_refused() {
        assert_eq!(
            RequestedHmacAlgorithm::parse(&raw(&[0x80, 0x04, 0, 5, 0, 0, 0, 0])),
            Err(Error::BadValue)
        );
        assert_eq!(
            RequestedHmacAlgorithm::parse(&raw(&[0x80, 0x03, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
