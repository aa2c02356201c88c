//! Stale Cookie Error cause (code 3), RFC 9260 §3.3.10.3: a COOKIE ECHO arrived after the
//! cookie expired.

crate::wire::element::u32_element!(
    /// Stale Cookie Error (RFC 9260 §3.3.10.3).
    StaleCookie = 3,
    /// Measure of Staleness: how late the cookie was, in microseconds.
    staleness_us
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 3, 0, 8, 0x00, 0x0f, 0x42, 0x40];
        let c = StaleCookie::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.staleness_us, 1_000_000);
        assert_eq!(emitted(8, |b| c.emit(b)), bytes);
        assert_eq!(
            StaleCookie::parse(&raw(&[0, 3, 0, 4])),
            Err(Error::BadLength)
        );
    }
}
