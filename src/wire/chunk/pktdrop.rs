//! PKTDROP chunk (draft-stewart-sctp-pktdrprep, type 0x81), in the layout libusrsctp uses:
//!
//! ```text
//! |   Type = 0x81 |  Res    |T|B|M|          Chunk Length         |
//! |                      Bottleneck Bandwidth                     |
//! |                      Current Queue Size                       |
//! |       Truncated Length        |           Reserved            |
//! \                 Dropped packet (or its first bytes)           \
//! ```
//!
//! M: sent by a middle box, B: the packet was dropped for a bad CRC, T: the dropped packet is
//! truncated (and `truncated_length` says how long it was).

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Result};

mod flags {
    pub const MIDDLE_BOX: u8 = 0x01;
    pub const BAD_CRC: u8 = 0x02;
    pub const TRUNCATED: u8 = 0x04;
}

/// A PKTDROP chunk borrowing the dropped packet's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PktDropChunk<'a> {
    /// M bit: reported by a middle box rather than the peer.
    pub from_middle_box: bool,
    /// B bit: the packet failed the checksum.
    pub bad_crc: bool,
    /// T bit: `dropped` holds only the start of the packet.
    pub truncated: bool,
    pub bottleneck_bandwidth: u32,
    pub current_queue_size: u32,
    /// Original length of the dropped packet when truncated.
    pub truncated_length: u16,
    /// The dropped packet, from its common header on.
    pub dropped: &'a [u8],
}

impl<'a> PktDropChunk<'a> {
    pub const TYPE: u8 = 0x81;
    /// Length of the chunk without the dropped packet.
    pub const FIXED_LEN: usize = 16;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, Self::FIXED_LEN - 4)?;
        Ok(PktDropChunk {
            from_middle_box: raw.flags & flags::MIDDLE_BOX != 0,
            bad_crc: raw.flags & flags::BAD_CRC != 0,
            truncated: raw.flags & flags::TRUNCATED != 0,
            bottleneck_bandwidth: be32(value, 0),
            current_queue_size: be32(value, 4),
            truncated_length: be16(value, 8),
            dropped: &value[12..],
        })
    }

    pub fn buffer_len(&self) -> usize {
        padded(Self::FIXED_LEN + self.dropped.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let mut f = 0;
        if self.from_middle_box {
            f |= flags::MIDDLE_BOX;
        }
        if self.bad_crc {
            f |= flags::BAD_CRC;
        }
        if self.truncated {
            f |= flags::TRUNCATED;
        }
        let len = Self::FIXED_LEN + self.dropped.len();
        let total = put_chunk_header(buf, Self::TYPE, f, len)?;
        put32(buf, 4, self.bottleneck_bandwidth);
        put32(buf, 8, self.current_queue_size);
        put16(buf, 12, self.truncated_length);
        put16(buf, 14, 0);
        buf[Self::FIXED_LEN..len].copy_from_slice(self.dropped);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A PKTDROP reporting a packet with a bad CRC, truncated from 1200 bytes to its header and
    /// the start of a DATA chunk.
    const PKTDROP: [u8; 40] = [
        0x81, 0x06, 0x00, 0x28, 0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x10, 0x00, 0x04, 0xb0, 0x00,
        0x00, 0x13, 0x88, 0x13, 0x88, 0x8e, 0xe5, 0xd7, 0x2e, 0x12, 0x34, 0x56, 0x78, 0x00, 0x03,
        0x04, 0x94, 0xe3, 0x84, 0x4d, 0x0e, 0x00, 0x01, 0x00, 0x05,
    ];

    #[test]
    fn parse_capture() {
        let c = PktDropChunk::parse(&raw(&PKTDROP)).unwrap();
        assert!(!c.from_middle_box && c.bad_crc && c.truncated);
        assert_eq!(c.bottleneck_bandwidth, 100_000);
        assert_eq!(c.current_queue_size, 4096);
        assert_eq!(c.truncated_length, 1200);
        assert_eq!(c.dropped.len(), 24);
        assert_eq!(&c.dropped[..4], &[0x13, 0x88, 0x13, 0x88]);
        round_trip(&PKTDROP);
    }

    #[test]
    fn build_then_parse() {
        let c = PktDropChunk {
            from_middle_box: true,
            bad_crc: false,
            truncated: false,
            bottleneck_bandwidth: 1,
            current_queue_size: 2,
            truncated_length: 0,
            dropped: &[1, 2, 3, 4, 5],
        };
        let mut buf = [0u8; 24];
        assert_eq!(c.emit(&mut buf), Ok(24));
        assert_eq!(buf[1], 1);
        assert_eq!(PktDropChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            PktDropChunk::parse(&raw(&[0x81, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        let mut other = PKTDROP;
        other[0] = 0x80;
        assert_eq!(PktDropChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
