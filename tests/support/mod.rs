//! Shared support code for integration tests.
//!
//! A test binary uses it with `mod support; use support::sim::*;`. Each test binary compiles
//! this module on its own and uses only part of it, hence the blanket `dead_code` and `unused_imports` allowances.
#![allow(dead_code, unused_imports)]

pub mod corpus;
pub mod dcsctp_node;
pub mod hostile;
pub mod sctp_node;
pub mod sim;
