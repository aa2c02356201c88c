//! Add IP Address parameter (type 0xc001), RFC 5061 §4.2.1: asks the peer to add an address to the association.

crate::wire::param::asconf_address_param!(
    /// Add IP Address (RFC 5061 §4.2.1): an ASCONF-Request Correlation ID and an address parameter.
    AddIpAddress = 0xc001
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::param::Address;
    use crate::wire::Error;
    use std::net::Ipv4Addr;

    #[test]
    fn parse_emit_round_trip() {
        let bytes = [
            0xc0, 0x01, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x05, 0x00, 0x08, 10, 1, 2, 3,
        ];
        let p = AddIpAddress::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.correlation_id, 42);
        assert_eq!(p.address_param, &bytes[8..]);
        assert_eq!(p.address(), Ok(Address::V4(Ipv4Addr::new(10, 1, 2, 3))));
        assert_eq!(emitted(16, |b| p.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        let short = [0xc0, 0x01, 0x00, 0x08, 0, 0, 0, 1];
        assert_eq!(AddIpAddress::parse(&raw(&short)), Err(Error::BadLength));
        let wrong = [0xc0, 0x05, 0x00, 0x08, 0, 0, 0, 1];
        assert_eq!(AddIpAddress::parse(&raw(&wrong)), Err(Error::WrongType));
        // A nested TLV that is not an address parses, but the accessor reports it.
        let nested = [0xc0, 0x01, 0x00, 0x0c, 0, 0, 0, 1, 0x00, 0x0b, 0x00, 0x04];
        let p = AddIpAddress::parse(&raw(&nested)).unwrap();
        assert_eq!(p.address(), Err(Error::WrongType));
    }
}
