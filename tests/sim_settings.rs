//! Settings changed on a live association (the socket options that name one association):
//! heartbeats start and stop, the data path takes a new MTU, Max.Burst and fragment limit, and
//! the values libusrsctp reports for a path of 1280-byte packets.

mod support;

use std::time::Duration;

use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::{Event, State};
use usrsctp::endpoint::EndpointConfig;

const CLIENT: [u8; 4] = [10, 0, 0, 1];
const SERVER: [u8; 4] = [10, 0, 0, 2];

struct Pair {
    net: Network,
    client: NodeId,
    c: Addr,
    s: Addr,
    id: u32,
}

/// A client and a server with `config`, associated.
fn connected(config: EndpointConfig) -> Pair {
    let mut network = Network::new(7);
    let (c, s) = (v4(CLIENT, 5000), v4(SERVER, 5001));
    let client = network.add_node(SctpNode::new(c, config.clone(), 1), &[c]);
    network.add_node(SctpNode::new(s, config, 2).listening(), &[s]);
    network.connect(c, s, LinkConfig::with_delay(ms(10)));
    let now = network.now();
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(now, net(s), 5001)
        .expect("connect");
    network.run_for(ms(100));
    let node = network.node::<SctpNode>(client);
    assert!(node.has_event(id, |e| matches!(e, Event::Connected { .. })));
    Pair {
        net: network,
        client,
        c,
        s,
        id,
    }
}

impl Pair {
    fn update(&mut self, f: impl FnOnce(&mut usrsctp::assoc::Config)) {
        let (now, id) = (self.net.now(), self.id);
        self.net
            .node_mut::<SctpNode>(self.client)
            .association_mut(id)
            .update_config(now, f);
    }

    fn association(&self) -> &usrsctp::assoc::Association {
        self.net.node::<SctpNode>(self.client).association(self.id)
    }

    fn sent(&self) -> u64 {
        self.net.link_stats(self.c, self.s).sent
    }
}

#[test]
fn heartbeats_start_and_stop_on_a_live_association() {
    let mut config = EndpointConfig::default();
    config.association.heartbeat_interval = None;
    let mut p = connected(config);
    let before = p.sent();
    p.net.run_for(Duration::from_secs(10));
    assert_eq!(p.sent(), before, "no heartbeats while they are off");

    // One heartbeat each HB.interval + RTO (about 2 s here).
    p.update(|c| c.heartbeat_interval = Some(Duration::from_secs(1)));
    p.net.run_for(Duration::from_secs(20));
    let heartbeats = p.sent() - before;
    assert!(heartbeats >= 5, "heartbeats once on: {heartbeats}");

    p.update(|c| c.heartbeat_interval = None);
    p.net.run_for(Duration::from_secs(2));
    let settled = p.sent();
    p.net.run_for(Duration::from_secs(10));
    assert_eq!(p.sent(), settled, "no heartbeats once off again");
    assert_eq!(p.association().state(), State::Established);
}

#[test]
fn the_data_path_takes_a_new_mtu_burst_and_fragment_limit() {
    let mut p = connected(EndpointConfig::default());
    let info = p.association().path_info(0).expect("data path");
    // libusrsctp: 3 packets of (MTU - the 12-byte common header).
    assert_eq!(info.cwnd, 3 * (1280 - 12));
    assert_eq!(p.association().fragmentation_point(), 1280 - 12 - 16);

    p.update(|c| c.mtu = 1012);
    assert_eq!(p.association().path_info(0).expect("path").mtu, 1012);
    assert_eq!(p.association().fragmentation_point(), 1012 - 12 - 16);

    p.update(|c| c.max_fragment = 500);
    assert_eq!(p.association().fragmentation_point(), 500);

    // A message goes out in DATA chunks of at most 500 bytes.
    let (now, id) = (p.net.now(), p.id);
    let options = usrsctp::assoc::SendOptions::default();
    p.net
        .node_mut::<SctpNode>(p.client)
        .association_mut(id)
        .send(now, &options, &[7u8; 2000])
        .expect("send");
    let before = p.sent();
    p.net.run_for(ms(500));
    assert!(p.sent() - before >= 4, "2000 bytes in 500-byte pieces");
}

#[test]
fn max_burst_limits_the_initial_window() {
    let mut config = EndpointConfig::default();
    config.association.max_burst = 2;
    let p = connected(config);
    let info = p.association().path_info(0).expect("data path");
    assert_eq!(info.cwnd, 2 * (1280 - 12));
}
