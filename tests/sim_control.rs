//! The control plane of associations in the simulator: handshake (also under loss), INIT
//! retransmission back-off, heartbeats and association failure, shutdown, abort, and what an
//! endpoint answers when nobody listens.

mod support;

use std::time::Duration;

use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::event::LossReason;
use usrsctp::assoc::{Event, State};
use usrsctp::endpoint::EndpointConfig;
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::packet::Packet;

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];

struct Pair {
    net: Network,
    client: NodeId,
    server: NodeId,
    c: Addr,
    s: Addr,
}

fn pair(seed: u64, link: LinkConfig, config: EndpointConfig) -> Pair {
    let mut net = Network::new(seed);
    let (c, s) = (v4(CLIENT, 5000), v4(SERVER, 5001));
    let client = net.add_node(SctpNode::new(c, config.clone(), seed ^ 1), &[c]);
    let server = net.add_node(SctpNode::new(s, config, seed ^ 2).listening(), &[s]);
    net.connect(c, s, link);
    Pair {
        net,
        client,
        server,
        c,
        s,
    }
}

impl Pair {
    fn client(&mut self) -> &mut SctpNode {
        self.net.node_mut::<SctpNode>(self.client)
    }

    fn connect(&mut self) -> u32 {
        let (now, s) = (self.net.now(), self.s);
        self.client()
            .endpoint
            .connect(now, net(s), 5001)
            .expect("connect")
    }

    fn connected(&self, id: u32) -> bool {
        let client = self.net.node::<SctpNode>(self.client);
        let server = self.net.node::<SctpNode>(self.server);
        client.has_event(id, |e| matches!(e, Event::Connected { .. }))
            && server
                .accepted
                .first()
                .is_some_and(|sid| server.has_event(*sid, |e| matches!(e, Event::Connected { .. })))
    }
}

fn secs(s: u64) -> Instant {
    Instant::from_millis(s * 1000)
}

#[test]
fn handshake_establishes_both_sides() {
    let mut p = pair(1, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    let id = p.connect();
    p.net.run_for(ms(100));
    assert!(p.connected(id));
    let client = p.net.node::<SctpNode>(p.client);
    assert_eq!(client.association(id).state(), State::Established);
    assert_eq!(client.association(id).streams(), (10, 10));
    let server = p.net.node::<SctpNode>(p.server);
    let sid = server.accepted[0];
    assert_eq!(server.association(sid).streams(), (10, 10));
    assert_eq!(
        server.association(sid).peer_tag(),
        client.association(id).local_tag()
    );
    assert_eq!(
        client.association(id).peer_tag(),
        server.association(sid).local_tag()
    );
    // Four packets: INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK.
    assert_eq!(
        p.net.link_stats(p.c, p.s).sent + p.net.link_stats(p.s, p.c).sent,
        4
    );
}

#[test]
fn handshake_completes_under_thirty_percent_loss() {
    let mut completed = 0;
    let seeds = 0..60u64;
    for seed in seeds.clone() {
        let link = LinkConfig {
            loss: 0.3,
            ..LinkConfig::with_delay(ms(20))
        };
        let mut p = pair(seed, link, EndpointConfig::default());
        let id = p.connect();
        // Max.Init.Retransmits = 8 with RTO back-off capped at 60 s bounds each phase.
        let limit = secs(1500);
        p.net.run_while(
            |n| {
                let c = n.node::<SctpNode>(NodeId(0));
                !c.has_event(id, |e| {
                    matches!(e, Event::Connected { .. } | Event::CannotStart)
                })
            },
            limit,
        );
        if p.connected(id)
            || p.net
                .node::<SctpNode>(p.client)
                .has_event(id, |e| matches!(e, Event::Connected { .. }))
        {
            completed += 1;
        } else {
            eprintln!("seed {seed}: {:?}", p.net.node::<SctpNode>(p.client).events);
        }
    }
    // Each phase fails only if 9 round trips in a row lose a packet (0.51^9 ≈ 0.2 %).
    assert_eq!(
        completed,
        seeds.count(),
        "handshakes that gave up under 30 % loss"
    );
}

#[test]
fn init_retransmissions_back_off_then_give_up() {
    let mut p = pair(3, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    p.net.set_up(p.c, p.s, false);
    let sent = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = sent.clone();
    p.net.set_trace(move |e| {
        if matches!(e.fate, Fate::Sent) {
            log.borrow_mut().push(e.time);
        }
    });
    let id = p.connect();
    p.net.run_until(secs(600));
    let times = sent.borrow().clone();
    // The first INIT and 8 retransmissions (Max.Init.Retransmits).
    assert_eq!(times.len(), 9, "{times:?}");
    let gaps: Vec<u64> = times.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
    // RTO.Initial 3 s doubling per RFC 9260 §6.3.3, capped by the init RTO max of 60 s.
    assert_eq!(gaps, [3, 6, 12, 24, 48, 60, 60, 60]);
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(id, |e| *e == Event::CannotStart));
    assert!(client.has_event(id, |e| *e == Event::Lost(LossReason::HandshakeFailed)));
    assert_eq!(client.association(id).state(), State::Closed);
}

#[test]
fn init_to_a_port_nobody_listens_on_is_aborted() {
    let mut p = pair(4, LinkConfig::with_delay(ms(5)), EndpointConfig::default());
    let server = p.server;
    p.net.node_mut::<SctpNode>(server).endpoint.listen(false);
    let id = p.connect();
    p.net.run_for(ms(100));
    let client = p.net.node::<SctpNode>(p.client);
    assert!(
        client.has_event(id, |e| *e == Event::CannotStart),
        "{:?}",
        client.events
    );
    assert_eq!(client.association(id).state(), State::Closed);
}

#[test]
fn graceful_shutdown_completes_on_both_sides() {
    let mut p = pair(5, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    let id = p.connect();
    p.net.run_for(ms(200));
    assert!(p.connected(id));
    let now = p.net.now();
    p.client().association_mut(id).shutdown(now);
    p.net.run_for(ms(200));
    let client = p.net.node::<SctpNode>(p.client);
    let server = p.net.node::<SctpNode>(p.server);
    let sid = server.accepted[0];
    assert!(client.has_event(id, |e| *e == Event::ShutdownComplete));
    assert!(server.has_event(sid, |e| *e == Event::PeerShutdown));
    assert!(server.has_event(sid, |e| *e == Event::ShutdownComplete));
    assert!(client.association(id).is_closed() && server.association(sid).is_closed());
}

#[test]
fn abort_reaches_the_peer_with_its_reason() {
    let mut p = pair(6, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    let id = p.connect();
    p.net.run_for(ms(200));
    p.client().association_mut(id).abort(b"bye");
    p.net.run_for(ms(100));
    let server = p.net.node::<SctpNode>(p.server);
    let sid = server.accepted[0];
    let lost = server.events_of(sid).into_iter().find_map(|e| match e {
        Event::Lost(LossReason::PeerAborted { causes }) => Some(causes.clone()),
        _ => None,
    });
    // One User-Initiated Abort cause (12) with "bye", padded.
    assert_eq!(lost, Some(vec![0, 12, 0, 7, b'b', b'y', b'e', 0]));
    assert!(server.association(sid).is_closed());
}

#[test]
fn association_fails_after_assoc_max_retrans_when_the_link_dies() {
    let mut config = EndpointConfig::default();
    config.association.heartbeat_interval = Some(Duration::from_secs(1));
    let mut p = pair(7, LinkConfig::with_delay(ms(10)), config);
    let id = p.connect();
    p.net.run_for(Duration::from_secs(30));
    assert!(p.connected(id));
    let heartbeats = p.net.link_stats(p.c, p.s).sent - 2; // INIT and COOKIE-ECHO
    assert!(
        heartbeats >= 5,
        "heartbeats flow while the link lives: {heartbeats}"
    );
    p.net.set_up(p.c, p.s, false);
    let died = p.net.now();
    p.net.run_while(
        |n| {
            !n.node::<SctpNode>(NodeId(0))
                .has_event(id, |e| matches!(e, Event::Lost(_)))
        },
        died + Duration::from_secs(600),
    );
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(id, |e| *e
        == Event::Lost(LossReason::RetransmissionsExceeded)));
    assert!(
        client.has_event(id, |e| matches!(e, Event::PathChanged { .. })),
        "the path went unreachable first"
    );
    // 11 unanswered heartbeats (Association.Max.Retrans = 10), each one interval plus jitter.
    let took = p.net.now() - died;
    assert!(
        took > Duration::from_secs(11) && took < Duration::from_secs(60),
        "{took:?}"
    );
}

#[test]
fn out_of_the_blue_packets_get_an_abort_with_the_t_bit() {
    let mut p = pair(8, LinkConfig::with_delay(ms(5)), EndpointConfig::default());
    let replies = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = replies.clone();
    let server_addr = p.s;
    p.net.set_trace(move |e| {
        if e.datagram.src == server_addr && matches!(e.fate, Fate::Sent) {
            log.borrow_mut().push(e.datagram.bytes.clone());
        }
    });
    // A HEARTBEAT with a made-up tag, to the listening server.
    let mut bytes = vec![
        0x13, 0x88, 0x13, 0x89, 0xaa, 0xbb, 0xcc, 0xdd, 0, 0, 0, 0, 4, 0, 0, 8, 0, 1, 0, 4,
    ];
    usrsctp::wire::crc::set_checksum(&mut bytes);
    let now = p.net.now();
    p.net
        .node_mut::<SctpNode>(p.server)
        .handle_datagram(now, Datagram::new(p.c, p.s, bytes));
    p.net.run_for(ms(50));
    let replies = replies.borrow();
    assert_eq!(replies.len(), 1);
    let packet = Packet::parse(&replies[0]).unwrap();
    assert_eq!(packet.header.verification_tag, 0xaabb_ccdd);
    let Some(Ok(Chunk::Abort(abort))) = packet.chunks().next() else {
        panic!("not an ABORT")
    };
    assert!(abort.tag_reflected);
}

#[test]
fn data_retransmissions_back_off_until_the_association_fails() {
    let mut config = EndpointConfig::default();
    config.association.heartbeat_interval = None;
    let mut p = pair(12, LinkConfig::with_delay(ms(10)), config);
    let id = p.connect();
    p.net.run_for(ms(200));
    let sent = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = sent.clone();
    p.net.set_trace(move |e| {
        let has_data = Packet::parse(&e.datagram.bytes)
            .map(|pk| pk.chunks().flatten().any(|c| matches!(c, Chunk::Data(_))))
            .unwrap_or(false);
        if has_data && matches!(e.fate, Fate::Sent) {
            log.borrow_mut().push(e.time);
        }
    });
    p.net.set_up(p.c, p.s, false);
    let now = p.net.now();
    let opts = usrsctp::assoc::SendOptions {
        stream: 0,
        ppid: 1,
        ..Default::default()
    };
    p.client()
        .association_mut(id)
        .send(now, &opts, b"lost")
        .unwrap();
    p.net.run_for(Duration::from_secs(1200));
    let times = sent.borrow().clone();
    let gaps: Vec<u64> = times.windows(2).map(|w| (w[1] - w[0]).as_secs()).collect();
    // RTO.Min is 1 s (the handshake measured a 20 ms RTT); it doubles per timeout (§6.3.3 E2)
    // up to RTO.Max 60 s, and the 11th timeout exceeds Association.Max.Retrans.
    assert_eq!(gaps, [1, 2, 4, 8, 16, 32, 60, 60, 60, 60], "{times:?}");
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(id, |e| *e
        == Event::Lost(LossReason::RetransmissionsExceeded)));
    assert!(client.has_event(
        id,
        |e| matches!(e, Event::SendFailed(f) if f.data == b"lost")
    ));
}

#[test]
fn a_restarted_peer_gets_a_fresh_association() {
    let mut p = pair(
        13,
        LinkConfig::with_delay(ms(10)),
        EndpointConfig::default(),
    );
    let id = p.connect();
    p.net.run_for(ms(200));
    assert!(p.connected(id));
    let server = p.server;
    let sid = p.net.node::<SctpNode>(server).accepted[0];
    let old_tag = p.net.node::<SctpNode>(server).association(sid).peer_tag();
    // The client process restarts: a new endpoint, same address and port, a new association.
    let fresh = usrsctp::endpoint::Endpoint::new(
        EndpointConfig::default(),
        5000,
        p.net.now(),
        Box::new(usrsctp::types::SeededRandom::new(99)),
    );
    p.client().endpoint = fresh;
    let (now, s) = (p.net.now(), p.s);
    let new_id = p.client().endpoint.connect(now, net(s), 5001).unwrap();
    p.net.run_for(ms(300));
    let server_node = p.net.node::<SctpNode>(server);
    assert!(
        server_node.has_event(sid, |e| matches!(e, Event::Restarted { .. })),
        "{:?}",
        server_node.events
    );
    let assoc = server_node.association(sid);
    assert_ne!(assoc.peer_tag(), old_tag);
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(new_id, |e| matches!(e, Event::Connected { .. })));
    assert_eq!(assoc.peer_tag(), client.association(new_id).local_tag());
}

#[test]
fn simultaneous_inits_give_one_association_on_each_side() {
    let mut p = pair(
        14,
        LinkConfig::with_delay(ms(10)),
        EndpointConfig::default(),
    );
    let client = p.client;
    p.net.node_mut::<SctpNode>(client).endpoint.listen(true);
    let id = p.connect();
    let (now, c) = (p.net.now(), p.c);
    let server = p.server;
    let sid = p
        .net
        .node_mut::<SctpNode>(server)
        .endpoint
        .connect(now, net(c), 5000)
        .unwrap();
    p.net.run_for(ms(500));
    let a = p.net.node::<SctpNode>(client).association(id);
    let b = p.net.node::<SctpNode>(server).association(sid);
    assert_eq!(a.state(), State::Established);
    assert_eq!(b.state(), State::Established);
    assert_eq!(a.peer_tag(), b.local_tag());
    assert_eq!(b.peer_tag(), a.local_tag());
    assert_eq!(
        p.net
            .node::<SctpNode>(client)
            .endpoint
            .association_ids()
            .count(),
        1
    );
    assert_eq!(
        p.net
            .node::<SctpNode>(server)
            .endpoint
            .association_ids()
            .count(),
        1
    );
}

#[test]
fn autoclose_shuts_an_idle_association_down() {
    let mut config = EndpointConfig::default();
    config.association.autoclose = Some(Duration::from_secs(5));
    let mut p = pair(15, LinkConfig::with_delay(ms(10)), config);
    let id = p.connect();
    p.net.run_for(Duration::from_secs(4));
    assert!(!p
        .net
        .node::<SctpNode>(p.client)
        .has_event(id, |e| *e == Event::ShutdownComplete));
    p.net.run_for(Duration::from_secs(3));
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .has_event(id, |e| *e == Event::ShutdownComplete));
}

#[test]
fn data_sent_before_the_handshake_rides_with_the_cookie_echo() {
    let mut p = pair(
        16,
        LinkConfig::with_delay(ms(10)),
        EndpointConfig::default(),
    );
    let first_packets = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = first_packets.clone();
    let client_addr = p.c;
    p.net.set_trace(move |e| {
        if e.datagram.src == client_addr && matches!(e.fate, Fate::Sent) {
            let types: Vec<u8> = Packet::parse(&e.datagram.bytes)
                .map(|pk| pk.chunks().flatten().map(|c| c.chunk_type()).collect())
                .unwrap_or_default();
            log.borrow_mut().push(types);
        }
    });
    let id = p.connect();
    let now = p.net.now();
    let opts = usrsctp::assoc::SendOptions {
        stream: 1,
        ppid: 9,
        ..Default::default()
    };
    p.client()
        .association_mut(id)
        .send(now, &opts, b"early")
        .unwrap();
    p.net.run_for(ms(200));
    // INIT, then COOKIE-ECHO (10) with DATA (0) behind it.
    assert_eq!(first_packets.borrow()[1], [10, 0]);
    let server = p.server;
    let node = p.net.node_mut::<SctpNode>(server);
    let sid = node.accepted[0];
    let message = node.association_mut(sid).recv().expect("the early message");
    assert_eq!(
        (message.stream_id.0, message.ppid.0, &message.payload[..]),
        (1, 9, &b"early"[..])
    );
}

#[test]
fn the_shutdown_guard_ends_a_shutdown_that_never_completes() {
    let mut config = EndpointConfig::default();
    config.association.heartbeat_interval = None;
    let mut p = pair(17, LinkConfig::with_delay(ms(10)), config);
    let id = p.connect();
    p.net.run_for(ms(200));
    p.net.set_up(p.c, p.s, false);
    let start = p.net.now();
    p.client().association_mut(id).shutdown(start);
    p.net.run_while(
        |n| {
            !n.node::<SctpNode>(NodeId(0))
                .has_event(id, |e| matches!(e, Event::Lost(_)))
        },
        start + Duration::from_secs(1000),
    );
    // T5-shutdown-guard is 5 × RTO.Max = 300 s; T2 backs off (1, 2, 4, ... 60 s) and would
    // reach Association.Max.Retrans only after 363 s.
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(id, |e| *e == Event::Lost(LossReason::ShutdownGuardExpired)));
    assert_eq!((p.net.now() - start).as_secs(), 300);
}

#[test]
fn data_reaching_a_shutdown_sender_is_answered_at_once() {
    // The server shuts down while the client's last message is on the wire: the message reaches
    // the server in SHUTDOWN-SENT, which must answer it at once with a SACK and a SHUTDOWN
    // (RFC 9260 §9.2), not after its 200 ms delayed-SACK timer.
    let mut p = pair(
        21,
        LinkConfig::with_delay(ms(10)),
        EndpointConfig::default(),
    );
    let id = p.connect();
    p.net.run_for(ms(200));
    assert!(p.connected(id));
    let opts = usrsctp::assoc::SendOptions::default();
    let now = p.net.now();
    // A first message, so that the next one is not the first DATA (always acknowledged at once).
    p.client()
        .association_mut(id)
        .send(now, &opts, b"first")
        .unwrap();
    p.net.run_for(ms(500));
    let start = p.net.now();
    p.client()
        .association_mut(id)
        .send(start, &opts, b"last")
        .unwrap();
    let server = p.net.node_mut::<SctpNode>(p.server);
    let sid = server.accepted[0];
    server.association_mut(sid).shutdown(start);
    p.net.run_while(
        |n| !n.node::<SctpNode>(NodeId(0)).association(id).is_closed(),
        start + Duration::from_secs(10),
    );
    // SHUTDOWN and the DATA cross (10 ms); SACK and SHUTDOWN back (20 ms); SHUTDOWN-ACK (30 ms);
    // SHUTDOWN-COMPLETE (40 ms). The delayed SACK would have made it 230 ms at least.
    let took = p.net.now() - start;
    assert!(took < ms(100), "shutdown took {took:?}");
    let client = p.net.node::<SctpNode>(p.client);
    assert!(client.has_event(id, |e| *e == Event::ShutdownComplete));
    let server = p.net.node_mut::<SctpNode>(p.server);
    let got: Vec<Vec<u8>> = std::iter::from_fn(|| server.association_mut(sid).recv())
        .map(|m| m.payload.to_vec())
        .collect();
    assert_eq!(got, [b"first".to_vec(), b"last".to_vec()]);
}
