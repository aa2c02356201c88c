//! Multihoming in the simulator: the server lists two addresses, the client confirms the
//! second by heartbeat, and when the primary path dies the data moves to the other path
//! (RFC 9260 §6.4.1, §8.2) without losing a message, then returns when the primary heals.

mod support;

use std::time::Duration;

use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::event::PathState;
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::EndpointConfig;
use usrsctp::types::NetAddr;

#[test]
fn data_fails_over_to_the_second_path_and_returns() {
    let c = v4([10, 0, 0, 1], 5000);
    let s1 = v4([10, 0, 0, 2], 5001);
    let s2 = v4([10, 0, 1, 2], 5001);
    let mut config = EndpointConfig::default();
    config.association.heartbeat_interval = Some(Duration::from_secs(1));
    let client_config = config.clone();
    config.association.local_addresses = vec![s1.ip(), s2.ip()];

    let mut network = Network::new(21);
    let client = network.add_node(SctpNode::new(c, client_config, 1), &[c]);
    let server = network.add_node(SctpNode::new(s1, config, 2).listening(), &[s1, s2]);
    network.connect(c, s1, LinkConfig::with_delay(ms(10)));
    network.connect(c, s2, LinkConfig::with_delay(ms(30)));

    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s1), 5001)
        .unwrap();
    network.run_for(Duration::from_secs(5));
    {
        let node = network.node::<SctpNode>(client);
        let paths = node.association(id).paths();
        assert_eq!(paths.len(), 2, "the INIT-ACK listed both server addresses");
        assert!(
            paths.iter().all(|p| p.confirmed),
            "heartbeats confirmed the second address"
        );
        assert!(node.has_event(id, |e| *e
            == Event::PathChanged {
                addr: NetAddr::Ip(s2),
                state: PathState::Confirmed
            }));
    }

    // One 1000-byte message every 20 ms for 120 s; the primary dies at 10 s and heals at 70 s.
    let server_id = network.node::<SctpNode>(server).accepted[0];
    let mut sent = 0u32;
    let mut received = Vec::new();
    let start = network.now();
    let mut stats_at_heal = None;
    while network.now() < start + Duration::from_secs(120) {
        let now = network.now();
        let elapsed = now - start;
        if elapsed >= Duration::from_secs(10) && elapsed < Duration::from_secs(70) {
            network.set_up(c, s1, false);
        } else if elapsed >= Duration::from_secs(70) {
            if stats_at_heal.is_none() {
                stats_at_heal = Some(network.link_stats(c, s1).delivered);
            }
            network.set_up(c, s1, true);
        }
        if elapsed.as_millis() as u32 / 20 >= sent {
            let opts = SendOptions {
                stream: 0,
                ppid: 7,
                ..Default::default()
            };
            let body = sent.to_be_bytes().repeat(250);
            if network
                .node_mut::<SctpNode>(client)
                .association_mut(id)
                .send(now, &opts, &body)
                .is_ok()
            {
                sent += 1;
            }
        }
        network.run_for(ms(5));
        let node = network.node_mut::<SctpNode>(server);
        while let Some(m) = node.association_mut(server_id).recv() {
            received.push(u32::from_be_bytes(m.payload[..4].try_into().unwrap()));
        }
    }
    network.run_for(Duration::from_secs(30));
    let node = network.node_mut::<SctpNode>(server);
    while let Some(m) = node.association_mut(server_id).recv() {
        received.push(u32::from_be_bytes(m.payload[..4].try_into().unwrap()));
    }

    assert_eq!(
        received,
        (0..sent).collect::<Vec<_>>(),
        "every message, once, in order"
    );
    let client_node = network.node::<SctpNode>(client);
    assert!(client_node.has_event(id, |e| *e
        == Event::PathChanged {
            addr: NetAddr::Ip(s1),
            state: PathState::Unreachable
        }));
    assert!(client_node.has_event(id, |e| *e
        == Event::PathChanged {
            addr: NetAddr::Ip(s1),
            state: PathState::Available
        }));
    assert!(
        !client_node.has_event(id, |e| matches!(e, Event::Lost(_))),
        "the association survived"
    );
    assert!(
        network.link_stats(c, s2).delivered > 1000,
        "data went over the second path"
    );
    let after_heal = network.link_stats(c, s1).delivered - stats_at_heal.unwrap();
    assert!(
        after_heal > 1000,
        "data returned to the primary path ({after_heal} packets)"
    );
}

#[test]
fn the_user_chooses_the_primary_path() {
    let c = v4([10, 0, 0, 1], 5000);
    let s1 = v4([10, 0, 0, 2], 5001);
    let s2 = v4([10, 0, 1, 2], 5001);
    let mut config = EndpointConfig::default();
    config.association.local_addresses = vec![s1.ip(), s2.ip()];
    let mut network = Network::new(22);
    let client = network.add_node(SctpNode::new(c, EndpointConfig::default(), 1), &[c]);
    network.add_node(SctpNode::new(s1, config, 2).listening(), &[s1, s2]);
    network.connect(c, s1, LinkConfig::with_delay(ms(10)));
    network.connect(c, s2, LinkConfig::with_delay(ms(10)));
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s1), 5001)
        .unwrap();
    network.run_for(Duration::from_secs(1));
    let node = network.node_mut::<SctpNode>(client);
    assert!(!node
        .association_mut(id)
        .set_primary(NetAddr::Ip(v4([10, 9, 9, 9], 5001))));
    assert!(node.association_mut(id).set_primary(NetAddr::Ip(s2)));
    let before = network.link_stats(c, s2).delivered;
    let now = network.now();
    let opts = SendOptions {
        stream: 0,
        ppid: 1,
        ..Default::default()
    };
    network
        .node_mut::<SctpNode>(client)
        .association_mut(id)
        .send(now, &opts, b"via s2")
        .unwrap();
    network.run_for(ms(100));
    assert!(
        network.link_stats(c, s2).delivered > before,
        "data went to the new primary"
    );
    let node = network.node::<SctpNode>(client);
    assert!(node.has_event(id, |e| *e
        == Event::PathChanged {
            addr: NetAddr::Ip(s2),
            state: PathState::MadePrimary
        }));
}
