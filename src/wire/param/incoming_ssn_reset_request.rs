//! Incoming SSN Reset Request parameter (type 14), RFC 6525 §4.2: asks the peer to reset its
//! outgoing streams, that is the sender's incoming ones (all when the list is empty).

use crate::types::StreamId;
use crate::wire::element::{element_value, emit_with, min_len, U16List, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, padded, put32, Result};

/// Incoming SSN Reset Request (RFC 6525 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct IncomingSsnResetRequest<'a> {
    /// Re-configuration Request Sequence Number.
    pub request_seq: u32,
    /// Stream numbers to reset; empty means all streams.
    pub streams: U16List<'a>,
}

impl<'a> IncomingSsnResetRequest<'a> {
    /// The parameter type.
    pub const TYPE: u16 = 14;

    /// Parses the parameter: length 8 + 2N (`BadValue` for an odd stream list).
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        min_len(value, 4)?;
        Ok(IncomingSsnResetRequest {
            request_seq: be32(value, 0),
            streams: U16List::from_wire(&value[4..])?,
        })
    }

    /// The streams to reset, as stream identifiers.
    pub fn stream_ids(&self) -> impl Iterator<Item = StreamId> + 'a {
        self.streams.iter().map(StreamId)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + 4 + self.streams.wire_len())
    }

    /// Writes the parameter and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(buf, Self::TYPE, 4 + self.streams.wire_len(), |v| {
            put32(v, 0, self.request_seq);
            self.streams.write(&mut v[4..]);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_round_trip() {
        let bytes = [0, 14, 0, 10, 0, 0, 0, 7, 0x01, 0x00, 0, 0];
        let p = IncomingSsnResetRequest::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 7);
        assert_eq!(p.stream_ids().collect::<Vec<_>>(), [StreamId(256)]);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
        let all = IncomingSsnResetRequest {
            request_seq: 8,
            streams: U16List::default(),
        };
        assert_eq!(emitted(8, |b| all.emit(b)), [0, 14, 0, 8, 0, 0, 0, 8]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            IncomingSsnResetRequest::parse(&raw(&[0, 14, 0, 4])),
            Err(Error::BadLength)
        );
        assert_eq!(
            IncomingSsnResetRequest::parse(&raw(&[0, 14, 0, 9, 0, 0, 0, 7, 1, 0, 0, 0])),
            Err(Error::BadValue)
        );
    }
}
