//! Hostile input against the association engine: our client endpoint (AF_CONN port 5000)
//! connects to port 5001, where a fake peer of this module answers. The fake peer sets the
//! association up as the usrsctp fuzzers do (a flag byte says which steps run), then hostile
//! chunks arrive behind a valid common header, then the timers run with the fake peer
//! cooperating, and the association must end closed, or established and still able to send and
//! receive.
//!
//! Used by `tests/corpus_engine.rs` and, through `#[path]`, by the `association` fuzz target,
//! so it depends on nothing but the crate itself. Every check returns an error string
//! ([`Harness::check`], [`Harness::finish`]) rather than panicking, so that a test can name
//! the input that failed; a panic inside the engine is a panic.

use std::time::Duration;

use usrsctp::assoc::{Config, Event, SendOptions, State};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::crc;
use usrsctp::wire::header::MAX_PACKET_LEN;
use usrsctp::wire::packet::Packet;

pub const CLIENT_PORT: u16 = 5000;
pub const PEER_PORT: u16 = 5001;
pub const PEER: NetAddr = NetAddr::Conn(1);

/// The steps before the hostile packet, as byte 0 of a CORPUS_CONNECT file.
pub mod flags {
    pub const INIT_ACK: u8 = 1 << 0;
    pub const COOKIE_ACK: u8 = 1 << 1;
    pub const USER_MESSAGE: u8 = 1 << 2;
    pub const DATA: u8 = 1 << 3;
    /// Reset all streams: our engine has no stream reset (RE-CONFIG) yet, so the step is
    /// skipped.
    pub const RESET_STREAMS: u8 = 1 << 4;
    pub const IDATA: u8 = 1 << 5;
    pub const SEND_EARLY: u8 = 1 << 6;
    /// What an established association with a message each way looks like.
    pub const ESTABLISHED: u8 = INIT_ACK | COOKIE_ACK | USER_MESSAGE | DATA;
}

/// Chunk type codes.
pub mod ty {
    pub const DATA: u8 = 0;
    pub const INIT_ACK: u8 = 2;
    pub const SACK: u8 = 3;
    pub const HEARTBEAT: u8 = 4;
    pub const HEARTBEAT_ACK: u8 = 5;
    pub const ABORT: u8 = 6;
    pub const SHUTDOWN: u8 = 7;
    pub const SHUTDOWN_ACK: u8 = 8;
    pub const ERROR: u8 = 9;
    pub const COOKIE_ACK: u8 = 11;
    pub const SHUTDOWN_COMPLETE: u8 = 14;
    pub const NR_SACK: u8 = 16;
    pub const I_DATA: u8 = 64;
    pub const FORWARD_TSN: u8 = 192;
    pub const I_FORWARD_TSN: u8 = 194;
}

/// Limits of one step (one input and the output it causes).
pub const MAX_TRANSMITS_PER_STEP: usize = 4096;
pub const MAX_EVENTS_PER_STEP: usize = 20_000;
/// Rounds of cooperative replies in one step (replies to replies).
const MAX_REPLY_ROUNDS: usize = 64;
/// Timer firings in one `run_timers` call: a timer that keeps firing at the same instant is
/// a busy loop.
const MAX_TIMER_FIRINGS: usize = 100_000;

const PROBE_OUT: &[u8] = b"hostile-probe: client to peer";
const PROBE_IN: &[u8] = b"hostile-probe: peer to client";

// ---- chunk builders ---------------------------------------------------------------------------

/// A chunk: type, flags, length, value, zero padding.
pub fn chunk(chunk_type: u8, chunk_flags: u8, value: &[u8]) -> Vec<u8> {
    let len = (4 + value.len()).min(usize::from(u16::MAX));
    let mut c = vec![chunk_type, chunk_flags];
    c.extend_from_slice(&(len as u16).to_be_bytes());
    c.extend_from_slice(value);
    while c.len() % 4 != 0 {
        c.push(0);
    }
    c
}

/// A parameter or error cause TLV with its padding.
pub fn tlv(code: u16, value: &[u8]) -> Vec<u8> {
    let len = (4 + value.len()).min(usize::from(u16::MAX));
    let mut p = code.to_be_bytes().to_vec();
    p.extend_from_slice(&(len as u16).to_be_bytes());
    p.extend_from_slice(value);
    while p.len() % 4 != 0 {
        p.push(0);
    }
    p
}

/// DATA flag bits.
pub const E: u8 = 1;
pub const B: u8 = 2;
pub const U: u8 = 4;
pub const I: u8 = 8;

pub fn data_chunk(tsn: u32, stream: u16, ssn: u16, ppid: u32, fl: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = tsn.to_be_bytes().to_vec();
    v.extend_from_slice(&stream.to_be_bytes());
    v.extend_from_slice(&ssn.to_be_bytes());
    v.extend_from_slice(&ppid.to_be_bytes());
    v.extend_from_slice(payload);
    chunk(ty::DATA, fl, &v)
}

/// I-DATA: `ppid_or_fsn` is the PPID in a B fragment and the FSN otherwise.
pub fn idata_chunk(
    tsn: u32,
    stream: u16,
    mid: u32,
    ppid_or_fsn: u32,
    fl: u8,
    payload: &[u8],
) -> Vec<u8> {
    let mut v = tsn.to_be_bytes().to_vec();
    v.extend_from_slice(&stream.to_be_bytes());
    v.extend_from_slice(&[0, 0]);
    v.extend_from_slice(&mid.to_be_bytes());
    v.extend_from_slice(&ppid_or_fsn.to_be_bytes());
    v.extend_from_slice(payload);
    chunk(ty::I_DATA, fl, &v)
}

pub fn sack_chunk(cum: u32, a_rwnd: u32, gaps: &[(u16, u16)], dups: &[u32]) -> Vec<u8> {
    let mut v = cum.to_be_bytes().to_vec();
    v.extend_from_slice(&a_rwnd.to_be_bytes());
    v.extend_from_slice(&(gaps.len() as u16).to_be_bytes());
    v.extend_from_slice(&(dups.len() as u16).to_be_bytes());
    for (s, e) in gaps {
        v.extend_from_slice(&s.to_be_bytes());
        v.extend_from_slice(&e.to_be_bytes());
    }
    for d in dups {
        v.extend_from_slice(&d.to_be_bytes());
    }
    chunk(ty::SACK, 0, &v)
}

pub fn nr_sack_chunk(cum: u32, a_rwnd: u32, gaps: &[(u16, u16)], nr: &[(u16, u16)]) -> Vec<u8> {
    let mut v = cum.to_be_bytes().to_vec();
    v.extend_from_slice(&a_rwnd.to_be_bytes());
    v.extend_from_slice(&(gaps.len() as u16).to_be_bytes());
    v.extend_from_slice(&(nr.len() as u16).to_be_bytes());
    v.extend_from_slice(&0u16.to_be_bytes());
    v.extend_from_slice(&0u16.to_be_bytes());
    for (s, e) in gaps.iter().chain(nr) {
        v.extend_from_slice(&s.to_be_bytes());
        v.extend_from_slice(&e.to_be_bytes());
    }
    chunk(ty::NR_SACK, 0, &v)
}

/// FORWARD-TSN with (stream, SSN) entries.
pub fn forward_tsn_chunk(new_cum: u32, streams: &[(u16, u16)]) -> Vec<u8> {
    let mut v = new_cum.to_be_bytes().to_vec();
    for (s, n) in streams {
        v.extend_from_slice(&s.to_be_bytes());
        v.extend_from_slice(&n.to_be_bytes());
    }
    chunk(ty::FORWARD_TSN, 0, &v)
}

/// I-FORWARD-TSN with (stream, unordered, MID) entries.
pub fn iforward_tsn_chunk(new_cum: u32, streams: &[(u16, bool, u32)]) -> Vec<u8> {
    let mut v = new_cum.to_be_bytes().to_vec();
    for (s, u, mid) in streams {
        v.extend_from_slice(&s.to_be_bytes());
        v.extend_from_slice(&[0, u8::from(*u)]);
        v.extend_from_slice(&mid.to_be_bytes());
    }
    chunk(ty::I_FORWARD_TSN, 0, &v)
}

fn later(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) > 0
}

// ---- the harness ------------------------------------------------------------------------------

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Closed by the hostile input or the timers after it.
    Closed,
    /// Still in the handshake after the input; the handshake gave up and it closed.
    HandshakeGaveUp,
    /// In a shutdown state after the input; the shutdown completed.
    ShutdownCompleted,
    /// Established, and a message went each way afterwards.
    Established,
}

/// Counters of a run, for the test's summary.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub packets_in: usize,
    pub bytes_in: usize,
    pub transmits: usize,
    pub bytes_out: usize,
    pub max_transmits_per_step: usize,
    pub max_bytes_out_per_step: usize,
    pub events: usize,
    pub client_aborts: usize,
}

/// Our client endpoint and the fake peer's view of the association.
pub struct Harness {
    pub endpoint: Endpoint,
    pub id: AssocId,
    pub now: Instant,
    pub config: Config,
    /// The peer answers heartbeats, data and shutdown chunks.
    pub cooperative: bool,
    /// The client's verification tag: what the peer's packets carry.
    pub client_tag: u32,
    pub client_initial_tsn: u32,
    /// The peer's tag and next TSN.
    pub peer_tag: u32,
    pub peer_next_tsn: u32,
    pub peer_initial_tsn: u32,
    /// The highest TSN the client sent (DATA, or FORWARD-TSN's new cumulative TSN).
    pub highest_client_tsn: Option<u32>,
    /// The cumulative TSN ack of the client's latest SACK (or SHUTDOWN).
    pub client_cum_ack: Option<u32>,
    pub saw_cookie_echo: bool,
    pub probe_sent_by_client: bool,
    pub probe_received_by_client: bool,
    pub closed_event: bool,
    pub stats: Stats,
    /// Bytes of received messages popped in the current step.
    popped_this_step: usize,
    /// Engine misbehaviour fails the run, unless `HOSTILE_TOLERANT=1` is set in the
    /// environment to count it instead (useful while investigating a new finding).
    pub strict: bool,
    /// The known engine bugs this run ran into.
    pub findings: Vec<String>,
    /// Packets the peer sends in reply, delivered at the end of the step.
    replies: Vec<Vec<u8>>,
    ack_due: bool,
    probe_mid: u32,
}

impl Harness {
    /// Connects and runs the steps `setup` (a CORPUS_CONNECT flag byte) asks for.
    pub fn new(setup: u8, seed: u64) -> Result<Self, String> {
        let mut config = Config::default();
        config.capabilities.partial_reliability = true;
        config.capabilities.interleaving = setup & flags::IDATA != 0;
        let endpoint_config = EndpointConfig {
            association: config.clone(),
            ..EndpointConfig::default()
        };
        let now = Instant::from_millis(1_000);
        let mut endpoint = Endpoint::new(
            endpoint_config,
            CLIENT_PORT,
            now,
            Box::new(SeededRandom::new(seed)),
        );
        let id = endpoint
            .connect(now, PEER, PEER_PORT)
            .map_err(|e| format!("connect: {e:?}"))?;
        let peer_initial_tsn =
            0x1000_0000u32.wrapping_add((seed as u32).wrapping_mul(2_654_435_761));
        let mut h = Harness {
            endpoint,
            id,
            now,
            config,
            cooperative: false,
            client_tag: 0,
            client_initial_tsn: 0,
            peer_tag: 0x5eed_0001 ^ (seed as u32).rotate_left(7) | 1,
            peer_next_tsn: peer_initial_tsn,
            peer_initial_tsn,
            highest_client_tsn: None,
            client_cum_ack: None,
            saw_cookie_echo: false,
            probe_sent_by_client: false,
            probe_received_by_client: false,
            closed_event: false,
            stats: Stats::default(),
            popped_this_step: 0,
            strict: std::env::var_os("HOSTILE_TOLERANT").is_none_or(|v| v == "0"),
            findings: Vec::new(),
            replies: Vec::new(),
            ack_due: false,
            probe_mid: 0x7fff_0000,
        };
        h.step()?;
        if h.client_tag == 0 {
            return Err("the client sent no INIT".into());
        }
        if setup & flags::SEND_EARLY != 0 {
            h.user_send(0, false, 100);
        }
        if setup & flags::INIT_ACK != 0 {
            let ack = h.init_ack(setup & flags::IDATA != 0);
            h.inject(&ack)?;
        }
        if setup & flags::COOKIE_ACK != 0 {
            h.inject(&chunk(ty::COOKIE_ACK, 0, &[]))?;
        }
        if setup & flags::USER_MESSAGE != 0 {
            h.user_send(0, false, 100);
        }
        if setup & flags::DATA != 0 {
            let payload = [0x44; 64];
            let tsn = h.peer_next_tsn;
            h.peer_next_tsn = tsn.wrapping_add(1);
            let c = if setup & flags::IDATA != 0 {
                idata_chunk(tsn, 0, 0, 51, B | E, &payload)
            } else {
                data_chunk(tsn, 0, 0, 51, B | E, &payload)
            };
            h.inject(&c)?;
        }
        // flags::RESET_STREAMS: no stream reset in the engine yet; skipped.
        Ok(h)
    }

    /// The INIT-ACK the fake peer answers the client's INIT with.
    pub fn init_ack(&self, idata: bool) -> Vec<u8> {
        let mut params = tlv(0xc000, &[]); // Forward-TSN-Supported
        let extensions: &[u8] = if idata { &[0xc0, 0x40, 0xc2] } else { &[0xc0] };
        params.extend(tlv(0x8008, extensions));
        params.extend(tlv(7, b"a fake state cookie of the fake peer"));
        let mut v = self.peer_tag.to_be_bytes().to_vec();
        v.extend_from_slice(&1_048_576u32.to_be_bytes()); // a_rwnd
        v.extend_from_slice(&16u16.to_be_bytes()); // outbound streams
        v.extend_from_slice(&16u16.to_be_bytes()); // inbound streams
        v.extend_from_slice(&self.peer_next_tsn.to_be_bytes());
        v.extend_from_slice(&params);
        chunk(ty::INIT_ACK, 0, &v)
    }

    pub fn interleaving(&self) -> bool {
        self.endpoint
            .association(self.id)
            .is_some_and(|a| a.capabilities().interleaving)
    }

    pub fn state(&self) -> State {
        self.endpoint
            .association(self.id)
            .map_or(State::Closed, |a| a.state())
    }

    /// A packet from the peer: chunk bytes behind a common header with the client's tag.
    pub fn packet(&self, chunks: &[u8]) -> Vec<u8> {
        let mut p = Vec::with_capacity(12 + chunks.len());
        p.extend_from_slice(&PEER_PORT.to_be_bytes());
        p.extend_from_slice(&CLIENT_PORT.to_be_bytes());
        p.extend_from_slice(&self.client_tag.to_be_bytes());
        p.extend_from_slice(&[0; 4]);
        p.extend_from_slice(chunks);
        crc::set_checksum(&mut p);
        p
    }

    /// Delivers chunk bytes as one packet from the peer, then drains the output.
    pub fn inject(&mut self, chunks: &[u8]) -> Result<(), String> {
        let p = self.packet(chunks);
        self.deliver(&p)
    }

    /// Delivers a whole packet as it is, then drains the output.
    pub fn deliver(&mut self, packet: &[u8]) -> Result<(), String> {
        self.stats.packets_in += 1;
        self.stats.bytes_in += packet.len();
        self.endpoint.handle_datagram(self.now, PEER, packet);
        self.step()
    }

    /// Queues a user message on the client (errors are the user's problem, not ours).
    pub fn user_send(&mut self, stream: u16, unordered: bool, len: usize) {
        let now = self.now;
        let options = SendOptions {
            stream,
            ppid: 53,
            unordered,
            ..SendOptions::default()
        };
        let payload = vec![0x55; len.max(1)];
        if let Some(a) = self.endpoint.association_mut(self.id) {
            let _ = a.send(now, &options, &payload);
        }
    }

    /// Drains transmits, events and received messages, delivers the peer's replies when it
    /// cooperates, and checks the invariants.
    pub fn step(&mut self) -> Result<(), String> {
        self.popped_this_step = 0;
        let (mut transmits, mut bytes_out, mut events) = (0, 0, 0);
        for _ in 0..MAX_REPLY_ROUNDS {
            while let Some(t) = self.endpoint.poll_transmit(self.now) {
                transmits += 1;
                bytes_out += t.bytes.len();
                if transmits > MAX_TRANSMITS_PER_STEP {
                    return Err(format!(
                        "more than {MAX_TRANSMITS_PER_STEP} packets in a step"
                    ));
                }
                if t.dst != PEER {
                    return Err(format!("a packet to {:?}", t.dst));
                }
                self.observe_transmit(&t.bytes)?;
            }
            while let Some((_, event)) = self.endpoint.poll_event() {
                events += 1;
                if events > MAX_EVENTS_PER_STEP {
                    return Err(format!("more than {MAX_EVENTS_PER_STEP} events in a step"));
                }
                if matches!(event, Event::Lost(_) | Event::ShutdownComplete) {
                    self.closed_event = true;
                }
            }
            self.drain_received();
            if self.cooperative && self.ack_due {
                self.ack_due = false;
                let ack = self.peer_sack();
                self.replies.push(self.packet(&ack));
            }
            if self.replies.is_empty() {
                break;
            }
            for r in std::mem::take(&mut self.replies) {
                self.stats.packets_in += 1;
                self.stats.bytes_in += r.len();
                self.endpoint.handle_datagram(self.now, PEER, &r);
            }
        }
        self.stats.transmits += transmits;
        self.stats.bytes_out += bytes_out;
        self.stats.events += events;
        self.stats.max_transmits_per_step = self.stats.max_transmits_per_step.max(transmits);
        self.stats.max_bytes_out_per_step = self.stats.max_bytes_out_per_step.max(bytes_out);
        self.check()
    }

    fn drain_received(&mut self) {
        let Some(a) = self.endpoint.association_mut(self.id) else {
            return;
        };
        let mut n = 0usize;
        while let Some(m) = a.recv() {
            self.popped_this_step += m.payload.len();
            if m.payload == PROBE_IN {
                self.probe_received_by_client = true;
            }
            n += 1;
            if n > 1_000_000 {
                break;
            }
        }
    }

    /// A known engine bug (reported, in code this harness may not change): an error when
    /// `strict`, else counted in `findings`.
    pub fn finding(&mut self, what: String) -> Result<(), String> {
        if self.strict {
            return Err(what);
        }
        if !self.findings.contains(&what) {
            self.findings.push(what);
        }
        Ok(())
    }

    /// The invariants after every step.
    pub fn check(&mut self) -> Result<(), String> {
        let Some(a) = self.endpoint.association(self.id) else {
            return Err("the association disappeared".into());
        };
        if a.buffered_amount() > self.config.send_buffer as usize {
            return Err(format!(
                "send side holds {} bytes, buffer {}",
                a.buffered_amount(),
                self.config.send_buffer
            ));
        }
        // Everything popped in one step was held by the reassembly queue at once.
        if self.popped_this_step > self.config.receive_buffer as usize {
            return Err(format!(
                "{} bytes of messages held at once, receive buffer {}",
                self.popped_this_step, self.config.receive_buffer
            ));
        }
        let closed_with_timers = a.is_closed() && a.poll_timeout().is_some();
        if let Some(t) = a.poll_timeout() {
            // A deadline far in the past means a timer that never fires or never re-arms.
            if t + Duration::from_secs(3600) < self.now {
                return Err(format!("a timer stuck in the past: {t:?} < {:?}", self.now));
            }
        }
        if closed_with_timers {
            self.finding("a closed association keeps timers".into())?;
        }
        Ok(())
    }

    /// What the fake peer learns from one of the client's packets; queues its replies when it
    /// cooperates.
    fn observe_transmit(&mut self, bytes: &[u8]) -> Result<(), String> {
        if bytes.len() > MAX_PACKET_LEN {
            return Err(format!("the client sent a packet of {} bytes", bytes.len()));
        }
        let packet = Packet::parse(bytes).map_err(|e| format!("unparsable output: {e}"))?;
        if !crc::verify(bytes) {
            return Err("output with a wrong checksum".into());
        }
        if packet.header.src_port != CLIENT_PORT || packet.header.dst_port != PEER_PORT {
            return Err(format!("output with ports {:?}", packet.header));
        }
        let closed = self.state() == State::Closed;
        for c in packet.chunks() {
            let c = c.map_err(|e| format!("the client sent a malformed chunk: {e}"))?;
            if closed && !matches!(c, Chunk::Abort(_) | Chunk::ShutdownComplete(_)) {
                self.finding(format!(
                    "a closed association sent chunk type {}",
                    c.chunk_type()
                ))?;
            }
            match c {
                Chunk::Init(init) => {
                    self.client_tag = init.initiate_tag.0;
                    self.client_initial_tsn = init.initial_tsn.0;
                }
                Chunk::CookieEcho(_) => self.saw_cookie_echo = true,
                Chunk::Data(d) => {
                    self.saw_client_tsn(d.tsn.0);
                    if d.payload == PROBE_OUT {
                        self.probe_sent_by_client = true;
                    }
                }
                Chunk::IData(d) => {
                    self.saw_client_tsn(d.tsn.0);
                    if d.payload == PROBE_OUT {
                        self.probe_sent_by_client = true;
                    }
                }
                Chunk::ForwardTsn(f) => self.saw_client_tsn(f.new_cum_tsn.0),
                Chunk::IForwardTsn(f) => self.saw_client_tsn(f.new_cum_tsn.0),
                Chunk::Sack(s) => self.saw_client_sack(s.cum_tsn_ack.0),
                Chunk::NrSack(s) => self.saw_client_sack(s.cum_tsn_ack.0),
                Chunk::Heartbeat(hb) if self.cooperative => {
                    let ack = chunk(ty::HEARTBEAT_ACK, 0, hb.params);
                    self.replies.push(self.packet(&ack));
                }
                Chunk::Shutdown(_) if self.cooperative => {
                    let mut reply = self.peer_sack();
                    reply.extend(chunk(ty::SHUTDOWN_ACK, 0, &[]));
                    self.replies.push(self.packet(&reply));
                }
                Chunk::ShutdownAck(_) if self.cooperative => {
                    let reply = chunk(ty::SHUTDOWN_COMPLETE, 0, &[]);
                    self.replies.push(self.packet(&reply));
                }
                Chunk::Abort(_) => self.stats.client_aborts += 1,
                _ => {}
            }
        }
        Ok(())
    }

    fn saw_client_tsn(&mut self, tsn: u32) {
        if self.highest_client_tsn.is_none_or(|h| later(tsn, h)) {
            self.highest_client_tsn = Some(tsn);
        }
        self.ack_due = true;
    }

    fn saw_client_sack(&mut self, cum: u32) {
        // The latest, not the highest in serial order: FORWARD-TSNs may move the client's
        // cumulative TSN by more than half the number space within one packet.
        self.client_cum_ack = Some(cum);
    }

    /// The peer's SACK of everything the client sent, with a wide-open window.
    pub fn peer_sack(&self) -> Vec<u8> {
        let cum = self
            .highest_client_tsn
            .unwrap_or(self.client_initial_tsn.wrapping_sub(1));
        sack_chunk(cum, 1_048_576, &[], &[])
    }

    /// Fires the client's timers up to `now + d`, draining after each.
    pub fn run_timers(&mut self, d: Duration) -> Result<(), String> {
        let end = self.now + d;
        let mut firings = 0;
        loop {
            let next = self.endpoint.poll_timeout();
            match next {
                Some(t) if t <= end => {
                    self.now = self.now.max(t);
                    firings += 1;
                    if firings > MAX_TIMER_FIRINGS {
                        return Err(format!(
                            "more than {MAX_TIMER_FIRINGS} timer firings by {:?}",
                            self.now
                        ));
                    }
                    self.endpoint.handle_timeout(self.now);
                    self.step()?;
                }
                _ => break,
            }
        }
        self.now = end;
        self.step()
    }

    /// Runs the timers for `d` with the peer cooperating: it acknowledges data, answers
    /// heartbeats and the shutdown, and opens its window.
    pub fn settle(&mut self, d: Duration) -> Result<(), String> {
        let was = self.cooperative;
        self.cooperative = true;
        if self.state() != State::Closed {
            // A window update, as a peer that had advertised zero sends once it has room.
            let ack = self.peer_sack();
            self.inject(&ack)?;
        }
        let r = self.run_timers(d);
        self.cooperative = was;
        r
    }

    /// After the hostile input: a few minutes of timers with a cooperating peer, then the
    /// association must be closed, or established and able to send and receive.
    pub fn finish(&mut self) -> Result<Outcome, String> {
        self.settle(Duration::from_secs(180))?;
        match self.state() {
            State::Closed => Ok(Outcome::Closed),
            State::CookieWait | State::CookieEchoed => {
                // The fake peer no longer answers the handshake: it must give up.
                self.settle(Duration::from_secs(900))?;
                match self.state() {
                    State::Closed => Ok(Outcome::HandshakeGaveUp),
                    s => Err(format!("still in {s:?} after 18 minutes")),
                }
            }
            State::Established => self.probe(),
            s => {
                self.settle(Duration::from_secs(600))?;
                match self.state() {
                    State::Closed => Ok(Outcome::ShutdownCompleted),
                    s2 => Err(format!("{s:?} did not complete: {s2:?} after 13 minutes")),
                }
            }
        }
    }

    /// [`Harness::finish`], and the known engine bugs the run met.
    pub fn conclude(mut self) -> Result<(Outcome, Vec<String>), String> {
        let outcome = self.finish()?;
        Ok((outcome, self.findings))
    }

    /// One message each way on an established association.
    fn probe(&mut self) -> Result<Outcome, String> {
        let now = self.now;
        let options = SendOptions {
            stream: 0,
            ppid: 51,
            ..SendOptions::default()
        };
        let a = self
            .endpoint
            .association_mut(self.id)
            .ok_or("association gone")?;
        a.send(now, &options, PROBE_OUT)
            .map_err(|e| format!("established but cannot send: {e:?}"))?;
        self.step()?;
        // Unordered, so that no hostile SSN or MID gap holds it back.
        for attempt in 0..10 {
            if self.probe_received_by_client || self.state() != State::Established {
                break;
            }
            // The TSN the client expects next (hostile chunks may have moved `peer_next_tsn`
            // anywhere).
            let tsn = self
                .client_cum_ack
                .map_or(self.peer_initial_tsn, |c| c.wrapping_add(1));
            self.peer_next_tsn = tsn.wrapping_add(1);
            let c = if self.interleaving() {
                self.probe_mid = self.probe_mid.wrapping_add(1);
                idata_chunk(tsn, 1, self.probe_mid, 51, U | B | E | I, PROBE_IN)
            } else {
                data_chunk(tsn, 1, 0, 51, U | B | E | I, PROBE_IN)
            };
            self.cooperative = true;
            self.inject(&c)?;
            self.settle(Duration::from_secs(1 + attempt))?;
        }
        self.settle(Duration::from_secs(60))?;
        match self.state() {
            // Closing now is a clean end, if an unexpected one.
            State::Closed => return Ok(Outcome::Closed),
            State::Established => {}
            s => return Err(format!("went to {s:?} during the probe")),
        }
        let a = self
            .endpoint
            .association(self.id)
            .ok_or("association gone")?;
        if !self.probe_sent_by_client {
            return Err(format!(
                "established, but the client never sent its message (buffered {}, peer rwnd {}, \
                 path {:?})",
                a.buffered_amount(),
                a.peer_rwnd(),
                a.path_info(0)
            ));
        }
        if a.buffered_amount() != 0 {
            return Err(format!(
                "established, but {} bytes stay unacknowledged",
                a.buffered_amount()
            ));
        }
        if !self.probe_received_by_client {
            return Err(format!(
                "established, but the peer's message never arrived (client cum ack {:?})",
                self.client_cum_ack
            ));
        }
        Ok(Outcome::Established)
    }
}

/// Runs a fuzz program: byte 0 is a CORPUS_CONNECT flag byte, then operations until the input
/// ends (an operation cut short is dropped):
///
/// - `0, len u16, bytes`: a packet of chunk bytes from the peer;
/// - `1, n`: `n` × 50 ms of timers with the peer silent;
/// - `2, b`: a user message of `(b & 63) * 37 + 1` bytes on stream `b >> 6 & 1`, unordered
///   if `b & 0x80`;
/// - `3, n`: `n` × 100 ms of timers with the peer cooperating;
/// - `4, fl, stream, len, delta`: a DATA or I-DATA chunk from the peer with flags `fl`, TSN
///   next + `delta as i8`, SSN/MID `stream`, `len` payload bytes;
/// - `5, delta, rwnd, gaps`: a SACK with cum ack highest sent + `delta as i8`, a_rwnd
///   `rwnd` KiB and `gaps & 3` gap blocks from the next bytes;
/// - `6, delta, n`: a FORWARD-TSN (or I-FORWARD-TSN) to the peer's next TSN + `delta as i8`
///   naming stream 0 up to SSN/MID `n`;
/// - other opcodes are ignored.
///
/// Then [`Harness::finish`].
pub fn run_program(input: &[u8], seed: u64) -> Result<(Outcome, Vec<String>), String> {
    let Some((&setup, mut rest)) = input.split_first() else {
        return Ok((Outcome::Closed, Vec::new()));
    };
    let mut h = Harness::new(setup, seed)?;
    fn take(n: usize, rest: &mut &[u8]) -> Option<Vec<u8>> {
        let (a, b) = (rest.get(..n)?, rest.get(n..)?);
        let v = a.to_vec();
        *rest = b;
        Some(v)
    }
    while let Some(op) = take(1, &mut rest) {
        match op[0] {
            0 => {
                let Some(len) = take(2, &mut rest) else { break };
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                let len = len.min(rest.len());
                let bytes = take(len, &mut rest).unwrap_or_default();
                h.inject(&bytes)?;
            }
            1 => {
                let Some(n) = take(1, &mut rest) else { break };
                h.run_timers(Duration::from_millis(50 * u64::from(n[0])))?;
            }
            2 => {
                let Some(b) = take(1, &mut rest) else { break };
                let b = b[0];
                h.user_send(
                    u16::from(b >> 6 & 1),
                    b & 0x80 != 0,
                    usize::from(b & 63) * 37 + 1,
                );
                h.step()?;
            }
            3 => {
                let Some(n) = take(1, &mut rest) else { break };
                h.settle(Duration::from_millis(100 * u64::from(n[0])))?;
            }
            4 => {
                let Some(a) = take(4, &mut rest) else { break };
                let tsn = h.peer_next_tsn.wrapping_add(a[3] as i8 as u32);
                if a[3] == 0 {
                    h.peer_next_tsn = tsn.wrapping_add(1);
                }
                let payload = vec![0x41; usize::from(a[2])];
                let c = if h.interleaving() {
                    idata_chunk(tsn, 0, u32::from(a[1]), 51, a[0], &payload)
                } else {
                    data_chunk(tsn, 0, u16::from(a[1]), 51, a[0], &payload)
                };
                h.inject(&c)?;
            }
            5 => {
                let Some(a) = take(3, &mut rest) else { break };
                let base = h
                    .highest_client_tsn
                    .unwrap_or(h.client_initial_tsn.wrapping_sub(1));
                let cum = base.wrapping_add(a[0] as i8 as u32);
                let mut gaps = Vec::new();
                for _ in 0..(a[2] & 3) {
                    let Some(g) = take(2, &mut rest) else { break };
                    gaps.push((u16::from(g[0]), u16::from(g[1])));
                }
                let c = sack_chunk(cum, u32::from(a[1]) * 1024, &gaps, &[]);
                h.inject(&c)?;
            }
            6 => {
                let Some(a) = take(2, &mut rest) else { break };
                let cum = h.peer_next_tsn.wrapping_add(a[0] as i8 as u32);
                if !later(h.peer_next_tsn, cum) {
                    h.peer_next_tsn = cum.wrapping_add(1);
                }
                let c = if h.interleaving() {
                    iforward_tsn_chunk(cum, &[(0, false, u32::from(a[1]))])
                } else {
                    forward_tsn_chunk(cum, &[(0, u16::from(a[1]))])
                };
                h.inject(&c)?;
            }
            _ => {}
        }
    }
    h.conclude()
}
