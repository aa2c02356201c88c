//! ABORT chunk (RFC 9260 §3.3.7): the T bit and zero or more error causes.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, ParamIter, RawChunk};
use crate::wire::{padded, Result};

/// The T bit of ABORT and SHUTDOWN COMPLETE: set when the sender filled in the Verification Tag
/// of the packet with the receiver's own tag (a reflected tag, RFC 9260 §8.5.1).
pub(crate) const T_BIT: u8 = 0x01;

/// An ABORT chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AbortChunk<'a> {
    /// T bit: the packet carries the receiver's own verification tag, not the peer's.
    pub tag_reflected: bool,
    /// The error causes as received (cause TLVs, RFC 9260 §3.3.10).
    pub causes: &'a [u8],
}

impl<'a> AbortChunk<'a> {
    pub const TYPE: u8 = 6;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let causes = checked_value(raw, Self::TYPE, 0)?;
        Ok(AbortChunk {
            tag_reflected: raw.flags & T_BIT != 0,
            causes,
        })
    }

    /// The error causes, one TLV at a time.
    pub fn causes(&self) -> ParamIter<'a> {
        ParamIter::new(self.causes)
    }

    pub fn buffer_len(&self) -> usize {
        padded(4 + self.causes.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = 4 + self.causes.len();
        let flags = if self.tag_reflected { T_BIT } else { 0 };
        let total = put_chunk_header(buf, Self::TYPE, flags, len)?;
        buf[4..len].copy_from_slice(self.causes);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// ABORT with a User-Initiated Abort cause (12) carrying the reason "bye".
    const USER_ABORT: [u8; 12] = [
        0x06, 0x00, 0x00, 0x0b, 0x00, 0x0c, 0x00, 0x07, b'b', b'y', b'e', 0x00,
    ];
    /// ABORT with the T bit and no cause, as sent in answer to an out-of-the-blue packet.
    const REFLECTED: [u8; 4] = [0x06, 0x01, 0x00, 0x04];

    #[test]
    fn parse_capture() {
        let c = AbortChunk::parse(&raw(&USER_ABORT)).unwrap();
        assert!(!c.tag_reflected);
        let cause = c.causes().next().unwrap().unwrap();
        assert_eq!(cause.param_type, 12);
        assert_eq!(cause.value(), b"bye");
        round_trip(&USER_ABORT);
        let t = AbortChunk::parse(&raw(&REFLECTED)).unwrap();
        assert!(t.tag_reflected);
        assert_eq!(t.causes().count(), 0);
        round_trip(&REFLECTED);
    }

    #[test]
    fn build_then_parse() {
        let c = AbortChunk {
            tag_reflected: true,
            causes: &[0, 13, 0, 4],
        };
        let mut buf = [0u8; 8];
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(buf, [6, 1, 0, 8, 0, 13, 0, 4]);
        assert_eq!(AbortChunk::parse(&raw(&buf)).unwrap(), c);
        assert_eq!(c.emit(&mut buf[..7]), Err(Error::BufferTooSmall));
    }

    #[test]
    fn errors() {
        assert_eq!(
            AbortChunk::parse(&raw(&[9, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
