//! AUTH chunk (RFC 4895 §4.1).
//!
//! ```text
//! | Type = 0x0F   |   Flags=0     |             Length            |
//! |     Shared Key Identifier     |   HMAC Identifier             |
//! \                             HMAC                              /
//! ```
//!
//! The HMAC's expected length depends on the HMAC Identifier (20 bytes for SHA-1, 32 for
//! SHA-256); checking it is the authentication layer's work, so any length parses.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be16, padded, put16, Result};

/// An AUTH chunk borrowing its HMAC from the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthChunk<'a> {
    pub shared_key_id: u16,
    /// HMAC algorithm (RFC 4895 §6.1: 1 = SHA-1, 3 = SHA-256).
    pub hmac_id: u16,
    pub hmac: &'a [u8],
}

impl<'a> AuthChunk<'a> {
    pub const TYPE: u8 = 0x0f;
    /// Length of the chunk without the HMAC.
    pub const FIXED_LEN: usize = 8;
    /// Offset of the HMAC from the start of the chunk (it is zeroed while computing it).
    pub const HMAC_OFFSET: usize = 8;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        Ok(AuthChunk {
            shared_key_id: be16(value, 0),
            hmac_id: be16(value, 2),
            hmac: &value[4..],
        })
    }

    pub fn buffer_len(&self) -> usize {
        padded(Self::FIXED_LEN + self.hmac.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = Self::FIXED_LEN + self.hmac.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        put16(buf, 4, self.shared_key_id);
        put16(buf, 6, self.hmac_id);
        buf[Self::FIXED_LEN..len].copy_from_slice(self.hmac);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// An AUTH chunk sent by libusrsctp before an ASCONF-ACK: key 0, HMAC-SHA-256.
    const AUTH: [u8; 40] = [
        0x0f, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x03, 0xa3, 0xcf, 0xd1, 0x1e, 0xc5, 0x29, 0x89,
        0xd8, 0xd5, 0xd2, 0x19, 0x6f, 0x0e, 0x69, 0x6c, 0xe8, 0xe6, 0xf6, 0x1c, 0x18, 0xb0, 0x61,
        0xd3, 0xd3, 0xf3, 0xf7, 0xf4, 0xda, 0xb9, 0xd5, 0x56, 0x53,
    ];

    #[test]
    fn parse_capture() {
        let c = AuthChunk::parse(&raw(&AUTH)).unwrap();
        assert_eq!(c.shared_key_id, 0);
        assert_eq!(c.hmac_id, 3);
        assert_eq!(c.hmac.len(), 32);
        assert_eq!(c.hmac[0], 0xa3);
        round_trip(&AUTH);
    }

    #[test]
    fn build_then_parse() {
        let hmac = [0x11u8; 20];
        let c = AuthChunk {
            shared_key_id: 2,
            hmac_id: 1,
            hmac: &hmac,
        };
        let mut buf = [0u8; 28];
        assert_eq!(c.emit(&mut buf), Ok(28));
        assert_eq!(&buf[..8], &[0x0f, 0, 0, 28, 0, 2, 0, 1]);
        assert_eq!(AuthChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            AuthChunk::parse(&raw(&[0x0f, 0, 0, 6, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        let mut other = AUTH;
        other[0] = 0x10;
        assert_eq!(AuthChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
