//! Unresolvable Address cause (code 5), RFC 9260 §3.3.10.5: an address parameter the sender cannot use.

crate::wire::element::tlv_element!(
    /// Unresolvable Address (RFC 9260 §3.3.10.5).
    UnresolvableAddress = 5,
    /// The complete address parameter (TLV) that could not be resolved.
    address_param
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::param::{HostNameAddress, Param};
    use crate::wire::Error;

    #[test]
    fn quotes_a_host_name() {
        let bytes = *b"\x00\x05\x00\x10\x00\x0b\x00\x0chost.ex\x00";
        let c = UnresolvableAddress::parse(&raw(&bytes)).unwrap();
        assert_eq!(
            c.param(),
            Ok(Param::HostNameAddress(HostNameAddress {
                host_name: b"host.ex\0"
            }))
        );
        assert_eq!(emitted(16, |b| c.emit(b)), bytes);
        let empty = UnresolvableAddress::default();
        assert_eq!(empty.param(), Err(Error::Truncated));
    }
}
