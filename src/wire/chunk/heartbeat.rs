//! HEARTBEAT chunk (RFC 9260 §3.3.5): a Heartbeat Information parameter (type 1) whose value
//! is opaque to the receiver and echoed back in HEARTBEAT ACK.

use crate::wire::tlv::ParamIter;

/// Parameter type of Heartbeat Information (RFC 9260 §3.3.5).
pub const HEARTBEAT_INFO: u16 = 1;

/// The value of the first Heartbeat Information parameter in `params`, if any.
pub(crate) fn heartbeat_info(params: &[u8]) -> Option<&[u8]> {
    ParamIter::new(params)
        .map_while(|p| p.ok())
        .find(|p| p.param_type == HEARTBEAT_INFO)
        .map(|p| p.value())
}

crate::wire::chunk::param_list_chunk!(
    /// A HEARTBEAT chunk.
    ///
    /// The parser accepts a chunk without the Heartbeat Information parameter (then [`Self::info`]
    /// is `None`); RFC 9260 §8.3 leaves the reaction to the association.
    HeartbeatChunk = 4,
    /// The parameters as received: normally one Heartbeat Information TLV.
    params
);

impl<'a> HeartbeatChunk<'a> {
    /// The sender-specific information of the Heartbeat Information parameter.
    pub fn info(&self) -> Option<&'a [u8]> {
        heartbeat_info(self.params)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A HEARTBEAT sent by libusrsctp: 36 bytes of information (its address, time and a
    /// random value).
    pub(crate) const HEARTBEAT: [u8; 44] = [
        0x04, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x28, 0xad, 0x7f, 0x67, 0x00, 0xe8, 0x8b, 0x07,
        0x00, 0xd9, 0x11, 0xd6, 0x82, 0x77, 0x37, 0x29, 0xd4, 0x02, 0x10, 0x00, 0x00, 0xd4, 0xc9,
        0x79, 0x53, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = HeartbeatChunk::parse(&raw(&HEARTBEAT)).unwrap();
        assert_eq!(c.params.len(), 40);
        assert_eq!(c.info(), Some(&HEARTBEAT[8..]));
        assert_eq!(c.params().count(), 1);
        round_trip(&HEARTBEAT);
    }

    #[test]
    fn build_then_parse() {
        let c = HeartbeatChunk {
            params: &[0, 1, 0, 6, 0xab, 0xcd],
        };
        let mut buf = [0xffu8; 12];
        assert_eq!(c.emit(&mut buf), Ok(12));
        assert_eq!(&buf[..4], &[4, 0, 0, 10]);
        assert_eq!(&buf[10..], &[0, 0]);
        let back = HeartbeatChunk::parse(&raw(&buf)).unwrap();
        assert_eq!(back, c);
        assert_eq!(back.info(), Some(&[0xab, 0xcd][..]));
        assert_eq!(c.emit(&mut buf[..11]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        let mut other = HEARTBEAT;
        other[0] = 5;
        assert_eq!(HeartbeatChunk::parse(&raw(&other)), Err(Error::WrongType));
        let empty = HeartbeatChunk::parse(&raw(&[4, 0, 0, 4])).unwrap();
        assert_eq!(empty.info(), None);
    }
}
