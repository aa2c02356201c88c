//! Chunks (RFC 9260 §3.3 and extensions). One file per chunk type.
