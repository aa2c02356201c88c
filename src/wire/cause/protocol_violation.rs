//! Protocol Violation cause (code 13), RFC 9260 §3.3.10.13: the peer broke the protocol in a way no other cause covers.

crate::wire::element::bytes_element!(
    /// Protocol Violation (RFC 9260 §3.3.10.13).
    ProtocolViolation = 13,
    /// Additional Information, implementation-defined (libusrsctp puts text here).
    additional_information
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn libusrsctp_style_text() {
        let bytes = *b"\x00\x0d\x00\x1dPKTDROP not enabled here\x00\x00\x00\x00";
        let c = ProtocolViolation::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.additional_information, b"PKTDROP not enabled here\0");
        assert_eq!(emitted(32, |b| c.emit(b)), bytes);
    }
}
