//! Padding parameter (type 0x8005), RFC 4820 §3: fills an INIT up to a size for path MTU
//! probing; the receiver ignores its content.

crate::wire::element::bytes_element!(
    /// Padding (RFC 4820 §3).
    Padding = 0x8005,
    /// The padding data, ignored by the receiver.
    padding
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn parse_emit_round_trip() {
        let bytes = [0x80, 0x05, 0x00, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0];
        let p = Padding::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.padding.len(), 6);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
    }
}
