//! CWR (Congestion Window Reduced) chunk (RFC 9260 Appendix A).

use super::checked_value;
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be32, put32, Result};

/// Flag bits RFC 9260 leaves reserved but libusrsctp (like FreeBSD) sets.
mod flags {
    pub const REDUCE_OVERRIDE: u8 = 0x01;
    pub const IN_SAME_WINDOW: u8 = 0x02;
}

/// A CWR chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CwrChunk {
    /// The Lowest TSN of the ECNE that caused the window reduction.
    pub lowest_tsn: Tsn,
    /// libusrsctp's "reduce override" flag (0x01): the window was not reduced again for
    /// this ECNE because it had been reduced in the same window already.
    pub reduce_override: bool,
    /// libusrsctp's "in same window" flag (0x02).
    pub in_same_window: bool,
}

impl CwrChunk {
    pub const TYPE: u8 = 13;
    pub const LEN: usize = 8;

    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        Ok(CwrChunk {
            lowest_tsn: Tsn(be32(value, 0)),
            reduce_override: raw.flags & flags::REDUCE_OVERRIDE != 0,
            in_same_window: raw.flags & flags::IN_SAME_WINDOW != 0,
        })
    }

    pub fn buffer_len(&self) -> usize {
        Self::LEN
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let mut f = 0;
        if self.reduce_override {
            f |= flags::REDUCE_OVERRIDE;
        }
        if self.in_same_window {
            f |= flags::IN_SAME_WINDOW;
        }
        let total = put_chunk_header(buf, Self::TYPE, f, Self::LEN)?;
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
        assert!(!c.reduce_override && !c.in_same_window);
        round_trip(&CWR);
        let overridden = [0x0d, 0x01, 0x00, 0x08, 0, 0, 0, 1];
        assert!(CwrChunk::parse(&raw(&overridden)).unwrap().reduce_override);
        round_trip(&overridden);
    }

    #[test]
    fn build_then_parse() {
        let c = CwrChunk {
            lowest_tsn: Tsn(u32::MAX),
            reduce_override: false,
            in_same_window: true,
        };
        let mut buf = [0u8; 8];
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(buf[1], 2);
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
