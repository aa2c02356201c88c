//! Unrecognized Chunk Type cause (code 6), RFC 9260 §3.3.10.6: a chunk whose type asked for a report.

use crate::wire::tlv::{ChunkIter, RawChunk};
use crate::wire::{Error, Result};

crate::wire::element::bytes_element!(
    /// Unrecognized Chunk Type (RFC 9260 §3.3.10.6).
    UnrecognizedChunkType = 6,
    /// The unrecognized chunk, header included, as received.
    chunk
);

impl<'a> UnrecognizedChunkType<'a> {
    /// The unrecognized chunk, framed (type, flags, value).
    pub fn raw_chunk(&self) -> Result<RawChunk<'a>> {
        ChunkIter::new(self.chunk).next().ok_or(Error::Truncated)?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn reports_a_chunk() {
        // A chunk of type 0x4f with two bytes of value, quoted whole: cause length 10.
        let bytes = [0, 6, 0, 10, 0x4f, 0x00, 0x00, 0x06, 0xab, 0xcd, 0, 0];
        let c = UnrecognizedChunkType::parse(&raw(&bytes)).unwrap();
        let chunk = c.raw_chunk().unwrap();
        assert_eq!(chunk.chunk_type, 0x4f);
        assert_eq!(chunk.value(), &[0xab, 0xcd]);
        assert_eq!(emitted(12, |b| c.emit(b)), bytes);
        assert_eq!(
            UnrecognizedChunkType::default().raw_chunk(),
            Err(Error::Truncated)
        );
    }
}
