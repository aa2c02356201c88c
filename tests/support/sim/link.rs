//! Directed links between two addresses: their configuration, their counters, and the
//! transmitter queue that models bandwidth.

use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use usrsctp::types::Instant;

use super::rng::Rng;
use super::Addr;

/// One direction between two addresses. A datagram uses the link `(datagram.src, datagram.dst)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkId {
    pub src: Addr,
    pub dst: Addr,
}

impl LinkId {
    pub fn new(src: Addr, dst: Addr) -> Self {
        LinkId { src, dst }
    }

    /// The opposite direction.
    pub fn reverse(self) -> Self {
        LinkId {
            src: self.dst,
            dst: self.src,
        }
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} -> {}", self.src, self.dst)
    }
}

/// How one direction of a link behaves. Every field may be changed mid-run with
/// [`Network::link_mut`](super::Network::link_mut); a change applies to datagrams sent after it,
/// except `up`, which is also checked when a datagram arrives (killing a link loses what is on it).
///
/// Build one with struct update syntax: `LinkConfig { loss: 0.1, ..LinkConfig::with_delay(ms) }`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkConfig {
    /// Fixed propagation delay.
    pub delay: Duration,
    /// Extra delay drawn uniformly from `[0, jitter]` for each datagram. Jitter larger than the
    /// spacing of datagrams reorders them, as on a real path.
    pub jitter: Duration,
    /// Serialization rate in bits per second; `None` is infinitely fast. Datagrams wait in a
    /// per-direction FIFO while the transmitter is busy.
    pub bandwidth_bps: Option<u64>,
    /// The largest datagram (`bytes.len()`) the link carries; larger ones are dropped.
    pub mtu: usize,
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Probability that a datagram is delivered twice (the copy takes its own delay draw).
    pub duplicate: f64,
    /// Probability that a datagram is held back by an extra delay drawn from
    /// `[0, reorder_delay]`, so that later ones overtake it.
    pub reorder: f64,
    /// The largest extra delay of a reordered datagram.
    pub reorder_delay: Duration,
    /// Probability that one random bit of a delivered copy is flipped.
    pub corrupt: f64,
    /// Probability that an ECN-capable copy (ECT(0) or ECT(1)) arrives marked CE, as an AQM
    /// router marks instead of dropping (RFC 3168).
    pub ce_mark: f64,
    /// Drop-tail limit of the transmitter queue in bytes (the datagram being serialized
    /// counts); `None` is unlimited. Only meaningful with `bandwidth_bps`.
    pub queue_limit_bytes: Option<usize>,
    /// A down link drops everything sent on it, and everything still in flight when it arrives.
    pub up: bool,
}

impl Default for LinkConfig {
    /// A perfect link: no delay, no limits, no impairments, MTU 1500.
    fn default() -> Self {
        LinkConfig {
            delay: Duration::ZERO,
            jitter: Duration::ZERO,
            bandwidth_bps: None,
            mtu: 1500,
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
            reorder_delay: Duration::from_millis(10),
            corrupt: 0.0,
            ce_mark: 0.0,
            queue_limit_bytes: None,
            up: true,
        }
    }
}

impl LinkConfig {
    /// A perfect link with a fixed delay.
    pub fn with_delay(delay: Duration) -> Self {
        LinkConfig {
            delay,
            ..LinkConfig::default()
        }
    }
}

/// Why a datagram did not arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DropReason {
    /// No link from the source to the destination address.
    NoLink,
    /// The link was down when the datagram was sent or when it arrived.
    Down,
    /// Larger than the link's MTU.
    Mtu,
    /// Random loss.
    Loss,
    /// The transmitter queue was full (drop-tail).
    Queue,
    /// The test's drop filter asked for it.
    Filter,
    /// Arrived at an address that no node owns.
    NoNode,
}

/// Counters of one link direction. `sent` counts every datagram handed to the link; each ends
/// up in exactly one of `delivered` (originals) or a `dropped_*` counter, and each duplicate
/// copy adds one to `duplicated` and then to `delivered` or a drop counter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkStats {
    pub sent: u64,
    pub sent_bytes: u64,
    pub delivered: u64,
    pub delivered_bytes: u64,
    pub dropped_down: u64,
    pub dropped_mtu: u64,
    pub dropped_loss: u64,
    pub dropped_queue: u64,
    pub dropped_filter: u64,
    pub dropped_no_node: u64,
    pub duplicated: u64,
    pub reordered: u64,
    pub corrupted: u64,
    /// Copies that left ECN-capable and arrived marked CE.
    pub ce_marked: u64,
}

impl LinkStats {
    /// All drops, whatever the reason.
    pub fn dropped(&self) -> u64 {
        self.dropped_down
            + self.dropped_mtu
            + self.dropped_loss
            + self.dropped_queue
            + self.dropped_filter
            + self.dropped_no_node
    }

    pub(super) fn count_drop(&mut self, reason: DropReason) {
        match reason {
            DropReason::NoLink => {}
            DropReason::Down => self.dropped_down += 1,
            DropReason::Mtu => self.dropped_mtu += 1,
            DropReason::Loss => self.dropped_loss += 1,
            DropReason::Queue => self.dropped_queue += 1,
            DropReason::Filter => self.dropped_filter += 1,
            DropReason::NoNode => self.dropped_no_node += 1,
        }
    }
}

/// A link direction: configuration, counters, its own random stream and its transmitter.
pub(super) struct Link {
    pub config: LinkConfig,
    pub stats: LinkStats,
    pub rng: Rng,
    /// When the transmitter finishes the last datagram it has accepted.
    busy_until: Instant,
    /// Datagrams accepted but not yet fully serialized: (finish time, length).
    queue: VecDeque<(Instant, usize)>,
    queued_bytes: usize,
}

impl Link {
    pub fn new(config: LinkConfig, rng: Rng) -> Self {
        Link {
            config,
            stats: LinkStats::default(),
            rng,
            busy_until: Instant::ZERO,
            queue: VecDeque::new(),
            queued_bytes: 0,
        }
    }

    /// Bytes waiting in or being serialized by the transmitter at `now`.
    pub fn queued_bytes(&mut self, now: Instant) -> usize {
        while let Some(&(finish, len)) = self.queue.front() {
            if finish > now {
                break;
            }
            self.queue.pop_front();
            self.queued_bytes -= len;
        }
        self.queued_bytes
    }

    /// Puts a datagram of `len` bytes on the transmitter at `now`; returns when its last bit
    /// leaves, or `None` when the queue is full.
    pub fn enqueue(&mut self, now: Instant, len: usize) -> Option<Instant> {
        let Some(bps) = self.config.bandwidth_bps else {
            return Some(now);
        };
        let queued = self.queued_bytes(now);
        if let Some(limit) = self.config.queue_limit_bytes {
            if queued + len > limit {
                return None;
            }
        }
        let start = self.busy_until.max(now);
        let finish = start + serialization_time(len, bps);
        self.busy_until = finish;
        self.queue.push_back((finish, len));
        self.queued_bytes += len;
        Some(finish)
    }
}

/// The time to clock `len` bytes out at `bps`, rounded up to the microsecond.
pub fn serialization_time(len: usize, bps: u64) -> Duration {
    if bps == 0 {
        return Duration::from_micros(u64::MAX);
    }
    let bits = len as u128 * 8;
    let micros = (bits * 1_000_000).div_ceil(u128::from(bps));
    Duration::from_micros(u64::try_from(micros).unwrap_or(u64::MAX))
}
