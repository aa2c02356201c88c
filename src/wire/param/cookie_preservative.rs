//! Cookie Preservative parameter (type 9), RFC 9260 §3.3.2.1: in an INIT after a stale cookie,
//! asks for a longer cookie lifetime.

crate::wire::element::u32_element!(
    /// Cookie Preservative (RFC 9260 §3.3.2.1).
    CookiePreservative = 9,
    /// Suggested cookie life-span increment, in milliseconds.
    life_span_increment_ms
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 9, 0, 8, 0, 0, 0x03, 0xe8];
        let p = CookiePreservative::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.life_span_increment_ms, 1000);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            CookiePreservative::parse(&raw(&[0, 9, 0, 6, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
    }
}
