//! Data transfer between two of our endpoints in the simulator: exactly-once, in-order,
//! boundary- and PPID-preserving delivery over clean and lossy links, unordered delivery, a
//! graceful shutdown with data in flight, and throughput on a fast link.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use support::sctp_node::{established, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::EndpointConfig;

/// A message with a recognisable body: stream, index and length are encoded in it.
fn body(stream: u16, index: u32, len: usize) -> Vec<u8> {
    let mut v: Vec<u8> = (0..len)
        .map(|i| (i as u32).wrapping_mul(31).wrapping_add(index) as u8)
        .collect();
    if len >= 6 {
        v[..2].copy_from_slice(&stream.to_be_bytes());
        v[2..6].copy_from_slice(&index.to_be_bytes());
    }
    v
}

/// Sends `messages` (stream, length) from the client as the buffer allows and collects what
/// the server receives, until everything arrived or `limit`.
fn transfer(
    p: &mut Pair,
    messages: &[(u16, usize)],
    unordered: bool,
    limit: Instant,
) -> Vec<(u16, u32, Vec<u8>)> {
    let mut next = 0;
    let mut received = Vec::new();
    let mut pieces: std::collections::HashMap<u16, Vec<u8>> = Default::default();
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    while received.len() < messages.len() {
        assert!(
            p.net.now() < limit,
            "only {} of {} messages by {limit:?}",
            received.len(),
            messages.len()
        );
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        while next < messages.len() {
            let (stream, len) = messages[next];
            let opts = SendOptions {
                stream,
                ppid: 1000 + u32::from(stream),
                unordered,
                ..Default::default()
            };
            match client
                .association_mut(p.id)
                .send(now, &opts, &body(stream, next as u32, len))
            {
                Ok(()) => next += 1,
                Err(_) => break,
            }
        }
        p.net.step();
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            // A buffer full of messages waiting behind a lost one starts partial delivery.
            let piece = pieces.entry(m.stream_id.0).or_default();
            piece.extend_from_slice(&m.payload);
            if m.complete {
                received.push((m.stream_id.0, m.ppid.0, std::mem::take(piece)));
            }
        }
    }
    received
}

/// Every message arrived exactly once, intact, with its PPID, and in order on each stream.
fn check_delivery(messages: &[(u16, usize)], received: &[(u16, u32, Vec<u8>)], ordered: bool) {
    assert_eq!(received.len(), messages.len());
    let mut seen = vec![false; messages.len()];
    let mut last_index: BTreeMap<u16, u32> = BTreeMap::new();
    for (stream, ppid, payload) in received {
        assert_eq!(*ppid, 1000 + u32::from(*stream));
        let index = u32::from_be_bytes(payload[2..6].try_into().unwrap());
        let (want_stream, len) = messages[index as usize];
        assert_eq!(
            (*stream, payload.len()),
            (want_stream, len),
            "message {index}"
        );
        assert_eq!(
            payload,
            &body(want_stream, index, len),
            "message {index} corrupted"
        );
        assert!(!seen[index as usize], "message {index} delivered twice");
        seen[index as usize] = true;
        if ordered {
            if let Some(prev) = last_index.insert(*stream, index) {
                assert!(prev < index, "stream {stream}: {index} after {prev}");
            }
        }
    }
}

fn mixed_messages(count: usize, seed: u64) -> Vec<(u16, usize)> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let len = match rng.gen_below(4) {
                0 => 6 + rng.gen_below(20) as usize,
                1 => 100 + rng.gen_below(1000) as usize,
                2 => 1000 + rng.gen_below(3000) as usize,
                _ => 6000 + rng.gen_below(30_000) as usize,
            };
            (rng.gen_below(4) as u16, len)
        })
        .collect()
}

#[test]
fn ordered_messages_arrive_once_in_order_on_a_clean_link() {
    let mut p = established(1, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    let messages = mixed_messages(200, 1);
    let got = transfer(&mut p, &messages, false, Instant::from_millis(120_000));
    check_delivery(&messages, &got, true);
}

#[test]
fn ordered_messages_survive_loss_reordering_and_duplication() {
    for seed in 0..12 {
        let link = LinkConfig {
            loss: 0.05,
            duplicate: 0.02,
            reorder: 0.05,
            ..LinkConfig::with_delay(ms(15))
        };
        let mut p = established(100 + seed, link, EndpointConfig::default());
        let messages = mixed_messages(120, seed);
        let got = transfer(&mut p, &messages, false, Instant::from_millis(1_200_000));
        check_delivery(&messages, &got, true);
    }
}

#[test]
fn unordered_messages_arrive_once_under_loss() {
    let link = LinkConfig {
        loss: 0.1,
        ..LinkConfig::with_delay(ms(5))
    };
    let mut p = established(7, link, EndpointConfig::default());
    let messages = mixed_messages(100, 7);
    let got = transfer(&mut p, &messages, true, Instant::from_millis(1_200_000));
    check_delivery(&messages, &got, false);
}

#[test]
fn shutdown_waits_for_outstanding_data() {
    let mut p = established(9, LinkConfig::with_delay(ms(20)), EndpointConfig::default());
    let now = p.net.now();
    let client = p.net.node_mut::<SctpNode>(p.client);
    for i in 0..20u32 {
        let opts = SendOptions {
            stream: 0,
            ppid: 1000,
            ..Default::default()
        };
        client
            .association_mut(p.id)
            .send(now, &opts, &body(0, i, 3000))
            .unwrap();
    }
    client.association_mut(p.id).shutdown(now);
    p.net.run_for(Duration::from_secs(5));
    let server = p.net.node_mut::<SctpNode>(p.server);
    let sid = server.accepted[0];
    let mut count = 0;
    while let Some(m) = server.association_mut(sid).recv() {
        assert_eq!(m.payload, body(0, count, 3000));
        count += 1;
    }
    assert_eq!(count, 20);
    assert!(server.has_event(sid, |e| *e == Event::ShutdownComplete));
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .has_event(p.id, |e| *e == Event::ShutdownComplete));
}

#[test]
fn bulk_throughput_fills_a_fast_link() {
    // 100 Mbit/s, 20 ms RTT: a bandwidth-delay product of 250 kB, so a 1 MiB receive buffer,
    // and a send buffer large enough that the sender never runs out of queued data.
    let mut config = EndpointConfig::default();
    config.association.receive_buffer = 1 << 20;
    config.association.send_buffer = 4 << 20;
    // Without SCTP_NODELAY the last, short fragment waits for the delayed SACK of the packet
    // before it (Nagle, RFC 9260 §6.1), which adds 200 ms at the very end of the transfer.
    config.association.nodelay = true;
    config.association.mtu = 1200;
    let link = LinkConfig {
        bandwidth_bps: Some(100_000_000),
        mtu: 1500,
        ..LinkConfig::with_delay(ms(10))
    };
    let mut p = established(11, link, config);
    // 2400 messages of 16 KiB: 39 MB. The rate is measured once slow start is over (after the
    // first 400 messages), from the receiver's side.
    let messages: Vec<(u16, usize)> = (0..2400).map(|_| (0, 16 * 1024)).collect();
    let start = p.net.now();
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    let mut sent = 0;
    let mut received = 0usize;
    let mut warm: Option<Instant> = None;
    while received < messages.len() {
        assert!(
            p.net.now() < start + Duration::from_secs(60),
            "stalled at {received} messages"
        );
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        while sent < messages.len() {
            let opts = SendOptions {
                stream: 0,
                ppid: 1000,
                ..Default::default()
            };
            if client
                .association_mut(p.id)
                .send(now, &opts, &body(0, sent as u32, 16 * 1024))
                .is_err()
            {
                break;
            }
            sent += 1;
        }
        p.net.step();
        let now = p.net.now();
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            assert_eq!(m.payload, body(0, received as u32, 16 * 1024));
            received += 1;
            if received == 400 {
                warm = Some(now);
            }
        }
    }
    let warm = warm.unwrap();
    let elapsed = (p.net.now() - warm).as_secs_f64();
    let goodput = (messages.len() - 400) as f64 * 16384.0 * 8.0 / elapsed;
    // The most a 1200-byte packet can carry is 1172 bytes (common and DATA headers): 97.7 %.
    let share = goodput / 100e6;
    eprintln!(
        "goodput {:.1} Mbit/s ({:.0} % of the link); slow start took {:?}",
        goodput / 1e6,
        share * 100.0,
        warm - start
    );
    assert!(
        share >= 0.9,
        "goodput {:.1} Mbit/s is {:.0} % of the link",
        goodput / 1e6,
        share * 100.0
    );
}

#[test]
fn the_user_fragmentation_point_limits_data_chunks() {
    let mut config = EndpointConfig::default();
    config.association.max_fragment = 100;
    let mut p = established(12, LinkConfig::with_delay(ms(5)), config);
    let biggest = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let seen = biggest.clone();
    p.net.set_trace(move |e| {
        if let Ok(packet) = usrsctp::wire::packet::Packet::parse(&e.datagram.bytes) {
            for chunk in packet.chunks().flatten() {
                if let usrsctp::wire::chunk::Chunk::Data(d) = chunk {
                    seen.set(seen.get().max(d.payload.len()));
                }
            }
        }
    });
    let messages: Vec<(u16, usize)> = vec![(0, 1000), (1, 99), (0, 5000)];
    let got = transfer(&mut p, &messages, false, Instant::from_millis(60_000));
    check_delivery(&messages, &got, true);
    assert_eq!(biggest.get(), 100);
}
