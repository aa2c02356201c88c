//! Type-length-value elements: chunks (8-bit type, 8-bit flags, 16-bit length) and parameters or
//! error causes (16-bit type, 16-bit length), each padded to four bytes (RFC 9260 §3.2, §3.2.1).

use super::{be16, padded, Error, Result};

/// What a receiver does with a chunk or parameter type it does not understand: the two high bits
/// of the type (RFC 9260 §3.2 for chunks, §3.2.1 for parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnrecognizedAction {
    /// `00`: stop processing the packet (chunk) or the chunk (parameter), discard, report nothing.
    Stop,
    /// `01`: stop processing and report it (ERROR chunk, or unrecognized-parameter in INIT-ACK).
    StopAndReport,
    /// `10`: skip this element and continue processing.
    Skip,
    /// `11`: skip this element, continue, and report it.
    SkipAndReport,
}

impl UnrecognizedAction {
    /// The action encoded in the two high bits of an 8-bit chunk type.
    pub fn of_chunk_type(t: u8) -> Self {
        Self::from_bits(t >> 6)
    }

    /// The action encoded in the two high bits of a 16-bit parameter type.
    pub fn of_param_type(t: u16) -> Self {
        Self::from_bits((t >> 14) as u8)
    }

    fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => UnrecognizedAction::Stop,
            1 => UnrecognizedAction::StopAndReport,
            2 => UnrecognizedAction::Skip,
            _ => UnrecognizedAction::SkipAndReport,
        }
    }

    /// True when processing continues after the element.
    pub fn continues(self) -> bool {
        matches!(
            self,
            UnrecognizedAction::Skip | UnrecognizedAction::SkipAndReport
        )
    }

    /// True when the element is to be reported to the peer.
    pub fn reports(self) -> bool {
        matches!(
            self,
            UnrecognizedAction::StopAndReport | UnrecognizedAction::SkipAndReport
        )
    }
}

/// A raw chunk: its header fields and the bytes of its value (without padding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawChunk<'a> {
    pub chunk_type: u8,
    pub flags: u8,
    /// The whole chunk including its 4-byte header, without padding.
    pub bytes: &'a [u8],
}

impl<'a> RawChunk<'a> {
    /// The value that follows the 4-byte chunk header.
    pub fn value(&self) -> &'a [u8] {
        self.bytes.get(4..).unwrap_or(&[])
    }
}

/// Iterates over the chunks of a packet body (the bytes after the common header).
///
/// Yields `Err` once and then stops when a chunk's length is below 4 or runs past the input.
/// The last chunk's padding may be missing (RFC 9260 §3.2 says the sender pads, but a receiver
/// accepts an unpadded last chunk).
#[derive(Debug, Clone)]
pub struct ChunkIter<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> ChunkIter<'a> {
    pub fn new(body: &'a [u8]) -> Self {
        ChunkIter {
            rest: body,
            failed: false,
        }
    }
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Result<RawChunk<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = next_element(&mut self.rest, &mut self.failed)?;
        Some(bytes.map(|bytes| RawChunk {
            chunk_type: bytes[0],
            flags: bytes[1],
            bytes,
        }))
    }
}

/// A raw parameter or error cause: its 16-bit type and the bytes of the whole element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawParam<'a> {
    pub param_type: u16,
    /// The whole element including its 4-byte header, without padding.
    pub bytes: &'a [u8],
}

impl<'a> RawParam<'a> {
    /// The value that follows the 4-byte header.
    pub fn value(&self) -> &'a [u8] {
        self.bytes.get(4..).unwrap_or(&[])
    }
}

/// Iterates over a sequence of parameters or error causes (16-bit type, 16-bit length).
#[derive(Debug, Clone)]
pub struct ParamIter<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> ParamIter<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        ParamIter {
            rest: bytes,
            failed: false,
        }
    }
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Result<RawParam<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let bytes = next_element(&mut self.rest, &mut self.failed)?;
        Some(bytes.map(|bytes| RawParam {
            param_type: be16(bytes, 0),
            bytes,
        }))
    }
}

/// One step of [`ChunkIter`] and [`ParamIter`]: splits the next element off `rest`, or yields
/// the framing error once and sets `failed`, after which (as at the end of `rest`) it yields
/// nothing.
fn next_element<'a>(rest: &mut &'a [u8], failed: &mut bool) -> Option<Result<&'a [u8]>> {
    if *failed || rest.is_empty() {
        return None;
    }
    match split_element(rest, 4) {
        Ok((bytes, after)) => {
            *rest = after;
            Some(Ok(bytes))
        }
        Err(e) => {
            *failed = true;
            Some(Err(e))
        }
    }
}

/// Splits one element (length field at bytes 2..4, counting its own header of `min` bytes) from
/// the front of `input`, returning it without padding and the rest after padding.
fn split_element(input: &[u8], min: usize) -> Result<(&[u8], &[u8])> {
    if input.len() < 4 {
        return Err(Error::Truncated);
    }
    let len = be16(input, 2) as usize;
    if len < min {
        return Err(Error::BadLength);
    }
    if len > input.len() {
        return Err(Error::Truncated);
    }
    let next = padded(len).min(input.len());
    Ok((&input[..len], &input[next..]))
}

/// Writes a 4-byte TLV header for a parameter or cause and returns the padded total length.
pub(crate) fn put_param_header(buf: &mut [u8], param_type: u16, len: usize) -> Result<usize> {
    let total = padded(len);
    super::need(buf, total)?;
    if len > u16::MAX as usize {
        return Err(Error::BadLength);
    }
    super::put16(buf, 0, param_type);
    super::put16(buf, 2, len as u16);
    buf[len..total].fill(0);
    Ok(total)
}

/// Writes a 4-byte chunk header and returns the padded total length.
pub(crate) fn put_chunk_header(
    buf: &mut [u8],
    chunk_type: u8,
    flags: u8,
    len: usize,
) -> Result<usize> {
    let total = padded(len);
    super::need(buf, total)?;
    if len > u16::MAX as usize {
        return Err(Error::BadLength);
    }
    buf[0] = chunk_type;
    buf[1] = flags;
    super::put16(buf, 2, len as u16);
    buf[len..total].fill(0);
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn high_bits_choose_the_action() {
        assert_eq!(
            UnrecognizedAction::of_chunk_type(0x3f),
            UnrecognizedAction::Stop
        );
        assert_eq!(
            UnrecognizedAction::of_chunk_type(0x40),
            UnrecognizedAction::StopAndReport
        );
        assert_eq!(
            UnrecognizedAction::of_chunk_type(0x80),
            UnrecognizedAction::Skip
        );
        assert_eq!(
            UnrecognizedAction::of_chunk_type(0xc1),
            UnrecognizedAction::SkipAndReport
        );
        assert_eq!(
            UnrecognizedAction::of_param_type(0x8008),
            UnrecognizedAction::Skip
        );
        assert_eq!(
            UnrecognizedAction::of_param_type(0xc000),
            UnrecognizedAction::SkipAndReport
        );
        assert!(UnrecognizedAction::of_param_type(0x4000).reports());
        assert!(!UnrecognizedAction::of_param_type(0x4000).continues());
    }

    #[test]
    fn chunks_are_split_with_padding() {
        // A 5-byte chunk padded to 8, then a 4-byte chunk without value.
        let body = [1, 0, 0, 5, 0xaa, 0, 0, 0, 14, 0, 0, 4];
        let chunks: Vec<_> = ChunkIter::new(&body).collect::<Result<_>>().unwrap();
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].value(), &[0xaa]);
        assert_eq!(chunks[1].chunk_type, 14);
    }

    #[test]
    fn bad_lengths_end_the_iteration() {
        let short = [1, 0, 0, 3];
        let mut it = ChunkIter::new(&short);
        assert_eq!(it.next(), Some(Err(Error::BadLength)));
        assert_eq!(it.next(), None);
        let long = [1, 0, 0, 9, 0, 0, 0, 0];
        assert_eq!(ChunkIter::new(&long).next(), Some(Err(Error::Truncated)));
        let stub = [1, 0];
        assert_eq!(ParamIter::new(&stub).next(), Some(Err(Error::Truncated)));
    }

    #[test]
    fn unpadded_last_element_is_accepted() {
        let body = [0x80, 0x00, 0x00, 0x05, 0x07];
        let params: Vec<_> = ParamIter::new(&body).collect::<Result<_>>().unwrap();
        assert_eq!(params[0].param_type, 0x8000);
        assert_eq!(params[0].value(), &[7]);
    }
}
