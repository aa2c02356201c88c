//! An IPv4 or IPv6 address parameter (RFC 9260 §3.3.2.1), as INIT, INIT ACK, the ASCONF
//! parameters of RFC 5061 §4.2 and some error causes carry them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Ipv4Address, Ipv6Address};
use crate::wire::tlv::{ParamIter, RawParam};
use crate::wire::{Error, Result};

/// An address parameter of either family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Address {
    /// IPv4 Address parameter (type 5).
    V4(Ipv4Addr),
    /// IPv6 Address parameter (type 6).
    V6(Ipv6Addr),
}

impl Address {
    /// Parses an IPv4 (type 5) or IPv6 (type 6) address parameter; `WrongType` for any other.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        match raw.param_type {
            Ipv4Address::TYPE => Ok(Address::V4(Ipv4Address::parse(raw)?.addr)),
            Ipv6Address::TYPE => Ok(Address::V6(Ipv6Address::parse(raw)?.addr)),
            _ => Err(Error::WrongType),
        }
    }

    /// Parses the address parameter at the start of `bytes` (an encapsulated TLV).
    pub fn parse_tlv(bytes: &[u8]) -> Result<Self> {
        let raw = ParamIter::new(bytes).next().ok_or(Error::Truncated)??;
        Self::parse(&raw)
    }

    /// The parameter type: 5 or 6.
    pub fn param_type(&self) -> u16 {
        match self {
            Address::V4(_) => Ipv4Address::TYPE,
            Address::V6(_) => Ipv6Address::TYPE,
        }
    }

    /// The length on the wire: 8 or 20.
    pub fn buffer_len(&self) -> usize {
        match self {
            Address::V4(_) => 8,
            Address::V6(_) => 20,
        }
    }

    /// Writes the address parameter; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        match *self {
            Address::V4(addr) => Ipv4Address { addr }.emit(buf),
            Address::V6(addr) => Ipv6Address { addr }.emit(buf),
        }
    }

    /// The address as a standard library value.
    pub fn ip(&self) -> IpAddr {
        match *self {
            Address::V4(a) => IpAddr::V4(a),
            Address::V6(a) => IpAddr::V6(a),
        }
    }
}

impl From<IpAddr> for Address {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(a) => Address::V4(a),
            IpAddr::V6(a) => Address::V6(a),
        }
    }
}

impl From<Address> for IpAddr {
    fn from(a: Address) -> Self {
        a.ip()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::emitted;

    #[test]
    fn both_families() {
        let v4 = [0, 5, 0, 8, 10, 0, 0, 1];
        let a = Address::parse_tlv(&v4).unwrap();
        assert_eq!(a, Address::V4(Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(a.param_type(), 5);
        assert_eq!(emitted(8, |b| a.emit(b)), v4);
        let v6 = Address::from("::1".parse::<IpAddr>().unwrap());
        let bytes = emitted(20, |b| v6.emit(b));
        assert_eq!(Address::parse_tlv(&bytes), Ok(v6));
        assert_eq!(IpAddr::from(v6), "::1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn errors() {
        assert_eq!(Address::parse_tlv(&[]), Err(Error::Truncated));
        assert_eq!(Address::parse_tlv(&[0, 5, 0, 8, 1]), Err(Error::Truncated));
        assert_eq!(
            Address::parse_tlv(&[0, 11, 0, 8, 1, 2, 3, 4]),
            Err(Error::WrongType)
        );
    }
}
