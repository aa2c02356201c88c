//! Self-tests of the network simulator in `tests/support/sim`, with toy nodes: a scripted
//! sender, an echo and a ticker. Each test checks one property of links, time or driving.

mod support;

use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

use support::sim::*;
use usrsctp::wire::crc;
use usrsctp::wire::packet::Packet;

// ----- Toy nodes -----

/// Sends each datagram of a script at its time; records what it receives and when its timer
/// fired.
#[derive(Default)]
struct Scripted {
    script: VecDeque<(Instant, Datagram)>,
    outbox: VecDeque<Datagram>,
    received: Vec<(Instant, Datagram)>,
    fired: Vec<Instant>,
}

impl Scripted {
    fn new(script: impl IntoIterator<Item = (Instant, Datagram)>) -> Self {
        let mut script: Vec<_> = script.into_iter().collect();
        script.sort_by_key(|(t, _)| *t);
        Scripted {
            script: script.into(),
            ..Scripted::default()
        }
    }

    /// `count` datagrams from `src` to `dst`, one every `every` from `start`, each `size`
    /// bytes starting with its index (big-endian u32).
    fn periodic(
        src: Addr,
        dst: Addr,
        start: Instant,
        every: Duration,
        count: u32,
        size: usize,
    ) -> Self {
        Scripted::new(
            (0..count).map(|i| (start + every * i, Datagram::new(src, dst, payload(i, size)))),
        )
    }

    fn received_indices(&self) -> Vec<u32> {
        self.received.iter().map(|(_, d)| index(&d.bytes)).collect()
    }
}

impl Node for Scripted {
    fn handle_datagram(&mut self, now: Instant, datagram: Datagram) {
        self.received.push((now, datagram));
    }
    fn handle_timeout(&mut self, now: Instant) {
        self.fired.push(now);
        while self.script.front().is_some_and(|(t, _)| *t <= now) {
            let (_, d) = self.script.pop_front().unwrap();
            self.outbox.push_back(d);
        }
    }
    fn poll_transmit(&mut self, _now: Instant) -> Option<Datagram> {
        self.outbox.pop_front()
    }
    fn poll_timeout(&self) -> Option<Instant> {
        self.script.front().map(|(t, _)| *t)
    }
}

/// Sends every datagram straight back, from the address it arrived at.
#[derive(Default)]
struct Echo {
    received: Vec<(Instant, Datagram)>,
    outbox: VecDeque<Datagram>,
}

impl Node for Echo {
    fn handle_datagram(&mut self, now: Instant, datagram: Datagram) {
        let reply = Datagram {
            src: datagram.dst,
            dst: datagram.src,
            ..datagram.clone()
        };
        self.received.push((now, datagram));
        self.outbox.push_back(reply);
    }
    fn handle_timeout(&mut self, _now: Instant) {}
    fn poll_transmit(&mut self, _now: Instant) -> Option<Datagram> {
        self.outbox.pop_front()
    }
    fn poll_timeout(&self) -> Option<Instant> {
        None
    }
}

/// A timer every `period`, `remaining` more times (forever if `None`).
struct Ticker {
    next: Instant,
    period: Duration,
    remaining: Option<u32>,
    fired: Vec<Instant>,
}

impl Node for Ticker {
    fn handle_datagram(&mut self, _now: Instant, _datagram: Datagram) {}
    fn handle_timeout(&mut self, now: Instant) {
        if now >= self.next {
            self.fired.push(now);
            self.next += self.period;
            if let Some(n) = &mut self.remaining {
                *n -= 1;
            }
        }
    }
    fn poll_transmit(&mut self, _now: Instant) -> Option<Datagram> {
        None
    }
    fn poll_timeout(&self) -> Option<Instant> {
        (self.remaining != Some(0)).then_some(self.next)
    }
}

/// A broken node whose timer never moves on.
struct Stuck;

impl Node for Stuck {
    fn handle_datagram(&mut self, _now: Instant, _datagram: Datagram) {}
    fn handle_timeout(&mut self, _now: Instant) {}
    fn poll_transmit(&mut self, _now: Instant) -> Option<Datagram> {
        None
    }
    fn poll_timeout(&self) -> Option<Instant> {
        Some(Instant::ZERO)
    }
}

// ----- Helpers -----

const A: [u8; 4] = [10, 0, 0, 1];
const B: [u8; 4] = [10, 0, 0, 2];

fn payload(i: u32, size: usize) -> Vec<u8> {
    assert!(size >= 4);
    let mut bytes = vec![0xa5; size];
    bytes[..4].copy_from_slice(&i.to_be_bytes());
    bytes
}

fn index(bytes: &[u8]) -> u32 {
    u32::from_be_bytes(bytes[..4].try_into().unwrap())
}

fn at_ms(millis: u64) -> Instant {
    Instant::from_millis(millis)
}

/// A sender at `a` and a receiver (`Scripted` with no script) at `b`, linked both ways.
fn one_way(seed: u64, sender: Scripted, config: LinkConfig) -> (Network, NodeId, NodeId) {
    let mut net = Network::new(seed);
    let tx = net.add_node(sender, &[v4(A, 1)]);
    let rx = net.add_node(Scripted::default(), &[v4(B, 1)]);
    net.connect(v4(A, 1), v4(B, 1), config);
    (net, tx, rx)
}

// ----- Rng -----

#[test]
fn rng_is_seeded_and_uniform() {
    // SplitMix64's published first outputs for seed 0.
    let mut state = 0;
    assert_eq!(splitmix64(&mut state), 0xe220_a839_7b1d_cdaf);
    assert_eq!(splitmix64(&mut state), 0x6e78_9e6a_a1b9_65f4);

    let mut a = Rng::new(1);
    let mut b = Rng::new(1);
    let mut c = Rng::new(2);
    let xs: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
    assert_eq!(xs, (0..100).map(|_| b.next_u64()).collect::<Vec<_>>());
    assert_ne!(xs, (0..100).map(|_| c.next_u64()).collect::<Vec<_>>());

    let mut counts = [0u32; 10];
    for _ in 0..100_000 {
        let x = a.gen_range(10..20);
        assert!((10..20).contains(&x));
        counts[(x - 10) as usize] += 1;
        let f = a.gen_f64();
        assert!((0.0..1.0).contains(&f));
    }
    assert!(
        counts.iter().all(|&n| (9_500..10_500).contains(&n)),
        "{counts:?}"
    );
    assert!(!a.gen_bool(0.0) && a.gen_bool(1.0));
    assert!(a.gen_duration(Duration::from_micros(3)) <= Duration::from_micros(3));
}

// ----- Delay, bandwidth, queue -----

#[test]
fn delay_is_exact() {
    let (a, b) = (v4(A, 1), v4(B, 1));
    let mut net = Network::new(1);
    let ping = net.add_node(
        Scripted::new([
            (at_ms(0), Datagram::new(a, b, payload(0, 8))),
            (at_ms(7), Datagram::new(a, b, payload(1, 8))),
        ]),
        &[a],
    );
    let echo = net.add_node(Echo::default(), &[b]);
    net.connect(a, b, LinkConfig::with_delay(ms(25)));
    let idle = net.run_until_idle(at_ms(1000));

    let times = |r: &[(Instant, Datagram)]| r.iter().map(|(t, _)| *t).collect::<Vec<_>>();
    assert_eq!(
        times(&net.node::<Echo>(echo).received),
        [at_ms(25), at_ms(32)]
    );
    assert_eq!(
        times(&net.node::<Scripted>(ping).received),
        [at_ms(50), at_ms(57)]
    );
    assert_eq!(net.node::<Scripted>(ping).received_indices(), [0, 1]);
    assert_eq!(idle, at_ms(57));
    assert_eq!(net.link_stats(a, b).delivered, 2);
    assert_eq!(net.link_stats(b, a).delivered_bytes, 16);
}

#[test]
fn jitter_stays_within_bounds() {
    let sender = Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), ms(1), 500, 16);
    let config = LinkConfig {
        jitter: ms(5),
        ..LinkConfig::with_delay(ms(10))
    };
    let (mut net, _, rx) = one_way(3, sender, config);
    net.run_until_idle(at_ms(10_000));
    let received = &net.node::<Scripted>(rx).received;
    assert_eq!(received.len(), 500);
    let mut late = 0;
    for (t, d) in received {
        let sent = at_ms(u64::from(index(&d.bytes)));
        assert!(
            *t >= sent + ms(10) && *t <= sent + ms(15),
            "{t:?} for {sent:?}"
        );
        late += u32::from(*t - sent > ms(12));
    }
    assert!(late > 100, "jitter barely used: {late}");
}

#[test]
fn bandwidth_is_serialization_delay() {
    // 100 datagrams of 1250 bytes (10,000 bits) at 10 Mbit/s: 1 ms each, 100 ms in all.
    let sender = Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), Duration::ZERO, 100, 1250);
    let config = LinkConfig {
        bandwidth_bps: Some(10_000_000),
        ..LinkConfig::with_delay(ms(5))
    };
    let (mut net, _, rx) = one_way(1, sender, config);
    assert_eq!(net.run_until_idle(at_ms(1000)), at_ms(105));
    let received = &net.node::<Scripted>(rx).received;
    assert_eq!(received.len(), 100);
    for (i, (t, d)) in received.iter().enumerate() {
        assert_eq!(index(&d.bytes), i as u32);
        assert_eq!(*t, at_ms(i as u64 + 1 + 5));
    }
    assert_eq!(serialization_time(1250, 10_000_000), ms(1));
}

#[test]
fn bandwidth_below_capacity_does_not_queue() {
    let sender = Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), ms(2), 50, 1250);
    let config = LinkConfig {
        bandwidth_bps: Some(10_000_000),
        ..LinkConfig::default()
    };
    let (mut net, _, rx) = one_way(1, sender, config);
    net.run_until_idle(at_ms(1000));
    for (t, d) in &net.node::<Scripted>(rx).received {
        assert_eq!(*t, at_ms(2 * u64::from(index(&d.bytes)) + 1));
    }
}

#[test]
fn queue_is_drop_tail() {
    let (a, b) = (v4(A, 1), v4(B, 1));
    // A burst of 100 at 0 ms, then one at 20 ms, when the queue has drained.
    let mut sender = Scripted::periodic(a, b, at_ms(0), Duration::ZERO, 100, 1250);
    sender
        .script
        .push_back((at_ms(20), Datagram::new(a, b, payload(1000, 1250))));
    let config = LinkConfig {
        bandwidth_bps: Some(10_000_000),
        queue_limit_bytes: Some(10 * 1250),
        ..LinkConfig::default()
    };
    let (mut net, _, rx) = one_way(1, sender, config);
    net.run_until_idle(at_ms(1000));
    let mut expected: Vec<u32> = (0..10).collect();
    expected.push(1000);
    assert_eq!(net.node::<Scripted>(rx).received_indices(), expected);
    let stats = net.link_stats(a, b);
    assert_eq!(
        (stats.sent, stats.delivered, stats.dropped_queue),
        (101, 11, 90)
    );
    assert_eq!(
        net.node::<Scripted>(rx).received.last().unwrap().0,
        at_ms(21)
    );
}

// ----- Impairments -----

#[test]
fn loss_drops_the_configured_fraction() {
    let mut fates = Vec::new();
    for seed in 0..4 {
        let sender = Scripted::periodic(
            v4(A, 1),
            v4(B, 1),
            at_ms(0),
            Duration::from_micros(100),
            10_000,
            8,
        );
        let config = LinkConfig {
            loss: 0.3,
            ..LinkConfig::with_delay(ms(1))
        };
        let (mut net, _, rx) = one_way(seed, sender, config);
        net.run_until_idle(at_ms(10_000));
        let stats = net.link_stats(v4(A, 1), v4(B, 1)).clone();
        // 3,000 expected, standard deviation about 46.
        assert!(
            (2_800..3_200).contains(&stats.dropped_loss),
            "seed {seed}: {stats:?}"
        );
        assert_eq!(stats.delivered + stats.dropped_loss, 10_000);
        assert_eq!(
            stats.delivered,
            net.node::<Scripted>(rx).received.len() as u64
        );
        fates.push(net.node::<Scripted>(rx).received_indices());
    }
    assert_ne!(
        fates[0], fates[1],
        "different seeds lose the same datagrams"
    );
}

#[test]
fn duplication_delivers_copies() {
    let sender = Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), ms(1), 2_000, 32);
    let config = LinkConfig {
        duplicate: 0.2,
        ..LinkConfig::with_delay(ms(3))
    };
    let (mut net, tx, rx) = one_way(5, sender, config);
    net.run_until_idle(at_ms(10_000));
    let stats = net.link_stats(v4(A, 1), v4(B, 1)).clone();
    assert!((320..480).contains(&stats.duplicated), "{stats:?}");
    assert_eq!(stats.delivered, 2_000 + stats.duplicated);

    let mut copies = BTreeMap::<u32, u32>::new();
    for (_, d) in &net.node::<Scripted>(rx).received {
        assert_eq!(d.bytes, payload(index(&d.bytes), 32));
        *copies.entry(index(&d.bytes)).or_default() += 1;
    }
    assert_eq!(copies.len(), 2_000);
    assert!(copies.values().all(|&n| n == 1 || n == 2));
    let twice = copies.values().filter(|&&n| n == 2).count() as u64;
    assert_eq!(twice, stats.duplicated);
    assert!(net.node::<Scripted>(tx).received.is_empty());
}

#[test]
fn reordering_changes_order_but_loses_nothing() {
    let run = |reorder: f64| {
        let sender = Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), ms(1), 300, 8);
        let config = LinkConfig {
            reorder,
            reorder_delay: ms(20),
            ..LinkConfig::with_delay(ms(5))
        };
        let (mut net, _, rx) = one_way(9, sender, config);
        net.run_until_idle(at_ms(10_000));
        let stats = net.link_stats(v4(A, 1), v4(B, 1)).clone();
        (net.node::<Scripted>(rx).received_indices(), stats)
    };
    let (in_order, stats) = run(0.0);
    assert_eq!(in_order, (0..300).collect::<Vec<_>>());
    assert_eq!(stats.reordered, 0);

    let (order, stats) = run(0.1);
    assert_ne!(order, in_order);
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, in_order);
    assert!((15..50).contains(&stats.reordered), "{stats:?}");
    let overtaken = order.windows(2).filter(|w| w[0] > w[1]).count();
    assert!(overtaken >= 10, "{overtaken} inversions");
}

#[test]
fn corruption_flips_exactly_one_bit() {
    let mut rng = Rng::new(77);
    let (a, b) = (v4(A, 1), v4(B, 1));
    let sent: Vec<Vec<u8>> = (0..200)
        .map(|i| {
            let mut bytes = vec![0; 1 + rng.gen_below(1400) as usize];
            rng.fill_bytes(&mut bytes);
            bytes[0] = i as u8;
            bytes
        })
        .collect();
    let sender = Scripted::new(
        sent.iter()
            .enumerate()
            .map(|(i, bytes)| (at_ms(i as u64), Datagram::new(a, b, bytes.clone()))),
    );
    let (mut net, _, rx) = one_way(
        11,
        sender,
        LinkConfig {
            corrupt: 1.0,
            ..LinkConfig::with_delay(ms(2))
        },
    );
    net.run_until_idle(at_ms(10_000));
    let received = &net.node::<Scripted>(rx).received;
    assert_eq!(received.len(), 200);
    let mut bits_hit = std::collections::BTreeSet::new();
    for ((_, got), want) in received.iter().zip(&sent) {
        assert_eq!(got.bytes.len(), want.len());
        let flipped: Vec<(usize, u8)> = got
            .bytes
            .iter()
            .zip(want)
            .enumerate()
            .filter(|(_, (g, w))| g != w)
            .map(|(i, (g, w))| (i, g ^ w))
            .collect();
        assert_eq!(flipped.len(), 1, "{flipped:?}");
        assert_eq!(flipped[0].1.count_ones(), 1);
        bits_hit.insert(flipped[0].1);
    }
    assert_eq!(bits_hit.len(), 8, "every bit position gets hit");
    assert_eq!(net.link_stats(a, b).corrupted, 200);
}

#[test]
fn mtu_drops_oversized_and_can_shrink_mid_run() {
    let (a, b) = (v4(A, 1), v4(B, 1));
    let sender = Scripted::new([
        (at_ms(0), Datagram::new(a, b, payload(0, 1200))),
        (at_ms(0), Datagram::new(a, b, payload(1, 1201))),
        (at_ms(10), Datagram::new(a, b, payload(2, 1200))),
        (at_ms(10), Datagram::new(a, b, payload(3, 500))),
    ]);
    let (mut net, _, rx) = one_way(
        1,
        sender,
        LinkConfig {
            mtu: 1200,
            ..LinkConfig::with_delay(ms(1))
        },
    );
    net.run_until(at_ms(5));
    assert_eq!(net.node::<Scripted>(rx).received_indices(), [0]);
    assert_eq!(net.link_stats(a, b).dropped_mtu, 1);

    net.link_mut(a, b).mtu = 500;
    net.run_until_idle(at_ms(100));
    assert_eq!(net.node::<Scripted>(rx).received_indices(), [0, 3]);
    assert_eq!(net.link_stats(a, b).dropped_mtu, 2);
}

#[test]
fn link_down_and_up_mid_run() {
    // One every 10 ms from 0 to 90 ms, 5 ms delay. Down from 32 to 62 ms: the one sent at 30 ms
    // is on the wire and lost, those at 40, 50 and 60 ms are refused.
    let (a, b) = (v4(A, 1), v4(B, 1));
    let sender = Scripted::periodic(a, b, at_ms(0), ms(10), 10, 8);
    let (mut net, _, rx) = one_way(1, sender, LinkConfig::with_delay(ms(5)));
    net.run_until(at_ms(32));
    assert_eq!(net.now(), at_ms(32));
    net.set_up(a, b, false);
    net.run_until(at_ms(62));
    net.link_mut(a, b).up = true;
    net.run_until_idle(at_ms(1000));
    assert_eq!(
        net.node::<Scripted>(rx).received_indices(),
        [0, 1, 2, 7, 8, 9]
    );
    let stats = net.link_stats(a, b);
    assert_eq!(
        (stats.sent, stats.delivered, stats.dropped_down),
        (10, 6, 4)
    );
    assert!(
        net.link(a, b).up && !net.link(b, a).up,
        "set_up took both directions down"
    );
}

#[test]
fn unroutable_datagrams_are_counted() {
    let (a, b, nowhere) = (v4(A, 1), v4(B, 1), v4([10, 9, 9, 9], 1));
    let sender = Scripted::new([
        (at_ms(0), Datagram::new(a, nowhere, payload(0, 8))),
        (at_ms(0), Datagram::new(a, b, payload(1, 8))),
        (at_ms(1), Datagram::new(a, b, payload(2, 8))),
    ]);
    let (mut net, _, rx) = one_way(1, sender, LinkConfig::default());
    net.set_drop_filter(|_, d| index(&d.bytes) == 2);
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    net.set_trace(move |e| sink.borrow_mut().push((e.link.dst, e.fate)));
    assert_eq!(net.remove_address(b), Some(rx));
    net.run_until_idle(at_ms(100));

    assert_eq!(net.unrouted(), 1);
    assert!(net.node::<Scripted>(rx).received.is_empty());
    let stats = net.link_stats(a, b);
    assert_eq!(
        (stats.dropped_no_node, stats.dropped_filter, stats.dropped()),
        (1, 1, 2)
    );
    assert_eq!(
        *log.borrow(),
        [
            (nowhere, Fate::Sent),
            (nowhere, Fate::Dropped(DropReason::NoLink)),
            (b, Fate::Sent),
            (b, Fate::Dropped(DropReason::NoNode)),
            (b, Fate::Sent),
            (b, Fate::Dropped(DropReason::Filter)),
        ]
    );
}

// ----- Determinism -----

/// Traffic both ways over a link with every impairment, recorded.
fn impaired_run(seed: u64) -> Vec<TraceRecord> {
    let (a, b) = (v4(A, 1), v4(B, 1));
    let mut net = Network::new(seed);
    net.add_node(
        Scripted::periodic(a, b, at_ms(0), Duration::from_micros(300), 2_000, 600),
        &[a],
    );
    net.add_node(Echo::default(), &[b]);
    net.connect(
        a,
        b,
        LinkConfig {
            delay: ms(10),
            jitter: ms(2),
            bandwidth_bps: Some(20_000_000),
            loss: 0.05,
            duplicate: 0.05,
            reorder: 0.05,
            corrupt: 0.05,
            queue_limit_bytes: Some(30_000),
            ..LinkConfig::default()
        },
    );
    net.record_trace(true);
    net.run_until_idle(at_ms(60_000));
    net.trace_log().to_vec()
}

#[test]
fn same_seed_same_run_different_seed_different_run() {
    let first = impaired_run(7);
    assert_eq!(first, impaired_run(7));
    assert_ne!(first, impaired_run(8));
    let count = |f: fn(&Fate) -> bool| first.iter().filter(|r| f(&r.fate)).count();
    assert!(count(|f| matches!(f, Fate::Dropped(DropReason::Loss))) > 0);
    assert!(
        count(|f| matches!(
            f,
            Fate::Delivered {
                duplicate: true,
                ..
            }
        )) > 0
    );
    assert!(
        count(|f| matches!(
            f,
            Fate::Delivered {
                corrupted: true,
                ..
            }
        )) > 0
    );
}

#[test]
fn links_draw_from_independent_streams() {
    // The fate of datagrams on one link does not depend on traffic elsewhere.
    let fates = |extra: bool| {
        let (a, b, c) = (v4(A, 1), v4(B, 1), v4([10, 0, 0, 3], 1));
        let mut net = Network::new(21);
        if extra {
            net.add_node(
                Scripted::periodic(c, b, at_ms(0), Duration::from_micros(700), 1_000, 8),
                &[c],
            );
            net.set_link(
                c,
                b,
                LinkConfig {
                    loss: 0.5,
                    ..LinkConfig::default()
                },
            );
        }
        net.add_node(Scripted::periodic(a, b, at_ms(0), ms(1), 1_000, 8), &[a]);
        let rx = net.add_node(Scripted::default(), &[b]);
        net.set_link(
            a,
            b,
            LinkConfig {
                loss: 0.2,
                ..LinkConfig::default()
            },
        );
        net.run_until_idle(at_ms(10_000));
        let from_a: Vec<u32> = net
            .node::<Scripted>(rx)
            .received
            .iter()
            .filter(|(_, d)| d.src == a)
            .map(|(_, d)| index(&d.bytes))
            .collect();
        from_a
    };
    assert_eq!(fates(false), fates(true));
}

// ----- Timers and driving -----

#[test]
fn timers_fire_at_their_virtual_time() {
    let mut net = Network::new(1);
    let t = net.add_node(
        Ticker {
            next: at_ms(30),
            period: ms(30),
            remaining: Some(5),
            fired: vec![],
        },
        &[],
    );
    net.run_until(at_ms(45));
    assert_eq!(net.node::<Ticker>(t).fired, [at_ms(30)]);
    assert_eq!(net.now(), at_ms(45));
    assert_eq!(net.next_event_time(), Some(at_ms(60)));
    assert_eq!(net.run_until_idle(at_ms(1000)), at_ms(150));
    assert_eq!(
        net.node::<Ticker>(t).fired,
        [30, 60, 90, 120, 150].map(at_ms)
    );
    assert!(!net.step());
}

#[test]
fn a_timer_in_the_past_fires_now() {
    let (a, b) = (v4(A, 1), v4(B, 1));
    let (mut net, tx, rx) = one_way(1, Scripted::default(), LinkConfig::with_delay(ms(4)));
    net.run_for(ms(45));
    net.node_mut::<Scripted>(tx)
        .script
        .push_back((at_ms(10), Datagram::new(a, b, payload(0, 8))));
    net.run_until_idle(at_ms(100));
    assert_eq!(net.node::<Scripted>(tx).fired, [at_ms(45)]);
    assert_eq!(net.node::<Scripted>(rx).received[0].0, at_ms(49));
}

#[test]
fn run_while_stops_when_the_condition_turns() {
    let (mut net, _, rx) = one_way(
        1,
        Scripted::periodic(v4(A, 1), v4(B, 1), at_ms(0), ms(10), 10, 8),
        LinkConfig::with_delay(ms(3)),
    );
    net.run_while(
        |net| net.node::<Scripted>(rx).received.len() < 4,
        at_ms(1000),
    );
    assert_eq!(net.now(), at_ms(33));
    assert_eq!(net.node::<Scripted>(rx).received_indices(), [0, 1, 2, 3]);
}

#[test]
#[should_panic(expected = "run_while: condition still holds at limit")]
fn run_while_panics_past_its_limit() {
    let mut net = Network::new(1);
    net.add_node(
        Ticker {
            next: at_ms(1),
            period: ms(1),
            remaining: None,
            fired: vec![],
        },
        &[],
    );
    net.run_while(|_| true, at_ms(50));
}

#[test]
#[should_panic(expected = "run_until_idle: still busy at limit")]
fn run_until_idle_panics_when_never_idle() {
    let mut net = Network::new(1);
    net.add_node(
        Ticker {
            next: at_ms(1),
            period: ms(1),
            remaining: None,
            fired: vec![],
        },
        &[],
    );
    net.run_until_idle(at_ms(50));
}

#[test]
#[should_panic(expected = "livelock")]
fn a_timer_that_never_moves_is_a_livelock() {
    let mut net = Network::new(1);
    net.add_node(Stuck, &[]);
    net.set_max_steps_per_instant(1_000);
    net.run_until(at_ms(1));
}

#[test]
#[should_panic(expected = "not a")]
fn typed_access_checks_the_type() {
    let mut net = Network::new(1);
    let id = net.add_node(Echo::default(), &[v4(A, 1)]);
    net.node::<Scripted>(id);
}

// ----- Multihoming -----

#[test]
fn multihomed_node_survives_a_dead_path() {
    let (a1, a2) = (v4(A, 1), v4([10, 1, 0, 1], 1));
    let (b1, b2) = (v4(B, 1), v4([10, 1, 0, 2], 1));
    let mut net = Network::new(4);
    // Alternate paths: even indices over 1, odd over 2; one every 5 ms for 200 ms.
    let script = (0..40u32).map(|i| {
        let (src, dst) = if i % 2 == 0 { (a1, b1) } else { (a2, b2) };
        (
            at_ms(5 * u64::from(i)),
            Datagram::new(src, dst, payload(i, 8)),
        )
    });
    let a = net.add_node(Scripted::new(script), &[a1, a2]);
    let b = net.add_node(Echo::default(), &[b1]);
    net.add_address(b, b2);
    assert_eq!(net.addresses(b), [b1, b2]);
    assert_eq!(net.owner(a2), Some(a));
    net.connect(a1, b1, LinkConfig::with_delay(ms(10)));
    net.connect(a2, b2, LinkConfig::with_delay(ms(20)));

    net.run_until(at_ms(100));
    net.set_up(a1, b1, false);
    net.run_until_idle(at_ms(1000));

    // Path 1 carried what was sent and echoed before 100 ms; path 2 everything.
    let echoed = &net.node::<Scripted>(a).received;
    for (t, d) in echoed {
        let i = index(&d.bytes);
        let (rtt, local) = if i % 2 == 0 { (20, a1) } else { (40, a2) };
        assert_eq!(*t, at_ms(5 * u64::from(i) + rtt));
        assert_eq!(d.dst, local);
    }
    let even: Vec<u32> = echoed
        .iter()
        .map(|(_, d)| index(&d.bytes))
        .filter(|i| i % 2 == 0)
        .collect();
    assert_eq!(even, (0..18).step_by(2).collect::<Vec<_>>());
    let odd = echoed
        .iter()
        .filter(|(_, d)| index(&d.bytes) % 2 == 1)
        .count();
    assert_eq!(odd, 20);
    assert!(net.link_stats(a1, b1).dropped_down > 0);
    assert_eq!(
        net.link_stats(a2, b2).dropped() + net.link_stats(b2, a2).dropped(),
        0
    );
}

// ----- Tracing real packets -----

fn captured_packets() -> Vec<Vec<u8>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/captures/libusrsctp-0.9.5-data.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("C>S") || l.starts_with("S>C"))
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .map(|h| u8::from_str_radix(h, 16).unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn trace_hook_sees_sctp_packets() {
    let packets = captured_packets();
    assert!(packets.len() > 5);
    let (a, b) = (v4(A, 1), v4(B, 1));
    let sender = Scripted::new(
        packets
            .iter()
            .enumerate()
            .map(|(i, p)| (at_ms(i as u64), Datagram::new(a, b, p.clone()))),
    );
    let (mut net, _, _) = one_way(
        12,
        sender,
        LinkConfig {
            corrupt: 0.5,
            mtu: 65_535,
            ..LinkConfig::with_delay(ms(1))
        },
    );
    let seen = Rc::new(RefCell::new((0, 0)));
    let sink = seen.clone();
    net.set_trace(move |e| {
        if let Fate::Delivered { corrupted, .. } = e.fate {
            let mut seen = sink.borrow_mut();
            if corrupted {
                assert!(
                    !crc::verify(&e.datagram.bytes),
                    "a flipped bit passes CRC32c"
                );
                seen.1 += 1;
            } else {
                assert!(crc::verify(&e.datagram.bytes));
                let packet = Packet::parse(&e.datagram.bytes).expect("captured packet parses");
                assert!(packet.chunks().all(|c| c.is_ok()));
                seen.0 += 1;
            }
        }
    });
    net.run_until_idle(at_ms(100_000));
    let (clean, corrupted) = *seen.borrow();
    assert_eq!(clean + corrupted, packets.len());
    assert!(
        clean > 0 && corrupted > 0,
        "{clean} clean, {corrupted} corrupted"
    );
}
