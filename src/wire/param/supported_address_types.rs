//! Supported Address Types parameter (type 12), RFC 9260 §3.3.2.1: the address parameter types
//! the sender of an INIT can use.

use crate::wire::element::{element_value, emit_with, U16List, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{padded, Result};

/// Supported Address Types (RFC 9260 §3.3.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SupportedAddressTypes<'a> {
    /// Parameter types: 5 (IPv4), 6 (IPv6), 11 (host name, deprecated).
    pub address_types: U16List<'a>,
}

impl<'a> SupportedAddressTypes<'a> {
    /// The parameter type.
    pub const TYPE: u16 = 12;

    /// Parses the parameter; `BadValue` when the list has an odd number of bytes.
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        Ok(SupportedAddressTypes {
            address_types: U16List::from_wire(value)?,
        })
    }

    /// True when `param_type` is listed.
    pub fn supports(&self, param_type: u16) -> bool {
        self.address_types.iter().any(|t| t == param_type)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + self.address_types.wire_len())
    }

    /// Writes the parameter and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let list = self.address_types;
        emit_with(buf, Self::TYPE, list.wire_len(), |v| list.write(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_round_trip() {
        // IPv4 and IPv6: length 8, no padding.
        let bytes = [0, 12, 0, 8, 0, 5, 0, 6];
        let p = SupportedAddressTypes::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.address_types, U16List::Values(&[5, 6]));
        assert!(p.supports(6));
        assert!(!p.supports(11));
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        // IPv4 only: length 6, padded to 8.
        let one = SupportedAddressTypes {
            address_types: U16List::Values(&[5]),
        };
        let out = emitted(8, |b| one.emit(b));
        assert_eq!(out, [0, 12, 0, 6, 0, 5, 0, 0]);
        assert_eq!(SupportedAddressTypes::parse(&raw(&out)), Ok(one));
    }

    #[test]
    fn odd_list_is_refused() {
        assert_eq!(
            SupportedAddressTypes::parse(&raw(&[0, 12, 0, 7, 0, 5, 0, 0])),
            Err(Error::BadValue)
        );
    }
}
