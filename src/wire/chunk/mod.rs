//! Chunks (RFC 9260 §3.3 and extensions). One file per chunk type.
//!
//! Every chunk type has a struct with `TYPE`, `parse(&RawChunk)`, `buffer_len()` and
//! `emit(&mut [u8])`; [`Chunk`] gathers them in one enum for dispatch. Conventions:
//!
//! - `parse` checks the type code (`WrongType`) and that the chunk is long enough for its fixed
//!   fields and for the entries its counts announce (`BadLength`). Bytes after what the chunk
//!   defines are ignored, and reserved flag bits are ignored on input and sent as zero.
//! - Values RFC 9260 forbids but asks the *association* to react to (an empty DATA, an INIT with
//!   a zero Initiate Tag, an ERROR without cause) parse successfully; the engine decides.
//! - Variable parts borrow the input: user data, cookies, HMACs, and parameter or error-cause
//!   lists (`params: &[u8]` / `causes: &[u8]` with an iterator over [`tlv::ParamIter`]).
//!   Repeated fixed-size entries (gap blocks, duplicate TSNs, FORWARD-TSN streams) are a
//!   [`WireList`], which is either the received bytes or a slice of typed entries.
//! - `emit` writes the header, the value and zero padding, returns the padded length
//!   (`buffer_len`), and fails with `BufferTooSmall` instead of panicking.
//!
//! [`tlv::ParamIter`]: crate::wire::tlv::ParamIter

pub mod abort;
pub mod asconf;
pub mod asconf_ack;
pub mod auth;
pub mod cookie_ack;
pub mod cookie_echo;
pub mod cwr;
pub mod data;
pub mod ecne;
pub mod error;
pub mod forward_tsn;
pub mod heartbeat;
pub mod heartbeat_ack;
pub mod idata;
pub mod iforward_tsn;
pub mod init;
pub mod init_ack;
pub mod list;
pub mod nr_sack;
pub mod pad;
pub mod pktdrop;
pub mod reconfig;
pub mod sack;
pub mod shutdown;
pub mod shutdown_ack;
pub mod shutdown_complete;

pub use abort::AbortChunk;
pub use asconf::AsconfChunk;
pub use asconf_ack::AsconfAckChunk;
pub use auth::AuthChunk;
pub use cookie_ack::CookieAckChunk;
pub use cookie_echo::CookieEchoChunk;
pub use cwr::CwrChunk;
pub use data::DataChunk;
pub use ecne::EcneChunk;
pub use error::ErrorChunk;
pub use forward_tsn::{ForwardTsnChunk, ForwardTsnStream};
pub use heartbeat::HeartbeatChunk;
pub use heartbeat_ack::HeartbeatAckChunk;
pub use idata::IDataChunk;
pub use iforward_tsn::{IForwardTsnChunk, IForwardTsnStream};
pub use init::InitChunk;
pub use init_ack::InitAckChunk;
pub use list::{WireItem, WireList, WireListIter};
pub use nr_sack::NrSackChunk;
pub use pad::PadChunk;
pub use pktdrop::PktDropChunk;
pub use reconfig::ReconfigChunk;
pub use sack::{GapAckBlock, SackChunk};
pub use shutdown::ShutdownChunk;
pub use shutdown_ack::ShutdownAckChunk;
pub use shutdown_complete::ShutdownCompleteChunk;

use super::tlv::{put_chunk_header, RawChunk};
use super::{padded, Error, Result};

/// Length of the chunk header (type, flags, length).
pub const CHUNK_HEADER_LEN: usize = 4;

/// The value of `raw` (the bytes after its header), after checking that its type is `ty` and
/// that the value holds at least `min` bytes.
pub(crate) fn checked_value<'a>(raw: &RawChunk<'a>, ty: u8, min: usize) -> Result<&'a [u8]> {
    if raw.chunk_type != ty {
        return Err(Error::WrongType);
    }
    let value = raw.bytes.get(CHUNK_HEADER_LEN..).ok_or(Error::Truncated)?;
    if value.len() < min {
        return Err(Error::BadLength);
    }
    Ok(value)
}

/// Defines a chunk without value and without flags (length 4): struct, `TYPE`, `LEN`, `parse`,
/// `buffer_len`, `emit`.
macro_rules! empty_chunk {
    ($(#[$doc:meta])* $name:ident = $ty:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name;

        impl $name {
            pub const TYPE: u8 = $ty;
            pub const LEN: usize = 4;

            /// Parses the chunk; bytes after the header are ignored.
            pub fn parse(raw: &$crate::wire::tlv::RawChunk<'_>) -> $crate::wire::Result<Self> {
                $crate::wire::chunk::checked_value(raw, Self::TYPE, 0)?;
                Ok($name)
            }

            pub fn buffer_len(&self) -> usize {
                Self::LEN
            }

            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                $crate::wire::tlv::put_chunk_header(buf, Self::TYPE, 0, Self::LEN)
            }
        }
    };
}
pub(crate) use empty_chunk;

/// Defines a chunk whose value is a list of parameters, kept as borrowed bytes (`params`), and
/// without flags: struct, `TYPE`, `parse`, `params()`, `buffer_len`, `emit`. Any list parses;
/// what it must hold is checked by the association.
macro_rules! param_list_chunk {
    ($(#[$doc:meta])* $name:ident = $ty:expr, $(#[$fdoc:meta])* params) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            $(#[$fdoc])*
            pub params: &'a [u8],
        }

        impl<'a> $name<'a> {
            pub const TYPE: u8 = $ty;

            pub fn parse(raw: &$crate::wire::tlv::RawChunk<'a>) -> $crate::wire::Result<Self> {
                let params = $crate::wire::chunk::checked_value(raw, Self::TYPE, 0)?;
                Ok($name { params })
            }

            /// The parameters, one TLV at a time.
            pub fn params(&self) -> $crate::wire::tlv::ParamIter<'a> {
                $crate::wire::tlv::ParamIter::new(self.params)
            }

            pub fn buffer_len(&self) -> usize {
                $crate::wire::padded($crate::wire::chunk::CHUNK_HEADER_LEN + self.params.len())
            }

            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                use $crate::wire::chunk::CHUNK_HEADER_LEN;
                let len = CHUNK_HEADER_LEN + self.params.len();
                let total = $crate::wire::tlv::put_chunk_header(buf, Self::TYPE, 0, len)?;
                buf[CHUNK_HEADER_LEN..len].copy_from_slice(self.params);
                Ok(total)
            }
        }
    };
}
pub(crate) use param_list_chunk;

macro_rules! chunk_enum {
    ($($(#[$doc:meta])* $variant:ident($ty:ty),)*) => {
        /// Any chunk, parsed according to its type code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Chunk<'a> {
            $($(#[$doc])* $variant($ty),)*
            /// A chunk of a type this stack does not know; what to do with it is in the two high
            /// bits of its type ([`crate::wire::tlv::UnrecognizedAction`]).
            Unknown(RawChunk<'a>),
        }

        impl<'a> Chunk<'a> {
            /// Parses `raw` as the chunk its type code names; unknown types give
            /// [`Chunk::Unknown`].
            pub fn parse(raw: &RawChunk<'a>) -> Result<Self> {
                if raw.bytes.len() < CHUNK_HEADER_LEN {
                    return Err(Error::Truncated);
                }
                let t = raw.chunk_type;
                $(
                    if t == <$ty>::TYPE {
                        return <$ty>::parse(raw).map(Chunk::$variant);
                    }
                )*
                Ok(Chunk::Unknown(*raw))
            }

            /// The chunk type code.
            pub fn chunk_type(&self) -> u8 {
                match self {
                    $(Chunk::$variant(_) => <$ty>::TYPE,)*
                    Chunk::Unknown(raw) => raw.chunk_type,
                }
            }

            /// Length of the chunk on the wire, padding included.
            pub fn buffer_len(&self) -> usize {
                match self {
                    $(Chunk::$variant(c) => c.buffer_len(),)*
                    Chunk::Unknown(raw) => padded(raw.bytes.len().max(CHUNK_HEADER_LEN)),
                }
            }

            /// Writes the chunk and its padding at the start of `buf`; returns
            /// [`buffer_len`](Self::buffer_len).
            pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
                match self {
                    $(Chunk::$variant(c) => c.emit(buf),)*
                    Chunk::Unknown(raw) => emit_raw(raw, buf),
                }
            }
        }

        $(
            impl<'a> From<$ty> for Chunk<'a> {
                fn from(c: $ty) -> Self {
                    Chunk::$variant(c)
                }
            }
        )*
    };
}

chunk_enum! {
    Data(DataChunk<'a>),
    Init(InitChunk<'a>),
    InitAck(InitAckChunk<'a>),
    Sack(SackChunk<'a>),
    Heartbeat(HeartbeatChunk<'a>),
    HeartbeatAck(HeartbeatAckChunk<'a>),
    Abort(AbortChunk<'a>),
    Shutdown(ShutdownChunk),
    ShutdownAck(ShutdownAckChunk),
    Error(ErrorChunk<'a>),
    CookieEcho(CookieEchoChunk<'a>),
    CookieAck(CookieAckChunk),
    Ecne(EcneChunk),
    Cwr(CwrChunk),
    ShutdownComplete(ShutdownCompleteChunk),
    Auth(AuthChunk<'a>),
    NrSack(NrSackChunk<'a>),
    IData(IDataChunk<'a>),
    AsconfAck(AsconfAckChunk<'a>),
    PktDrop(PktDropChunk<'a>),
    Reconfig(ReconfigChunk<'a>),
    Pad(PadChunk<'a>),
    ForwardTsn(ForwardTsnChunk<'a>),
    Asconf(AsconfChunk<'a>),
    IForwardTsn(IForwardTsnChunk<'a>),
}

/// Writes a chunk of unknown type back as it was received (header from the struct fields, value
/// from `raw.bytes[4..]`).
fn emit_raw(raw: &RawChunk<'_>, buf: &mut [u8]) -> Result<usize> {
    let value = raw.bytes.get(CHUNK_HEADER_LEN..).ok_or(Error::Truncated)?;
    let len = raw.bytes.len();
    let total = put_chunk_header(buf, raw.chunk_type, raw.flags, len)?;
    buf[CHUNK_HEADER_LEN..len].copy_from_slice(value);
    Ok(total)
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::wire::tlv::ChunkIter;

    /// The first chunk framed in `bytes`.
    pub(crate) fn raw(bytes: &[u8]) -> RawChunk<'_> {
        ChunkIter::new(bytes)
            .next()
            .expect("no chunk")
            .expect("badly framed chunk")
    }

    /// Parses the chunk in `bytes` as a known type, emits it, checks the output equals `bytes`
    /// (with zero padding) and parses back to the same value.
    pub(crate) fn round_trip(bytes: &[u8]) {
        let chunk = Chunk::parse(&raw(bytes)).expect("parse");
        assert!(!matches!(chunk, Chunk::Unknown(_)), "{chunk:?}");
        let len = chunk.buffer_len();
        let mut expected = bytes.to_vec();
        expected.resize(padded(expected.len()), 0);
        assert_eq!(len, expected.len());
        let mut buf = vec![0xa5; len];
        assert_eq!(chunk.emit(&mut buf), Ok(len));
        assert_eq!(buf, expected);
        assert_eq!(Chunk::parse(&raw(&buf)).expect("reparse"), chunk);
        assert_eq!(chunk.emit(&mut buf[..len - 1]), Err(Error::BufferTooSmall));
    }
}

#[cfg(test)]
mod tests {
    use super::testing::raw;
    use super::*;

    #[test]
    fn unknown_chunks_are_kept() {
        let bytes = [0x85, 0x03, 0x00, 0x06, 0xaa, 0xbb, 0x00, 0x00];
        let c = Chunk::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.chunk_type(), 0x85);
        let Chunk::Unknown(r) = c else {
            panic!("{c:?}")
        };
        assert_eq!(r.flags, 3);
        let mut buf = [0xffu8; 8];
        assert_eq!(c.buffer_len(), 8);
        assert_eq!(c.emit(&mut buf), Ok(8));
        assert_eq!(buf, bytes);
    }

    #[test]
    fn dispatch_by_type() {
        let c = Chunk::parse(&raw(&[0x0b, 0, 0, 4])).unwrap();
        assert_eq!(c, Chunk::CookieAck(CookieAckChunk));
        assert_eq!(c.chunk_type(), 11);
        assert_eq!(Chunk::from(CookieAckChunk), c);
    }

    #[test]
    fn errors_are_typed() {
        // A SACK too short for its fixed fields.
        assert_eq!(
            Chunk::parse(&raw(&[3, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        // A hand-made RawChunk shorter than a header.
        let stub = RawChunk {
            chunk_type: 0,
            flags: 0,
            bytes: &[0, 0],
        };
        assert_eq!(Chunk::parse(&stub), Err(Error::Truncated));
        assert_eq!(
            Chunk::Unknown(stub).emit(&mut [0; 8]),
            Err(Error::Truncated)
        );
        assert_eq!(DataChunk::parse(&stub), Err(Error::Truncated));
    }
}
