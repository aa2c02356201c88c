//! Adaptation Layer Indication parameter (type 0xC006), RFC 5061 §4.2.6: tells the peer which
//! adaptation layer runs on top of the association.

crate::wire::element::u32_element!(
    /// Adaptation Layer Indication (RFC 5061 §4.2.6).
    AdaptationLayerIndication = 0xc006,
    /// Adaptation Code Point.
    adaptation_code_point
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0xc0, 0x06, 0, 8, 0x12, 0x34, 0x56, 0x78];
        let p = AdaptationLayerIndication::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.adaptation_code_point, 0x1234_5678);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            AdaptationLayerIndication::parse(&raw(&[0xc0, 0x06, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
    }
}
