//! DATA chunk (RFC 9260 §3.3.1), with the I bit of RFC 7053.
//!
//! ```text
//!  0                   1                   2                   3
//! |   Type = 0    |  Res  |I|U|B|E|            Length             |
//! |                              TSN                              |
//! |    Stream Identifier S        |   Stream Sequence Number n    |
//! |                  Payload Protocol Identifier                  |
//! |                 User Data (seq n of Stream S)                 |
//! ```

use super::{checked_value, CHUNK_HEADER_LEN};
use crate::types::{Ppid, Ssn, StreamId, Tsn};
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Result};

mod field {
    pub const TSN: usize = 4;
    pub const STREAM: usize = 8;
    pub const SSN: usize = 10;
    pub const PPID: usize = 12;
    pub const PAYLOAD: usize = 16;
}

/// Flag bits of DATA and I-DATA (RFC 9260 §3.3.1, RFC 7053 §3, RFC 8260 §2.1).
pub(crate) mod flags {
    pub const ENDING: u8 = 0x01;
    pub const BEGINNING: u8 = 0x02;
    pub const UNORDERED: u8 = 0x04;
    pub const IMMEDIATE: u8 = 0x08;
}

/// Packs the four flag bits shared by DATA and I-DATA.
pub(crate) fn data_flags(unordered: bool, beginning: bool, ending: bool, immediate: bool) -> u8 {
    let mut f = 0;
    if ending {
        f |= flags::ENDING;
    }
    if beginning {
        f |= flags::BEGINNING;
    }
    if unordered {
        f |= flags::UNORDERED;
    }
    if immediate {
        f |= flags::IMMEDIATE;
    }
    f
}

/// A DATA chunk borrowing its user data from the packet.
///
/// A DATA chunk without user data parses successfully with an empty `payload`: RFC 9260 §6.2
/// has the receiver answer it with an ABORT carrying a "No User Data" cause, which is the
/// association's decision, not the parser's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataChunk<'a> {
    pub tsn: Tsn,
    pub stream_id: StreamId,
    pub ssn: Ssn,
    pub ppid: Ppid,
    /// U bit: deliver without regard to the stream sequence number.
    pub unordered: bool,
    /// B bit: first fragment of a user message.
    pub beginning: bool,
    /// E bit: last fragment of a user message.
    pub ending: bool,
    /// I bit (RFC 7053): the receiver should send its SACK without delay.
    pub immediate: bool,
    pub payload: &'a [u8],
}

impl<'a> DataChunk<'a> {
    pub const TYPE: u8 = 0;
    /// Length of the chunk without user data.
    pub const HEADER_LEN: usize = field::PAYLOAD;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, field::PAYLOAD - CHUNK_HEADER_LEN)?;
        let b = raw.bytes;
        Ok(DataChunk {
            tsn: Tsn(be32(b, field::TSN)),
            stream_id: StreamId(be16(b, field::STREAM)),
            ssn: Ssn(be16(b, field::SSN)),
            ppid: Ppid(be32(b, field::PPID)),
            unordered: raw.flags & flags::UNORDERED != 0,
            beginning: raw.flags & flags::BEGINNING != 0,
            ending: raw.flags & flags::ENDING != 0,
            immediate: raw.flags & flags::IMMEDIATE != 0,
            payload: &value[field::PAYLOAD - CHUNK_HEADER_LEN..],
        })
    }

    fn flags(&self) -> u8 {
        data_flags(self.unordered, self.beginning, self.ending, self.immediate)
    }

    pub fn buffer_len(&self) -> usize {
        padded(field::PAYLOAD + self.payload.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = field::PAYLOAD + self.payload.len();
        let total = put_chunk_header(buf, Self::TYPE, self.flags(), len)?;
        put32(buf, field::TSN, self.tsn.0);
        put16(buf, field::STREAM, self.stream_id.0);
        put16(buf, field::SSN, self.ssn.0);
        put32(buf, field::PPID, self.ppid.0);
        buf[field::PAYLOAD..len].copy_from_slice(self.payload);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A WebRTC data channel message "Hallo Channel!" (PPID 51, WebRTC String), as sent by
    /// libusrsctp on stream 1.
    const HALLO: [u8; 32] = [
        0x00, 0x07, 0x00, 0x1e, 0xe3, 0x84, 0x4d, 0x0e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x33, b'H', b'a', b'l', b'l', b'o', b' ', b'C', b'h', b'a', b'n', b'n', b'e', b'l', b'!',
        0x00, 0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = DataChunk::parse(&raw(&HALLO)).unwrap();
        assert_eq!(c.tsn, Tsn(0xe384_4d0e));
        assert_eq!(c.stream_id, StreamId(1));
        assert_eq!(c.ssn, Ssn(0));
        assert_eq!(c.ppid, Ppid(51));
        assert!(c.beginning && c.ending && c.unordered && !c.immediate);
        assert_eq!(c.payload, b"Hallo Channel!");
        assert_eq!(c.buffer_len(), 32);
        round_trip(&HALLO);
    }

    #[test]
    fn build_then_parse() {
        let c = DataChunk {
            tsn: Tsn(7),
            stream_id: StreamId(3),
            ssn: Ssn(65535),
            ppid: Ppid(53),
            unordered: false,
            beginning: true,
            ending: false,
            immediate: true,
            payload: &[1, 2, 3],
        };
        let mut buf = [0xffu8; 20];
        assert_eq!(c.emit(&mut buf), Ok(20));
        assert_eq!(&buf[..4], &[0, 0x0a, 0, 19]);
        assert_eq!(buf[19], 0);
        assert_eq!(DataChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut [0; 19]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn empty_payload_is_parsed() {
        let bytes = [0, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        let c = DataChunk::parse(&raw(&bytes)).unwrap();
        assert!(c.payload.is_empty());
    }

    #[test]
    fn errors() {
        assert_eq!(
            DataChunk::parse(&raw(&[0, 3, 0, 15, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        let mut other = HALLO;
        other[0] = 64;
        assert_eq!(DataChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
