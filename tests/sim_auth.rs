//! AUTH (RFC 4895) between two of our endpoints in the simulator: chunks a receiver asked to be
//! authenticated are accepted behind a valid AUTH and dropped without one (or behind a wrong
//! one), the sender switches keys mid-association (SCTP_AUTH_ACTIVE_KEY) and the receiver
//! reports the new key, a COOKIE-ECHO can be required to be authenticated, and an HMAC the
//! receiver did not offer is answered with an ERROR.

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::auth::{ChunkSet, HMAC_SHA1};
use usrsctp::assoc::event::AuthIndication;
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::EndpointConfig;
use usrsctp::types::Instant;

const DATA: u8 = 0x00;
const AUTH: u8 = 0x0f;
const COOKIE_ECHO: u8 = 0x0a;

fn ms(v: u64) -> Duration {
    Duration::from_millis(v)
}

/// An endpoint configuration offering AUTH, asking for `chunks` to be authenticated, with
/// `keys` besides the null key 0.
fn config(chunks: &[u8], keys: &[(u16, &[u8])]) -> EndpointConfig {
    let mut c = EndpointConfig::default();
    c.association.capabilities.auth = true;
    c.association.auth.chunks = ChunkSet::from_types(chunks);
    for (id, key) in keys {
        c.association.auth.keys.insert(*id, key.to_vec());
    }
    c
}

struct Pair {
    net: Network,
    client: NodeId,
    server: NodeId,
    c: Addr,
    s: Addr,
    id: u32,
    /// Every datagram the client sent.
    sent: Rc<RefCell<Vec<Vec<u8>>>>,
}

fn connect(client_config: EndpointConfig, server_config: EndpointConfig) -> Pair {
    let mut network = Network::new(11);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client = network.add_node(SctpNode::new(c, client_config, 1), &[c]);
    let server = network.add_node(SctpNode::new(s, server_config, 2).listening(), &[s]);
    network.connect(c, s, LinkConfig::with_delay(ms(10)));
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = sent.clone();
    network.set_drop_filter(move |_, d: &Datagram| {
        if d.src == c {
            log.borrow_mut().push(d.bytes.clone());
        }
        false
    });
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s), 5001)
        .unwrap();
    network.run_for(ms(200));
    assert!(network
        .node::<SctpNode>(client)
        .has_event(id, |e| matches!(e, Event::Connected { .. })));
    Pair {
        net: network,
        client,
        server,
        c,
        s,
        id,
        sent,
    }
}

impl Pair {
    fn send(&mut self, text: &[u8]) {
        let now = self.net.now();
        self.net
            .node_mut::<SctpNode>(self.client)
            .association_mut(self.id)
            .send(now, &SendOptions::default(), text)
            .unwrap();
        self.net.run_for(ms(300));
    }

    fn server_id(&self) -> u32 {
        self.net.node::<SctpNode>(self.server).accepted[0]
    }

    /// What the server association delivered since the last call.
    fn received(&mut self) -> Vec<Vec<u8>> {
        let id = self.server_id();
        let a = self
            .net
            .node_mut::<SctpNode>(self.server)
            .association_mut(id);
        std::iter::from_fn(|| a.recv()).map(|m| m.payload).collect()
    }

    /// Hands `bytes` to the server as if the client had sent them.
    fn inject(&mut self, bytes: &[u8]) {
        let now = self.net.now();
        let from = net(self.c);
        self.net
            .node_mut::<SctpNode>(self.server)
            .endpoint
            .handle_datagram(now, from, bytes);
        self.net.run_for(ms(300));
    }
}

/// The chunk types of a packet, in order.
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

/// The packet without its first chunk (an AUTH), with a new checksum.
fn strip_auth(packet: &[u8]) -> Vec<u8> {
    assert_eq!(packet[12], AUTH);
    let len = usize::from(u16::from_be_bytes([packet[14], packet[15]]));
    let mut out = packet[..12].to_vec();
    out.extend_from_slice(&packet[12 + len..]);
    usrsctp::wire::crc::set_checksum(&mut out);
    out
}

fn with_crc(mut packet: Vec<u8>) -> Vec<u8> {
    usrsctp::wire::crc::set_checksum(&mut packet);
    packet
}

#[test]
fn data_is_accepted_behind_a_valid_auth_only() {
    let mut p = connect(config(&[], &[]), config(&[DATA], &[]));
    let client = p.net.node::<SctpNode>(p.client).association(p.id);
    let auth = client.auth().expect("both ends support AUTH");
    assert_eq!(auth.peer_chunks(), [DATA]);
    assert_eq!(auth.send_hmac(), HMAC_SHA1);
    assert!(client.capabilities().auth);

    p.send(b"first");
    assert_eq!(p.received(), [b"first".to_vec()]);
    let data_packets: Vec<Vec<u8>> = p
        .sent
        .borrow()
        .iter()
        .filter(|b| chunk_types(b).contains(&DATA))
        .cloned()
        .collect();
    assert_eq!(data_packets.len(), 1);
    assert_eq!(chunk_types(&data_packets[0]), [AUTH, DATA]);
    // The key id (0) and the HMAC identifier (SHA-1) of the AUTH chunk.
    assert_eq!(data_packets[0][16..20], [0, 0, 0, 1]);

    // The next DATA packet is lost; its copy without AUTH is dropped by the server, and so is
    // a copy with one bit of its HMAC flipped. The original is then accepted.
    let lost = Rc::new(RefCell::new(Vec::new()));
    let keep = lost.clone();
    let c = p.c;
    p.net.set_drop_filter(move |_, d: &Datagram| {
        let data = d.src == c && chunk_types(&d.bytes).contains(&DATA);
        if data {
            keep.borrow_mut().push(d.bytes.clone());
        }
        data
    });
    p.send(b"second");
    p.net.clear_drop_filter();
    let original = lost.borrow()[0].clone();
    p.inject(&strip_auth(&original));
    assert!(p.received().is_empty(), "DATA without AUTH is dropped");
    let mut forged = original.clone();
    forged[25] ^= 0x01;
    p.inject(&with_crc(forged));
    assert!(
        p.received().is_empty(),
        "DATA behind a wrong HMAC is dropped"
    );
    p.inject(&original);
    assert_eq!(p.received(), [b"second".to_vec()]);
    // What the statistics (struct sctpstat) count of it.
    let sid = p.server_id();
    let server = p.net.node::<SctpNode>(p.server).association(sid).counters();
    assert_eq!(server.recvauthmissing, 1, "the stripped DATA");
    assert_eq!(server.recvauthfailed, 1, "the forged HMAC");
    // The first DATA, the forged and the original copy (and a retransmission, maybe).
    assert!(server.recvauth >= 3, "{}", server.recvauth);
    let client = p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .counters();
    assert!(client.sendauth >= 2, "{}", client.sendauth);
}

#[test]
fn sacks_need_no_auth_when_the_peer_did_not_ask() {
    let mut p = connect(config(&[], &[]), config(&[DATA], &[]));
    p.send(b"x");
    assert_eq!(p.received(), [b"x".to_vec()]);
    // Nothing the client sent but DATA packets carries AUTH.
    for packet in p.sent.borrow().iter() {
        let types = chunk_types(packet);
        assert_eq!(types.contains(&AUTH), types.contains(&DATA), "{types:?}");
    }
}

#[test]
fn active_key_changes_mid_association() {
    let keys: &[(u16, &[u8])] = &[(1, b"first key"), (2, b"second key")];
    let mut p = connect(config(&[], keys), config(&[DATA], keys));
    p.send(b"with key 0");
    assert_eq!(p.received(), [b"with key 0".to_vec()]);

    let a = p.net.node_mut::<SctpNode>(p.client).association_mut(p.id);
    assert_eq!(a.auth_active_key(), 0);
    a.auth_set_active_key(1).unwrap();
    assert!(a.auth_set_active_key(9).is_err(), "no key 9");
    p.send(b"with key 1");
    assert_eq!(p.received(), [b"with key 1".to_vec()]);
    let last = p
        .sent
        .borrow()
        .iter()
        .rev()
        .find(|b| chunk_types(b).contains(&DATA))
        .cloned()
        .unwrap();
    assert_eq!(last[16..18], [0, 1], "key id 1 in the AUTH chunk");
    let sid = p.server_id();
    let server = p.net.node::<SctpNode>(p.server);
    assert!(server.has_event(sid, |e| *e
        == Event::Authentication {
            indication: AuthIndication::NewKey,
            key_id: 1,
            alt_key_id: 0,
        }));

    // The old key can be deactivated (SCTP_AUTH_FREE_KEY) and deleted; the active one cannot.
    let a = p.net.node_mut::<SctpNode>(p.client).association_mut(p.id);
    assert!(a.auth_delete_key(1).is_err());
    a.auth_deactivate_key(0).unwrap();
    a.auth_delete_key(0).unwrap();
    p.send(b"after the delete");
    assert_eq!(p.received(), [b"after the delete".to_vec()]);
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .has_event(p.id, |e| matches!(
            e,
            Event::Authentication {
                indication: AuthIndication::FreeKey,
                key_id: 0,
                ..
            }
        )));
}

#[test]
fn a_key_the_receiver_does_not_share_gets_nothing_through() {
    let mut p = connect(
        config(&[], &[(2, b"client's idea")]),
        config(&[DATA], &[(2, b"server's idea")]),
    );
    p.send(b"null key");
    assert_eq!(p.received(), [b"null key".to_vec()]);
    let a = p.net.node_mut::<SctpNode>(p.client).association_mut(p.id);
    a.auth_set_active_key(2).unwrap();
    p.send(b"mismatched");
    p.net.run_for(ms(5_000));
    assert!(p.received().is_empty());
}

#[test]
fn cookie_echo_can_be_required_to_be_authenticated() {
    let mut p = connect(config(&[], &[]), config(&[COOKIE_ECHO, DATA], &[]));
    let echo = p
        .sent
        .borrow()
        .iter()
        .find(|b| chunk_types(b).contains(&COOKIE_ECHO))
        .cloned()
        .unwrap();
    assert_eq!(chunk_types(&echo)[..2], [AUTH, COOKIE_ECHO]);
    p.send(b"after an authenticated handshake");
    assert_eq!(p.received(), [b"after an authenticated handshake".to_vec()]);

    // The same handshake with the AUTH taken off the COOKIE-ECHO does not complete.
    let mut network = Network::new(12);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client = network.add_node(SctpNode::new(c, config(&[], &[]), 1), &[c]);
    let server_config = config(&[COOKIE_ECHO], &[]);
    let server = network.add_node(SctpNode::new(s, server_config, 2).listening(), &[s]);
    network.connect(c, s, LinkConfig::with_delay(ms(10)));
    let stripped = Rc::new(RefCell::new(None));
    let keep = stripped.clone();
    network.set_drop_filter(move |_, d: &Datagram| {
        let echo = chunk_types(&d.bytes).contains(&COOKIE_ECHO);
        if echo && keep.borrow().is_none() {
            *keep.borrow_mut() = Some(strip_auth(&d.bytes));
        }
        echo
    });
    network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s), 5001)
        .unwrap();
    network.run_for(ms(200));
    let bytes = stripped.borrow().clone().unwrap();
    let now = network.now();
    network
        .node_mut::<SctpNode>(server)
        .endpoint
        .handle_datagram(now, net(c), &bytes);
    network.run_for(ms(200));
    assert!(network.node::<SctpNode>(server).accepted.is_empty());
}

#[test]
fn an_hmac_not_offered_is_answered_with_an_error() {
    let mut p = connect(config(&[], &[]), config(&[DATA], &[]));
    let tag = p
        .net
        .node::<SctpNode>(p.server)
        .association(p.server_id())
        .local_tag();
    // AUTH with key 0 and HMAC-SHA-256 (the server offered SHA-1 only), then nothing.
    let mut packet = vec![0x13, 0x88, 0x13, 0x89];
    packet.extend_from_slice(&tag.to_be_bytes());
    packet.extend_from_slice(&[0; 4]);
    packet.extend_from_slice(&[AUTH, 0, 0, 40, 0, 0, 0, 3]);
    packet.extend_from_slice(&[0; 32]);
    p.inject(&with_crc(packet));
    assert!(p
        .net
        .node::<SctpNode>(p.client)
        .has_event(p.id, |e| matches!(
            e,
            Event::RemoteError {
                cause_code: 0x0105,
                ..
            }
        )));
    let _ = p.s;
}

#[test]
fn crossing_inits_agree_on_the_keys() {
    // Both ends connect at once (RFC 9260 §5.2.4 B); each answers the other's INIT with the
    // RANDOM of its own INIT, so both compute the same association keys.
    let mut network = Network::new(13);
    let (a, b) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let na = network.add_node(SctpNode::new(a, config(&[DATA], &[]), 1).listening(), &[a]);
    let nb = network.add_node(SctpNode::new(b, config(&[DATA], &[]), 2).listening(), &[b]);
    network.connect(a, b, LinkConfig::with_delay(ms(10)));
    let ida = network
        .node_mut::<SctpNode>(na)
        .endpoint
        .connect(Instant::ZERO, net(b), 5001)
        .unwrap();
    let idb = network
        .node_mut::<SctpNode>(nb)
        .endpoint
        .connect(Instant::ZERO, net(a), 5000)
        .unwrap();
    network.run_for(ms(500));
    for (node, id) in [(na, ida), (nb, idb)] {
        let n = network.node::<SctpNode>(node);
        assert!(n.has_event(id, |e| matches!(e, Event::Connected { .. })));
        assert!(n.association(id).capabilities().auth);
    }
    let now = network.now();
    network
        .node_mut::<SctpNode>(na)
        .association_mut(ida)
        .send(now, &SendOptions::default(), b"a to b")
        .unwrap();
    network
        .node_mut::<SctpNode>(nb)
        .association_mut(idb)
        .send(now, &SendOptions::default(), b"b to a")
        .unwrap();
    network.run_for(ms(500));
    let got_b = network.node_mut::<SctpNode>(nb).association_mut(idb).recv();
    let got_a = network.node_mut::<SctpNode>(na).association_mut(ida).recv();
    assert_eq!(got_b.map(|m| m.payload), Some(b"a to b".to_vec()));
    assert_eq!(got_a.map(|m| m.payload), Some(b"b to a".to_vec()));
}

#[test]
fn authenticated_packets_stay_within_the_mtu() {
    let mut p = connect(config(&[], &[]), config(&[DATA], &[]));
    let mtu = p
        .net
        .node::<SctpNode>(p.client)
        .association(p.id)
        .config()
        .mtu;
    // Many small messages (bundled) and a large one (fragmented).
    let now = p.net.now();
    let a = p.net.node_mut::<SctpNode>(p.client).association_mut(p.id);
    for i in 0..40u8 {
        a.send(now, &SendOptions::default(), &[i; 90]).unwrap();
    }
    a.send(now, &SendOptions::default(), &[0xab; 6000]).unwrap();
    p.net.run_for(ms(3_000));
    let received = p.received();
    assert_eq!(received.len(), 41);
    assert_eq!(received[40], vec![0xab; 6000]);
    let sent = p.sent.borrow();
    let data: Vec<&Vec<u8>> = sent
        .iter()
        .filter(|b| chunk_types(b).contains(&DATA))
        .collect();
    assert!(data.iter().all(|b| chunk_types(b)[0] == AUTH));
    assert!(
        data.iter().all(|b| b.len() <= mtu),
        "largest packet {} for an MTU of {mtu}",
        data.iter().map(|b| b.len()).max().unwrap()
    );
    // Full packets: the fragments use the room the AUTH chunk leaves.
    assert!(data.iter().any(|b| b.len() + 4 > mtu));
}
