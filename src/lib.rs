//! A userland SCTP stack behind the libusrsctp C ABI.
//!
//! Layers, from the bottom up (see the project's DESIGN.md): [`types`] holds the sequence-number
//! newtypes, time and addresses; [`wire`] parses and emits packets; [`rx`] and [`tx`] are the
//! receive and send sides of an association; [`assoc`] is one association and [`endpoint`]
//! demultiplexes packets to associations (all sans-IO); [`socket`] gives associations the BSD
//! socket semantics of RFC 6458 (so far: its notifications); [`stack`] holds process-wide state
//! (sysctls); [`sys`] does the OS I/O (UDP encapsulation and raw IP sockets); [`ffi`] is the C
//! boundary. Only `ffi` and `sys` contain `unsafe` code.

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
#[allow(unsafe_code)]
pub mod sys;
