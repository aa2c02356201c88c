//! IPv6 Address parameter (type 6), RFC 9260 §3.3.2.1.

use std::net::Ipv6Addr;

use crate::wire::element::{element_value, emit_tlv, exact_len};
use crate::wire::tlv::RawParam;
use crate::wire::{Error, Result};

/// IPv6 Address (RFC 9260 §3.3.2.1): one of the sender's addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv6Address {
    pub addr: Ipv6Addr,
}

impl Ipv6Address {
    /// The parameter type.
    pub const TYPE: u16 = 6;

    /// Parses the parameter; its length must be exactly 20.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        exact_len(value, 16)?;
        let octets: [u8; 16] = value.try_into().map_err(|_| Error::BadLength)?;
        Ok(Ipv6Address {
            addr: Ipv6Addr::from(octets),
        })
    }

    /// The length on the wire.
    pub fn buffer_len(&self) -> usize {
        20
    }

    /// Writes the parameter; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_tlv(buf, Self::TYPE, &self.addr.octets(), &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn parse_emit_and_errors() {
        let mut bytes = vec![0, 6, 0, 20];
        bytes.extend([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let p = Ipv6Address::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.addr, "2001:db8::1".parse::<Ipv6Addr>().unwrap());
        assert_eq!(emitted(20, |b| p.emit(b)), bytes);
        assert_eq!(
            Ipv6Address::parse(&raw(&[0, 6, 0, 8, 1, 2, 3, 4])),
            Err(Error::BadLength)
        );
    }
}
