//! Interoperability of our association engine with Google's dcSCTP (the `dcsctp` crate) over
//! the deterministic network simulator: handshake in both roles, ordered and unordered messages
//! of every size in both directions (clean and lossy links), graceful shutdown and abort from
//! either side, I-DATA interleaving and PR-SCTP abandonment (FORWARD-TSN / I-FORWARD-TSN).
//!
//! Our node is `10.0.0.1:5000`, dcsctp's `10.0.0.2:5000`; both use SCTP port 5000. Both sides
//! build packets of at most 1200 bytes.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use support::dcsctp_node::{self as dc, DcsctpNode};
use support::sctp_node::{net, SctpNode};
use support::sim::*;
use usrsctp::assoc::event::LossReason;
use usrsctp::assoc::{Association, Event, SendError, SendOptions, State};
use usrsctp::endpoint::{AssocId, EndpointConfig};
use usrsctp::tx::PrPolicy;

const PORT: u16 = 5000;
const MTU: usize = 1200;

fn our_addr() -> Addr {
    v4([10, 0, 0, 1], PORT)
}

fn dc_addr() -> Addr {
    v4([10, 0, 0, 2], PORT)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Who sends INIT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    Ours,
    Dcsctp,
}

/// Which way user messages flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    OursToDc,
    DcToOurs,
}

fn our_config() -> EndpointConfig {
    let mut config = EndpointConfig::default();
    config.association.mtu = MTU;
    // Room for many large messages queued at once; `send` is retried on BufferFull anyway.
    config.association.send_buffer = 4 << 20;
    config
}

fn dc_config(seed: u64) -> dc::Config {
    dc::Config {
        name: "dcsctp".into(),
        seed,
        local_port: PORT,
        remote_port: PORT,
        mtu: MTU,
        ..dc::Config::default()
    }
}

/// Our node and a dcsctp node joined by one link configuration in both directions.
struct Interop {
    net: Network,
    ours: NodeId,
    dc: NodeId,
}

impl Interop {
    /// Builds the pair and starts the handshake (without running it).
    fn start(
        seed: u64,
        link: LinkConfig,
        ours: EndpointConfig,
        dc: dc::Config,
        client: Client,
    ) -> Self {
        let mut network = Network::new(seed);
        let (o, d) = (our_addr(), dc_addr());
        let mut node = SctpNode::new(o, ours, seed ^ 0x5c7f);
        if client == Client::Dcsctp {
            node = node.listening();
        }
        let ours = network.add_node(node, &[o]);
        let dc = network.add_node(DcsctpNode::new(d, o, &dc), &[d]);
        network.connect(o, d, link);
        match client {
            Client::Ours => {
                network
                    .node_mut::<SctpNode>(ours)
                    .endpoint
                    .connect(Instant::ZERO, net(d), PORT)
                    .expect("connect");
            }
            Client::Dcsctp => network.node_mut::<DcsctpNode>(dc).connect(),
        }
        Interop {
            net: network,
            ours,
            dc,
        }
    }

    /// Builds the pair and runs the handshake to completion on both sides.
    fn established(
        seed: u64,
        link: LinkConfig,
        ours: EndpointConfig,
        dc: dc::Config,
        client: Client,
    ) -> Self {
        let mut p = Interop::start(seed, link, ours, dc, client);
        let limit = p.net.now() + secs(300);
        p.net.run_while(|n| !both_connected(n), limit);
        p
    }

    fn our_node(&self) -> &SctpNode {
        self.net.node::<SctpNode>(self.ours)
    }

    fn our_node_mut(&mut self) -> &mut SctpNode {
        self.net.node_mut::<SctpNode>(self.ours)
    }

    fn dc(&self) -> &DcsctpNode {
        self.net.node::<DcsctpNode>(self.dc)
    }

    fn dc_mut(&mut self) -> &mut DcsctpNode {
        self.net.node_mut::<DcsctpNode>(self.dc)
    }

    fn id(&self) -> AssocId {
        our_id(&self.net).expect("no association on our side")
    }

    fn assoc(&self) -> &Association {
        self.our_node().association(self.id())
    }

    fn assoc_mut(&mut self) -> &mut Association {
        let id = self.id();
        self.our_node_mut().association_mut(id)
    }

    fn our_events(&self) -> Vec<Event> {
        self.our_node()
            .events_of(self.id())
            .into_iter()
            .cloned()
            .collect()
    }

    fn packets_sent(&self) -> u64 {
        let (o, d) = (our_addr(), dc_addr());
        self.net.link_stats(o, d).sent + self.net.link_stats(d, o).sent
    }
}

/// Our association (the endpoint has only one: the one it started or accepted).
fn our_id(n: &Network) -> Option<AssocId> {
    n.node::<SctpNode>(NodeId(0))
        .endpoint
        .association_ids()
        .next()
}

fn our_connected(n: &Network) -> bool {
    let node = n.node::<SctpNode>(NodeId(0));
    our_id(n).is_some_and(|id| node.has_event(id, |e| matches!(e, Event::Connected { .. })))
}

fn both_connected(n: &Network) -> bool {
    our_connected(n) && n.node::<DcsctpNode>(NodeId(1)).state() == dc::State::Connected
}

// ----- messages --------------------------------------------------------------------------------

/// One message of a test: the PPID identifies it (`PPID_BASE + index`).
#[derive(Debug, Clone, Copy)]
struct Msg {
    stream: u16,
    unordered: bool,
    len: usize,
}

const PPID_BASE: u32 = 0x5000_0000;

fn ppid(index: usize) -> u32 {
    PPID_BASE + index as u32
}

/// A recognisable body: stream, index and length all show in the bytes.
fn body(index: usize, m: &Msg) -> Vec<u8> {
    (0..m.len)
        .map(|i| (i.wrapping_mul(7) ^ index.wrapping_mul(131) ^ (usize::from(m.stream) * 29)) as u8)
        .collect()
}

/// What arrived: stream, PPID, the unordered flag when the receiver reports it, the payload.
#[derive(Debug)]
struct Got {
    stream: u16,
    ppid: u32,
    unordered: Option<bool>,
    payload: Vec<u8>,
}

const SIZES: [usize; 6] = [1, 100, 1024, 8 * 1024, 64 * 1024, 256 * 1024];

/// Every size, ordered on streams 0, 1 and 2, unordered on streams 3 and 0, interleaved so that
/// all streams carry traffic at the same time. `max_unordered` caps the unordered sizes.
fn mixed_messages(max_unordered: usize) -> Vec<Msg> {
    let mut out = Vec::new();
    for &len in &SIZES {
        for stream in 0..3u16 {
            out.push(Msg {
                stream,
                unordered: false,
                len,
            });
        }
        if len <= max_unordered {
            for stream in [3u16, 0] {
                out.push(Msg {
                    stream,
                    unordered: true,
                    len,
                });
            }
        }
    }
    out
}

/// Queues messages from `next` on, as far as the sender's buffer allows.
fn send_some(p: &mut Interop, dir: Dir, msgs: &[Msg], next: &mut usize) {
    let now = p.net.now();
    while *next < msgs.len() {
        let m = msgs[*next];
        let data = body(*next, &m);
        let accepted = match dir {
            Dir::OursToDc => {
                let opts = SendOptions {
                    stream: m.stream,
                    ppid: ppid(*next),
                    unordered: m.unordered,
                    ..Default::default()
                };
                match p.assoc_mut().send(now, &opts, &data) {
                    Ok(()) => true,
                    Err(SendError::BufferFull) => false,
                    Err(e) => panic!("send of message {next}: {e:?}"),
                }
            }
            Dir::DcToOurs => match p.dc_mut().send(m.stream, ppid(*next), &data, m.unordered) {
                Ok(()) => true,
                Err(dc::SendError::ResourceExhaustion) => false,
                Err(e) => panic!("dcsctp send of message {next}: {e:?}"),
            },
        };
        if !accepted {
            break;
        }
        *next += 1;
    }
}

/// Partially delivered messages being put back together, keyed by (stream, U, SSN or MID).
type Pieces = BTreeMap<(u16, bool, u32), (u32, Vec<u8>)>;

/// Takes what the receiver has, joining the pieces of partially delivered messages. Returns how
/// many pieces (incomplete deliveries) were seen.
fn receive(p: &mut Interop, dir: Dir, pieces: &mut Pieces, got: &mut Vec<Got>) -> usize {
    let mut partial = 0;
    match dir {
        Dir::OursToDc => {
            for m in p.dc_mut().received() {
                got.push(Got {
                    stream: m.stream,
                    ppid: m.ppid,
                    unordered: None,
                    payload: m.payload,
                });
            }
        }
        Dir::DcToOurs => {
            let assoc = p.assoc_mut();
            while let Some(m) = assoc.recv() {
                let key = (m.stream_id.0, m.unordered, m.ssn_or_mid);
                if !m.complete {
                    partial += 1;
                    let entry = pieces.entry(key).or_insert((m.ppid.0, Vec::new()));
                    assert_eq!(entry.0, m.ppid.0, "PPID changed between pieces");
                    entry.1.extend_from_slice(&m.payload);
                    continue;
                }
                let payload = match pieces.remove(&key) {
                    Some((ppid, mut head)) => {
                        assert_eq!(ppid, m.ppid.0, "PPID changed in the last piece");
                        head.extend_from_slice(&m.payload);
                        head
                    }
                    None => m.payload,
                };
                got.push(Got {
                    stream: m.stream_id.0,
                    ppid: m.ppid.0,
                    unordered: Some(m.unordered),
                    payload,
                });
            }
        }
    }
    partial
}

/// What a transfer saw besides the messages.
struct TransferStats {
    pieces: usize,
}

/// Sends `msgs` one way and runs until all of them arrived (panics past `limit` from now).
fn transfer(p: &mut Interop, dir: Dir, msgs: &[Msg], limit: Duration) -> TransferStats {
    let deadline = p.net.now() + limit;
    let mut next = 0;
    let mut got = Vec::new();
    let mut pieces = Pieces::new();
    let mut stats = TransferStats { pieces: 0 };
    while got.len() < msgs.len() {
        assert!(
            p.net.now() < deadline,
            "{dir:?}: only {} of {} messages by {deadline:?} ({} queued, {} partial)",
            got.len(),
            msgs.len(),
            next,
            pieces.len()
        );
        send_some(p, dir, msgs, &mut next);
        assert!(p.net.step(), "{dir:?}: nothing left to happen");
        stats.pieces += receive(p, dir, &mut pieces, &mut got);
    }
    assert!(pieces.is_empty(), "unfinished partial deliveries");
    check_delivery(msgs, &got);
    stats
}

/// Every message arrived exactly once, intact, with its PPID, on its stream, with its U flag
/// where reported, and the ordered ones in order on each stream.
fn check_delivery(msgs: &[Msg], got: &[Got]) {
    assert_eq!(got.len(), msgs.len());
    let mut seen = vec![false; msgs.len()];
    let mut last_ordered: BTreeMap<u16, usize> = BTreeMap::new();
    for g in got {
        let index = g.ppid.wrapping_sub(PPID_BASE) as usize;
        assert!(index < msgs.len(), "unknown PPID {:#x}", g.ppid);
        let m = &msgs[index];
        assert!(!seen[index], "message {index} delivered twice");
        seen[index] = true;
        assert_eq!(g.stream, m.stream, "message {index}: stream");
        if let Some(u) = g.unordered {
            assert_eq!(u, m.unordered, "message {index}: U flag");
        }
        assert_eq!(g.payload.len(), m.len, "message {index}: length");
        assert!(g.payload == body(index, m), "message {index}: corrupted");
        if !m.unordered {
            if let Some(prev) = last_ordered.insert(m.stream, index) {
                assert!(prev < index, "stream {}: {index} after {prev}", m.stream);
            }
        }
    }
}

fn no_dc_errors(p: &Interop) {
    let errors: Vec<_> = p
        .dc()
        .events()
        .iter()
        .filter(|e| matches!(e, dc::Event::Error { .. } | dc::Event::Aborted { .. }))
        .collect();
    assert!(errors.is_empty(), "dcsctp reported {errors:?}");
}

fn no_our_failures(p: &Interop) {
    let bad: Vec<_> = p
        .our_events()
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                Event::Lost(_) | Event::RemoteError { .. } | Event::SendFailed(_)
            )
        })
        .collect();
    assert!(bad.is_empty(), "our association reported {bad:?}");
}

// ----- 1. handshake ----------------------------------------------------------------------------

fn check_handshake(client: Client) {
    let mut p = Interop::start(
        1,
        LinkConfig::with_delay(ms(10)),
        our_config(),
        dc_config(2),
        client,
    );
    p.net.run_for(ms(200));
    assert!(both_connected(&p.net), "{:?}", p.our_node().events);
    assert_eq!(p.assoc().state(), State::Established);
    // INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK, and nothing else (no data, no heartbeat yet).
    assert_eq!(p.packets_sent(), 4);
    // We ask for 10 outbound streams and accept up to 2048 inbound; dcsctp announces 65535 each.
    let config = our_config().association;
    let (out, inb) = p.assoc().streams();
    assert_eq!(out, config.outbound_streams);
    assert_eq!(inb, config.max_inbound_streams);
    let connected = p
        .our_events()
        .into_iter()
        .find(|e| matches!(e, Event::Connected { .. }));
    assert_eq!(
        connected,
        Some(Event::Connected {
            outbound_streams: out,
            inbound_streams: inb
        })
    );
    let metrics = p.dc().metrics().expect("dcsctp metrics");
    assert_eq!(metrics.negotiated_maximum_outgoing_streams, inb);
    assert_eq!(metrics.negotiated_maximum_incoming_streams, out);
    assert!(!metrics.uses_message_interleaving);
    assert_eq!(p.dc().events(), &[dc::Event::Connected]);
    // Tags are each other's.
    let assoc = p.assoc();
    assert_ne!(assoc.local_tag(), 0);
    assert_ne!(assoc.peer_tag(), 0);
    assert_eq!((assoc.local_port(), assoc.peer_port()), (PORT, PORT));
}

#[test]
fn handshake_our_client_dcsctp_server() {
    check_handshake(Client::Ours);
}

#[test]
fn handshake_dcsctp_client_our_server() {
    check_handshake(Client::Dcsctp);
}

// ----- 2. data on a clean link -----------------------------------------------------------------

/// Both directions over one association, in sequence.
fn clean_transfer(seed: u64, client: Client, ours: EndpointConfig, msgs: &[Msg]) -> usize {
    let mut p = Interop::established(
        seed,
        LinkConfig::with_delay(ms(10)),
        ours,
        dc_config(seed + 1),
        client,
    );
    transfer(&mut p, Dir::OursToDc, msgs, secs(120));
    let pieces = transfer(&mut p, Dir::DcToOurs, msgs, secs(120)).pieces;
    no_dc_errors(&p);
    no_our_failures(&p);
    pieces
}

/// A receive buffer large enough for a whole 256 KiB message (and the partial delivery point,
/// half of it, above every message): every message arrives whole.
fn big_buffer() -> EndpointConfig {
    let mut config = our_config();
    config.association.receive_buffer = 1 << 20;
    config
}

#[test]
fn all_sizes_both_directions_our_client_big_buffer() {
    let pieces = clean_transfer(10, Client::Ours, big_buffer(), &mixed_messages(usize::MAX));
    assert_eq!(pieces, 0);
}

#[test]
fn all_sizes_both_directions_dcsctp_client_big_buffer() {
    let pieces = clean_transfer(
        20,
        Client::Dcsctp,
        big_buffer(),
        &mixed_messages(usize::MAX),
    );
    assert_eq!(pieces, 0);
}

/// The default 128 KiB receive buffer: 256 KiB ordered messages come in pieces (partial
/// delivery from 64 KiB on) that concatenate to the message. Unordered DATA is never partially
/// delivered by our reassembly queue, so unordered messages stay at 64 KiB here.
#[test]
fn all_sizes_both_directions_our_client_default_buffer_in_pieces() {
    let pieces = clean_transfer(30, Client::Ours, our_config(), &mixed_messages(64 * 1024));
    assert!(pieces > 0, "256 KiB messages should come in pieces");
}

#[test]
fn all_sizes_both_directions_dcsctp_client_default_buffer_in_pieces() {
    let pieces = clean_transfer(40, Client::Dcsctp, our_config(), &mixed_messages(64 * 1024));
    assert!(pieces > 0, "256 KiB messages should come in pieces");
}

// ----- 3. data on a lossy link -----------------------------------------------------------------

fn lossy_link() -> LinkConfig {
    LinkConfig {
        loss: 0.05,
        reorder: 0.05,
        reorder_delay: ms(20),
        jitter: ms(2),
        ..LinkConfig::with_delay(ms(15))
    }
}

fn lossy_transfer(seeds: std::ops::Range<u64>, ours: fn() -> EndpointConfig, max_unordered: usize) {
    let msgs = mixed_messages(max_unordered);
    for seed in seeds {
        for client in [Client::Ours, Client::Dcsctp] {
            eprintln!("seed {seed}, {client:?} client");
            let mut p =
                Interop::established(seed, lossy_link(), ours(), dc_config(seed * 7 + 1), client);
            transfer(&mut p, Dir::OursToDc, &msgs, secs(600));
            transfer(&mut p, Dir::DcToOurs, &msgs, secs(600));
            no_dc_errors(&p);
            no_our_failures(&p);
            let (o, d) = (our_addr(), dc_addr());
            assert!(p.net.link_stats(o, d).dropped_loss + p.net.link_stats(d, o).dropped_loss > 0);
        }
    }
}

#[test]
fn lossy_link_big_buffer() {
    lossy_transfer(100..104, big_buffer, usize::MAX);
}

#[test]
fn lossy_link_default_buffer() {
    lossy_transfer(200..204, our_config, 64 * 1024);
}

// ----- 4. graceful shutdown --------------------------------------------------------------------

fn shutdown_with_queued_data(initiator: Dir, client: Client) {
    let mut p = Interop::established(
        50,
        LinkConfig::with_delay(ms(20)),
        our_config(),
        dc_config(51),
        client,
    );
    let msgs: Vec<Msg> = (0..30)
        .map(|i| Msg {
            stream: (i % 3) as u16,
            unordered: false,
            len: 3000 + i * 100,
        })
        .collect();
    let mut next = 0;
    send_some(&mut p, initiator, &msgs, &mut next);
    assert_eq!(next, msgs.len());
    let now = p.net.now();
    match initiator {
        Dir::OursToDc => p.assoc_mut().shutdown(now),
        Dir::DcToOurs => p.dc_mut().shutdown(),
    }
    // The receiver reads as data comes in. (If ours did not, its window would close, and
    // dcsctp would send SHUTDOWN as soon as nothing is in flight although the rest of its queue
    // is unsent: `maybe_send_shutdown` checks only the retransmission queue. The unsent
    // message is then lost, against RFC 9260 §9.2 and §11.1.)
    let deadline = p.net.now() + secs(30);
    let mut got = Vec::new();
    let mut pieces = Pieces::new();
    loop {
        receive(&mut p, initiator, &mut pieces, &mut got);
        if p.assoc().is_closed() && p.dc().state() == dc::State::Closed {
            break;
        }
        assert!(p.net.now() < deadline, "not closed by {deadline:?}");
        assert!(p.net.step(), "nothing left to happen");
    }
    receive(&mut p, initiator, &mut pieces, &mut got);
    check_delivery(&msgs, &got);
    let events = p.our_events();
    assert!(
        events.contains(&Event::ShutdownComplete),
        "our events: {events:?}"
    );
    if initiator == Dir::DcToOurs {
        assert!(events.contains(&Event::PeerShutdown), "{events:?}");
    }
    assert!(
        !events.iter().any(|e| matches!(e, Event::Lost(_))),
        "{events:?}"
    );
    assert_eq!(p.dc().events().last(), Some(&dc::Event::Closed));
    no_dc_errors(&p);
}

#[test]
fn shutdown_by_us_delivers_queued_data() {
    shutdown_with_queued_data(Dir::OursToDc, Client::Ours);
    shutdown_with_queued_data(Dir::OursToDc, Client::Dcsctp);
}

#[test]
fn shutdown_by_dcsctp_delivers_queued_data() {
    shutdown_with_queued_data(Dir::DcToOurs, Client::Ours);
    shutdown_with_queued_data(Dir::DcToOurs, Client::Dcsctp);
}

// ----- 5. abort --------------------------------------------------------------------------------

#[test]
fn abort_by_us_reaches_dcsctp() {
    for client in [Client::Ours, Client::Dcsctp] {
        let mut p = Interop::established(
            60,
            LinkConfig::with_delay(ms(10)),
            our_config(),
            dc_config(61),
            client,
        );
        p.assoc_mut().abort(b"bye");
        assert!(p.assoc().is_closed());
        p.net.run_for(ms(100));
        assert_eq!(p.dc().state(), dc::State::Closed);
        match p.dc().events().last() {
            Some(dc::Event::Aborted {
                kind: dc::ErrorKind::PeerReported,
                ..
            }) => {}
            other => panic!("{client:?} client: dcsctp ended with {other:?}"),
        }
        assert!(p
            .our_events()
            .contains(&Event::Lost(LossReason::LocalAbort)));
    }
}

#[test]
fn abort_by_dcsctp_reaches_us() {
    for client in [Client::Ours, Client::Dcsctp] {
        let mut p = Interop::established(
            70,
            LinkConfig::with_delay(ms(10)),
            our_config(),
            dc_config(71),
            client,
        );
        p.dc_mut().abort();
        assert_eq!(p.dc().state(), dc::State::Closed);
        p.net.run_for(ms(100));
        assert!(p.assoc().is_closed(), "{client:?} client");
        let events = p.our_events();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::Lost(LossReason::PeerAborted { .. }))),
            "{client:?} client: {events:?}"
        );
    }
}

// ----- 6. extensions ---------------------------------------------------------------------------

fn interleaving_config(receive_buffer: u32) -> EndpointConfig {
    let mut config = our_config();
    config.association.capabilities.interleaving = true;
    config.association.capabilities.partial_reliability = true;
    config.association.receive_buffer = receive_buffer;
    config
}

fn dc_interleaving(seed: u64) -> dc::Config {
    dc::Config {
        interleaving: true,
        ..dc_config(seed)
    }
}

/// With I-DATA unordered messages are partially delivered too, so every size goes both ways
/// even with the default buffer.
fn interleaved_transfer(seed: u64, client: Client, link: LinkConfig, receive_buffer: u32) {
    let mut p = Interop::established(
        seed,
        link,
        interleaving_config(receive_buffer),
        dc_interleaving(seed + 1),
        client,
    );
    let caps = p.assoc().capabilities();
    assert!(caps.interleaving, "{caps:?}");
    assert!(caps.partial_reliability, "{caps:?}");
    assert!(p.dc().metrics().unwrap().uses_message_interleaving);
    let msgs = mixed_messages(usize::MAX);
    transfer(&mut p, Dir::OursToDc, &msgs, secs(600));
    transfer(&mut p, Dir::DcToOurs, &msgs, secs(600));
    no_dc_errors(&p);
    no_our_failures(&p);
}

#[test]
fn interleaving_negotiated_and_used_both_roles() {
    for client in [Client::Ours, Client::Dcsctp] {
        interleaved_transfer(80, client, LinkConfig::with_delay(ms(10)), 1 << 20);
        interleaved_transfer(81, client, LinkConfig::with_delay(ms(10)), 131_072);
    }
}

#[test]
fn interleaving_over_a_lossy_link() {
    for seed in 300..303 {
        for client in [Client::Ours, Client::Dcsctp] {
            interleaved_transfer(seed, client, lossy_link(), 131_072);
        }
    }
}

#[test]
fn interleaving_not_agreed_when_only_one_side_offers_it() {
    let p = Interop::established(
        90,
        LinkConfig::with_delay(ms(10)),
        interleaving_config(131_072),
        dc_config(91),
        Client::Ours,
    );
    let caps = p.assoc().capabilities();
    assert!(!caps.interleaving && caps.partial_reliability, "{caps:?}");
    assert!(!p.dc().metrics().unwrap().uses_message_interleaving);
}

/// A message with a short lifetime is sent while everything the sender emits is lost; once the
/// link is back, later messages on the same stream still arrive and the expired one never does.
fn pr_abandonment(sender: Dir, interleaving: bool, unordered: bool) {
    let mut ours = our_config();
    ours.association.capabilities.partial_reliability = true;
    ours.association.capabilities.interleaving = interleaving;
    let dcc = dc::Config {
        interleaving,
        ..dc_config(101)
    };
    let mut p = Interop::established(100, LinkConfig::with_delay(ms(10)), ours, dcc, Client::Ours);
    assert!(p.assoc().capabilities().partial_reliability);
    assert_eq!(p.assoc().capabilities().interleaving, interleaving);
    let from = match sender {
        Dir::OursToDc => our_addr(),
        Dir::DcToOurs => dc_addr(),
    };
    let stream = 1;
    let before = Msg {
        stream,
        unordered,
        len: 500,
    };
    let doomed = Msg {
        stream,
        unordered,
        len: 3000,
    };
    // A reliable message first, so that stream sequence numbers are past zero.
    let mut next = 0;
    send_some(&mut p, sender, &[before], &mut next);
    let mut got = Vec::new();
    let mut pieces = Pieces::new();
    p.net.run_for(ms(500));
    receive(&mut p, sender, &mut pieces, &mut got);
    assert_eq!(got.len(), 1);

    p.net.link_mut(from, from_peer(from)).up = false;
    let now = p.net.now();
    let lifetime = ms(100);
    let data = body(1, &doomed);
    match sender {
        Dir::OursToDc => {
            let opts = SendOptions {
                stream,
                ppid: ppid(1),
                unordered,
                pr: PrPolicy::Ttl {
                    expires: now + lifetime,
                },
                ..Default::default()
            };
            p.assoc_mut().send(now, &opts, &data).unwrap();
        }
        Dir::DcToOurs => p
            .dc_mut()
            .send_with_lifetime(stream, ppid(1), &data, unordered, lifetime)
            .unwrap(),
    }
    p.net.run_for(secs(2));
    p.net.link_mut(from, from_peer(from)).up = true;

    let later: Vec<Msg> = (0..5)
        .map(|i| Msg {
            stream,
            unordered,
            len: 200 + i * 1000,
        })
        .collect();
    // Indices 2.. in the PPID space.
    let mut all = vec![before, doomed];
    all.extend(later.iter().copied());
    let mut next = 2;
    let deadline = p.net.now() + secs(60);
    while got.len() < 1 + later.len() {
        assert!(
            p.net.now() < deadline,
            "{sender:?} (I-DATA {interleaving}, U {unordered}): only {} of {} later messages",
            got.len() - 1,
            later.len()
        );
        send_some(&mut p, sender, &all, &mut next);
        assert!(p.net.step());
        receive(&mut p, sender, &mut pieces, &mut got);
    }
    p.net.run_for(secs(3));
    receive(&mut p, sender, &mut pieces, &mut got);
    let indices: Vec<u32> = got.iter().map(|g| g.ppid - PPID_BASE).collect();
    if unordered {
        let mut sorted = indices.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 2, 3, 4, 5, 6]);
    } else {
        assert_eq!(indices, [0, 2, 3, 4, 5, 6]);
    }
    for g in &got {
        let index = (g.ppid - PPID_BASE) as usize;
        assert!(g.payload == body(index, &all[index]));
    }
    no_dc_errors(&p);
    if sender == Dir::OursToDc {
        let events = p.our_events();
        assert!(
            events
                .iter()
                .any(|e| matches!(e, Event::SendFailed(m) if m.stream_id.0 == stream)),
            "no SendFailed for the abandoned message: {events:?}"
        );
        assert!(!events.iter().any(|e| matches!(e, Event::Lost(_))));
    } else {
        no_our_failures(&p);
    }
}

fn from_peer(from: Addr) -> Addr {
    if from == our_addr() {
        dc_addr()
    } else {
        our_addr()
    }
}

#[test]
fn pr_sctp_forward_tsn_we_abandon() {
    pr_abandonment(Dir::OursToDc, false, false);
    pr_abandonment(Dir::OursToDc, false, true);
}

#[test]
fn pr_sctp_forward_tsn_dcsctp_abandons() {
    pr_abandonment(Dir::DcToOurs, false, false);
    pr_abandonment(Dir::DcToOurs, false, true);
}

#[test]
fn pr_sctp_i_forward_tsn_we_abandon() {
    pr_abandonment(Dir::OursToDc, true, false);
    pr_abandonment(Dir::OursToDc, true, true);
}

#[test]
fn pr_sctp_i_forward_tsn_dcsctp_abandons() {
    pr_abandonment(Dir::DcToOurs, true, false);
    pr_abandonment(Dir::DcToOurs, true, true);
}

// ----- path MTU discovery (RFC 8899) -------------------------------------------------------------

/// Our side probes with HEARTBEAT + PAD (RFC 4820) packets; dcSCTP skips the PAD chunk (its
/// type says "skip and continue") and answers the HEARTBEAT, so our path grows to the link's
/// MTU, and messages both ways still arrive. dcSCTP keeps its own 1200-byte packets.
#[test]
fn path_mtu_discovery_against_dcsctp() {
    for client in [Client::Ours, Client::Dcsctp] {
        let mut ours = big_buffer();
        ours.association.plpmtud = usrsctp::assoc::pmtud::PlpmtudConfig {
            enabled: true,
            ..Default::default()
        };
        let link = LinkConfig {
            mtu: 8972,
            ..LinkConfig::with_delay(ms(10))
        };
        let mut p = Interop::established(50, link, ours, dc_config(51), client);
        let limit = p.net.now() + secs(60);
        let (node, id) = (p.ours, p.id());
        p.net.run_while(
            |n| {
                n.node::<SctpNode>(node).association(id).plpmtud_state(0)
                    != Some(usrsctp::assoc::pmtud::PlState::SearchComplete)
            },
            limit,
        );
        assert_eq!(p.assoc().path_packet_size(0), 8972, "{client:?}");
        let msgs = mixed_messages(usize::MAX);
        transfer(&mut p, Dir::OursToDc, &msgs, secs(120));
        transfer(&mut p, Dir::DcToOurs, &msgs, secs(120));
        no_dc_errors(&p);
        no_our_failures(&p);
        // The link MTU drops: our side notices and keeps going.
        let (o, d) = (our_addr(), dc_addr());
        p.net.link_mut(o, d).mtu = 1472;
        transfer(&mut p, Dir::OursToDc, &msgs, secs(300));
        assert!(p.assoc().path_packet_size(0) <= 1472);
        no_dc_errors(&p);
        no_our_failures(&p);
    }
}
