//! Success Indication parameter (type 0xC005), RFC 5061 §4.2.5: in an ASCONF-ACK, reports that
//! the request with this correlation id succeeded.

crate::wire::element::u32_element!(
    /// Success Indication (RFC 5061 §4.2.5).
    SuccessIndication = 0xc005,
    /// ASCONF-Response Correlation ID, copied from the request.
    correlation_id
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0xc0, 0x05, 0, 8, 0, 0, 0, 0x2a];
        let p = SuccessIndication::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.correlation_id, 42);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            SuccessIndication::parse(&raw(&[0xc0, 0x05, 0, 4])),
            Err(Error::BadLength)
        );
    }
}
