//! Delete IP Address parameter (type 0xc002), RFC 5061 §4.2.2: asks the peer to remove an address from the association.

crate::wire::param::asconf_address_param!(
    /// Delete IP Address (RFC 5061 §4.2.2): an ASCONF-Request Correlation ID and an address parameter.
    DeleteIpAddress = 0xc002
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
            0xc0, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x05, 0x00, 0x08, 10, 1, 2, 3,
        ];
        let p = DeleteIpAddress::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.correlation_id, 42);
        assert_eq!(p.address_param, &bytes[8..]);
        assert_eq!(p.address(), Ok(Address::V4(Ipv4Addr::new(10, 1, 2, 3))));
        assert_eq!(emitted(16, |b| p.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        let short = [0xc0, 0x02, 0x00, 0x08, 0, 0, 0, 1];
        assert_eq!(DeleteIpAddress::parse(&raw(&short)), Err(Error::BadLength));
        let wrong = [0xc0, 0x05, 0x00, 0x08, 0, 0, 0, 1];
        assert_eq!(DeleteIpAddress::parse(&raw(&wrong)), Err(Error::WrongType));
        // A nested TLV that is not an address parses, but the accessor reports it.
        let nested = [0xc0, 0x02, 0x00, 0x0c, 0, 0, 0, 1, 0x00, 0x0b, 0x00, 0x04];
        let p = DeleteIpAddress::parse(&raw(&nested)).unwrap();
        assert_eq!(p.address(), Err(Error::WrongType));
    }
}
