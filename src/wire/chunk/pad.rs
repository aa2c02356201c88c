//! PAD chunk (RFC 4820 §3): filler used to probe the path MTU; the receiver discards it.

use super::checked_value;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{padded, Result};

/// A PAD chunk borrowing its padding data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PadChunk<'a> {
    /// The padding data (its content is meaningless; senders use zeros).
    pub padding: &'a [u8],
}

impl<'a> PadChunk<'a> {
    pub const TYPE: u8 = 132;

    pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
        let padding = checked_value(raw, Self::TYPE, 0)?;
        Ok(PadChunk { padding })
    }

    pub fn buffer_len(&self) -> usize {
        padded(4 + self.padding.len())
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let len = 4 + self.padding.len();
        let total = put_chunk_header(buf, Self::TYPE, 0, len)?;
        buf[4..len].copy_from_slice(self.padding);
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// A PAD chunk with 12 bytes of zeros, as used to bring a probe to a target size.
    const PAD: [u8; 16] = [0x84, 0x00, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    #[test]
    fn parse_capture() {
        let c = PadChunk::parse(&raw(&PAD)).unwrap();
        assert_eq!(c.padding, &[0; 12]);
        round_trip(&PAD);
    }

    #[test]
    fn build_then_parse() {
        let c = PadChunk { padding: &[0; 5] };
        let mut buf = [0xffu8; 12];
        assert_eq!(c.emit(&mut buf), Ok(12));
        assert_eq!(buf, [0x84, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(PadChunk::parse(&raw(&buf)).unwrap(), c);
    }

    #[test]
    fn errors() {
        assert_eq!(
            PadChunk::parse(&raw(&[0x82, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
