//! ASCONF (RFC 5061) between two of our endpoints in the simulator: the client, with a second
//! address, asks the server to add it, to make it primary and to delete the first one; the
//! server reports each change and refuses to delete the last address or the packet's source; a
//! lost ASCONF-ACK makes the client retransmit and the server answer again without applying
//! the request twice; an ASCONF without AUTH is dropped.

mod support;

use std::cell::RefCell;
use std::net::IpAddr;
use std::rc::Rc;
use std::time::Duration;

use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::asconf::AsconfRequest;
use usrsctp::assoc::event::PathState;
use usrsctp::assoc::Event;
use usrsctp::endpoint::EndpointConfig;
use usrsctp::types::Instant;

const ASCONF: u8 = 0xc1;
const ASCONF_ACK: u8 = 0x80;
const AUTH: u8 = 0x0f;

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

fn config() -> EndpointConfig {
    let mut c = EndpointConfig::default();
    c.association.capabilities.auth = true;
    c.association.capabilities.asconf = true;
    c
}

struct Pair {
    net: Network,
    client: NodeId,
    server: NodeId,
    c: Addr,
    c2: Addr,
    id: u32,
}

fn first_chunk(bytes: &[u8]) -> u8 {
    bytes.get(12).copied().unwrap_or(0)
}

/// The chunk types of a packet.
fn chunk_types(packet: &[u8]) -> Vec<u8> {
    let mut at = 12;
    let mut out = Vec::new();
    while at + 4 <= packet.len() {
        out.push(packet[at]);
        let len = usize::from(u16::from_be_bytes([packet[at + 2], packet[at + 3]]));
        at += len.div_ceil(4) * 4;
    }
    out
}

fn connect() -> Pair {
    let mut network = Network::new(21);
    let (c, c2, s) = (
        v4([10, 0, 0, 1], 5000),
        v4([10, 0, 0, 3], 5000),
        v4([10, 0, 0, 2], 5001),
    );
    let client = network.add_node(SctpNode::new(c, config(), 1), &[c, c2]);
    let server = network.add_node(SctpNode::new(s, config(), 2).listening(), &[s]);
    network.connect(c, s, LinkConfig::with_delay(ms(10)));
    network.connect(c2, s, LinkConfig::with_delay(ms(10)));
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s), 5001)
        .unwrap();
    network.run_for(ms(200));
    Pair {
        net: network,
        client,
        server,
        c,
        c2,
        id,
    }
}

impl Pair {
    fn request(&mut self, requests: &[AsconfRequest]) {
        let now = self.net.now();
        self.net
            .node_mut::<SctpNode>(self.client)
            .association_mut(self.id)
            .asconf_request(now, requests)
            .unwrap();
        self.net.run_for(ms(500));
    }

    fn server_id(&self) -> u32 {
        self.net.node::<SctpNode>(self.server).accepted[0]
    }

    fn server_has(&self, addr: Addr, state: PathState) -> bool {
        let want = net(addr);
        self.net
            .node::<SctpNode>(self.server)
            .has_event(self.server_id(), |e| {
                *e == Event::PathChanged { addr: want, state }
            })
    }

    fn server_events(&self, state: PathState) -> usize {
        let node = self.net.node::<SctpNode>(self.server);
        node.events_of(self.server_id())
            .into_iter()
            .filter(|e| matches!(e, Event::PathChanged { state: s, .. } if *s == state))
            .count()
    }

    fn refused(&self) -> Vec<(AsconfRequest, u16)> {
        let a = self.net.node::<SctpNode>(self.client).association(self.id);
        a.asconf().unwrap().refused.clone()
    }
}

fn ip(addr: Addr) -> IpAddr {
    addr.ip()
}

#[test]
fn negotiated_with_auth_and_listed_in_chunks() {
    let p = connect();
    let a = p.net.node::<SctpNode>(p.client).association(p.id);
    assert!(a.capabilities().auth && a.capabilities().asconf);
    assert!(a.asconf().is_some());
    assert_eq!(a.auth().unwrap().peer_chunks(), [ASCONF_ACK, ASCONF]);
    // Without AUTH there is no ASCONF.
    let mut network = Network::new(22);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let mut no_auth = config();
    no_auth.association.capabilities.auth = false;
    let client = network.add_node(SctpNode::new(c, no_auth, 1), &[c]);
    network.add_node(SctpNode::new(s, config(), 2).listening(), &[s]);
    network.connect(c, s, LinkConfig::with_delay(ms(10)));
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s), 5001)
        .unwrap();
    network.run_for(ms(200));
    let a = network.node::<SctpNode>(client).association(id);
    assert!(!a.capabilities().asconf && a.asconf().is_none());
}

#[test]
fn add_make_primary_then_delete() {
    let mut p = connect();
    p.request(&[AsconfRequest::Add(ip(p.c2))]);
    assert!(p.server_has(p.c2, PathState::Added));
    let sid = p.server_id();
    let server = p.net.node::<SctpNode>(p.server).association(sid);
    assert_eq!(server.paths().len(), 2);
    // A heartbeat confirmed the new path.
    p.net.run_for(ms(1_000));
    assert!(p.server_has(p.c2, PathState::Confirmed));

    p.request(&[AsconfRequest::SetPrimary(ip(p.c2))]);
    assert!(p.server_has(p.c2, PathState::MadePrimaryByPeer));
    let server = p.net.node::<SctpNode>(p.server).association(sid);
    assert_eq!(server.primary_address(), net(p.c2));

    // The server now sends to the new address, and the client answers from it: the first
    // address can go.
    p.request(&[AsconfRequest::Delete(ip(p.c))]);
    assert!(p.server_has(p.c, PathState::Removed));
    assert!(p.refused().is_empty());
    // The last remaining address cannot (it is also the source of the request).
    p.request(&[AsconfRequest::Delete(ip(p.c2))]);
    assert_eq!(
        p.refused(),
        [(AsconfRequest::Delete(ip(p.c2)), 0x00a2)],
        "Request to Delete Source IP Address"
    );
    assert_eq!(p.server_events(PathState::Removed), 1);
    // An address that is not in the association cannot be primary.
    p.request(&[AsconfRequest::SetPrimary(IpAddr::from([10, 9, 9, 9]))]);
    assert_eq!(p.refused().last().unwrap().1, 5, "Unresolvable Address");
    // A deleted address can come back; adding one in use changes nothing.
    p.request(&[AsconfRequest::Add(ip(p.c)), AsconfRequest::Add(ip(p.c2))]);
    assert_eq!(p.server_events(PathState::Added), 2);
    let server = p.net.node::<SctpNode>(p.server).association(sid);
    assert_eq!(server.paths().len(), 2);
}

#[test]
fn a_lost_ack_gets_the_same_answer_again() {
    let mut p = connect();
    let drops = Rc::new(RefCell::new(0));
    let count = drops.clone();
    p.net.set_drop_filter(move |_, d: &Datagram| {
        let lose = chunk_types(&d.bytes).contains(&ASCONF_ACK) && *count.borrow() == 0;
        if lose {
            *count.borrow_mut() += 1;
        }
        lose
    });
    p.request(&[AsconfRequest::Add(ip(p.c2))]);
    assert_eq!(*drops.borrow(), 1);
    // T-4 RTO (the initial RTO, 3 s) brings the ASCONF again.
    p.net.run_for(ms(5_000));
    assert_eq!(p.server_events(PathState::Added), 1);
    let a = p.net.node::<SctpNode>(p.client).association(p.id);
    assert!(a.config().local_addresses.contains(&ip(p.c2)));
    // The next request goes out once the first was acknowledged.
    p.request(&[AsconfRequest::SetPrimary(ip(p.c2))]);
    assert!(p.server_has(p.c2, PathState::MadePrimaryByPeer));
}

#[test]
fn asconf_without_auth_is_dropped() {
    let mut p = connect();
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = sent.clone();
    p.net.set_drop_filter(move |_, d: &Datagram| {
        let asconf = chunk_types(&d.bytes).contains(&ASCONF);
        if asconf {
            log.borrow_mut().push(d.bytes.clone());
        }
        asconf
    });
    p.request(&[AsconfRequest::Add(ip(p.c2))]);
    p.net.clear_drop_filter();
    let packet = sent.borrow()[0].clone();
    assert_eq!(first_chunk(&packet), AUTH);
    // The same ASCONF without its AUTH chunk.
    let len = usize::from(u16::from_be_bytes([packet[14], packet[15]]));
    let mut stripped = packet[..12].to_vec();
    stripped.extend_from_slice(&packet[12 + len..]);
    usrsctp::wire::crc::set_checksum(&mut stripped);
    let now = p.net.now();
    let from = net(p.c);
    p.net
        .node_mut::<SctpNode>(p.server)
        .endpoint
        .handle_datagram(now, from, &stripped);
    let sid = p.server_id();
    let paths = |p: &Pair| {
        p.net
            .node::<SctpNode>(p.server)
            .association(sid)
            .paths()
            .len()
    };
    assert_eq!(paths(&p), 1, "the unauthenticated ASCONF changed nothing");
    assert!(!p
        .net
        .node::<SctpNode>(p.server)
        .endpoint
        .association(sid)
        .unwrap()
        .has_events());
    // The authenticated original is accepted.
    p.net
        .node_mut::<SctpNode>(p.server)
        .endpoint
        .handle_datagram(now, from, &packet);
    assert_eq!(paths(&p), 2);
    p.net.run_for(ms(100));
    assert!(p.server_has(p.c2, PathState::Added));
}
