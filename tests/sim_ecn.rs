//! ECN between two of our endpoints in the simulator (RFC 9260 Appendix A): negotiation, ECT(0)
//! on DATA packets, CE marks echoed in ECNE until a CWR, and the sender's window halved at most
//! once per window of data.

mod support;

use support::sctp_node::{net as net_addr, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::capabilities::Capabilities;
use usrsctp::assoc::SendOptions;
use usrsctp::endpoint::EndpointConfig;
use usrsctp::wire::packet::Packet;

const DATA: u8 = 0;
const ECNE: u8 = 12;
const CWR: u8 = 13;

fn config(ecn: bool) -> EndpointConfig {
    let mut config = EndpointConfig::default();
    config.association.capabilities = Capabilities {
        ecn,
        ..Capabilities::default()
    };
    config
}

/// A client (10.0.0.1:5000) and a listening server (10.0.0.2:5001) with the given ECN offers,
/// on a 10 ms, 20 Mbit/s link, run until the handshake is over.
fn pair(seed: u64, client_ecn: bool, server_ecn: bool) -> Pair {
    let mut net = Network::new(seed);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client = net.add_node(SctpNode::new(c, config(client_ecn), seed ^ 1), &[c]);
    let server_node = SctpNode::new(s, config(server_ecn), seed ^ 2).listening();
    let server = net.add_node(server_node, &[s]);
    let link = LinkConfig {
        bandwidth_bps: Some(20_000_000),
        ..LinkConfig::with_delay(ms(10))
    };
    net.connect(c, s, link);
    let id = net
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net_addr(s), 5001)
        .unwrap();
    net.run_until(Instant::from_millis(1000));
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

/// Sends `count` messages of `len` bytes from the client and runs until the server has them
/// all (at most 60 simulated seconds); returns how many arrived.
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

/// The chunk types of a datagram.
fn chunk_types(bytes: &[u8]) -> Vec<u8> {
    let packet = Packet::parse(bytes).unwrap();
    packet
        .raw_chunks()
        .flatten()
        .map(|c| c.chunk_type)
        .collect()
}

/// (ECN bits, chunk types) of every datagram sent from `src` since the trace started.
fn sent_from(p: &Pair, src: Addr) -> Vec<(u8, Vec<u8>)> {
    p.net
        .trace_log()
        .iter()
        .filter(|r| r.fate == Fate::Sent && r.datagram.src == src)
        .map(|r| (r.datagram.ecn, chunk_types(&r.datagram.bytes)))
        .collect()
}

#[test]
fn agreed_ecn_marks_data_packets_ect0_and_nothing_else() {
    let mut p = pair(1, true, true);
    assert!(
        p.net
            .node::<SctpNode>(p.client)
            .association(p.id)
            .capabilities()
            .ecn
    );
    p.net.record_trace(true);
    assert_eq!(transfer(&mut p, 50, 1000), 50);
    let client = sent_from(&p, p.c);
    let server = sent_from(&p, p.s);
    assert!(client.iter().any(|(_, t)| t.contains(&DATA)));
    for (ecn, types) in client.iter().chain(&server) {
        let expected = if types.contains(&DATA) { 2 } else { 0 };
        assert_eq!(*ecn, expected, "ECN bits of a packet with chunks {types:?}");
    }
    // No congestion on the way: nobody echoes or reduces.
    for node in [p.client, p.server] {
        let c = p.net.node::<SctpNode>(node).endpoint.counters();
        assert_eq!((c.sendecne, c.recvecne, c.ecnereducedcwnd), (0, 0, 0));
    }
}

#[test]
fn ecn_needs_both_ends() {
    for (client, server) in [(true, false), (false, true)] {
        let mut p = pair(2, client, server);
        let assoc = p.net.node::<SctpNode>(p.client).association(p.id);
        assert!(!assoc.capabilities().ecn, "client {client} server {server}");
        p.net.record_trace(true);
        assert_eq!(transfer(&mut p, 20, 1000), 20);
        assert!(p.net.trace_log().iter().all(|r| r.datagram.ecn == 0));
    }
}

#[test]
fn ce_marks_halve_the_window_once_per_window_and_stop_after_cwr() {
    // The reference: the same transfer without marks opens the window wide.
    let mut clean = pair(3, true, true);
    assert_eq!(transfer(&mut clean, 400, 1000), 400);
    let clean_ssthresh = clean
        .net
        .node::<SctpNode>(clean.client)
        .association(clean.id)
        .path_info(0)
        .unwrap()
        .ssthresh;

    let mut p = pair(3, true, true);
    p.net.link_mut(p.c, p.s).ce_mark = 1.0;
    p.net.record_trace(true);
    assert_eq!(transfer(&mut p, 400, 1000), 400);
    let info = p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .path_info(0)
        .unwrap();
    let sender = p.net.node::<SctpNode>(p.client).endpoint.counters();
    let receiver = p.net.node::<SctpNode>(p.server).endpoint.counters();
    assert!(p.net.link_stats(p.c, p.s).ce_marked > 0);
    // The receiver echoed, the sender heard it and reduced, but not once per ECNE: once per
    // window of data.
    // (The last echoes may still be on their way back.)
    assert!(
        sender.recvecne > 0 && sender.recvecne <= receiver.sendecne,
        "{} ECNEs sent, {} received",
        receiver.sendecne,
        sender.recvecne
    );
    assert!(sender.ecnereducedcwnd > 0);
    assert!(
        sender.ecnereducedcwnd * 2 < sender.recvecne,
        "{} reductions for {} ECNEs",
        sender.ecnereducedcwnd,
        sender.recvecne
    );
    // (cwnd itself ends near flight size + Max.Burst either way; ssthresh keeps the history.)
    assert!(
        info.ssthresh <= 2 * info.mtu && clean_ssthresh > 10 * info.mtu,
        "ssthresh {} with marks, {clean_ssthresh} without",
        info.ssthresh
    );
    // Every ECNE carried a TSN the sender had sent, and the sender answered with CWRs.
    let client = sent_from(&p, p.c);
    assert!(client.iter().any(|(_, t)| t.contains(&CWR)));

    // No more marks: after a CWR the receiver stops echoing.
    p.net.link_mut(p.c, p.s).ce_mark = 0.0;
    assert_eq!(transfer(&mut p, 50, 1000), 50);
    p.net.run_for(ms(1000));
    let echoes_before = p
        .net
        .node::<SctpNode>(p.server)
        .endpoint
        .counters()
        .sendecne;
    assert_eq!(transfer(&mut p, 50, 1000), 50);
    let echoes_after = p
        .net
        .node::<SctpNode>(p.server)
        .endpoint
        .counters()
        .sendecne;
    assert_eq!(echoes_before, echoes_after);
    let last_server_packets = sent_from(&p, p.s);
    assert!(!last_server_packets
        .iter()
        .rev()
        .take(10)
        .any(|(_, t)| t.contains(&ECNE)));
}
