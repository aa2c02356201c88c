//! SHUTDOWN ACK chunk (RFC 9260 §3.3.9): no value.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::Result;

/// A SHUTDOWN ACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShutdownAckChunk;

impl ShutdownAckChunk {
    pub const TYPE: u8 = 8;
    pub const LEN: usize = 4;

    /// Parses the chunk; bytes after the header are ignored.
    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        checked_value(raw, Self::TYPE, 0)?;
        Ok(ShutdownAckChunk)
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
