//! Zero checksum (RFC 9653) between our engine and Google's dcSCTP (the `dcsctp` crate) in the
//! simulator: with both accepting the DTLS method, each side's packets after INIT and INIT-ACK
//! carry checksum 0 and data flows both ways; with one side only, every packet has a CRC32c.

mod support;

use support::dcsctp_node::{self as dc, DcsctpNode, State as DcState};
use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::capabilities::Capabilities;
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::EndpointConfig;

const PORT: u16 = 5000;

/// Runs a handshake (our side the client when `ours_first`), 20 messages each way, and returns
/// the network with the trace, our node and dcsctp's.
fn run(ours_first: bool, ours_zc: bool, dc_zc: bool) -> (Network, NodeId, NodeId) {
    let mut network = Network::new(41);
    network.record_trace(true);
    let (o, d) = (v4([10, 0, 0, 1], PORT), v4([10, 0, 0, 2], PORT));
    let mut config = EndpointConfig::default();
    config.association.mtu = 1200;
    config.association.capabilities = Capabilities {
        zero_checksum: ours_zc,
        ..Capabilities::default()
    };
    let mut node = SctpNode::new(o, config, 7);
    if !ours_first {
        node = node.listening();
    }
    let ours = network.add_node(node, &[o]);
    let dc_config = dc::Config {
        seed: 8,
        local_port: PORT,
        remote_port: PORT,
        mtu: 1200,
        zero_checksum: dc_zc,
        ..dc::Config::default()
    };
    let dcn = network.add_node(DcsctpNode::new(d, o, &dc_config), &[d]);
    network.connect(o, d, LinkConfig::with_delay(ms(10)));
    if ours_first {
        let e = &mut network.node_mut::<SctpNode>(ours).endpoint;
        e.connect(Instant::ZERO, net(d), PORT).unwrap();
    } else {
        network.node_mut::<DcsctpNode>(dcn).connect();
    }
    network.run_until(Instant::from_millis(2000));
    assert_eq!(network.node::<DcsctpNode>(dcn).state(), DcState::Connected);
    let id = network
        .node::<SctpNode>(ours)
        .endpoint
        .association_ids()
        .next()
        .unwrap();
    assert!(network
        .node::<SctpNode>(ours)
        .has_event(id, |e| matches!(e, Event::Connected { .. })));
    let now = network.now();
    for i in 0..20u8 {
        let ours_node = network.node_mut::<SctpNode>(ours);
        let opts = SendOptions {
            ppid: 51,
            ..SendOptions::default()
        };
        ours_node
            .association_mut(id)
            .send(now, &opts, &vec![i; 500])
            .unwrap();
        let dc_node = network.node_mut::<DcsctpNode>(dcn);
        dc_node.send(0, 51, &vec![i; 700], false).unwrap();
    }
    network.run_for(ms(3000));
    let got: Vec<Vec<u8>> = network
        .node_mut::<DcsctpNode>(dcn)
        .received()
        .into_iter()
        .map(|m| m.payload)
        .collect();
    assert_eq!(got, (0..20u8).map(|i| vec![i; 500]).collect::<Vec<_>>());
    let ours_node = network.node_mut::<SctpNode>(ours);
    let mut mine = Vec::new();
    while let Some(m) = ours_node.association_mut(id).recv() {
        mine.push(m.payload);
    }
    assert_eq!(mine, (0..20u8).map(|i| vec![i; 700]).collect::<Vec<_>>());
    (network, ours, dcn)
}

/// (checksum is zero, CRC is right, first chunk type) of each packet sent, in order.
fn checksums(net: &Network) -> Vec<(bool, bool, u8)> {
    net.trace_log()
        .iter()
        .filter(|r| r.fate == Fate::Sent)
        .map(|r| {
            let b = &r.datagram.bytes;
            (
                b[8..12] == [0, 0, 0, 0],
                usrsctp::wire::crc::verify(b),
                b[12],
            )
        })
        .collect()
}

#[test]
fn both_accepting_use_zero_checksums_in_either_role() {
    for ours_first in [true, false] {
        let (network, _, dcn) = run(ours_first, true, true);
        let metrics = network.node::<DcsctpNode>(dcn).metrics().unwrap();
        assert!(metrics.uses_zero_checksum);
        let packets = checksums(&network);
        // The INIT carries a CRC (nothing was agreed yet). INIT-ACK and COOKIE-ECHO may carry
        // either: dcsctp sends its INIT-ACK with checksum 0 (which we accept) and its
        // COOKIE-ECHO with a CRC; our endpoint, which keeps no state for an INIT-ACK, sends it
        // with a CRC, and our COOKIE-ECHO with checksum 0. Everything else has checksum 0.
        assert_eq!((packets[0].1, packets[0].2), (true, 1));
        let (init_ack, cookie_echo) = (packets[1], packets[2]);
        assert_eq!((init_ack.2, cookie_echo.2), (2, 10));
        assert_eq!(
            init_ack.0, ours_first,
            "INIT-ACK from dcsctp: zero checksum"
        );
        assert_eq!(
            cookie_echo.0, ours_first,
            "COOKIE-ECHO from us: zero checksum"
        );
        assert!(packets.len() > 20);
        assert!(
            packets[3..].iter().all(|p| p.0),
            "ours first {ours_first}: {packets:?}"
        );
    }
}

#[test]
fn one_side_accepting_keeps_crcs() {
    for (ours, theirs) in [(true, false), (false, true)] {
        let (network, _, dcn) = run(true, ours, theirs);
        assert!(
            !network
                .node::<DcsctpNode>(dcn)
                .metrics()
                .unwrap()
                .uses_zero_checksum
        );
        assert!(checksums(&network).iter().all(|p| p.1 && !p.0));
    }
}
