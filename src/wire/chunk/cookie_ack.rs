//! COOKIE ACK chunk (RFC 9260 §3.3.12): no value.

crate::wire::chunk::empty_chunk!(
    /// A COOKIE ACK chunk.
    CookieAckChunk = 11
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    #[test]
    fn parse_capture() {
        let bytes = [0x0b, 0x00, 0x00, 0x04];
        assert_eq!(CookieAckChunk::parse(&raw(&bytes)), Ok(CookieAckChunk));
        round_trip(&bytes);
    }

    #[test]
    fn build_then_parse() {
        let mut buf = [0u8; 4];
        assert_eq!(CookieAckChunk.emit(&mut buf), Ok(4));
        assert_eq!(CookieAckChunk::parse(&raw(&buf)), Ok(CookieAckChunk));
        assert_eq!(CookieAckChunk.emit(&mut []), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(
            CookieAckChunk::parse(&raw(&[8, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
