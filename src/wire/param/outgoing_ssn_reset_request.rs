//! Outgoing SSN Reset Request parameter (type 13), RFC 6525 §4.1: the sender resets the
//! listed outgoing streams (all when the list is empty).

use crate::types::{StreamId, Tsn};
use crate::wire::element::{element_value, emit_with, min_len, U16List, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, padded, put32, Result};

/// Outgoing SSN Reset Request (RFC 6525 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutgoingSsnResetRequest<'a> {
    /// Re-configuration Request Sequence Number of this request.
    pub request_seq: u32,
    /// Re-configuration Response Sequence Number: the incoming request this answers, if any.
    pub response_seq: u32,
    /// Sender's Last Assigned TSN.
    pub last_tsn: Tsn,
    /// Stream numbers to reset; empty means all streams.
    pub streams: U16List<'a>,
}

impl<'a> OutgoingSsnResetRequest<'a> {
    /// The parameter type.
    pub const TYPE: u16 = 13;
    const FIXED: usize = 12;

    /// Parses the parameter: length 16 + 2N (`BadValue` for an odd stream list).
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        min_len(value, Self::FIXED)?;
        Ok(OutgoingSsnResetRequest {
            request_seq: be32(value, 0),
            response_seq: be32(value, 4),
            last_tsn: Tsn(be32(value, 8)),
            streams: U16List::from_wire(&value[Self::FIXED..])?,
        })
    }

    /// The streams to reset, as stream identifiers.
    pub fn stream_ids(&self) -> impl Iterator<Item = StreamId> + 'a {
        self.streams.iter().map(StreamId)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + Self::FIXED + self.streams.wire_len())
    }

    /// Writes the parameter and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(
            buf,
            Self::TYPE,
            Self::FIXED + self.streams.wire_len(),
            |v| {
                put32(v, 0, self.request_seq);
                put32(v, 4, self.response_seq);
                put32(v, 8, self.last_tsn.0);
                self.streams.write(&mut v[Self::FIXED..]);
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn reconfig_reset_of_three_streams() {
        // RE-CONFIG from libusrsctp resetting streams 1, 2 and 5: length 22, padded to 24.
        let bytes = [
            0x00, 0x0d, 0x00, 0x16, 0x5f, 0x3a, 0x11, 0x02, 0x5f, 0x3a, 0x11, 0x01, 0x9e, 0x00,
            0x41, 0x7b, 0x00, 0x01, 0x00, 0x02, 0x00, 0x05, 0x00, 0x00,
        ];
        let p = OutgoingSsnResetRequest::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 0x5f3a_1102);
        assert_eq!(p.response_seq, 0x5f3a_1101);
        assert_eq!(p.last_tsn, Tsn(0x9e00_417b));
        assert_eq!(
            p.stream_ids().collect::<Vec<_>>(),
            [StreamId(1), StreamId(2), StreamId(5)]
        );
        assert_eq!(p.buffer_len(), 24);
        assert_eq!(emitted(24, |b| p.emit(b)), bytes);
        let built = OutgoingSsnResetRequest {
            streams: U16List::Values(&[1, 2, 5]),
            ..p
        };
        assert_eq!(emitted(24, |b| built.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        let short = [0, 13, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0];
        assert_eq!(
            OutgoingSsnResetRequest::parse(&raw(&short)),
            Err(Error::BadLength)
        );
        let odd = [0, 13, 0, 17, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0];
        assert_eq!(
            OutgoingSsnResetRequest::parse(&raw(&odd)),
            Err(Error::BadValue)
        );
        assert_eq!(
            OutgoingSsnResetRequest::parse(&raw(&[0, 14, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
