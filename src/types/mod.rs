//! Sequence numbers and identifiers of RFC 9260 as distinct types.
//!
//! TSNs, SSNs and MIDs wrap around, so they compare with serial-number arithmetic (RFC 1982,
//! RFC 9260 §1.6): `a < b` when `b` is ahead of `a` by less than half the number space.

mod addr;
mod ecn;
mod random;
mod serial;
mod time;

pub use addr::NetAddr;
pub use ecn::Ecn;
pub use random::{RandomSource, SeededRandom};
pub use serial::{Mid, Ssn, Tsn};
pub use time::Instant;

/// A stream identifier (16 bits on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct StreamId(pub u16);

/// A payload protocol identifier, opaque to SCTP (RFC 9260 §3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Ppid(pub u32);

/// A verification tag (RFC 9260 §1.3). Zero is only valid in a packet carrying INIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct VerificationTag(pub u32);
