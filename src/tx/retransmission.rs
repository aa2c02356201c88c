//! Data in flight: TSN assignment, SACK processing (RFC 9260 §6.2.1), fast retransmit and
//! Fast Recovery (§7.2.4), T3-rtx expiry (§6.3.3), the sending rules of §6.1 (cwnd, peer
//! rwnd, zero window probe, retransmissions first), Nagle, and PR-SCTP on the sender side
//! (RFC 3758 §3.5: abandonment, Advanced.Peer.Ack.Point, FORWARD TSN; RFC 8260 §2.3:
//! I-FORWARD-TSN).
//!
//! Chunks are kept in TSN order from the cumulative TSN ack point + 1 to the last TSN sent,
//! so a TSN is found by its distance from the ack point. Flight size counts DATA payload
//! bytes of chunks sent and neither acknowledged, abandoned nor marked for retransmission.
//!
//! Timers belong to the association: it starts T3-rtx for a path when `next_packet` returns
//! chunks for it and the timer is not running (§6.3.2 R1), follows the [`T3Action`]s of
//! [`SackOutcome`] (R2, R3), and on expiry calls [`RetransmissionQueue::on_t3_timeout`] and
//! backs off the path's RTO (E2).

mod buffer_policy;

use super::congestion::{CongestionConfig, CongestionControl};
use super::send_queue::{OutgoingChunk, SendQueue, StreamSeq};
use super::{AbandonedMessage, MessageId, PathId, Payload, PrPolicy};
use crate::types::{Instant, Mid, Ssn, StreamId, Tsn};
use crate::wire::chunk::{ForwardTsnStream, GapAckBlock, IForwardTsnStream};
use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

/// Length of a DATA chunk header (RFC 9260 §3.3.1).
const DATA_HEADER_LEN: usize = 16;
/// Length of an I-DATA chunk header (RFC 8260 §2.1).
const IDATA_HEADER_LEN: usize = 20;
/// IPv6 header and SCTP common header: what a packet needs besides its chunks, at most.
const OVERHEAD_WORST_CASE: usize = 40 + 12;

/// Settings of the retransmission queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetransmissionConfig {
    /// Our initial TSN (from our INIT or INIT ACK).
    pub initial_tsn: Tsn,
    /// The peer's a_rwnd from its INIT or INIT ACK (§6.2.1 A).
    pub peer_rwnd: u32,
    /// I-DATA / I-FORWARD-TSN instead of DATA / FORWARD TSN.
    pub interleaving: bool,
    /// SCTP_NODELAY: no Nagle.
    pub nodelay: bool,
    /// Chunks kept between the cumulative TSN ack point and the last TSN sent, at most.
    pub max_outstanding_chunks: usize,
    /// The largest fragment payload the user allows (SCTP_MAXSEG); 0 for no limit beyond the
    /// path MTU.
    pub max_fragment: usize,
    /// Template for each path's congestion control (the MTU is given per path).
    pub congestion: CongestionConfig,
}

impl Default for RetransmissionConfig {
    fn default() -> Self {
        RetransmissionConfig {
            initial_tsn: Tsn(0),
            peer_rwnd: 65536,
            interleaving: false,
            nodelay: false,
            max_outstanding_chunks: 8192,
            max_fragment: 0,
            congestion: CongestionConfig::default(),
        }
    }
}

/// What the association does with a path's T3-rtx timer after a SACK (§6.3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum T3Action {
    /// R2: nothing is outstanding on the path any more.
    Stop,
    /// R3: the earliest outstanding TSN on the path was acknowledged; restart with the RTO.
    Restart,
    /// §6.2.1 D iii: the peer reneged on data sent on the path; start the timer unless it runs.
    StartIfNotRunning,
}

/// The result of a SACK.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SackOutcome {
    /// The cumulative TSN ack was below ours: an old, reordered SACK, ignored entirely.
    pub ignored_as_old: bool,
    /// The cumulative TSN ack point moved forward.
    pub cum_ack_advanced: bool,
    /// Payload bytes newly acknowledged, per path they were last sent on.
    pub acked_bytes: Vec<(PathId, usize)>,
    /// RTT measurements (§6.3.1 C4-C5, Karn's rule: only chunks sent once), per path.
    pub rtt_samples: Vec<(PathId, Duration)>,
    /// Chunks reached the third miss indication and are marked for fast retransmission.
    pub fast_retransmit: bool,
    /// Fast Recovery was entered (cwnd of the affected paths halved).
    pub entered_fast_recovery: bool,
    /// Timer changes, at most one per path.
    pub t3: Vec<(PathId, T3Action)>,
    /// A FORWARD TSN should be sent (RFC 3758 C3).
    pub forward_tsn_needed: bool,
    /// Gap blocks reached beyond the highest TSN sent (they were clipped).
    pub gap_beyond_sent: bool,
}

impl SackOutcome {
    /// Total payload bytes newly acknowledged.
    pub fn total_acked(&self) -> usize {
        self.acked_bytes.iter().map(|&(_, b)| b).sum()
    }
}

/// A SACK that cannot be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SackError {
    /// The cumulative TSN ack is beyond the highest TSN sent: a protocol violation the
    /// association may answer with ABORT. Nothing was changed.
    CumAckBeyondSent,
}

/// The result of a T3-rtx expiry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct T3Outcome {
    /// Chunks marked for retransmission.
    pub marked: usize,
    /// A FORWARD TSN should be sent.
    pub forward_tsn_needed: bool,
}

/// A chunk to put on the wire now, with its TSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentChunk {
    pub tsn: Tsn,
    pub chunk: OutgoingChunk,
    pub retransmission: bool,
    /// A retransmission because of a fast retransmit (RFC 9260 §7.2.4), not a timeout.
    pub fast_retransmission: bool,
}

/// The content of a FORWARD TSN (RFC 3758 §3.2) or I-FORWARD-TSN (RFC 8260 §2.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardTsnContent {
    pub new_cum_tsn: Tsn,
    /// FORWARD TSN: per stream, the largest SSN of an abandoned ordered message.
    pub streams: Vec<ForwardTsnStream>,
    /// I-FORWARD-TSN: per stream and ordering, the largest MID abandoned.
    pub istreams: Vec<IForwardTsnStream>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Sent, counted in flight.
    InFlight,
    /// Acknowledged by a gap block (the peer may still renege).
    Acked,
    /// Marked for retransmission, not in flight.
    Retransmit,
    /// Given up (PR-SCTP); released from the send buffer.
    Abandoned,
}

#[derive(Debug, Clone)]
struct Entry {
    chunk: OutgoingChunk,
    path: PathId,
    sent_at: Instant,
    /// Times sent; 0 for the placeholder of an abandoned message's unsent tail.
    transmissions: u32,
    state: State,
    misses: u8,
    /// Marked by fast retransmit and not yet resent.
    fast: bool,
    /// Already fast-retransmitted: no second fast retransmit (§7.2.4 step 5).
    fast_done: bool,
    /// Acknowledged in an NR gap block: the peer keeps it whatever happens, so its bytes went
    /// back to the send buffer and its payload was dropped (`free_non_renegable`).
    nr_acked: bool,
}

impl Entry {
    fn len(&self) -> usize {
        self.chunk.payload.len()
    }
}

#[derive(Debug, Clone)]
struct PathState {
    id: PathId,
    cc: CongestionControl,
    flight: usize,
    /// The TSN timed for an RTT measurement (one per round trip, §6.3.1 C4).
    rtt_probe: Option<Tsn>,
}

/// Outstanding data of one association.
#[derive(Debug)]
pub struct RetransmissionQueue {
    config: RetransmissionConfig,
    paths: Vec<PathState>,
    next_tsn: Tsn,
    cum_ack: Tsn,
    advanced_peer_ack: Tsn,
    /// `entries[i]` holds TSN `cum_ack + 1 + i`.
    entries: VecDeque<Entry>,
    flight: usize,
    to_retransmit: usize,
    peer_rwnd: usize,
    fast_recovery_exit: Option<Tsn>,
    /// One packet of fast retransmissions may ignore cwnd (§7.2.4 step 3).
    fast_packet_pending: bool,
    forward_tsn_pending: bool,
    abandoned: Vec<AbandonedMessage>,
    /// Some entry may carry a TTL: `abandon_expired` has work to look for. Cleared when the
    /// queue empties, so that associations that never use TTLs never scan for them.
    ttl_seen: bool,
}

fn pad4(n: usize) -> usize {
    n.saturating_add(3) & !3
}

impl RetransmissionQueue {
    pub fn new(config: RetransmissionConfig) -> Self {
        let before = config.initial_tsn.add(u32::MAX);
        RetransmissionQueue {
            config,
            paths: Vec::new(),
            next_tsn: config.initial_tsn,
            cum_ack: before,
            advanced_peer_ack: before,
            entries: VecDeque::new(),
            flight: 0,
            to_retransmit: 0,
            peer_rwnd: usize::try_from(config.peer_rwnd).unwrap_or(usize::MAX),
            fast_recovery_exit: None,
            ttl_seen: false,
            fast_packet_pending: false,
            forward_tsn_pending: false,
            abandoned: Vec::new(),
        }
    }

    // ----- paths -----

    /// Adds a destination with its path MTU (no effect if it exists).
    pub fn add_path(&mut self, id: PathId, mtu: usize) {
        if self.path_index(id).is_some() {
            return;
        }
        let cfg = CongestionConfig {
            mtu,
            ..self.config.congestion
        };
        let rwnd = u32::try_from(self.peer_rwnd).unwrap_or(u32::MAX);
        self.paths.push(PathState {
            id,
            cc: CongestionControl::new(cfg, rwnd),
            flight: 0,
            rtt_probe: None,
        });
    }

    /// Removes a destination; its chunks in flight are marked for retransmission elsewhere.
    pub fn remove_path(&mut self, id: PathId, send_queue: &mut SendQueue) {
        self.mark_path_for_retransmission(id, send_queue);
        self.paths.retain(|p| p.id != id);
    }

    /// Sends small messages at once instead of waiting to bundle them (SCTP_NODELAY).
    pub fn set_nodelay(&mut self, nodelay: bool) {
        self.config.nodelay = nodelay;
    }

    /// A user limit on the fragment size (SCTP_MAXSEG), 0 for none.
    pub fn set_max_fragment(&mut self, max_fragment: usize) {
        self.config.max_fragment = max_fragment;
    }

    pub fn set_path_mtu(&mut self, id: PathId, mtu: usize) {
        if let Some(i) = self.path_index(id) {
            self.paths[i].cc.set_mtu(mtu);
        }
    }

    pub fn congestion(&self, id: PathId) -> Option<&CongestionControl> {
        self.path_index(id).map(|i| &self.paths[i].cc)
    }

    /// For §7.2.1 idle reduction (`on_idle_rto`) and the like.
    pub fn congestion_mut(&mut self, id: PathId) -> Option<&mut CongestionControl> {
        self.path_index(id).map(|i| &mut self.paths[i].cc)
    }

    /// Max.Burst: call once before each round of sending on `id`.
    pub fn limit_burst(&mut self, id: PathId) {
        if let Some(i) = self.path_index(id) {
            let flight = self.paths[i].flight;
            self.paths[i].cc.limit_burst(flight);
        }
    }

    fn path_index(&self, id: PathId) -> Option<usize> {
        self.paths.iter().position(|p| p.id == id)
    }

    // ----- getters -----

    /// Total flight size in payload bytes.
    pub fn flight_size(&self) -> usize {
        self.flight
    }

    pub fn path_flight_size(&self, id: PathId) -> usize {
        self.path_index(id).map_or(0, |i| self.paths[i].flight)
    }

    /// The peer's receive window as we estimate it (§6.2.1).
    pub fn peer_rwnd(&self) -> usize {
        self.peer_rwnd
    }

    /// The cumulative TSN ack point.
    pub fn cum_tsn_ack(&self) -> Tsn {
        self.cum_ack
    }

    /// The TSN the next new chunk gets.
    pub fn next_tsn(&self) -> Tsn {
        self.next_tsn
    }

    /// RFC 3758 Advanced.Peer.Ack.Point.
    pub fn advanced_peer_ack_point(&self) -> Tsn {
        self.advanced_peer_ack
    }

    pub fn in_fast_recovery(&self) -> bool {
        self.fast_recovery_exit.is_some()
    }

    /// Chunks between the ack point and the last TSN sent.
    pub fn outstanding_chunks(&self) -> usize {
        self.entries.len()
    }

    /// True when every TSN sent is acknowledged (or abandoned and forwarded): SHUTDOWN may go.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True while data sent on `id` is in flight.
    pub fn has_in_flight(&self, id: PathId) -> bool {
        self.path_flight_size(id) > 0
    }

    /// True when chunks wait for retransmission.
    pub fn has_retransmissions(&self) -> bool {
        self.to_retransmit > 0
    }

    fn tsn_at(&self, idx: usize) -> Tsn {
        // idx < entries.len() <= u32::MAX by construction of TSN distances.
        self.cum_ack
            .add(u32::try_from(idx).unwrap_or(u32::MAX).wrapping_add(1))
    }

    fn index_of(&self, tsn: Tsn) -> Option<usize> {
        let d = i64::from(tsn.distance_from(self.cum_ack)) - 1;
        let idx = usize::try_from(d).ok()?;
        (idx < self.entries.len()).then_some(idx)
    }

    // ----- flight bookkeeping -----

    fn remove_from_flight(&mut self, idx: usize) {
        let (path, len) = (self.entries[idx].path, self.entries[idx].len());
        self.flight = self.flight.saturating_sub(len);
        if let Some(p) = self.path_index(path) {
            self.paths[p].flight = self.paths[p].flight.saturating_sub(len);
        }
    }

    fn add_to_flight(&mut self, idx: usize) {
        let (path, len) = (self.entries[idx].path, self.entries[idx].len());
        self.flight += len;
        if let Some(p) = self.path_index(path) {
            self.paths[p].flight += len;
        }
    }

    fn clear_probe(&mut self, idx: usize) {
        let tsn = self.tsn_at(idx);
        for p in &mut self.paths {
            if p.rtt_probe == Some(tsn) {
                p.rtt_probe = None;
            }
        }
    }

    /// Marks chunk `idx` (in flight) for retransmission, or abandons its message when its
    /// PR-SCTP limit of retransmissions is reached.
    fn mark_for_retransmission(&mut self, idx: usize, fast: bool, send_queue: &mut SendQueue) {
        self.remove_from_flight(idx);
        self.clear_probe(idx);
        let e = &mut self.entries[idx];
        let over_limit = match e.chunk.pr {
            PrPolicy::Rtx {
                max_retransmissions,
            } => e.transmissions > max_retransmissions,
            _ => false,
        };
        e.state = State::Retransmit;
        e.misses = 0;
        e.fast = fast;
        self.to_retransmit += 1;
        if over_limit {
            let (stream, id) = (e.chunk.stream_id, e.chunk.message_id);
            self.abandon_message(stream, id, send_queue);
        }
    }

    fn mark_path_for_retransmission(&mut self, path: PathId, send_queue: &mut SendQueue) -> usize {
        let mut marked = 0;
        for idx in 0..self.entries.len() {
            let e = &self.entries[idx];
            if e.path == path && e.state == State::InFlight {
                self.mark_for_retransmission(idx, false, send_queue);
                marked += 1;
            }
        }
        marked
    }

    // ----- SACK -----

    /// Processes a SACK (§6.2.1 D). For an NR-SACK, pass the gap blocks and the NR gap
    /// blocks chained. The peer's claims are checked: blocks that are empty, reversed or
    /// start at 0 are skipped, blocks past the highest TSN sent are clipped.
    pub fn handle_sack(
        &mut self,
        now: Instant,
        cum_tsn_ack: Tsn,
        a_rwnd: u32,
        gap_blocks: impl IntoIterator<Item = GapAckBlock>,
        send_queue: &mut SendQueue,
    ) -> Result<SackOutcome, SackError> {
        let mut out = SackOutcome::default();
        let d = cum_tsn_ack.distance_from(self.cum_ack);
        if d < 0 {
            // D i: older than our ack point.
            out.ignored_as_old = true;
            return Ok(out);
        }
        let advance = usize::try_from(d).unwrap_or(usize::MAX);
        if advance > self.entries.len() {
            return Err(SackError::CumAckBeyondSent);
        }
        let was_in_fast_recovery = self.in_fast_recovery();
        let flight_before: Vec<usize> = self.paths.iter().map(|p| p.flight).collect();
        let mut acked: Vec<usize> = vec![0; self.paths.len()];
        // The earliest TSN in flight on each path, for R3.
        let mut earliest: Vec<Option<Tsn>> = vec![None; self.paths.len()];
        let mut found = 0;
        for (idx, e) in self.entries.iter().enumerate() {
            if found == earliest.len() {
                break;
            }
            if e.state == State::InFlight {
                if let Some(p) = self.path_index(e.path) {
                    if earliest[p].is_none() {
                        earliest[p] = Some(self.tsn_at(idx));
                        found += 1;
                    }
                }
            }
        }
        let mut highest_newly_acked: Option<Tsn> = None;

        // The cumulative part.
        for _ in 0..advance {
            let tsn = self.cum_ack.next();
            let Some(e) = self.entries.pop_front() else {
                break;
            };
            self.cum_ack = tsn;
            match e.state {
                State::InFlight | State::Retransmit => {
                    if e.state == State::InFlight {
                        self.flight = self.flight.saturating_sub(e.len());
                        if let Some(p) = self.path_index(e.path) {
                            self.paths[p].flight = self.paths[p].flight.saturating_sub(e.len());
                        }
                    } else {
                        self.to_retransmit -= 1;
                    }
                    self.newly_acked(&e, tsn, now, &mut acked, &mut out);
                    highest_newly_acked = Some(tsn);
                    send_queue.release(e.len());
                }
                State::Acked if e.nr_acked => {}
                State::Acked => send_queue.release(e.len()),
                State::Abandoned => {}
            }
        }
        out.cum_ack_advanced = advance > 0;
        if self.advanced_peer_ack < self.cum_ack {
            self.advanced_peer_ack = self.cum_ack;
        }
        if let Some(exit) = self.fast_recovery_exit {
            // D iv.
            if self.cum_ack >= exit {
                self.fast_recovery_exit = None;
            }
        }

        // Gap blocks, as sorted and merged index ranges over `entries`.
        let len = self.entries.len();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for b in gap_blocks {
            if b.start == 0 || b.start > b.end {
                continue;
            }
            let lo = usize::from(b.start) - 1;
            let hi = usize::from(b.end) - 1;
            if hi >= len {
                out.gap_beyond_sent = true;
            }
            if lo < len {
                ranges.push((lo, hi.min(len - 1)));
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (lo, hi) in ranges {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        let highest_reported = merged.last().map(|&(_, hi)| hi);
        let mut covered = vec![false; len];
        for &(lo, hi) in &merged {
            covered[lo..=hi].iter_mut().for_each(|c| *c = true);
        }
        let mut reneged_paths: Vec<PathId> = Vec::new();
        for (idx, &is_covered) in covered.iter().enumerate() {
            let state = self.entries[idx].state;
            if is_covered {
                match state {
                    State::InFlight | State::Retransmit => {
                        if state == State::InFlight {
                            self.remove_from_flight(idx);
                        } else {
                            self.to_retransmit -= 1;
                        }
                        let tsn = self.tsn_at(idx);
                        let e = self.entries[idx].clone();
                        self.newly_acked(&e, tsn, now, &mut acked, &mut out);
                        highest_newly_acked = Some(tsn);
                        let e = &mut self.entries[idx];
                        e.state = State::Acked;
                        e.fast = false;
                    }
                    State::Acked | State::Abandoned => {}
                }
            } else if state == State::Acked && !self.entries[idx].nr_acked {
                // D iii: the peer reneged. Back in flight, one miss indication.
                let e = &mut self.entries[idx];
                e.state = State::InFlight;
                e.misses = e.misses.saturating_add(1);
                let path = e.path;
                self.add_to_flight(idx);
                if !reneged_paths.contains(&path) {
                    reneged_paths.push(path);
                }
            }
        }

        // Miss indications (§7.2.4, HTNA; in Fast Recovery with a new cumulative ack, every
        // TSN reported missing counts).
        let htna = highest_newly_acked.and_then(|t| self.index_of(t));
        let all_missing = was_in_fast_recovery && out.cum_ack_advanced;
        let limit = match (htna, all_missing.then_some(highest_reported).flatten()) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let mut fast_paths: Vec<PathId> = Vec::new();
        if let Some(limit) = limit {
            for (idx, &is_covered) in covered.iter().enumerate().take(limit) {
                let e = &mut self.entries[idx];
                if is_covered || e.state != State::InFlight || e.fast_done {
                    continue;
                }
                e.misses = e.misses.saturating_add(1);
                if e.misses >= 3 {
                    let path = e.path;
                    self.mark_for_retransmission(idx, true, send_queue);
                    if !fast_paths.contains(&path) {
                        fast_paths.push(path);
                    }
                }
            }
        }

        // Congestion control.
        let in_fr = self.in_fast_recovery();
        for (p, &bytes) in acked.iter().enumerate() {
            if bytes > 0 {
                let cc = &mut self.paths[p].cc;
                cc.on_ack(bytes, out.cum_ack_advanced, flight_before[p], in_fr);
                out.acked_bytes.push((self.paths[p].id, bytes));
            }
            if self.paths[p].flight == 0 {
                self.paths[p].cc.on_all_acked();
            }
        }
        if !fast_paths.is_empty() {
            out.fast_retransmit = true;
            self.fast_packet_pending = true;
            if !in_fr {
                // Step 2: enter Fast Recovery; exit once the highest TSN outstanding now is
                // acknowledged.
                self.fast_recovery_exit = Some(self.next_tsn.add(u32::MAX));
                out.entered_fast_recovery = true;
                for path in &fast_paths {
                    if let Some(p) = self.path_index(*path) {
                        self.paths[p].cc.on_fast_retransmit();
                    }
                }
            }
        }

        // D ii.
        self.peer_rwnd = usize::try_from(a_rwnd)
            .unwrap_or(usize::MAX)
            .saturating_sub(self.flight);

        // PR-SCTP: abandon what expired, then C1/C2/C3.
        self.abandon_expired(now, send_queue);
        self.advance_peer_ack_point();
        if self.advanced_peer_ack > self.cum_ack {
            self.forward_tsn_pending = true;
            out.forward_tsn_needed = true;
        }

        // Timers.
        for (p, first) in earliest.iter().enumerate() {
            let id = self.paths[p].id;
            let action = if self.paths[p].flight == 0 {
                first.map(|_| T3Action::Stop)
            } else if reneged_paths.contains(&id) {
                Some(T3Action::StartIfNotRunning)
            } else {
                first
                    .filter(|&t| !self.is_in_flight(t))
                    .map(|_| T3Action::Restart)
            };
            if let Some(a) = action {
                out.t3.push((id, a));
            }
        }
        for id in reneged_paths {
            if !out.t3.iter().any(|&(p, _)| p == id) {
                out.t3.push((id, T3Action::StartIfNotRunning));
            }
        }
        Ok(out)
    }

    fn is_in_flight(&self, tsn: Tsn) -> bool {
        self.index_of(tsn)
            .is_some_and(|i| self.entries[i].state == State::InFlight)
    }

    /// Bookkeeping of one newly acknowledged chunk: bytes per path and an RTT sample.
    fn newly_acked(
        &mut self,
        e: &Entry,
        tsn: Tsn,
        now: Instant,
        acked: &mut [usize],
        out: &mut SackOutcome,
    ) {
        let Some(p) = self.path_index(e.path) else {
            return;
        };
        acked[p] += e.len();
        if self.paths[p].rtt_probe == Some(tsn) {
            self.paths[p].rtt_probe = None;
            // Karn's rule: only a chunk sent exactly once gives a measurement.
            if e.transmissions == 1 {
                out.rtt_samples.push((e.path, now - e.sent_at));
            }
        }
    }

    // ----- T3-rtx -----

    /// §6.3.3: T3-rtx expired on `path`. Its chunks in flight are marked for retransmission
    /// (E3; `next_packet` sends them first, within the collapsed cwnd) and the path's cwnd
    /// collapses (E1, §7.2.3). The association backs off the RTO (E2) and restarts the timer.
    pub fn on_t3_timeout(
        &mut self,
        now: Instant,
        path: PathId,
        send_queue: &mut SendQueue,
    ) -> T3Outcome {
        let marked = self.mark_path_for_retransmission(path, send_queue);
        if let Some(p) = self.path_index(path) {
            self.paths[p].cc.on_t3_timeout();
            self.paths[p].rtt_probe = None;
        }
        self.abandon_expired(now, send_queue);
        self.advance_peer_ack_point();
        let forward = self.advanced_peer_ack > self.cum_ack;
        if forward {
            self.forward_tsn_pending = true;
        }
        T3Outcome {
            marked,
            forward_tsn_needed: forward,
        }
    }

    // ----- sending -----

    /// Fills one packet for `path` with at most `space` bytes of DATA or I-DATA chunks
    /// (headers and padding included): first chunks marked for retransmission (§6.1 C; one
    /// packet after a fast retransmit ignores cwnd, §7.2.4 step 3), then new data from
    /// `send_queue` while cwnd (§6.1 B) and the peer's rwnd (§6.1 A, with the zero window
    /// probe) allow, and Nagle unless `nodelay`. A message is only fragmented at the size
    /// an empty packet of `space` bytes allows, never to fill the rest of a packet. A
    /// retransmission too large for any packet within the path MTU (the MTU shrank after it
    /// was cut) is returned alone, oversized, for IP fragmentation. Returns nothing for an
    /// unknown path.
    pub fn next_packet(
        &mut self,
        now: Instant,
        path: PathId,
        space: usize,
        send_queue: &mut SendQueue,
    ) -> Vec<SentChunk> {
        let mut out = Vec::new();
        let Some(p) = self.path_index(path) else {
            return out;
        };
        self.abandon_expired(now, send_queue);
        let header = self.chunk_header_len();
        let mut full_payload = space.saturating_sub(header) & !3;
        if self.config.max_fragment > 0 {
            full_payload = full_payload.min(self.config.max_fragment & !3).max(4);
        }
        let mut left = space;

        if self.to_retransmit > 0 {
            let fast = std::mem::take(&mut self.fast_packet_pending);
            for idx in 0..self.entries.len() {
                if self.entries[idx].state != State::Retransmit {
                    continue;
                }
                let wire = header + pad4(self.entries[idx].len());
                // Too big for any packet on this path now (its MTU shrank): sent alone.
                let never_fits = wire + OVERHEAD_WORST_CASE > self.paths[p].cc.mtu();
                let fits = wire <= left || (out.is_empty() && never_fits);
                if !fits || !(fast || self.paths[p].cc.can_send(self.paths[p].flight)) {
                    break;
                }
                left = left.saturating_sub(wire);
                let e = &mut self.entries[idx];
                e.state = State::InFlight;
                e.path = path;
                e.sent_at = now;
                e.transmissions = e.transmissions.saturating_add(1);
                let fast_retransmission = e.fast;
                if e.fast {
                    e.fast = false;
                    e.fast_done = true;
                }
                let len = e.len();
                let chunk = e.chunk.clone();
                self.to_retransmit -= 1;
                self.add_to_flight(idx);
                self.peer_rwnd = self.peer_rwnd.saturating_sub(len);
                out.push(SentChunk {
                    tsn: self.tsn_at(idx),
                    chunk,
                    retransmission: true,
                    fast_retransmission,
                });
            }
        }

        loop {
            if self.entries.len() >= self.config.max_outstanding_chunks
                || !self.paths[p].cc.can_send(self.paths[p].flight)
                // §6.1 A: with a zero window only one chunk may be in flight (the probe).
                || (self.peer_rwnd == 0 && self.flight > 0)
                || left <= header
            {
                break;
            }
            let mut room = (left - header) & !3;
            if self.flight > 0 {
                // §6.1 A: no new chunk larger than the peer's window while data is in flight
                // (with nothing in flight one chunk may probe a closed window).
                room = room.min(self.peer_rwnd);
            }
            if room == 0 {
                break;
            }
            if !self.config.nodelay
                && self.flight > 0
                && out.is_empty()
                && send_queue.queued_bytes() < full_payload
            {
                // Nagle: small data waits while data is outstanding.
                break;
            }
            let Some(chunk) = send_queue.next_chunk_within(now, full_payload, room) else {
                break;
            };
            let len = chunk.payload.len();
            left = left.saturating_sub(header + pad4(len));
            let tsn = self.next_tsn;
            self.next_tsn = tsn.next();
            self.ttl_seen |= matches!(chunk.pr, PrPolicy::Ttl { .. });
            self.entries.push_back(Entry {
                chunk: chunk.clone(),
                path,
                sent_at: now,
                transmissions: 1,
                state: State::InFlight,
                misses: 0,
                fast: false,
                fast_done: false,
                nr_acked: false,
            });
            let idx = self.entries.len() - 1;
            self.add_to_flight(idx);
            self.peer_rwnd = self.peer_rwnd.saturating_sub(len);
            if self.paths[p].rtt_probe.is_none() {
                self.paths[p].rtt_probe = Some(tsn);
            }
            out.push(SentChunk {
                tsn,
                chunk,
                retransmission: false,
                fast_retransmission: false,
            });
        }
        send_queue.end_packet();
        out
    }

    fn chunk_header_len(&self) -> usize {
        if self.config.interleaving {
            IDATA_HEADER_LEN
        } else {
            DATA_HEADER_LEN
        }
    }

    // ----- PR-SCTP -----

    /// Abandons messages whose PR-SCTP TTL has passed (RFC 3758 §3.5 A2). Called by
    /// `handle_sack`, `on_t3_timeout` and `next_packet`; the association may call it too.
    pub fn abandon_expired(&mut self, now: Instant, send_queue: &mut SendQueue) {
        if self.entries.is_empty() {
            self.ttl_seen = false;
        }
        if !self.ttl_seen {
            return;
        }
        let mut doomed: Vec<(StreamId, MessageId)> = Vec::new();
        for e in &self.entries {
            if let PrPolicy::Ttl { expires } = e.chunk.pr {
                let live = matches!(e.state, State::InFlight | State::Retransmit);
                let key = (e.chunk.stream_id, e.chunk.message_id);
                if live && now >= expires && !doomed.contains(&key) {
                    doomed.push(key);
                }
            }
        }
        for (stream, id) in doomed {
            self.abandon_message(stream, id, send_queue);
        }
    }

    /// Abandons every fragment of a message (RFC 3758 §3.5 A3), sent or not. If part of it
    /// was never sent, a placeholder TSN is consumed for it so that FORWARD TSN covers the
    /// whole message. Returns false if no chunk of the message is outstanding.
    pub fn abandon_message(
        &mut self,
        stream: StreamId,
        id: MessageId,
        send_queue: &mut SendQueue,
    ) -> bool {
        let mut report: Option<AbandonedMessage> = None;
        let mut last: Option<OutgoingChunk> = None;
        for idx in 0..self.entries.len() {
            let e = &self.entries[idx];
            if e.chunk.message_id != id || e.chunk.stream_id != stream {
                continue;
            }
            let state = e.state;
            if state == State::Abandoned {
                continue;
            }
            if state == State::InFlight {
                self.remove_from_flight(idx);
            }
            if state == State::Retransmit {
                self.to_retransmit -= 1;
            }
            self.clear_probe(idx);
            let e = &mut self.entries[idx];
            e.state = State::Abandoned;
            e.fast = false;
            if !e.nr_acked {
                send_queue.release(e.len());
            }
            let r = report.get_or_insert_with(|| AbandonedMessage {
                message_id: id,
                stream_id: stream,
                ppid: e.chunk.ppid,
                unordered: e.chunk.unordered,
                sent: false,
                pr: e.chunk.pr,
                context: e.chunk.context,
                data: Vec::new(),
            });
            r.sent |= e.transmissions > 0;
            if state != State::Acked && !e.chunk.payload.is_empty() {
                r.data.push(e.chunk.payload.clone());
            }
            last = Some(e.chunk.clone());
        }
        let (Some(mut report), Some(last)) = (report, last) else {
            return false;
        };
        if let Some(rest) = send_queue.abandon_message(stream, id) {
            report.data.extend(rest);
            if !last.ending {
                let placeholder = OutgoingChunk {
                    beginning: false,
                    ending: true,
                    fsn: last.fsn.wrapping_add(1),
                    payload: Payload::from(Vec::new()),
                    ..last
                };
                self.entries.push_back(Entry {
                    chunk: placeholder,
                    path: PathId::default(),
                    sent_at: Instant::ZERO,
                    transmissions: 0,
                    state: State::Abandoned,
                    misses: 0,
                    fast: false,
                    fast_done: false,
                    nr_acked: false,
                });
                self.next_tsn = self.next_tsn.next();
            }
        }
        self.abandoned.push(report);
        self.advance_peer_ack_point();
        if self.advanced_peer_ack > self.cum_ack {
            self.forward_tsn_pending = true;
        }
        true
    }

    /// NR-SACK: the TSNs of `nr_blocks` (offsets from `cum_tsn_ack`, as in the NR-SACK just
    /// given to `handle_sack`) are non-renegable: the peer keeps them, so they need neither
    /// their payload nor their room in the send buffer any longer. Returns the bytes freed.
    pub fn free_non_renegable(
        &mut self,
        cum_tsn_ack: Tsn,
        nr_blocks: impl IntoIterator<Item = GapAckBlock>,
        send_queue: &mut SendQueue,
    ) -> usize {
        if cum_tsn_ack != self.cum_ack {
            // An old NR-SACK (`handle_sack` ignored it): its offsets mean nothing now.
            return 0;
        }
        let mut freed = 0;
        for b in nr_blocks {
            if b.start == 0 || b.start > b.end {
                continue;
            }
            let hi = usize::from(b.end).min(self.entries.len());
            for idx in usize::from(b.start) - 1..hi {
                let e = &mut self.entries[idx];
                if e.state == State::Acked && !e.nr_acked {
                    e.nr_acked = true;
                    freed += e.len();
                    send_queue.release(e.len());
                    e.chunk.payload = Payload::from(Vec::new());
                }
            }
        }
        freed
    }

    /// RFC 3758 C1/C2: moves the Advanced.Peer.Ack.Point over abandoned chunks.
    fn advance_peer_ack_point(&mut self) {
        if self.advanced_peer_ack < self.cum_ack {
            self.advanced_peer_ack = self.cum_ack;
        }
        let start =
            usize::try_from(self.advanced_peer_ack.distance_from(self.cum_ack)).unwrap_or(0);
        let mut idx = start;
        while idx < self.entries.len() && self.entries[idx].state == State::Abandoned {
            idx += 1;
        }
        if idx > start {
            self.advanced_peer_ack = self.tsn_at(idx - 1);
        }
    }

    /// The FORWARD TSN (or I-FORWARD-TSN) to send now, if the Advanced.Peer.Ack.Point is
    /// ahead of the cumulative TSN ack point.
    pub fn forward_tsn(&self) -> Option<ForwardTsnContent> {
        if self.advanced_peer_ack <= self.cum_ack {
            return None;
        }
        let count = usize::try_from(self.advanced_peer_ack.distance_from(self.cum_ack)).ok()?;
        let mut ssns: BTreeMap<u16, Ssn> = BTreeMap::new();
        let mut mids: BTreeMap<(u16, bool), Mid> = BTreeMap::new();
        for e in self.entries.iter().take(count) {
            let c = &e.chunk;
            match c.seq {
                StreamSeq::Ssn(ssn) if !c.unordered => {
                    let v = ssns.entry(c.stream_id.0).or_insert(ssn);
                    if ssn > *v {
                        *v = ssn;
                    }
                }
                StreamSeq::Ssn(_) => {}
                StreamSeq::Mid(mid) => {
                    let v = mids.entry((c.stream_id.0, c.unordered)).or_insert(mid);
                    if mid > *v {
                        *v = mid;
                    }
                }
            }
        }
        Some(ForwardTsnContent {
            new_cum_tsn: self.advanced_peer_ack,
            streams: ssns
                .into_iter()
                .map(|(s, ssn)| ForwardTsnStream {
                    stream_id: StreamId(s),
                    ssn,
                })
                .collect(),
            istreams: mids
                .into_iter()
                .map(|((s, unordered), mid)| IForwardTsnStream {
                    stream_id: StreamId(s),
                    unordered,
                    mid,
                })
                .collect(),
        })
    }

    /// The FORWARD TSN to send if one is due (after a SACK or T3-rtx left the
    /// Advanced.Peer.Ack.Point ahead); clears the due flag.
    pub fn take_forward_tsn(&mut self) -> Option<ForwardTsnContent> {
        if !std::mem::take(&mut self.forward_tsn_pending) {
            return None;
        }
        self.forward_tsn()
    }

    /// RFC 6525 SSN/TSN reset: numbering starts again at `next` (the next new chunk gets it).
    /// Refused (false) while anything is outstanding.
    pub fn restart_tsn(&mut self, next: Tsn) -> bool {
        if !self.entries.is_empty() {
            return false;
        }
        self.next_tsn = next;
        self.cum_ack = next.add(u32::MAX);
        self.advanced_peer_ack = self.cum_ack;
        self.forward_tsn_pending = false;
        self.fast_recovery_exit = None;
        for p in &mut self.paths {
            p.rtt_probe = None;
        }
        true
    }

    /// Gives up everything (the association is closing): each message with a fragment still
    /// in flight or waiting for retransmission, then each queued message, is reported.
    pub fn abandon_all(&mut self, send_queue: &mut SendQueue) -> Vec<AbandonedMessage> {
        let mut doomed: Vec<(StreamId, MessageId)> = Vec::new();
        for e in &self.entries {
            let key = (e.chunk.stream_id, e.chunk.message_id);
            if matches!(e.state, State::InFlight | State::Retransmit) && !doomed.contains(&key) {
                doomed.push(key);
            }
        }
        for (stream, id) in doomed {
            self.abandon_message(stream, id, send_queue);
        }
        let mut out = std::mem::take(&mut self.abandoned);
        out.extend(send_queue.abandon_all());
        out
    }

    /// Messages abandoned since the last call: PR-SCTP abandonment here, plus what the send
    /// queue discarded unsent. For SCTP_SEND_FAILED_EVENT.
    pub fn drain_abandoned(&mut self, send_queue: &mut SendQueue) -> Vec<AbandonedMessage> {
        let mut out = std::mem::take(&mut self.abandoned);
        out.extend(send_queue.drain_discarded());
        out
    }

    /// Checks the bookkeeping (tests).
    #[cfg(test)]
    pub(super) fn check_invariants(&self) {
        let mut flight = 0;
        let mut rtx = 0;
        for p in &self.paths {
            let f: usize = self
                .entries
                .iter()
                .filter(|e| e.path == p.id && e.state == State::InFlight)
                .map(Entry::len)
                .sum();
            assert_eq!(f, p.flight, "path {:?}", p.id);
        }
        for e in &self.entries {
            if e.state == State::InFlight {
                flight += e.len();
            }
            if e.state == State::Retransmit {
                rtx += 1;
            }
        }
        assert_eq!(flight, self.flight);
        assert_eq!(rtx, self.to_retransmit);
        assert_eq!(
            i64::from(self.next_tsn.distance_from(self.cum_ack)) - 1,
            i64::try_from(self.entries.len()).unwrap_or(i64::MAX)
        );
        assert!(self.advanced_peer_ack >= self.cum_ack);
        assert!(self.advanced_peer_ack < self.next_tsn);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::tx::send_queue::{MessageOptions, SendQueueConfig};
    use crate::types::Ppid;
    use proptest::prelude::*;

    pub(super) const P0: PathId = PathId(0);
    const P1: PathId = PathId(1);
    const MTU: usize = 1500;
    /// Room for chunks in a 1500-byte IPv4 packet (IP 20 + SCTP common header 12).
    const SPACE: usize = 1468;

    pub(super) fn t(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    pub(super) fn setup_with(
        initial: u32,
        f: impl FnOnce(&mut RetransmissionConfig),
    ) -> (RetransmissionQueue, SendQueue) {
        let mut cfg = RetransmissionConfig {
            initial_tsn: Tsn(initial),
            peer_rwnd: 1_000_000,
            nodelay: true,
            ..RetransmissionConfig::default()
        };
        f(&mut cfg);
        let sq = SendQueue::new(SendQueueConfig {
            max_buffered_bytes: 10_000_000,
            interleaving: cfg.interleaving,
            // TSNs in the order messages were queued, whatever their stream.
            scheduler: crate::tx::SchedulerKind::FirstCome,
            ..SendQueueConfig::default()
        });
        let mut rq = RetransmissionQueue::new(cfg);
        rq.add_path(P0, MTU);
        (rq, sq)
    }

    fn setup(initial: u32) -> (RetransmissionQueue, SendQueue) {
        setup_with(initial, |_| {})
    }

    pub(super) fn msg(
        sq: &mut SendQueue,
        stream: u16,
        len: usize,
        opts: MessageOptions,
    ) -> MessageId {
        sq.enqueue(StreamId(stream), vec![0xab; len], opts, true)
            .unwrap()
    }

    pub(super) fn plain() -> MessageOptions {
        MessageOptions {
            ppid: Ppid(53),
            ..MessageOptions::default()
        }
    }

    /// Sends everything that cwnd allows on `path`, packet by packet.
    pub(super) fn flush(
        rq: &mut RetransmissionQueue,
        sq: &mut SendQueue,
        now: Instant,
        path: PathId,
    ) -> Vec<SentChunk> {
        let mut all = Vec::new();
        loop {
            let pkt = rq.next_packet(now, path, SPACE, sq);
            if pkt.is_empty() {
                break;
            }
            all.extend(pkt);
        }
        rq.check_invariants();
        all
    }

    fn tsns(c: &[SentChunk]) -> Vec<u32> {
        c.iter().map(|c| c.tsn.0).collect()
    }

    fn sack(
        rq: &mut RetransmissionQueue,
        sq: &mut SendQueue,
        now: Instant,
        cum: u32,
        gaps: &[(u16, u16)],
    ) -> SackOutcome {
        let blocks: Vec<GapAckBlock> = gaps.iter().map(|&(s, e)| GapAckBlock::new(s, e)).collect();
        let out = rq
            .handle_sack(now, Tsn(cum), 1_000_000, blocks, sq)
            .unwrap();
        rq.check_invariants();
        out
    }

    #[test]
    fn tsns_are_assigned_and_acknowledged() {
        let (mut rq, mut sq) = setup(100);
        for _ in 0..3 {
            msg(&mut sq, 0, 1000, plain());
        }
        let sent = flush(&mut rq, &mut sq, t(0), P0);
        assert_eq!(tsns(&sent), [100, 101, 102]);
        assert!(sent.iter().all(|c| !c.retransmission));
        assert_eq!(rq.flight_size(), 3000);
        assert_eq!(rq.peer_rwnd(), 1_000_000 - 3000);
        let out = sack(&mut rq, &mut sq, t(50), 102, &[]);
        assert!(out.cum_ack_advanced);
        assert_eq!(out.acked_bytes, [(P0, 3000)]);
        assert_eq!(out.t3, [(P0, T3Action::Stop)]);
        assert_eq!(out.rtt_samples, [(P0, Duration::from_millis(50))]);
        assert_eq!(rq.flight_size(), 0);
        assert_eq!(sq.buffered_bytes(), 0);
        assert!(rq.is_empty());
        assert_eq!(rq.cum_tsn_ack(), Tsn(102));
    }

    #[test]
    fn cwnd_limits_new_data_and_slow_start_opens_it() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..20 {
            msg(&mut sq, 0, 1000, plain());
        }
        // cwnd 4380: 0, 1000, .., 4000 are below it, so five chunks go.
        let sent = flush(&mut rq, &mut sq, t(0), P0);
        assert_eq!(sent.len(), 5);
        let out = sack(&mut rq, &mut sq, t(10), 1, &[]);
        assert_eq!(out.total_acked(), 2000);
        assert_eq!(rq.congestion(P0).unwrap().cwnd(), 4380 + 1500);
        assert_eq!(out.t3, [(P0, T3Action::Restart)]);
        let sent = flush(&mut rq, &mut sq, t(10), P0);
        assert_eq!(sent.len(), 3);
        assert_eq!(rq.flight_size(), 6000);
    }

    #[test]
    fn nr_gap_blocks_free_the_send_buffer_before_the_cumulative_ack() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..4 {
            msg(&mut sq, 0, 100, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        assert_eq!(sq.buffered_bytes(), 400);
        // An NR-SACK: cum 0, TSN 1 missing, TSNs 2 and 3 acknowledged non-renegably.
        sack(&mut rq, &mut sq, t(1), 0, &[(2, 3)]);
        assert_eq!(sq.buffered_bytes(), 300, "a plain gap block frees nothing");
        let freed = rq.free_non_renegable(Tsn(0), [GapAckBlock::new(2, 3)], &mut sq);
        assert_eq!((freed, sq.buffered_bytes()), (200, 100));
        // Again (a duplicate NR-SACK), or an old one: nothing more.
        assert_eq!(
            rq.free_non_renegable(Tsn(0), [GapAckBlock::new(2, 3)], &mut sq),
            0
        );
        assert_eq!(
            rq.free_non_renegable(Tsn(7), [GapAckBlock::new(1, 1)], &mut sq),
            0
        );
        // A later SACK without the blocks is no renege for those TSNs, and the cumulative
        // ack over them releases nothing twice.
        sack(&mut rq, &mut sq, t(2), 0, &[]);
        assert_eq!(rq.flight_size(), 100);
        sack(&mut rq, &mut sq, t(3), 3, &[]);
        assert_eq!((sq.buffered_bytes(), rq.flight_size()), (0, 0));
        assert!(rq.is_empty());
    }

    #[test]
    fn gap_blocks_ack_and_htna_counts_misses() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..4 {
            msg(&mut sq, 0, 100, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        // TSN 0 acked, 1 missing, 2 acked.
        let out = sack(&mut rq, &mut sq, t(1), 0, &[(2, 2)]);
        assert_eq!(out.total_acked(), 200);
        assert_eq!(rq.flight_size(), 200);
        // Duplicate SACK: nothing new, no further miss (HTNA).
        let out = sack(&mut rq, &mut sq, t(2), 0, &[(2, 2)]);
        assert_eq!(out.total_acked(), 0);
        assert!(!out.fast_retransmit);
        // TSN 3 newly acked: second miss for TSN 1.
        let out = sack(&mut rq, &mut sq, t(3), 0, &[(2, 3)]);
        assert!(!out.fast_retransmit);
        msg(&mut sq, 0, 100, plain());
        flush(&mut rq, &mut sq, t(3), P0);
        let cwnd_before = rq.congestion(P0).unwrap().cwnd();
        let out = sack(&mut rq, &mut sq, t(4), 0, &[(2, 4)]);
        assert!(out.fast_retransmit && out.entered_fast_recovery);
        assert!(rq.in_fast_recovery());
        assert_eq!(
            rq.congestion(P0).unwrap().cwnd(),
            (cwnd_before / 2).max(4 * MTU)
        );
        let pkt = rq.next_packet(t(5), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [1]);
        assert!(pkt[0].retransmission);
        rq.check_invariants();
        // Fast-retransmitted chunks are not fast-retransmitted again.
        for i in 0..4u16 {
            msg(&mut sq, 0, 100, plain());
            flush(&mut rq, &mut sq, t(6), P0);
            let out = sack(&mut rq, &mut sq, t(7), 0, &[(2, 5 + i)]);
            assert!(!out.fast_retransmit);
        }
        // Cum ack reaching the exit point (TSN 4) ends Fast Recovery.
        sack(&mut rq, &mut sq, t(8), 4, &[(1, 4)]);
        assert!(!rq.in_fast_recovery());
    }

    #[test]
    fn fast_retransmit_ignores_cwnd_for_one_packet() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..5 {
            msg(&mut sq, 0, 1000, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        // TSN 0 lost; the other four reported in three SACKs.
        sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 2)]);
        sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 3)]);
        let out = sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 5)]);
        assert!(out.fast_retransmit);
        // Force cwnd below flight, then the fast retransmission still goes.
        rq.congestion_mut(P0).unwrap().on_t3_timeout();
        rq.congestion_mut(P0).unwrap().limit_burst(0);
        let pkt = rq.next_packet(t(2), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [0]);
        rq.check_invariants();
    }

    #[test]
    fn second_loss_in_fast_recovery_keeps_cwnd() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..8 {
            msg(&mut sq, 0, 500, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        // TSNs 0 and 2 lost.
        sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 2)]);
        sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 2), (4, 4)]);
        let out = sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 2), (4, 5)]);
        assert!(out.entered_fast_recovery);
        let cwnd = rq.congestion(P0).unwrap().cwnd();
        rq.next_packet(t(2), P0, SPACE, &mut sq);
        let out = sack(&mut rq, &mut sq, t(3), u32::MAX, &[(2, 2), (4, 6)]);
        assert!(out.fast_retransmit && !out.entered_fast_recovery);
        assert_eq!(rq.congestion(P0).unwrap().cwnd(), cwnd);
    }

    #[test]
    fn old_and_impossible_sacks() {
        let (mut rq, mut sq) = setup(10);
        for _ in 0..3 {
            msg(&mut sq, 0, 100, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        sack(&mut rq, &mut sq, t(1), 11, &[]);
        let out = sack(&mut rq, &mut sq, t(1), 10, &[(1, 1)]);
        assert!(out.ignored_as_old);
        assert_eq!(rq.flight_size(), 100);
        let err = rq.handle_sack(t(1), Tsn(13), 5, Vec::new(), &mut sq);
        assert_eq!(err, Err(SackError::CumAckBeyondSent));
        let err = rq.handle_sack(t(1), Tsn(11 + (1 << 31)), 5, Vec::new(), &mut sq);
        assert!(err.is_err() || err.is_ok_and(|o| o.ignored_as_old));
        // Nonsense blocks are skipped or clipped.
        let blocks = [
            GapAckBlock::new(0, 0),
            GapAckBlock::new(5, 2),
            GapAckBlock::new(1, 60000),
        ];
        let out = rq.handle_sack(t(1), Tsn(11), 7, blocks, &mut sq).unwrap();
        assert!(out.gap_beyond_sent);
        assert_eq!(out.total_acked(), 100);
        assert_eq!(rq.peer_rwnd(), 7);
        rq.check_invariants();
    }

    #[test]
    fn tsn_wrap_around() {
        let (mut rq, mut sq) = setup(u32::MAX - 2);
        for _ in 0..6 {
            msg(&mut sq, 0, 10, plain());
        }
        let sent = flush(&mut rq, &mut sq, t(0), P0);
        assert_eq!(tsns(&sent), [u32::MAX - 2, u32::MAX - 1, u32::MAX, 0, 1, 2]);
        // Ack up to MAX-1, gap covering 0..=1 (offsets 2..=3).
        let out = sack(&mut rq, &mut sq, t(1), u32::MAX - 1, &[(2, 3)]);
        assert_eq!(out.total_acked(), 40);
        let out = sack(&mut rq, &mut sq, t(2), 2, &[]);
        assert_eq!(out.total_acked(), 20);
        assert!(rq.is_empty());
        assert_eq!(rq.next_tsn(), Tsn(3));
    }

    #[test]
    fn karn_rule_and_one_probe_per_round_trip() {
        let (mut rq, mut sq) = setup(0);
        msg(&mut sq, 0, 100, plain());
        msg(&mut sq, 0, 100, plain());
        flush(&mut rq, &mut sq, t(0), P0);
        // Only TSN 0 is timed.
        let out = sack(&mut rq, &mut sq, t(30), 1, &[]);
        assert_eq!(out.rtt_samples, [(P0, Duration::from_millis(30))]);
        msg(&mut sq, 0, 100, plain());
        flush(&mut rq, &mut sq, t(40), P0);
        let out = rq.on_t3_timeout(t(1040), P0, &mut sq);
        assert_eq!(out.marked, 1);
        assert_eq!(rq.flight_size(), 0);
        let pkt = rq.next_packet(t(1040), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [2]);
        assert!(pkt[0].retransmission);
        let out = sack(&mut rq, &mut sq, t(1100), 2, &[]);
        assert!(out.rtt_samples.is_empty());
        // The next new chunk is timed again.
        msg(&mut sq, 0, 100, plain());
        flush(&mut rq, &mut sq, t(1200), P0);
        let out = sack(&mut rq, &mut sq, t(1225), 3, &[]);
        assert_eq!(out.rtt_samples, [(P0, Duration::from_millis(25))]);
    }

    #[test]
    fn t3_timeout_retransmits_one_mtu_on_collapsed_window() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..4 {
            msg(&mut sq, 0, 1000, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        let peer_rwnd = rq.peer_rwnd();
        let out = rq.on_t3_timeout(t(3000), P0, &mut sq);
        assert_eq!(out.marked, 4);
        assert_eq!(rq.congestion(P0).unwrap().cwnd(), MTU);
        assert_eq!(rq.congestion(P0).unwrap().ssthresh(), 4 * MTU);
        assert!(rq.has_retransmissions());
        let pkt = rq.next_packet(t(3000), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [0]);
        // cwnd (1500) is not reached by 1000 bytes, but the next chunk does not fit the packet.
        let pkt = rq.next_packet(t(3000), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [1]);
        assert!(rq.next_packet(t(3000), P0, SPACE, &mut sq).is_empty());
        assert!(rq.peer_rwnd() <= peer_rwnd);
        rq.check_invariants();
    }

    #[test]
    fn retransmission_moves_to_another_path() {
        let (mut rq, mut sq) = setup(0);
        rq.add_path(P1, MTU);
        msg(&mut sq, 0, 1000, plain());
        flush(&mut rq, &mut sq, t(0), P0);
        rq.on_t3_timeout(t(3000), P0, &mut sq);
        let pkt = rq.next_packet(t(3000), P1, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [0]);
        assert_eq!(rq.path_flight_size(P1), 1000);
        assert_eq!(rq.path_flight_size(P0), 0);
        let out = sack(&mut rq, &mut sq, t(3100), 0, &[]);
        assert_eq!(out.acked_bytes, [(P1, 1000)]);
        assert_eq!(out.t3, [(P1, T3Action::Stop)]);
        rq.remove_path(P1, &mut sq);
        rq.check_invariants();
    }

    #[test]
    fn zero_window_allows_one_probe() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..3 {
            msg(&mut sq, 0, 100, plain());
        }
        let pkt = rq.next_packet(t(0), P0, 150, &mut sq);
        assert_eq!(pkt.len(), 1);
        rq.handle_sack(t(1), Tsn(0), 0, Vec::new(), &mut sq)
            .unwrap();
        assert_eq!(rq.peer_rwnd(), 0);
        let pkt = rq.next_packet(t(2), P0, SPACE, &mut sq);
        assert_eq!(pkt.len(), 1, "one zero window probe");
        assert!(rq.next_packet(t(2), P0, SPACE, &mut sq).is_empty());
        rq.handle_sack(t(3), Tsn(1), 5000, Vec::new(), &mut sq)
            .unwrap();
        assert_eq!(rq.next_packet(t(4), P0, SPACE, &mut sq).len(), 1);
        rq.check_invariants();
    }

    #[test]
    fn no_new_chunk_larger_than_the_window_while_data_is_in_flight() {
        // §6.1 A: a window of 500 bytes with data in flight takes a 400-byte message but not
        // a 1000-byte one; a larger chunk would overrun the receiver's buffer.
        let (mut rq, mut sq) = setup_with(0, |c| c.nodelay = true);
        rq.congestion_mut(P0).unwrap().set_mtu(100_000);
        msg(&mut sq, 0, 100, plain());
        assert_eq!(rq.next_packet(t(0), P0, SPACE, &mut sq).len(), 1);
        rq.handle_sack(t(1), Tsn(0u32.wrapping_sub(1)), 600, Vec::new(), &mut sq)
            .unwrap();
        assert_eq!(rq.peer_rwnd(), 500);
        msg(&mut sq, 0, 1000, plain());
        assert!(rq.next_packet(t(2), P0, SPACE, &mut sq).is_empty());
        rq.check_invariants();
        let (mut rq, mut sq) = setup_with(0, |c| c.nodelay = true);
        msg(&mut sq, 0, 100, plain());
        assert_eq!(rq.next_packet(t(0), P0, SPACE, &mut sq).len(), 1);
        rq.handle_sack(t(1), Tsn(0u32.wrapping_sub(1)), 600, Vec::new(), &mut sq)
            .unwrap();
        msg(&mut sq, 0, 400, plain());
        assert_eq!(rq.next_packet(t(2), P0, SPACE, &mut sq).len(), 1);
        rq.check_invariants();
    }

    #[test]
    fn nagle_holds_small_data_while_outstanding() {
        let (mut rq, mut sq) = setup_with(0, |c| c.nodelay = false);
        msg(&mut sq, 0, 10, plain());
        assert_eq!(rq.next_packet(t(0), P0, SPACE, &mut sq).len(), 1);
        msg(&mut sq, 0, 10, plain());
        assert!(rq.next_packet(t(0), P0, SPACE, &mut sq).is_empty());
        // A full packet's worth goes anyway.
        msg(&mut sq, 0, 2000, plain());
        assert_eq!(rq.next_packet(t(0), P0, SPACE, &mut sq).len(), 1);
        let pkt = rq.next_packet(t(0), P0, SPACE, &mut sq);
        assert_eq!(pkt[0].chunk.payload.len(), SPACE - 16);
        // The 548-byte tail waits for the acknowledgement.
        assert!(rq.next_packet(t(0), P0, SPACE, &mut sq).is_empty());
        sack(&mut rq, &mut sq, t(1), 2, &[]);
        assert_eq!(rq.next_packet(t(1), P0, SPACE, &mut sq).len(), 1);
    }

    #[test]
    fn packet_space_counts_headers_and_padding() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..3 {
            msg(&mut sq, 0, 5, plain());
        }
        // Each chunk takes 16 + 8 bytes; the second does not fit in 47 and is not split.
        let pkt = rq.next_packet(t(0), P0, 47, &mut sq);
        assert_eq!(pkt.len(), 1);
        let pkt = rq.next_packet(t(0), P0, 48, &mut sq);
        assert_eq!(pkt.len(), 2);
        // A packet too small for the message fragments it.
        msg(&mut sq, 0, 5, plain());
        let pkt = rq.next_packet(t(0), P0, 23, &mut sq);
        assert_eq!(pkt.len(), 1);
        assert_eq!(pkt[0].chunk.payload.len(), 4);
        assert!(!pkt[0].chunk.ending);
    }

    #[test]
    fn reneging_puts_data_back_in_flight() {
        let (mut rq, mut sq) = setup(0);
        for _ in 0..3 {
            msg(&mut sq, 0, 100, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        sack(&mut rq, &mut sq, t(1), u32::MAX, &[(2, 3)]);
        assert_eq!(rq.flight_size(), 100);
        assert_eq!(sq.buffered_bytes(), 300);
        let out = sack(&mut rq, &mut sq, t(2), u32::MAX, &[]);
        assert_eq!(rq.flight_size(), 300);
        assert_eq!(out.t3, [(P0, T3Action::StartIfNotRunning)]);
    }

    #[test]
    fn ttl_abandonment_and_forward_tsn() {
        let (mut rq, mut sq) = setup(50);
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(100) },
            ..plain()
        };
        msg(&mut sq, 1, 100, plain());
        let m1 = msg(&mut sq, 2, 100, ttl);
        msg(&mut sq, 2, 100, ttl);
        let m3 = msg(&mut sq, 3, 100, plain());
        flush(&mut rq, &mut sq, t(0), P0);
        // TSN 50 acked, then the TTL passes.
        let out = sack(&mut rq, &mut sq, t(150), 50, &[(3, 3)]);
        assert!(out.forward_tsn_needed);
        let fwd = rq.take_forward_tsn().unwrap();
        assert_eq!(fwd.new_cum_tsn, Tsn(52));
        assert_eq!(
            fwd.streams,
            [ForwardTsnStream {
                stream_id: StreamId(2),
                ssn: Ssn(1)
            }]
        );
        assert!(fwd.istreams.is_empty());
        assert!(rq.take_forward_tsn().is_none());
        assert_eq!(rq.advanced_peer_ack_point(), Tsn(52));
        let ab = rq.drain_abandoned(&mut sq);
        assert_eq!(ab.len(), 2);
        assert_eq!(ab[0].message_id, m1);
        assert!(ab[0].sent);
        assert_eq!(ab[0].data.len(), 1);
        // Only the gap-acked TSN 53 is still counted: released at its cumulative ack.
        assert_eq!(sq.buffered_bytes(), 100);
        assert_ne!(ab[1].message_id, m3);
        // The peer takes the FORWARD TSN and acks through the gap.
        let out = sack(&mut rq, &mut sq, t(160), 53, &[]);
        assert!(!out.forward_tsn_needed);
        assert!(rq.is_empty());
        assert_eq!(sq.buffered_bytes(), 0);
    }

    #[test]
    fn forward_tsn_waits_for_earlier_unacked_chunk() {
        let (mut rq, mut sq) = setup(0);
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(100) },
            ..plain()
        };
        msg(&mut sq, 0, 100, plain());
        msg(&mut sq, 0, 100, ttl);
        flush(&mut rq, &mut sq, t(0), P0);
        rq.abandon_expired(t(200), &mut sq);
        assert!(rq.forward_tsn().is_none());
        let out = sack(&mut rq, &mut sq, t(201), 0, &[]);
        assert!(out.forward_tsn_needed);
        assert_eq!(rq.forward_tsn().unwrap().new_cum_tsn, Tsn(1));
    }

    #[test]
    fn rtx_limit_abandons_on_loss() {
        let (mut rq, mut sq) = setup(0);
        let rtx0 = MessageOptions {
            pr: PrPolicy::Rtx {
                max_retransmissions: 0,
            },
            ..plain()
        };
        let rtx1 = MessageOptions {
            pr: PrPolicy::Rtx {
                max_retransmissions: 1,
            },
            ..plain()
        };
        msg(&mut sq, 0, 100, rtx0);
        msg(&mut sq, 0, 100, rtx1);
        flush(&mut rq, &mut sq, t(0), P0);
        let out = rq.on_t3_timeout(t(3000), P0, &mut sq);
        assert!(out.forward_tsn_needed);
        assert_eq!(rq.forward_tsn().unwrap().new_cum_tsn, Tsn(0));
        let pkt = rq.next_packet(t(3000), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [1]);
        rq.on_t3_timeout(t(9000), P0, &mut sq);
        let fwd = rq.forward_tsn().unwrap();
        assert_eq!(fwd.new_cum_tsn, Tsn(1));
        assert_eq!(
            fwd.streams,
            [ForwardTsnStream {
                stream_id: StreamId(0),
                ssn: Ssn(1)
            }]
        );
        assert_eq!(rq.drain_abandoned(&mut sq).len(), 2);
        rq.check_invariants();
    }

    #[test]
    fn abandoning_a_partly_sent_message_skips_its_unsent_tail() {
        let (mut rq, mut sq) = setup(7);
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(100) },
            ..plain()
        };
        msg(&mut sq, 4, 3000, ttl);
        msg(&mut sq, 4, 10, plain());
        // Room for one fragment only.
        let pkt = rq.next_packet(t(0), P0, 1016, &mut sq);
        assert_eq!(pkt.len(), 1);
        assert!(pkt[0].chunk.beginning && !pkt[0].chunk.ending);
        rq.abandon_expired(t(100), &mut sq);
        // TSN 8 is the placeholder of the unsent tail.
        assert_eq!(rq.next_tsn(), Tsn(9));
        let fwd = rq.forward_tsn().unwrap();
        assert_eq!(fwd.new_cum_tsn, Tsn(8));
        assert_eq!(
            fwd.streams,
            [ForwardTsnStream {
                stream_id: StreamId(4),
                ssn: Ssn(0)
            }]
        );
        let ab = rq.drain_abandoned(&mut sq);
        assert_eq!(ab.len(), 1);
        assert_eq!(ab[0].data.iter().map(Payload::len).sum::<usize>(), 3000);
        assert_eq!(sq.buffered_bytes(), 10);
        let pkt = rq.next_packet(t(101), P0, SPACE, &mut sq);
        assert_eq!(tsns(&pkt), [9]);
        assert_eq!(pkt[0].chunk.seq, StreamSeq::Ssn(Ssn(1)));
        rq.check_invariants();
    }

    #[test]
    fn iforward_tsn_lists_ordered_and_unordered_mids() {
        let (mut rq, mut sq) = setup_with(0, |c| c.interleaving = true);
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(100) },
            ..plain()
        };
        let ttl_u = MessageOptions {
            unordered: true,
            ..ttl
        };
        msg(&mut sq, 1, 10, ttl);
        msg(&mut sq, 1, 10, ttl);
        msg(&mut sq, 1, 10, ttl_u);
        msg(&mut sq, 2, 10, ttl_u);
        flush(&mut rq, &mut sq, t(0), P0);
        rq.abandon_expired(t(100), &mut sq);
        let fwd = rq.forward_tsn().unwrap();
        assert_eq!(fwd.new_cum_tsn, Tsn(3));
        assert!(fwd.streams.is_empty());
        assert_eq!(
            fwd.istreams,
            [
                IForwardTsnStream {
                    stream_id: StreamId(1),
                    unordered: false,
                    mid: Mid(1)
                },
                IForwardTsnStream {
                    stream_id: StreamId(1),
                    unordered: true,
                    mid: Mid(0)
                },
                IForwardTsnStream {
                    stream_id: StreamId(2),
                    unordered: true,
                    mid: Mid(0)
                },
            ]
        );
    }

    #[test]
    fn retransmission_after_mtu_shrink() {
        let (mut rq, mut sq) = setup(0);
        msg(&mut sq, 0, 1400, plain());
        flush(&mut rq, &mut sq, t(0), P0);
        rq.on_t3_timeout(t(3000), P0, &mut sq);
        // Still fits a packet of the path: not squeezed into a nearly full one.
        assert!(rq.next_packet(t(3000), P0, 1000, &mut sq).is_empty());
        rq.set_path_mtu(P0, 1280);
        let pkt = rq.next_packet(t(3000), P0, 1248, &mut sq);
        assert_eq!(tsns(&pkt), [0]);
        rq.check_invariants();
    }

    #[test]
    fn outstanding_chunks_are_bounded() {
        let (mut rq, mut sq) = setup_with(0, |c| c.max_outstanding_chunks = 3);
        rq.congestion_mut(P0).unwrap().set_mtu(100_000);
        for _ in 0..10 {
            msg(&mut sq, 0, 1, plain());
        }
        flush(&mut rq, &mut sq, t(0), P0);
        assert_eq!(rq.outstanding_chunks(), 3);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Send(u16, usize, u8),
        Packet(u8, usize),
        Sack(i64, Vec<(u16, u16)>, u32),
        T3(u8),
        Expire(u64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0u16..4, 1usize..3000, 0u8..3).prop_map(|(s, l, p)| Op::Send(s, l, p)),
            (0u8..2, 0usize..3000).prop_map(|(p, s)| Op::Packet(p, s)),
            (
                -3i64..40,
                proptest::collection::vec((0u16..40, 0u16..40), 0..5),
                0u32..100_000
            )
                .prop_map(|(c, g, w)| Op::Sack(c, g, w)),
            (0u8..3).prop_map(Op::T3),
            (0u64..500).prop_map(Op::Expire),
        ]
    }

    proptest! {
        #[test]
        fn random_sacks_never_break_the_books(
            initial in prop_oneof![Just(u32::MAX - 5), any::<u32>()],
            interleaving in any::<bool>(),
            ops in proptest::collection::vec(op(), 1..80),
            wild in proptest::collection::vec(any::<u32>(), 0..4),
        ) {
            let (mut rq, mut sq) = setup_with(initial, |c| c.interleaving = interleaving);
            rq.add_path(P1, 1200);
            let mut now = 0u64;
            let mut sent_bytes = 0usize;
            for op in ops {
                now += 7;
                match op {
                    Op::Send(s, l, p) => {
                        let pr = match p {
                            0 => PrPolicy::Reliable,
                            1 => PrPolicy::Ttl { expires: t(now + 50) },
                            _ => PrPolicy::Rtx { max_retransmissions: 1 },
                        };
                        let _ = sq.enqueue(StreamId(s), vec![1; l], MessageOptions { pr, ..plain() }, true);
                    }
                    Op::Packet(p, s) => {
                        let pkt = rq.next_packet(t(now), PathId(u16::from(p)), s, &mut sq);
                        sent_bytes += pkt.iter().filter(|c| !c.retransmission).map(|c| c.chunk.payload.len()).sum::<usize>();
                    }
                    Op::Sack(c, gaps, w) => {
                        let cum = rq.cum_tsn_ack().add(c as u32);
                        let blocks: Vec<GapAckBlock> = gaps.iter().map(|&(a, b)| GapAckBlock::new(a, b)).collect();
                        let before = (rq.cum_tsn_ack(), rq.flight_size());
                        match rq.handle_sack(t(now), cum, w, blocks, &mut sq) {
                            Err(SackError::CumAckBeyondSent) => prop_assert_eq!(before, (rq.cum_tsn_ack(), rq.flight_size())),
                            Ok(out) => prop_assert!(out.total_acked() <= sent_bytes),
                        }
                    }
                    Op::T3(p) => { rq.on_t3_timeout(t(now), PathId(u16::from(p)), &mut sq); }
                    Op::Expire(d) => rq.abandon_expired(t(now + d), &mut sq),
                }
                rq.check_invariants();
                prop_assert!(rq.flight_size() <= sent_bytes);
                prop_assert!(sq.buffered_bytes() <= 10_000_000);
                let _ = rq.forward_tsn();
            }
            for w in wild {
                let _ = rq.handle_sack(t(now), Tsn(w), w, vec![GapAckBlock::new(1, u16::MAX)], &mut sq);
                rq.check_invariants();
            }
        }
    }
}
