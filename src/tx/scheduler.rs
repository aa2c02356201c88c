//! Stream schedulers: which outgoing stream the next chunk is cut from.
//!
//! The modules are libusrsctp's pluggable stream schedulers (SCTP_PLUGGABLE_SS), plus weighted
//! fair queueing as dcSCTP has it:
//!
//! | module | libusrsctp | order |
//! | --- | --- | --- |
//! | [`SchedulerKind::RoundRobinArrival`] | SCTP_SS_DEFAULT (0) | streams in turn, in the order they got data |
//! | [`SchedulerKind::RoundRobin`] | SCTP_SS_ROUND_ROBIN (1) | streams in turn, by stream id |
//! | [`SchedulerKind::RoundRobinPacket`] | SCTP_SS_ROUND_ROBIN_PACKET (2) | one stream per packet, streams in turn by id |
//! | [`SchedulerKind::Priority`] | SCTP_SS_PRIORITY (3) | lowest SCTP_SS_VALUE first; equal values in turn by id |
//! | [`SchedulerKind::FairBandwidth`] | SCTP_SS_FAIR_BANDWITH (4) | the stream whose head message is shortest, aged by what the others were served |
//! | [`SchedulerKind::FirstCome`] | SCTP_SS_FIRST_COME (5) | messages in the order they were queued |
//! | [`SchedulerKind::WeightedFair`] | extension (6) | start-time fair queueing: bytes in proportion to the SCTP_SS_VALUE weight |
//!
//! With DATA a started message keeps its stream until its last fragment (the send queue sees to
//! that); with I-DATA the scheduler is asked again for every chunk, so large messages interleave
//! with small ones.
//!
//! Every operation is O(log streams): the active streams sit in one ordered set, keyed by what
//! the module orders by, and a choice walks it from a starting key, skipping only streams whose
//! head cannot be sent now (paused, or an open message without enough data).
//!
//! Default round robin, round robin, priority, fair bandwidth and first come send in the same
//! order as Debian's libusrsctp 0.9.5 (c-tests/test_prsctp.c compares the TSN order of 30
//! messages on three streams). Differences from libusrsctp:
//! - Priority is strict: a stream of a better (lower) value that gets data is served next, even
//!   when a round of a worse level is under way (libusrsctp finishes that level's round first).
//! - Round robin per packet gives each packet to one stream; libusrsctp gives a stream each
//!   round of filling its output queue, which can be more than one packet.
//! - Fair bandwidth breaks ties by the order in which the streams got data (libusrsctp's wheel)
//!   from its start, where libusrsctp starts after the stream served last.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound;

/// A stream scheduling module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SchedulerKind {
    /// SCTP_SS_DEFAULT: round robin over streams in the order they became non-empty.
    #[default]
    RoundRobinArrival,
    /// SCTP_SS_ROUND_ROBIN: round robin by increasing stream id.
    RoundRobin,
    /// SCTP_SS_ROUND_ROBIN_PACKET: each packet carries data of one stream; streams in turn.
    RoundRobinPacket,
    /// SCTP_SS_PRIORITY: the lowest priority value first.
    Priority,
    /// SCTP_SS_FAIR_BANDWITH: libusrsctp's fair bandwidth.
    FairBandwidth,
    /// SCTP_SS_FIRST_COME: messages in arrival order, whatever their stream.
    FirstCome,
    /// Weighted fair queueing by the per-stream weight (extension).
    WeightedFair,
}

impl SchedulerKind {
    /// The module of SCTP_PLUGGABLE_SS value `v` (`None`: EINVAL).
    pub fn from_ss_module(v: u32) -> Option<Self> {
        Some(match v {
            0 => SchedulerKind::RoundRobinArrival,
            1 => SchedulerKind::RoundRobin,
            2 => SchedulerKind::RoundRobinPacket,
            3 => SchedulerKind::Priority,
            4 => SchedulerKind::FairBandwidth,
            5 => SchedulerKind::FirstCome,
            6 => SchedulerKind::WeightedFair,
            _ => return None,
        })
    }

    /// The SCTP_PLUGGABLE_SS value of the module.
    pub fn ss_module(self) -> u32 {
        match self {
            SchedulerKind::RoundRobinArrival => 0,
            SchedulerKind::RoundRobin => 1,
            SchedulerKind::RoundRobinPacket => 2,
            SchedulerKind::Priority => 3,
            SchedulerKind::FairBandwidth => 4,
            SchedulerKind::FirstCome => 5,
            SchedulerKind::WeightedFair => 6,
        }
    }

    /// Whether the module reads a per-stream value (SCTP_SS_VALUE; EINVAL for the others, as
    /// in libusrsctp).
    pub fn has_stream_values(self) -> bool {
        matches!(self, SchedulerKind::Priority | SchedulerKind::WeightedFair)
    }

    /// The per-stream value a stream has until SCTP_SS_VALUE sets one.
    pub fn default_value(self) -> u16 {
        match self {
            SchedulerKind::WeightedFair => DEFAULT_WEIGHT,
            _ => 0,
        }
    }
}

/// The weight of a stream under weighted fair queueing until one is set (dcSCTP's default
/// priority, so that weights can go both ways).
pub const DEFAULT_WEIGHT: u16 = 256;

/// Virtual time units per byte at weight 1.
const VT_SCALE: u64 = 1 << 16;

/// What the scheduler needs to know of a stream's head message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Queueing order of the message (first-come ordering).
    pub arrival: u64,
    /// Bytes of it not yet cut into chunks.
    pub remaining: usize,
}

/// The state of one stream scheduling module over the streams that have data.
#[derive(Debug, Clone)]
pub struct StreamScheduler {
    kind: SchedulerKind,
    /// SCTP_SS_VALUE per stream (priority or weight); kept across module changes.
    values: BTreeMap<u16, u16>,
    /// Active streams by their ordering key and a tie-breaker (fair bandwidth and weighted
    /// fair queueing: the order in which streams got data, as libusrsctp's wheel).
    order: BTreeSet<(u64, u64, u16)>,
    /// The key and tie-breaker of each active stream in `order`.
    key: HashMap<u16, (u64, u64)>,
    /// Round robin: the stream served last. While it has data its successor goes next; once
    /// it ran empty and left the wheel the next round starts from the wheel's beginning (as in
    /// libusrsctp, where it keeps its place again when it gets data).
    last: Option<u16>,
    /// Round robin per packet: the stream the current packet is filled from.
    packet_stream: Option<u16>,
    /// Activation counter (round robin by arrival).
    next_activation: u64,
    /// Virtual time (fair bandwidth, weighted fair queueing).
    vtime: u64,
}

impl StreamScheduler {
    pub fn new(kind: SchedulerKind) -> Self {
        StreamScheduler {
            kind,
            values: BTreeMap::new(),
            order: BTreeSet::new(),
            key: HashMap::new(),
            last: None,
            packet_stream: None,
            next_activation: 0,
            vtime: 0,
        }
    }

    pub fn kind(&self) -> SchedulerKind {
        self.kind
    }

    /// Switches module. The active streams are given again with their heads.
    pub fn set_kind(&mut self, kind: SchedulerKind, active: impl IntoIterator<Item = (u16, Head)>) {
        let values = std::mem::take(&mut self.values);
        *self = StreamScheduler::new(kind);
        self.values = values;
        for (id, head) in active {
            self.update(id, Some(head));
        }
    }

    /// The SCTP_SS_VALUE of `stream`.
    pub fn value(&self, stream: u16) -> u16 {
        self.values
            .get(&stream)
            .copied()
            .unwrap_or_else(|| self.kind.default_value())
    }

    /// Sets the SCTP_SS_VALUE of `stream`; `head` is its head if it has data.
    pub fn set_value(&mut self, stream: u16, value: u16, head: Option<Head>) {
        self.values.insert(stream, value);
        if self.kind == SchedulerKind::Priority {
            if let Some(old) = self.key.remove(&stream) {
                self.order.remove(&(old.0, old.1, stream));
            }
            self.update(stream, head);
        }
    }

    /// Tells the scheduler what `stream` holds now: `None` when it has no message.
    pub fn update(&mut self, stream: u16, head: Option<Head>) {
        let Some(head) = head else {
            if let Some(k) = self.key.remove(&stream) {
                self.order.remove(&(k.0, k.1, stream));
            }
            return;
        };
        let key = match (self.kind, self.key.get(&stream)) {
            (SchedulerKind::FirstCome, _) => (head.arrival, 0),
            (_, Some(&k)) => k,
            (SchedulerKind::RoundRobinArrival, None) => (self.activate(), 0),
            (SchedulerKind::RoundRobin | SchedulerKind::RoundRobinPacket, None) => {
                (u64::from(stream), 0)
            }
            (SchedulerKind::Priority, None) => (u64::from(self.value(stream)), 0),
            (SchedulerKind::FairBandwidth, None) => {
                (self.vtime + head.remaining as u64, self.activate())
            }
            (SchedulerKind::WeightedFair, None) => (self.vtime, self.activate()),
        };
        self.rekey(stream, key);
    }

    fn activate(&mut self) -> u64 {
        self.next_activation += 1;
        self.next_activation
    }

    fn rekey(&mut self, stream: u16, key: (u64, u64)) {
        if let Some(old) = self.key.insert(stream, key) {
            self.order.remove(&(old.0, old.1, stream));
        }
        self.order.insert((key.0, key.1, stream));
    }

    /// A chunk of `bytes` was cut from `stream`; `head` is what its head is now.
    pub fn served(&mut self, stream: u16, bytes: usize, head: Option<Head>) {
        let Some(&(key, tie)) = self.key.get(&stream) else {
            return;
        };
        match self.kind {
            SchedulerKind::RoundRobinArrival
            | SchedulerKind::RoundRobin
            | SchedulerKind::Priority => self.last = Some(stream),
            SchedulerKind::RoundRobinPacket => self.packet_stream = Some(stream),
            SchedulerKind::FirstCome => {}
            SchedulerKind::FairBandwidth => {
                // libusrsctp: the chosen stream's "rounds" are taken off every stream, and it
                // starts again with what its head message still holds.
                self.vtime = self.vtime.max(key);
                if let Some(h) = head {
                    self.rekey(stream, (self.vtime + h.remaining as u64, tie));
                }
            }
            SchedulerKind::WeightedFair => {
                // Start-time fair queueing: the stream's start tag moves by the bytes it was
                // served over its weight; the virtual time is the tag of the chunk served.
                self.vtime = self.vtime.max(key);
                let weight = u64::from(self.value(stream).max(1));
                let cost = (bytes as u64).saturating_mul(VT_SCALE) / weight;
                if head.is_some() {
                    self.rekey(stream, (key.max(self.vtime) + cost.max(1), tie));
                }
            }
        }
    }

    /// The packet being filled is complete (round robin per packet moves to the next stream).
    pub fn end_packet(&mut self) {
        if let Some(s) = self.packet_stream.take() {
            self.last = Some(s);
        }
    }

    /// The active streams in the order the module would serve them now.
    pub fn candidates(&self) -> impl Iterator<Item = u16> + '_ {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        type Range = (Bound<(u64, u64, u16)>, Bound<(u64, u64, u16)>);
        let none: Range = (Included((0, 0, 0)), Excluded((0, 0, 0)));
        let all: Range = (Unbounded, Unbounded);
        let last = self
            .last
            .and_then(|s| self.key.get(&s).map(|&(k, t)| (k, t, s)));
        let (first, second, third): (Range, Range, Range) = match (self.kind, last) {
            (SchedulerKind::RoundRobinPacket, _) if self.packet_stream.is_some() => {
                let s = self.packet_stream.unwrap_or_default();
                let k = (u64::from(s), 0, s);
                ((Included(k), Included(k)), none, none)
            }
            (
                SchedulerKind::RoundRobinArrival
                | SchedulerKind::RoundRobin
                | SchedulerKind::RoundRobinPacket,
                Some(last),
            ) => (
                (Excluded(last), Unbounded),
                (Unbounded, Included(last)),
                none,
            ),
            (SchedulerKind::Priority, Some(last)) => {
                // Round robin within the best level, then the worse levels in order.
                let level = last.0;
                let top = self.order.first().map_or(level, |&(k, _, _)| k);
                if level == top {
                    let end = (level, u64::MAX, u16::MAX);
                    (
                        (Excluded(last), Included(end)),
                        (Included((level, 0, 0)), Included(last)),
                        (Excluded(end), Unbounded),
                    )
                } else {
                    (all, none, none)
                }
            }
            _ => (all, none, none),
        };
        self.order
            .range(first)
            .chain(self.order.range(second))
            .chain(self.order.range(third))
            .map(|&(_, _, s)| s)
    }

    /// True when no stream has data.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stream's queue: message sizes, consumed in chunks of `chunk` bytes.
    struct Sim {
        sched: StreamScheduler,
        queues: BTreeMap<u16, std::collections::VecDeque<(u64, usize)>>,
        arrival: u64,
    }

    impl Sim {
        fn new(kind: SchedulerKind) -> Self {
            Sim {
                sched: StreamScheduler::new(kind),
                queues: BTreeMap::new(),
                arrival: 0,
            }
        }

        fn head(&self, s: u16) -> Option<Head> {
            self.queues
                .get(&s)
                .and_then(|q| q.front())
                .map(|&(arrival, remaining)| Head { arrival, remaining })
        }

        fn push(&mut self, s: u16, len: usize) {
            self.arrival += 1;
            self.queues
                .entry(s)
                .or_default()
                .push_back((self.arrival, len));
            let h = self.head(s);
            self.sched.update(s, h);
        }

        /// Serves one chunk of at most `chunk` bytes; the stream it came from.
        fn serve(&mut self, chunk: usize) -> Option<u16> {
            let s = self.sched.candidates().next()?;
            let q = self.queues.get_mut(&s)?;
            let front = q.front_mut()?;
            let n = front.1.min(chunk);
            front.1 -= n;
            if front.1 == 0 {
                q.pop_front();
            }
            let h = self.head(s);
            self.sched.served(s, n, h);
            self.sched.update(s, h);
            Some(s)
        }

        fn order(&mut self, chunk: usize) -> Vec<u16> {
            std::iter::from_fn(|| self.serve(chunk)).collect()
        }
    }

    #[test]
    fn module_numbers_round_trip() {
        for v in 0..=6 {
            assert_eq!(SchedulerKind::from_ss_module(v).unwrap().ss_module(), v);
        }
        assert_eq!(SchedulerKind::from_ss_module(7), None);
        assert_eq!(SchedulerKind::default().ss_module(), 0);
    }

    #[test]
    fn default_round_robin_follows_activation_order() {
        let mut sim = Sim::new(SchedulerKind::RoundRobinArrival);
        for (s, n) in [(5, 3), (1, 2), (9, 1)] {
            for _ in 0..n {
                sim.push(s, 10);
            }
        }
        assert_eq!(sim.order(100), [5, 1, 9, 5, 1, 5]);
        // A stream that empties and gets data again goes to the end of the round.
        sim.push(1, 10);
        sim.push(2, 10);
        sim.push(1, 10);
        assert_eq!(sim.order(100), [1, 2, 1]);
    }

    #[test]
    fn round_robin_goes_by_stream_id() {
        let mut sim = Sim::new(SchedulerKind::RoundRobin);
        for (s, n) in [(5, 3), (1, 2), (9, 1)] {
            for _ in 0..n {
                sim.push(s, 10);
            }
        }
        assert_eq!(sim.order(100), [1, 5, 9, 1, 5, 5]);
    }

    /// As libusrsctp's wheel: when the stream served last ran empty, the round starts again
    /// from the first stream; if it got data again in the meantime, its successor goes next.
    #[test]
    fn round_robin_after_the_last_stream_ran_empty() {
        let mut sim = Sim::new(SchedulerKind::RoundRobin);
        for s in [1u16, 1, 2, 3, 3] {
            sim.push(s, 10);
        }
        assert_eq!(sim.order(100), [1, 2, 1, 3, 3]);
        let mut sim = Sim::new(SchedulerKind::RoundRobin);
        for s in [1u16, 1, 2, 3, 3] {
            sim.push(s, 10);
        }
        assert_eq!(sim.serve(100), Some(1));
        assert_eq!(sim.serve(100), Some(2));
        sim.push(2, 10);
        assert_eq!(sim.order(100), [3, 1, 2, 3]);
    }

    #[test]
    fn round_robin_per_packet_keeps_one_stream_per_packet() {
        let mut sim = Sim::new(SchedulerKind::RoundRobinPacket);
        for s in [3u16, 1, 2] {
            for _ in 0..3 {
                sim.push(s, 10);
            }
        }
        let mut packets = Vec::new();
        for _ in 0..7 {
            // Two chunks fit a packet.
            let p: Vec<u16> = (0..2).filter_map(|_| sim.serve(100)).collect();
            sim.sched.end_packet();
            packets.push(p);
        }
        // A packet whose stream runs dry takes nothing from the others.
        assert_eq!(
            packets,
            [
                vec![1, 1],
                vec![2, 2],
                vec![3, 3],
                vec![1],
                vec![2],
                vec![3],
                vec![]
            ]
        );
    }

    #[test]
    fn priority_serves_the_lowest_value_first_and_rotates_within_a_level() {
        let mut sim = Sim::new(SchedulerKind::Priority);
        sim.sched.set_value(1, 10, None);
        sim.sched.set_value(2, 5, None);
        sim.sched.set_value(3, 5, None);
        for s in [1u16, 2, 3, 1, 2, 3] {
            sim.push(s, 10);
        }
        assert_eq!(sim.order(100), [2, 3, 2, 3, 1, 1]);
        // A better stream that gets data overtakes at once; values can change while queued.
        sim.push(1, 10);
        sim.push(1, 10);
        sim.push(4, 10);
        assert_eq!(sim.serve(100), Some(4));
        sim.push(2, 10);
        sim.sched.set_value(2, 20, sim.head(2));
        assert_eq!(sim.order(100), [1, 1, 2]);
        assert_eq!(sim.sched.value(2), 20);
        assert_eq!(sim.sched.value(7), 0);
    }

    #[test]
    fn first_come_first_served() {
        let mut sim = Sim::new(SchedulerKind::FirstCome);
        for s in [5u16, 1, 5, 2, 1] {
            sim.push(s, 10);
        }
        assert_eq!(sim.order(100), [5, 1, 5, 2, 1]);
    }

    #[test]
    fn fair_bandwidth_prefers_short_heads_and_ages_the_long_one() {
        let mut sim = Sim::new(SchedulerKind::FairBandwidth);
        // Stream 1: one 3000-byte message; stream 2: ten 500-byte messages; 1000-byte chunks.
        sim.push(1, 3000);
        for _ in 0..10 {
            sim.push(2, 500);
        }
        let order = sim.order(1000);
        assert_eq!(order, [2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 1, 2, 1]);
    }

    #[test]
    fn weighted_fair_queueing_shares_bytes_by_weight() {
        let mut sim = Sim::new(SchedulerKind::WeightedFair);
        sim.sched.set_value(1, 2, None);
        sim.sched.set_value(2, 4, None);
        for _ in 0..6 {
            sim.push(1, 1000);
            sim.push(2, 1000);
        }
        // Weight 4 gets twice the bytes of weight 2 while both have data.
        let order = sim.order(1000);
        assert_eq!(&order[..9], [1, 2, 2, 1, 2, 2, 1, 2, 2]);
        // Equal weights alternate; a tie goes to the stream that got data first.
        let mut even = Sim::new(SchedulerKind::WeightedFair);
        for _ in 0..3 {
            even.push(4, 100);
            even.push(3, 100);
        }
        assert_eq!(even.order(100), [4, 3, 4, 3, 4, 3]);
    }

    #[test]
    fn weighted_fair_queueing_does_not_bank_idle_time() {
        let mut sim = Sim::new(SchedulerKind::WeightedFair);
        for _ in 0..4 {
            sim.push(1, 100);
        }
        assert_eq!(sim.order(100), [1, 1, 1, 1]);
        // Stream 2 arrives late: it shares from now on, it does not catch up.
        for _ in 0..3 {
            sim.push(1, 100);
            sim.push(2, 100);
        }
        assert_eq!(sim.order(100), [1, 2, 1, 2, 1, 2]);
    }

    #[test]
    fn switching_module_keeps_values_and_streams() {
        let mut sim = Sim::new(SchedulerKind::Priority);
        sim.sched.set_value(2, 1, None);
        sim.push(1, 10);
        sim.push(2, 10);
        let heads: Vec<(u16, Head)> = [1u16, 2]
            .iter()
            .filter_map(|&s| sim.head(s).map(|h| (s, h)))
            .collect();
        sim.sched.set_kind(SchedulerKind::RoundRobin, heads);
        assert_eq!(sim.sched.value(2), 1);
        assert_eq!(sim.order(100), [1, 2]);
    }
}
