//! Request to Delete Source IP Address cause (code 0x00a2), RFC 5061 §4.3.3: an ASCONF tried to delete the source address of its own packet.

crate::wire::element::tlv_element!(
    /// Request to Delete Source IP Address (RFC 5061 §4.3.3).
    RequestToDeleteSourceIpAddress = 0x00a2,
    /// TLV-Copied-From-ASCONF: the ASCONF parameter the error is about, as received.
    asconf_param
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::param::{Address, DeleteIpAddress, Param};
    use crate::wire::Error;
    use std::net::Ipv4Addr;

    #[test]
    fn quotes_the_asconf_param() {
        let bytes = [
            0x00, 0x00a2, 0x00, 0x14, 0xc0, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x05,
            0x00, 0x08, 192, 0, 2, 1,
        ];
        let c = RequestToDeleteSourceIpAddress::parse(&raw(&bytes)).unwrap();
        let Ok(Param::DeleteIpAddress(p)) = c.param() else {
            panic!("not a Delete IP Address: {:?}", c.param());
        };
        assert_eq!(p.correlation_id, 3);
        assert_eq!(p.address(), Ok(Address::V4(Ipv4Addr::new(192, 0, 2, 1))));
        assert_eq!(
            p,
            DeleteIpAddress {
                correlation_id: 3,
                address_param: &bytes[12..]
            }
        );
        assert_eq!(emitted(20, |b| c.emit(b)), bytes);
        assert_eq!(
            RequestToDeleteSourceIpAddress::default().param(),
            Err(Error::Truncated)
        );
    }
}
