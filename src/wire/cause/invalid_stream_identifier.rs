//! Invalid Stream Identifier cause (code 1), RFC 9260 §3.3.10.1: DATA sent to a stream that
//! does not exist.

use crate::types::StreamId;
use crate::wire::element::{element_value, emit_with, exact_len};
use crate::wire::tlv::RawParam;
use crate::wire::{be16, put16, Result};

/// Invalid Stream Identifier (RFC 9260 §3.3.10.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct InvalidStreamIdentifier {
    /// The stream the DATA was sent to.
    pub stream_id: StreamId,
}

impl InvalidStreamIdentifier {
    /// The cause code.
    pub const TYPE: u16 = 1;

    /// Parses the cause; its length must be exactly 8. The reserved field is ignored.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        exact_len(value, 4)?;
        Ok(InvalidStreamIdentifier {
            stream_id: StreamId(be16(value, 0)),
        })
    }

    /// The length on the wire.
    pub fn buffer_len(&self) -> usize {
        8
    }

    /// Writes the cause (reserved field zero); returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(buf, Self::TYPE, 4, |v| {
            put16(v, 0, self.stream_id.0);
            put16(v, 2, 0);
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
        let bytes = [0, 1, 0, 8, 0x01, 0x2c, 0, 0];
        let c = InvalidStreamIdentifier::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.stream_id, StreamId(300));
        assert_eq!(emitted(8, |b| c.emit(b)), bytes);
        assert_eq!(
            InvalidStreamIdentifier::parse(&raw(&[0, 1, 0, 6, 0, 1, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            InvalidStreamIdentifier::parse(&raw(&[0, 2, 0, 8, 0, 1, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
