//! No User Data cause (code 9), RFC 9260 §3.3.10.9: a DATA chunk without user data.

use crate::types::Tsn;
use crate::wire::element::{element_value, emit_tlv, exact_len};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, Result};

/// No User Data (RFC 9260 §3.3.10.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NoUserData {
    /// The TSN of the empty DATA chunk.
    pub tsn: Tsn,
}

impl NoUserData {
    /// The cause code.
    pub const TYPE: u16 = 9;

    /// Parses the cause; its length must be exactly 8.
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        exact_len(value, 4)?;
        Ok(NoUserData {
            tsn: Tsn(be32(value, 0)),
        })
    }

    /// The length on the wire.
    pub fn buffer_len(&self) -> usize {
        8
    }

    /// Writes the cause; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_tlv(buf, Self::TYPE, &self.tsn.0.to_be_bytes(), &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 9, 0, 8, 0xde, 0xad, 0xbe, 0xef];
        let c = NoUserData::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.tsn, Tsn(0xdead_beef));
        assert_eq!(emitted(8, |b| c.emit(b)), bytes);
        assert_eq!(
            NoUserData::parse(&raw(&[0, 9, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
    }
}
