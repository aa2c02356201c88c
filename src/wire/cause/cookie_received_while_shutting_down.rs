//! Cookie Received While Shutting Down cause (code 10), RFC 9260 §3.3.10.10: a COOKIE ECHO arrived in SHUTDOWN-ACK-SENT.

crate::wire::element::empty_element!(
    /// Cookie Received While Shutting Down (RFC 9260 §3.3.10.10), no value.
    CookieReceivedWhileShuttingDown = 10
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x00, 0x0a, 0, 4];
        assert_eq!(
            CookieReceivedWhileShuttingDown::parse(&raw(&bytes)),
            Ok(CookieReceivedWhileShuttingDown)
        );
        assert_eq!(
            emitted(4, |b| CookieReceivedWhileShuttingDown.emit(b)),
            bytes
        );
        let long = [0x00, 0x0a, 0, 8, 0, 0, 0, 0];
        assert_eq!(
            CookieReceivedWhileShuttingDown::parse(&raw(&long)),
            Err(Error::BadLength)
        );
        assert_eq!(
            CookieReceivedWhileShuttingDown::parse(&raw(&[0x7f, 0xff, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
