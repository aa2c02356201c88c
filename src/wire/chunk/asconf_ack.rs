//! ASCONF-ACK chunk (RFC 5061 §4.1.2): the serial number of the ASCONF it answers, then
//! success indications and error cause indications, one per request that needs one.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, ParamIter, RawChunk};
use crate::wire::{be32, padded, put32, Result};

/// An ASCONF-ACK chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsconfAckChunk<'a> {
    pub serial_number: u32,
    /// The response parameters as received.
    pub params: &'a [u8],
}

impl<'a> AsconfAckChunk<'a> {
    pub const TYPE: u8 = 0x80;
    /// Length of the chunk without parameters.
    pub const FIXED_LEN: usize = 8;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        Ok(AsconfAckChunk {
            serial_number: be32(value, 0),
            params: &value[4..],
        })
    }

    /// The response parameters, one TLV at a time.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter::new(self.params)
    }

    pub fn buffer_len(&self) -> usize {
        padded(Self::FIXED_LEN + self.params.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = Self::FIXED_LEN + self.params.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        put32(buf, 4, self.serial_number);
        buf[Self::FIXED_LEN..len].copy_from_slice(self.params);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// An ASCONF-ACK from libusrsctp where every request succeeded (no parameter).
    const PLAIN: [u8; 8] = [0x80, 0x00, 0x00, 0x08, 0xd4, 0x5e, 0xe9, 0x57];
    /// An ASCONF-ACK with a Success Indication (0xc005) for correlation id 1.
    const SUCCESS: [u8; 16] = [
        0x80, 0x00, 0x00, 0x10, 0xf9, 0xb7, 0x93, 0x3c, 0xc0, 0x05, 0x00, 0x08, 0x01, 0x00, 0x00,
        0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = AsconfAckChunk::parse(&raw(&PLAIN)).unwrap();
        assert_eq!(c.serial_number, 0xd45e_e957);
        assert_eq!(c.params().count(), 0);
        round_trip(&PLAIN);
        let s = AsconfAckChunk::parse(&raw(&SUCCESS)).unwrap();
        assert_eq!(s.serial_number, 0xf9b7_933c);
        let p = s.params().next().unwrap().unwrap();
        assert_eq!(p.param_type, 0xc005);
        assert_eq!(p.value(), &[1, 0, 0, 0]);
        round_trip(&SUCCESS);
    }

    #[test]
    fn build_then_parse() {
        let c = AsconfAckChunk {
            serial_number: 7,
            params: &SUCCESS[8..],
        };
        let mut buf = [0u8; 16];
        assert_eq!(c.emit(&mut buf), Ok(16));
        assert_eq!(AsconfAckChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            AsconfAckChunk::parse(&raw(&[0x80, 0, 0, 4])),
            Err(Error::BadLength)
        );
        assert_eq!(
            AsconfAckChunk::parse(&raw(&[0xc1, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
