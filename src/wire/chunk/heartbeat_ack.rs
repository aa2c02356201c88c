//! HEARTBEAT ACK chunk (RFC 9260 §3.3.6): the Heartbeat Information of a HEARTBEAT, echoed.

use super::heartbeat::heartbeat_info;

crate::wire::chunk::param_list_chunk!(
    /// A HEARTBEAT ACK chunk.
    HeartbeatAckChunk = 5,
    /// The parameters as received: normally the Heartbeat Information TLV of the HEARTBEAT.
    params
);

impl<'a> HeartbeatAckChunk<'a> {
    /// The information echoed from the HEARTBEAT.
    pub fn info(&self) -> Option<&'a [u8]> {
        heartbeat_info(self.params)
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
