//! SHUTDOWN COMPLETE chunk (RFC 9260 §3.3.13): no value, only the T bit.

use super::abort::T_BIT;
use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::Result;

/// A SHUTDOWN COMPLETE chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ShutdownCompleteChunk {
    /// T bit: the packet carries the receiver's own verification tag (RFC 9260 §8.5.1).
    pub tag_reflected: bool,
}

impl ShutdownCompleteChunk {
    pub const TYPE: u8 = 14;
    pub const LEN: usize = 4;

    /// Parses the chunk; bytes after the header are ignored.
    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        checked_value(raw, Self::TYPE, 0)?;
        Ok(ShutdownCompleteChunk {
            tag_reflected: raw.flags & T_BIT != 0,
        })
    }

    pub fn buffer_len(&self) -> usize {
        Self::LEN
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let flags = if self.tag_reflected { T_BIT } else { 0 };
        put_chunk_header(buf, Self::TYPE, flags, Self::LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    #[test]
    fn parse_capture() {
        let plain = [0x0e, 0x00, 0x00, 0x04];
        let c = ShutdownCompleteChunk::parse(&raw(&plain)).unwrap();
        assert!(!c.tag_reflected);
        round_trip(&plain);
        let reflected = [0x0e, 0x01, 0x00, 0x04];
        assert!(
            ShutdownCompleteChunk::parse(&raw(&reflected))
                .unwrap()
                .tag_reflected
        );
        round_trip(&reflected);
    }

    #[test]
    fn build_then_parse() {
        let c = ShutdownCompleteChunk {
            tag_reflected: true,
        };
        let mut buf = [0u8; 4];
        assert_eq!(c.emit(&mut buf), Ok(4));
        assert_eq!(buf, [14, 1, 0, 4]);
        assert_eq!(ShutdownCompleteChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            ShutdownCompleteChunk::parse(&raw(&[6, 1, 0, 4])),
            Err(Error::WrongType)
        );
        assert_eq!(
            ShutdownCompleteChunk::default().emit(&mut [0; 2]),
            Err(Error::BufferTooSmall)
        );
    }
}
