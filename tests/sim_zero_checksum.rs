//! Zero checksum (RFC 9653) between two of our endpoints in the simulator: with both ends
//! accepting it, packets after the INIT carry checksum 0 and data flows; with one end only,
//! every packet carries a CRC32c; a corrupted packet with a CRC is still caught.

mod support;

use support::sctp_node::{net as net_addr, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::capabilities::Capabilities;
use usrsctp::assoc::SendOptions;
use usrsctp::endpoint::EndpointConfig;
use usrsctp::wire::packet::Packet;

const INIT: u8 = 1;

fn config(zero_checksum: bool) -> EndpointConfig {
    let mut config = EndpointConfig::default();
    config.association.capabilities = Capabilities {
        zero_checksum,
        ..Capabilities::default()
    };
    config
}

/// A client and a listening server with the given offers, run until the handshake is over,
/// with the trace recording from the start.
fn pair(seed: u64, client_zc: bool, server_zc: bool, link: LinkConfig) -> Pair {
    let mut net = Network::new(seed);
    net.record_trace(true);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client = net.add_node(SctpNode::new(c, config(client_zc), seed ^ 1), &[c]);
    let server_node = SctpNode::new(s, config(server_zc), seed ^ 2).listening();
    let server = net.add_node(server_node, &[s]);
    net.connect(c, s, link);
    let id = net
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net_addr(s), 5001)
        .unwrap();
    net.run_until(Instant::from_millis(5000));
    assert_eq!(net.node::<SctpNode>(server).accepted.len(), 1);
    Pair {
        net,
        client,
        server,
        c,
        s,
        id,
    }
}

/// Sends `count` messages from the client, runs until the server has them (60 s at most) and
/// checks them; returns how many arrived.
fn transfer(p: &mut Pair, count: usize, len: usize) -> usize {
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    let limit = p.net.now() + std::time::Duration::from_secs(60);
    let (mut sent, mut received) = (0, 0);
    while received < count && p.net.now() < limit {
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        while sent < count {
            let body = vec![(sent % 251) as u8; len];
            match client
                .association_mut(p.id)
                .send(now, &SendOptions::default(), &body)
            {
                Ok(()) => sent += 1,
                Err(_) => break,
            }
        }
        if !p.net.step() {
            break;
        }
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            assert_eq!(m.payload, vec![(received % 251) as u8; len]);
            received += 1;
        }
    }
    received
}

/// (checksum field, first chunk type) of every datagram sent.
fn sent(p: &Pair) -> Vec<(u32, u8, Addr)> {
    p.net
        .trace_log()
        .iter()
        .filter(|r| r.fate == Fate::Sent)
        .map(|r| {
            let packet = Packet::parse(&r.datagram.bytes).unwrap();
            let first = packet.raw_chunks().next().unwrap().unwrap().chunk_type;
            (packet.header.checksum, first, r.datagram.src)
        })
        .collect()
}

#[test]
fn both_ends_accepting_send_zero_checksums_after_the_init() {
    let mut p = pair(11, true, true, LinkConfig::with_delay(ms(5)));
    let assoc = p.net.node::<SctpNode>(p.client).association(p.id);
    assert!(assoc.capabilities().zero_checksum);
    assert_eq!(transfer(&mut p, 100, 800), 100);
    let packets = sent(&p);
    // The INIT (before anything was agreed) has a CRC; the INIT-ACK, sent by the endpoint
    // without an association, too.
    assert_ne!(packets[0].0, 0);
    assert_eq!(packets[0].1, INIT);
    assert_ne!(packets[1].0, 0);
    // Everything after that, both ways (COOKIE-ECHO, COOKIE-ACK, DATA, SACK) has checksum 0.
    assert!(packets.len() > 50);
    for (checksum, first, src) in &packets[2..] {
        assert_eq!(*checksum, 0, "chunk type {first} from {src}");
    }
    let receiver = p.net.node::<SctpNode>(p.server).endpoint.counters();
    assert_eq!(receiver.badsum, 0);
}

#[test]
fn one_end_alone_gets_crcs_everywhere() {
    for (client, server) in [(true, false), (false, true)] {
        let mut p = pair(12, client, server, LinkConfig::with_delay(ms(5)));
        let assoc = p.net.node::<SctpNode>(p.client).association(p.id);
        assert!(!assoc.capabilities().zero_checksum);
        assert_eq!(transfer(&mut p, 50, 800), 50);
        for r in p.net.trace_log().iter().filter(|r| r.fate == Fate::Sent) {
            assert!(usrsctp::wire::crc::verify(&r.datagram.bytes));
        }
    }
}

#[test]
fn a_corrupted_packet_with_a_crc_is_dropped_by_an_end_that_accepts_zero_checksums() {
    // The server accepts zero checksums, the client does not: the client's packets carry CRCs,
    // and the server must still check them.
    let link = LinkConfig {
        corrupt: 0.05,
        ..LinkConfig::with_delay(ms(5))
    };
    let mut p = pair(13, false, true, link);
    p.net.link_mut(p.s, p.c).corrupt = 0.0;
    assert_eq!(transfer(&mut p, 200, 800), 200);
    let corrupted = p.net.link_stats(p.c, p.s).corrupted;
    let server = p.net.node::<SctpNode>(p.server).endpoint.counters();
    assert!(corrupted > 0);
    // Each corrupted copy failed its CRC (a flipped bit in the ports may send it to no
    // endpoint at all, which counts elsewhere).
    assert!(server.badsum > 0 && server.badsum <= corrupted);
}

#[test]
fn zero_checksum_packets_are_dropped_where_nobody_offered_them() {
    // Both ends agree, so the client sends zero checksums; the server then stops accepting
    // them for new associations, but this association offered them: still accepted. A second
    // endpoint that never offered drops the client's zero-checksum packets.
    let mut p = pair(14, true, true, LinkConfig::with_delay(ms(5)));
    assert_eq!(transfer(&mut p, 10, 100), 10);
    p.net
        .node_mut::<SctpNode>(p.server)
        .endpoint
        .config_mut()
        .association
        .capabilities
        .zero_checksum = false;
    assert_eq!(transfer(&mut p, 10, 100), 10);

    let zero_packet = p
        .net
        .trace_log()
        .iter()
        .rev()
        .find(|r| r.fate == Fate::Sent && r.datagram.src == p.c)
        .map(|r| r.datagram.bytes.clone())
        .unwrap();
    assert_eq!(zero_packet[8..12], [0, 0, 0, 0]);
    let mut stranger = SctpNode::new(p.s, config(false), 99).listening();
    use support::sim::Node;
    stranger.handle_datagram(p.net.now(), Datagram::new(p.c, p.s, zero_packet));
    let c = stranger.endpoint.counters();
    assert_eq!((c.badsum, c.outoftheblue), (1, 0));
    assert!(stranger.poll_transmit(p.net.now()).is_none());
}

#[test]
fn an_init_with_a_zero_checksum_is_dropped_even_by_an_accepting_end() {
    let p = pair(15, true, true, LinkConfig::with_delay(ms(5)));
    let mut init = p
        .net
        .trace_log()
        .iter()
        .find(|r| r.fate == Fate::Sent && r.datagram.bytes.get(12) == Some(&INIT))
        .map(|r| r.datagram.bytes.clone())
        .unwrap();
    init[8..12].copy_from_slice(&[0, 0, 0, 0]);
    let mut server = SctpNode::new(p.s, config(true), 98).listening();
    use support::sim::Node;
    server.handle_datagram(p.net.now(), Datagram::new(p.c, p.s, init));
    assert_eq!(server.endpoint.counters().badsum, 1);
    assert!(server.poll_transmit(p.net.now()).is_none());
}
