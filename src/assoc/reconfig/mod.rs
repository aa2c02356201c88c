//! Stream reconfiguration (RFC 6525): resetting outgoing and incoming streams, resetting the
//! association's TSNs and SSNs, adding streams.
//!
//! One request (or one allowed pair of requests in a RE-CONFIG chunk, §3.1) is outstanding at a
//! time; it is retransmitted on the Reconfig timer with the RTO of the primary path, backing off
//! and counting against Association.Max.Retrans as T3-rtx does (§5.1.1). Outgoing streams to
//! reset are "pending" until what is queued on them has been sent; then the request goes out,
//! naming the last TSN assigned so far (§5.1.2). From the reset command until the answer, no new
//! message is accepted on them (`send` says the buffer is full: libusrsctp answers EAGAIN).
//!
//! On the receiving side requests are numbered from the peer's initial TSN (§5.2.1); a
//! retransmitted request gets the answer it got before. An Outgoing SSN Reset Request whose
//! Sender's Last Assigned TSN we have not yet received cumulatively is answered In progress and
//! performed when the cumulative TSN gets there; until then DATA of the streams being reset with
//! later TSNs is acknowledged and held aside, then handed to reassembly after the reset (§5.2.2
//! E1). Which of the peer's requests are performed is [`Config::reconfig_accept`]
//! (SCTP_ENABLE_STREAM_RESET); the others are answered Denied, as libusrsctp 0.9.5 does (seen
//! on Debian's library): SCTP_ENABLE_RESET_STREAM_REQ for both SSN Reset Requests (so an
//! endpoint that did not set it refuses the peer's data channel close),
//! SCTP_ENABLE_CHANGE_ASSOC_REQ for adding streams and — libusrsctp's reading — for the SSN/TSN
//! Reset Request, which we also accept with SCTP_ENABLE_RESET_ASSOC_REQ.
//!
//! [`Config::reconfig_accept`]: super::config::Config::reconfig_accept

use std::collections::{BTreeSet, VecDeque};

use super::association::Association;
use super::event::{Event, ReconfigOutcome};
use super::output::QueuedChunk;
use super::state::State;
use super::timer::Timer;
use crate::types::{Instant, StreamId, Tsn};
use crate::wire::chunk::{Chunk, ReconfigChunk};
use crate::wire::element::U16List;
use crate::wire::param::{
    AddIncomingStreams, AddOutgoingStreams, IncomingSsnResetRequest, OutgoingSsnResetRequest,
    Param, ReconfigResult, ReconfigurationResponse, SsnTsnResetRequest,
};

mod peer;

/// The peer may ask us to reset streams (its Outgoing and Incoming SSN Reset Requests).
pub const ACCEPT_RESET_STREAMS: u32 = 0x1;
/// The peer may reset the association's TSNs (SSN/TSN Reset Request).
pub const ACCEPT_RESET_ASSOC: u32 = 0x2;
/// The peer may add streams (Add Outgoing / Incoming Streams Requests).
pub const ACCEPT_ADD_STREAMS: u32 = 0x4;

/// Half the TSN space: how far an SSN/TSN reset moves the TSNs (RFC 6525 §5.2.4).
const TSN_JUMP: u32 = 1 << 31;
/// Answers remembered for retransmitted requests (a RE-CONFIG chunk holds at most two).
const REMEMBERED_ANSWERS: usize = 4;

/// Why a reconfiguration command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconfigError {
    /// The peer did not agree to RE-CONFIG (libusrsctp: EOPNOTSUPP).
    NotSupported,
    /// The association is not established.
    NotConnected,
    /// A stream number out of range, no direction, or nothing to add (EINVAL).
    InvalidArgument,
    /// A request of the kind that must wait is outstanding (EALREADY).
    InProgress,
    /// Data is queued or unacknowledged: the association cannot be reset now (EBUSY).
    Busy,
}

/// One request we sent, waiting for its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Request {
    /// Reset of our outgoing streams (empty: all); `answers` is its Re-configuration Response
    /// Sequence Number (§4.1).
    Outgoing {
        seq: u32,
        answers: u32,
        streams: Vec<u16>,
    },
    /// Asks the peer to reset its outgoing streams (empty: all).
    Incoming { seq: u32, streams: Vec<u16> },
    /// SSN/TSN reset of the association.
    Association { seq: u32 },
    /// We add outgoing streams.
    AddOutgoing { seq: u32, count: u16 },
    /// We ask the peer to add its outgoing streams (our incoming ones, raised already).
    AddIncoming { seq: u32, count: u16 },
}

impl Request {
    fn seq(&self) -> u32 {
        match *self {
            Request::Outgoing { seq, .. }
            | Request::Incoming { seq, .. }
            | Request::Association { seq }
            | Request::AddOutgoing { seq, .. }
            | Request::AddIncoming { seq, .. } => seq,
        }
    }
}

/// The RE-CONFIG chunk in flight and what of it is unanswered.
#[derive(Debug)]
struct Outstanding {
    chunk: Vec<u8>,
    requests: Vec<Request>,
    /// Outcomes of the stream additions answered so far (one event once all are answered).
    add_outcome: Option<ReconfigOutcome>,
    /// The peer answered In progress: the next timeout retransmits without counting an error.
    peer_in_progress: bool,
}

/// A peer's Outgoing SSN Reset Request waiting for the cumulative TSN (§5.2.2 E1).
#[derive(Debug)]
struct Deferred {
    seq: u32,
    last_tsn: Tsn,
    /// Empty: all streams.
    streams: Vec<u16>,
    /// DATA or I-DATA chunks held aside, serialised.
    chunks: Vec<Vec<u8>>,
    bytes: usize,
}

/// The reconfiguration state of an association that agreed on RE-CONFIG.
#[derive(Debug)]
pub(super) struct Reconfig {
    next_request_seq: u32,
    outstanding: Option<Outstanding>,
    /// Outgoing streams to reset once their queued data is sent.
    pending_out: BTreeSet<u16>,
    /// All outgoing streams are to be reset.
    pending_out_all: bool,
    /// Ask the peer to reset these of its outgoing streams (empty: all).
    pending_in: Option<Vec<u16>>,
    /// Reset the association once all data is acknowledged.
    pending_assoc: bool,
    /// The peer's Incoming SSN Reset Request our next Outgoing request answers.
    answer_to: Option<u32>,
    /// The request sequence number expected from the peer.
    peer_expected_seq: u32,
    /// Our last answers, for retransmitted requests.
    answers: VecDeque<ReconfigurationResponse>,
    deferred: Option<Deferred>,
}

impl Reconfig {
    pub(super) fn new(local_initial_tsn: u32, peer_initial_tsn: u32) -> Self {
        Reconfig {
            next_request_seq: local_initial_tsn,
            outstanding: None,
            pending_out: BTreeSet::new(),
            pending_out_all: false,
            pending_in: None,
            pending_assoc: false,
            answer_to: None,
            peer_expected_seq: peer_initial_tsn,
            answers: VecDeque::new(),
            deferred: None,
        }
    }

    fn take_seq(&mut self) -> u32 {
        let seq = self.next_request_seq;
        self.next_request_seq = seq.wrapping_add(1);
        seq
    }

    fn remember(&mut self, answer: ReconfigurationResponse) {
        self.answers
            .retain(|a| a.response_seq != answer.response_seq);
        if self.answers.len() == REMEMBERED_ANSWERS {
            self.answers.pop_front();
        }
        self.answers.push_back(answer);
    }

    /// True when a request of ours is in flight or waits to be sent.
    fn busy(&self) -> bool {
        self.outstanding.is_some()
            || self.pending_in.is_some()
            || self.pending_assoc
            || self.has_pending_out()
    }

    fn has_pending_out(&self) -> bool {
        self.pending_out_all || !self.pending_out.is_empty()
    }
}

/// What the sequence number check of §5.2.1 says about a request.
enum SeqCheck {
    New,
    /// A retransmission: answer as before.
    Again(ReconfigurationResponse),
    Bad,
}

impl Association {
    // ---- commands -------------------------------------------------------------------------

    fn reconfig_usable(&self) -> Result<(), ReconfigError> {
        if self.reconfig.is_none() || !self.agreed.reconfig {
            return Err(ReconfigError::NotSupported);
        }
        if self.state != State::Established {
            return Err(ReconfigError::NotConnected);
        }
        Ok(())
    }

    /// Resets `streams` (all when empty): our outgoing streams, and/or asks the peer to reset
    /// its outgoing streams, our incoming ones (SCTP_RESET_STREAMS). Outgoing streams are held
    /// back at once; the request goes out when what was queued on them has been sent.
    pub fn reset_streams(
        &mut self,
        now: Instant,
        streams: &[u16],
        incoming: bool,
        outgoing: bool,
    ) -> Result<(), ReconfigError> {
        self.reconfig_usable()?;
        let (outbound, inbound) = self.streams;
        if !incoming && !outgoing
            || outgoing && streams.iter().any(|&s| s >= outbound)
            || incoming && streams.iter().any(|&s| s >= inbound)
        {
            return Err(ReconfigError::InvalidArgument);
        }
        let r = self.reconfig.as_mut().expect("checked above");
        // As libusrsctp: asking the peer waits for no other request, resetting our own
        // streams accumulates.
        if incoming && (r.pending_in.is_some() || r.outstanding.is_some()) {
            return Err(ReconfigError::InProgress);
        }
        if incoming {
            r.pending_in = Some(streams.to_vec());
        }
        if outgoing {
            if streams.is_empty() {
                r.pending_out_all = true;
            } else {
                r.pending_out.extend(streams.iter().copied());
            }
        }
        self.reconfig_flush(now);
        Ok(())
    }

    /// Resets the association's TSNs and all SSNs (SCTP_RESET_ASSOC, RFC 6525 §5.1.4). As in
    /// libusrsctp, refused while data is queued or unacknowledged; no new message starts before
    /// the answer.
    pub fn reset_association(&mut self, now: Instant) -> Result<(), ReconfigError> {
        self.reconfig_usable()?;
        let idle = self.all_data_acked();
        let r = self.reconfig.as_mut().expect("checked above");
        if r.busy() {
            return Err(ReconfigError::InProgress);
        }
        if !idle {
            return Err(ReconfigError::Busy);
        }
        r.pending_assoc = true;
        self.reconfig_flush(now);
        Ok(())
    }

    /// Adds `outgoing` streams of ours and asks the peer to add `incoming` of its outgoing
    /// streams (SCTP_ADD_STREAMS, RFC 6525 §5.1.5, §5.1.6).
    pub fn add_streams(
        &mut self,
        now: Instant,
        outgoing: u16,
        incoming: u16,
    ) -> Result<(), ReconfigError> {
        self.reconfig_usable()?;
        let (outbound, inbound) = self.streams;
        if outbound.checked_add(outgoing).is_none() || inbound.checked_add(incoming).is_none() {
            return Err(ReconfigError::InvalidArgument);
        }
        let r = self.reconfig.as_mut().expect("checked above");
        if r.outstanding.is_some() {
            return Err(ReconfigError::InProgress);
        }
        // (Checked after the in-progress rule, as libusrsctp does.)
        if outgoing == 0 && incoming == 0 {
            return Err(ReconfigError::InvalidArgument);
        }
        let mut requests = Vec::new();
        if outgoing > 0 {
            requests.push(Request::AddOutgoing {
                seq: r.take_seq(),
                count: outgoing,
            });
        }
        if incoming > 0 {
            requests.push(Request::AddIncoming {
                seq: r.take_seq(),
                count: incoming,
            });
            // Ready for the new streams before the peer may use them.
            self.streams.1 = inbound + incoming;
        }
        self.send_requests(now, requests);
        Ok(())
    }

    fn pause_streams(&mut self, streams: &[u16], paused: bool) {
        if streams.is_empty() {
            for s in 0..self.streams.0 {
                self.send_queue.set_paused(StreamId(s), paused);
            }
        } else {
            for &s in streams {
                self.send_queue.set_paused(StreamId(s), paused);
            }
        }
    }

    /// Sends what waits, if nothing is outstanding and the data before it has gone out.
    fn reconfig_flush(&mut self, now: Instant) {
        let last_tsn = self.flight.as_ref().map(|f| f.rtx.next_tsn().add(u32::MAX));
        let all_acked = self.all_data_acked();
        let Some(r) = self.reconfig.as_mut() else {
            return;
        };
        let Some(last_tsn) = last_tsn else {
            return;
        };
        if r.outstanding.is_some() || self.state != State::Established {
            return;
        }
        let mut requests = Vec::new();
        if r.pending_assoc {
            if !all_acked {
                return;
            }
            r.pending_assoc = false;
            requests.push(Request::Association { seq: r.take_seq() });
            // No new message starts before the answer.
            self.pause_streams(&[], true);
            self.send_requests(now, requests);
            return;
        }
        // Outgoing streams whose queued messages have all been sent.
        let ready: Option<Vec<u16>> = if r.pending_out_all {
            self.send_queue.is_empty().then(Vec::new)
        } else {
            let ready: Vec<u16> = r
                .pending_out
                .iter()
                .copied()
                .filter(|&s| self.send_queue.stream_is_empty(StreamId(s)))
                .collect();
            (!ready.is_empty()).then_some(ready)
        };
        let mut to_pause = None;
        if let Some(streams) = ready {
            if streams.is_empty() {
                r.pending_out_all = false;
                r.pending_out.clear();
            } else {
                for s in &streams {
                    r.pending_out.remove(s);
                }
            }
            let seq = r.take_seq();
            let response_seq = r
                .answer_to
                .take()
                .unwrap_or(r.peer_expected_seq.wrapping_sub(1));
            to_pause = Some(streams.clone());
            requests.push(Request::Outgoing {
                seq,
                answers: response_seq,
                streams,
            });
        }
        if let Some(streams) = r.pending_in.take() {
            requests.push(Request::Incoming {
                seq: r.take_seq(),
                streams,
            });
        }
        if let Some(streams) = to_pause {
            // Messages queued from now on wait for the answer and take the new numbers.
            self.pause_streams(&streams, true);
        }
        if requests.is_empty() {
            return;
        }
        self.send_requests_with_last_tsn(now, requests, last_tsn);
    }

    fn send_requests(&mut self, now: Instant, requests: Vec<Request>) {
        let last_tsn = self
            .flight
            .as_ref()
            .map_or(Tsn(self.local_initial_tsn.wrapping_sub(1)), |f| {
                f.rtx.next_tsn().add(u32::MAX)
            });
        self.send_requests_with_last_tsn(now, requests, last_tsn);
    }

    /// Builds the RE-CONFIG chunk of `requests`, queues it and starts the Reconfig timer.
    fn send_requests_with_last_tsn(&mut self, now: Instant, requests: Vec<Request>, last: Tsn) {
        let Some(r) = self.reconfig.as_mut() else {
            return;
        };
        let mut params = Vec::new();
        for q in &requests {
            let param = match q {
                Request::Outgoing {
                    seq,
                    answers,
                    streams,
                } => Param::OutgoingSsnResetRequest(OutgoingSsnResetRequest {
                    request_seq: *seq,
                    response_seq: *answers,
                    last_tsn: last,
                    streams: U16List::Values(streams),
                }),
                Request::Incoming { seq, streams } => {
                    Param::IncomingSsnResetRequest(IncomingSsnResetRequest {
                        request_seq: *seq,
                        streams: U16List::Values(streams),
                    })
                }
                Request::Association { seq } => {
                    Param::SsnTsnResetRequest(SsnTsnResetRequest { request_seq: *seq })
                }
                Request::AddOutgoing { seq, count } => {
                    Param::AddOutgoingStreams(AddOutgoingStreams {
                        request_seq: *seq,
                        new_streams: *count,
                    })
                }
                Request::AddIncoming { seq, count } => {
                    Param::AddIncomingStreams(AddIncomingStreams {
                        request_seq: *seq,
                        new_streams: *count,
                    })
                }
            };
            params.push(param);
        }
        let chunk = reconfig_chunk(&params);
        drop(params);
        r.outstanding = Some(Outstanding {
            chunk: chunk.clone(),
            requests,
            add_outcome: None,
            peer_in_progress: false,
        });
        self.control.push_back(QueuedChunk::new(chunk));
        let rto = self.path_rto(self.paths.current());
        self.timers.set(Timer::Reconfig, now + rto);
    }

    // ---- responses to our requests -------------------------------------------------------

    fn handle_reconfig_response(&mut self, now: Instant, p: &ReconfigurationResponse) {
        let Some(r) = self.reconfig.as_mut() else {
            return;
        };
        let Some(o) = r.outstanding.as_mut() else {
            return;
        };
        let Some(index) = o.requests.iter().position(|q| q.seq() == p.response_seq) else {
            return;
        };
        let outcome = match p.result {
            ReconfigResult::InProgress => {
                // Asked again after an RTO, without counting it as a failure.
                o.peer_in_progress = true;
                let rto = self.path_rto(self.paths.current());
                self.timers.set(Timer::Reconfig, now + rto);
                return;
            }
            ReconfigResult::SuccessPerformed | ReconfigResult::SuccessNothingToDo => {
                ReconfigOutcome::Performed
            }
            ReconfigResult::Denied => ReconfigOutcome::Denied,
            _ => ReconfigOutcome::Failed,
        };
        let request = o.requests.remove(index);
        let done = o.requests.is_empty();
        match request {
            Request::Outgoing { streams, .. } => {
                let ids: Vec<StreamId> = streams.iter().map(|&s| StreamId(s)).collect();
                if outcome == ReconfigOutcome::Performed {
                    let _ = self.send_queue.restart_sequences(&ids);
                }
                self.unpause_unless_pending(&streams);
                self.events.push_back(Event::StreamReset {
                    incoming: false,
                    outgoing: true,
                    outcome,
                    streams: ids,
                });
            }
            Request::Incoming { streams, .. } => {
                // Performed: the peer's own Outgoing request resets them (and reports it).
                if outcome != ReconfigOutcome::Performed {
                    self.events.push_back(Event::StreamReset {
                        incoming: true,
                        outgoing: false,
                        outcome,
                        streams: streams.iter().map(|&s| StreamId(s)).collect(),
                    });
                }
            }
            Request::Association { .. } => {
                self.pause_streams(&[], false);
                match (outcome, p.next_tsns) {
                    (ReconfigOutcome::Performed, Some(t)) => {
                        // Ours follow the peer's receiver, the peer's its sender (§5.1.4).
                        self.restart_tsns(t.receiver_next_tsn, t.sender_next_tsn);
                    }
                    _ => {
                        let outcome = match outcome {
                            ReconfigOutcome::Performed => ReconfigOutcome::Failed,
                            other => other,
                        };
                        let (local, remote) = self.flight.as_ref().map_or((0, 0), |f| {
                            (
                                f.rtx.next_tsn().0,
                                f.tracker.cumulative_tsn().next().next().0,
                            )
                        });
                        self.events.push_back(Event::AssocReset {
                            outcome,
                            local_tsn: local,
                            remote_tsn: remote,
                        });
                    }
                }
            }
            Request::AddOutgoing { count, .. } | Request::AddIncoming { count, .. } => {
                let incoming = matches!(request, Request::AddIncoming { .. });
                match (outcome, incoming) {
                    (ReconfigOutcome::Performed, false) => {
                        self.streams.0 = self.streams.0.saturating_add(count);
                        let _ = self.send_queue.set_num_streams(self.streams.0);
                    }
                    (ReconfigOutcome::Performed, true) => {}
                    // The incoming streams were added when the request went out.
                    (_, true) => self.streams.1 = self.streams.1.saturating_sub(count),
                    (_, false) => {}
                }
                if let Some(o) = self.reconfig.as_mut().and_then(|r| r.outstanding.as_mut()) {
                    let worst = match (o.add_outcome, outcome) {
                        (Some(ReconfigOutcome::Denied), _) | (_, ReconfigOutcome::Denied) => {
                            ReconfigOutcome::Denied
                        }
                        (Some(ReconfigOutcome::Failed), _) | (_, ReconfigOutcome::Failed) => {
                            ReconfigOutcome::Failed
                        }
                        _ => ReconfigOutcome::Performed,
                    };
                    o.add_outcome = Some(worst);
                }
            }
        }
        if done {
            if let Some(r) = self.reconfig.as_mut() {
                if let Some(o) = r.outstanding.take() {
                    if let Some(outcome) = o.add_outcome {
                        self.events.push_back(Event::StreamChange {
                            outcome,
                            inbound_streams: self.streams.1,
                            outbound_streams: self.streams.0,
                        });
                    }
                }
            }
            self.timers.stop(Timer::Reconfig);
        }
    }

    /// Lets new messages start on `streams` again, unless another reset waits for them.
    fn unpause_unless_pending(&mut self, streams: &[u16]) {
        let Some(r) = self.reconfig.as_ref() else {
            return;
        };
        if r.pending_out_all || r.pending_assoc {
            return;
        }
        let free: Vec<u16> = if streams.is_empty() {
            (0..self.streams.0)
                .filter(|s| !r.pending_out.contains(s))
                .collect()
        } else {
            streams
                .iter()
                .copied()
                .filter(|s| !r.pending_out.contains(s))
                .collect()
        };
        for s in free {
            self.send_queue.set_paused(StreamId(s), false);
        }
    }

    // ---- timer ----------------------------------------------------------------------------

    /// The Reconfig timer: the outstanding request goes again, with the RTO backed off
    /// (§5.1.1: as T3-rtx).
    pub(super) fn on_reconfig_timer(&mut self, now: Instant) {
        let path = self.paths.current();
        let Some(o) = self.reconfig.as_mut().and_then(|r| r.outstanding.as_mut()) else {
            return;
        };
        let chunk = o.chunk.clone();
        let counted = !std::mem::replace(&mut o.peer_in_progress, false);
        if counted {
            self.back_off_rto(path);
            self.count_path_timeout(path);
            if self.state == State::Closed {
                return;
            }
        }
        self.control.push_back(QueuedChunk::new(chunk));
        let rto = self.path_rto(path);
        self.timers.set(Timer::Reconfig, now + rto);
    }

    /// True while a reset of outgoing stream `stream` (or of the association) is pending or
    /// in flight: no new message may be queued on it (libusrsctp: EAGAIN).
    pub fn reconfig_holds_stream(&self, stream: u16) -> bool {
        let Some(r) = self.reconfig.as_ref() else {
            return false;
        };
        if r.pending_out_all || r.pending_assoc || r.pending_out.contains(&stream) {
            return true;
        }
        r.outstanding.as_ref().is_some_and(|o| {
            o.requests.iter().any(|q| match q {
                Request::Outgoing { streams, .. } => {
                    streams.is_empty() || streams.contains(&stream)
                }
                Request::Association { .. } => true,
                _ => false,
            })
        })
    }

    /// Whether RE-CONFIG was agreed and the association can use it.
    pub fn supports_reconfig(&self) -> bool {
        self.agreed.reconfig
    }
}

/// A RE-CONFIG chunk holding `params`.
fn reconfig_chunk(params: &[Param<'_>]) -> Vec<u8> {
    let len = crate::wire::param::buffer_len_all(params);
    let mut body = vec![0u8; len];
    let n = crate::wire::param::emit_all(params, &mut body).unwrap_or(0);
    body.truncate(n);
    super::handshake::chunk_bytes(&Chunk::Reconfig(ReconfigChunk { params: &body }))
}
