//! ASCONF chunk (RFC 5061 §4.1.1).
//!
//! ```text
//! | Type = 0xC1   |  Chunk Flags  |      Chunk Length             |
//! |                       Sequence Number                         |
//! |                    Address Parameter                          |
//! |                     ASCONF Parameter #1                       |
//! \                              ...                              \
//! ```
//!
//! The Address Parameter (IPv4 Address, type 5, or IPv6 Address, type 6) is mandatory and
//! identifies the association; a chunk without one is `BadLength`, one of another type is
//! `BadValue`.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, ParamIter, RawChunk, RawParam};
use crate::wire::{be32, padded, put32, Error, Result};

/// Parameter type of an IPv4 Address (RFC 9260 §3.3.2.1).
const IPV4_ADDRESS: u16 = 5;
/// Parameter type of an IPv6 Address (RFC 9260 §3.3.2.1).
const IPV6_ADDRESS: u16 = 6;

/// An ASCONF chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsconfChunk<'a> {
    pub serial_number: u32,
    /// The Address Parameter TLV (header included, padding excluded).
    pub address: &'a [u8],
    /// The ASCONF parameters after the address (Add IP, Delete IP, Set Primary, ...).
    pub params: &'a [u8],
}

impl<'a> AsconfChunk<'a> {
    pub const TYPE: u8 = 0xc1;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 8)?;
        let after_serial = &value[4..];
        let address = match ParamIter::new(after_serial).next() {
            Some(Ok(p)) => p,
            Some(Err(_)) | None => return Err(Error::BadLength),
        };
        if address.param_type != IPV4_ADDRESS && address.param_type != IPV6_ADDRESS {
            return Err(Error::BadValue);
        }
        let skip = padded(address.bytes.len()).min(after_serial.len());
        Ok(AsconfChunk {
            serial_number: be32(value, 0),
            address: address.bytes,
            params: &after_serial[skip..],
        })
    }

    /// The Address Parameter as a TLV, when `address` holds a well-formed one.
    pub fn address_param(&self) -> Option<RawParam<'a>> {
        ParamIter::new(self.address).next()?.ok()
    }

    /// The ASCONF parameters, one TLV at a time.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter::new(self.params)
    }

    fn len(&self) -> usize {
        8 + padded(self.address.len()) + self.params.len()
    }

    pub fn buffer_len(&self) -> usize {
        padded(self.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = self.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        put32(buf, 4, self.serial_number);
        let at = 8;
        let end = at + self.address.len();
        buf[at..end].copy_from_slice(self.address);
        let params_at = at + padded(self.address.len());
        buf[end..params_at].fill(0);
        buf[params_at..len].copy_from_slice(self.params);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};

    /// An ASCONF from libusrsctp: serial 0xf9b7933c, address 212.201.121.83, then Add IP
    /// Address (0xc001) with correlation id 0x01000000 for 127.1.1.1.
    const ASCONF: [u8; 32] = [
        0xc1, 0x00, 0x00, 0x20, 0xf9, 0xb7, 0x93, 0x3c, 0x00, 0x05, 0x00, 0x08, 0xd4, 0xc9, 0x79,
        0x53, 0xc0, 0x01, 0x00, 0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x08, 0x7f, 0x01,
        0x01, 0x01,
    ];

    #[test]
    fn parse_capture() {
        let c = AsconfChunk::parse(&raw(&ASCONF)).unwrap();
        assert_eq!(c.serial_number, 0xf9b7_933c);
        let a = c.address_param().unwrap();
        assert_eq!(a.param_type, 5);
        assert_eq!(a.value(), &[212, 201, 121, 83]);
        let p: Vec<_> = c.params().map(|p| p.unwrap()).collect();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].param_type, 0xc001);
        assert_eq!(&p[0].value()[4..], &[0, 5, 0, 8, 127, 1, 1, 1]);
        round_trip(&ASCONF);
    }

    #[test]
    fn build_then_parse() {
        let c = AsconfChunk {
            serial_number: 1,
            address: &ASCONF[8..16],
            params: &[],
        };
        let mut buf = [0u8; 16];
        assert_eq!(c.emit(&mut buf), Ok(16));
        assert_eq!(AsconfChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let no_address = [0xc1, 0, 0, 8, 0, 0, 0, 1];
        assert_eq!(AsconfChunk::parse(&raw(&no_address)), Err(Error::BadLength));
        let mut not_an_address = ASCONF;
        not_an_address[9] = 0x0c;
        assert_eq!(
            AsconfChunk::parse(&raw(&not_an_address)),
            Err(Error::BadValue)
        );
        let mut other = ASCONF;
        other[0] = 0x80;
        assert_eq!(AsconfChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
