//! I-DATA chunk (RFC 8260 §2.1), with the I bit of RFC 7053.
//!
//! ```text
//! |   Type = 64   |  Res  |I|U|B|E|       Length = Variable       |
//! |                              TSN                              |
//! |        Stream Identifier      |           Reserved            |
//! |                      Message Identifier                       |
//! |    Payload Protocol Identifier / Fragment Sequence Number     |
//! \                           User Data                           /
//! ```
//!
//! The fourth word is the PPID in the first fragment (B bit set), whose FSN is implicitly 0,
//! and the FSN in every later fragment.

use super::checked_value;
use super::data::{data_flags, flags};
use crate::types::{Mid, Ppid, StreamId, Tsn};
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Result};

mod field {
    pub const TSN: usize = 4;
    pub const STREAM: usize = 8;
    pub const RESERVED: usize = 10;
    pub const MID: usize = 12;
    pub const PPID_OR_FSN: usize = 16;
    pub const PAYLOAD: usize = 20;
}

/// An I-DATA chunk borrowing its user data from the packet.
///
/// When `beginning` is set, `ppid` holds the wire value and `fsn` is 0; otherwise `fsn` holds
/// the wire value and `ppid` is `Ppid(0)`. `emit` writes `ppid` or `fsn` by the same rule. As
/// with DATA, an empty payload parses and is left to the association.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IDataChunk<'a> {
    pub tsn: Tsn,
    pub stream_id: StreamId,
    pub mid: Mid,
    /// Payload protocol identifier; meaningful only in the first fragment.
    pub ppid: Ppid,
    /// Fragment sequence number; 0 in the first fragment.
    pub fsn: u32,
    pub unordered: bool,
    pub beginning: bool,
    pub ending: bool,
    /// I bit (RFC 7053).
    pub immediate: bool,
    pub payload: &'a [u8],
}

impl<'a> IDataChunk<'a> {
    pub const TYPE: u8 = 64;
    /// Length of the chunk without user data.
    pub const HEADER_LEN: usize = field::PAYLOAD;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        checked_value(raw, Self::TYPE, field::PAYLOAD - 4)?;
        let b = raw.bytes;
        let beginning = raw.flags & flags::BEGINNING != 0;
        let word = be32(b, field::PPID_OR_FSN);
        let (ppid, fsn) = if beginning {
            (Ppid(word), 0)
        } else {
            (Ppid(0), word)
        };
        Ok(IDataChunk {
            tsn: Tsn(be32(b, field::TSN)),
            stream_id: StreamId(be16(b, field::STREAM)),
            mid: Mid(be32(b, field::MID)),
            ppid,
            fsn,
            unordered: raw.flags & flags::UNORDERED != 0,
            beginning,
            ending: raw.flags & flags::ENDING != 0,
            immediate: raw.flags & flags::IMMEDIATE != 0,
            payload: &b[field::PAYLOAD..],
        })
    }

    pub fn buffer_len(&self) -> usize {
        padded(field::PAYLOAD + self.payload.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = field::PAYLOAD + self.payload.len();
        let f = data_flags(self.unordered, self.beginning, self.ending, self.immediate);
        let total = put_chunk_header(buf, Self::TYPE, f, len)?;
        put32(buf, field::TSN, self.tsn.0);
        put16(buf, field::STREAM, self.stream_id.0);
        put16(buf, field::RESERVED, 0);
        put32(buf, field::MID, self.mid.0);
        let word = if self.beginning {
            self.ppid.0
        } else {
            self.fsn
        };
        put32(buf, field::PPID_OR_FSN, word);
        buf[field::PAYLOAD..len].copy_from_slice(self.payload);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// The first fragment of message 5 on stream 1, PPID 51 (WebRTC String), "Hello".
    const FIRST: [u8; 28] = [
        0x40, 0x02, 0x00, 0x19, 0x90, 0x53, 0x31, 0xf5, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x05, 0x00, 0x00, 0x00, 0x33, b'H', b'e', b'l', b'l', b'o', 0x00, 0x00, 0x00,
    ];
    /// The last fragment (FSN 2) of an unordered message 0, as tsctp sends with I-DATA.
    const LAST: [u8; 24] = [
        0x40, 0x05, 0x00, 0x18, 0x90, 0x53, 0x31, 0xf7, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x02, 0x41, 0x41, 0x41, 0x41,
    ];

    #[test]
    fn parse_capture() {
        let c = IDataChunk::parse(&raw(&FIRST)).unwrap();
        assert_eq!(c.tsn, Tsn(0x9053_31f5));
        assert_eq!(c.stream_id, StreamId(1));
        assert_eq!(c.mid, Mid(5));
        assert_eq!(c.ppid, Ppid(51));
        assert_eq!(c.fsn, 0);
        assert!(c.beginning && !c.ending && !c.unordered && !c.immediate);
        assert_eq!(c.payload, b"Hello");
        round_trip(&FIRST);
        let l = IDataChunk::parse(&raw(&LAST)).unwrap();
        assert_eq!(l.fsn, 2);
        assert_eq!(l.ppid, Ppid(0));
        assert!(l.ending && l.unordered && !l.beginning);
        assert_eq!(l.payload, b"AAAA");
        round_trip(&LAST);
    }

    #[test]
    fn build_then_parse() {
        let c = IDataChunk {
            tsn: Tsn(1),
            stream_id: StreamId(2),
            mid: Mid(3),
            ppid: Ppid(0),
            fsn: 4,
            unordered: false,
            beginning: false,
            ending: false,
            immediate: true,
            payload: &[9; 3],
        };
        let mut buf = [0u8; 24];
        assert_eq!(c.emit(&mut buf), Ok(24));
        assert_eq!(buf[1], 0x08);
        assert_eq!(IDataChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let short = [64, 3, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(IDataChunk::parse(&raw(&short)), Err(Error::BadLength));
        let mut data = LAST;
        data[0] = 0;
        assert_eq!(IDataChunk::parse(&raw(&data)), Err(Error::WrongType));
    }
}
