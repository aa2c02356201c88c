//! SHUTDOWN ACK chunk (RFC 9260 §3.3.9): no value.

crate::wire::chunk::empty_chunk!(
    /// A SHUTDOWN ACK chunk.
    ShutdownAckChunk = 8
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    #[test]
    fn parse_capture() {
        let bytes = [0x08, 0x00, 0x00, 0x04];
        assert_eq!(ShutdownAckChunk::parse(&raw(&bytes)), Ok(ShutdownAckChunk));
        round_trip(&bytes);
    }

    #[test]
    fn build_then_parse() {
        let mut buf = [0xffu8; 4];
        assert_eq!(ShutdownAckChunk.emit(&mut buf), Ok(4));
        assert_eq!(buf, [8, 0, 0, 4]);
        assert_eq!(
            ShutdownAckChunk.emit(&mut buf[..3]),
            Err(Error::BufferTooSmall)
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            ShutdownAckChunk::parse(&raw(&[11, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
