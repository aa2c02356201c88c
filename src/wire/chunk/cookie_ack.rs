//! COOKIE ACK chunk (RFC 9260 §3.3.12): no value.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::Result;

/// A COOKIE ACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CookieAckChunk;

impl CookieAckChunk {
    pub const TYPE: u8 = 11;
    pub const LEN: usize = 4;

    /// Parses the chunk; bytes after the header are ignored.
    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        checked_value(raw, Self::TYPE, 0)?;
        Ok(CookieAckChunk)
    }

    pub fn buffer_len(&self) -> usize {
        Self::LEN
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        put_chunk_header(buf, Self::TYPE, 0, Self::LEN)
    }
}

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
