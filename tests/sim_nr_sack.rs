//! NR-SACK between two of our endpoints in the simulator, as libusrsctp offers it when
//! sctp_nrsack_enable is on: both ends must list it; the receiver then acknowledges with
//! NR-SACKs whose NR gap blocks let the sender free data before the cumulative ack reaches it,
//! and everything still arrives over a lossy link.

mod support;

use support::sctp_node::{net as net_addr, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::capabilities::Capabilities;
use usrsctp::assoc::SendOptions;
use usrsctp::endpoint::EndpointConfig;
use usrsctp::wire::packet::Packet;

const SACK: u8 = 3;
const NR_SACK: u8 = 16;

fn config(nr_sack: bool) -> EndpointConfig {
    let mut config = EndpointConfig::default();
    // No Nagle: each message leaves at once, in a packet of its own.
    config.association.nodelay = true;
    config.association.capabilities = Capabilities {
        nr_sack,
        ..Capabilities::default()
    };
    config
}

fn pair(seed: u64, client: bool, server: bool, link: LinkConfig) -> Pair {
    let mut net = Network::new(seed);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client_id = net.add_node(SctpNode::new(c, config(client), seed ^ 1), &[c]);
    let server_node = SctpNode::new(s, config(server), seed ^ 2).listening();
    let server_id = net.add_node(server_node, &[s]);
    net.connect(c, s, link);
    let id = net
        .node_mut::<SctpNode>(client_id)
        .endpoint
        .connect(Instant::ZERO, net_addr(s), 5001)
        .unwrap();
    net.run_until(Instant::from_millis(10_000));
    assert_eq!(net.node::<SctpNode>(server_id).accepted.len(), 1);
    Pair {
        net,
        client: client_id,
        server: server_id,
        c,
        s,
        id,
    }
}

/// Sends `count` numbered messages of `len` bytes on two streams, runs until the server has
/// them all (at most 5 simulated minutes); checks each stream's order; returns how many came.
fn transfer(p: &mut Pair, count: usize, len: usize) -> usize {
    let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
    let limit = p.net.now() + std::time::Duration::from_secs(300);
    let (mut sent, mut received) = (0usize, 0usize);
    let mut next = [0u32; 2];
    while received < count && p.net.now() < limit {
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        while sent < count {
            let stream = (sent % 2) as u16;
            let mut body = vec![stream as u8; len];
            body[..4].copy_from_slice(&((sent / 2) as u32).to_be_bytes());
            let opts = SendOptions {
                stream,
                ..SendOptions::default()
            };
            match client.association_mut(p.id).send(now, &opts, &body) {
                Ok(()) => sent += 1,
                Err(_) => break,
            }
        }
        if !p.net.step() {
            break;
        }
        let server = p.net.node_mut::<SctpNode>(p.server);
        while let Some(m) = server.association_mut(server_id).recv() {
            let stream = usize::from(m.stream_id.0);
            let index = u32::from_be_bytes(m.payload[..4].try_into().unwrap());
            assert_eq!(index, next[stream], "stream {stream} out of order");
            assert!(m.payload[4..].iter().all(|&b| b == stream as u8));
            next[stream] += 1;
            received += 1;
        }
    }
    received
}

/// The chunk types the server sent.
fn server_chunks(p: &Pair) -> Vec<u8> {
    p.net
        .trace_log()
        .iter()
        .filter(|r| r.fate == Fate::Sent && r.datagram.src == p.s)
        .flat_map(|r| {
            let packet = Packet::parse(&r.datagram.bytes).unwrap();
            packet
                .raw_chunks()
                .flatten()
                .map(|c| c.chunk_type)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn nr_sack_needs_both_ends() {
    for (client, server, agreed) in [
        (true, true, true),
        (true, false, false),
        (false, true, false),
    ] {
        let mut p = pair(31, client, server, LinkConfig::with_delay(ms(10)));
        p.net.record_trace(true);
        let assoc = p.net.node::<SctpNode>(p.client).association(p.id);
        assert_eq!(assoc.capabilities().nr_sack, agreed);
        assert_eq!(transfer(&mut p, 20, 500), 20);
        let chunks = server_chunks(&p);
        let (want, never) = if agreed {
            (NR_SACK, SACK)
        } else {
            (SACK, NR_SACK)
        };
        assert!(chunks.contains(&want) && !chunks.contains(&never));
    }
}

#[test]
fn everything_arrives_under_loss_with_nr_sacks() {
    let link = LinkConfig {
        loss: 0.05,
        reorder: 0.05,
        duplicate: 0.02,
        ..LinkConfig::with_delay(ms(20))
    };
    let mut p = pair(32, true, true, link);
    p.net.record_trace(true);
    assert_eq!(transfer(&mut p, 300, 700), 300);
    assert!(server_chunks(&p).contains(&NR_SACK));
    // The last acknowledgements reach the sender: nothing is left in its buffer.
    p.net.run_for(ms(1000));
    let client = p.net.node::<SctpNode>(p.client).association(p.id);
    assert_eq!(client.buffered_amount(), 0);
}

#[test]
fn the_sender_frees_nr_acked_data_before_the_gap_closes() {
    // The same start twice: the first DATA packet is lost, three follow. With NR-SACK the
    // sender gets the room of those three back at once; with SACK only when TSN 1 is repaired.
    let mut buffered = Vec::new();
    for nr in [false, true] {
        let mut p = pair(33, nr, nr, LinkConfig::with_delay(ms(10)));
        let mut dropped = false;
        p.net.set_drop_filter(move |_, d| {
            let data = d.bytes.get(12) == Some(&0);
            let drop = data && !dropped;
            dropped |= drop;
            drop
        });
        let now = p.net.now();
        let client = p.net.node_mut::<SctpNode>(p.client);
        for i in 0..3u8 {
            let assoc = client.association_mut(p.id);
            assoc
                .send(now, &SendOptions::default(), &vec![i; 1000])
                .unwrap();
        }
        // The SACKs for the packets after the lost one are back (even delayed ones), and
        // neither a fast retransmit (it takes three reports) nor T3 (RTO.Min is 1 s) has
        // repaired the gap yet.
        p.net.run_for(ms(500));
        let assoc = p.net.node::<SctpNode>(p.client).association(p.id);
        buffered.push(assoc.buffered_amount());
        // Then everything arrives.
        p.net.run_for(ms(5000));
        let server_id = p.net.node::<SctpNode>(p.server).accepted[0];
        let server = p.net.node_mut::<SctpNode>(p.server);
        let mut got = 0;
        while server.association_mut(server_id).recv().is_some() {
            got += 1;
        }
        assert_eq!(got, 3, "nr_sack {nr}");
        assert_eq!(
            p.net
                .node::<SctpNode>(p.client)
                .association(p.id)
                .buffered_amount(),
            0
        );
    }
    assert_eq!(buffered, vec![3000, 1000]);
}
