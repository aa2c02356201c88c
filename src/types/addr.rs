//! Network addresses as the protocol core sees them: opaque to it, meaningful to the layer
//! that sends packets.

use std::net::SocketAddr;

/// The lower-layer address of an SCTP endpoint: where its packets are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetAddr {
    /// An AF_CONN address: the application's opaque pointer value.
    Conn(u64),
    /// An IP address, with the UDP port for UDP encapsulation (RFC 6951), or port 0 for SCTP
    /// directly over IP.
    Ip(SocketAddr),
}
