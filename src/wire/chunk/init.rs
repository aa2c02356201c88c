//! INIT chunk (RFC 9260 §3.3.2). INIT ACK (§3.3.3) has the same layout and reuses the
//! definition through the `init_like!` macro.
//!
//! ```text
//! |   Type = 1    |  Chunk Flags  |      Chunk Length             |
//! |                         Initiate Tag                          |
//! |           Advertised Receiver Window Credit (a_rwnd)          |
//! |  Number of Outbound Streams   |  Number of Inbound Streams    |
//! |                          Initial TSN                          |
//! \              Optional/Variable-Length Parameters              \
//! ```
//!
//! The parser accepts an Initiate Tag of 0 and stream counts of 0: RFC 9260 says what the
//! receiver does about them (discard, or abort with an "Invalid Mandatory Parameter" cause as
//! libusrsctp does), and that choice belongs to the association, which needs the rest of the
//! chunk to make it.

/// Defines an INIT-shaped chunk struct named `$name` with chunk type `$ty`.
macro_rules! init_like {
    ($(#[$doc:meta])* $name:ident, $ty:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            pub initiate_tag: $crate::types::VerificationTag,
            /// Advertised receiver window credit in bytes.
            pub a_rwnd: u32,
            pub outbound_streams: u16,
            pub inbound_streams: u16,
            pub initial_tsn: $crate::types::Tsn,
            /// The optional and variable-length parameters, as received (internal padding
            /// included, trailing padding of the chunk excluded).
            pub params: &'a [u8],
        }

        impl<'a> $name<'a> {
            pub const TYPE: u8 = $ty;
            /// Length of the chunk without parameters.
            pub const FIXED_LEN: usize = 20;

            pub fn parse(raw: &$crate::wire::tlv::RawChunk<'a>) -> $crate::wire::Result<Self> {
                use $crate::wire::{be16, be32};
                let value = $crate::wire::chunk::checked_value(raw, Self::TYPE, 16)?;
                Ok($name {
                    initiate_tag: $crate::types::VerificationTag(be32(value, 0)),
                    a_rwnd: be32(value, 4),
                    outbound_streams: be16(value, 8),
                    inbound_streams: be16(value, 10),
                    initial_tsn: $crate::types::Tsn(be32(value, 12)),
                    params: &value[16..],
                })
            }

            /// The parameters, one TLV at a time.
            pub fn params(&self) -> $crate::wire::tlv::ParamIter<'a> {
                $crate::wire::tlv::ParamIter::new(self.params)
            }

            pub fn buffer_len(&self) -> usize {
                $crate::wire::padded(Self::FIXED_LEN + self.params.len())
            }

            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                use $crate::wire::{put16, put32};
                let len = Self::FIXED_LEN + self.params.len();
                let total = $crate::wire::tlv::put_chunk_header(buf, Self::TYPE, 0, len)?;
                put32(buf, 4, self.initiate_tag.0);
                put32(buf, 8, self.a_rwnd);
                put16(buf, 12, self.outbound_streams);
                put16(buf, 14, self.inbound_streams);
                put32(buf, 16, self.initial_tsn.0);
                buf[Self::FIXED_LEN..len].copy_from_slice(self.params);
                Ok(total)
            }
        }
    };
}

pub(crate) use init_like;

init_like!(
    /// An INIT chunk: the first message of the four-way handshake.
    InitChunk,
    1
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Tsn, VerificationTag};
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// An INIT sent by libusrsctp in a WebRTC data channel (Firefox): ECN capable, Forward-TSN
    /// supported, Supported Extensions, Random, HMAC algorithms, Chunk List and Supported
    /// Address Types.
    pub(crate) const INIT: [u8; 100] = [
        0x01, 0x00, 0x00, 0x62, 0x2e, 0xd7, 0xe5, 0x8e, 0x00, 0x1c, 0x71, 0xc7, 0x00, 0x05, 0xff,
        0xff, 0xe3, 0x84, 0x4d, 0x0c, 0x80, 0x00, 0x00, 0x04, 0xc0, 0x00, 0x00, 0x04, 0x80, 0x08,
        0x00, 0x09, 0xc0, 0x0f, 0xc1, 0x80, 0x82, 0x00, 0x00, 0x00, 0x80, 0x02, 0x00, 0x24, 0x66,
        0x43, 0x1f, 0xf4, 0x4b, 0xcd, 0x61, 0x9b, 0xda, 0x03, 0x7c, 0x90, 0x38, 0x0a, 0xa9, 0xb2,
        0x22, 0x57, 0xb4, 0x6c, 0x1e, 0xe3, 0x72, 0xe5, 0x50, 0x59, 0x71, 0x61, 0x2a, 0xbc, 0xc3,
        0x47, 0x80, 0x04, 0x00, 0x08, 0x00, 0x03, 0x00, 0x01, 0x80, 0x03, 0x00, 0x06, 0x80, 0xc1,
        0x00, 0x00, 0x00, 0x0c, 0x00, 0x06, 0x00, 0x05, 0x00, 0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = InitChunk::parse(&raw(&INIT)).unwrap();
        assert_eq!(c.initiate_tag, VerificationTag(0x2ed7_e58e));
        assert_eq!(c.a_rwnd, 0x001c_71c7);
        assert_eq!(c.outbound_streams, 5);
        assert_eq!(c.inbound_streams, 0xffff);
        assert_eq!(c.initial_tsn, Tsn(0xe384_4d0c));
        let params: Vec<_> = c.params().map(|p| p.unwrap()).collect();
        let types: Vec<u16> = params.iter().map(|p| p.param_type).collect();
        assert_eq!(
            types,
            [0x8000, 0xc000, 0x8008, 0x8002, 0x8004, 0x8003, 0x000c]
        );
        assert_eq!(params[2].value(), &[0xc0, 0x0f, 0xc1, 0x80, 0x82]);
        assert_eq!(params[3].value().len(), 32);
        assert_eq!(params[4].value(), &[0, 3, 0, 1]);
        assert_eq!(params[6].value(), &[0, 5]);
        assert_eq!(c.buffer_len(), 100);
        round_trip(&INIT);
    }

    #[test]
    fn build_then_parse() {
        let c = InitChunk {
            initiate_tag: VerificationTag(1),
            a_rwnd: 65536,
            outbound_streams: 10,
            inbound_streams: 10,
            initial_tsn: Tsn(u32::MAX),
            params: &[0xc0, 0x00, 0x00, 0x04],
        };
        let mut buf = [0u8; 24];
        assert_eq!(c.emit(&mut buf), Ok(24));
        assert_eq!(InitChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..23]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn zero_tag_and_streams_are_left_to_the_engine() {
        let bytes = [1, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let c = InitChunk::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.initiate_tag, VerificationTag(0));
        assert_eq!(c.outbound_streams, 0);
    }

    #[test]
    fn errors() {
        let mut short = [0u8; 16];
        short[..4].copy_from_slice(&[1, 0, 0, 16]);
        assert_eq!(InitChunk::parse(&raw(&short)), Err(Error::BadLength));
        let mut ack = INIT;
        ack[0] = 2;
        assert_eq!(InitChunk::parse(&raw(&ack)), Err(Error::WrongType));
    }
}
