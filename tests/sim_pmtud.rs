//! Packetization-layer path MTU discovery (RFC 8899) between two of our endpoints in the
//! simulator: growth to the path's MTU, large packets in bulk transfer, black-hole detection
//! when the link MTU drops in the middle of a transfer (with every message delivered exactly
//! once), a drop found by confirmation probes when it costs no data, a fixed MTU when discovery
//! is off, and probes that leave the congestion window alone.
//!
//! The simulator's nodes use UDP-encapsulation addresses (IPv4), so discovery subtracts 28 bytes
//! of IP and UDP headers from the link MTUs it knows; the links count SCTP packet bytes. A link
//! MTU of 8972 is therefore a 9000-byte jumbo path, 1472 an Ethernet path and 1252 a path of the
//! IPv6 minimum MTU.

mod support;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use support::sctp_node::{established, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::pmtud::{PlState, PlpmtudConfig};
use usrsctp::assoc::{SendOptions, State};
use usrsctp::endpoint::EndpointConfig;

const JUMBO: usize = 8972;
const ETHERNET: usize = 1472;
const MINIMUM: usize = 1252;

fn config(discovery: bool) -> EndpointConfig {
    let mut c = EndpointConfig::default();
    c.association.plpmtud = PlpmtudConfig {
        enabled: discovery,
        ..PlpmtudConfig::default()
    };
    c
}

fn link(mtu: usize) -> LinkConfig {
    LinkConfig {
        mtu,
        bandwidth_bps: Some(100_000_000),
        ..LinkConfig::with_delay(ms(10))
    }
}

fn set_mtu(p: &mut Pair, mtu: usize) {
    let (c, s) = (p.c, p.s);
    p.net.link_mut(c, s).mtu = mtu;
    p.net.link_mut(s, c).mtu = mtu;
}

/// What the trace saw on the client-to-server link: (time, bytes, PAD chunk inside, dropped).
#[derive(Default)]
struct Seen {
    packets: Vec<(Instant, usize, bool, bool)>,
}

fn has_pad(bytes: &[u8]) -> bool {
    // Chunks after the 12-byte common header: type, flags, length.
    let mut at = 12;
    while at + 4 <= bytes.len() {
        if bytes[at] == 0x84 {
            return true;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        if len < 4 {
            return false;
        }
        at += (len + 3) & !3;
    }
    false
}

fn trace(p: &mut Pair) -> Rc<RefCell<Seen>> {
    let seen = Rc::new(RefCell::new(Seen::default()));
    let hook = seen.clone();
    let from = p.c;
    p.net.set_trace(move |e| {
        if e.link.src != from {
            return;
        }
        let mut s = hook.borrow_mut();
        match e.fate {
            Fate::Sent => s.packets.push((
                e.time,
                e.datagram.bytes.len(),
                has_pad(&e.datagram.bytes),
                false,
            )),
            Fate::Dropped(_) => {
                if let Some(last) = s
                    .packets
                    .iter_mut()
                    .rev()
                    .find(|x| x.1 == e.datagram.bytes.len() && !x.3)
                {
                    last.3 = true;
                }
            }
            Fate::Delivered { .. } => {}
        }
    });
    seen
}

fn body(index: u32, len: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(7).wrapping_add(index) as u8)
        .collect();
    v[..4].copy_from_slice(&index.to_be_bytes());
    v
}

/// Sends `lengths` as messages from the client and collects what the server receives, until
/// everything arrived or `limit`; `on_step` may change the network between steps.
fn transfer(
    p: &mut Pair,
    lengths: &[usize],
    limit: Instant,
    mut on_step: impl FnMut(&mut Pair),
) -> Vec<Vec<u8>> {
    let mut next = 0;
    let mut received = Vec::new();
    let mut partial = Vec::new();
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    while received.len() < lengths.len() {
        assert!(
            p.net.now() < limit,
            "only {} of {} messages by {limit:?}",
            received.len(),
            lengths.len()
        );
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        while next < lengths.len() {
            let opts = SendOptions {
                ppid: 51,
                ..Default::default()
            };
            match client
                .association_mut(p.id)
                .send(now, &opts, &body(next as u32, lengths[next]))
            {
                Ok(()) => next += 1,
                Err(_) => break,
            }
        }
        if !p.net.step() {
            break;
        }
        on_step(p);
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            // Large messages may come in pieces (partial delivery).
            partial.extend_from_slice(&m.payload);
            if m.complete {
                received.push(std::mem::take(&mut partial));
            }
        }
    }
    received
}

fn check_exactly_once_in_order(lengths: &[usize], received: &[Vec<u8>]) {
    assert_eq!(received.len(), lengths.len());
    for (i, m) in received.iter().enumerate() {
        let index = u32::from_be_bytes(m[..4].try_into().unwrap()) as usize;
        assert_eq!(index, i, "out of order or duplicated");
        assert!(m == &body(i as u32, lengths[i]), "message {i} corrupted");
    }
}

fn packet_size(p: &Pair) -> usize {
    p.net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .path_packet_size(0)
}

fn pl_state(p: &Pair) -> PlState {
    p.net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .plpmtud_state(0)
        .unwrap()
}

/// Runs until the client's path settles (SEARCH_COMPLETE) or `limit` passes.
fn run_until_settled(p: &mut Pair, limit: Duration) {
    let (client, id) = (p.client, p.id);
    let end = p.net.now() + limit;
    p.net.run_while(
        |n| {
            n.node::<SctpNode>(client).association(id).plpmtud_state(0)
                != Some(PlState::SearchComplete)
        },
        end,
    );
}

fn sizes(count: usize, seed: u64) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| match rng.gen_below(3) {
            0 => 8 + rng.gen_below(500) as usize,
            1 => 1000 + rng.gen_below(4000) as usize,
            _ => 10_000 + rng.gen_below(30_000) as usize,
        })
        .collect()
}

#[test]
fn grows_to_the_path_mtu_and_bulk_transfer_uses_large_packets() {
    let mut p = established(1, link(JUMBO), config(true));
    assert_eq!(packet_size(&p), 1200, "discovery starts at BASE_PLPMTU");
    let start = p.net.now();
    run_until_settled(&mut p, Duration::from_secs(60));
    assert_eq!(pl_state(&p), PlState::SearchComplete);
    assert_eq!(packet_size(&p), JUMBO);
    // Common sizes pass within round trips; the failed larger sizes take MAX_PROBES probe
    // timers each (the refinement included): well under a minute.
    let took = p.net.now() - start;
    assert!(took < Duration::from_secs(30), "{took:?}");
    let info = p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .path_info(0)
        .unwrap();
    assert_eq!(
        info.mtu, JUMBO,
        "the congestion control counts in the path MTU"
    );

    let seen = trace(&mut p);
    let lengths = vec![20_000; 300];
    let limit = p.net.now() + Duration::from_secs(120);
    let got = transfer(&mut p, &lengths, limit, |_| {});
    check_exactly_once_in_order(&lengths, &got);
    let seen = seen.borrow();
    let data: Vec<usize> = seen
        .packets
        .iter()
        .filter(|x| !x.2 && x.1 > 200)
        .map(|x| x.1)
        .collect();
    let large = data.iter().filter(|&&n| n > 8000).count();
    assert!(
        large * 10 >= data.len() * 6,
        "{large} of {} data packets above 8000 bytes",
        data.len()
    );
    assert!(data.iter().all(|&n| n <= JUMBO));
}

#[test]
fn mtu_drops_mid_transfer_are_detected_and_every_message_arrives_once() {
    for seed in 0..3 {
        let mut p = established(10 + seed, link(JUMBO), config(true));
        run_until_settled(&mut p, Duration::from_secs(60));
        assert_eq!(packet_size(&p), JUMBO);
        let lengths = sizes(400, seed);
        let t0 = p.net.now();
        let mut phase = 0;
        let mut after_first = None;
        let mut after_second = None;
        let got = transfer(&mut p, &lengths, t0 + Duration::from_secs(600), |p| {
            let now = p.net.now();
            if phase == 0 && now >= t0 + Duration::from_millis(300) {
                set_mtu(p, ETHERNET);
                phase = 1;
            } else if phase == 1 && packet_size(p) == ETHERNET {
                after_first = Some(p.net.now() - t0);
                set_mtu(p, MINIMUM);
                phase = 2;
            } else if phase == 2 && packet_size(p) == MINIMUM && after_second.is_none() {
                after_second = Some(p.net.now() - t0);
            }
        });
        check_exactly_once_in_order(&lengths, &got);
        assert!(
            after_first.is_some(),
            "seed {seed}: never shrank to {ETHERNET}"
        );
        // The rest of the transfer may end before the second search does.
        run_until_settled(&mut p, Duration::from_secs(120));
        assert_eq!(packet_size(&p), MINIMUM, "seed {seed}");
        let (c, s) = (p.c, p.s);
        assert!(p.net.link_stats(c, s).dropped_mtu > 0);
        assert!(p.net.node::<SctpNode>(p.client).association(p.id).state() == State::Established);
    }
}

#[test]
fn with_discovery_off_the_mtu_stays_fixed() {
    let mut p = established(3, link(JUMBO), config(false));
    let seen = trace(&mut p);
    p.net.run_for(Duration::from_secs(120));
    assert_eq!(packet_size(&p), 1280, "the configured MTU");
    assert_eq!(pl_state(&p), PlState::Disabled);
    let lengths = vec![5000; 50];
    let limit = p.net.now() + Duration::from_secs(60);
    let got = transfer(&mut p, &lengths, limit, |_| {});
    check_exactly_once_in_order(&lengths, &got);
    let seen = seen.borrow();
    assert!(seen.packets.iter().all(|x| !x.2), "no probe was sent");
    assert!(seen.packets.iter().all(|x| x.1 <= 1280));
    assert!(seen.packets.iter().any(|x| x.1 > 1200));

    // A path that cannot carry the configured MTU stays broken without discovery, and works
    // with it.
    let mut q = established(4, link(MINIMUM), config(false));
    let lengths = vec![3000; 5];
    let limit = q.net.now() + Duration::from_secs(20);
    let server_id = q.net.node::<SctpNode>(q.server).accepted[0];
    let now = q.net.now();
    for (i, &len) in lengths.iter().enumerate() {
        q.net
            .node_mut::<SctpNode>(q.client)
            .association_mut(q.id)
            .send(now, &SendOptions::default(), &body(i as u32, len))
            .unwrap();
    }
    q.net.run_until(limit);
    assert!(q
        .net
        .node_mut::<SctpNode>(q.server)
        .association_mut(server_id)
        .recv()
        .is_none());
    let mut r = established(4, link(MINIMUM), config(true));
    let limit = r.net.now() + Duration::from_secs(20);
    let got = transfer(&mut r, &lengths, limit, |_| {});
    check_exactly_once_in_order(&lengths, &got);
}

#[test]
fn lost_probes_do_not_shrink_the_congestion_window() {
    // A path of 1472 bytes: every probe above it is lost while data flows. A congestion
    // response (T3-rtx or fast retransmit) would halve ssthresh; lost probes must not cause one.
    let mut p = established(5, link(ETHERNET), config(true));
    let seen = trace(&mut p);
    let (client, id) = (p.client, p.id);
    let mut ssthresh = usize::MAX;
    let mut lowered = Vec::new();
    let mut cwnd_max = 0;
    let lengths = vec![1000; 3000];
    let limit = p.net.now() + Duration::from_secs(120);
    let got = transfer(&mut p, &lengths, limit, |p| {
        let info = p
            .net
            .node::<SctpNode>(client)
            .association(id)
            .path_info(0)
            .unwrap();
        if info.ssthresh < ssthresh && ssthresh != usize::MAX {
            lowered.push((p.net.now(), ssthresh, info.ssthresh));
        }
        ssthresh = info.ssthresh;
        cwnd_max = cwnd_max.max(info.cwnd);
    });
    check_exactly_once_in_order(&lengths, &got);
    run_until_settled(&mut p, Duration::from_secs(60));
    assert_eq!(packet_size(&p), ETHERNET);
    let seen = seen.borrow();
    let lost_probes = seen.packets.iter().filter(|x| x.2 && x.3).count();
    assert!(
        lost_probes >= 3,
        "probes above the path MTU were lost: {lost_probes}"
    );
    assert!(lowered.is_empty(), "ssthresh lowered: {lowered:?}");
    assert!(cwnd_max > 10 * ETHERNET, "cwnd grew: {cwnd_max}");
    let a = p.net.node::<SctpNode>(client).association(id);
    assert_eq!(a.counters().timodata, 0, "no data timed out");
    assert_eq!(a.counters().sendfastretrans, 0, "no fast retransmit");
    assert_eq!(
        a.counters().timoheartbeat,
        0,
        "probe timeouts are not heartbeat timeouts"
    );
    assert_eq!(a.paths().get(0).unwrap().error_count, 0, "nor path errors");
}

#[test]
fn messages_keep_their_bytes_across_many_mtu_changes() {
    // The link MTU moves between sizes while a stream of mixed messages flows, on a lossy link.
    let mut p = established(
        7,
        LinkConfig {
            loss: 0.01,
            ..link(JUMBO)
        },
        config(true),
    );
    let lengths = sizes(300, 7);
    let t0 = p.net.now();
    let schedule = [(2, ETHERNET), (20, JUMBO), (40, MINIMUM), (60, JUMBO)];
    let mut next = 0;
    let mut changes: BTreeMap<usize, usize> = BTreeMap::new();
    let got = transfer(&mut p, &lengths, t0 + Duration::from_secs(900), |p| {
        if next < schedule.len() && p.net.now() >= t0 + Duration::from_secs(schedule[next].0) {
            set_mtu(p, schedule[next].1);
            next += 1;
        }
        *changes.entry(packet_size(p)).or_default() += 1;
    });
    check_exactly_once_in_order(&lengths, &got);
    // It followed the link down to the smallest size and had used the largest.
    assert!(changes.keys().any(|&s| s == MINIMUM), "{changes:?}");
    assert!(changes.keys().any(|&s| s == JUMBO), "{changes:?}");
}

#[test]
fn shutdown_during_the_search_ends_cleanly() {
    // Probes are due or in flight (the link loses the larger ones) when the shutdown starts.
    let mut p = established(8, link(ETHERNET), config(true));
    p.net.run_for(Duration::from_millis(100));
    assert_eq!(pl_state(&p), PlState::Searching);
    let now = p.net.now();
    p.net
        .node_mut::<SctpNode>(p.client)
        .association_mut(p.id)
        .shutdown(now);
    let (client, id) = (p.client, p.id);
    let limit = p.net.now() + Duration::from_secs(30);
    p.net.run_while(
        |n| {
            n.node::<SctpNode>(client)
                .endpoint
                .association(id)
                .is_some_and(|a| !a.is_closed())
        },
        limit,
    );
    assert!(p.net.now() < limit, "the shutdown did not complete");
    assert!(p
        .net
        .node::<SctpNode>(client)
        .has_event(id, |e| matches!(e, usrsctp::assoc::Event::ShutdownComplete)));
}

#[test]
fn a_drop_that_loses_no_data_is_found_by_confirmation_while_data_flows() {
    // Data is cut for the base size, so at an Ethernet size the data packets carry one chunk
    // and stay near 1200 bytes: when the path falls to the IPv6 minimum, no data is lost, and
    // only the confirmation probes (every CONFIRMATION_TIMER while data flows) find it.
    let mut p = established(31, link(ETHERNET), config(true));
    run_until_settled(&mut p, Duration::from_secs(60));
    assert_eq!(packet_size(&p), ETHERNET);
    set_mtu(&mut p, MINIMUM);
    let seen = trace(&mut p);
    let t0 = p.net.now();
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    let (mut sent, mut received, mut shrank) = (0u32, 0u32, None);
    while p.net.now() < t0 + Duration::from_secs(30) {
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        client
            .association_mut(p.id)
            .send(now, &SendOptions::default(), &body(sent, 3000))
            .unwrap();
        sent += 1;
        p.net.run_for(ms(50));
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            assert!(m.complete && m.payload == body(received, 3000));
            received += 1;
        }
        if shrank.is_none() && packet_size(&p) == MINIMUM {
            shrank = Some(p.net.now() - t0);
        }
    }
    // No data was lost: the first packets dropped are the MAX_PROBES confirmations of the
    // old size (the search from BASE then loses probes of larger sizes).
    let seen = seen.borrow();
    let dropped: Vec<(usize, bool)> = seen
        .packets
        .iter()
        .filter(|x| x.3)
        .map(|x| (x.1, x.2))
        .collect();
    assert!(dropped.iter().all(|&(_, pad)| pad), "{dropped:?}");
    assert_eq!(
        dropped.get(..3),
        Some(&[(ETHERNET, true); 3][..]),
        "{dropped:?}"
    );
    // CONFIRMATION_TIMER (10 s), MAX_PROBES probe timers, then the search from BASE.
    let shrank = shrank.expect("the black hole was found");
    assert!(shrank < Duration::from_secs(20), "{shrank:?}");
    assert!(received + 1 >= sent, "{received} of {sent}");
}
