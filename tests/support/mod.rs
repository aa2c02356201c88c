//! Test support shared by the integration tests and benchmarks.

pub mod dcsctp_node;
