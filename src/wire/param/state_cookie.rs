//! State Cookie parameter (type 7), RFC 9260 §3.3.3.1: carried by INIT ACK, echoed by
//! COOKIE ECHO; its content is private to the endpoint that made it.

crate::wire::element::bytes_element!(
    /// State Cookie (RFC 9260 §3.3.3.1).
    StateCookie = 7,
    /// The cookie, opaque to everyone but its creator.
    cookie
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_round_trip() {
        let mut bytes = vec![0, 7, 0, 0x24];
        bytes.extend((0..32).map(|i| i as u8 ^ 0x5a));
        let p = StateCookie::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.cookie.len(), 32);
        assert_eq!(p.cookie[0], 0x5a);
        assert_eq!(emitted(36, |b| p.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        assert_eq!(
            StateCookie::parse(&raw(&[0, 1, 0, 4])),
            Err(Error::WrongType)
        );
        let truncated = crate::wire::tlv::RawParam {
            param_type: 7,
            bytes: &[0, 7, 0, 8, 1],
        };
        assert_eq!(StateCookie::parse(&truncated), Err(Error::Truncated));
    }
}
