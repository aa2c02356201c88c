//! Heartbeat Info parameter (type 1), RFC 9260 §3.3.5: the sender-specific information a
//! HEARTBEAT carries and its HEARTBEAT ACK echoes back unchanged.

crate::wire::element::bytes_element!(
    /// Heartbeat Info (RFC 9260 §3.3.5): opaque to the receiver, echoed back verbatim.
    HeartbeatInfo = 1,
    /// The sender's opaque information (typically path, time and a nonce).
    info
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_round_trip() {
        // Length 9: five bytes of info, padded to 12.
        let bytes = [0, 1, 0, 9, 1, 2, 3, 4, 5, 0, 0, 0];
        let p = HeartbeatInfo::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.info, &[1, 2, 3, 4, 5]);
        assert_eq!(p.buffer_len(), 12);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
        let empty = HeartbeatInfo { info: &[] };
        assert_eq!(emitted(4, |b| empty.emit(b)), [0, 1, 0, 4]);
    }

    #[test]
    fn wrong_type() {
        assert_eq!(
            HeartbeatInfo::parse(&raw(&[0, 7, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
