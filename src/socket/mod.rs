//! BSD socket semantics of RFC 6458 over the endpoint (in progress).

pub mod notification;
