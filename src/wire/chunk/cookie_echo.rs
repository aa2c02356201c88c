//! COOKIE ECHO chunk (RFC 9260 §3.3.11): the State Cookie of the INIT ACK, returned as is.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{padded, Result};

/// A COOKIE ECHO chunk borrowing the cookie from the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieEchoChunk<'a> {
    /// The cookie: the value of the State Cookie parameter, opaque to everyone but its maker.
    pub cookie: &'a [u8],
}

impl<'a> CookieEchoChunk<'a> {
    pub const TYPE: u8 = 10;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let cookie = checked_value(raw, Self::TYPE, 0)?;
        Ok(CookieEchoChunk { cookie })
    }

    pub fn buffer_len(&self) -> usize {
        padded(4 + self.cookie.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = 4 + self.cookie.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        buf[4..len].copy_from_slice(self.cookie);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// The start of a COOKIE ECHO returning a libusrsctp cookie (which begins with its
    /// "KAME-BSD 1.1" identification string), cut to 24 bytes of cookie.
    const COOKIE_ECHO: [u8; 28] = [
        0x0a, 0x00, 0x00, 0x1c, b'K', b'A', b'M', b'E', b'-', b'B', b'S', b'D', b' ', b'1', b'.',
        b'1', 0x00, 0x00, 0x00, 0x00, 0x1d, 0x7f, 0x67, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    #[test]
    fn parse_capture() {
        let c = CookieEchoChunk::parse(&raw(&COOKIE_ECHO)).unwrap();
        assert_eq!(c.cookie, &COOKIE_ECHO[4..]);
        assert_eq!(&c.cookie[..12], b"KAME-BSD 1.1");
        round_trip(&COOKIE_ECHO);
    }

    #[test]
    fn build_then_parse() {
        let c = CookieEchoChunk { cookie: &[1, 2, 3] };
        let mut buf = [9u8; 8];
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(buf, [10, 0, 0, 7, 1, 2, 3, 0]);
        assert_eq!(CookieEchoChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..7]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(
            CookieEchoChunk::parse(&raw(&[11, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
