//! The C boundary: every `extern "C"` function and `#[repr(C)]` type of the libusrsctp ABI.
//!
//! Each entry point checks its pointers, runs inside [`boundary::guard`] so that no panic
//! unwinds into C, and reports failures through `errno` the way libusrsctp does. The header
//! `include/usrsctp.h` is generated from this module by cbindgen (see `tests/header.rs`).

// C entry points take raw pointers by contract; each checks them before use.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

pub mod addr;
pub mod boundary;
pub mod constants;
pub mod dump;
pub mod lifecycle;
pub mod socket;
pub mod sockopt;
pub mod sysctl;
pub mod types;

pub use constants::*;
pub use types::*;
