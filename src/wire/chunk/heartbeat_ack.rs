//! HEARTBEAT ACK chunk (RFC 9260 §3.3.6): the Heartbeat Information of a HEARTBEAT, echoed.

use super::checked_value;
use super::heartbeat::heartbeat_info;
use crate::wire::tlv::{put_chunk_header, ParamIter, RawChunk};
use crate::wire::{padded, Result};

/// A HEARTBEAT ACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeartbeatAckChunk<'a> {
    /// The parameters as received: normally the Heartbeat Information TLV of the HEARTBEAT.
    pub params: &'a [u8],
}

impl<'a> HeartbeatAckChunk<'a> {
    pub const TYPE: u8 = 5;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let params = checked_value(raw, Self::TYPE, 0)?;
        Ok(HeartbeatAckChunk { params })
    }

    /// The parameters, one TLV at a time.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter::new(self.params)
    }

    /// The information echoed from the HEARTBEAT.
    pub fn info(&self) -> Option<&'a [u8]> {
        heartbeat_info(self.params)
    }

    pub fn buffer_len(&self) -> usize {
        padded(4 + self.params.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = 4 + self.params.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        buf[4..len].copy_from_slice(self.params);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::heartbeat::tests::HEARTBEAT;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    #[test]
    fn parse_capture() {
        // libusrsctp answers a HEARTBEAT by changing the type and echoing the parameter.
        let mut ack = HEARTBEAT;
        ack[0] = 5;
        let c = HeartbeatAckChunk::parse(&raw(&ack)).unwrap();
        assert_eq!(c.info(), Some(&HEARTBEAT[8..]));
        round_trip(&ack);
    }

    #[test]
    fn build_then_parse() {
        let c = HeartbeatAckChunk {
            params: &[0, 1, 0, 8, 1, 2, 3, 4],
        };
        let mut buf = [0u8; 12];
        assert_eq!(c.emit(&mut buf), Ok(12));
        assert_eq!(HeartbeatAckChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            HeartbeatAckChunk::parse(&raw(&HEARTBEAT)),
            Err(Error::WrongType)
        );
    }
}
