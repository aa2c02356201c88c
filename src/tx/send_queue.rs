//! User messages waiting to be sent: per-stream queues, the stream scheduler, fragmentation
//! into DATA or I-DATA chunk payloads (RFC 9260 §6.9, RFC 8260 §2), SSN/MID assignment and
//! the send-buffer limit.
//!
//! Streams are allocated on first use. A message is queued in one or more parts: each
//! `enqueue` with `end_of_record == false` adds a part and leaves the message open (explicit
//! EOR, SCTP_EXPLICIT_EOR). While a message is open only whole chunks of `max_payload` bytes
//! are cut from it, so the final chunk, which carries the E bit, always has user data.
//!
//! With DATA, the fragments of a message must have consecutive TSNs, so once a message has
//! started nothing else is scheduled until it is finished (if it is open and out of data, the
//! queue waits). With I-DATA (`interleaving`), other streams go ahead meanwhile.

mod scheduling;

use super::scheduler::{Head, SchedulerKind, StreamScheduler};
use super::{AbandonedMessage, MessageId, Payload, PrPolicy};
use crate::types::{Instant, Mid, Ppid, Ssn, StreamId};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Settings of the send queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendQueueConfig {
    /// SO_SNDBUF: payload bytes queued or in flight (not yet acknowledged) at most.
    pub max_buffered_bytes: usize,
    /// I-DATA is in use (RFC 8260): MIDs and FSNs instead of SSNs, interleaving allowed.
    pub interleaving: bool,
    pub scheduler: SchedulerKind,
    /// PR-SCTP is in use: policies apply. Without it every message is sent reliably.
    pub partial_reliability: bool,
}

impl Default for SendQueueConfig {
    fn default() -> Self {
        SendQueueConfig {
            max_buffered_bytes: 256 * 1024,
            interleaving: false,
            scheduler: SchedulerKind::default(),
            partial_reliability: true,
        }
    }
}

/// Per-message options of a send call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MessageOptions {
    /// U bit: delivered without regard to stream order.
    pub unordered: bool,
    pub ppid: Ppid,
    /// PR-SCTP policy (RFC 3758); a `Ttl` also discards the message if it was never sent.
    pub pr: PrPolicy,
    /// RFC 9260 §11.1 SEND "lifetime": the message is discarded if it has not started to be
    /// sent by then.
    pub lifetime: Option<Instant>,
    /// SCTP_SACK_IMMEDIATELY (RFC 7053): the last fragment asks the peer to acknowledge at
    /// once (the I bit).
    pub sack_immediately: bool,
    /// `snd_context`, handed back if the message fails (SCTP_SEND_FAILED_EVENT).
    pub context: u32,
}

/// Why `enqueue` refused a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnqueueError {
    /// The send buffer limit would be exceeded (EWOULDBLOCK / EAGAIN for the socket).
    BufferFull,
    /// A message without user data (RFC 9260 §6.2 forbids empty DATA chunks).
    EmptyMessage,
    /// The stream id is not below the negotiated number of outgoing streams.
    InvalidStream,
}

/// The stream sequence number of a chunk: SSN with DATA, MID with I-DATA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamSeq {
    Ssn(Ssn),
    Mid(Mid),
}

/// One fragment of a user message, ready for a TSN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingChunk {
    pub message_id: MessageId,
    pub stream_id: StreamId,
    /// SSN (0 for unordered DATA, which does not consume one) or MID.
    pub seq: StreamSeq,
    /// Fragment sequence number of I-DATA (0 with DATA).
    pub fsn: u32,
    pub ppid: Ppid,
    pub unordered: bool,
    /// B bit.
    pub beginning: bool,
    /// E bit.
    pub ending: bool,
    /// I bit (RFC 7053): set on the last fragment of a message sent with SCTP_SACK_IMMEDIATELY.
    pub immediate: bool,
    pub payload: Payload,
    pub pr: PrPolicy,
    /// `snd_context` of the message.
    pub context: u32,
}

#[derive(Debug)]
struct Message {
    id: MessageId,
    /// Arrival order across streams (first-come-first-served).
    arrival: u64,
    opts: MessageOptions,
    parts: VecDeque<Payload>,
    /// Bytes in `parts`.
    available: usize,
    /// End of record seen.
    complete: bool,
    /// SSN/MID, assigned with the first fragment.
    seq: Option<StreamSeq>,
    next_fsn: u32,
}

impl Message {
    fn started(&self) -> bool {
        self.seq.is_some()
    }

    fn expired(&self, now: Instant, partial_reliability: bool) -> bool {
        let ttl = match self.opts.pr {
            PrPolicy::Ttl { expires } if partial_reliability => Some(expires),
            _ => None,
        };
        [ttl, self.opts.lifetime]
            .into_iter()
            .flatten()
            .any(|t| now >= t)
    }

    /// Cuts the next `n` bytes (n <= available), copying only when crossing parts.
    fn take(&mut self, n: usize) -> Payload {
        self.available -= n;
        let Some(front) = self.parts.front_mut() else {
            return Payload::from(Vec::new());
        };
        if front.len() >= n {
            let out = front.slice(0, n);
            *front = front.slice(n, front.len());
            if front.is_empty() {
                self.parts.pop_front();
            }
            return out;
        }
        let mut buf = Vec::with_capacity(n);
        while buf.len() < n {
            let Some(front) = self.parts.front_mut() else {
                break;
            };
            let want = (n - buf.len()).min(front.len());
            buf.extend_from_slice(&front.as_slice()[..want]);
            *front = front.slice(want, front.len());
            if front.is_empty() {
                self.parts.pop_front();
            }
        }
        Payload::from(buf)
    }
}

#[derive(Debug, Default)]
struct OutStream {
    next_ssn: Ssn,
    next_mid_ordered: Mid,
    next_mid_unordered: Mid,
    queue: VecDeque<Message>,
}

/// The queue of user messages of one association.
#[derive(Debug)]
pub struct SendQueue {
    config: SendQueueConfig,
    /// Negotiated number of outgoing streams; `None` before the handshake completes.
    num_streams: Option<u16>,
    streams: BTreeMap<u16, OutStream>,
    /// Chooses among the streams with queued messages.
    sched: StreamScheduler,
    paused: BTreeSet<u16>,
    /// The stream whose head message has started and is not finished.
    current: Option<u16>,
    next_message_id: u64,
    next_arrival: u64,
    queued_bytes: usize,
    buffered_bytes: usize,
    discarded: Vec<AbandonedMessage>,
    /// The chunks of the last message queued carry the I bit (RFC 7053 §4.1: the association
    /// is shutting down, so the peer should not delay the SACK that lets SHUTDOWN go out).
    last_message_immediate: bool,
}

impl SendQueue {
    pub fn new(config: SendQueueConfig) -> Self {
        SendQueue {
            config,
            num_streams: None,
            streams: BTreeMap::new(),
            sched: StreamScheduler::new(config.scheduler),
            paused: BTreeSet::new(),
            current: None,
            next_message_id: 0,
            next_arrival: 0,
            queued_bytes: 0,
            buffered_bytes: 0,
            discarded: Vec::new(),
            last_message_immediate: false,
        }
    }

    /// From now on the fragments of a message that is the last one queued (complete, with no
    /// other unsent data behind or beside it) carry the I bit, as libusrsctp marks the final
    /// message of an association in SHUTDOWN-PENDING when sctp_enable_sack_immediately is on.
    pub fn set_last_message_immediate(&mut self, on: bool) {
        self.last_message_immediate = on;
    }

    pub fn config(&self) -> &SendQueueConfig {
        &self.config
    }

    /// Switches between DATA and I-DATA once the handshake has told which one is used. Only
    /// meaningful before any message started.
    pub fn set_interleaving(&mut self, interleaving: bool) {
        self.config.interleaving = interleaving;
    }

    /// Changes SO_SNDBUF. Data already buffered stays even if it is now over the limit.
    pub fn set_max_buffered_bytes(&mut self, max: usize) {
        self.config.max_buffered_bytes = max;
    }

    /// The number of outgoing streams negotiated (or added by RFC 6525). Messages queued on
    /// streams at or above it and not yet started are discarded and returned.
    pub fn set_num_streams(&mut self, n: u16) -> Vec<AbandonedMessage> {
        self.num_streams = Some(n);
        let doomed: Vec<u16> = self.streams.range(n..).map(|(&id, _)| id).collect();
        let mut out = Vec::new();
        for id in doomed {
            // A message already started keeps its place: its rest goes with its TSNs.
            out.extend(self.discard_queued(id, true));
        }
        out
    }

    /// Removes the queued messages of `stream` (all, or all but a started head message) and
    /// reports them as unsent.
    fn discard_queued(&mut self, id: u16, keep_started_head: bool) -> Vec<AbandonedMessage> {
        let mut out = Vec::new();
        if let Some(stream) = self.streams.get_mut(&id) {
            let keep = keep_started_head && stream.queue.front().is_some_and(Message::started);
            let removed: Vec<Message> = stream.queue.drain(usize::from(keep)..).collect();
            for m in removed {
                self.queued_bytes -= m.available;
                self.buffered_bytes = self.buffered_bytes.saturating_sub(m.available);
                out.push(unsent_report(id, m));
            }
        }
        self.reindex(id);
        out
    }

    /// Queues user data on `stream`. If the stream's last message is still open (queued with
    /// `end_of_record == false`), the data is appended to it and `opts` is ignored; otherwise
    /// a new message starts. `end_of_record` closes the message.
    pub fn enqueue(
        &mut self,
        stream: StreamId,
        data: impl Into<Payload>,
        opts: MessageOptions,
        end_of_record: bool,
    ) -> Result<MessageId, EnqueueError> {
        let data: Payload = data.into();
        if self.num_streams.is_some_and(|n| stream.0 >= n) {
            return Err(EnqueueError::InvalidStream);
        }
        if self.buffered_bytes.saturating_add(data.len()) > self.config.max_buffered_bytes {
            return Err(EnqueueError::BufferFull);
        }
        let open = self
            .streams
            .get(&stream.0)
            .and_then(|s| s.queue.back())
            .is_some_and(|m| !m.complete);
        if !open && data.is_empty() {
            return Err(EnqueueError::EmptyMessage);
        }
        let len = data.len();
        let s = self.streams.entry(stream.0).or_default();
        let id = if open {
            let Some(m) = s.queue.back_mut() else {
                return Err(EnqueueError::EmptyMessage);
            };
            if !data.is_empty() {
                m.parts.push_back(data);
            }
            m.available += len;
            m.complete = end_of_record;
            m.id
        } else {
            let id = MessageId(self.next_message_id);
            self.next_message_id += 1;
            let arrival = self.next_arrival;
            self.next_arrival += 1;
            s.queue.push_back(Message {
                id,
                arrival,
                opts,
                parts: VecDeque::from([data]),
                available: len,
                complete: end_of_record,
                seq: None,
                next_fsn: 0,
            });
            id
        };
        self.queued_bytes += len;
        self.buffered_bytes += len;
        self.reindex(stream.0);
        Ok(id)
    }

    /// Payload bytes queued and not yet cut into chunks.
    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes
    }

    /// Payload bytes counted against the send buffer: queued plus sent and not yet
    /// acknowledged or abandoned.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered_bytes
    }

    /// Room left in the send buffer.
    pub fn available_buffer(&self) -> usize {
        self.config
            .max_buffered_bytes
            .saturating_sub(self.buffered_bytes)
    }

    /// Called by the retransmission queue when sent bytes were acknowledged or abandoned.
    pub fn release(&mut self, bytes: usize) {
        self.buffered_bytes = self.buffered_bytes.saturating_sub(bytes);
    }

    /// True when no message is queued at all.
    pub fn is_empty(&self) -> bool {
        self.sched.is_empty()
    }

    /// True when `stream` has no queued or partly sent message.
    pub fn stream_is_empty(&self, stream: StreamId) -> bool {
        self.streams
            .get(&stream.0)
            .is_none_or(|s| s.queue.is_empty())
    }

    /// Whether `reset_streams` would succeed now: every listed stream is empty.
    pub fn can_reset_streams(&self, streams: &[StreamId]) -> bool {
        streams.iter().all(|&s| self.stream_is_empty(s))
    }

    /// RFC 6525 outgoing SSN reset: SSN and MIDs of the listed streams (all streams when
    /// empty) go back to 0. Refused (false, nothing changed) unless all of them are empty.
    pub fn reset_streams(&mut self, streams: &[StreamId]) -> bool {
        if streams.is_empty() {
            if !self.is_empty() {
                return false;
            }
            self.streams.clear();
            return true;
        }
        if !self.can_reset_streams(streams) {
            return false;
        }
        for s in streams {
            self.streams.remove(&s.0);
        }
        true
    }

    /// Holds back new messages on `stream` (RFC 6525: while a reset is pending). A message
    /// that has already started is finished.
    pub fn set_paused(&mut self, stream: StreamId, paused: bool) {
        if paused {
            self.paused.insert(stream.0);
        } else {
            self.paused.remove(&stream.0);
        }
    }

    /// RFC 6525: the streams listed (all when empty) number their messages from 0 again.
    /// Messages queued but not started keep their place and take the new numbers. Refused
    /// (false, nothing changed) while one of them has a message partly sent.
    pub fn restart_sequences(&mut self, streams: &[StreamId]) -> bool {
        let ids: Vec<u16> = if streams.is_empty() {
            self.streams.keys().copied().collect()
        } else {
            streams.iter().map(|s| s.0).collect()
        };
        if ids
            .iter()
            .any(|&id| self.head(id).is_some_and(Message::started))
        {
            return false;
        }
        for id in ids {
            if let Some(s) = self.streams.get_mut(&id) {
                s.next_ssn = Ssn(0);
                s.next_mid_ordered = Mid(0);
                s.next_mid_unordered = Mid(0);
            }
        }
        true
    }

    /// The SSN the next ordered DATA message on `stream` gets.
    pub fn next_ssn(&self, stream: StreamId) -> Ssn {
        self.streams.get(&stream.0).map_or(Ssn(0), |s| s.next_ssn)
    }

    /// The MID the next I-DATA message on `stream` gets.
    pub fn next_mid(&self, stream: StreamId, unordered: bool) -> Mid {
        self.streams.get(&stream.0).map_or(Mid(0), |s| {
            if unordered {
                s.next_mid_unordered
            } else {
                s.next_mid_ordered
            }
        })
    }

    /// Messages that expired before they were sent (lifetime or PR-SCTP TTL), or were cut off
    /// by `abandon_message` before starting; for SCTP_SEND_FAILED_EVENT.
    pub fn drain_discarded(&mut self) -> Vec<AbandonedMessage> {
        std::mem::take(&mut self.discarded)
    }

    /// Gives up every queued message (the association is closing): they are reported with
    /// what `drain_discarded` held.
    pub fn abandon_all(&mut self) -> Vec<AbandonedMessage> {
        let ids: Vec<u16> = self.streams.keys().copied().collect();
        let mut out = self.drain_discarded();
        for id in ids {
            out.extend(self.discard_queued(id, false));
        }
        out
    }

    /// Whether `next_chunk` would produce a chunk now (ignoring expiry).
    pub fn has_sendable(&self, max_payload: usize) -> bool {
        if let Some(cur) = self.current {
            if let Some(m) = self.head(cur) {
                if sendable(m, max_payload) {
                    return true;
                }
                if !self.config.interleaving {
                    return false;
                }
            }
        }
        let current = self.current;
        self.sched.candidates().any(|id| {
            Some(id) != current
                && !self.paused.contains(&id)
                && self.head(id).is_some_and(|m| sendable(m, max_payload))
        })
    }

    fn head(&self, stream: u16) -> Option<&Message> {
        self.streams.get(&stream).and_then(|s| s.queue.front())
    }

    /// Keeps the scheduler in step with the head of `stream`'s queue.
    fn reindex(&mut self, stream: u16) {
        let head = self.head(stream).map(head_of);
        self.sched.update(stream, head);
        if self.current == Some(stream) && !self.head(stream).is_some_and(Message::started) {
            self.current = None;
        }
    }

    /// Discards the unstarted, expired head message of `stream`; true if one was discarded.
    fn discard_expired_head(&mut self, stream: u16, now: Instant) -> bool {
        let Some(s) = self.streams.get_mut(&stream) else {
            return false;
        };
        let expired = s
            .queue
            .front()
            .is_some_and(|m| !m.started() && m.expired(now, self.config.partial_reliability));
        if !expired {
            return false;
        }
        if let Some(m) = s.queue.pop_front() {
            self.queued_bytes -= m.available;
            self.buffered_bytes = self.buffered_bytes.saturating_sub(m.available);
            self.discarded.push(unsent_report(stream, m));
        }
        self.reindex(stream);
        true
    }

    /// Chooses the stream to cut the next chunk from. With DATA a started message keeps its
    /// stream; with I-DATA the scheduler chooses for every chunk.
    fn pick(&mut self, now: Instant, max_payload: usize) -> Option<u16> {
        if let Some(cur) = self.current {
            if !self.config.interleaving {
                return self
                    .head(cur)
                    .is_some_and(|m| sendable(m, max_payload))
                    .then_some(cur);
            }
        }
        loop {
            let mut expired = None;
            let mut chosen = None;
            for id in self.sched.candidates() {
                let Some(m) = self.streams.get(&id).and_then(|s| s.queue.front()) else {
                    continue;
                };
                if self.paused.contains(&id) && !m.started() {
                    continue;
                }
                if !m.started() && m.expired(now, self.config.partial_reliability) {
                    expired = Some(id);
                    break;
                }
                if sendable(m, max_payload) {
                    chosen = Some(id);
                    break;
                }
            }
            match (chosen, expired) {
                (Some(id), _) => return Some(id),
                (None, Some(id)) => {
                    self.discard_expired_head(id, now);
                }
                (None, None) => return None,
            }
        }
    }

    /// Cuts the next chunk of at most `max_payload` payload bytes (at least 1), or `None` when
    /// nothing can be sent. Expired messages met on the way are discarded (see
    /// `drain_discarded`).
    pub fn next_chunk(&mut self, now: Instant, max_payload: usize) -> Option<OutgoingChunk> {
        self.next_chunk_within(now, max_payload, usize::MAX)
    }

    /// As `next_chunk`, but fragments are cut at `max_payload` (the room of an empty packet)
    /// and the chunk is only taken if its payload is at most `room` bytes (what is left in
    /// the packet being filled): a message is not split just to fill a packet.
    pub fn next_chunk_within(
        &mut self,
        now: Instant,
        max_payload: usize,
        room: usize,
    ) -> Option<OutgoingChunk> {
        let max_payload = max_payload.max(1);
        let id = self.pick(now, max_payload)?;
        let interleaving = self.config.interleaving;
        let s = self.streams.get_mut(&id)?;
        let m = s.queue.front_mut()?;
        if m.available.min(max_payload) > room {
            return None;
        }
        let beginning = !m.started();
        let seq = match m.seq {
            Some(seq) => seq,
            None => {
                let seq = if interleaving {
                    let mid = if m.opts.unordered {
                        &mut s.next_mid_unordered
                    } else {
                        &mut s.next_mid_ordered
                    };
                    let v = *mid;
                    *mid = mid.next();
                    StreamSeq::Mid(v)
                } else if m.opts.unordered {
                    StreamSeq::Ssn(Ssn(0))
                } else {
                    let v = s.next_ssn;
                    s.next_ssn = v.next();
                    StreamSeq::Ssn(v)
                };
                m.seq = Some(seq);
                seq
            }
        };
        let n = m.available.min(max_payload);
        let payload = m.take(n);
        let ending = m.complete && m.available == 0;
        // `queued_bytes` still counts this chunk: the message holds all unsent data.
        let last_message =
            self.last_message_immediate && m.complete && self.queued_bytes == n + m.available;
        let fsn = if interleaving { m.next_fsn } else { 0 };
        m.next_fsn = m.next_fsn.wrapping_add(1);
        let chunk = OutgoingChunk {
            message_id: m.id,
            stream_id: StreamId(id),
            seq,
            fsn,
            ppid: m.opts.ppid,
            unordered: m.opts.unordered,
            beginning,
            ending,
            immediate: (ending && m.opts.sack_immediately) || last_message,
            payload,
            pr: if self.config.partial_reliability {
                m.opts.pr
            } else {
                PrPolicy::Reliable
            },
            context: m.opts.context,
        };
        self.queued_bytes -= n;
        if ending {
            s.queue.pop_front();
            self.current = None;
        } else {
            self.current = Some(id);
        }
        let head = self.head(id).map(head_of);
        self.sched.served(id, n, head);
        self.reindex(id);
        Some(chunk)
    }

    /// Removes what is left of message `id` (PR-SCTP abandonment of a started message, or
    /// user cancel). Returns the unsent bytes, or `None` if no part of it is queued. The bytes
    /// are released from the send buffer. If the message never started it is also reported
    /// through `drain_discarded`.
    pub fn abandon_message(&mut self, stream: StreamId, id: MessageId) -> Option<Vec<Payload>> {
        let s = self.streams.get_mut(&stream.0)?;
        let pos = s.queue.iter().position(|m| m.id == id)?;
        let m = s.queue.remove(pos)?;
        self.queued_bytes -= m.available;
        self.buffered_bytes = self.buffered_bytes.saturating_sub(m.available);
        let data: Vec<Payload> = m.parts.iter().cloned().collect();
        if !m.started() {
            self.discarded.push(unsent_report(stream.0, m));
        }
        self.reindex(stream.0);
        Some(data)
    }
}

fn head_of(m: &Message) -> Head {
    Head {
        arrival: m.arrival,
        remaining: m.available,
    }
}

fn sendable(m: &Message, max_payload: usize) -> bool {
    if m.complete {
        m.available > 0
    } else {
        // An open message keeps at least one byte back for its final chunk.
        m.available > max_payload
    }
}

fn unsent_report(stream: u16, m: Message) -> AbandonedMessage {
    AbandonedMessage {
        message_id: m.id,
        stream_id: StreamId(stream),
        ppid: m.opts.ppid,
        unordered: m.opts.unordered,
        sent: false,
        pr: m.opts.pr,
        context: m.opts.context,
        data: m.parts.into_iter().collect(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(super) fn q() -> SendQueue {
        SendQueue::new(SendQueueConfig::default())
    }

    fn iq() -> SendQueue {
        SendQueue::new(SendQueueConfig {
            interleaving: true,
            ..SendQueueConfig::default()
        })
    }

    pub(super) fn opts() -> MessageOptions {
        MessageOptions {
            ppid: Ppid(51),
            ..MessageOptions::default()
        }
    }

    pub(super) fn t(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    pub(super) fn drain(q: &mut SendQueue, max: usize) -> Vec<OutgoingChunk> {
        std::iter::from_fn(|| q.next_chunk(t(0), max)).collect()
    }

    #[test]
    fn fragments_carry_b_and_e_and_one_ssn() {
        let mut q = q();
        q.enqueue(StreamId(1), vec![7u8; 2500], opts(), true)
            .unwrap();
        q.enqueue(StreamId(1), vec![8u8; 1000], opts(), true)
            .unwrap();
        let c = drain(&mut q, 1000);
        let flags: Vec<(bool, bool, usize)> = c
            .iter()
            .map(|c| (c.beginning, c.ending, c.payload.len()))
            .collect();
        assert_eq!(
            flags,
            [
                (true, false, 1000),
                (false, false, 1000),
                (false, true, 500),
                (true, true, 1000)
            ]
        );
        assert!(c[..3]
            .iter()
            .all(|c| c.seq == StreamSeq::Ssn(Ssn(0)) && c.ppid == Ppid(51)));
        assert_eq!(c[3].seq, StreamSeq::Ssn(Ssn(1)));
        assert_eq!(q.next_ssn(StreamId(1)), Ssn(2));
        assert_eq!(q.queued_bytes(), 0);
        assert_eq!(q.buffered_bytes(), 3500);
        q.release(3500);
        assert_eq!(q.buffered_bytes(), 0);
        assert!(q.is_empty());
    }

    /// SCTP_SACK_IMMEDIATELY: only the last fragment of that message carries the I bit.
    #[test]
    fn sack_immediately_marks_the_last_fragment() {
        let mut q = q();
        let asking = MessageOptions {
            sack_immediately: true,
            ..opts()
        };
        q.enqueue(StreamId(0), vec![1u8; 2500], asking, true)
            .unwrap();
        q.enqueue(StreamId(0), vec![2u8; 500], opts(), true)
            .unwrap();
        let bits: Vec<(bool, bool)> = drain(&mut q, 1000)
            .iter()
            .map(|c| (c.ending, c.immediate))
            .collect();
        assert_eq!(
            bits,
            [(false, false), (false, false), (true, true), (true, false)]
        );
    }

    #[test]
    fn shutting_down_marks_every_fragment_of_the_last_message() {
        let mut q = q();
        q.enqueue(StreamId(0), vec![1u8; 250], opts(), true)
            .unwrap();
        q.enqueue(StreamId(1), vec![2u8; 250], opts(), true)
            .unwrap();
        // Not shutting down: no I bits.
        assert!(drain(&mut q, 100)
            .iter()
            .all(|c| !c.immediate && c.payload.len() <= 100));
        q.enqueue(StreamId(0), vec![3u8; 150], opts(), true)
            .unwrap();
        q.enqueue(StreamId(1), vec![4u8; 150], opts(), true)
            .unwrap();
        q.set_last_message_immediate(true);
        let chunks = drain(&mut q, 100);
        let marks: Vec<(u16, bool)> = chunks
            .iter()
            .map(|c| (c.stream_id.0, c.immediate))
            .collect();
        // The first message still had company; both fragments of the second are the last data.
        assert_eq!(marks, vec![(0, false), (0, false), (1, true), (1, true)]);
    }

    #[test]
    fn exact_multiple_of_max_payload() {
        let mut q = q();
        q.enqueue(StreamId(0), vec![1u8; 2000], opts(), true)
            .unwrap();
        let c = drain(&mut q, 1000);
        assert_eq!(c.len(), 2);
        assert!(c[0].beginning && !c[0].ending && !c[1].beginning && c[1].ending);
    }

    #[test]
    fn unordered_data_does_not_consume_ssn() {
        let mut q = q();
        let u = MessageOptions {
            unordered: true,
            ..opts()
        };
        q.enqueue(StreamId(2), vec![1], u, true).unwrap();
        q.enqueue(StreamId(2), vec![2], opts(), true).unwrap();
        let c = drain(&mut q, 100);
        assert!(c[0].unordered);
        assert_eq!(c[1].seq, StreamSeq::Ssn(Ssn(0)));
    }

    #[test]
    fn ssn_wraps() {
        let mut q = q();
        for _ in 0..65537 {
            q.enqueue(StreamId(0), vec![1], opts(), true).unwrap();
            let c = q.next_chunk(t(0), 100).unwrap();
            q.release(c.payload.len());
        }
        assert_eq!(q.next_ssn(StreamId(0)), Ssn(1));
    }

    #[test]
    fn idata_mids_and_fsns() {
        let mut q = iq();
        let u = MessageOptions {
            unordered: true,
            ..opts()
        };
        q.enqueue(StreamId(3), vec![0u8; 250], opts(), true)
            .unwrap();
        q.enqueue(StreamId(3), vec![0u8; 10], u, true).unwrap();
        q.enqueue(StreamId(3), vec![0u8; 10], opts(), true).unwrap();
        let c = drain(&mut q, 100);
        let seqs: Vec<(StreamSeq, u32)> = c.iter().map(|c| (c.seq, c.fsn)).collect();
        assert_eq!(
            seqs,
            [
                (StreamSeq::Mid(Mid(0)), 0),
                (StreamSeq::Mid(Mid(0)), 1),
                (StreamSeq::Mid(Mid(0)), 2),
                (StreamSeq::Mid(Mid(0)), 0),
                (StreamSeq::Mid(Mid(1)), 0),
            ]
        );
        assert!(c[3].unordered);
        assert_eq!(q.next_mid(StreamId(3), false), Mid(2));
        assert_eq!(q.next_mid(StreamId(3), true), Mid(1));
    }

    #[test]
    fn first_come_first_served_across_streams() {
        let mut q = SendQueue::new(SendQueueConfig {
            scheduler: SchedulerKind::FirstCome,
            ..SendQueueConfig::default()
        });
        q.enqueue(StreamId(5), vec![1], opts(), true).unwrap();
        q.enqueue(StreamId(1), vec![2], opts(), true).unwrap();
        q.enqueue(StreamId(5), vec![3], opts(), true).unwrap();
        let c = drain(&mut q, 100);
        let order: Vec<u8> = c.iter().map(|c| c.payload.as_slice()[0]).collect();
        assert_eq!(order, [1, 2, 3]);
    }

    #[test]
    fn round_robin_across_streams() {
        let cfg = SendQueueConfig {
            scheduler: SchedulerKind::RoundRobin,
            ..SendQueueConfig::default()
        };
        let mut q = SendQueue::new(cfg);
        for b in [1u8, 2, 3] {
            q.enqueue(StreamId(5), vec![b], opts(), true).unwrap();
        }
        for b in [4u8, 5] {
            q.enqueue(StreamId(1), vec![b], opts(), true).unwrap();
        }
        let c = drain(&mut q, 100);
        let order: Vec<u8> = c.iter().map(|c| c.payload.as_slice()[0]).collect();
        assert_eq!(order, [4, 1, 5, 2, 3]);
    }

    #[test]
    fn buffer_limit_counts_until_released() {
        let cfg = SendQueueConfig {
            max_buffered_bytes: 1000,
            ..SendQueueConfig::default()
        };
        let mut q = SendQueue::new(cfg);
        q.enqueue(StreamId(0), vec![0u8; 600], opts(), true)
            .unwrap();
        assert_eq!(
            q.enqueue(StreamId(0), vec![0u8; 401], opts(), true),
            Err(EnqueueError::BufferFull)
        );
        q.enqueue(StreamId(0), vec![0u8; 400], opts(), true)
            .unwrap();
        assert_eq!(q.available_buffer(), 0);
        drain(&mut q, 1000);
        assert_eq!(
            q.enqueue(StreamId(0), vec![0u8; 1], opts(), true),
            Err(EnqueueError::BufferFull)
        );
        q.release(600);
        q.enqueue(StreamId(0), vec![0u8; 600], opts(), true)
            .unwrap();
        assert_eq!(
            q.enqueue(StreamId(0), Vec::new(), opts(), true),
            Err(EnqueueError::EmptyMessage)
        );
    }

    #[test]
    fn stream_limits_and_reset() {
        let mut q = q();
        q.enqueue(StreamId(9), vec![1], opts(), true).unwrap();
        q.enqueue(StreamId(2), vec![1], opts(), true).unwrap();
        let gone = q.set_num_streams(4);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].stream_id, StreamId(9));
        assert!(!gone[0].sent);
        assert_eq!(q.buffered_bytes(), 1);
        assert_eq!(
            q.enqueue(StreamId(4), vec![1], opts(), true),
            Err(EnqueueError::InvalidStream)
        );
        assert!(!q.can_reset_streams(&[StreamId(2)]));
        assert!(!q.reset_streams(&[StreamId(2)]));
        drain(&mut q, 100);
        assert_eq!(q.next_ssn(StreamId(2)), Ssn(1));
        assert!(q.reset_streams(&[StreamId(2)]));
        assert_eq!(q.next_ssn(StreamId(2)), Ssn(0));
    }

    #[test]
    fn paused_stream_waits() {
        let mut q = q();
        q.set_paused(StreamId(1), true);
        q.enqueue(StreamId(1), vec![1], opts(), true).unwrap();
        assert!(!q.has_sendable(100));
        assert!(q.next_chunk(t(0), 100).is_none());
        q.set_paused(StreamId(1), false);
        assert!(q.has_sendable(100));
        assert!(q.next_chunk(t(0), 100).is_some());
    }

    #[test]
    fn explicit_eor_sends_whole_chunks_until_closed() {
        let mut q = q();
        let id = q
            .enqueue(StreamId(0), vec![1u8; 150], opts(), false)
            .unwrap();
        let c = drain(&mut q, 100);
        assert_eq!(c.len(), 1);
        assert!(c[0].beginning && !c[0].ending && c[0].payload.len() == 100);
        // Another stream's message must wait: DATA fragments need consecutive TSNs.
        q.enqueue(StreamId(1), vec![9u8; 10], opts(), true).unwrap();
        assert!(q.next_chunk(t(0), 100).is_none());
        assert_eq!(
            q.enqueue(StreamId(0), vec![2u8; 30], opts(), false)
                .unwrap(),
            id
        );
        assert!(q.next_chunk(t(0), 100).is_none());
        q.enqueue(StreamId(0), Vec::new(), opts(), true).unwrap();
        let c = drain(&mut q, 100);
        assert_eq!(c.len(), 2);
        assert!(c[0].ending && c[0].payload.len() == 80);
        assert_eq!(&c[0].payload.as_slice()[48..52], &[1, 1, 2, 2]);
        assert_eq!(c[1].stream_id, StreamId(1));
    }

    #[test]
    fn explicit_eor_with_idata_lets_others_go() {
        let mut q = iq();
        q.enqueue(StreamId(0), vec![1u8; 150], opts(), false)
            .unwrap();
        assert_eq!(drain(&mut q, 100).len(), 1);
        q.enqueue(StreamId(1), vec![9u8; 10], opts(), true).unwrap();
        let c = drain(&mut q, 100);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].stream_id, StreamId(1));
    }

    #[test]
    fn expired_messages_are_discarded_before_sending() {
        let mut q = q();
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(10) },
            ..opts()
        };
        let life = MessageOptions {
            lifetime: Some(t(20)),
            ..opts()
        };
        q.enqueue(StreamId(0), vec![1], ttl, true).unwrap();
        q.enqueue(StreamId(0), vec![2], life, true).unwrap();
        q.enqueue(StreamId(0), vec![3], opts(), true).unwrap();
        let c = q.next_chunk(t(15), 100).unwrap();
        assert_eq!(c.payload.as_slice(), &[2]);
        assert_eq!(c.seq, StreamSeq::Ssn(Ssn(0)));
        let d = q.drain_discarded();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].data[0].as_slice(), &[1]);
        assert_eq!(q.buffered_bytes(), 2);
        assert!(q.next_chunk(t(25), 100).is_some());
    }

    #[test]
    fn abandon_started_message_returns_the_rest() {
        let mut q = q();
        let id = q
            .enqueue(StreamId(0), vec![1u8; 250], opts(), true)
            .unwrap();
        q.next_chunk(t(0), 100).unwrap();
        let rest = q.abandon_message(StreamId(0), id).unwrap();
        assert_eq!(rest.iter().map(Payload::len).sum::<usize>(), 150);
        assert_eq!(q.buffered_bytes(), 100);
        assert!(q.drain_discarded().is_empty());
        assert!(q.is_empty());
        q.enqueue(StreamId(1), vec![1], opts(), true).unwrap();
        assert!(q.next_chunk(t(0), 100).is_some());
    }
}
