//! ERROR chunk (RFC 9260 §3.3.10): one or more error causes reported to the peer.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, ParamIter, RawChunk};
use crate::wire::{padded, Result};

/// An ERROR (Operation Error) chunk.
///
/// RFC 9260 requires at least one cause; the parser accepts an empty chunk and leaves it to the
/// association, which has nothing to act on in that case anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorChunk<'a> {
    /// The error causes as received.
    pub causes: &'a [u8],
}

impl<'a> ErrorChunk<'a> {
    pub const TYPE: u8 = 9;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let causes = checked_value(raw, Self::TYPE, 0)?;
        Ok(ErrorChunk { causes })
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
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        buf[4..len].copy_from_slice(self.causes);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// ERROR with an Unrecognized Chunk Type cause (6) quoting a chunk of type 0x4f, and a
    /// Stale Cookie cause (3) with a staleness of 500 µs.
    const ERROR: [u8; 20] = [
        0x09, 0x00, 0x00, 0x14, 0x00, 0x06, 0x00, 0x08, 0x4f, 0x00, 0x00, 0x04, 0x00, 0x03, 0x00,
        0x08, 0x00, 0x00, 0x01, 0xf4,
    ];

    #[test]
    fn parse_capture() {
        let c = ErrorChunk::parse(&raw(&ERROR)).unwrap();
        let causes: Vec<_> = c.causes().map(|c| c.unwrap()).collect();
        assert_eq!(causes.len(), 2);
        assert_eq!(causes[0].param_type, 6);
        assert_eq!(causes[0].value(), &[0x4f, 0, 0, 4]);
        assert_eq!(causes[1].param_type, 3);
        assert_eq!(causes[1].value(), &[0, 0, 1, 0xf4]);
        round_trip(&ERROR);
    }

    #[test]
    fn build_then_parse() {
        let c = ErrorChunk {
            causes: &[0, 1, 0, 8, 0, 7, 0, 0],
        };
        let mut buf = [0u8; 12];
        assert_eq!(c.emit(&mut buf), Ok(12));
        assert_eq!(ErrorChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        let mut other = ERROR;
        other[0] = 6;
        assert_eq!(ErrorChunk::parse(&raw(&other)), Err(Error::WrongType));
    }
}
