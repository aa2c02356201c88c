//! NR-SACK chunk (Non-Renegable SACK, draft-natarajan-tsvwg-sctp-nrsack), in the layout
//! libusrsctp sends and accepts:
//!
//! ```text
//! |  Type = 16    | Chunk Flags   |        Chunk Length           |
//! |                      Cumulative TSN Ack                       |
//! |          Advertised Receiver Window Credit (a_rwnd)           |
//! | Number of Gap Ack Blocks = N  | Number of NR Gap Ack Blocks=M |
//! | Number of Duplicate TSNs = X  |           Reserved            |
//! |  Gap Ack Blocks (N x 4 bytes), NR Gap Ack Blocks (M x 4 bytes) |
//! |  Duplicate TSNs (X x 4 bytes)                                  |
//! ```
//!
//! The chunk flags and the reserved field are ignored on input and sent as zero.

use super::checked_value;
use super::list::WireList;
use super::sack::GapAckBlock;
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Error, Result};

/// An NR-SACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NrSackChunk<'a> {
    pub cum_tsn_ack: Tsn,
    /// Advertised receiver window credit in bytes.
    pub a_rwnd: u32,
    /// Renegable gap blocks, as in SACK.
    pub gap_ack_blocks: WireList<'a, GapAckBlock>,
    /// Blocks of TSNs the receiver will not renege on (offsets from the cumulative TSN ack).
    pub nr_gap_ack_blocks: WireList<'a, GapAckBlock>,
    pub duplicate_tsns: WireList<'a, Tsn>,
}

impl<'a> NrSackChunk<'a> {
    pub const TYPE: u8 = 16;
    /// Length of the chunk without blocks and duplicate TSNs.
    pub const FIXED_LEN: usize = 20;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, Self::FIXED_LEN - 4)?;
        let gaps = be16(value, 8) as usize;
        let nr_gaps = be16(value, 10) as usize;
        let dups = be16(value, 12) as usize;
        let rest = &value[16..];
        let (gap_ack_blocks, rest) = WireList::split(rest, gaps).ok_or(Error::BadLength)?;
        let (nr_gap_ack_blocks, rest) = WireList::split(rest, nr_gaps).ok_or(Error::BadLength)?;
        let (duplicate_tsns, _) = WireList::split(rest, dups).ok_or(Error::BadLength)?;
        Ok(NrSackChunk {
            cum_tsn_ack: Tsn(be32(value, 0)),
            a_rwnd: be32(value, 4),
            gap_ack_blocks,
            nr_gap_ack_blocks,
            duplicate_tsns,
        })
    }

    fn len(&self) -> usize {
        Self::FIXED_LEN
            + self.gap_ack_blocks.byte_len()
            + self.nr_gap_ack_blocks.byte_len()
            + self.duplicate_tsns.byte_len()
    }

    pub fn buffer_len(&self) -> usize {
        padded(self.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let count = |n: usize| u16::try_from(n).map_err(|_| Error::BadLength);
        let gaps = count(self.gap_ack_blocks.len())?;
        let nr_gaps = count(self.nr_gap_ack_blocks.len())?;
        let dups = count(self.duplicate_tsns.len())?;
        let total = put_chunk_header(buf, Self::TYPE, 0, self.len())?;
        put32(buf, 4, self.cum_tsn_ack.0);
        put32(buf, 8, self.a_rwnd);
        put16(buf, 12, gaps);
        put16(buf, 14, nr_gaps);
        put16(buf, 16, dups);
        put16(buf, 18, 0);
        let mut at = Self::FIXED_LEN;
        self.gap_ack_blocks.write(&mut buf[at..]);
        at += self.gap_ack_blocks.byte_len();
        self.nr_gap_ack_blocks.write(&mut buf[at..]);
        at += self.nr_gap_ack_blocks.byte_len();
        self.duplicate_tsns.write(&mut buf[at..]);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};

    /// An NR-SACK from libusrsctp: one gap block, one NR gap block, one duplicate.
    const NR_SACK: [u8; 32] = [
        0x10, 0x00, 0x00, 0x20, 0xd4, 0x5e, 0xe9, 0x5a, 0x00, 0x01, 0xfe, 0xfb, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x04, 0x00, 0x05, 0xd4, 0x5e,
        0xe9, 0x58,
    ];

    #[test]
    fn parse_capture() {
        let c = NrSackChunk::parse(&raw(&NR_SACK)).unwrap();
        assert_eq!(c.cum_tsn_ack, Tsn(0xd45e_e95a));
        assert_eq!(c.a_rwnd, 0x0001_fefb);
        assert_eq!(
            c.gap_ack_blocks.iter().collect::<Vec<_>>(),
            [GapAckBlock::new(2, 2)]
        );
        assert_eq!(
            c.nr_gap_ack_blocks.iter().collect::<Vec<_>>(),
            [GapAckBlock::new(4, 5)]
        );
        assert_eq!(
            c.duplicate_tsns.iter().collect::<Vec<_>>(),
            [Tsn(0xd45e_e958)]
        );
        round_trip(&NR_SACK);
    }

    #[test]
    fn build_then_parse() {
        let nr = [GapAckBlock::new(1, 1), GapAckBlock::new(3, 7)];
        let c = NrSackChunk {
            cum_tsn_ack: Tsn(1),
            a_rwnd: 2,
            gap_ack_blocks: WireList::EMPTY,
            nr_gap_ack_blocks: WireList::Items(&nr),
            duplicate_tsns: WireList::EMPTY,
        };
        let mut buf = [0u8; 28];
        assert_eq!(c.emit(&mut buf), Ok(28));
        assert_eq!(NrSackChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..27]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        let mut bad = NR_SACK;
        bad[15] = 2; // two NR blocks announced: the duplicate no longer fits
        assert_eq!(NrSackChunk::parse(&raw(&bad)), Err(Error::BadLength));
        let short = [16, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(NrSackChunk::parse(&raw(&short)), Err(Error::BadLength));
        let mut sack = NR_SACK;
        sack[0] = 3;
        assert_eq!(NrSackChunk::parse(&raw(&sack)), Err(Error::WrongType));
    }
}
