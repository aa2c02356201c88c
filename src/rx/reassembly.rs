//! Reassembly of DATA (RFC 9260 §6.5, §6.6, §6.9) and I-DATA (RFC 8260) fragments into
//! messages, ordered delivery per stream, unordered delivery, partial delivery (RFC 6458 §8.1.21),
//! FORWARD-TSN / I-FORWARD-TSN skipping (RFC 3758 §3.6, RFC 8260 §2.3) and stream reset
//! (RFC 6525).
//!
//! # How messages are found
//! - Ordered DATA: the fragments of a message share (stream, SSN) and have consecutive TSNs from
//!   the B fragment to the E fragment, so they are grouped by (stream, SSN) and keyed by TSN.
//! - Unordered DATA has no usable SSN: fragments are kept by TSN, and a message is a run of
//!   consecutive TSNs from a B fragment to the next E fragment with no other B or E between.
//! - I-DATA: fragments are grouped by (stream, U bit, MID) and keyed by FSN (0 for the B
//!   fragment).
//!
//! Every operation on peer input costs `O(log n)` in what is buffered (plus the size of a message
//! when it is copied out), so no arrival order can make it quadratic.
//!
//! # Memory
//! Payload bytes held anywhere in the queue (fragments, complete messages waiting for an earlier
//! SSN, messages waiting to be popped) count against `max_buffered_bytes`; a fragment that would
//! exceed it is refused with [`ReassemblyError::BufferFull`] and the association must drop it
//! without acknowledging its TSN. One exception: a fragment that fills a gap (its TSN is below
//! the highest one stored) is taken as long as the buffer holds less than twice its size. A
//! sender may have sent beyond the window it was given (after a T3-rtx timeout it counts the
//! lost data out of flight), and refusing the retransmission that the data behind it waits for
//! would leave nothing to read but pieces of messages; libusrsctp likewise takes TSNs below the
//! highest it has while its window is closed. Stream state is created only when a stream
//! delivers its first ordered message and holds one number.
//!
//! # Partial delivery
//! When the contiguous beginning of a message reaches `partial_delivery_point` bytes and the
//! message is deliverable (unordered, or next in its stream), it is handed out in pieces
//! ([`ReceivedMessage::complete`] is false on all but the last).
//! - DATA: while a message is being partially delivered, no other message is popped (as with
//!   libusrsctp's default `SCTP_FRAGMENT_INTERLEAVE` level 0): others complete and wait.
//!   Unordered DATA is never partially delivered; its messages must fit in the buffer.
//! - I-DATA: messages of different streams interleave on the wire, so one message waiting for
//!   another's partial delivery to end could wait forever behind it (the sender sends their
//!   fragments in turn and the buffer fills with the others). Any number of messages may be
//!   partially delivered at once, their pieces interleaved, each labelled by stream, U bit and
//!   MID: `SCTP_FRAGMENT_INTERLEAVE` level 2, which RFC 6458 §8.1.20 describes and FreeBSD
//!   requires for I-DATA.
//!
//! Several messages may also fill the buffer together without any of them reaching the point
//! (interleaved I-DATA messages, or ordered messages waiting behind a lost one). Then nothing
//! could ever be read, the window stays closed and the association deadlocks. So when a
//! fragment is refused for lack of room and no message is ready for the reader (reading one
//! would make room), deliverable incomplete messages start partial delivery below the point
//! (with DATA the one with the most contiguous bytes, if none is being partially delivered;
//! with I-DATA all of them): reading them frees room. (`usize::MAX` as the
//! point still disables partial delivery altogether.)

use core::fmt;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::ranges::{RangeSet, Unwrapper};
use crate::types::{Mid, Ppid, Ssn, StreamId, Tsn};
use crate::wire::chunk::{DataChunk, IDataChunk};

/// Which data chunk the association negotiated (RFC 8260 §2.2: I-DATA when both sides support
/// it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataMode {
    /// DATA chunks with 16-bit SSNs.
    Data,
    /// I-DATA chunks with 32-bit MIDs and FSNs.
    IData,
}

/// Configuration of a [`ReassemblyQueue`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReassemblyConfig {
    pub mode: DataMode,
    /// Payload bytes the queue may hold, including messages not yet popped.
    pub max_buffered_bytes: usize,
    /// A message whose contiguous beginning reaches this many bytes is delivered in pieces.
    /// `usize::MAX` disables partial delivery.
    pub partial_delivery_point: usize,
}

impl ReassemblyConfig {
    /// A configuration with the partial delivery point at half the buffer, as libusrsctp's
    /// default (so that a message larger than the buffer can still be received).
    pub fn new(mode: DataMode, max_buffered_bytes: usize) -> Self {
        ReassemblyConfig {
            mode,
            max_buffered_bytes,
            partial_delivery_point: (max_buffered_bytes / 2).max(1),
        }
    }
}

/// A message, or a piece of one under partial delivery, ready for the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub stream_id: StreamId,
    pub ppid: Ppid,
    pub unordered: bool,
    /// The SSN (DATA; meaningless for unordered DATA) or the MID (I-DATA).
    pub ssn_or_mid: u32,
    /// The TSN of the last fragment in this message or piece.
    pub tsn: Tsn,
    pub payload: Vec<u8>,
    /// False for a piece of a partially delivered message that more pieces follow.
    pub complete: bool,
}

/// A partial delivery that will not be completed because FORWARD-TSN, I-FORWARD-TSN skipped
/// the rest of the message (RFC 3758 §3.6; reported as `SCTP_PARTIAL_DELIVERY_ABORTED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDeliveryAborted {
    pub stream_id: StreamId,
    pub unordered: bool,
    pub ssn_or_mid: u32,
}

/// Why a fragment was not accepted. In every case nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReassemblyError {
    /// Storing it would exceed `max_buffered_bytes`: drop the chunk and do not acknowledge it.
    BufferFull,
    /// A DATA chunk when I-DATA was negotiated, or the other way round (RFC 8260 §2.2: a
    /// protocol violation).
    WrongMode,
    /// The chunk carries no user data (RFC 9260 §6.2: abort with "No User Data").
    EmptyPayload,
    /// The fragment contradicts those already held (a second B or E fragment, a fragment
    /// outside the message's B..E, an I-DATA FSN of 0 without the B bit, or unordered DATA
    /// fragments of one message on different streams): a protocol violation.
    InconsistentFragments,
}

impl fmt::Display for ReassemblyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReassemblyError::BufferFull => "reassembly buffer full",
            ReassemblyError::WrongMode => "DATA and I-DATA mixed",
            ReassemblyError::EmptyPayload => "data chunk without user data",
            ReassemblyError::InconsistentFragments => "inconsistent fragments",
        })
    }
}

impl std::error::Error for ReassemblyError {}

/// (stream, unordered, SSN or MID). Unordered DATA does not use it.
type Key = (u16, bool, u32);

#[derive(Debug, Clone)]
struct Fragment {
    tsn: Tsn,
    payload: Vec<u8>,
}

/// A message being assembled. Fragment keys are unwrapped TSNs (DATA) or FSNs (I-DATA).
#[derive(Debug, Clone, Default)]
struct Assembly {
    ppid: Ppid,
    frags: BTreeMap<u64, Fragment>,
    /// Key of the B fragment.
    first: Option<u64>,
    /// Key of the E fragment.
    last: Option<u64>,
    /// Key of the first fragment not yet handed out (the B fragment until partial delivery).
    start: u64,
    /// The key after the contiguous run from `start` (valid once `first` is known).
    contig_next: u64,
    /// Bytes in `start..contig_next`.
    contig_bytes: usize,
    /// Pieces were handed out already.
    partially_delivered: bool,
    /// Payload bytes held in `frags`.
    bytes: usize,
}

impl Assembly {
    /// Adds a fragment; `Ok(false)` when it is already held or was delivered.
    fn insert(
        &mut self,
        key: u64,
        frag: Fragment,
        beginning: bool,
        ending: bool,
        ppid: Ppid,
    ) -> Result<bool, ReassemblyError> {
        if (self.partially_delivered && key < self.start) || self.frags.contains_key(&key) {
            return Ok(false);
        }
        let bad = (beginning
            && (self.first.is_some_and(|f| f != key) || self.lowest().is_some_and(|l| l < key)))
            || (ending
                && (self.last.is_some_and(|l| l != key)
                    || self.highest().is_some_and(|h| h > key)))
            || self.first.is_some_and(|f| key < f)
            || self.last.is_some_and(|l| key > l);
        if bad {
            return Err(ReassemblyError::InconsistentFragments);
        }
        self.bytes += frag.payload.len();
        self.frags.insert(key, frag);
        if beginning {
            self.first = Some(key);
            self.ppid = ppid;
            self.start = key;
            self.contig_next = key;
            self.contig_bytes = 0;
        }
        if ending {
            self.last = Some(key);
        }
        if self.first.is_some() {
            while let Some(f) = self.frags.get(&self.contig_next) {
                self.contig_bytes += f.payload.len();
                self.contig_next += 1;
            }
        }
        Ok(true)
    }

    fn lowest(&self) -> Option<u64> {
        self.frags.keys().next().copied()
    }

    fn highest(&self) -> Option<u64> {
        self.frags.keys().next_back().copied()
    }

    fn is_complete(&self) -> bool {
        self.first.is_some() && self.last.is_some_and(|l| self.contig_next == l + 1)
    }

    /// The lowest key known to be missing (for DATA: a TSN).
    fn first_missing(&self) -> Option<u64> {
        if self.is_complete() {
            None
        } else if self.first.is_some() {
            Some(self.contig_next)
        } else {
            self.lowest().map(|k| k.saturating_sub(1))
        }
    }

    /// Removes the contiguous fragments from `start`: their payload and the last one's TSN.
    fn take_contiguous(&mut self) -> (Vec<u8>, Tsn) {
        let mut payload = Vec::with_capacity(self.contig_bytes);
        let mut tsn = Tsn(0);
        for key in self.start..self.contig_next {
            if let Some(f) = self.frags.remove(&key) {
                payload.extend_from_slice(&f.payload);
                tsn = f.tsn;
            }
        }
        self.bytes -= payload.len();
        self.start = self.contig_next;
        self.contig_bytes = 0;
        (payload, tsn)
    }
}

/// One unordered DATA fragment.
#[derive(Debug, Clone)]
struct LooseFragment {
    stream_id: StreamId,
    ssn: Ssn,
    ppid: Ppid,
    tsn: Tsn,
    payload: Vec<u8>,
}

/// An unordered DATA message handed out in pieces: its key in `partial` and the TSN (unwrapped)
/// of its next fragment.
#[derive(Debug, Clone, Copy)]
struct UnorderedPartial {
    key: Key,
    next: u64,
    stream_id: StreamId,
    ssn: Ssn,
    ppid: Ppid,
}

/// Unordered DATA fragments by unwrapped TSN.
#[derive(Debug, Clone, Default)]
struct UnorderedData {
    frags: BTreeMap<u64, LooseFragment>,
    /// Runs of consecutive TSNs held.
    runs: RangeSet,
    begins: BTreeSet<u64>,
    ends: BTreeSet<u64>,
}

impl UnorderedData {
    /// Adds a fragment (not already held) and returns the TSN range of the message it
    /// completes, if any.
    fn insert(
        &mut self,
        key: u64,
        frag: LooseFragment,
        beginning: bool,
        ending: bool,
    ) -> Option<(u64, u64)> {
        self.frags.insert(key, frag);
        self.runs.insert(key);
        if beginning {
            self.begins.insert(key);
        }
        if ending {
            self.ends.insert(key);
        }
        let (run_start, run_end) = self.runs.containing(key)?;
        let b = *self.begins.range(run_start..=key).next_back()?;
        if self.ends.range(b..key).next().is_some() {
            return None;
        }
        let e = *self.ends.range(key..=run_end).next()?;
        if key < e && self.begins.range(key + 1..=e).next().is_some() {
            return None;
        }
        Some((b, e))
    }

    /// Removes the fragments in `lo..=hi`.
    fn take(&mut self, lo: u64, hi: u64) -> Vec<LooseFragment> {
        let tail = self.frags.split_off(&lo);
        let mut taken = tail;
        if let Some(after) = hi.checked_add(1) {
            let mut rest = taken.split_off(&after);
            self.frags.append(&mut rest);
        }
        self.runs.remove_range(lo, hi);
        for set in [&mut self.begins, &mut self.ends] {
            let inside: Vec<u64> = set.range(lo..=hi).copied().collect();
            for k in inside {
                set.remove(&k);
            }
        }
        taken.into_values().collect()
    }

    /// Removes every fragment at or below `key`; returns the bytes freed.
    fn remove_through(&mut self, key: u64) -> usize {
        let Some(lowest) = self.frags.keys().next().copied() else {
            return 0;
        };
        if lowest > key {
            return 0;
        }
        self.take(lowest, key).iter().map(|f| f.payload.len()).sum()
    }
}

/// Reassembles fragments into messages and hands them out in delivery order.
///
/// Driving it: offer each new DATA / I-DATA chunk with [`add_data`](Self::add_data) /
/// [`add_idata`](Self::add_idata) (only chunks the tracker classified as new), pass
/// FORWARD-TSN / I-FORWARD-TSN to [`handle_forward_tsn`](Self::handle_forward_tsn) /
/// [`handle_iforward_tsn`](Self::handle_iforward_tsn), then drain
/// [`pop_message`](Self::pop_message) and
/// [`poll_partial_delivery_aborted`](Self::poll_partial_delivery_aborted). Advertise
/// `max_buffered_bytes - buffered_bytes()` as a_rwnd.
#[derive(Debug, Clone)]
pub struct ReassemblyQueue {
    config: ReassemblyConfig,
    /// Ordered DATA messages and all I-DATA messages being assembled or waiting for their turn.
    assemblies: BTreeMap<Key, Assembly>,
    unordered_data: UnorderedData,
    /// Next SSN or MID to deliver per stream; absent means 0.
    next_ordered: HashMap<u16, u32>,
    tsns: Unwrapper,
    ready: VecDeque<ReceivedMessage>,
    /// Messages completed while another was partially delivered.
    held: VecDeque<ReceivedMessage>,
    /// Messages being partially delivered: at most one with DATA, any number with I-DATA.
    partial: BTreeSet<Key>,
    /// The unordered DATA message being partially delivered, if that is the one.
    unordered_partial: Option<UnorderedPartial>,
    aborted: VecDeque<PartialDeliveryAborted>,
    buffered: usize,
    /// The highest TSN stored so far (unwrapped): fragments below it fill gaps.
    highest_stored: Option<u64>,
}

impl ReassemblyQueue {
    pub fn new(config: ReassemblyConfig) -> Self {
        ReassemblyQueue {
            config,
            assemblies: BTreeMap::new(),
            unordered_data: UnorderedData::default(),
            next_ordered: HashMap::new(),
            tsns: Unwrapper::new(),
            ready: VecDeque::new(),
            held: VecDeque::new(),
            partial: BTreeSet::new(),
            unordered_partial: None,
            aborted: VecDeque::new(),
            buffered: 0,
            highest_stored: None,
        }
    }

    pub fn config(&self) -> &ReassemblyConfig {
        &self.config
    }

    /// Payload bytes held: fragments, waiting messages and messages not yet popped.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered
    }

    /// Whether [`pop_message`](Self::pop_message) has something.
    pub fn has_messages(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The next message or piece for the application.
    pub fn pop_message(&mut self) -> Option<ReceivedMessage> {
        let m = self.ready.pop_front()?;
        self.buffered -= m.payload.len();
        Some(m)
    }

    /// A partial delivery that FORWARD-TSN or I-FORWARD-TSN cut short.
    pub fn poll_partial_delivery_aborted(&mut self) -> Option<PartialDeliveryAborted> {
        self.aborted.pop_front()
    }

    /// The SSN or MID the stream delivers next in order.
    pub fn next_ordered(&self, stream_id: StreamId) -> u32 {
        self.next_ordered.get(&stream_id.0).copied().unwrap_or(0)
    }

    /// Offers a DATA chunk. An ordered chunk whose SSN was delivered or skipped already is
    /// dropped silently (`Ok`).
    pub fn add_data(&mut self, chunk: &DataChunk<'_>) -> Result<(), ReassemblyError> {
        let key = self.tsns.unwrap(chunk.tsn.0);
        let id = (!chunk.unordered).then_some((chunk.stream_id.0, false, u32::from(chunk.ssn.0)));
        if !self.continues_partial(id, key) {
            self.admit_or_relieve(DataMode::Data, chunk.payload.len(), key)?;
        } else if chunk.payload.is_empty() {
            return Err(ReassemblyError::EmptyPayload);
        }
        self.highest_stored = self.highest_stored.max(Some(key));
        let payload = chunk.payload.to_vec();
        if chunk.unordered {
            if self.unordered_data.frags.contains_key(&key) {
                return Ok(());
            }
            let frag = LooseFragment {
                stream_id: chunk.stream_id,
                ssn: chunk.ssn,
                ppid: chunk.ppid,
                tsn: chunk.tsn,
                payload,
            };
            self.buffered += frag.payload.len();
            let done = self
                .unordered_data
                .insert(key, frag, chunk.beginning, chunk.ending);
            if let Some((lo, hi)) = done {
                self.finish_unordered_data(lo, hi)?;
            }
            self.continue_unordered_partial();
            return Ok(());
        }
        let frag = Fragment {
            tsn: chunk.tsn,
            payload,
        };
        let id = (chunk.stream_id.0, false, u32::from(chunk.ssn.0));
        self.add_fragment(id, key, frag, chunk.beginning, chunk.ending, chunk.ppid)
    }

    /// Offers an I-DATA chunk. An ordered chunk whose MID was delivered or skipped already is
    /// dropped silently (`Ok`).
    pub fn add_idata(&mut self, chunk: &IDataChunk<'_>) -> Result<(), ReassemblyError> {
        let id = (chunk.stream_id.0, chunk.unordered, chunk.mid.0);
        if self.config.mode != DataMode::IData {
            return Err(ReassemblyError::WrongMode);
        }
        let tsn = self.tsns.unwrap(chunk.tsn.0);
        if !self.continues_partial(Some(id), u64::from(chunk.fsn)) {
            self.admit_or_relieve(DataMode::IData, chunk.payload.len(), tsn)?;
        } else if chunk.payload.is_empty() {
            return Err(ReassemblyError::EmptyPayload);
        }
        self.highest_stored = self.highest_stored.max(Some(tsn));
        // RFC 8260 §2.1: the B fragment carries the PPID where others carry the FSN, and its
        // FSN is 0.
        if !chunk.beginning && chunk.fsn == 0 {
            return Err(ReassemblyError::InconsistentFragments);
        }
        let frag = Fragment {
            tsn: chunk.tsn,
            payload: chunk.payload.to_vec(),
        };
        let id = (chunk.stream_id.0, chunk.unordered, chunk.mid.0);
        let key = u64::from(chunk.fsn);
        self.add_fragment(id, key, frag, chunk.beginning, chunk.ending, chunk.ppid)
    }

    /// FORWARD-TSN (RFC 3758 §3.6): drops what is still missing a TSN at or below
    /// `new_cum_tsn` (DATA mode only: I-DATA fragments are not keyed by TSN), then for each (stream, SSN) listed delivers the complete messages up to
    /// that SSN, drops the incomplete ones, and moves the stream's next SSN past it.
    pub fn handle_forward_tsn(&mut self, new_cum_tsn: Tsn, skipped: &[(StreamId, Ssn)]) {
        if self.config.mode == DataMode::Data {
            let cum = self.tsns.unwrap(new_cum_tsn.0);
            self.buffered -= self.unordered_data.remove_through(cum);
            if let Some(p) = self.unordered_partial.filter(|p| p.next <= cum) {
                self.unordered_partial = None;
                self.aborted.push_back(PartialDeliveryAborted {
                    stream_id: p.stream_id,
                    unordered: true,
                    ssn_or_mid: u32::from(p.ssn.0),
                });
                self.end_partial_delivery(p.key);
            }
            let abandoned: Vec<Key> = self
                .assemblies
                .iter()
                .filter(|(_, a)| a.first_missing().is_some_and(|m| m <= cum))
                .map(|(&k, _)| k)
                .collect();
            for key in abandoned {
                self.drop_assembly(key);
            }
        }
        for &(stream, ssn) in skipped {
            self.skip_ordered(stream.0, u32::from(ssn.0));
        }
    }

    /// I-FORWARD-TSN (RFC 8260 §2.3.2): for each (stream, U bit, MID) listed, ordered: as for
    /// FORWARD-TSN with MIDs; unordered: drops the incomplete messages with MIDs up to it.
    pub fn handle_iforward_tsn(&mut self, skipped: &[(StreamId, bool, Mid)]) {
        for &(stream, unordered, mid) in skipped {
            if !unordered {
                self.skip_ordered(stream.0, mid.0);
                continue;
            }
            let doomed: Vec<Key> = self
                .assemblies
                .range((stream.0, true, 0)..=(stream.0, true, u32::MAX))
                .map(|(&k, _)| k)
                .filter(|k| Mid(k.2) <= mid)
                .collect();
            for key in doomed {
                self.drop_assembly(key);
            }
        }
    }

    /// Resets the incoming streams listed (all when empty) to SSN / MID 0 (RFC 6525 §5.2.2).
    ///
    /// Call it when the reset takes effect, that is when the cumulative TSN reached the
    /// request's Sender's Last Assigned TSN; chunks with later TSNs must be held back by the
    /// caller until then (RFC 6525's deferred reset), or an SSN 0 that arrived early would be
    /// taken for an old one. Fragments already held are kept.
    pub fn reset_streams(&mut self, streams: &[StreamId]) {
        if streams.is_empty() {
            self.next_ordered.clear();
        } else {
            for s in streams {
                self.next_ordered.remove(&s.0);
            }
        }
        let touched: Vec<u16> = if streams.is_empty() {
            let mut all: Vec<u16> = self.assemblies.keys().map(|k| k.0).collect();
            all.dedup();
            all
        } else {
            streams.iter().map(|s| s.0).collect()
        };
        for s in touched {
            self.deliver_ordered(s);
        }
    }

    /// [`admit`](Self::admit), with room beyond the buffer for a fragment that fills a gap
    /// (`tsn`, unwrapped, below the highest stored; see the module documentation); when the
    /// fragment does not fit, also makes sure that reading will free room (see "Partial
    /// delivery" there).
    fn admit_or_relieve(
        &mut self,
        mode: DataMode,
        len: usize,
        tsn: u64,
    ) -> Result<(), ReassemblyError> {
        let mut verdict = self.admit(mode, len);
        if verdict == Err(ReassemblyError::BufferFull)
            && self.highest_stored.is_some_and(|h| tsn < h)
            && self.buffered.saturating_add(len) <= self.config.max_buffered_bytes.saturating_mul(2)
        {
            verdict = Ok(());
        }
        if verdict == Err(ReassemblyError::BufferFull)
            && self.ready.is_empty()
            && self.may_start_partial()
            && self.config.partial_delivery_point != usize::MAX
        {
            let next_ordered = &self.next_ordered;
            let mut candidates: Vec<(usize, Key)> = self
                .assemblies
                .iter()
                .filter(|(k, a)| {
                    a.first.is_some()
                        && a.contig_bytes > 0
                        && (k.1 || next_ordered.get(&k.0).copied().unwrap_or(0) == k.2)
                })
                .map(|(&k, a)| (a.contig_bytes, k))
                .collect();
            // DATA: the largest one; I-DATA: all of them.
            candidates.sort_unstable_by(|a, b| b.cmp(a));
            if self.config.mode == DataMode::Data {
                candidates.truncate(1);
            }
            if candidates.is_empty() && self.config.mode == DataMode::Data {
                self.start_unordered_partial();
            }
            for (_, key) in candidates {
                self.deliver_piece(key);
            }
        }
        verdict
    }

    /// True when the fragment with `key` (TSN for DATA, FSN for I-DATA) of message `id` (`None`:
    /// unordered DATA) is the one a partial delivery waits for. Such a fragment is taken even
    /// when the buffer is full: the fragments behind it may fill the buffer, and without it
    /// nothing could be read to make room (it goes straight out to the reader). Only while the
    /// reader has taken everything handed out, so the buffer exceeds its size by one chunk at
    /// most.
    fn continues_partial(&self, id: Option<Key>, key: u64) -> bool {
        if !self.ready.is_empty() {
            return false;
        }
        match id {
            None => self.unordered_partial.is_some_and(|p| p.next == key),
            Some(id) => {
                self.partial.contains(&id)
                    && self
                        .assemblies
                        .get(&id)
                        .is_some_and(|a| a.first_missing() == Some(key))
            }
        }
    }

    /// Starts handing out the first incomplete unordered DATA message that has a beginning and
    /// more fragments after it, so that reading frees room (DATA mode, no partial delivery
    /// running).
    fn start_unordered_partial(&mut self) {
        let u = &self.unordered_data;
        let start = u.begins.iter().copied().find(|&b| {
            u.runs
                .containing(b)
                .is_some_and(|(_, e)| u.ends.range(b..=e).next().is_none())
        });
        let Some(b) = start else { return };
        let Some(first) = u.frags.get(&b) else { return };
        let partial = UnorderedPartial {
            key: (first.stream_id.0, true, b as u32),
            next: b,
            stream_id: first.stream_id,
            ssn: first.ssn,
            ppid: first.ppid,
        };
        self.partial.insert(partial.key);
        self.unordered_partial = Some(partial);
        self.continue_unordered_partial();
    }

    /// Hands out the fragments of the partially delivered unordered DATA message that follow
    /// what was handed out, up to its end or the next gap.
    fn continue_unordered_partial(&mut self) {
        let Some(mut p) = self.unordered_partial else {
            return;
        };
        let u = &self.unordered_data;
        let Some((_, run_end)) = u.runs.containing(p.next) else {
            return;
        };
        let end = u.ends.range(p.next..=run_end).next().copied();
        let hi = end.unwrap_or(run_end);
        let frags = self.unordered_data.take(p.next, hi);
        let Some(last) = frags.last() else { return };
        let tsn = last.tsn;
        let mut payload = Vec::with_capacity(frags.iter().map(|f| f.payload.len()).sum());
        for f in &frags {
            payload.extend_from_slice(&f.payload);
        }
        let complete = end.is_some();
        let msg = ReceivedMessage {
            stream_id: p.stream_id,
            ppid: p.ppid,
            unordered: true,
            ssn_or_mid: u32::from(p.ssn.0),
            tsn,
            payload,
            complete,
        };
        self.emit(Some(p.key), msg);
        if complete {
            self.unordered_partial = None;
            self.end_partial_delivery(p.key);
        } else {
            p.next = hi + 1;
            self.unordered_partial = Some(p);
        }
    }

    fn admit(&self, mode: DataMode, len: usize) -> Result<(), ReassemblyError> {
        if mode != self.config.mode {
            Err(ReassemblyError::WrongMode)
        } else if len == 0 {
            Err(ReassemblyError::EmptyPayload)
        } else if self.buffered.saturating_add(len) > self.config.max_buffered_bytes {
            Err(ReassemblyError::BufferFull)
        } else {
            Ok(())
        }
    }

    fn add_fragment(
        &mut self,
        id: Key,
        key: u64,
        frag: Fragment,
        beginning: bool,
        ending: bool,
        ppid: Ppid,
    ) -> Result<(), ReassemblyError> {
        let (stream, unordered, seq) = id;
        if !unordered && self.seq_before(seq, self.next_ordered(StreamId(stream))) {
            return Ok(());
        }
        let len = frag.payload.len();
        let assembly = self.assemblies.entry(id).or_default();
        let stored = assembly.insert(key, frag, beginning, ending, ppid);
        if assembly.frags.is_empty() && !assembly.partially_delivered {
            self.assemblies.remove(&id);
        }
        if !stored? {
            return Ok(());
        }
        self.buffered += len;
        if unordered {
            self.service(id);
        } else {
            self.deliver_ordered(stream);
        }
        Ok(())
    }

    fn finish_unordered_data(&mut self, lo: u64, hi: u64) -> Result<(), ReassemblyError> {
        let frags = self.unordered_data.take(lo, hi);
        let total: usize = frags.iter().map(|f| f.payload.len()).sum();
        let (Some(b), Some(e)) = (frags.first(), frags.last()) else {
            return Ok(());
        };
        if frags.iter().any(|f| f.stream_id != b.stream_id) {
            self.buffered -= total;
            return Err(ReassemblyError::InconsistentFragments);
        }
        let mut payload = Vec::with_capacity(total);
        for f in &frags {
            payload.extend_from_slice(&f.payload);
        }
        let msg = ReceivedMessage {
            stream_id: b.stream_id,
            ppid: b.ppid,
            unordered: true,
            ssn_or_mid: u32::from(b.ssn.0),
            tsn: e.tsn,
            payload,
            complete: true,
        };
        self.emit(None, msg);
        Ok(())
    }

    /// Delivers the stream's messages that are next in order, as far as they are complete, and
    /// partially delivers the next one if it qualifies.
    fn deliver_ordered(&mut self, stream: u16) {
        loop {
            let next = self.next_ordered(StreamId(stream));
            let key = (stream, false, next);
            if !self.assemblies.contains_key(&key) || !self.service(key) {
                return;
            }
            let after = self.seq_next(next);
            self.next_ordered.insert(stream, after);
        }
    }

    /// Hands out a deliverable message: whole when complete (returns true), else a piece when
    /// partial delivery applies.
    fn service(&mut self, key: Key) -> bool {
        let Some(a) = self.assemblies.get_mut(&key) else {
            return false;
        };
        if a.is_complete() {
            let Some(mut a) = self.assemblies.remove(&key) else {
                return false;
            };
            let (payload, tsn) = a.take_contiguous();
            let msg = message(key, &a, payload, tsn, true);
            self.emit(Some(key), msg);
            if self.partial.contains(&key) {
                self.end_partial_delivery(key);
            }
            return true;
        }
        let continuing = self.partial.contains(&key);
        let starting = (self.config.mode == DataMode::IData || self.partial.is_empty())
            && a.first.is_some()
            && a.contig_bytes > 0
            && a.contig_bytes >= self.config.partial_delivery_point;
        if (continuing && a.contig_bytes > 0) || starting {
            self.deliver_piece(key);
        }
        false
    }

    /// Hands out the contiguous beginning of an incomplete, deliverable message as a piece,
    /// starting or continuing its partial delivery.
    fn deliver_piece(&mut self, key: Key) {
        let Some(a) = self.assemblies.get_mut(&key) else {
            return;
        };
        a.partially_delivered = true;
        let (payload, tsn) = a.take_contiguous();
        let msg = message(key, a, payload, tsn, false);
        self.partial.insert(key);
        self.emit(Some(key), msg);
    }

    /// Whether another partial delivery may start now: with DATA only one runs at a time
    /// (fragment interleave level 0), with I-DATA any number (level 2; RFC 6458 §8.1.20 and
    /// FreeBSD require level 2 for I-DATA, whose messages interleave on the wire).
    fn may_start_partial(&self) -> bool {
        self.config.mode == DataMode::IData || self.partial.is_empty()
    }

    fn emit(&mut self, key: Option<Key>, msg: ReceivedMessage) {
        let other = key.is_none_or(|k| !self.partial.contains(&k));
        if self.config.mode == DataMode::Data && !self.partial.is_empty() && other {
            self.held.push_back(msg);
        } else {
            self.ready.push_back(msg);
        }
    }

    fn end_partial_delivery(&mut self, key: Key) {
        self.partial.remove(&key);
        if !self.partial.is_empty() {
            return;
        }
        self.ready.append(&mut self.held);
        // Another message may have grown past the partial delivery point meanwhile.
        let candidates: Vec<Key> = self
            .assemblies
            .iter()
            .filter(|(k, a)| {
                a.first.is_some()
                    && a.contig_bytes >= self.config.partial_delivery_point
                    && (k.1 || self.next_ordered(StreamId(k.0)) == k.2)
            })
            .map(|(&k, _)| k)
            .collect();
        for key in candidates {
            if !self.may_start_partial() {
                break;
            }
            if key.1 {
                self.service(key);
            } else {
                self.deliver_ordered(key.0);
            }
        }
    }

    fn drop_assembly(&mut self, key: Key) {
        if let Some(a) = self.assemblies.remove(&key) {
            self.buffered -= a.bytes;
        }
        if self.partial.contains(&key) {
            self.aborted.push_back(PartialDeliveryAborted {
                stream_id: StreamId(key.0),
                unordered: key.1,
                ssn_or_mid: key.2,
            });
            self.end_partial_delivery(key);
        }
    }

    /// Delivers the complete messages of `stream` up to `last` in order, drops the rest up to
    /// it, and continues after it.
    fn skip_ordered(&mut self, stream: u16, last: u32) {
        let next = self.next_ordered(StreamId(stream));
        if self.seq_before(last, next) {
            return;
        }
        let span = self.seq_distance(last, next);
        let mut pending: Vec<(i64, Key)> = self
            .assemblies
            .range((stream, false, 0)..=(stream, false, u32::MAX))
            .map(|(&k, _)| (self.seq_distance(k.2, next), k))
            .filter(|&(d, _)| (0..=span).contains(&d))
            .collect();
        pending.sort_unstable();
        for (_, key) in pending {
            if self.assemblies.get(&key).is_some_and(Assembly::is_complete) {
                self.service(key);
            } else {
                self.drop_assembly(key);
            }
        }
        let after = self.seq_next(last);
        self.next_ordered.insert(stream, after);
        self.deliver_ordered(stream);
    }

    fn seq_next(&self, seq: u32) -> u32 {
        match self.config.mode {
            DataMode::Data => u32::from(Ssn(seq as u16).next().0),
            DataMode::IData => Mid(seq).next().0,
        }
    }

    /// `a - b` in the serial space of SSNs or MIDs.
    fn seq_distance(&self, a: u32, b: u32) -> i64 {
        match self.config.mode {
            DataMode::Data => i64::from(Ssn(a as u16).distance_from(Ssn(b as u16))),
            DataMode::IData => i64::from(Mid(a).distance_from(Mid(b))),
        }
    }

    fn seq_before(&self, a: u32, b: u32) -> bool {
        self.seq_distance(a, b) < 0
    }
}

fn message(key: Key, a: &Assembly, payload: Vec<u8>, tsn: Tsn, complete: bool) -> ReceivedMessage {
    ReceivedMessage {
        stream_id: StreamId(key.0),
        ppid: a.ppid,
        unordered: key.1,
        ssn_or_mid: key.2,
        tsn,
        payload,
        complete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rx::tracker::{DataTracker, Observed, TrackerConfig};
    use proptest::prelude::*;

    /// A DATA chunk; `flags` holds any of 'B', 'E', 'U'.
    fn data<'a>(tsn: u32, stream: u16, ssn: u16, flags: &str, payload: &'a [u8]) -> DataChunk<'a> {
        DataChunk {
            tsn: Tsn(tsn),
            stream_id: StreamId(stream),
            ssn: Ssn(ssn),
            ppid: Ppid(51),
            unordered: flags.contains('U'),
            beginning: flags.contains('B'),
            ending: flags.contains('E'),
            immediate: false,
            payload,
        }
    }

    /// An I-DATA chunk; the B fragment has FSN 0 and carries PPID 53.
    fn idata<'a>(
        tsn: u32,
        stream: u16,
        mid: u32,
        fsn: u32,
        flags: &str,
        payload: &'a [u8],
    ) -> IDataChunk<'a> {
        let beginning = flags.contains('B');
        IDataChunk {
            tsn: Tsn(tsn),
            stream_id: StreamId(stream),
            mid: Mid(mid),
            ppid: if beginning { Ppid(53) } else { Ppid(0) },
            fsn: if beginning { 0 } else { fsn },
            unordered: flags.contains('U'),
            beginning,
            ending: flags.contains('E'),
            immediate: false,
            payload,
        }
    }

    /// Moves an ordered stream's next SSN / MID to `target` with FORWARD-TSN or
    /// I-FORWARD-TSN, in steps of less than half the number space.
    fn skip_to(q: &mut ReassemblyQueue, stream: u16, target: u32) {
        let (space, step): (u64, u64) = match q.config.mode {
            DataMode::Data => (1 << 16, 0x7000),
            DataMode::IData => (1 << 32, 0x7000_0000),
        };
        let target = u64::from(target);
        let mut at = u64::from(q.next_ordered(StreamId(stream)));
        while at != target {
            let ahead = (target + space - at) % space;
            at = (at + ahead.min(step)) % space;
            let last = ((at + space - 1) % space) as u32;
            match q.config.mode {
                DataMode::Data => {
                    q.handle_forward_tsn(Tsn(0), &[(StreamId(stream), Ssn(last as u16))])
                }
                DataMode::IData => q.handle_iforward_tsn(&[(StreamId(stream), false, Mid(last))]),
            }
            assert_eq!(u64::from(q.next_ordered(StreamId(stream))), at);
        }
    }

    fn queue(mode: DataMode) -> ReassemblyQueue {
        ReassemblyQueue::new(ReassemblyConfig {
            mode,
            max_buffered_bytes: 10_000,
            partial_delivery_point: usize::MAX,
        })
    }

    fn drain(q: &mut ReassemblyQueue) -> Vec<ReceivedMessage> {
        core::iter::from_fn(|| q.pop_message()).collect()
    }

    /// (stream, ssn_or_mid, payload) of every message popped.
    fn popped(q: &mut ReassemblyQueue) -> Vec<(u16, u32, Vec<u8>)> {
        drain(q)
            .into_iter()
            .map(|m| {
                assert!(m.complete);
                (m.stream_id.0, m.ssn_or_mid, m.payload)
            })
            .collect()
    }

    fn msg(stream: u16, seq: u32, payload: &[u8]) -> (u16, u32, Vec<u8>) {
        (stream, seq, payload.to_vec())
    }

    #[test]
    fn single_chunk_message() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(7, 1, 0, "BE", b"hello")).unwrap();
        assert!(q.has_messages());
        assert_eq!(q.buffered_bytes(), 5);
        let m = q.pop_message().unwrap();
        assert_eq!(
            m,
            ReceivedMessage {
                stream_id: StreamId(1),
                ppid: Ppid(51),
                unordered: false,
                ssn_or_mid: 0,
                tsn: Tsn(7),
                payload: b"hello".to_vec(),
                complete: true,
            }
        );
        assert_eq!(q.buffered_bytes(), 0);
        assert!(q.pop_message().is_none());
        assert_eq!(q.next_ordered(StreamId(1)), 1);
    }

    #[test]
    fn fragments_out_of_order() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(12, 0, 0, "E", b"ghi")).unwrap();
        q.add_data(&data(10, 0, 0, "B", b"abc")).unwrap();
        assert!(!q.has_messages());
        q.add_data(&data(11, 0, 0, "", b"def")).unwrap();
        let m = q.pop_message().unwrap();
        assert_eq!(m.payload, b"abcdefghi");
        assert_eq!(m.tsn, Tsn(12));
        assert_eq!(q.buffered_bytes(), 0);
        assert!(q.assemblies.is_empty());
    }

    #[test]
    fn ordered_messages_wait_for_their_turn() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(3, 0, 2, "BE", b"c")).unwrap();
        q.add_data(&data(2, 0, 1, "BE", b"b")).unwrap();
        q.add_data(&data(5, 1, 0, "BE", b"x")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(1, 0, b"x")]);
        assert_eq!(q.buffered_bytes(), 2);
        q.add_data(&data(1, 0, 0, "BE", b"a")).unwrap();
        assert_eq!(
            popped(&mut q),
            vec![msg(0, 0, b"a"), msg(0, 1, b"b"), msg(0, 2, b"c")]
        );
    }

    #[test]
    fn duplicates_are_ignored() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(1, 0, 0, "B", b"ab")).unwrap();
        q.add_data(&data(1, 0, 0, "B", b"ab")).unwrap();
        q.add_data(&data(4, 0, 0, "BEU", b"u")).unwrap();
        q.add_data(&data(2, 0, 0, "E", b"cd")).unwrap();
        assert_eq!(q.buffered_bytes(), 5);
        // Already delivered: dropped quietly.
        q.add_data(&data(2, 0, 0, "E", b"cd")).unwrap();
        q.add_data(&data(3, 0, 0, "BE", b"old")).unwrap();
        let all = drain(&mut q);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].payload, b"u");
        assert_eq!(all[1].payload, b"abcd");
        assert_eq!(q.buffered_bytes(), 0);
        assert!(q.assemblies.is_empty());
    }

    #[test]
    fn unordered_overtakes_earlier_ordered() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(1, 0, 0, "B", b"ordered-")).unwrap();
        q.add_data(&data(3, 0, 0, "BEU", b"urgent")).unwrap();
        let m = q.pop_message().unwrap();
        assert!(m.unordered);
        assert_eq!(m.payload, b"urgent");
        q.add_data(&data(2, 0, 0, "E", b"late")).unwrap();
        assert_eq!(q.pop_message().unwrap().payload, b"ordered-late");
    }

    #[test]
    fn unordered_data_fragments() {
        let mut q = queue(DataMode::Data);
        // Two unordered messages on adjacent TSNs: 10..=12 and 13..=14, plus a lone B at 20.
        q.add_data(&data(14, 3, 9, "UE", b"5")).unwrap();
        q.add_data(&data(11, 3, 9, "U", b"2")).unwrap();
        q.add_data(&data(20, 3, 9, "UB", b"z")).unwrap();
        q.add_data(&data(13, 3, 9, "UB", b"4")).unwrap();
        let m = q.pop_message().unwrap();
        assert_eq!((m.payload.as_slice(), m.tsn), (&b"45"[..], Tsn(14)));
        q.add_data(&data(12, 3, 9, "UE", b"3")).unwrap();
        assert!(!q.has_messages());
        q.add_data(&data(10, 3, 9, "UB", b"1")).unwrap();
        let m = q.pop_message().unwrap();
        assert_eq!(m.payload, b"123");
        assert_eq!(m.ssn_or_mid, 9);
        assert_eq!(q.buffered_bytes(), 1);
    }

    #[test]
    fn tsn_wraps_inside_a_message() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(1, 0, 0, "E", b"d")).unwrap();
        q.add_data(&data(u32::MAX - 1, 0, 0, "B", b"a")).unwrap();
        q.add_data(&data(0, 0, 0, "", b"c")).unwrap();
        q.add_data(&data(u32::MAX, 0, 0, "", b"b")).unwrap();
        assert_eq!(q.pop_message().unwrap().payload, b"abcd");
        q.add_data(&data(4, 0, 1, "UE", b"y")).unwrap();
        q.add_data(&data(3, 0, 1, "UB", b"x")).unwrap();
        q.add_data(&data(2, 0, 1, "BE", b"o")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(0, 1, b"xy"), msg(0, 1, b"o")]);
    }

    #[test]
    fn ssn_wraps_around() {
        let mut q = queue(DataMode::Data);
        // Skip to SSN 65534 with FORWARD-TSNs.
        skip_to(&mut q, 4, 65534);
        // A FORWARD-TSN SSN half the space ahead or more counts as behind: ignored.
        let mut fresh = queue(DataMode::Data);
        fresh.handle_forward_tsn(Tsn(5), &[(StreamId(0), Ssn(40000))]);
        assert_eq!(fresh.next_ordered(StreamId(0)), 0);
        q.add_data(&data(102, 4, 0, "BE", b"0")).unwrap();
        q.add_data(&data(101, 4, 65535, "BE", b"65535")).unwrap();
        assert!(!q.has_messages());
        q.add_data(&data(100, 4, 65534, "BE", b"65534")).unwrap();
        q.add_data(&data(103, 4, 1, "BE", b"1")).unwrap();
        assert_eq!(
            popped(&mut q),
            vec![
                msg(4, 65534, b"65534"),
                msg(4, 65535, b"65535"),
                msg(4, 0, b"0"),
                msg(4, 1, b"1")
            ]
        );
        assert_eq!(q.next_ordered(StreamId(4)), 2);
        // SSN 65535 is now behind: dropped.
        q.add_data(&data(104, 4, 65535, "BE", b"old")).unwrap();
        assert!(!q.has_messages());
        assert_eq!(q.buffered_bytes(), 0);
    }

    #[test]
    fn forward_tsn_skips_a_lost_message() {
        let mut q = queue(DataMode::Data);
        // SSN 0 (TSN 1) is lost for good; SSN 1 (TSN 2) waits for it.
        q.add_data(&data(2, 0, 1, "BE", b"b")).unwrap();
        assert!(!q.has_messages());
        q.handle_forward_tsn(Tsn(1), &[(StreamId(0), Ssn(0))]);
        assert_eq!(popped(&mut q), vec![msg(0, 1, b"b")]);
        assert_eq!(q.next_ordered(StreamId(0)), 2);
        // Out of date: nothing changes.
        q.handle_forward_tsn(Tsn(1), &[(StreamId(0), Ssn(0))]);
        assert_eq!(q.next_ordered(StreamId(0)), 2);
    }

    #[test]
    fn forward_tsn_drops_partial_messages_and_delivers_stranded_ones() {
        let mut q = queue(DataMode::Data);
        // Stream 0: SSN 0 = TSNs 1..=3 with 2 missing; SSN 1 = TSN 4 complete; SSN 2 = TSN 5
        // missing; SSN 3 = TSN 6 complete. Unordered fragment at TSN 7 (its E at 8 lost) and a
        // fragment of a later message at TSN 10 (kept).
        q.add_data(&data(1, 0, 0, "B", b"a")).unwrap();
        q.add_data(&data(3, 0, 0, "E", b"c")).unwrap();
        q.add_data(&data(4, 0, 1, "BE", b"one")).unwrap();
        q.add_data(&data(6, 0, 3, "BE", b"three")).unwrap();
        q.add_data(&data(7, 0, 0, "UB", b"u")).unwrap();
        q.add_data(&data(10, 1, 0, "B", b"later")).unwrap();
        assert_eq!(q.buffered_bytes(), 1 + 1 + 3 + 5 + 1 + 5);
        q.handle_forward_tsn(Tsn(8), &[(StreamId(0), Ssn(2))]);
        assert_eq!(popped(&mut q), vec![msg(0, 1, b"one"), msg(0, 3, b"three")]);
        assert_eq!(q.next_ordered(StreamId(0)), 4);
        assert_eq!(q.buffered_bytes(), 5, "only the fragment at TSN 10 remains");
        q.add_data(&data(11, 1, 0, "E", b"!")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(1, 0, b"later!")]);
    }

    #[test]
    fn idata_interleaved_on_two_streams() {
        let mut q = queue(DataMode::IData);
        // Stream 1 MID 0 = "AAAA" in 2 fragments, stream 2 MID 0 = "BBBBBB" in 3, interleaved
        // and out of order.
        q.add_idata(&idata(5, 2, 0, 2, "E", b"BB")).unwrap();
        q.add_idata(&idata(1, 1, 0, 0, "B", b"AA")).unwrap();
        q.add_idata(&idata(2, 2, 0, 0, "B", b"BB")).unwrap();
        q.add_idata(&idata(4, 2, 0, 1, "", b"BB")).unwrap();
        let m = q.pop_message().unwrap();
        assert_eq!(
            (m.stream_id, m.ppid, m.ssn_or_mid, m.tsn, m.payload),
            (StreamId(2), Ppid(53), 0, Tsn(5), b"BBBBBB".to_vec())
        );
        q.add_idata(&idata(3, 1, 0, 1, "E", b"AA")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(1, 0, b"AAAA")]);
        // MIDs in order per stream; an unordered MID space of its own.
        q.add_idata(&idata(7, 1, 2, 0, "BE", b"m2")).unwrap();
        q.add_idata(&idata(8, 1, 0, 0, "BEU", b"u0")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(1, 0, b"u0")]);
        q.add_idata(&idata(6, 1, 1, 0, "BE", b"m1")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(1, 1, b"m1"), msg(1, 2, b"m2")]);
        assert_eq!(q.buffered_bytes(), 0);
    }

    #[test]
    fn idata_mid_wraps_around() {
        let mut q = queue(DataMode::IData);
        skip_to(&mut q, 0, u32::MAX);
        q.add_idata(&idata(2, 0, 0, 0, "BE", b"0")).unwrap();
        q.add_idata(&idata(1, 0, u32::MAX, 0, "BE", b"max"))
            .unwrap();
        assert_eq!(
            popped(&mut q),
            vec![msg(0, u32::MAX, b"max"), msg(0, 0, b"0")]
        );
    }

    #[test]
    fn iforward_tsn_skips_ordered_and_unordered() {
        let mut q = queue(DataMode::IData);
        q.add_idata(&idata(1, 0, 0, 0, "B", b"lost")).unwrap();
        q.add_idata(&idata(3, 0, 1, 0, "BE", b"one")).unwrap();
        q.add_idata(&idata(4, 0, 5, 0, "BU", b"u5")).unwrap();
        q.add_idata(&idata(5, 0, 6, 0, "BU", b"u6")).unwrap();
        q.handle_iforward_tsn(&[(StreamId(0), false, Mid(0)), (StreamId(0), true, Mid(5))]);
        assert_eq!(popped(&mut q), vec![msg(0, 1, b"one")]);
        assert_eq!(q.buffered_bytes(), 2, "only MID 6 unordered remains");
        q.add_idata(&idata(6, 0, 6, 1, "UE", b"!")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(0, 6, b"u6!")]);
    }

    #[test]
    fn memory_bound() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 10,
            partial_delivery_point: usize::MAX,
        });
        q.add_data(&data(1, 0, 0, "B", &[1; 6])).unwrap();
        assert_eq!(
            q.add_data(&data(2, 0, 0, "E", &[2; 5])),
            Err(ReassemblyError::BufferFull)
        );
        assert_eq!(q.buffered_bytes(), 6);
        q.add_data(&data(2, 0, 0, "E", &[2; 4])).unwrap();
        assert_eq!(q.buffered_bytes(), 10, "held until popped");
        assert_eq!(
            q.add_data(&data(3, 0, 1, "BE", &[3])),
            Err(ReassemblyError::BufferFull)
        );
        assert_eq!(q.pop_message().unwrap().payload.len(), 10);
        q.add_data(&data(3, 0, 1, "BE", &[3])).unwrap();
    }

    #[test]
    fn protocol_violations() {
        let mut q = queue(DataMode::Data);
        let e = Err(ReassemblyError::WrongMode);
        assert_eq!(q.add_idata(&idata(1, 0, 0, 0, "BE", b"x")), e);
        assert_eq!(
            q.add_data(&data(1, 0, 0, "BE", b"")),
            Err(ReassemblyError::EmptyPayload)
        );
        let bad = Err(ReassemblyError::InconsistentFragments);
        q.add_data(&data(5, 0, 0, "B", b"x")).unwrap();
        assert_eq!(q.add_data(&data(6, 0, 0, "B", b"x")), bad, "second B");
        assert_eq!(q.add_data(&data(4, 0, 0, "", b"x")), bad, "before B");
        q.add_data(&data(8, 0, 0, "E", b"x")).unwrap();
        assert_eq!(q.add_data(&data(9, 0, 0, "", b"x")), bad, "after E");
        assert_eq!(q.add_data(&data(7, 0, 0, "E", b"x")), bad, "second E");
        assert_eq!(q.buffered_bytes(), 2);
        // Unordered DATA fragments of one message on two streams.
        q.add_data(&data(20, 1, 0, "UB", b"x")).unwrap();
        assert_eq!(q.add_data(&data(21, 2, 0, "UE", b"y")), bad);
        assert_eq!(q.buffered_bytes(), 2);

        let mut q = queue(DataMode::IData);
        assert_eq!(q.add_data(&data(1, 0, 0, "BE", b"x")), e);
        assert_eq!(
            q.add_idata(&idata(1, 0, 0, 0, "E", b"x")),
            bad,
            "FSN 0 without B"
        );
        assert_eq!(q.buffered_bytes(), 0);
        assert!(q.assemblies.is_empty());
    }

    #[test]
    fn stream_reset() {
        let mut q = queue(DataMode::Data);
        q.add_data(&data(1, 0, 0, "BE", b"a")).unwrap();
        q.add_data(&data(2, 1, 0, "BE", b"b")).unwrap();
        drain(&mut q);
        q.reset_streams(&[StreamId(0)]);
        assert_eq!(q.next_ordered(StreamId(0)), 0);
        assert_eq!(q.next_ordered(StreamId(1)), 1);
        q.add_data(&data(3, 0, 0, "BE", b"again")).unwrap();
        assert_eq!(popped(&mut q), vec![msg(0, 0, b"again")]);
        q.reset_streams(&[]);
        assert!(q.next_ordered.is_empty());
    }

    #[test]
    fn stream_state_is_lazy() {
        let mut q = queue(DataMode::Data);
        assert!(q.next_ordered.is_empty());
        q.add_data(&data(1, 65535, 0, "BE", b"x")).unwrap();
        q.add_data(&data(2, 9, 0, "BEU", b"y")).unwrap();
        assert_eq!(q.next_ordered.len(), 1);
        assert!(q.assemblies.is_empty());
    }

    #[test]
    fn many_fragments_in_reverse_order() {
        // 50,000 one-byte fragments of one ordered and one unordered message, last first:
        // each arrival must cost O(log n), not a walk over what is held.
        for flags in ["", "U"] {
            let n = 50_000u32;
            let mut q = pd_queue(DataMode::Data, usize::MAX);
            q.config.max_buffered_bytes = 1 << 20;
            for i in (0..n).rev() {
                let mut f = flags.to_string();
                if i == 0 {
                    f.push('B');
                }
                if i == n - 1 {
                    f.push('E');
                }
                q.add_data(&data(i, 0, 0, &f, &[i as u8])).unwrap();
            }
            let m = q.pop_message().unwrap();
            assert_eq!(m.payload.len(), n as usize);
            assert_eq!(m.payload[n as usize - 1], (n - 1) as u8);
        }
    }

    fn pd_queue(mode: DataMode, point: usize) -> ReassemblyQueue {
        ReassemblyQueue::new(ReassemblyConfig {
            mode,
            max_buffered_bytes: 1000,
            partial_delivery_point: point,
        })
    }

    #[test]
    fn partial_delivery_of_ordered_data() {
        let mut q = pd_queue(DataMode::Data, 8);
        q.add_data(&data(1, 0, 0, "B", b"01234")).unwrap();
        assert!(!q.has_messages());
        q.add_data(&data(3, 0, 0, "", b"abcde")).unwrap();
        assert!(!q.has_messages(), "not contiguous yet");
        q.add_data(&data(2, 0, 0, "", b"56789")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!(
            (p.payload.as_slice(), p.complete, p.tsn),
            (&b"0123456789abcde"[..], false, Tsn(3))
        );
        // Another message completes meanwhile; it waits for the partial delivery to end.
        q.add_data(&data(10, 1, 0, "BE", b"other")).unwrap();
        assert!(!q.has_messages());
        q.add_data(&data(4, 0, 0, "", b"f")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"f"[..], false));
        q.add_data(&data(5, 0, 0, "E", b"g")).unwrap();
        let all = drain(&mut q);
        assert_eq!(all.len(), 2);
        assert_eq!(
            (all[0].payload.as_slice(), all[0].complete),
            (&b"g"[..], true)
        );
        assert_eq!(all[1].payload, b"other");
        assert_eq!(q.next_ordered(StreamId(0)), 1);
        assert_eq!(q.buffered_bytes(), 0);
    }

    #[test]
    fn partial_delivery_waits_for_the_head_of_the_stream() {
        let mut q = pd_queue(DataMode::Data, 4);
        q.add_data(&data(5, 0, 1, "B", b"bigger")).unwrap();
        assert!(!q.has_messages(), "SSN 0 comes first");
        q.add_data(&data(4, 0, 0, "BE", b"s0")).unwrap();
        let all = drain(&mut q);
        assert_eq!(all.len(), 2);
        assert!(all[0].complete && !all[1].complete);
        assert_eq!(all[1].payload, b"bigger");
    }

    #[test]
    fn partial_delivery_aborted_by_forward_tsn() {
        let mut q = pd_queue(DataMode::Data, 2);
        q.add_data(&data(1, 0, 0, "B", b"abc")).unwrap();
        q.add_data(&data(5, 1, 0, "BE", b"next")).unwrap();
        assert_eq!(q.pop_message().unwrap().payload, b"abc");
        assert!(q.pop_message().is_none());
        q.handle_forward_tsn(Tsn(3), &[(StreamId(0), Ssn(0))]);
        assert_eq!(
            q.poll_partial_delivery_aborted(),
            Some(PartialDeliveryAborted {
                stream_id: StreamId(0),
                unordered: false,
                ssn_or_mid: 0
            })
        );
        assert_eq!(popped(&mut q), vec![msg(1, 0, b"next")]);
        assert_eq!(q.next_ordered(StreamId(0)), 1);
        q.add_data(&data(2, 0, 0, "", b"late")).unwrap();
        assert!(!q.has_messages());
        assert_eq!(q.buffered_bytes(), 0);
    }

    #[test]
    fn partial_delivery_of_idata() {
        let mut q = pd_queue(DataMode::IData, 3);
        q.add_idata(&idata(2, 0, 0, 1, "U", b"def")).unwrap();
        q.add_idata(&idata(1, 0, 0, 0, "BU", b"abc")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!(
            (p.payload.as_slice(), p.complete, p.ppid),
            (&b"abcdef"[..], false, Ppid(53))
        );
        q.add_idata(&idata(3, 0, 0, 2, "UE", b"g")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"g"[..], true));
        // Partial deliveries of messages on different streams run side by side (fragment
        // interleave level 2): their pieces interleave, each labelled by stream and MID.
        q.add_idata(&idata(4, 1, 0, 0, "B", b"1234")).unwrap();
        assert!(!q.pop_message().unwrap().complete);
        q.add_idata(&idata(5, 2, 0, 0, "B", b"5678")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.stream_id, p.complete), (StreamId(2), false));
        q.add_idata(&idata(6, 1, 0, 1, "E", b"!")).unwrap();
        let all = drain(&mut q);
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].stream_id, all[0].complete), (StreamId(1), true));
        q.handle_iforward_tsn(&[(StreamId(2), false, Mid(0))]);
        assert!(q.poll_partial_delivery_aborted().is_some());
        assert_eq!(q.buffered_bytes(), 0);
    }

    /// Interleaved I-DATA messages fill the buffer while each stays below the partial delivery
    /// point (dcsctp sends messages of several streams round-robin): the refused fragment
    /// starts partial delivery of every deliverable one, so reading frees room instead of the
    /// window staying shut forever.
    #[test]
    fn full_buffer_starts_partial_delivery_below_the_point() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::IData,
            max_buffered_bytes: 12,
            partial_delivery_point: 6,
        });
        // Stream 1's MID 1 is not deliverable (MID 0 first); streams 0 and 2 are.
        q.add_idata(&idata(1, 0, 0, 0, "B", b"aaaa")).unwrap();
        q.add_idata(&idata(2, 1, 1, 0, "B", b"bbbbb")).unwrap();
        q.add_idata(&idata(3, 2, 0, 0, "B", b"cc")).unwrap();
        q.add_idata(&idata(4, 2, 0, 1, "", b"c")).unwrap();
        assert_eq!(q.buffered_bytes(), 12);
        assert!(!q.has_messages());
        assert_eq!(
            q.add_idata(&idata(5, 0, 0, 1, "", b"a")),
            Err(ReassemblyError::BufferFull)
        );
        let pieces: Vec<_> = drain(&mut q)
            .into_iter()
            .map(|p| (p.stream_id.0, p.payload, p.complete))
            .collect();
        assert_eq!(
            pieces,
            vec![(0, b"aaaa".to_vec(), false), (2, b"ccc".to_vec(), false)]
        );
        q.add_idata(&idata(5, 0, 0, 1, "E", b"a")).unwrap();
        q.add_idata(&idata(6, 2, 0, 2, "E", b"c")).unwrap();
        let rest: Vec<_> = drain(&mut q)
            .into_iter()
            .map(|p| (p.stream_id.0, p.payload, p.complete))
            .collect();
        assert_eq!(
            rest,
            vec![(0, b"a".to_vec(), true), (2, b"c".to_vec(), true)]
        );
        assert_eq!(q.buffered_bytes(), 5);
    }

    /// With DATA the same happens to one message at a time: the head of stream 0 is handed out
    /// in a piece when messages of other streams fill the rest and a new fragment is refused.
    #[test]
    fn full_buffer_starts_one_partial_delivery_with_data() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 8,
            partial_delivery_point: 8,
        });
        q.add_data(&data(1, 1, 1, "BE", b"bbb")).unwrap();
        q.add_data(&data(2, 0, 0, "B", b"aaaaa")).unwrap();
        assert!(!q.has_messages());
        assert_eq!(
            q.add_data(&data(3, 0, 0, "E", b"a")),
            Err(ReassemblyError::BufferFull)
        );
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"aaaaa"[..], false));
        q.add_data(&data(3, 0, 0, "E", b"a")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"a"[..], true));
        assert_eq!(q.buffered_bytes(), 3);
    }

    /// A fragment that fills a gap (its TSN below the highest stored) is taken beyond the
    /// buffer's size, up to twice that size, so the message waiting for it is delivered whole
    /// instead of in pieces; past that it is refused like any other.
    #[test]
    fn full_buffer_takes_a_fragment_that_fills_a_gap() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 8,
            partial_delivery_point: 8,
        });
        q.add_data(&data(1, 0, 0, "B", b"aaaaa")).unwrap();
        q.add_data(&data(5, 1, 1, "BE", b"bbb")).unwrap();
        q.add_data(&data(2, 0, 0, "E", b"a")).unwrap();
        assert_eq!(q.buffered_bytes(), 9);
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"aaaaaa"[..], true));
        // Stream 2's message lacks its middle (TSN 7) and the buffer is full; TSN 7 fills the
        // gap but would take the buffer past twice its size: refused, and as nothing is ready
        // to read, the head of the message goes out in a piece to make room.
        q.add_data(&data(6, 2, 0, "B", b"cc")).unwrap();
        q.add_data(&data(8, 2, 0, "E", b"ccc")).unwrap();
        assert_eq!(q.buffered_bytes(), 8);
        assert_eq!(
            q.add_data(&data(7, 2, 0, "", b"ccccccccc")),
            Err(ReassemblyError::BufferFull)
        );
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"cc"[..], false));
        q.add_data(&data(7, 2, 0, "", b"cccccccc")).unwrap();
        assert_eq!(q.buffered_bytes(), 14);
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.len(), p.complete), (11, true));
    }

    /// No partial delivery starts while a message is ready for the reader: reading it makes the
    /// room the refused fragment needs.
    #[test]
    fn full_buffer_with_a_message_to_read_starts_nothing() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 8,
            partial_delivery_point: 8,
        });
        q.add_data(&data(1, 1, 0, "BE", b"bbb")).unwrap();
        q.add_data(&data(2, 0, 0, "B", b"aaaaa")).unwrap();
        assert_eq!(
            q.add_data(&data(3, 0, 0, "E", b"a")),
            Err(ReassemblyError::BufferFull)
        );
        let p = q.pop_message().unwrap();
        assert_eq!((p.stream_id.0, p.complete), (1, true));
        assert!(q.pop_message().is_none(), "stream 0's message is not cut");
        q.add_data(&data(3, 0, 0, "E", b"a")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"aaaaaa"[..], true));
    }

    /// An unordered DATA message larger than the buffer is handed out in pieces once the
    /// buffer is full, and messages completed meanwhile wait until it ends.
    #[test]
    fn full_buffer_starts_partial_delivery_of_unordered_data() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 8,
            partial_delivery_point: 8,
        });
        q.add_data(&data(1, 3, 0, "UB", b"aaaa")).unwrap();
        q.add_data(&data(2, 3, 0, "U", b"aaaa")).unwrap();
        assert_eq!(
            q.add_data(&data(3, 3, 0, "U", b"a")),
            Err(ReassemblyError::BufferFull)
        );
        let p = q.pop_message().unwrap();
        assert_eq!(
            (p.payload.as_slice(), p.complete),
            (&b"aaaaaaaa"[..], false)
        );
        assert!(p.unordered);
        q.add_data(&data(3, 3, 0, "U", b"b")).unwrap();
        q.add_data(&data(5, 1, 0, "UBE", b"other")).unwrap();
        let p = q.pop_message().unwrap();
        assert_eq!((p.payload.as_slice(), p.complete), (&b"b"[..], false));
        assert!(
            q.pop_message().is_none(),
            "the other message waits for the end"
        );
        q.add_data(&data(4, 3, 0, "UE", b"c")).unwrap();
        let rest: Vec<_> = drain(&mut q)
            .into_iter()
            .map(|p| (p.stream_id.0, p.payload, p.complete))
            .collect();
        assert_eq!(
            rest,
            vec![(3, b"c".to_vec(), true), (1, b"other".to_vec(), true)]
        );
        assert_eq!(q.buffered_bytes(), 0);
    }

    /// A refusal with nothing deliverable (only a later SSN is held) starts nothing.
    #[test]
    fn full_buffer_without_a_deliverable_message_changes_nothing() {
        let mut q = ReassemblyQueue::new(ReassemblyConfig {
            mode: DataMode::Data,
            max_buffered_bytes: 4,
            partial_delivery_point: 4,
        });
        q.add_data(&data(2, 0, 1, "B", b"xyz")).unwrap();
        assert_eq!(
            q.add_data(&data(3, 0, 1, "", b"zz")),
            Err(ReassemblyError::BufferFull)
        );
        assert!(!q.has_messages());
        assert_eq!(q.buffered_bytes(), 3);
    }

    /// A message sent in the property test.
    #[derive(Debug, Clone)]
    struct Sent {
        stream: u16,
        unordered: bool,
        payload: Vec<u8>,
        fragment: usize,
    }

    fn sent_strategy() -> impl Strategy<Value = Sent> {
        (0u16..3, any::<bool>(), 1usize..40, 1usize..12, any::<u8>()).prop_map(
            |(stream, unordered, len, fragment, seed)| Sent {
                stream,
                unordered,
                payload: (0..len).map(|i| seed.wrapping_add(i as u8)).collect(),
                fragment,
            },
        )
    }

    /// One chunk on the wire, independent of the mode.
    #[derive(Debug, Clone)]
    struct Wire {
        tsn: u32,
        msg: usize,
        stream: u16,
        seq: u32,
        fsn: u32,
        unordered: bool,
        beginning: bool,
        ending: bool,
        payload: Vec<u8>,
    }

    /// Fragments messages the way a sender does: TSNs consecutive from `first_tsn`, ordered
    /// SSNs / MIDs per stream from `first_seq`, unordered MIDs per stream from 0.
    fn fragment(msgs: &[Sent], first_tsn: u32, first_seq: u32, mode: DataMode) -> Vec<Wire> {
        let mut out = Vec::new();
        let mut tsn = first_tsn;
        let mut ordered_seq: HashMap<u16, u32> = HashMap::new();
        let mut unordered_mid: HashMap<u16, u32> = HashMap::new();
        for (i, m) in msgs.iter().enumerate() {
            let counter = if m.unordered {
                unordered_mid.entry(m.stream).or_insert(0)
            } else {
                ordered_seq.entry(m.stream).or_insert(first_seq)
            };
            let seq = *counter;
            *counter = match mode {
                DataMode::Data => u32::from((seq as u16).wrapping_add(1)),
                DataMode::IData => seq.wrapping_add(1),
            };
            let pieces: Vec<&[u8]> = m.payload.chunks(m.fragment).collect();
            for (fsn, piece) in pieces.iter().enumerate() {
                out.push(Wire {
                    tsn,
                    msg: i,
                    stream: m.stream,
                    seq,
                    fsn: fsn as u32,
                    unordered: m.unordered,
                    beginning: fsn == 0,
                    ending: fsn + 1 == pieces.len(),
                    payload: piece.to_vec(),
                });
                tsn = tsn.wrapping_add(1);
            }
        }
        out
    }

    fn offer(q: &mut ReassemblyQueue, w: &Wire, mode: DataMode) -> Result<(), ReassemblyError> {
        match mode {
            DataMode::Data => q.add_data(&DataChunk {
                tsn: Tsn(w.tsn),
                stream_id: StreamId(w.stream),
                ssn: Ssn(w.seq as u16),
                ppid: Ppid(w.msg as u32),
                unordered: w.unordered,
                beginning: w.beginning,
                ending: w.ending,
                immediate: false,
                payload: &w.payload,
            }),
            DataMode::IData => q.add_idata(&IDataChunk {
                tsn: Tsn(w.tsn),
                stream_id: StreamId(w.stream),
                mid: Mid(w.seq),
                ppid: if w.beginning {
                    Ppid(w.msg as u32)
                } else {
                    Ppid(0)
                },
                fsn: w.fsn,
                unordered: w.unordered,
                beginning: w.beginning,
                ending: w.ending,
                immediate: false,
                payload: &w.payload,
            }),
        }
    }

    /// Every message comes out exactly once and intact (pieces of a partially delivered one
    /// consecutive with DATA; with I-DATA pieces of different messages may interleave),
    /// ordered ones in order per stream.
    fn check_delivery(
        mode: DataMode,
        msgs: &[Sent],
        out: Vec<ReceivedMessage>,
    ) -> Result<(), TestCaseError> {
        let mut whole: Vec<(usize, ReceivedMessage)> = Vec::new();
        let mut partials: BTreeMap<(u16, bool, u32), ReceivedMessage> = BTreeMap::new();
        for m in out {
            let id = m.ppid.0 as usize;
            let mkey = (m.stream_id.0, m.unordered, m.ssn_or_mid);
            let partial = match mode {
                DataMode::Data => partials.pop_first().map(|(_, p)| p),
                DataMode::IData => partials.remove(&mkey),
            };
            let m = match partial {
                Some(mut p) => {
                    prop_assert_eq!(
                        (p.stream_id, p.unordered, p.ssn_or_mid),
                        (m.stream_id, m.unordered, m.ssn_or_mid),
                        "pieces of one message are consecutive"
                    );
                    p.payload.extend_from_slice(&m.payload);
                    p.complete = m.complete;
                    p.tsn = m.tsn;
                    p
                }
                None => m,
            };
            if m.complete {
                whole.push((id, m));
            } else {
                partials.insert(mkey, m);
            }
        }
        prop_assert!(partials.is_empty());
        let mut seen = vec![false; msgs.len()];
        let mut last_per_stream: HashMap<u16, usize> = HashMap::new();
        for (id, m) in whole {
            prop_assert!(id < msgs.len());
            prop_assert!(!seen[id], "message {} delivered twice", id);
            seen[id] = true;
            let sent = &msgs[id];
            prop_assert_eq!(&m.payload, &sent.payload);
            prop_assert_eq!((m.stream_id.0, m.unordered), (sent.stream, sent.unordered));
            if !sent.unordered {
                if let Some(&before) = last_per_stream.get(&sent.stream) {
                    prop_assert!(before < id, "stream {} out of order", sent.stream);
                }
                last_per_stream.insert(sent.stream, id);
            }
        }
        prop_assert!(seen.iter().all(|&s| s), "lost a message: {:?}", seen);
        Ok(())
    }

    fn mode_strategy() -> impl Strategy<Value = DataMode> {
        prop_oneof![Just(DataMode::Data), Just(DataMode::IData)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Shuffled and duplicated fragments, straight into the queue.
        #[test]
        fn shuffled_duplicated_fragments_reassemble(
            msgs in proptest::collection::vec(sent_strategy(), 1..25),
            mode in mode_strategy(),
            near_wrap in any::<bool>(),
            pd_point in prop_oneof![Just(usize::MAX), 1usize..30],
            order in any::<proptest::sample::Index>(),
            dups in proptest::collection::vec(any::<proptest::sample::Index>(), 0..20),
            seed in any::<u64>(),
        ) {
            let first_tsn = if near_wrap { u32::MAX - 20 } else { 1000 };
            let mut wire = fragment(&msgs, first_tsn, 0, mode);
            for d in &dups {
                let copy = wire[d.index(wire.len())].clone();
                wire.push(copy);
            }
            shuffle(&mut wire, seed ^ order.index(1 << 20) as u64);
            let mut q = pd_queue_big(mode, pd_point);
            let mut out = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for w in &wire {
                // Only the tracker can tell a late duplicate of a delivered unordered message;
                // ordered duplicates the queue recognises itself.
                if !seen.insert(w.tsn) && w.unordered {
                    continue;
                }
                prop_assert_eq!(offer(&mut q, w, mode), Ok(()));
                out.extend(core::iter::from_fn(|| q.pop_message()));
            }
            prop_assert_eq!(q.buffered_bytes(), 0);
            prop_assert!(q.assemblies.is_empty());
            check_delivery(mode, &msgs, out)?;
        }

        /// The same through the tracker, as the association drives them, with SSNs / MIDs
        /// starting just before wrap-around (after a FORWARD-TSN moved the stream there).
        #[test]
        fn tracker_and_queue_together(
            msgs in proptest::collection::vec(sent_strategy(), 1..25),
            mode in mode_strategy(),
            dups in proptest::collection::vec(any::<proptest::sample::Index>(), 0..20),
            seed in any::<u64>(),
        ) {
            let first_seq = match mode {
                DataMode::Data => 65530,
                DataMode::IData => u32::MAX - 5,
            };
            let first_tsn = u32::MAX - 10;
            let mut wire = fragment(&msgs, first_tsn, first_seq, mode);
            for d in &dups {
                let copy = wire[d.index(wire.len())].clone();
                wire.push(copy);
            }
            shuffle(&mut wire, seed);
            let mut tracker = DataTracker::new(Tsn(first_tsn), TrackerConfig::default());
            let mut q = pd_queue_big(mode, usize::MAX);
            for s in 0..3 {
                skip_to(&mut q, s, first_seq);
            }
            let mut out = Vec::new();
            for w in &wire {
                if tracker.classify(Tsn(w.tsn)) == Observed::New {
                    prop_assert_eq!(offer(&mut q, w, mode), Ok(()));
                }
                tracker.observe(Tsn(w.tsn), false);
                out.extend(core::iter::from_fn(|| q.pop_message()));
            }
            let last = wire.iter().map(|w| w.tsn.wrapping_sub(first_tsn)).max().unwrap_or(0);
            prop_assert_eq!(tracker.cumulative_tsn(), Tsn(first_tsn.wrapping_add(last)));
            prop_assert!(!tracker.has_gaps());
            check_delivery(mode, &msgs, out)?;
        }
    }

    /// An arbitrary input, as a hostile peer (or a confused association) may produce.
    #[derive(Debug, Clone)]
    enum Op {
        Chunk {
            tsn: u32,
            stream: u16,
            seq: u32,
            fsn: u32,
            flags: u8,
            len: usize,
        },
        Forward(u32, u16, u32),
        IForward(u16, bool, u32),
        Reset(Option<u16>),
        Pop,
    }

    fn op_strategy() -> impl Strategy<Value = Op> {
        prop_oneof![
            6 => (0u32..40, 0u16..3, 0u32..6, 0u32..5, 0u8..8, 0usize..20).prop_map(
                |(tsn, stream, seq, fsn, flags, len)| Op::Chunk { tsn, stream, seq, fsn, flags, len }
            ),
            1 => (0u32..40, 0u16..3, 0u32..6).prop_map(|(t, s, q)| Op::Forward(t, s, q)),
            1 => (0u16..3, any::<bool>(), 0u32..6).prop_map(|(s, u, m)| Op::IForward(s, u, m)),
            1 => proptest::option::of(0u16..3).prop_map(Op::Reset),
            2 => Just(Op::Pop),
        ]
    }

    /// Bytes held, counted from the internals.
    fn counted(q: &ReassemblyQueue) -> usize {
        let a: usize = q.assemblies.values().map(|a| a.bytes).sum();
        let a2: usize = q
            .assemblies
            .values()
            .flat_map(|a| a.frags.values())
            .map(|f| f.payload.len())
            .sum();
        assert_eq!(a, a2);
        let u: usize = q
            .unordered_data
            .frags
            .values()
            .map(|f| f.payload.len())
            .sum();
        let r: usize = q.ready.iter().chain(&q.held).map(|m| m.payload.len()).sum();
        a + u + r
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// Whatever arrives, nothing panics, the bound holds and the accounting is exact.
        #[test]
        fn arbitrary_input_keeps_the_books(
            ops in proptest::collection::vec(op_strategy(), 0..80),
            mode in mode_strategy(),
            pd_point in prop_oneof![Just(usize::MAX), 1usize..30],
        ) {
            let mut q = ReassemblyQueue::new(ReassemblyConfig {
                mode,
                max_buffered_bytes: 60,
                partial_delivery_point: pd_point,
            });
            let payload = [7u8; 20];
            for op in ops {
                match op {
                    Op::Chunk { tsn, stream, seq, fsn, flags, len } => {
                        let f = |bit: u8, c: char| if flags & bit != 0 { Some(c) } else { None };
                        let fl: String = [f(1, 'B'), f(2, 'E'), f(4, 'U')].into_iter().flatten().collect();
                        let _ = match mode {
                            DataMode::Data => q.add_data(&data(tsn, stream, seq as u16, &fl, &payload[..len])),
                            DataMode::IData => q.add_idata(&idata(tsn, stream, seq, fsn, &fl, &payload[..len])),
                        };
                    }
                    Op::Forward(t, s, n) => q.handle_forward_tsn(Tsn(t), &[(StreamId(s), Ssn(n as u16))]),
                    Op::IForward(s, u, m) => q.handle_iforward_tsn(&[(StreamId(s), u, Mid(m))]),
                    Op::Reset(s) => match s {
                        Some(s) => q.reset_streams(&[StreamId(s)]),
                        None => q.reset_streams(&[]),
                    },
                    Op::Pop => {
                        q.pop_message();
                    }
                }
                // Fragments filling gaps may take the size once more, and one chunk (at most
                // 20 bytes here) beyond that may continue a partial delivery.
                prop_assert!(q.buffered_bytes() <= 2 * 60 + 20);
                prop_assert_eq!(q.buffered_bytes(), counted(&q));
                prop_assert!(q.held.is_empty() || !q.partial.is_empty());
            }
            while q.pop_message().is_some() {}
            prop_assert_eq!(q.buffered_bytes(), counted(&q));
        }
    }

    fn pd_queue_big(mode: DataMode, point: usize) -> ReassemblyQueue {
        ReassemblyQueue::new(ReassemblyConfig {
            mode,
            max_buffered_bytes: 1 << 20,
            partial_delivery_point: point,
        })
    }

    /// Fisher-Yates with a small deterministic generator (xorshift), so the case is reproducible
    /// from the seed proptest reports.
    fn shuffle<T>(v: &mut [T], seed: u64) {
        let mut x = seed | 1;
        for i in (1..v.len()).rev() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v.swap(i, (x % (i as u64 + 1)) as usize);
        }
    }
}
