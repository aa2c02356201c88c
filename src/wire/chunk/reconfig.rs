//! RE-CONFIG chunk (RFC 6525 §3.1): one or two stream reconfiguration parameters.

crate::wire::chunk::param_list_chunk!(
    /// A RE-CONFIG chunk.
    ///
    /// RFC 6525 §3.1 allows one parameter or two of specific kinds; which combinations are valid
    /// is checked by the association's reconfiguration logic, so the parser accepts any list.
    ReconfigChunk = 130,
    /// The reconfiguration parameters as received.
    params
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A WebRTC data channel closing stream 1: an Outgoing SSN Reset Request (13) with request
    /// sequence 0xe3844d0c, response sequence 0x64778d94, last TSN 0xe3844d0e.
    const RESET: [u8; 24] = [
        0x82, 0x00, 0x00, 0x16, 0x00, 0x0d, 0x00, 0x12, 0xe3, 0x84, 0x4d, 0x0c, 0x64, 0x77, 0x8d,
        0x94, 0xe3, 0x84, 0x4d, 0x0e, 0x00, 0x01, 0x00, 0x00,
    ];
    /// The answer: a Re-configuration Response (16) with result 1 (success - nothing to do).
    const RESPONSE: [u8; 16] = [
        0x82, 0x00, 0x00, 0x10, 0x00, 0x10, 0x00, 0x0c, 0xe3, 0x84, 0x4d, 0x0c, 0x00, 0x00, 0x00,
        0x01,
    ];

    #[test]
    fn parse_capture() {
        let c = ReconfigChunk::parse(&raw(&RESET)).unwrap();
        let p = c.params().next().unwrap().unwrap();
        assert_eq!(p.param_type, 13);
        assert_eq!(p.value().len(), 14);
        assert_eq!(&p.value()[12..], &[0, 1]);
        round_trip(&RESET);
        let r = ReconfigChunk::parse(&raw(&RESPONSE)).unwrap();
        let p = r.params().next().unwrap().unwrap();
        assert_eq!(p.param_type, 16);
        assert_eq!(p.value(), &[0xe3, 0x84, 0x4d, 0x0c, 0, 0, 0, 1]);
        round_trip(&RESPONSE);
    }

    #[test]
    fn build_then_parse() {
        let c = ReconfigChunk {
            params: &RESPONSE[4..],
        };
        let mut buf = [0u8; 16];
        assert_eq!(c.emit(&mut buf), Ok(16));
        assert_eq!(buf, RESPONSE);
        assert_eq!(ReconfigChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let mut other = RESET;
        other[0] = 0x84;
        assert_eq!(ReconfigChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
