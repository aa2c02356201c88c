//! Stream reconfiguration (RFC 6525) between two of our endpoints in the simulator: the data
//! channel close pattern (each side resets its outgoing stream), a reset with data in flight, a
//! lost request and a lost response, the peer's request waiting for its last TSN (In progress)
//! and the data held meanwhile, repeated and out-of-sequence requests, association reset, adding
//! streams, requests the peer denies, and the errors of the commands.

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use support::sctp_node::{established, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::capabilities::Capabilities;
use usrsctp::assoc::event::ReconfigOutcome;
use usrsctp::assoc::reconfig::{
    ReconfigError, ACCEPT_ADD_STREAMS, ACCEPT_RESET_ASSOC, ACCEPT_RESET_STREAMS,
};
use usrsctp::assoc::{Config, Event, SendError, SendOptions};
use usrsctp::endpoint::{AssocId, EndpointConfig};
use usrsctp::types::StreamId;
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::packet::Packet;
use usrsctp::wire::param::{Param, ReconfigResult};
use usrsctp::wire::tlv::ParamIter;

const ALL: u32 = ACCEPT_RESET_STREAMS | ACCEPT_RESET_ASSOC | ACCEPT_ADD_STREAMS;

fn config(accept: u32) -> EndpointConfig {
    EndpointConfig {
        association: Config {
            capabilities: Capabilities {
                reconfig: true,
                ..Capabilities::default()
            },
            reconfig_accept: accept,
            ..Config::default()
        },
        ..EndpointConfig::default()
    }
}

fn pair(seed: u64, accept: u32) -> Pair {
    let p = established(seed, LinkConfig::with_delay(ms(20)), config(accept));
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .supports_reconfig());
    p
}

/// Which side of the pair.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Client,
    Server,
}

fn node(p: &mut Pair, side: Side) -> (&mut SctpNode, AssocId) {
    match side {
        Side::Client => {
            let id = p.id;
            (p.net.node_mut::<SctpNode>(p.client), id)
        }
        Side::Server => {
            let n = p.net.node_mut::<SctpNode>(p.server);
            let id = n.accepted[0];
            (n, id)
        }
    }
}

fn try_send(p: &mut Pair, side: Side, stream: u16, body: &[u8]) -> Result<(), SendError> {
    let now = p.net.now();
    let (n, id) = node(p, side);
    let opts = SendOptions {
        stream,
        ppid: 51,
        ..Default::default()
    };
    n.association_mut(id).send(now, &opts, body)
}

fn send(p: &mut Pair, side: Side, stream: u16, body: &[u8]) {
    try_send(p, side, stream, body).expect("send");
}

/// Every message received so far: (stream, SSN, payload).
fn received(p: &mut Pair, side: Side) -> Vec<(u16, u32, Vec<u8>)> {
    let (n, id) = node(p, side);
    let mut out = Vec::new();
    while let Some(m) = n.association_mut(id).recv() {
        out.push((m.stream_id.0, m.ssn_or_mid, m.payload));
    }
    out
}

fn resets(p: &mut Pair, side: Side) -> Vec<Event> {
    let (n, id) = node(p, side);
    n.events_of(id)
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Event::StreamReset { .. } | Event::AssocReset { .. } | Event::StreamChange { .. }
            )
        })
        .cloned()
        .collect()
}

fn reset_event(incoming: bool, outcome: ReconfigOutcome, streams: &[u16]) -> Event {
    Event::StreamReset {
        incoming,
        outgoing: !incoming,
        outcome,
        streams: streams.iter().map(|&s| StreamId(s)).collect(),
    }
}

fn reset(p: &mut Pair, side: Side, streams: &[u16], incoming: bool, outgoing: bool) {
    let now = p.net.now();
    let (n, id) = node(p, side);
    n.association_mut(id)
        .reset_streams(now, streams, incoming, outgoing)
        .expect("reset_streams");
}

/// The RE-CONFIG parameters of a packet: (type, result of a response).
fn reconfig_params(bytes: &[u8]) -> Vec<(u16, Option<ReconfigResult>)> {
    let Ok(packet) = Packet::parse(bytes) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in packet.chunks().flatten() {
        if let Chunk::Reconfig(c) = chunk {
            for raw in ParamIter::new(c.params).flatten() {
                let result = match Param::parse(&raw) {
                    Ok(Param::ReconfigurationResponse(r)) => Some(r.result),
                    _ => None,
                };
                out.push((raw.param_type, result));
            }
        }
    }
    out
}

#[test]
fn data_channel_close_resets_both_directions() {
    let mut p = pair(1, ALL);
    for i in 0..3u8 {
        send(&mut p, Side::Client, 1, &[i; 10]);
        send(&mut p, Side::Server, 1, &[i; 10]);
    }
    p.net.run_for(ms(500));
    let got: Vec<u32> = received(&mut p, Side::Server).iter().map(|m| m.1).collect();
    assert_eq!(got, [0, 1, 2]);
    assert_eq!(received(&mut p, Side::Client).len(), 3);

    // The client closes the channel: it resets its outgoing stream 1; the server, told that
    // its incoming stream 1 was reset, resets its own outgoing stream 1.
    reset(&mut p, Side::Client, &[1], false, true);
    p.net.run_for(ms(200));
    assert_eq!(
        resets(&mut p, Side::Server),
        [reset_event(true, ReconfigOutcome::Performed, &[1])]
    );
    reset(&mut p, Side::Server, &[1], false, true);
    p.net.run_for(ms(500));
    let client = resets(&mut p, Side::Client);
    assert_eq!(
        client,
        [
            reset_event(false, ReconfigOutcome::Performed, &[1]),
            reset_event(true, ReconfigOutcome::Performed, &[1]),
        ]
    );
    assert_eq!(
        resets(&mut p, Side::Server)[1],
        reset_event(false, ReconfigOutcome::Performed, &[1])
    );

    // The stream is reused by a new channel: numbering starts from 0 both ways.
    send(&mut p, Side::Client, 1, b"new channel");
    send(&mut p, Side::Server, 1, b"new channel too");
    p.net.run_for(ms(500));
    assert_eq!(
        received(&mut p, Side::Server),
        [(1, 0, b"new channel".to_vec())]
    );
    assert_eq!(
        received(&mut p, Side::Client),
        [(1, 0, b"new channel too".to_vec())]
    );
}

#[test]
fn reset_with_data_in_flight_waits_for_it() {
    let mut p = pair(2, ALL);
    for i in 0..20u8 {
        send(&mut p, Side::Client, 1, &[i; 1000]);
    }
    send(&mut p, Side::Client, 2, b"other stream");
    reset(&mut p, Side::Client, &[1], false, true);
    // From the reset until its answer, the stream takes no new message (EAGAIN in libusrsctp);
    // the other streams do.
    assert_eq!(
        try_send(&mut p, Side::Client, 1, b"refused"),
        Err(SendError::BufferFull)
    );
    send(&mut p, Side::Client, 2, b"other stream again");
    p.net.run_while(
        |n| {
            !n.node::<SctpNode>(NodeId(0))
                .events
                .iter()
                .any(|(_, e)| matches!(e, Event::StreamReset { outgoing: true, .. }))
        },
        p.net.now() + ms(10_000),
    );
    send(&mut p, Side::Client, 1, b"after 1");
    send(&mut p, Side::Client, 1, b"after 2");
    p.net.run_for(ms(3000));
    let got = received(&mut p, Side::Server);
    let stream1: Vec<(u32, usize)> = got
        .iter()
        .filter(|m| m.0 == 1)
        .map(|m| (m.1, m.2.len()))
        .collect();
    let mut want: Vec<(u32, usize)> = (0..20).map(|i| (i, 1000)).collect();
    want.push((0, 7));
    want.push((1, 7));
    assert_eq!(stream1, want);
    assert!(got.iter().any(|m| m.0 == 2));
    assert_eq!(
        resets(&mut p, Side::Client),
        [reset_event(false, ReconfigOutcome::Performed, &[1])]
    );
}

#[test]
fn lost_request_and_lost_response_are_retransmitted() {
    let mut p = pair(3, ALL);
    let (c, s) = (p.c, p.s);
    let dropped = Rc::new(RefCell::new((0u32, 0u32)));
    let seen = dropped.clone();
    p.net.set_drop_filter(move |_, d| {
        let params = reconfig_params(&d.bytes);
        let mut counts = seen.borrow_mut();
        // The first request from the client and the first response from the server are lost.
        if d.src == c && params.iter().any(|x| x.0 == 13) && counts.0 == 0 {
            counts.0 += 1;
            return true;
        }
        if d.src == s && params.iter().any(|x| x.0 == 16) && counts.1 == 0 {
            counts.1 += 1;
            return true;
        }
        false
    });
    send(&mut p, Side::Client, 3, b"before");
    p.net.run_for(ms(200));
    let start = p.net.now();
    reset(&mut p, Side::Client, &[3], false, true);
    p.net.run_while(
        |n| {
            !n.node::<SctpNode>(n_client(n))
                .events
                .iter()
                .any(|(_, e)| matches!(e, Event::StreamReset { outgoing: true, .. }))
        },
        start + std::time::Duration::from_secs(30),
    );
    let took = p.net.now() - start;
    assert_eq!(*dropped.borrow(), (1, 1));
    // Two Reconfig timeouts: the first RTO (1 s at least) and the backed-off one.
    assert!(took >= ms(2000), "took {took:?}");
    assert_eq!(
        resets(&mut p, Side::Client),
        [reset_event(false, ReconfigOutcome::Performed, &[3])]
    );
    // The server performed it once, and answered the retransmission as before.
    assert_eq!(
        resets(&mut p, Side::Server),
        [reset_event(true, ReconfigOutcome::Performed, &[3])]
    );
    send(&mut p, Side::Client, 3, b"after");
    p.net.run_for(ms(300));
    let got = received(&mut p, Side::Server);
    assert_eq!(got.last().map(|m| (m.0, m.1)), Some((3, 0)));
}

/// The client node of the pair built by `established` (the first node added).
fn n_client(_n: &Network) -> NodeId {
    NodeId(0)
}

#[test]
fn peer_request_waits_for_its_last_tsn() {
    let mut p = pair(4, ALL);
    let (c, s) = (p.c, p.s);
    let answers = Rc::new(RefCell::new(Vec::new()));
    let log = answers.clone();
    let mut dropped_data = false;
    p.net.set_drop_filter(move |_, d| {
        for (t, r) in reconfig_params(&d.bytes) {
            if d.src == s && t == 16 {
                log.borrow_mut().push(r);
            }
        }
        // Lose the client's first DATA packet: the server's cumulative TSN stays behind the
        // reset request's last TSN until it is retransmitted.
        let has_data = Packet::parse(&d.bytes)
            .map(|pk| pk.chunks().flatten().any(|c| matches!(c, Chunk::Data(_))))
            .unwrap_or(false);
        if d.src == c && has_data && !dropped_data {
            dropped_data = true;
            return true;
        }
        false
    });
    send(&mut p, Side::Client, 1, b"first");
    send(&mut p, Side::Client, 1, b"second");
    reset(&mut p, Side::Client, &[1], false, true);
    assert_eq!(
        try_send(&mut p, Side::Client, 1, b"third"),
        Err(SendError::BufferFull)
    );
    p.net.run_for(ms(8000));
    send(&mut p, Side::Client, 1, b"fourth");
    p.net.run_for(ms(500));
    let results: Vec<Option<ReconfigResult>> = answers.borrow().clone();
    assert_eq!(results.first(), Some(&Some(ReconfigResult::InProgress)));
    assert_eq!(
        results.last(),
        Some(&Some(ReconfigResult::SuccessPerformed))
    );
    let got: Vec<(u32, Vec<u8>)> = received(&mut p, Side::Server)
        .into_iter()
        .map(|m| (m.1, m.2))
        .collect();
    assert_eq!(
        got,
        [
            (0, b"first".to_vec()),
            (1, b"second".to_vec()),
            (0, b"fourth".to_vec())
        ]
    );
    assert_eq!(
        resets(&mut p, Side::Client),
        [reset_event(false, ReconfigOutcome::Performed, &[1])]
    );
}

#[test]
fn association_reset_restarts_tsns_and_ssns() {
    let mut p = pair(5, ALL);
    send(&mut p, Side::Client, 0, b"a");
    send(&mut p, Side::Client, 0, b"b");
    send(&mut p, Side::Server, 0, b"c");
    p.net.run_for(ms(500));
    let before = {
        let (n, id) = node(&mut p, Side::Server);
        n.association_mut(id).recv().unwrap().tsn
    };
    let _ = received(&mut p, Side::Server);
    let now = p.net.now();
    let (n, id) = node(&mut p, Side::Client);
    n.association_mut(id).reset_association(now).unwrap();
    assert_eq!(
        n.association_mut(id).reset_association(now),
        Err(ReconfigError::InProgress)
    );
    p.net.run_for(ms(500));
    for side in [Side::Client, Side::Server] {
        let events = resets(&mut p, side);
        assert_eq!(events.len(), 3, "{side:?}: {events:?}");
        assert_eq!(
            events[0],
            reset_event(false, ReconfigOutcome::Performed, &[])
        );
        assert_eq!(
            events[1],
            reset_event(true, ReconfigOutcome::Performed, &[])
        );
        assert!(matches!(
            events[2],
            Event::AssocReset {
                outcome: ReconfigOutcome::Performed,
                ..
            }
        ));
    }
    // Both sides agree on the new TSNs (each reports its own next TSN and the peer's plus 1).
    let (
        Event::AssocReset {
            local_tsn: cl,
            remote_tsn: cr,
            ..
        },
        Event::AssocReset {
            local_tsn: sl,
            remote_tsn: sr,
            ..
        },
    ) = (
        resets(&mut p, Side::Client)[2].clone(),
        resets(&mut p, Side::Server)[2].clone(),
    )
    else {
        unreachable!()
    };
    assert_eq!(cl.wrapping_add(1), sr);
    assert_eq!(sl.wrapping_add(1), cr);
    send(&mut p, Side::Client, 0, b"after");
    send(&mut p, Side::Server, 0, b"after too");
    p.net.run_for(ms(500));
    let (n, id) = node(&mut p, Side::Server);
    let m = n.association_mut(id).recv().unwrap();
    assert_eq!(
        (m.stream_id.0, m.ssn_or_mid, &m.payload[..]),
        (0, 0, &b"after"[..])
    );
    assert_eq!(m.tsn.0, cl);
    assert!(m.tsn.0.wrapping_sub(before.0) >= 1 << 31);
    assert_eq!(
        received(&mut p, Side::Client)[1],
        (0, 0, b"after too".to_vec())
    );
}

#[test]
fn add_streams_both_ways() {
    let mut p = pair(6, ALL);
    let now = p.net.now();
    let (n, id) = node(&mut p, Side::Client);
    assert_eq!(
        n.association_mut(id).add_streams(now, 0, 0),
        Err(ReconfigError::InvalidArgument)
    );
    n.association_mut(id).add_streams(now, 5, 3).unwrap();
    p.net.run_for(ms(500));
    assert_eq!(
        {
            let (n, id) = node(&mut p, Side::Client);
            n.association(id).streams()
        },
        (15, 13)
    );
    let (n, sid) = node(&mut p, Side::Server);
    assert_eq!(n.association(sid).streams(), (13, 15));
    assert_eq!(
        resets(&mut p, Side::Client),
        [Event::StreamChange {
            outcome: ReconfigOutcome::Performed,
            inbound_streams: 13,
            outbound_streams: 15
        }]
    );
    // The server reports each addition as it performs it.
    assert_eq!(
        resets(&mut p, Side::Server).last(),
        Some(&Event::StreamChange {
            outcome: ReconfigOutcome::Performed,
            inbound_streams: 15,
            outbound_streams: 13
        })
    );
    send(&mut p, Side::Client, 14, b"on a new stream");
    send(&mut p, Side::Server, 12, b"back on a new one");
    p.net.run_for(ms(500));
    assert_eq!(
        received(&mut p, Side::Server),
        [(14, 0, b"on a new stream".to_vec())]
    );
    assert_eq!(
        received(&mut p, Side::Client),
        [(12, 0, b"back on a new one".to_vec())]
    );
}

#[test]
fn denied_requests_change_nothing() {
    let mut p = pair(7, 0);
    send(&mut p, Side::Client, 1, b"one");
    p.net.run_for(ms(300));
    reset(&mut p, Side::Client, &[1], false, true);
    p.net.run_for(ms(300));
    reset(&mut p, Side::Client, &[2], true, false);
    p.net.run_for(ms(300));
    let now = p.net.now();
    let (n, id) = node(&mut p, Side::Client);
    n.association_mut(id).add_streams(now, 2, 2).unwrap();
    p.net.run_for(ms(300));
    let now = p.net.now();
    let (n, id) = node(&mut p, Side::Client);
    n.association_mut(id).reset_association(now).unwrap();
    p.net.run_for(ms(300));
    let events = resets(&mut p, Side::Client);
    assert_eq!(events.len(), 4, "{events:?}");
    assert_eq!(events[0], reset_event(false, ReconfigOutcome::Denied, &[1]));
    assert_eq!(events[1], reset_event(true, ReconfigOutcome::Denied, &[2]));
    assert_eq!(
        events[2],
        Event::StreamChange {
            outcome: ReconfigOutcome::Denied,
            inbound_streams: 10,
            outbound_streams: 10
        }
    );
    assert!(matches!(
        events[3],
        Event::AssocReset {
            outcome: ReconfigOutcome::Denied,
            ..
        }
    ));
    assert!(resets(&mut p, Side::Server).is_empty());
    assert_eq!(
        {
            let (n, id) = node(&mut p, Side::Client);
            n.association(id).streams()
        },
        (10, 10)
    );
    // The stream is usable again and keeps its numbering.
    send(&mut p, Side::Client, 1, b"two");
    p.net.run_for(ms(300));
    let got: Vec<u32> = received(&mut p, Side::Server).iter().map(|m| m.1).collect();
    assert_eq!(got, [0, 1]);
}

#[test]
fn command_errors() {
    let mut p = pair(8, ALL);
    let now = p.net.now();
    let (n, id) = node(&mut p, Side::Client);
    let a = n.association_mut(id);
    assert_eq!(
        a.reset_streams(now, &[10], false, true),
        Err(ReconfigError::InvalidArgument)
    );
    assert_eq!(
        a.reset_streams(now, &[1], false, false),
        Err(ReconfigError::InvalidArgument)
    );
    a.reset_streams(now, &[1], true, false).unwrap();
    assert_eq!(
        a.reset_streams(now, &[2], true, false),
        Err(ReconfigError::InProgress)
    );
    // Outgoing resets accumulate while one is outstanding, as libusrsctp lets them.
    a.reset_streams(now, &[2], false, true).unwrap();
    assert_eq!(a.reset_association(now), Err(ReconfigError::InProgress));

    let mut plain = established(9, LinkConfig::with_delay(ms(5)), EndpointConfig::default());
    let now = plain.net.now();
    let id = plain.id;
    let a = plain
        .net
        .node_mut::<SctpNode>(plain.client)
        .association_mut(id);
    assert_eq!(
        a.reset_streams(now, &[1], false, true),
        Err(ReconfigError::NotSupported)
    );
    assert_eq!(a.add_streams(now, 1, 0), Err(ReconfigError::NotSupported));
}

/// RFC 6525 §5.2.2 E1: while a reset waits for its last TSN, DATA of the stream with a later
/// TSN is acknowledged and held, then delivered after the reset as the first message of the
/// reset stream. (A peer that follows the RFC sends nothing on the stream before the answer, so
/// the later chunk is forged here and injected into the server.)
#[test]
fn data_after_a_deferred_reset_is_held_until_the_reset() {
    use usrsctp::assoc::output::PacketBuffer;
    use usrsctp::types::{Ppid, Ssn};
    use usrsctp::wire::chunk::DataChunk;

    let mut p = pair(11, ALL);
    let (c, s) = (p.c, p.s);
    let last_tsn = Rc::new(RefCell::new(None));
    let in_progress = Rc::new(RefCell::new(false));
    let mute_server = Rc::new(RefCell::new(false));
    let (seen_tsn, seen_answer, mute) =
        (last_tsn.clone(), in_progress.clone(), mute_server.clone());
    let mut dropped_data = false;
    p.net.set_drop_filter(move |_, d| {
        let Ok(packet) = Packet::parse(&d.bytes) else {
            return false;
        };
        for chunk in packet.chunks().flatten() {
            if let Chunk::Reconfig(r) = chunk {
                for raw in ParamIter::new(r.params).flatten() {
                    match Param::parse(&raw) {
                        Ok(Param::OutgoingSsnResetRequest(q)) if d.src == c => {
                            *seen_tsn.borrow_mut() = Some(q.last_tsn)
                        }
                        Ok(Param::ReconfigurationResponse(a))
                            if d.src == s && a.result == ReconfigResult::InProgress =>
                        {
                            *seen_answer.borrow_mut() = true
                        }
                        _ => {}
                    }
                }
            }
        }
        let data = packet
            .chunks()
            .flatten()
            .any(|c| matches!(c, Chunk::Data(_)));
        if d.src == c && data && !dropped_data {
            dropped_data = true;
            return true;
        }
        // From the injection on, the client must not see the server's acknowledgement of the
        // forged TSN, which it never sent.
        d.src == s && *mute.borrow()
    });
    send(&mut p, Side::Client, 1, b"first");
    reset(&mut p, Side::Client, &[1], false, true);
    p.net.run_for(ms(200));
    assert!(*in_progress.borrow(), "the server answered In progress");
    let last = last_tsn.borrow().expect("the request went out");

    // The forged chunk: the next TSN, stream 1, SSN 0 (numbered after the reset).
    *mute_server.borrow_mut() = true;
    let forged = DataChunk {
        tsn: last.add(1),
        stream_id: StreamId(1),
        ssn: Ssn(0),
        ppid: Ppid(51),
        unordered: false,
        beginning: true,
        ending: true,
        immediate: false,
        payload: b"forged",
    };
    let mut chunk = vec![0u8; 16 + 8];
    let n = forged.emit(&mut chunk).unwrap();
    chunk.truncate(n);
    let now = p.net.now();
    let (n, sid) = node(&mut p, Side::Server);
    let local_tag = n.association(sid).local_tag();
    let mut packet = PacketBuffer::new(5000, 5001, local_tag, 1280);
    assert!(packet.push(&chunk));
    n.endpoint
        .handle_datagram(now, net_addr(c), &packet.finish(false));
    assert!(
        received(&mut p, Side::Server).is_empty(),
        "held, not delivered"
    );

    // The client's retransmission of "first" brings the cumulative TSN to the request's last
    // TSN: the reset happens, then the held message is delivered.
    p.net.run_for(ms(5000));
    assert_eq!(
        received(&mut p, Side::Server),
        [(1, 0, b"first".to_vec()), (1, 0, b"forged".to_vec())]
    );
    assert_eq!(
        resets(&mut p, Side::Server),
        [reset_event(true, ReconfigOutcome::Performed, &[1])]
    );
}

fn net_addr(a: Addr) -> usrsctp::types::NetAddr {
    support::sctp_node::net(a)
}

/// §5.2.1: a request repeated with the sequence number already answered gets the same answer
/// again (and is not performed twice); one with an unexpected number gets Error - Bad Sequence
/// Number.
#[test]
fn repeated_and_out_of_sequence_requests() {
    use usrsctp::assoc::output::PacketBuffer;
    use usrsctp::wire::chunk::ReconfigChunk;

    let mut p = pair(12, ALL);
    let (c, s) = (p.c, p.s);
    let request = Rc::new(RefCell::new(None));
    let answers = Rc::new(RefCell::new(Vec::new()));
    let (seen_request, seen_answers) = (request.clone(), answers.clone());
    p.net.set_drop_filter(move |_, d| {
        let Ok(packet) = Packet::parse(&d.bytes) else {
            return false;
        };
        for chunk in packet.chunks().flatten() {
            if let Chunk::Reconfig(r) = chunk {
                for raw in ParamIter::new(r.params).flatten() {
                    match Param::parse(&raw) {
                        Ok(Param::OutgoingSsnResetRequest(q)) if d.src == c => {
                            *seen_request.borrow_mut() =
                                Some((q.request_seq, q.response_seq, q.last_tsn))
                        }
                        Ok(Param::ReconfigurationResponse(a)) if d.src == s => {
                            seen_answers.borrow_mut().push((a.response_seq, a.result))
                        }
                        _ => {}
                    }
                }
            }
        }
        false
    });
    reset(&mut p, Side::Client, &[2], false, true);
    p.net.run_for(ms(300));
    let (seq, response_seq, last_tsn) = request.borrow().expect("a request");
    assert_eq!(*answers.borrow(), [(seq, ReconfigResult::SuccessPerformed)]);

    let inject = |p: &mut Pair, request_seq: u32| {
        // Outgoing SSN Reset Request (type 13, length 18) for stream 2, padded.
        let mut params = vec![0, 13, 0, 18];
        params.extend_from_slice(&request_seq.to_be_bytes());
        params.extend_from_slice(&response_seq.to_be_bytes());
        params.extend_from_slice(&last_tsn.0.to_be_bytes());
        params.extend_from_slice(&[0, 2, 0, 0]);
        let chunk = Chunk::Reconfig(ReconfigChunk { params: &params });
        let mut bytes = vec![0u8; chunk.buffer_len()];
        let n = chunk.emit(&mut bytes).unwrap();
        bytes.truncate(n);
        let now = p.net.now();
        let (node, sid) = node(p, Side::Server);
        let mut packet = PacketBuffer::new(5000, 5001, node.association(sid).local_tag(), 1280);
        assert!(packet.push(&bytes));
        node.endpoint
            .handle_datagram(now, net_addr(c), &packet.finish(false));
        p.net.run_for(ms(100));
    };
    inject(&mut p, seq);
    inject(&mut p, seq.wrapping_add(7));
    assert_eq!(
        *answers.borrow(),
        [
            (seq, ReconfigResult::SuccessPerformed),
            (seq, ReconfigResult::SuccessPerformed),
            (seq.wrapping_add(7), ReconfigResult::ErrorBadSequenceNumber),
        ]
    );
    // Performed once only.
    assert_eq!(
        resets(&mut p, Side::Server),
        [reset_event(true, ReconfigOutcome::Performed, &[2])]
    );
}
