//! A userland SCTP stack behind the libusrsctp C ABI.
//!
//! Layers, from the bottom up (see the project's DESIGN.md): [`types`] holds the sequence-number
//! newtypes, [`wire`] parses and emits packets, [`stack`] holds process-wide state (sysctls),
//! [`sys`] does the OS I/O (UDP encapsulation and raw IP sockets), and [`ffi`] is the C boundary.
//! Only `ffi` and `sys` contain `unsafe` code.

#![deny(unsafe_code)]

pub mod assoc;
pub mod endpoint;
pub mod rx;
pub mod stack;
pub mod tx;
pub mod types;
pub mod wire;

#[allow(unsafe_code)]
pub mod ffi;
#[allow(unsafe_code)]
pub mod sys;
