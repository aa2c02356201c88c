//! PR-SCTP (RFC 3758, RFC 7496) and I-DATA interleaving (RFC 8260) in the simulator: messages
//! abandoned by TTL and by the retransmission limit while their FORWARD-TSN (or I-FORWARD-TSN)
//! is lost and has to go again, and a large message that does not hold back small ones on
//! another stream once both ends interleave.

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use support::sctp_node::{established, Established, SctpNode};
use support::sim::*;
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::EndpointConfig;
use usrsctp::tx::{PrPolicy, SchedulerKind};
use usrsctp::types::Instant;
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::packet::Packet;

/// The first byte of every message says which it is.
const LOST: u8 = 0xaa;

fn config(interleaving: bool) -> EndpointConfig {
    let mut c = EndpointConfig::default();
    c.association.nodelay = true;
    c.association.capabilities.partial_reliability = true;
    c.association.capabilities.interleaving = interleaving;
    c.association.send_buffer = 4 << 20;
    c
}

/// What a packet carries that these tests look at.
#[derive(Default)]
struct Seen {
    /// A DATA or I-DATA chunk whose payload starts with `LOST` (the first fragment).
    lost_message: bool,
    /// A FORWARD-TSN or I-FORWARD-TSN chunk.
    forward: bool,
}

fn inspect(bytes: &[u8]) -> Seen {
    let mut seen = Seen::default();
    if let Ok(p) = Packet::parse(bytes) {
        for c in p.chunks().flatten() {
            match c {
                Chunk::Data(d) => seen.lost_message |= d.payload.first() == Some(&LOST),
                Chunk::IData(d) => seen.lost_message |= d.payload.first() == Some(&LOST),
                Chunk::ForwardTsn(_) | Chunk::IForwardTsn(_) => seen.forward = true,
                _ => {}
            }
        }
    }
    seen
}

fn send(p: &mut Established, stream: u16, first: u8, len: usize, pr: PrPolicy) {
    let now = p.net.now();
    let opts = SendOptions {
        stream,
        ppid: 51,
        pr,
        ..Default::default()
    };
    let mut body = vec![first; len];
    body[len - 1] = 0x55;
    p.net
        .node_mut::<SctpNode>(p.client)
        .association_mut(p.id)
        .send(now, &opts, &body)
        .expect("send");
}

/// Complete messages the server's association received: (stream, first byte, length).
fn received(p: &mut Established) -> Vec<(u16, u8, usize)> {
    let server = p.net.node_mut::<SctpNode>(p.server);
    let id = server.accepted[0];
    let mut out = Vec::new();
    while let Some(m) = server.association_mut(id).recv() {
        assert!(m.complete);
        out.push((m.stream_id.0, m.payload[0], m.payload.len()));
    }
    out
}

/// Sends a message that is abandoned after its loss (policy `pr`), then two reliable ones on
/// the same stream; every packet with the abandoned message is dropped, and so is the first
/// FORWARD-TSN. The receiver must skip the abandoned message and deliver the others in order.
fn abandonment_with_lost_forward_tsn(seed: u64, interleaving: bool, pr: PrPolicy) {
    let mut p = established(seed, LinkConfig::with_delay(ms(10)), config(interleaving));
    let agreed = p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .capabilities();
    assert!(agreed.partial_reliability);
    assert_eq!(agreed.interleaving, interleaving);
    let forwards = Rc::new(Cell::new(0u32));
    let counted = forwards.clone();
    p.net.set_drop_filter(move |_, d| {
        let seen = inspect(&d.bytes);
        if seen.forward {
            counted.set(counted.get() + 1);
            // The first FORWARD-TSN is lost.
            if counted.get() == 1 {
                return true;
            }
        }
        seen.lost_message
    });
    send(&mut p, 1, LOST, 3000, pr);
    send(&mut p, 1, 1, 100, PrPolicy::Reliable);
    send(&mut p, 1, 2, 100, PrPolicy::Reliable);
    let mut got = Vec::new();
    let limit = p.net.now() + Duration::from_secs(60);
    while got.len() < 2 && p.net.now() < limit {
        p.net.step();
        got.extend(received(&mut p));
    }
    assert_eq!(
        got,
        [(1, 1, 100), (1, 2, 100)],
        "in order, without the abandoned one"
    );
    assert!(
        forwards.get() >= 2,
        "the lost FORWARD-TSN was sent again ({} sent)",
        forwards.get()
    );
    let client = p.net.node::<SctpNode>(p.client);
    let failed: Vec<_> = client
        .events_of(p.id)
        .into_iter()
        .filter_map(|e| match e {
            Event::SendFailed(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].was_sent);
    assert_eq!(failed[0].data.len(), 3000, "the whole message comes back");
    assert_eq!(failed[0].data[0], LOST);
    let a = client.association(p.id);
    assert_eq!(a.abandoned().policy(0), (0, 1));
    assert_eq!(a.abandoned().policy(pr.number()), (0, 1));
    assert_eq!(a.abandoned().stream(1), (0, 1));
    // Later messages on the stream still go through.
    p.net.clear_drop_filter();
    send(&mut p, 1, 3, 100, PrPolicy::Reliable);
    let end = p.net.now() + Duration::from_secs(5);
    p.net.run_until(end);
    assert_eq!(received(&mut p), [(1, 3, 100)]);
}

fn ttl() -> PrPolicy {
    // Relative to the start of the simulation: the handshake takes some 20 ms.
    PrPolicy::Ttl {
        expires: Instant::from_millis(300),
    }
}

fn rtx0() -> PrPolicy {
    PrPolicy::Rtx {
        max_retransmissions: 0,
    }
}

#[test]
fn ttl_abandonment_survives_a_lost_forward_tsn() {
    for seed in 0..4 {
        abandonment_with_lost_forward_tsn(seed, false, ttl());
    }
}

#[test]
fn rtx_abandonment_survives_a_lost_forward_tsn() {
    for seed in 0..4 {
        abandonment_with_lost_forward_tsn(seed, false, rtx0());
    }
}

#[test]
fn ttl_abandonment_survives_a_lost_i_forward_tsn() {
    for seed in 0..4 {
        abandonment_with_lost_forward_tsn(seed, true, ttl());
    }
}

#[test]
fn rtx_abandonment_survives_a_lost_i_forward_tsn() {
    for seed in 0..4 {
        abandonment_with_lost_forward_tsn(seed, true, rtx0());
    }
}

/// A peer that does not support PR-SCTP gets messages with a policy reliably.
#[test]
fn without_pr_sctp_policies_are_ignored() {
    let mut plain = config(false);
    plain.association.capabilities.partial_reliability = false;
    let mut p = established(5, LinkConfig::with_delay(ms(10)), plain);
    let drops = Rc::new(Cell::new(0u32));
    let seen = drops.clone();
    p.net.set_drop_filter(move |_, d| {
        // The first two transmissions of the message are lost.
        if inspect(&d.bytes).lost_message && seen.get() < 2 {
            seen.set(seen.get() + 1);
            return true;
        }
        false
    });
    send(&mut p, 1, LOST, 500, rtx0());
    send(&mut p, 1, 1, 100, PrPolicy::Reliable);
    let end = p.net.now() + Duration::from_secs(30);
    p.net.run_until(end);
    assert_eq!(drops.get(), 2);
    assert_eq!(received(&mut p), [(1, LOST, 500), (1, 1, 100)]);
    let client = p.net.node::<SctpNode>(p.client);
    assert!(!client.has_event(p.id, |e| matches!(e, Event::SendFailed(_))));
}

/// When the small messages on stream 2 are complete at the receiver, and when the 1 MB message
/// on stream 1, queued before them, is.
fn large_and_small(interleaving: bool) -> (Vec<Instant>, Instant) {
    let mut p = established(11, LinkConfig::with_delay(ms(5)), config(interleaving));
    send(&mut p, 1, 7, 1 << 20, PrPolicy::Reliable);
    for i in 0..20 {
        send(&mut p, 2, i, 200, PrPolicy::Reliable);
    }
    let small = RefCell::new(Vec::new());
    let mut large_done = None;
    let mut large_bytes = 0;
    let limit = p.net.now() + Duration::from_secs(120);
    while (large_done.is_none() || small.borrow().len() < 20) && p.net.now() < limit {
        p.net.step();
        let now = p.net.now();
        let server = p.net.node_mut::<SctpNode>(p.server);
        let id = server.accepted[0];
        while let Some(m) = server.association_mut(id).recv() {
            match m.stream_id.0 {
                1 => {
                    large_bytes += m.payload.len();
                    if m.complete {
                        assert_eq!(large_bytes, 1 << 20);
                        large_done = Some(now);
                    }
                }
                _ => {
                    assert!(m.complete && m.payload.len() == 200);
                    small.borrow_mut().push(now);
                }
            }
        }
    }
    let small = small.into_inner();
    assert_eq!(small.len(), 20, "all small messages arrived");
    (small, large_done.expect("the large message arrived"))
}

#[test]
fn a_large_message_does_not_hold_back_small_ones_with_i_data() {
    let (small, large) = large_and_small(true);
    let last_small = *small.iter().max().unwrap();
    assert!(
        last_small < large,
        "small messages complete at {last_small:?}, before the large one at {large:?}"
    );
    // With DATA the small messages wait for the whole large message.
    let (small, large) = large_and_small(false);
    let first_small = *small.iter().min().unwrap();
    assert!(
        first_small >= large,
        "with DATA the first small message ({first_small:?}) waits for the large one ({large:?})"
    );
}

/// Bytes of each stream the server has received by `at`, with stream 1 and 2 kept busy by
/// 100 messages of 1000 bytes each, over a 1 Mbit/s link.
fn shares(kind: SchedulerKind, values: &[(u16, u16)], at: Duration) -> (usize, usize) {
    let link = LinkConfig {
        bandwidth_bps: Some(1_000_000),
        ..LinkConfig::with_delay(ms(10))
    };
    let mut p = established(21, link, config(true));
    let now = p.net.now();
    {
        let a = p.net.node_mut::<SctpNode>(p.client).association_mut(p.id);
        a.set_scheduler(kind);
        for &(s, v) in values {
            a.set_stream_value(s, v);
        }
        assert_eq!(a.scheduler(), kind);
        for i in 0..100u8 {
            for s in [1u16, 2] {
                let opts = SendOptions {
                    stream: s,
                    ppid: 51,
                    ..Default::default()
                };
                a.send(now, &opts, &[i; 1000]).expect("send");
            }
        }
    }
    let end = p.net.now() + at;
    let mut bytes = (0, 0);
    while p.net.now() < end {
        p.net.step();
        for (stream, _, len) in received(&mut p) {
            match stream {
                1 => bytes.0 += len,
                _ => bytes.1 += len,
            }
        }
    }
    bytes
}

#[test]
fn weighted_fair_queueing_shares_the_link_by_weight() {
    let (one, two) = shares(
        SchedulerKind::WeightedFair,
        &[(1, 100), (2, 300)],
        Duration::from_millis(800),
    );
    assert!(one > 10_000 && two > 10_000, "both progress: {one} {two}");
    let ratio = two as f64 / one as f64;
    assert!(
        (2.5..=3.5).contains(&ratio),
        "3:1 by weight, got {two}:{one}"
    );
    // Round robin shares equally.
    let (one, two) = shares(SchedulerKind::RoundRobin, &[], Duration::from_millis(800));
    let ratio = two as f64 / one as f64;
    assert!((0.9..=1.1).contains(&ratio), "1:1, got {two}:{one}");
}

#[test]
fn priority_scheduler_serves_the_better_stream_first() {
    // Stream 2 has the better (lower) priority value: it gets everything while it has data.
    let (one, two) = shares(
        SchedulerKind::Priority,
        &[(1, 10), (2, 1)],
        Duration::from_millis(600),
    );
    assert!(two > 40_000, "stream 2 progressed: {two}");
    assert!(one <= 2_000, "stream 1 waits for stream 2: {one}");
}

/// The only message is abandoned and its FORWARD-TSN is lost: with no later data to bring a
/// SACK, the T3-rtx timer must send the FORWARD-TSN again, or the association could never shut
/// down.
#[test]
fn a_lost_forward_tsn_is_resent_without_later_data() {
    for interleaving in [false, true] {
        let mut p = established(31, LinkConfig::with_delay(ms(10)), config(interleaving));
        let forwards = Rc::new(Cell::new(0u32));
        let counted = forwards.clone();
        p.net.set_drop_filter(move |_, d| {
            let seen = inspect(&d.bytes);
            if seen.forward {
                counted.set(counted.get() + 1);
                if counted.get() == 1 {
                    return true;
                }
            }
            seen.lost_message
        });
        send(&mut p, 1, LOST, 500, rtx0());
        let end = p.net.now() + Duration::from_secs(30);
        p.net.run_until(end);
        assert!(
            forwards.get() >= 2,
            "FORWARD-TSN sent again: {}",
            forwards.get()
        );
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        let a = client.association_mut(p.id);
        assert_eq!(a.buffered_amount(), 0);
        a.shutdown(now);
        let end = p.net.now() + Duration::from_secs(30);
        p.net.run_until(end);
        let client = p.net.node::<SctpNode>(p.client);
        assert!(
            client.has_event(p.id, |e| matches!(e, Event::ShutdownComplete)),
            "I-DATA {interleaving}: the shutdown completes"
        );
    }
}
