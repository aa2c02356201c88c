//! A userland SCTP stack behind the libusrsctp C ABI.
//!
//! Layers, from the bottom up (see the project's DESIGN.md): [`types`] holds the sequence-number
//! newtypes, [`wire`] parses and emits packets, [`socket`] gives associations the BSD socket
//! semantics of RFC 6458 (so far: its notifications), [`stack`] holds process-wide state
//! (sysctls), and [`ffi`] is the C boundary. Only `ffi` (and later `sys`) contains `unsafe` code.

#![deny(unsafe_code)]

pub mod assoc;
pub mod endpoint;
pub mod rx;
pub mod socket;
pub mod stack;
pub mod tx;
pub mod types;
pub mod wire;

#[allow(unsafe_code)]
pub mod ffi;
