//! FORWARD TSN chunk (RFC 3758 §3.2): the new cumulative TSN and, for each ordered stream with
//! abandoned messages, the largest stream sequence number skipped.
//!
//! I-FORWARD-TSN (RFC 8260 §2.3.1) has the same framing with larger entries and reuses the
//! definition through the `forward_tsn_like!` macro.
//!
//! ```text
//! |   Type = 192  |  Flags = 0x00 |        Length = Variable      |
//! |                      New Cumulative TSN                       |
//! |         Stream-1              |       Stream Sequence-1       |
//! \                              ...                              /
//! ```

use super::list::WireItem;
use crate::types::{Ssn, StreamId};
use crate::wire::{be16, put16};

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

/// Defines a FORWARD-TSN-shaped chunk struct named `$name` with chunk type `$ty`: the new
/// cumulative TSN, then a list of `$entry` stream entries (FORWARD TSN, and I-FORWARD-TSN of
/// RFC 8260 §2.3.1 with its larger entries). A value that is not a whole number of entries is
/// `BadLength`.
macro_rules! forward_tsn_like {
    ($(#[$doc:meta])* $name:ident = $ty:expr, $entry:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            pub new_cum_tsn: $crate::types::Tsn,
            pub streams: $crate::wire::chunk::WireList<'a, $entry>,
        }

        impl<'a> $name<'a> {
            pub const TYPE: u8 = $ty;
            /// Length of the chunk without stream entries.
            pub const FIXED_LEN: usize = 8;

            pub fn parse(raw: &$crate::wire::tlv::RawChunk<'a>) -> $crate::wire::Result<Self> {
                use $crate::wire::chunk::WireItem;
                let value = $crate::wire::chunk::checked_value(raw, Self::TYPE, 4)?;
                let entries = &value[4..];
                if entries.len() % <$entry>::LEN != 0 {
                    return Err($crate::wire::Error::BadLength);
                }
                Ok($name {
                    new_cum_tsn: $crate::types::Tsn($crate::wire::be32(value, 0)),
                    streams: $crate::wire::chunk::WireList::Wire(entries),
                })
            }

            pub fn buffer_len(&self) -> usize {
                $crate::wire::padded(Self::FIXED_LEN + self.streams.byte_len())
            }

            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                let len = Self::FIXED_LEN + self.streams.byte_len();
                let total = $crate::wire::tlv::put_chunk_header(buf, Self::TYPE, 0, len)?;
                $crate::wire::put32(buf, 4, self.new_cum_tsn.0);
                self.streams.write(&mut buf[Self::FIXED_LEN..]);
                Ok(total)
            }
        }
    };
}

pub(crate) use forward_tsn_like;

forward_tsn_like!(
    /// A FORWARD TSN chunk.
    ForwardTsnChunk = 192,
    ForwardTsnStream
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Tsn;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::chunk::WireList;
    use crate::wire::Error;

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
