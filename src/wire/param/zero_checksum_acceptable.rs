//! Zero Checksum Acceptable parameter (type 0x8001), RFC 9653 §5.1: the sender accepts packets
//! with a zero CRC32c when they are protected by the named error detection method.

crate::wire::element::u32_element!(
    /// Zero Checksum Acceptable (RFC 9653 §5.1).
    ZeroChecksumAcceptable = 0x8001,
    /// Error Detection Method Identifier (EDMID), RFC 9653 §5.1.
    edmid
);

impl ZeroChecksumAcceptable {
    /// EDMID of SCTP over DTLS (RFC 9653 §5.1, RFC 8261).
    pub const EDMID_DTLS: u32 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x80, 0x01, 0, 8, 0, 0, 0, 1];
        let p = ZeroChecksumAcceptable::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.edmid, ZeroChecksumAcceptable::EDMID_DTLS);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            ZeroChecksumAcceptable::parse(&raw(&[0x80, 0x01, 0, 4])),
            Err(Error::BadLength)
        );
    }
}
