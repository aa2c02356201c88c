//! A deterministic network simulator on virtual time.
//!
//! Nodes implement [`Node`], the sans-IO shape of the protocol core (`handle_*` in, `poll_*`
//! out, time as an argument). A [`Network`] owns the nodes, maps each of their addresses to them
//! (a node may own several: multihoming), and carries datagrams over directed links, one per
//! `(src, dst)` address pair, each with its own [`LinkConfig`] (delay, jitter, bandwidth, MTU,
//! loss, duplication, reordering, corruption, queue limit, up/down) and [`LinkStats`].
//!
//! Everything is a function of the seed given to [`Network::new`]: no clock, no threads, no
//! sockets, no hash-map iteration. Each link draws from its own random stream, derived from the
//! seed and its two addresses, so traffic on one link does not change the fate of another's.
//!
//! ```ignore
//! mod support;
//! use support::sim::*;
//!
//! let mut net = Network::new(42);
//! let a = net.add_node(MyNode::new(..), &[addr_a]);
//! let b = net.add_node(MyNode::new(..), &[addr_b]);
//! net.connect(addr_a, addr_b, LinkConfig::with_delay(Duration::from_millis(10)));
//! net.node_mut::<MyNode>(a).send(b"hello");
//! net.run_while(|net| net.node::<MyNode>(b).received().is_empty(), Instant::from_millis(1000));
//! assert_eq!(net.link_stats(addr_a, addr_b).delivered, 1);
//! ```

mod link;
mod network;
mod rng;

pub use link::{serialization_time, DropReason, LinkConfig, LinkId, LinkStats};
pub use network::{Fate, Network, NodeId, TraceEvent, TraceRecord};
pub use rng::{splitmix64, Rng};
pub use usrsctp::types::Instant;

/// A transport address. SCTP over UDP or AF_CONN: whatever the nodes agree on.
pub type Addr = std::net::SocketAddr;

/// One datagram on the simulated network; `bytes` is what the link's MTU is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    pub src: Addr,
    pub dst: Addr,
    pub ecn: u8,
    pub bytes: Vec<u8>,
}

impl Datagram {
    /// A datagram without ECN marking.
    pub fn new(src: Addr, dst: Addr, bytes: Vec<u8>) -> Self {
        Datagram {
            src,
            dst,
            ecn: 0,
            bytes,
        }
    }
}

/// What a simulated endpoint implements. The network calls `handle_datagram` or
/// `handle_timeout` for one event, then drains `poll_transmit` of every node, then asks every
/// node's `poll_timeout` when choosing the next event.
pub trait Node {
    /// A datagram addressed to one of this node's addresses arrives at `now`.
    fn handle_datagram(&mut self, now: Instant, datagram: Datagram);
    /// Timers due at or before `now` fire.
    fn handle_timeout(&mut self, now: Instant);
    /// The next datagram this node wants to send, if any (called repeatedly until None).
    fn poll_transmit(&mut self, now: Instant) -> Option<Datagram>;
    /// The earliest time this node needs `handle_timeout`, if any.
    fn poll_timeout(&self) -> Option<Instant>;
}

/// An IPv4 socket address, for brevity in tests: `v4([10, 0, 0, 1], 5000)`.
pub fn v4(ip: [u8; 4], port: u16) -> Addr {
    Addr::from((ip, port))
}

/// Milliseconds as a `Duration`, for brevity in tests.
pub fn ms(millis: u64) -> std::time::Duration {
    std::time::Duration::from_millis(millis)
}
