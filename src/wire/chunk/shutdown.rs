//! SHUTDOWN chunk (RFC 9260 §3.3.8): the Cumulative TSN Ack of the sender.

use super::checked_value;
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be32, put32, Result};

/// A SHUTDOWN chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShutdownChunk {
    pub cum_tsn_ack: Tsn,
}

impl ShutdownChunk {
    pub const TYPE: u8 = 7;
    pub const LEN: usize = 8;

    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        Ok(ShutdownChunk {
            cum_tsn_ack: Tsn(be32(value, 0)),
        })
    }

    pub fn buffer_len(&self) -> usize {
        Self::LEN
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let total = put_chunk_header(buf, Self::TYPE, 0, Self::LEN)?;
        put32(buf, 4, self.cum_tsn_ack.0);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A SHUTDOWN from a WebRTC data channel closing down.
    const SHUTDOWN: [u8; 8] = [0x07, 0x00, 0x00, 0x08, 0x64, 0x77, 0x8d, 0x95];

    #[test]
    fn parse_capture() {
        let c = ShutdownChunk::parse(&raw(&SHUTDOWN)).unwrap();
        assert_eq!(c.cum_tsn_ack, Tsn(0x6477_8d95));
        round_trip(&SHUTDOWN);
    }

    #[test]
    fn build_then_parse() {
        let c = ShutdownChunk {
            cum_tsn_ack: Tsn(9),
        };
        let mut buf = [0u8; 8];
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(ShutdownChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..7]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(
            ShutdownChunk::parse(&raw(&[7, 0, 0, 4])),
            Err(Error::BadLength)
        );
        assert_eq!(
            ShutdownChunk::parse(&raw(&[8, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
