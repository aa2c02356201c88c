//! Missing Mandatory Parameter cause (code 2), RFC 9260 §3.3.10.2: lists the mandatory
//! parameter types an INIT or INIT ACK lacked.

use crate::wire::element::{element_value, emit_with, min_len, U16List, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, padded, put32, Error, Result};

/// Missing Mandatory Parameter (RFC 9260 §3.3.10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MissingMandatoryParameter<'a> {
    /// The missing parameter types; their count is written in front of them.
    pub missing_types: U16List<'a>,
}

impl<'a> MissingMandatoryParameter<'a> {
    /// The cause code.
    pub const TYPE: u16 = 2;

    /// Parses the cause: length 8 + 2N where N is the count field (`BadLength` when they
    /// disagree, `BadValue` for an odd list).
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        min_len(value, 4)?;
        let missing_types = U16List::from_wire(&value[4..])?;
        if missing_types.len() as u64 != u64::from(be32(value, 0)) {
            return Err(Error::BadLength);
        }
        Ok(MissingMandatoryParameter { missing_types })
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + 4 + self.missing_types.wire_len())
    }

    /// Writes the cause and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let list = self.missing_types;
        emit_with(buf, Self::TYPE, 4 + list.wire_len(), |v| {
            put32(v, 0, list.len() as u32);
            list.write(&mut v[4..]);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn missing_state_cookie() {
        // An INIT ACK without State Cookie (7): length 10, padded to 12.
        let bytes = [0, 2, 0, 10, 0, 0, 0, 1, 0, 7, 0, 0];
        let c = MissingMandatoryParameter::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.missing_types, U16List::Values(&[7]));
        assert_eq!(emitted(12, |b| c.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        let count_mismatch = [0, 2, 0, 10, 0, 0, 0, 2, 0, 7, 0, 0];
        assert_eq!(
            MissingMandatoryParameter::parse(&raw(&count_mismatch)),
            Err(Error::BadLength)
        );
        let odd = [0, 2, 0, 9, 0, 0, 0, 0, 7, 0, 0, 0];
        assert_eq!(
            MissingMandatoryParameter::parse(&raw(&odd)),
            Err(Error::BadValue)
        );
        assert_eq!(
            MissingMandatoryParameter::parse(&raw(&[0, 2, 0, 4])),
            Err(Error::BadLength)
        );
    }
}
