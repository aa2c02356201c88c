//! FORWARD TSN chunk (RFC 3758 §3.2): the new cumulative TSN and, for each ordered stream with
//! abandoned messages, the largest stream sequence number skipped.
//!
//! ```text
//! |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
//! |                      New Cumulative TSN                       |
//! |         Stream-1              |       Stream Sequence-1       |
//! \                              ...                              /
//! ```

use super::checked_value;
use super::list::{WireItem, WireList};
use crate::types::{Ssn, StreamId, Tsn};
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, be32, padded, put16, put32, Error, Result};

/// One stream entry of FORWARD TSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ForwardTsnStream {
    pub stream_id: StreamId,
    /// The largest SSN of the stream that was skipped.
    pub ssn: Ssn,
}

impl WireItem for ForwardTsnStream {
    const LEN: usize = 4;

    fn read(b: &[u8]) -> Self {
        ForwardTsnStream {
            stream_id: StreamId(be16(b, 0)),
            ssn: Ssn(be16(b, 2)),
        }
    }

    fn write(&self, b: &mut [u8]) {
        put16(b, 0, self.stream_id.0);
        put16(b, 2, self.ssn.0);
    }
}

/// A FORWARD TSN chunk. A value that is not a whole number of stream entries is `BadLength`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardTsnChunk<'a> {
    pub new_cum_tsn: Tsn,
    pub streams: WireList<'a, ForwardTsnStream>,
}

impl<'a> ForwardTsnChunk<'a> {
    pub const TYPE: u8 = 192;
    /// Length of the chunk without stream entries.
    pub const FIXED_LEN: usize = 8;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        let entries = &value[4..];
        if entries.len() % ForwardTsnStream::LEN != 0 {
            return Err(Error::BadLength);
        }
        Ok(ForwardTsnChunk {
            new_cum_tsn: Tsn(be32(value, 0)),
            streams: WireList::Wire(entries),
        })
    }

    pub fn buffer_len(&self) -> usize {
        padded(Self::FIXED_LEN + self.streams.byte_len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = Self::FIXED_LEN + self.streams.byte_len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        put32(buf, 4, self.new_cum_tsn.0);
        self.streams.write(&mut buf[Self::FIXED_LEN..]);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};

    /// FORWARD TSN to 0xe3844d0e skipping SSN 3 on stream 1 and SSN 0 on stream 2.
    const FWD: [u8; 16] = [
        0xc0, 0x00, 0x00, 0x10, 0xe3, 0x84, 0x4d, 0x0e, 0x00, 0x01, 0x00, 0x03, 0x00, 0x02, 0x00,
        0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = ForwardTsnChunk::parse(&raw(&FWD)).unwrap();
        assert_eq!(c.new_cum_tsn, Tsn(0xe384_4d0e));
        let s: Vec<_> = c.streams.iter().collect();
        assert_eq!(
            s,
            [
                ForwardTsnStream {
                    stream_id: StreamId(1),
                    ssn: Ssn(3)
                },
                ForwardTsnStream {
                    stream_id: StreamId(2),
                    ssn: Ssn(0)
                }
            ]
        );
        round_trip(&FWD);
        round_trip(&[0xc0, 0, 0, 8, 0, 0, 0, 1]);
    }

    #[test]
    fn build_then_parse() {
        let streams = [ForwardTsnStream {
            stream_id: StreamId(9),
            ssn: Ssn(65535),
        }];
        let c = ForwardTsnChunk {
            new_cum_tsn: Tsn(3),
            streams: WireList::Items(&streams),
        };
        let mut buf = [0u8; 12];
        assert_eq!(c.emit(&mut buf), Ok(12));
        assert_eq!(ForwardTsnChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..11]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(
            ForwardTsnChunk::parse(&raw(&[0xc0, 0, 0, 10, 0, 0, 0, 1, 0, 1, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            ForwardTsnChunk::parse(&raw(&[0xc0, 0, 0, 4])),
            Err(Error::BadLength)
        );
        let mut other = FWD;
        other[0] = 0xc2;
        assert_eq!(ForwardTsnChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
