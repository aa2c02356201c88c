//! The I bit of RFC 7053 that the sender sets by itself (sctp_enable_sack_immediately, on by
//! default as in libusrsctp): once the association is in SHUTDOWN-PENDING, every DATA chunk of
//! the last message queued asks for an immediate SACK, so the SHUTDOWN is not held up by the
//! peer's delayed-SACK timer.

mod support;

use support::sctp_node::{established, SctpNode};
use support::sim::*;
use usrsctp::assoc::SendOptions;
use usrsctp::endpoint::EndpointConfig;
use usrsctp::wire::packet::Packet;

/// The I flag of DATA (RFC 7053 §3).
const I_BIT: u8 = 0x08;

/// Sends one small and one three-fragment message, shuts down at once, runs until the client
/// reports the association closed; returns (the I bits of the DATA chunks in TSN order, when
/// the shutdown completed).
fn shutdown_after_send(sack_immediately: bool) -> (Vec<bool>, Instant) {
    let mut config = EndpointConfig::default();
    config.association.sack_immediately_on_shutdown = sack_immediately;
    config.association.mtu = 1280;
    let mut p = established(21, LinkConfig::with_delay(ms(10)), config);
    p.net.record_trace(true);
    let now = p.net.now();
    let client = p.net.node_mut::<SctpNode>(p.client);
    let assoc = client.association_mut(p.id);
    assoc
        .send(now, &SendOptions::default(), &[1u8; 100])
        .unwrap();
    assoc
        .send(now, &SendOptions::default(), &[2u8; 3000])
        .unwrap();
    assoc.shutdown(now);
    let start = now;
    p.net.run_while(
        |n| !n.node::<SctpNode>(p.client).association(p.id).is_closed(),
        start + std::time::Duration::from_secs(10),
    );
    let done = p.net.now();
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .is_closed());
    let mut bits = Vec::new();
    for r in p.net.trace_log() {
        if r.fate != Fate::Sent || r.datagram.src != p.c {
            continue;
        }
        let packet = Packet::parse(&r.datagram.bytes).unwrap();
        for c in packet.raw_chunks().flatten().filter(|c| c.chunk_type == 0) {
            bits.push(c.flags & I_BIT != 0);
        }
    }
    (bits, done)
}

#[test]
fn the_last_message_before_shutdown_asks_for_an_immediate_sack() {
    let (bits, fast) = shutdown_after_send(true);
    // The small message had company when it was cut into chunks; the big one was the last.
    assert_eq!(bits, vec![false, true, true, true]);
    let (bits, slow) = shutdown_after_send(false);
    assert_eq!(bits, vec![false; 4]);
    // Without the I bit the peer waits for its delayed-SACK timer (200 ms) before the SACK
    // that lets SHUTDOWN go out.
    assert!(slow > fast, "with I bits {fast:?}, without {slow:?}");
}
