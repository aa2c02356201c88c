//! Which TSNs arrived, and when to acknowledge them (RFC 9260 §6.2, §6.7; RFC 3758 §3.6;
//! RFC 7053; NR-SACK).
//!
//! The association drives a [`DataTracker`] once per received packet:
//!
//! 1. for each DATA or I-DATA chunk, [`DataTracker::classify`] it; only a `New` chunk is offered
//!    to the reassembly queue, and only when the queue accepts it is it recorded with
//!    [`DataTracker::observe`] (a duplicate is recorded with `observe` too, so that it is
//!    reported); a FORWARD-TSN goes to [`DataTracker::handle_forward_tsn`];
//! 2. after the whole packet, [`DataTracker::on_packet_processed`] decides whether a SACK is due
//!    now or arms the delayed-SACK timer;
//! 3. when [`DataTracker::sack_due`] (or the association has a packet to send anyway and wants to
//!    bundle a SACK), it calls [`DataTracker::build_sack`] or [`DataTracker::build_nr_sack`],
//!    which clears the pending state;
//! 4. [`DataTracker::sack_deadline`] joins the association's timers; at that time it calls
//!    [`DataTracker::handle_timeout`].
//!
//! Memory is bounded by the configuration: TSNs more than `max_tsns_ahead` beyond the
//! cumulative TSN are refused, and at most `max_dup_tsns` duplicates are remembered.

use std::time::Duration;

use super::ranges::RangeSet;
use crate::types::{Instant, Tsn};
use crate::wire::chunk::{GapAckBlock, NrSackChunk, SackChunk, WireList};

/// Configuration of a [`DataTracker`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackerConfig {
    /// The delayed-SACK timeout (RFC 9260 §6.2: at most 500 ms; 200 ms is usual).
    pub sack_delay: Duration,
    /// Acknowledge at least every `sack_freq`-th packet carrying new DATA (0 and 1 both mean
    /// every packet).
    pub sack_freq: u32,
    /// How far beyond the cumulative TSN a TSN may be and still be accepted. Capped at 65535,
    /// the largest offset a Gap Ack Block can express.
    pub max_tsns_ahead: u32,
    /// How many duplicate TSNs are remembered until the next SACK.
    pub max_dup_tsns: usize,
    /// How many Gap Ack Blocks (and, separately, NR Gap Ack Blocks) a SACK reports at most; the
    /// lowest ones are kept.
    pub max_gap_blocks: usize,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            sack_delay: Duration::from_millis(200),
            sack_freq: 2,
            max_tsns_ahead: 16384,
            max_dup_tsns: 20,
            max_gap_blocks: 256,
        }
    }
}

/// What [`DataTracker::classify`] and [`DataTracker::observe`] make of a TSN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Observed {
    /// Not seen before and within the tracking window.
    New,
    /// At or below the cumulative TSN, or already received.
    Duplicate,
    /// Further ahead of the cumulative TSN than the configured window; not recorded: the chunk
    /// must be dropped.
    TooFarAhead,
}

/// The content of a SACK chunk (RFC 9260 §3.3.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SackInfo {
    pub cum_tsn: Tsn,
    pub a_rwnd: u32,
    /// Offsets from `cum_tsn`, ascending, merged.
    pub gap_blocks: Vec<GapAckBlock>,
    pub dup_tsns: Vec<Tsn>,
}

impl SackInfo {
    /// The chunk to emit, borrowing the lists.
    pub fn chunk(&self) -> SackChunk<'_> {
        SackChunk {
            cum_tsn_ack: self.cum_tsn,
            a_rwnd: self.a_rwnd,
            gap_ack_blocks: WireList::Items(&self.gap_blocks),
            duplicate_tsns: WireList::Items(&self.dup_tsns),
        }
    }
}

/// The content of an NR-SACK chunk.
///
/// As libusrsctp does, a TSN is reported in exactly one of the two block lists: `gap_blocks`
/// holds the renegable TSNs, `nr_gap_blocks` the ones marked with
/// [`DataTracker::mark_non_renegable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NrSackInfo {
    pub cum_tsn: Tsn,
    pub a_rwnd: u32,
    pub gap_blocks: Vec<GapAckBlock>,
    pub nr_gap_blocks: Vec<GapAckBlock>,
    pub dup_tsns: Vec<Tsn>,
}

impl NrSackInfo {
    /// The chunk to emit, borrowing the lists.
    pub fn chunk(&self) -> NrSackChunk<'_> {
        NrSackChunk {
            cum_tsn_ack: self.cum_tsn,
            a_rwnd: self.a_rwnd,
            gap_ack_blocks: WireList::Items(&self.gap_blocks),
            nr_gap_ack_blocks: WireList::Items(&self.nr_gap_blocks),
            duplicate_tsns: WireList::Items(&self.dup_tsns),
        }
    }
}

/// Received-TSN bookkeeping and the delayed-SACK decision for one association.
///
/// Internally TSNs are unwrapped into `u64` relative to the cumulative TSN, so serial-number
/// wrap-around never reaches the range sets.
#[derive(Debug, Clone)]
pub struct DataTracker {
    config: TrackerConfig,
    cum_tsn: Tsn,
    /// `cum_tsn` unwrapped; every tracked value is above it.
    cum: u64,
    /// TSNs above the cumulative TSN that arrived.
    received: RangeSet,
    /// The subset of `received` the receiver will not renege on.
    non_renegable: RangeSet,
    dup_tsns: Vec<Tsn>,
    packet: PacketFlags,
    /// Packets with new DATA (or a FORWARD-TSN) since the last SACK.
    unacked_packets: u32,
    /// No DATA has arrived yet: the first is acknowledged at once (as libusrsctp does), so that
    /// the peer learns its RTT and a sender that shuts down right away is not held up.
    first_data: bool,
    sack_now: bool,
    deadline: Option<Instant>,
}

/// What the packet being processed contained so far.
#[derive(Debug, Clone, Copy, Default)]
struct PacketFlags {
    started: bool,
    /// Whether gaps were reported before this packet.
    had_gaps: bool,
    new_data: bool,
    duplicate: bool,
    immediate: bool,
}

impl DataTracker {
    /// A tracker for a peer whose first TSN is `peer_initial_tsn` (so the cumulative TSN starts
    /// one below it, RFC 9260 §6.2).
    pub fn new(peer_initial_tsn: Tsn, config: TrackerConfig) -> Self {
        let config = TrackerConfig {
            max_tsns_ahead: config.max_tsns_ahead.min(u32::from(u16::MAX)),
            ..config
        };
        DataTracker {
            config,
            cum_tsn: Tsn(peer_initial_tsn.0.wrapping_sub(1)),
            cum: 1 << 40,
            received: RangeSet::new(),
            non_renegable: RangeSet::new(),
            dup_tsns: Vec::new(),
            packet: PacketFlags::default(),
            unacked_packets: 0,
            first_data: true,
            sack_now: false,
            deadline: None,
        }
    }

    /// A new delayed-SACK timeout and frequency (SCTP_DELAYED_SACK on a live association);
    /// a SACK already waiting keeps its deadline.
    pub fn set_sack_timing(&mut self, sack_delay: Duration, sack_freq: u32) {
        self.config.sack_delay = sack_delay;
        self.config.sack_freq = sack_freq;
    }

    /// The configuration in force (with `max_tsns_ahead` capped).
    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// The cumulative TSN: every TSN up to it arrived or was skipped by FORWARD-TSN.
    pub fn cumulative_tsn(&self) -> Tsn {
        self.cum_tsn
    }

    /// Whether TSNs above the cumulative TSN arrived (there are gaps to report).
    pub fn has_gaps(&self) -> bool {
        !self.received.is_empty()
    }

    /// Whether `tsn` was received (or skipped) already.
    pub fn is_received(&self, tsn: Tsn) -> bool {
        self.classify(tsn) == Observed::Duplicate
    }

    /// The highest TSN received so far (the cumulative TSN when there are no gaps).
    pub fn highest_received(&self) -> Tsn {
        match self.received.iter().last() {
            Some((_, end)) => self.tsn_at(end),
            None => self.cum_tsn,
        }
    }

    /// What `tsn` would be, without recording anything.
    pub fn classify(&self, tsn: Tsn) -> Observed {
        let d = tsn.distance_from(self.cum_tsn);
        if d <= 0 {
            Observed::Duplicate
        } else if d as u32 > self.config.max_tsns_ahead {
            Observed::TooFarAhead
        } else if self.received.contains(self.cum + d as u64) {
            Observed::Duplicate
        } else {
            Observed::New
        }
    }

    /// Records the arrival of a DATA or I-DATA chunk with `tsn`; `immediate` is its I bit
    /// (RFC 7053). Call only for chunks the reassembly queue accepted (or duplicates).
    pub fn observe(&mut self, tsn: Tsn, immediate: bool) -> Observed {
        self.start_packet();
        let verdict = self.classify(tsn);
        match verdict {
            Observed::TooFarAhead => return verdict,
            Observed::Duplicate => {
                self.packet.duplicate = true;
                if self.dup_tsns.len() < self.config.max_dup_tsns {
                    self.dup_tsns.push(tsn);
                }
            }
            Observed::New => {
                self.packet.new_data = true;
                let d = tsn.distance_from(self.cum_tsn) as u64;
                self.received.insert(self.cum + d);
                self.advance_cum();
            }
        }
        // RFC 7053 §4: a receiver SHOULD acknowledge a chunk with the I bit without delay.
        self.packet.immediate |= immediate;
        verdict
    }

    /// Marks a received TSN as non-renegable (its data was delivered to the application or
    /// will be kept no matter what), to be reported in NR Gap Ack Blocks. TSNs at or below the
    /// cumulative TSN, or not received, are ignored.
    pub fn mark_non_renegable(&mut self, tsn: Tsn) {
        let d = tsn.distance_from(self.cum_tsn);
        if d > 0 && self.received.contains(self.cum + d as u64) {
            self.non_renegable.insert(self.cum + d as u64);
        }
    }

    /// Handles the New Cumulative TSN of FORWARD-TSN or I-FORWARD-TSN (RFC 3758 §3.6): moves
    /// the cumulative TSN to it, forgets what lies below, then advances over TSNs that follow
    /// contiguously. Counts as DATA for the delayed-SACK rules. A value at or behind the
    /// cumulative TSN is out of date: nothing moves and a SACK is requested. Returns whether
    /// the cumulative TSN moved.
    pub fn handle_forward_tsn(&mut self, new_cum_tsn: Tsn) -> bool {
        self.start_packet();
        let d = new_cum_tsn.distance_from(self.cum_tsn);
        if d <= 0 {
            self.sack_now = true;
            return false;
        }
        self.packet.new_data = true;
        self.cum += d as u64;
        self.cum_tsn = new_cum_tsn;
        self.received.remove_through(self.cum);
        self.non_renegable.remove_through(self.cum);
        self.advance_cum();
        true
    }

    /// Ends the processing of one received packet and decides about the SACK (RFC 9260 §6.2,
    /// §6.7): immediately for the first DATA of the association, when the packet held a
    /// duplicate, a chunk with the I bit, when gaps
    /// exist or were just closed, or when it is the `sack_freq`-th packet with new data since
    /// the last SACK; otherwise the delayed-SACK timer is armed if it is not running.
    pub fn on_packet_processed(&mut self, now: Instant) {
        let p = core::mem::take(&mut self.packet);
        if !p.new_data && !p.duplicate {
            return;
        }
        if p.new_data {
            self.unacked_packets = self.unacked_packets.saturating_add(1);
        }
        let first = p.new_data && core::mem::take(&mut self.first_data);
        let immediate = first
            || p.duplicate
            || p.immediate
            || p.had_gaps
            || self.has_gaps()
            || self.unacked_packets >= self.config.sack_freq.max(1)
            || self.config.sack_delay.is_zero();
        if immediate {
            self.sack_now = true;
        } else if self.deadline.is_none() {
            self.deadline = Some(now + self.config.sack_delay);
        }
    }

    /// Whether the packet being processed carried DATA, new or duplicate (asked before
    /// [`on_packet_processed`](Self::on_packet_processed) closes it).
    pub fn packet_has_data(&self) -> bool {
        self.packet.new_data || self.packet.duplicate
    }

    /// Asks for a SACK at the next opportunity (for example a window update, an out-of-date
    /// FORWARD-TSN, or a SHUTDOWN that wants every packet acknowledged).
    pub fn request_sack(&mut self) {
        self.sack_now = true;
    }

    /// When the delayed-SACK timer fires, if it runs.
    pub fn sack_deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Fires the delayed-SACK timer if its deadline passed.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.deadline.is_some_and(|d| d <= now) {
            self.deadline = None;
            self.sack_now = true;
        }
    }

    /// Whether a SACK should be sent now.
    pub fn sack_due(&self) -> bool {
        self.sack_now
    }

    /// Whether anything is unacknowledged (a SACK would tell the peer something new): the
    /// association may bundle a SACK with outgoing data when this holds.
    pub fn sack_pending(&self) -> bool {
        self.sack_now || self.deadline.is_some() || !self.dup_tsns.is_empty()
    }

    /// Builds a SACK and clears the pending state (timer, packet count, duplicates).
    pub fn build_sack(&mut self, a_rwnd: u32) -> SackInfo {
        let gap_blocks = self.blocks(self.received.iter());
        SackInfo {
            cum_tsn: self.cum_tsn,
            a_rwnd,
            gap_blocks,
            dup_tsns: self.take_pending(),
        }
    }

    /// Builds an NR-SACK and clears the pending state like [`DataTracker::build_sack`].
    pub fn build_nr_sack(&mut self, a_rwnd: u32) -> NrSackInfo {
        let renegable = self.received.difference(&self.non_renegable);
        let gap_blocks = self.blocks(renegable.into_iter());
        let nr_gap_blocks = self.blocks(self.non_renegable.iter());
        NrSackInfo {
            cum_tsn: self.cum_tsn,
            a_rwnd,
            gap_blocks,
            nr_gap_blocks,
            dup_tsns: self.take_pending(),
        }
    }

    fn take_pending(&mut self) -> Vec<Tsn> {
        self.sack_now = false;
        self.deadline = None;
        self.unacked_packets = 0;
        core::mem::take(&mut self.dup_tsns)
    }

    fn blocks(&self, ranges: impl Iterator<Item = (u64, u64)>) -> Vec<GapAckBlock> {
        // Offsets fit in 16 bits: nothing is tracked more than `max_tsns_ahead` <= 65535 ahead.
        let offset = |v: u64| u16::try_from(v - self.cum).unwrap_or(u16::MAX);
        ranges
            .take(self.config.max_gap_blocks)
            .map(|(s, e)| GapAckBlock::new(offset(s), offset(e)))
            .collect()
    }

    fn tsn_at(&self, v: u64) -> Tsn {
        self.cum_tsn.add((v - self.cum) as u32)
    }

    fn start_packet(&mut self) {
        if !self.packet.started {
            self.packet.started = true;
            self.packet.had_gaps = self.has_gaps();
        }
    }

    /// Moves the cumulative TSN over a run of received TSNs that follows it.
    fn advance_cum(&mut self) {
        if let Some((start, end)) = self.received.first() {
            if start == self.cum + 1 {
                self.received.pop_first();
                self.non_renegable.remove_through(end);
                self.cum_tsn = self.tsn_at(end);
                self.cum = end;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn t(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    /// A tracker past its first DATA (which is acknowledged at once), so that tests see the
    /// delayed acknowledgement rules.
    fn tracker(initial: u32) -> DataTracker {
        let mut tr = DataTracker::new(Tsn(initial), TrackerConfig::default());
        tr.first_data = false;
        tr
    }

    #[test]
    fn the_first_data_is_acknowledged_at_once() {
        let mut tr = DataTracker::new(Tsn(1), TrackerConfig::default());
        packet(&mut tr, &[1], t(0));
        assert!(tr.sack_due());
        tr.build_sack(0);
        packet(&mut tr, &[2], t(10));
        assert!(!tr.sack_due(), "later DATA waits for the delayed SACK");
    }

    /// Observes one packet holding `tsns` at time `now`.
    fn packet(tr: &mut DataTracker, tsns: &[u32], now: Instant) {
        for &n in tsns {
            tr.observe(Tsn(n), false);
        }
        tr.on_packet_processed(now);
    }

    fn gaps(info: &SackInfo) -> Vec<(u16, u16)> {
        info.gap_blocks.iter().map(|b| (b.start, b.end)).collect()
    }

    #[test]
    fn starts_one_below_the_initial_tsn() {
        let tr = tracker(11);
        assert_eq!(tr.cumulative_tsn(), Tsn(10));
        assert!(!tr.sack_due() && tr.sack_deadline().is_none() && !tr.has_gaps());
        assert_eq!(tracker(0).cumulative_tsn(), Tsn(u32::MAX));
    }

    #[test]
    fn in_order_advances_the_cumulative_tsn() {
        let mut tr = tracker(11);
        assert_eq!(tr.observe(Tsn(11), false), Observed::New);
        assert_eq!(tr.observe(Tsn(12), false), Observed::New);
        assert_eq!(tr.cumulative_tsn(), Tsn(12));
        assert_eq!(tr.highest_received(), Tsn(12));
        let s = tr.build_sack(1000);
        assert_eq!(s.cum_tsn, Tsn(12));
        assert_eq!(s.a_rwnd, 1000);
        assert!(s.gap_blocks.is_empty() && s.dup_tsns.is_empty());
    }

    #[test]
    fn gaps_are_merged_blocks_relative_to_the_cumulative_tsn() {
        let mut tr = tracker(11);
        for n in [11, 13, 14, 16, 18, 17, 20] {
            assert_eq!(tr.observe(Tsn(n), false), Observed::New);
        }
        assert_eq!(tr.cumulative_tsn(), Tsn(11));
        assert_eq!(tr.highest_received(), Tsn(20));
        let s = tr.build_sack(0);
        assert_eq!(gaps(&s), vec![(2, 3), (5, 7), (9, 9)]);
        // Filling the holes moves the cumulative TSN over everything contiguous.
        tr.observe(Tsn(12), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(14));
        tr.observe(Tsn(15), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(18));
        assert_eq!(gaps(&tr.build_sack(0)), vec![(2, 2)]);
        tr.observe(Tsn(19), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(20));
        assert!(!tr.has_gaps());
    }

    #[test]
    fn duplicates_are_reported_once_and_bounded() {
        let mut tr = tracker(1);
        tr.observe(Tsn(1), false);
        tr.observe(Tsn(3), false);
        assert_eq!(tr.observe(Tsn(1), false), Observed::Duplicate);
        assert_eq!(tr.observe(Tsn(3), false), Observed::Duplicate);
        assert_eq!(tr.observe(Tsn(0), false), Observed::Duplicate);
        assert!(tr.is_received(Tsn(3)) && !tr.is_received(Tsn(2)));
        let s = tr.build_sack(0);
        assert_eq!(s.dup_tsns, vec![Tsn(1), Tsn(3), Tsn(0)]);
        assert!(tr.build_sack(0).dup_tsns.is_empty(), "reported once");
        for _ in 0..100 {
            tr.observe(Tsn(1), false);
        }
        assert_eq!(tr.build_sack(0).dup_tsns.len(), 20);
    }

    #[test]
    fn too_far_ahead_is_not_recorded() {
        let config = TrackerConfig {
            max_tsns_ahead: 100,
            ..TrackerConfig::default()
        };
        let mut tr = DataTracker::new(Tsn(1), config);
        assert_eq!(tr.observe(Tsn(100), false), Observed::New);
        assert_eq!(tr.observe(Tsn(101), false), Observed::TooFarAhead);
        assert_eq!(tr.classify(Tsn(101)), Observed::TooFarAhead);
        assert_eq!(tr.observe(Tsn(0x7fff_ffff), false), Observed::TooFarAhead);
        tr.on_packet_processed(t(0));
        assert_eq!(gaps(&tr.build_sack(0)), vec![(100, 100)]);
        // A huge configured window is capped to what a gap block can express.
        let big = TrackerConfig {
            max_tsns_ahead: u32::MAX,
            ..TrackerConfig::default()
        };
        let tr = DataTracker::new(Tsn(1), big);
        assert_eq!(tr.config().max_tsns_ahead, 65535);
        assert_eq!(tr.classify(Tsn(65535)), Observed::New);
        assert_eq!(tr.classify(Tsn(65536)), Observed::TooFarAhead);
    }

    #[test]
    fn tsn_wrap_around() {
        let mut tr = tracker(u32::MAX - 2);
        assert_eq!(tr.cumulative_tsn(), Tsn(u32::MAX - 3));
        for n in [u32::MAX - 2, u32::MAX - 1, 1, 2] {
            assert_eq!(tr.observe(Tsn(n), false), Observed::New);
        }
        assert_eq!(tr.cumulative_tsn(), Tsn(u32::MAX - 1));
        assert_eq!(gaps(&tr.build_sack(0)), vec![(3, 4)]);
        tr.observe(Tsn(u32::MAX), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(u32::MAX));
        tr.observe(Tsn(0), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(2));
        assert_eq!(tr.observe(Tsn(u32::MAX), false), Observed::Duplicate);
        assert!(!tr.has_gaps());
    }

    #[test]
    fn every_second_packet_is_acknowledged() {
        let mut tr = tracker(1);
        packet(&mut tr, &[1], t(0));
        assert!(!tr.sack_due());
        assert_eq!(tr.sack_deadline(), Some(t(200)));
        packet(&mut tr, &[2, 3], t(10));
        assert!(tr.sack_due());
        tr.build_sack(0);
        assert!(!tr.sack_due() && tr.sack_deadline().is_none());
        packet(&mut tr, &[4], t(20));
        assert!(!tr.sack_due());
        assert_eq!(tr.sack_deadline(), Some(t(220)));
    }

    #[test]
    fn delayed_sack_timer_fires_after_200_ms() {
        let mut tr = tracker(1);
        packet(&mut tr, &[1], t(1000));
        tr.handle_timeout(t(1000) + 199 * MS);
        assert!(!tr.sack_due());
        tr.handle_timeout(t(1200));
        assert!(tr.sack_due());
        assert!(tr.sack_deadline().is_none());
        assert_eq!(tr.build_sack(0).cum_tsn, Tsn(1));
        // A packet without DATA neither arms nor triggers anything.
        tr.on_packet_processed(t(1300));
        assert!(!tr.sack_due() && tr.sack_deadline().is_none() && !tr.sack_pending());
    }

    #[test]
    fn timer_is_not_restarted_by_later_packets() {
        let config = TrackerConfig {
            sack_freq: 5,
            ..TrackerConfig::default()
        };
        let mut tr = DataTracker::new(Tsn(1), config);
        tr.first_data = false;
        packet(&mut tr, &[1], t(0));
        packet(&mut tr, &[2], t(150));
        assert_eq!(tr.sack_deadline(), Some(t(200)));
        tr.handle_timeout(t(200));
        assert!(tr.sack_due());
    }

    #[test]
    fn gap_triggers_an_immediate_sack_and_so_does_closing_it() {
        let mut tr = tracker(1);
        packet(&mut tr, &[2], t(0));
        assert!(tr.sack_due());
        assert_eq!(gaps(&tr.build_sack(0)), vec![(2, 2)]);
        packet(&mut tr, &[1], t(5));
        assert!(tr.sack_due(), "the gap was just filled");
        assert_eq!(tr.build_sack(0).cum_tsn, Tsn(2));
        packet(&mut tr, &[3], t(10));
        assert!(!tr.sack_due(), "back to delayed acknowledgement");
    }

    #[test]
    fn duplicate_triggers_an_immediate_sack() {
        let mut tr = tracker(1);
        packet(&mut tr, &[1], t(0));
        assert!(!tr.sack_due());
        packet(&mut tr, &[1], t(1));
        assert!(tr.sack_due());
        assert_eq!(tr.build_sack(0).dup_tsns, vec![Tsn(1)]);
    }

    #[test]
    fn i_bit_triggers_an_immediate_sack() {
        let mut tr = tracker(1);
        tr.observe(Tsn(1), true);
        tr.on_packet_processed(t(0));
        assert!(tr.sack_due());
        assert!(tr.sack_deadline().is_none());
    }

    #[test]
    fn sack_freq_one_and_zero_delay_acknowledge_every_packet() {
        for config in [
            TrackerConfig {
                sack_freq: 1,
                ..TrackerConfig::default()
            },
            TrackerConfig {
                sack_delay: Duration::ZERO,
                ..TrackerConfig::default()
            },
        ] {
            let mut tr = DataTracker::new(Tsn(1), config);
            packet(&mut tr, &[1], t(0));
            assert!(tr.sack_due());
        }
    }

    #[test]
    fn forward_tsn_skips_and_absorbs() {
        // RFC 3758 §3.6's example: 102 received, 103 missing, 104-105 received, 106 missing,
        // 107 received; FORWARD-TSN to 103 moves the cumulative TSN to 105.
        let mut tr = tracker(102);
        for n in [102, 104, 105, 107] {
            tr.observe(Tsn(n), false);
        }
        tr.mark_non_renegable(Tsn(104));
        tr.on_packet_processed(t(0));
        tr.build_sack(0);
        assert!(tr.handle_forward_tsn(Tsn(103)));
        assert_eq!(tr.cumulative_tsn(), Tsn(105));
        tr.on_packet_processed(t(1));
        assert!(tr.sack_due(), "gaps remain");
        let s = tr.build_nr_sack(0);
        assert_eq!(s.cum_tsn, Tsn(105));
        assert_eq!(s.gap_blocks, vec![GapAckBlock::new(2, 2)]);
        assert!(s.nr_gap_blocks.is_empty());
        // Out of date: nothing moves, a SACK is asked for.
        assert!(!tr.handle_forward_tsn(Tsn(104)));
        assert!(tr.sack_due());
        // Beyond everything received.
        assert!(tr.handle_forward_tsn(Tsn(200)));
        assert_eq!(tr.cumulative_tsn(), Tsn(200));
        assert!(!tr.has_gaps());
        assert_eq!(tr.observe(Tsn(150), false), Observed::Duplicate);
    }

    #[test]
    fn forward_tsn_follows_the_delayed_sack_rules() {
        let mut tr = tracker(1);
        packet(&mut tr, &[1], t(0));
        tr.build_sack(0);
        tr.handle_forward_tsn(Tsn(5));
        tr.on_packet_processed(t(10));
        assert!(!tr.sack_due());
        assert_eq!(tr.sack_deadline(), Some(t(210)));
    }

    #[test]
    fn nr_sack_splits_renegable_and_non_renegable() {
        let mut tr = tracker(1);
        for n in [3, 4, 5, 6, 8, 9] {
            tr.observe(Tsn(n), false);
        }
        tr.mark_non_renegable(Tsn(4));
        tr.mark_non_renegable(Tsn(5));
        tr.mark_non_renegable(Tsn(9));
        tr.mark_non_renegable(Tsn(7)); // not received: ignored
        tr.mark_non_renegable(Tsn(0)); // below the cumulative TSN: ignored
        let s = tr.build_nr_sack(5000);
        let pairs = |v: &[GapAckBlock]| v.iter().map(|b| (b.start, b.end)).collect::<Vec<_>>();
        assert_eq!(pairs(&s.gap_blocks), vec![(3, 3), (6, 6), (8, 8)]);
        assert_eq!(pairs(&s.nr_gap_blocks), vec![(4, 5), (9, 9)]);
        // A plain SACK reports everything.
        assert_eq!(gaps(&tr.build_sack(0)), vec![(3, 6), (8, 9)]);
        // The chunk view emits.
        let c = s.chunk();
        let mut buf = vec![0u8; c.buffer_len()];
        assert_eq!(c.emit(&mut buf), Ok(buf.len()));
        // Moving the cumulative TSN drops the marks below it.
        tr.observe(Tsn(1), false);
        tr.observe(Tsn(2), false);
        tr.observe(Tsn(7), false);
        assert_eq!(tr.cumulative_tsn(), Tsn(9));
        let s = tr.build_nr_sack(0);
        assert!(s.gap_blocks.is_empty() && s.nr_gap_blocks.is_empty());
    }

    #[test]
    fn gap_blocks_are_capped() {
        let config = TrackerConfig {
            max_gap_blocks: 3,
            ..TrackerConfig::default()
        };
        let mut tr = DataTracker::new(Tsn(1), config);
        for n in (3..40).step_by(2) {
            tr.observe(Tsn(n), false);
        }
        let s = tr.build_sack(0);
        assert_eq!(gaps(&s), vec![(3, 3), (5, 5), (7, 7)]);
        let c = s.chunk();
        let mut buf = vec![0u8; c.buffer_len()];
        assert!(c.emit(&mut buf).is_ok());
    }
}
