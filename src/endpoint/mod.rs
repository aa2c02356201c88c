//! The endpoint: demultiplexes packets to associations by ports, addresses and verification
//! tag, answers INITs statelessly with signed state cookies, and applies the out-of-the-blue
//! rules of RFC 9260 §8.4.

pub mod cookie;
