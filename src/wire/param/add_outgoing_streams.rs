//! Add Outgoing Streams parameter (type 17), RFC 6525 §4.5: adds outgoing streams to the association.

use crate::wire::element::{element_value, emit_with, exact_len};
use crate::wire::tlv::RawParam;
use crate::wire::{be16, be32, put16, put32, Result};

/// Add Outgoing Streams (RFC 6525 §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AddOutgoingStreams {
    /// Re-configuration Request Sequence Number.
    pub request_seq: u32,
    /// Number of new streams.
    pub new_streams: u16,
}

impl AddOutgoingStreams {
    /// The parameter type.
    pub const TYPE: u16 = 17;

    /// Parses the parameter; its length must be exactly 12. The reserved field is ignored.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        exact_len(value, 8)?;
        Ok(AddOutgoingStreams {
            request_seq: be32(value, 0),
            new_streams: be16(value, 4),
        })
    }

    /// The length on the wire.
    pub fn buffer_len(&self) -> usize {
        12
    }

    /// Writes the parameter (reserved field zero); returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(buf, Self::TYPE, 8, |v| {
            put32(v, 0, self.request_seq);
            put16(v, 4, self.new_streams);
            put16(v, 6, 0);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 17, 0, 12, 0x10, 0x20, 0x30, 0x40, 0x00, 0x20, 0, 0];
        let p = AddOutgoingStreams::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 0x1020_3040);
        assert_eq!(p.new_streams, 32);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
        assert_eq!(
            AddOutgoingStreams::parse(&raw(&[0, 17, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            AddOutgoingStreams::parse(&raw(&[0, 16, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
