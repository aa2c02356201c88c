//! CWR (Congestion Window Reduced) chunk (RFC 9260 Appendix A).

use super::checked_value;
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be32, put32, Result};

/// A CWR chunk. Its flags are not used by RFC 9260 and are neither kept nor sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CwrChunk {
    /// The Lowest TSN of the ECNE that caused the window reduction.
    pub lowest_tsn: Tsn,
}

impl CwrChunk {
    pub const TYPE: u8 = 13;
    pub const LEN: usize = 8;

    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        Ok(CwrChunk {
            lowest_tsn: Tsn(be32(value, 0)),
        })
    }

    pub fn buffer_len(&self) -> usize {
        Self::LEN
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let total = put_chunk_header(buf, Self::TYPE, 0, Self::LEN)?;
        put32(buf, 4, self.lowest_tsn.0);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    const CWR: [u8; 8] = [0x0d, 0x00, 0x00, 0x08, 0xd4, 0x5e, 0xe9, 0x57];

    #[test]
    fn parse_capture() {
        let c = CwrChunk::parse(&raw(&CWR)).unwrap();
        assert_eq!(c.lowest_tsn, Tsn(0xd45e_e957));
        round_trip(&CWR);
    }

    #[test]
    fn build_then_parse() {
        let c = CwrChunk {
            lowest_tsn: Tsn(u32::MAX),
        };
        let mut buf = [0u8; 8];
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(CwrChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..4]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(CwrChunk::parse(&raw(&[13, 0, 0, 4])), Err(Error::BadLength));
        assert_eq!(
            CwrChunk::parse(&raw(&[12, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
