//! SACK chunk (RFC 9260 §3.3.4).
//!
//! ```text
//! |   Type = 3    |Chunk  Flags   |      Chunk Length             |
//! |                      Cumulative TSN Ack                       |
//! |          Advertised Receiver Window Credit (a_rwnd)           |
//! | Number of Gap Ack Blocks = N  |  Number of Duplicate TSNs = M |
//! |    Gap Ack Block #1 Start     |   Gap Ack Block #1 End        |
//! /                              ...                              /
//! |                       Duplicate TSN 1                         |
//! /                              ...                              /
//! ```
//!
//! The chunk must hold the blocks and TSNs its counts announce (else `BadLength`); bytes after
//! them are ignored.

use super::checked_value;
use super::list::{WireItem, WireList};
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Error, Result};

/// A Gap Ack Block: TSNs from `cum_tsn_ack + start` to `cum_tsn_ack + end` (inclusive) were
/// received. Also the NR Gap Ack Block of NR-SACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GapAckBlock {
    pub start: u16,
    pub end: u16,
}

impl GapAckBlock {
    pub fn new(start: u16, end: u16) -> Self {
        GapAckBlock { start, end }
    }
}

impl WireItem for GapAckBlock {
    const LEN: usize = 4;

    fn read(b: &[u8]) -> Self {
        GapAckBlock {
            start: be16(b, 0),
            end: be16(b, 2),
        }
    }

    fn write(&self, b: &mut [u8]) {
        put16(b, 0, self.start);
        put16(b, 2, self.end);
    }
}

/// A SACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SackChunk<'a> {
    pub cum_tsn_ack: Tsn,
    /// Advertised receiver window credit in bytes.
    pub a_rwnd: u32,
    pub gap_ack_blocks: WireList<'a, GapAckBlock>,
    pub duplicate_tsns: WireList<'a, Tsn>,
}

impl<'a> SackChunk<'a> {
    pub const TYPE: u8 = 3;
    /// Length of the chunk without blocks and duplicate TSNs.
    pub const FIXED_LEN: usize = 16;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, Self::FIXED_LEN - 4)?;
        let gaps = be16(value, 8) as usize;
        let dups = be16(value, 10) as usize;
        let rest = &value[12..];
        let (gap_ack_blocks, rest) = WireList::split(rest, gaps).ok_or(Error::BadLength)?;
        let (duplicate_tsns, _) = WireList::split(rest, dups).ok_or(Error::BadLength)?;
        Ok(SackChunk {
            cum_tsn_ack: Tsn(be32(value, 0)),
            a_rwnd: be32(value, 4),
            gap_ack_blocks,
            duplicate_tsns,
        })
    }

    fn len(&self) -> usize {
        Self::FIXED_LEN + self.gap_ack_blocks.byte_len() + self.duplicate_tsns.byte_len()
    }

    pub fn buffer_len(&self) -> usize {
        padded(self.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let gaps = u16::try_from(self.gap_ack_blocks.len()).map_err(|_| Error::BadLength)?;
        let dups = u16::try_from(self.duplicate_tsns.len()).map_err(|_| Error::BadLength)?;
        let total = put_chunk_header(buf, Self::TYPE, 0, self.len())?;
        put32(buf, 4, self.cum_tsn_ack.0);
        put32(buf, 8, self.a_rwnd);
        put16(buf, 12, gaps);
        put16(buf, 14, dups);
        let at = Self::FIXED_LEN;
        self.gap_ack_blocks.write(&mut buf[at..]);
        let at = at + self.gap_ack_blocks.byte_len();
        self.duplicate_tsns.write(&mut buf[at..]);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};

    /// A SACK from libusrsctp acknowledging up to TSN 0xd45ee95a with one gap block and one
    /// duplicate.
    const SACK: [u8; 24] = [
        0x03, 0x00, 0x00, 0x18, 0xd4, 0x5e, 0xe9, 0x5a, 0x00, 0x1c, 0x5f, 0xeb, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x02, 0x00, 0x03, 0xd4, 0x5e, 0xe9, 0x59,
    ];

    /// The plain SACK of a WebRTC data channel.
    const SIMPLE: [u8; 16] = [
        0x03, 0x00, 0x00, 0x10, 0xe3, 0x84, 0x4d, 0x0c, 0x00, 0x1c, 0x70, 0xbf, 0x00, 0x00, 0x00,
        0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = SackChunk::parse(&raw(&SACK)).unwrap();
        assert_eq!(c.cum_tsn_ack, Tsn(0xd45e_e95a));
        assert_eq!(c.a_rwnd, 0x001c_5feb);
        assert_eq!(
            c.gap_ack_blocks.iter().collect::<Vec<_>>(),
            [GapAckBlock::new(2, 3)]
        );
        assert_eq!(
            c.duplicate_tsns.iter().collect::<Vec<_>>(),
            [Tsn(0xd45e_e959)]
        );
        round_trip(&SACK);
        let s = SackChunk::parse(&raw(&SIMPLE)).unwrap();
        assert_eq!(s.cum_tsn_ack, Tsn(0xe384_4d0c));
        assert!(s.gap_ack_blocks.is_empty() && s.duplicate_tsns.is_empty());
        round_trip(&SIMPLE);
    }

    #[test]
    fn build_then_parse() {
        let gaps = [GapAckBlock::new(2, 2), GapAckBlock::new(4, 9)];
        let dups = [Tsn(1)];
        let c = SackChunk {
            cum_tsn_ack: Tsn(100),
            a_rwnd: 4096,
            gap_ack_blocks: WireList::Items(&gaps),
            duplicate_tsns: WireList::Items(&dups),
        };
        let mut buf = [0u8; 28];
        assert_eq!(c.emit(&mut buf), Ok(28));
        assert_eq!(SackChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..27]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        let mut bad = SACK;
        bad[15] = 2; // two duplicates announced, one present
        assert_eq!(SackChunk::parse(&raw(&bad)), Err(Error::BadLength));
        let short = [3, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 1];
        assert_eq!(SackChunk::parse(&raw(&short)), Err(Error::BadLength));
        let mut other = SIMPLE;
        other[0] = 16;
        assert_eq!(SackChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
