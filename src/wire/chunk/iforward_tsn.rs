//! I-FORWARD-TSN chunk (RFC 8260 §2.3.1).
//!
//! ```text
//! |   Type = 194  |  Flags = 0x00 |      Length = Variable        |
//! |                       New Cumulative TSN                      |
//! |       Stream Identifier       |          Reserved           |U|
//! |                       Message Identifier                      |
//! \                              ...                              \
//! ```

use super::forward_tsn::forward_tsn_like;
use super::list::WireItem;
use crate::types::{Mid, StreamId};
use crate::wire::{be16, be32, put16, put32};

/// One stream entry of I-FORWARD-TSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IForwardTsnStream {
    pub stream_id: StreamId,
    /// U bit: the entry is about unordered messages.
    pub unordered: bool,
    /// The largest MID of the stream that was skipped.
    pub mid: Mid,
}

impl WireItem for IForwardTsnStream {
    const LEN: usize = 8;

    fn read(b: &[u8]) -> Self {
        IForwardTsnStream {
            stream_id: StreamId(be16(b, 0)),
            unordered: be16(b, 2) & 1 != 0,
            mid: Mid(be32(b, 4)),
        }
    }

    fn write(&self, b: &mut [u8]) {
        put16(b, 0, self.stream_id.0);
        put16(b, 2, u16::from(self.unordered));
        put32(b, 4, self.mid.0);
    }
}

forward_tsn_like!(
    /// An I-FORWARD-TSN chunk.
    IForwardTsnChunk = 194,
    IForwardTsnStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Tsn;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::chunk::WireList;
    use crate::wire::Error;

    /// I-FORWARD-TSN to 0x905331f9 skipping ordered MID 4 on stream 0 and unordered MID 7 on
    /// stream 3.
    const IFWD: [u8; 24] = [
        0xc2, 0x00, 0x00, 0x18, 0x90, 0x53, 0x31, 0xf9, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x04, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07,
    ];

    #[test]
    fn parse_capture() {
        let c = IForwardTsnChunk::parse(&raw(&IFWD)).unwrap();
        assert_eq!(c.new_cum_tsn, Tsn(0x9053_31f9));
        let s: Vec<_> = c.streams.iter().collect();
        assert_eq!(
            s,
            [
                IForwardTsnStream {
                    stream_id: StreamId(0),
                    unordered: false,
                    mid: Mid(4)
                },
                IForwardTsnStream {
                    stream_id: StreamId(3),
                    unordered: true,
                    mid: Mid(7)
                }
            ]
        );
        round_trip(&IFWD);
    }

    #[test]
    fn build_then_parse() {
        let streams = [IForwardTsnStream {
            stream_id: StreamId(1),
            unordered: true,
            mid: Mid(u32::MAX),
        }];
        let c = IForwardTsnChunk {
            new_cum_tsn: Tsn(3),
            streams: WireList::Items(&streams),
        };
        let mut buf = [0u8; 16];
        assert_eq!(c.emit(&mut buf), Ok(16));
        assert_eq!(IForwardTsnChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let mut odd = IFWD;
        odd[3] = 0x14; // half an entry
        assert_eq!(
            IForwardTsnChunk::parse(&raw(&odd[..20])),
            Err(Error::BadLength)
        );
        let mut other = IFWD;
        other[0] = 0xc0;
        assert_eq!(IForwardTsnChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
