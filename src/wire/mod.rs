//! The SCTP wire format: zero-copy views and owned representations.
//!
//! Every element follows one pattern: a view (`XxxView<'a>` or a parsed struct borrowing the
//! input) built by a checked `parse` that never panics and returns a typed [`Error`], and an
//! owned or borrowed representation with `buffer_len` and `emit`, which writes into a caller's
//! buffer. All multi-byte fields are big-endian (network order).

pub mod cause;
pub mod chunk;
pub mod crc;
pub(crate) mod element;
pub mod header;
pub mod packet;
pub mod param;
pub mod tlv;

pub use header::CommonHeader;

/// Why bytes could not be parsed or emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Error {
    /// The input ends before a fixed field or a declared length.
    Truncated,
    /// A length field is smaller than the element's fixed part, or larger than what contains it.
    BadLength,
    /// A field holds a value the specification forbids (for example a reserved zero).
    BadValue,
    /// The element's type code is not the one the parser was asked for.
    WrongType,
    /// The caller's output buffer is too small for `emit`.
    BufferTooSmall,
    /// The packet is larger than any SCTP packet can be (over 65,535 bytes).
    Oversized,
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let text = match self {
            Error::Truncated => "input truncated",
            Error::BadLength => "length field inconsistent",
            Error::BadValue => "field value not allowed",
            Error::WrongType => "unexpected type code",
            Error::BufferTooSmall => "output buffer too small",
            Error::Oversized => "packet larger than 65535 bytes",
        };
        f.write_str(text)
    }
}

impl std::error::Error for Error {}

/// Result of wire operations.
pub type Result<T> = core::result::Result<T, Error>;

/// Rounds `len` up to a multiple of four, the padding rule of RFC 9260 §3.2.
pub const fn padded(len: usize) -> usize {
    (len + 3) & !3
}

/// Reads a big-endian u16 at `at`; the caller has checked the bounds.
pub(crate) fn be16(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

/// Reads a big-endian u32 at `at`; the caller has checked the bounds.
pub(crate) fn be32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Writes a big-endian u16 at `at`; the caller has checked the bounds.
pub(crate) fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// Writes a big-endian u32 at `at`; the caller has checked the bounds.
pub(crate) fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_be_bytes());
}

/// Returns `Err(BufferTooSmall)` unless `buf` holds at least `need` bytes.
pub(crate) fn need(buf: &[u8], need: usize) -> Result<()> {
    if buf.len() < need {
        Err(Error::BufferTooSmall)
    } else {
        Ok(())
    }
}
