//! Proves the dcsctp adapter (`support::dcsctp_node`): two dcsctp nodes over a tiny in-file
//! link on virtual time, lossless and lossy. The simulator in `support::sim` replaces the link
//! later; these tests only check that the adapter drives dcsctp correctly.

mod support;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use support::dcsctp_node::{
    Addr, Config, Datagram, DcsctpNode, ErrorKind, Event, Message, Node, SendError, SendOptions,
    State,
};
use usrsctp::types::Instant;

const PPID_ORDERED: u32 = 51;
const PPID_UNORDERED: u32 = 53;
const MAX_STEPS: usize = 2_000_000;

fn addr(port: u16) -> Addr {
    Addr::from(([127, 0, 0, 1], port))
}

/// Decides whether the `n`th datagram put on the link (from 1) is delivered.
type Filter = Box<dyn FnMut(u64, &Datagram) -> bool>;

/// Two nodes joined by a link with a fixed one-way delay; time jumps to the next event when
/// nothing is in flight.
struct Pump {
    nodes: [DcsctpNode; 2],
    now: Instant,
    delay: Duration,
    in_flight: VecDeque<(Instant, Datagram)>,
    sent: u64,
    filter: Filter,
    /// Every datagram put on the link, with the time it was sent.
    trace: Vec<(Instant, Datagram)>,
}

impl Pump {
    fn new(a: Config, b: Config) -> Self {
        let (addr_a, addr_b) = (addr(5001), addr(5002));
        Pump {
            nodes: [
                DcsctpNode::new(addr_a, addr_b, &a),
                DcsctpNode::new(addr_b, addr_a, &b),
            ],
            now: Instant::ZERO,
            delay: Duration::from_millis(5),
            in_flight: VecDeque::new(),
            sent: 0,
            filter: Box::new(|_, _| true),
            trace: Vec::new(),
        }
    }

    fn pair() -> Self {
        Pump::new(config("a", 1), config("b", 2))
    }

    fn a(&mut self) -> &mut DcsctpNode {
        &mut self.nodes[0]
    }

    fn b(&mut self) -> &mut DcsctpNode {
        &mut self.nodes[1]
    }

    /// One round: transmit, deliver what is due, or else move time to the next event (not past
    /// `limit`). Returns false when there is nothing left to do.
    fn step(&mut self, limit: Option<Instant>) -> bool {
        let mut progress = false;
        for node in &mut self.nodes {
            while let Some(d) = node.poll_transmit(self.now) {
                progress = true;
                self.sent += 1;
                self.trace.push((self.now, d.clone()));
                if (self.filter)(self.sent, &d) {
                    self.in_flight.push_back((self.now + self.delay, d));
                }
            }
        }
        while self
            .in_flight
            .front()
            .is_some_and(|(at, _)| *at <= self.now)
        {
            let (_, d) = self.in_flight.pop_front().unwrap();
            let to = usize::from(d.dst != self.nodes[0].local_addr());
            self.nodes[to].handle_datagram(self.now, d);
            progress = true;
        }
        if progress {
            return true;
        }
        let next = [
            self.in_flight.front().map(|(at, _)| *at),
            self.nodes[0].poll_timeout(),
            self.nodes[1].poll_timeout(),
        ]
        .into_iter()
        .flatten()
        .min();
        let Some(mut next) = next else { return false };
        if let Some(limit) = limit {
            if next > limit {
                self.now = self.now.max(limit);
                return false;
            }
            next = next.min(limit);
        }
        self.now = self.now.max(next);
        for node in &mut self.nodes {
            if node.poll_timeout().is_some_and(|t| t <= self.now) {
                node.handle_timeout(self.now);
            }
        }
        true
    }

    /// Steps until `done` holds; false if the pair went idle or the step budget ran out first.
    fn run_until(&mut self, done: impl Fn(&Pump) -> bool) -> bool {
        for _ in 0..MAX_STEPS {
            if done(self) {
                return true;
            }
            if !self.step(None) {
                return done(self);
            }
        }
        false
    }

    /// Steps for `d` of virtual time.
    fn run_for(&mut self, d: Duration) {
        let end = self.now + d;
        for _ in 0..MAX_STEPS {
            if self.now >= end || !self.step(Some(end)) {
                break;
            }
        }
        self.now = self.now.max(end);
    }

    fn connect(&mut self) {
        self.a().connect();
        assert!(self.run_until(|p| p.nodes.iter().all(|n| n.state() == State::Connected)));
        for node in &self.nodes {
            assert!(
                node.events().contains(&Event::Connected),
                "{:?}",
                node.events()
            );
        }
    }
}

fn config(name: &str, seed: u64) -> Config {
    Config {
        name: name.into(),
        seed,
        ..Config::default()
    }
}

/// A recognisable payload: which stream, which message, and its length all show in the bytes.
fn payload(stream: u16, index: usize, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i * 7 + index * 31 + usize::from(stream) * 101) as u8)
        .collect()
}

const SIZES: [usize; 9] = [1, 2, 100, 1000, 1200, 4096, 10_000, 65_536, 256 * 1024];

/// Sends every size on ordered streams 0..3 and unordered stream 7, runs until all arrived, and
/// checks them: ordered ones in order per stream, unordered ones as a multiset.
fn transfer_and_check(pump: &mut Pump) {
    let mut expected_ordered: BTreeMap<u16, Vec<Vec<u8>>> = BTreeMap::new();
    let mut expected_unordered = Vec::new();
    for (index, &len) in SIZES.iter().enumerate() {
        for stream in 0..3u16 {
            let data = payload(stream, index, len);
            pump.a().send(stream, PPID_ORDERED, &data, false).unwrap();
            expected_ordered.entry(stream).or_default().push(data);
        }
        let data = payload(7, index, len);
        pump.a().send(7, PPID_UNORDERED, &data, true).unwrap();
        expected_unordered.push(data);
    }
    let total = SIZES.len() * 4;
    assert!(
        pump.run_until(|p| p.nodes[1].messages_ready() == total),
        "only {} of {total}",
        pump.nodes[1].messages_ready()
    );

    let mut got_ordered: BTreeMap<u16, Vec<Vec<u8>>> = BTreeMap::new();
    let mut got_unordered = Vec::new();
    for Message {
        stream,
        ppid,
        payload,
    } in pump.b().received()
    {
        match ppid {
            PPID_ORDERED => got_ordered.entry(stream).or_default().push(payload),
            PPID_UNORDERED => {
                assert_eq!(stream, 7);
                got_unordered.push(payload);
            }
            other => panic!("unexpected ppid {other}"),
        }
    }
    assert_eq!(got_ordered, expected_ordered);
    got_unordered.sort();
    expected_unordered.sort();
    assert_eq!(got_unordered, expected_unordered);
}

#[test]
fn handshake() {
    let mut pump = Pump::pair();
    assert_eq!(pump.a().state(), State::Closed);
    pump.connect();
    // INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK.
    assert_eq!(pump.sent, 4);
    let metrics = pump.a().metrics().unwrap();
    assert!(!metrics.uses_message_interleaving);
    assert!(!metrics.uses_zero_checksum);
    // A datagram for someone else is ignored.
    let stray = Datagram {
        src: addr(9),
        dst: addr(10),
        ecn: 0,
        bytes: vec![0; 12],
    };
    let now = pump.now;
    pump.a().handle_datagram(now, stray);
    assert_eq!(pump.a().stats().misrouted, 1);
}

#[test]
fn messages_of_all_sizes_arrive_intact_and_in_order() {
    let mut pump = Pump::pair();
    pump.connect();
    transfer_and_check(&mut pump);
    assert!(
        pump.b()
            .events()
            .iter()
            .all(|e| !matches!(e, Event::Error { .. })),
        "{:?}",
        pump.b().events()
    );
}

#[test]
fn messages_before_connect_are_queued() {
    let mut pump = Pump::pair();
    pump.a().send(0, PPID_ORDERED, b"early", false).unwrap();
    pump.a().connect();
    assert!(pump.run_until(|p| p.nodes[1].messages_ready() == 1));
    assert_eq!(pump.b().pop_message().unwrap().payload, b"early");
}

#[test]
fn interleaving_negotiated_and_used() {
    let a = Config {
        interleaving: true,
        ..config("a", 1)
    };
    let b = Config {
        interleaving: true,
        ..config("b", 2)
    };
    let mut pump = Pump::new(a, b);
    pump.connect();
    assert!(pump.a().metrics().unwrap().uses_message_interleaving);
    transfer_and_check(&mut pump);
}

#[test]
fn lossy_link_still_delivers_everything() {
    let mut pump = Pump::pair();
    pump.filter = Box::new(|n, _| n % 5 != 0);
    pump.connect();
    transfer_and_check(&mut pump);
    assert!(pump.a().metrics().unwrap().rtx_packets_count > 0);
}

#[test]
fn lossy_link_with_interleaving_still_delivers_everything() {
    let a = Config {
        interleaving: true,
        ..config("a", 3)
    };
    let b = Config {
        interleaving: true,
        ..config("b", 4)
    };
    let mut pump = Pump::new(a, b);
    pump.filter = Box::new(|n, _| n % 5 != 0);
    pump.connect();
    transfer_and_check(&mut pump);
}

#[test]
fn graceful_shutdown_delivers_queued_data_first() {
    let mut pump = Pump::pair();
    pump.connect();
    for i in 0..20 {
        pump.a()
            .send(1, PPID_ORDERED, &payload(1, i, 3000), false)
            .unwrap();
    }
    pump.a().shutdown();
    assert_eq!(pump.a().state(), State::ShuttingDown);
    // Refused while shutting down (a closed dcsctp socket would queue it for a later connect).
    assert_eq!(
        pump.a().send(1, PPID_ORDERED, b"late", false),
        Err(SendError::ShuttingDown)
    );
    assert!(pump.run_until(|p| p.nodes.iter().all(|n| n.state() == State::Closed)));
    let got: Vec<Vec<u8>> = pump.b().received().into_iter().map(|m| m.payload).collect();
    let want: Vec<Vec<u8>> = (0..20).map(|i| payload(1, i, 3000)).collect();
    assert_eq!(got, want);
    for node in &pump.nodes {
        assert_eq!(
            node.events().last(),
            Some(&Event::Closed),
            "{:?}",
            node.events()
        );
    }
}

#[test]
fn abort_closes_both_sides() {
    let mut pump = Pump::pair();
    pump.connect();
    pump.a().abort();
    assert_eq!(pump.a().state(), State::Closed);
    assert_eq!(pump.a().events().last(), Some(&Event::Closed));
    assert!(pump.run_until(|p| p.nodes[1].state() == State::Closed));
    match pump.b().events().last() {
        Some(Event::Aborted {
            kind: ErrorKind::PeerReported,
            ..
        }) => {}
        other => panic!("expected Aborted, got {other:?}"),
    }
}

#[test]
fn stream_reset_is_reported_on_both_sides() {
    let mut pump = Pump::pair();
    pump.connect();
    pump.a().send(4, PPID_ORDERED, b"before", false).unwrap();
    pump.a().reset_streams(&[4]).unwrap();
    assert!(pump.run_until(|p| p.nodes[0]
        .events()
        .contains(&Event::StreamsResetPerformed(vec![4]))));
    assert!(pump
        .b()
        .events()
        .contains(&Event::IncomingStreamReset(vec![4])));
    pump.a().send(4, PPID_ORDERED, b"after", false).unwrap();
    assert!(pump.run_until(|p| p.nodes[1].messages_ready() == 2));
    let got: Vec<Vec<u8>> = pump.b().received().into_iter().map(|m| m.payload).collect();
    assert_eq!(got, [b"before".to_vec(), b"after".to_vec()]);
}

#[test]
fn partial_reliability_abandons_an_expired_message() {
    let mut pump = Pump::pair();
    pump.connect();
    // Black-hole a's datagrams while a message with a 100 ms lifetime is outstanding.
    let a_addr = pump.a().local_addr();
    let blocked = std::rc::Rc::new(std::cell::Cell::new(true));
    let gate = blocked.clone();
    pump.filter = Box::new(move |_, d| !(gate.get() && d.src == a_addr));
    let lossy = SendOptions {
        lifetime: Some(Duration::from_millis(100)),
        lifecycle_id: Some(1),
        ..SendOptions::default()
    };
    pump.a()
        .send_with(0, PPID_ORDERED, b"expires", &lossy)
        .unwrap();
    pump.run_for(Duration::from_secs(2));
    blocked.set(false);
    pump.a().send(0, PPID_ORDERED, b"reliable", false).unwrap();
    assert!(pump.run_until(|p| p.nodes[1].messages_ready() == 1));
    pump.run_for(Duration::from_secs(1));
    let got: Vec<Vec<u8>> = pump.b().received().into_iter().map(|m| m.payload).collect();
    assert_eq!(got, [b"reliable".to_vec()]);
    let events = pump.a().events();
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::MessageExpired(1) | Event::MessageMaybeExpired(1))),
        "{events:?}"
    );
    assert!(events.contains(&Event::MessageEnd(1)), "{events:?}");
}

#[test]
fn same_seeds_give_the_same_trace() {
    fn run(seed_a: u64, seed_b: u64) -> Vec<(Instant, Datagram)> {
        let mut pump = Pump::new(config("a", seed_a), config("b", seed_b));
        pump.filter = Box::new(|n, _| n % 7 != 0);
        pump.connect();
        for i in 0..50 {
            pump.a()
                .send(2, PPID_ORDERED, &payload(2, i, 1500), false)
                .unwrap();
        }
        pump.a().shutdown();
        assert!(pump.run_until(|p| p.nodes.iter().all(|n| n.state() == State::Closed)));
        pump.trace
    }
    let first = run(11, 12);
    assert_eq!(first, run(11, 12));
    // The verification tag of the INIT (bytes 4.. of its chunk) depends on the seed.
    let init_tag = |trace: &[(Instant, Datagram)]| trace[0].1.bytes[16..20].to_vec();
    assert_ne!(init_tag(&first), init_tag(&run(13, 12)));
}

#[test]
fn time_conversion_rounds_deadlines_up() {
    use support::dcsctp_node::{from_socket_time, to_socket_time};
    let t = Instant::from_micros(1_234_567);
    assert_eq!(from_socket_time(to_socket_time(t)), Some(t));
    let just_after = to_socket_time(t) + Duration::from_nanos(1);
    assert_eq!(
        from_socket_time(just_after),
        Some(Instant::from_micros(1_234_568))
    );
    assert_eq!(
        from_socket_time(dcsctp::api::SocketTime::infinite_future()),
        None
    );
}
