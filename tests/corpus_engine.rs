//! Hostile input against the association engine (see `tests/support/hostile.rs`): the usrsctp
//! fuzzing corpus (`../shared/corpus/`, see its README) replayed against an established
//! association and a listening endpoint, and a proptest of random chunk sequences.
//!
//! Every run must: not panic; keep memory bounded (the send and receive sides within their
//! configured buffers, a bounded number of packets and events per input, and a bounded heap,
//! measured by a counting allocator); and not get stuck: after the input and a few minutes of
//! timers with a cooperating peer, the association is closed, or established and able to send
//! and receive a message, or it finishes its handshake attempt or its shutdown.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use proptest::prelude::*;
use support::corpus::{files, split_chunks, undump};
use support::hostile::{self, flags, Harness, Outcome};
use usrsctp::endpoint::{Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::crc;
use usrsctp::wire::header::MAX_PACKET_LEN;
use usrsctp::wire::packet::Packet;

// ---- a heap meter ---------------------------------------------------------------------------

/// Counts the live heap bytes of each thread (tests run on threads of their own), and the
/// peak since [`measured`] started.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn account(delta: isize) {
    let _ = LIVE.try_with(|live| {
        let v = live.get() + delta;
        live.set(v);
        let _ = PEAK.try_with(|peak| {
            if v > peak.get() {
                peak.set(v)
            }
        });
    });
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters change.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            account(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        account(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            account(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap one run may hold on top of what it started with: the buffers are 128 KiB
/// (receive) and 256 KiB (send), a packet at most 64 KiB.
const HEAP_LIMIT: usize = 16 << 20;

/// Runs `f`, returning its result and the peak heap growth during it.
fn measured<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let r = f();
    let peak = PEAK.with(Cell::get);
    (r, (peak - base).max(0) as usize)
}

// ---- running cases --------------------------------------------------------------------------

/// Runs one case: its outcome, or what went wrong (a panic included).
fn run_case(
    f: impl FnOnce() -> Result<(Outcome, Vec<String>), String>,
) -> Result<((Outcome, Vec<String>), usize), String> {
    let caught = catch_unwind(AssertUnwindSafe(|| measured(f)));
    match caught {
        Ok((Ok(outcome), heap)) if heap <= HEAP_LIMIT => Ok((outcome, heap)),
        Ok((Ok(_), heap)) => Err(format!("heap grew by {heap} bytes")),
        Ok((Err(e), _)) => Err(e),
        Err(panic) => Err(format!(
            "PANIC: {}",
            panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?")
        )),
    }
}

#[derive(Default)]
struct Tally {
    outcomes: BTreeMap<String, usize>,
    failures: Vec<(String, String)>,
    /// Known engine bugs met: in how many inputs, and the first of them.
    findings: BTreeMap<String, (usize, String)>,
    max_heap: usize,
}

impl Tally {
    fn add(&mut self, name: &str, r: Result<((Outcome, Vec<String>), usize), String>) {
        match r {
            Ok(((o, findings), heap)) => {
                *self.outcomes.entry(format!("{o:?}")).or_default() += 1;
                for f in findings {
                    let e = self.findings.entry(f).or_insert((0, name.to_string()));
                    e.0 += 1;
                }
                self.max_heap = self.max_heap.max(heap);
            }
            Err(e) => self.failures.push((name.to_string(), e)),
        }
    }

    fn report(&self, what: &str) {
        println!(
            "{what}: {:?}, {} failed, peak heap growth {} KiB",
            self.outcomes,
            self.failures.len(),
            self.max_heap / 1024
        );
        for (f, (n, first)) in &self.findings {
            println!("  known engine bug in {n} inputs (first: {first}): {f}");
        }
        for (name, e) in &self.failures {
            println!("  FAILED {name}: {e}");
        }
    }

    fn assert_clean(&self, what: &str) {
        assert!(
            self.failures.is_empty(),
            "{what}: {} inputs failed: {:?}",
            self.failures.len(),
            self.failures
        );
    }
}

fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

// ---- the corpus -----------------------------------------------------------------------------

#[test]
fn corpus_connect() {
    let Some(files) = files("CORPUS_CONNECT") else {
        return;
    };
    let mut tally = Tally::default();
    // Most files (73 of 120) have flag byte 0, which leaves the association in COOKIE-WAIT;
    // every file also runs against an established association.
    let mut established = Tally::default();
    let handshake = flags::INIT_ACK | flags::COOKIE_ACK;
    for (name, bytes) in &files {
        let Some((&setup, chunks)) = bytes.split_first() else {
            continue;
        };
        // Bit 4 (reset all streams) is skipped by the harness: the engine has no stream reset
        // (RE-CONFIG) yet.
        let run = |setup: u8| {
            run_case(|| {
                let mut h = Harness::new(setup, seed_of(name))?;
                h.inject(chunks)?;
                h.conclude()
            })
        };
        tally.add(name, run(setup));
        if setup & handshake != handshake {
            established.add(name, run(setup | handshake));
        }
    }
    tally.report("CORPUS_CONNECT as the flag byte says");
    established.report("CORPUS_CONNECT, files without the handshake flags, established");
    tally.assert_clean("CORPUS_CONNECT");
    established.assert_clean("CORPUS_CONNECT established");
}

#[test]
fn corpus_fragment() {
    let Some(files) = files("CORPUS_FRAGMENT") else {
        return;
    };
    // The files start with chunk TLVs (no flag byte, whatever the README says); each runs
    // against an association using DATA and one using I-DATA.
    let mut tally = Tally::default();
    for (name, bytes) in &files {
        for (mode, setup) in [
            ("data", flags::ESTABLISHED),
            ("idata", flags::ESTABLISHED | flags::IDATA),
        ] {
            let r = run_case(|| {
                let mut h = Harness::new(setup, seed_of(name))?;
                for c in split_chunks(bytes) {
                    h.inject(c)?;
                    h.run_timers(Duration::from_millis(10))?;
                }
                h.conclude()
            });
            tally.add(&format!("{name} ({mode})"), r);
        }
    }
    tally.report("CORPUS_FRAGMENT");
    tally.assert_clean("CORPUS_FRAGMENT");
}

/// One whole packet to a listening endpoint on port 5001; when it answers with an INIT-ACK,
/// the fake peer echoes the cookie, and the packet's chunks go to the new association too.
fn listen_case(packet: &[u8], seed: u64) -> Result<(Outcome, Vec<String>), String> {
    let now = Instant::from_millis(1_000);
    let mut ep = Endpoint::new(
        EndpointConfig::default(),
        hostile::PEER_PORT,
        now,
        Box::new(SeededRandom::new(seed)),
    );
    ep.listen(true);
    let from = NetAddr::Conn(1);
    let mut p = packet.to_vec();
    crc::set_checksum(&mut p);
    ep.handle_datagram(now, from, &p);
    let mut init_ack = None;
    let mut n = 0;
    while let Some(t) = ep.poll_transmit(now) {
        n += 1;
        if n > hostile::MAX_TRANSMITS_PER_STEP || t.bytes.len() > MAX_PACKET_LEN {
            return Err(format!("{n} packets, the last of {} bytes", t.bytes.len()));
        }
        let out = Packet::parse(&t.bytes).map_err(|e| e.to_string())?;
        if !crc::verify(&t.bytes) {
            return Err("wrong checksum".into());
        }
        if let Some(Ok(Chunk::InitAck(a))) = out.chunks().next() {
            let cookie = usrsctp::wire::tlv::ParamIter::new(a.params)
                .flatten()
                .find(|p| p.param_type == 7)
                .map(|p| p.value().to_vec());
            init_ack = Some((out.header, a.initiate_tag.0, cookie));
        }
    }
    while ep.poll_event().is_some() {}
    if ep.poll_accept().is_some() {
        return Err("an association without a cookie".into());
    }
    let Some((header, tag, Some(cookie))) = init_ack else {
        return Ok((Outcome::Closed, Vec::new()));
    };
    // COOKIE-ECHO, then the packet's chunks in the new association.
    let mut echo = header.dst_port.to_be_bytes().to_vec();
    echo.extend_from_slice(&header.src_port.to_be_bytes());
    echo.extend_from_slice(&tag.to_be_bytes());
    echo.extend_from_slice(&[0; 4]);
    echo.extend(hostile::chunk(10, 0, &cookie));
    let mut again = echo[..12].to_vec();
    crc::set_checksum(&mut echo);
    ep.handle_datagram(now, from, &echo);
    if ep.poll_accept().is_none() {
        return Err("the echoed cookie was refused".into());
    }
    again.extend_from_slice(packet.get(12..).unwrap_or_default());
    crc::set_checksum(&mut again);
    ep.handle_datagram(now, from, &again);
    let mut t = now;
    for _ in 0..10_000 {
        let mut n = 0;
        while ep.poll_transmit(t).is_some() {
            n += 1;
            if n > hostile::MAX_TRANSMITS_PER_STEP {
                return Err("too many packets".into());
            }
        }
        while ep.poll_event().is_some() {}
        match ep.poll_timeout() {
            Some(next) if next < now + Duration::from_secs(1800) => {
                t = t.max(next);
                ep.handle_timeout(t);
            }
            _ => break,
        }
    }
    // The peer never answers again: the association must give up.
    let id = ep.association_ids().next().ok_or("no association")?;
    if !ep.association(id).is_some_and(|a| a.is_closed()) {
        return Err("a silent peer's association is still open after 30 minutes".into());
    }
    Ok((Outcome::Closed, Vec::new()))
}

#[test]
fn corpus_listen() {
    let Some(files) = files("CORPUS_LISTEN") else {
        return;
    };
    let mut tally = Tally::default();
    let mut established = Tally::default();
    for (name, bytes) in &files {
        let packet = undump(bytes).unwrap_or_else(|| bytes.clone());
        if packet.len() < 12 {
            continue;
        }
        tally.add(name, run_case(|| listen_case(&packet, seed_of(name))));
        // The same chunks against our established client.
        let r = run_case(|| {
            let mut h = Harness::new(flags::ESTABLISHED, seed_of(name))?;
            h.inject(&packet[12..])?;
            h.conclude()
        });
        established.add(name, r);
    }
    tally.report("CORPUS_LISTEN to a listening endpoint");
    established.report("CORPUS_LISTEN chunks to an established client");
    tally.assert_clean("CORPUS_LISTEN to a listening endpoint");
    established.assert_clean("CORPUS_LISTEN chunks to an established client");
}

// ---- reproducers of what the fuzz target found ---------------------------------------------

/// Found by the fuzz target (a harness bug, not an engine one): two FORWARD-TSNs in one packet
/// move the client's cumulative TSN by more than half the TSN space; the association stays
/// usable and the peer must follow the client's latest SACK, not the highest in serial order.
#[test]
fn forward_tsns_past_half_the_tsn_space() {
    let r = run_case(|| {
        let mut h = Harness::new(flags::INIT_ACK | flags::COOKIE_ACK, 1)?;
        let base = h.peer_initial_tsn;
        let mut p = hostile::forward_tsn_chunk(base.wrapping_add(0x5399_8577), &[]);
        p.extend(hostile::forward_tsn_chunk(
            base.wrapping_add(0x8ccd_4650),
            &[],
        ));
        h.inject(&p)?;
        h.conclude()
    });
    assert!(matches!(r, Ok(((Outcome::Established, _), _))), "{r:?}");
}

// ---- proptest: random chunk sequences -----------------------------------------------------

/// A chunk whose TSN-like fields are offsets from what the fake peer knows.
#[derive(Debug, Clone)]
enum Hc {
    Data {
        dtsn: i16,
        stream: u16,
        ssn: u16,
        fl: u8,
        len: usize,
    },
    IData {
        dtsn: i16,
        stream: u16,
        mid: u32,
        fsn: u32,
        fl: u8,
        len: usize,
    },
    Sack {
        dcum: i16,
        rwnd: u32,
        gaps: Vec<(u16, u16)>,
        dups: Vec<u32>,
    },
    NrSack {
        dcum: i16,
        rwnd: u32,
        gaps: Vec<(u16, u16)>,
        nr: Vec<(u16, u16)>,
    },
    ForwardTsn {
        dcum: i16,
        streams: Vec<(u16, u16)>,
    },
    IForwardTsn {
        dcum: i16,
        streams: Vec<(u16, bool, u32)>,
    },
    Heartbeat(Vec<u8>),
    HeartbeatAck(Vec<u8>),
    Shutdown(i16),
    ShutdownAck,
    ShutdownComplete(bool),
    Error(Vec<(u16, Vec<u8>)>),
    Abort(bool, Vec<u8>),
    Other(u8, u8, Vec<u8>),
    Garbage(Vec<u8>),
}

#[derive(Debug, Clone)]
enum Op {
    Packet(Vec<Hc>),
    Wait(u16),
    Send(u16, bool, u16),
}

fn small_stream() -> impl Strategy<Value = u16> {
    prop_oneof![4 => 0u16..4, 1 => any::<u16>()]
}

fn delta() -> impl Strategy<Value = i16> {
    prop_oneof![4 => -4i16..8, 1 => any::<i16>()]
}

fn blocks() -> impl Strategy<Value = Vec<(u16, u16)>> {
    prop::collection::vec(
        prop_oneof![3 => (0u16..8, 0u16..8), 1 => (any::<u16>(), any::<u16>())],
        0..4,
    )
}

fn hostile_chunk() -> impl Strategy<Value = Hc> {
    let payload_len = prop_oneof![8 => 1usize..200, 1 => Just(0usize), 1 => 1000usize..3000];
    prop_oneof![
        6 => (delta(), small_stream(), 0u16..6, 0u8..16, payload_len.clone())
            .prop_map(|(dtsn, stream, ssn, fl, len)| Hc::Data { dtsn, stream, ssn, fl, len }),
        6 => (delta(), small_stream(), 0u32..6, 0u32..4, 0u8..16, payload_len)
            .prop_map(|(dtsn, stream, mid, fsn, fl, len)| Hc::IData {
                dtsn, stream, mid, fsn, fl, len
            }),
        4 => (delta(), any::<u32>(), blocks(), prop::collection::vec(any::<u32>(), 0..3))
            .prop_map(|(dcum, rwnd, gaps, dups)| Hc::Sack { dcum, rwnd, gaps, dups }),
        2 => (delta(), any::<u32>(), blocks(), blocks())
            .prop_map(|(dcum, rwnd, gaps, nr)| Hc::NrSack { dcum, rwnd, gaps, nr }),
        3 => (delta(), prop::collection::vec((small_stream(), any::<u16>()), 0..4))
            .prop_map(|(dcum, streams)| Hc::ForwardTsn { dcum, streams }),
        3 => (delta(), prop::collection::vec((small_stream(), any::<bool>(), any::<u32>()), 0..4))
            .prop_map(|(dcum, streams)| Hc::IForwardTsn { dcum, streams }),
        2 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Hc::Heartbeat),
        1 => prop::collection::vec(any::<u8>(), 0..40).prop_map(Hc::HeartbeatAck),
        1 => delta().prop_map(Hc::Shutdown),
        1 => Just(Hc::ShutdownAck),
        1 => any::<bool>().prop_map(Hc::ShutdownComplete),
        2 => prop::collection::vec((0u16..20, prop::collection::vec(any::<u8>(), 0..12)), 0..4)
            .prop_map(Hc::Error),
        1 => (any::<bool>(), prop::collection::vec(any::<u8>(), 0..12))
            .prop_map(|(t, c)| Hc::Abort(t, c)),
        2 => (any::<u8>(), any::<u8>(), prop::collection::vec(any::<u8>(), 0..32))
            .prop_map(|(t, f, v)| Hc::Other(t, f, v)),
        2 => prop::collection::vec(any::<u8>(), 0..24).prop_map(Hc::Garbage),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => prop::collection::vec(hostile_chunk(), 1..4).prop_map(Op::Packet),
        2 => (0u16..3000).prop_map(Op::Wait),
        1 => (0u16..2, any::<bool>(), 1u16..3000).prop_map(|(s, u, l)| Op::Send(s, u, l)),
    ]
}

fn setup() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => Just(flags::ESTABLISHED),
        4 => Just(flags::ESTABLISHED | flags::IDATA),
        1 => Just(flags::INIT_ACK | flags::COOKIE_ACK),
        1 => any::<u8>().prop_map(|b| b & 0x7f),
    ]
}

/// The bytes of `c` as the fake peer sends it now.
fn build(h: &mut Harness, c: &Hc) -> Vec<u8> {
    use hostile::*;
    let client_base = h
        .highest_client_tsn
        .unwrap_or(h.client_initial_tsn.wrapping_sub(1));
    let mut peer_tsn = |d: i16| {
        let tsn = h.peer_next_tsn.wrapping_add(d as i32 as u32);
        if d >= 0 && (tsn.wrapping_sub(h.peer_next_tsn) as i32) >= 0 {
            h.peer_next_tsn = tsn.wrapping_add(1);
        }
        tsn
    };
    match c {
        Hc::Data {
            dtsn,
            stream,
            ssn,
            fl,
            len,
        } => data_chunk(peer_tsn(*dtsn), *stream, *ssn, 51, *fl, &vec![0x61; *len]),
        Hc::IData {
            dtsn,
            stream,
            mid,
            fsn,
            fl,
            len,
        } => {
            let ppid_or_fsn = if fl & B != 0 { 51 } else { *fsn };
            idata_chunk(
                peer_tsn(*dtsn),
                *stream,
                *mid,
                ppid_or_fsn,
                *fl,
                &vec![0x62; *len],
            )
        }
        Hc::Sack {
            dcum,
            rwnd,
            gaps,
            dups,
        } => sack_chunk(
            client_base.wrapping_add(*dcum as i32 as u32),
            *rwnd,
            gaps,
            dups,
        ),
        Hc::NrSack {
            dcum,
            rwnd,
            gaps,
            nr,
        } => nr_sack_chunk(
            client_base.wrapping_add(*dcum as i32 as u32),
            *rwnd,
            gaps,
            nr,
        ),
        Hc::ForwardTsn { dcum, streams } => forward_tsn_chunk(peer_tsn(*dcum), streams),
        Hc::IForwardTsn { dcum, streams } => iforward_tsn_chunk(peer_tsn(*dcum), streams),
        Hc::Heartbeat(info) => chunk(ty::HEARTBEAT, 0, &tlv(1, info)),
        Hc::HeartbeatAck(info) => chunk(ty::HEARTBEAT_ACK, 0, &tlv(1, info)),
        Hc::Shutdown(d) => chunk(
            ty::SHUTDOWN,
            0,
            &client_base.wrapping_add(*d as i32 as u32).to_be_bytes(),
        ),
        Hc::ShutdownAck => chunk(ty::SHUTDOWN_ACK, 0, &[]),
        Hc::ShutdownComplete(t) => chunk(ty::SHUTDOWN_COMPLETE, u8::from(*t), &[]),
        Hc::Error(causes) => {
            let v: Vec<u8> = causes.iter().flat_map(|(c, v)| tlv(*c, v)).collect();
            chunk(ty::ERROR, 0, &v)
        }
        Hc::Abort(t, causes) => chunk(ty::ABORT, u8::from(*t), causes),
        Hc::Other(t, f, v) => chunk(*t, *f, v),
        Hc::Garbage(bytes) => bytes.clone(),
    }
}

fn run_ops(setup: u8, seed: u64, ops: &[Op]) -> Result<(Outcome, Vec<String>), String> {
    let mut h = Harness::new(setup, seed)?;
    for op in ops {
        match op {
            Op::Packet(chunks) => {
                let mut bytes = Vec::new();
                for c in chunks {
                    bytes.extend(build(&mut h, c));
                }
                h.inject(&bytes)?;
            }
            Op::Wait(ms) => h.run_timers(Duration::from_millis(u64::from(*ms)))?,
            Op::Send(stream, unordered, len) => {
                h.user_send(*stream, *unordered, usize::from(*len));
                h.step()?;
            }
        }
    }
    h.conclude()
}

proptest! {
    // 256 cases unless PROPTEST_CASES says otherwise.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_chunk_sequences(
        setup in setup(),
        seed in any::<u64>(),
        ops in prop::collection::vec(op(), 1..12),
    ) {
        let r = run_case(|| run_ops(setup, seed, &ops));
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}
