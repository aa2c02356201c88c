//! The peer's requests (RFC 6525 §5.2): the sequence number check, each kind of request, and
//! the deferred reset that waits for the request's last TSN (§5.2.2 E1) with the DATA held
//! meanwhile.

use super::super::association::Association;
use super::super::event::{Event, ReconfigOutcome};
use super::super::output::QueuedChunk;
use super::{
    reconfig_chunk, Deferred, Request, SeqCheck, ACCEPT_ADD_STREAMS, ACCEPT_RESET_ASSOC,
    ACCEPT_RESET_STREAMS, TSN_JUMP,
};
use crate::types::{Instant, StreamId, Tsn};
use crate::wire::chunk::{Chunk, ReconfigChunk};
use crate::wire::param::{Param, ReconfigNextTsns, ReconfigResult, ReconfigurationResponse};
use crate::wire::tlv::{ChunkIter, ParamIter};

impl Association {
    // ---- input ----------------------------------------------------------------------------

    /// A RE-CONFIG chunk: the peer's requests are answered (RE-CONFIG chunks of up to two
    /// responses), its responses settle our requests.
    pub(in crate::assoc) fn handle_reconfig(&mut self, now: Instant, chunk: &ReconfigChunk<'_>) {
        if self.reconfig.is_none() || !self.agreed.reconfig {
            return;
        }
        let mut answers = Vec::new();
        for raw in ParamIter::new(chunk.params) {
            let Ok(raw) = raw else { break };
            let Ok(param) = Param::parse(&raw) else {
                continue;
            };
            match param {
                Param::OutgoingSsnResetRequest(p) => {
                    // It may also answer an Incoming SSN Reset Request of ours (§4.1).
                    self.settle_incoming_by_outgoing(now, p.response_seq);
                    let streams: Vec<u16> = p.streams.iter().collect();
                    answers.push(self.answer(p.request_seq, |a| {
                        a.peer_outgoing_reset(p.request_seq, p.last_tsn, streams)
                    }));
                }
                Param::IncomingSsnResetRequest(p) => {
                    let streams: Vec<u16> = p.streams.iter().collect();
                    answers.push(self.answer(p.request_seq, |a| {
                        a.peer_incoming_reset(p.request_seq, streams)
                    }));
                }
                Param::SsnTsnResetRequest(p) => {
                    answers.push(self.answer(p.request_seq, |a| a.peer_association_reset()));
                }
                Param::AddOutgoingStreams(p) => {
                    answers.push(
                        self.answer(p.request_seq, |a| a.peer_adds_streams(false, p.new_streams)),
                    );
                }
                Param::AddIncomingStreams(p) => {
                    answers.push(
                        self.answer(p.request_seq, |a| a.peer_adds_streams(true, p.new_streams)),
                    );
                }
                Param::ReconfigurationResponse(p) => self.handle_reconfig_response(now, &p),
                _ => {}
            }
        }
        if !answers.is_empty() {
            self.send_answers(&answers);
        }
        self.reconfig_flush(now);
    }

    fn send_answers(&mut self, answers: &[ReconfigurationResponse]) {
        // Two responses may share a chunk (§3.1); more go in chunks of their own.
        for pair in answers.chunks(2) {
            let params: Vec<Param<'_>> = pair
                .iter()
                .map(|a| Param::ReconfigurationResponse(*a))
                .collect();
            self.control
                .push_back(QueuedChunk::new(reconfig_chunk(&params)));
        }
    }

    /// Checks the request's sequence number (§5.2.1) and answers it: by `perform` when it is
    /// the expected one, as before when it is a retransmission, else Error - Bad Sequence
    /// Number.
    fn answer(
        &mut self,
        seq: u32,
        perform: impl FnOnce(&mut Self) -> (ReconfigResult, Option<ReconfigNextTsns>),
    ) -> ReconfigurationResponse {
        let check = {
            let r = self.reconfig.as_mut().expect("checked by the caller");
            if seq == r.peer_expected_seq {
                r.peer_expected_seq = seq.wrapping_add(1);
                SeqCheck::New
            } else if let Some(a) = r.answers.iter().find(|a| a.response_seq == seq) {
                SeqCheck::Again(*a)
            } else {
                SeqCheck::Bad
            }
        };
        match check {
            SeqCheck::New => {
                let (result, next_tsns) = perform(self);
                let answer = ReconfigurationResponse {
                    response_seq: seq,
                    result,
                    next_tsns,
                };
                if let Some(r) = self.reconfig.as_mut() {
                    r.remember(answer);
                }
                answer
            }
            SeqCheck::Again(a) => a,
            SeqCheck::Bad => ReconfigurationResponse {
                response_seq: seq,
                result: ReconfigResult::ErrorBadSequenceNumber,
                next_tsns: None,
            },
        }
    }

    fn accepts(&self, what: u32) -> bool {
        self.config.reconfig_accept & what != 0
    }

    /// The peer resets its outgoing streams, our incoming ones (§5.2.2).
    fn peer_outgoing_reset(
        &mut self,
        seq: u32,
        last_tsn: Tsn,
        streams: Vec<u16>,
    ) -> (ReconfigResult, Option<ReconfigNextTsns>) {
        if !self.accepts(ACCEPT_RESET_STREAMS) {
            return (ReconfigResult::Denied, None);
        }
        if streams.iter().any(|&s| s >= self.streams.1) {
            return (ReconfigResult::ErrorWrongSsn, None);
        }
        let cum = self
            .flight
            .as_ref()
            .map_or(last_tsn, |f| f.tracker.cumulative_tsn());
        let r = self.reconfig.as_mut().expect("checked by the caller");
        if r.deferred.is_some() {
            return (ReconfigResult::ErrorRequestAlreadyInProgress, None);
        }
        if last_tsn > cum {
            r.deferred = Some(Deferred {
                seq,
                last_tsn,
                streams,
                chunks: Vec::new(),
                bytes: 0,
            });
            return (ReconfigResult::InProgress, None);
        }
        self.reset_incoming_streams(&streams);
        (ReconfigResult::SuccessPerformed, None)
    }

    fn reset_incoming_streams(&mut self, streams: &[u16]) {
        let ids: Vec<StreamId> = streams.iter().map(|&s| StreamId(s)).collect();
        if let Some(f) = self.flight.as_mut() {
            f.reassembly.reset_streams(&ids);
        }
        self.events.push_back(Event::StreamReset {
            incoming: true,
            outgoing: false,
            outcome: ReconfigOutcome::Performed,
            streams: ids,
        });
    }

    /// The peer asks us to reset our outgoing streams (§5.2.3): as libusrsctp, we answer
    /// Success - Performed and send our own Outgoing SSN Reset Request for them as soon as
    /// their queued data is sent.
    fn peer_incoming_reset(
        &mut self,
        seq: u32,
        streams: Vec<u16>,
    ) -> (ReconfigResult, Option<ReconfigNextTsns>) {
        if !self.accepts(ACCEPT_RESET_STREAMS) {
            return (ReconfigResult::Denied, None);
        }
        if streams.iter().any(|&s| s >= self.streams.0) {
            return (ReconfigResult::ErrorWrongSsn, None);
        }
        let r = self.reconfig.as_mut().expect("checked by the caller");
        if r.outstanding.is_some() || r.has_pending_out() {
            return (ReconfigResult::ErrorRequestAlreadyInProgress, None);
        }
        if streams.is_empty() {
            r.pending_out_all = true;
        } else {
            r.pending_out.extend(streams.iter().copied());
        }
        r.answer_to = Some(seq);
        (ReconfigResult::SuccessPerformed, None)
    }

    /// The peer resets the association's TSNs (§5.2.4). Done at once when all our data is
    /// acknowledged, else answered In progress (the peer asks again).
    fn peer_association_reset(&mut self) -> (ReconfigResult, Option<ReconfigNextTsns>) {
        // libusrsctp 0.9.5 looks at SCTP_ENABLE_CHANGE_ASSOC_REQ here rather than
        // SCTP_ENABLE_RESET_ASSOC_REQ; either one lets it through.
        if !self.accepts(ACCEPT_RESET_ASSOC | ACCEPT_ADD_STREAMS) {
            return (ReconfigResult::Denied, None);
        }
        if !self.all_data_acked() {
            return (ReconfigResult::InProgress, None);
        }
        let Some(f) = self.flight.as_ref() else {
            return (ReconfigResult::Denied, None);
        };
        let our_next = f.rtx.next_tsn().add(TSN_JUMP);
        let peer_next = f.tracker.highest_received().add(TSN_JUMP).next();
        self.restart_tsns(our_next, peer_next);
        (
            ReconfigResult::SuccessPerformed,
            Some(ReconfigNextTsns {
                sender_next_tsn: our_next,
                receiver_next_tsn: peer_next,
            }),
        )
    }

    /// Numbering starts again: our next TSN, the peer's next TSN, every SSN at 0.
    pub(super) fn restart_tsns(&mut self, our_next: Tsn, peer_next: Tsn) {
        if let Some(f) = self.flight.as_mut() {
            let _ = f.rtx.restart_tsn(our_next);
            let config = *f.tracker.config();
            f.tracker = crate::rx::tracker::DataTracker::new(peer_next, config);
            f.reassembly.reset_streams(&[]);
        }
        let _ = self.send_queue.restart_sequences(&[]);
        if let Some(r) = self.reconfig.as_mut() {
            r.deferred = None;
        }
        for (incoming, outgoing) in [(false, true), (true, false)] {
            self.events.push_back(Event::StreamReset {
                incoming,
                outgoing,
                outcome: ReconfigOutcome::Performed,
                streams: Vec::new(),
            });
        }
        // libusrsctp reports the peer's next TSN plus one.
        self.events.push_back(Event::AssocReset {
            outcome: ReconfigOutcome::Performed,
            local_tsn: our_next.0,
            remote_tsn: peer_next.next().0,
        });
    }

    /// The peer adds its outgoing streams (`ours`: false, our incoming ones grow) or asks us to
    /// add ours (`ours`: true) (§5.2.5, §5.2.6).
    fn peer_adds_streams(
        &mut self,
        ours: bool,
        count: u16,
    ) -> (ReconfigResult, Option<ReconfigNextTsns>) {
        if !self.accepts(ACCEPT_ADD_STREAMS) {
            return (ReconfigResult::Denied, None);
        }
        let current = if ours { self.streams.0 } else { self.streams.1 };
        let Some(new) = current.checked_add(count) else {
            return (ReconfigResult::Denied, None);
        };
        if ours {
            self.streams.0 = new;
            let _ = self.send_queue.set_num_streams(new);
        } else {
            self.streams.1 = new;
        }
        self.events.push_back(Event::StreamChange {
            outcome: ReconfigOutcome::Performed,
            inbound_streams: self.streams.1,
            outbound_streams: self.streams.0,
        });
        (ReconfigResult::SuccessPerformed, None)
    }

    /// An Outgoing SSN Reset Request of the peer that names our Incoming request answers it.
    fn settle_incoming_by_outgoing(&mut self, now: Instant, response_seq: u32) {
        let answered = self.reconfig.as_ref().is_some_and(|r| {
            r.outstanding.as_ref().is_some_and(|o| {
                o.requests
                    .iter()
                    .any(|q| matches!(q, Request::Incoming { seq, .. } if *seq == response_seq))
            })
        });
        if answered {
            let response = ReconfigurationResponse {
                response_seq,
                result: ReconfigResult::SuccessPerformed,
                next_tsns: None,
            };
            self.handle_reconfig_response(now, &response);
        }
    }

    // ---- deferred reset (§5.2.2 E1) -------------------------------------------------------

    /// Holds a DATA or I-DATA chunk aside when a deferred reset of its stream waits for an
    /// earlier TSN; true when the chunk was taken (or dropped for lack of room).
    pub(in crate::assoc) fn reconfig_defer(&mut self, chunk: &Chunk<'_>) -> bool {
        let (tsn, stream, immediate, len) = match chunk {
            Chunk::Data(d) => (d.tsn, d.stream_id, d.immediate, d.payload.len()),
            Chunk::IData(d) => (d.tsn, d.stream_id, d.immediate, d.payload.len()),
            _ => return false,
        };
        let limit = self.config.receive_buffer as usize;
        let inbound = self.streams.1;
        let (Some(r), Some(f)) = (self.reconfig.as_mut(), self.flight.as_mut()) else {
            return false;
        };
        let Some(d) = r.deferred.as_mut() else {
            return false;
        };
        let affected = d.streams.is_empty() || d.streams.contains(&stream.0);
        if tsn <= d.last_tsn || !affected || stream.0 >= inbound || len == 0 {
            return false;
        }
        use crate::rx::tracker::Observed;
        match f.tracker.classify(tsn) {
            Observed::TooFarAhead => return true,
            Observed::Duplicate => {
                f.tracker.observe(tsn, immediate);
                return true;
            }
            Observed::New => {}
        }
        if f.reassembly.buffered_bytes() + d.bytes + len > limit {
            // No room: not acknowledged, the peer sends it again.
            return true;
        }
        let mut bytes = vec![0u8; chunk.buffer_len()];
        let n = chunk.emit(&mut bytes).unwrap_or(0);
        bytes.truncate(n);
        d.chunks.push(bytes);
        d.bytes += len;
        f.tracker.observe(tsn, immediate);
        self.counters.recvdata += 1;
        true
    }

    /// After each packet: a deferred reset whose TSN has been reached is performed, and
    /// requests that waited for data to go out are sent.
    pub(in crate::assoc) fn reconfig_progress(&mut self, now: Instant) {
        let Some(r) = self.reconfig.as_ref() else {
            return;
        };
        if let (Some(d), Some(f)) = (r.deferred.as_ref(), self.flight.as_ref()) {
            if d.last_tsn <= f.tracker.cumulative_tsn() {
                self.perform_deferred();
            }
        }
        self.reconfig_before_transmit(now);
    }

    /// Before each packet: streams whose data has just gone out may be reset now.
    pub(in crate::assoc) fn reconfig_before_transmit(&mut self, now: Instant) {
        if self
            .reconfig
            .as_ref()
            .is_some_and(|r| r.outstanding.is_none() && r.busy())
        {
            self.reconfig_flush(now);
        }
    }

    fn perform_deferred(&mut self) {
        let Some(d) = self.reconfig.as_mut().and_then(|r| r.deferred.take()) else {
            return;
        };
        self.reset_incoming_streams(&d.streams);
        if let Some(f) = self.flight.as_mut() {
            for bytes in &d.chunks {
                let Some(Ok(raw)) = ChunkIter::new(bytes).next() else {
                    continue;
                };
                let _ = match Chunk::parse(&raw) {
                    Ok(Chunk::Data(c)) => f.reassembly.add_data(&c),
                    Ok(Chunk::IData(c)) => f.reassembly.add_idata(&c),
                    _ => Ok(()),
                };
            }
        }
        // The answer is now Success - Performed; it goes out at once rather than waiting for
        // the peer to ask again.
        let answer = ReconfigurationResponse {
            response_seq: d.seq,
            result: ReconfigResult::SuccessPerformed,
            next_tsns: None,
        };
        if let Some(r) = self.reconfig.as_mut() {
            r.remember(answer);
        }
        self.send_answers(&[answer]);
    }
}
