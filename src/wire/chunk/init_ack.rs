//! INIT ACK chunk (RFC 9260 §3.3.3): the same layout as INIT; the State Cookie parameter is
//! mandatory, which the association checks (the parser accepts its absence).

use super::init::init_like;

init_like!(
    /// An INIT ACK chunk: the answer to INIT, carrying the State Cookie.
    InitAckChunk,
    2
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Tsn, VerificationTag};
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// An INIT ACK in the shape libusrsctp sends (the same optional parameters as its INIT),
    /// with the State Cookie shortened to 16 bytes.
    const INIT_ACK: [u8; 112] = [
        0x02, 0x00, 0x00, 0x70, 0x34, 0x98, 0x18, 0x20, 0x00, 0x1c, 0x71, 0xc7, 0x00, 0x05, 0xff,
        0xff, 0x64, 0x77, 0x8d, 0x95, 0x80, 0x00, 0x00, 0x04, 0xc0, 0x00, 0x00, 0x04, 0x80, 0x08,
        0x00, 0x09, 0xc0, 0x0f, 0xc1, 0x80, 0x82, 0x00, 0x00, 0x00, 0x80, 0x02, 0x00, 0x24, 0x93,
        0x36, 0xea, 0x3b, 0x01, 0x73, 0x3b, 0xc1, 0x68, 0x30, 0x81, 0xd5, 0x76, 0x28, 0xa9, 0x0f,
        0xb4, 0xb6, 0x21, 0x8d, 0x21, 0xa0, 0x5b, 0x56, 0xe0, 0xca, 0x90, 0x70, 0x14, 0x24, 0xa9,
        0x5f, 0x80, 0x04, 0x00, 0x08, 0x00, 0x03, 0x00, 0x01, 0x80, 0x03, 0x00, 0x06, 0x80, 0xc1,
        0x00, 0x00, 0x00, 0x07, 0x00, 0x14, 0x4b, 0x41, 0x4d, 0x45, 0x2d, 0x42, 0x53, 0x44, 0x20,
        0x31, 0x2e, 0x31, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = InitAckChunk::parse(&raw(&INIT_ACK)).unwrap();
        assert_eq!(c.initiate_tag, VerificationTag(0x3498_1820));
        assert_eq!(c.a_rwnd, 0x001c_71c7);
        assert_eq!((c.outbound_streams, c.inbound_streams), (5, 0xffff));
        assert_eq!(c.initial_tsn, Tsn(0x6477_8d95));
        let cookie = c.params().map(|p| p.unwrap()).last().unwrap();
        assert_eq!(cookie.param_type, 7);
        assert_eq!(&cookie.value()[..12], b"KAME-BSD 1.1");
        assert_eq!(c.buffer_len(), INIT_ACK.len());
        round_trip(&INIT_ACK);
    }

    #[test]
    fn build_then_parse() {
        let c = InitAckChunk {
            initiate_tag: VerificationTag(0xdead_beef),
            a_rwnd: 1,
            outbound_streams: 1,
            inbound_streams: 2,
            initial_tsn: Tsn(3),
            params: &[0, 7, 0, 5, 0xaa],
        };
        let mut buf = [0xeeu8; 28];
        assert_eq!(c.emit(&mut buf), Ok(28));
        assert_eq!(&buf[25..], &[0, 0, 0]);
        assert_eq!(InitAckChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let mut init = INIT_ACK;
        init[0] = 1;
        assert_eq!(InitAckChunk::parse(&raw(&init)), Err(Error::WrongType));
        let short = [2, 0, 0, 8, 0, 0, 0, 1];
        assert_eq!(InitAckChunk::parse(&raw(&short)), Err(Error::BadLength));
    }
}
