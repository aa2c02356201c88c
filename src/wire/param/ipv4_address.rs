//! IPv4 Address parameter (type 5), RFC 9260 §3.3.2.1.

use std::net::Ipv4Addr;

use crate::wire::element::{element_value, emit_tlv, exact_len};
use crate::wire::tlv::RawParam;
use crate::wire::Result;

/// IPv4 Address (RFC 9260 §3.3.2.1): one of the sender's addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ipv4Address {
    pub addr: Ipv4Addr,
}

impl Ipv4Address {
    /// The parameter type.
    pub const TYPE: u16 = 5;

    /// Parses the parameter; its length must be exactly 8.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        exact_len(value, 4)?;
        Ok(Ipv4Address {
            addr: Ipv4Addr::new(value[0], value[1], value[2], value[3]),
        })
    }

    /// The length on the wire.
    pub fn buffer_len(&self) -> usize {
        8
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
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 5, 0, 8, 192, 168, 1, 20];
        let p = Ipv4Address::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.addr, Ipv4Addr::new(192, 168, 1, 20));
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            Ipv4Address::parse(&raw(&[0, 5, 0, 7, 1, 2, 3, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            Ipv4Address::parse(&raw(&[0, 6, 0, 8, 1, 2, 3, 4])),
            Err(Error::WrongType)
        );
    }
}
