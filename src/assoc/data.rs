//! The data path of an association: user messages into the send queue and out as DATA or
//! I-DATA, SACKs in (the retransmission queue), DATA or I-DATA in (tracker and reassembly),
//! SACKs and FORWARD-TSNs out, the T3-rtx and delayed-SACK timers.

use std::time::Duration;

use super::association::{Association, PeerInit};
use super::event::{Event, FailedMessage, LossReason};
use super::output::PacketBuffer;
use super::state::State;
use super::timer::Timer;
use crate::rx::reassembly::{
    DataMode, ReassemblyConfig, ReassemblyError, ReassemblyQueue, ReceivedMessage,
};
use crate::rx::tracker::{DataTracker, Observed, TrackerConfig};
use crate::tx::{
    AbandonedMessage, CongestionConfig, EnqueueError, MessageOptions, PathId, PrPolicy,
    RetransmissionConfig, RetransmissionQueue, RtoConfig, RtoEstimator, SackOutcome, SendQueue,
    SendQueueConfig, SentChunk, StreamSeq, T3Action,
};
use crate::types::{Instant, Mid, Ppid, Ssn, StreamId, Tsn};
use crate::wire::cause::{Cause, InvalidStreamIdentifier, NoUserData, ProtocolViolation};
use crate::wire::chunk::{
    Chunk, DataChunk, ForwardTsnChunk, GapAckBlock, IDataChunk, IForwardTsnChunk, WireList,
};

/// How a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SendOptions {
    pub stream: u16,
    pub ppid: u32,
    pub unordered: bool,
    /// PR-SCTP policy (RFC 3758).
    pub pr: PrPolicy,
    /// More parts of this message follow (SCTP_EXPLICIT_EOR without SCTP_EOR).
    pub more_to_come: bool,
    /// Ask the peer to acknowledge the end of this message at once (SCTP_SACK_IMMEDIATELY,
    /// RFC 7053).
    pub sack_immediately: bool,
    /// `snd_context`, handed back in SCTP_SEND_FAILED_EVENT.
    pub context: u32,
}

/// Why `send` refused a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// The association is closed or shutting down.
    NotConnected,
    /// The send buffer is full: try again when data has been acknowledged.
    BufferFull,
    /// An empty message (RFC 9260 has no empty DATA).
    EmptyMessage,
    /// The stream is not below the number of outbound streams.
    InvalidStream,
}

/// What exists once the peer's INIT or INIT-ACK is known.
pub(super) struct Flight {
    pub(super) tracker: DataTracker,
    pub(super) reassembly: ReassemblyQueue,
    pub(super) rtx: RetransmissionQueue,
    /// Per path index.
    rto: Vec<RtoEstimator>,
    t3: Vec<Option<Instant>>,
    /// The peer's last advertised window, for SHUTDOWN's implied acknowledgement.
    peer_a_rwnd: u32,
    /// A SACK must go out with the next packet.
    sack_now: bool,
    /// Data was outstanding and everything got acknowledged: SENDER_DRY is due.
    had_data: bool,
}

impl Flight {
    /// The packet size of path `id` and the largest fragment payload (0: no limit).
    pub(super) fn set_path_mtu(&mut self, id: PathId, mtu: usize, fragment_limit: usize) {
        self.rtx.set_path_mtu(id, mtu);
        self.rtx.set_max_fragment(fragment_limit);
    }
}

/// What the receive path needs of a DATA or I-DATA chunk besides its payload.
struct Fragment {
    tsn: Tsn,
    stream: StreamId,
    immediate: bool,
    empty: bool,
    /// The last fragment of a message that came in more than one chunk.
    ends_fragmented: bool,
}

/// Length of the DATA and I-DATA chunk headers.
const DATA_HEADER: usize = 16;
const IDATA_HEADER: usize = 20;

impl Association {
    /// Gives the data path the state of a path added after the handshake (ASCONF, RFC 5061).
    pub(super) fn data_add_path(&mut self, index: usize) {
        let mtu = self.path_mtu(index);
        let rto_config = RtoConfig {
            initial: self.config.rto_initial,
            min: self.config.rto_min,
            max: self.config.rto_max,
            ..RtoConfig::default()
        };
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        while flight.rto.len() <= index {
            flight.rto.push(RtoEstimator::new(rto_config));
            flight.t3.push(None);
            flight
                .rtx
                .add_path(PathId((flight.rto.len() - 1) as u16), mtu);
        }
    }

    pub(super) fn new_send_queue(config: &super::config::Config) -> SendQueue {
        let mut queue = SendQueue::new(SendQueueConfig {
            max_buffered_bytes: config.send_buffer as usize,
            scheduler: config.scheduler,
            ..SendQueueConfig::default()
        });
        let _ = queue.set_num_streams(config.outbound_streams);
        queue
    }

    pub(super) fn data_on_handshake(&mut self, peer: &PeerInit) {
        let interleaving = self.agreed.interleaving;
        let mode = if interleaving {
            DataMode::IData
        } else {
            DataMode::Data
        };
        self.send_queue.set_interleaving(interleaving);
        self.send_queue
            .set_partial_reliability(self.agreed.partial_reliability);
        for message in self.send_queue.set_num_streams(self.streams.0) {
            self.report_failed(message);
        }
        let mut reassembly_config =
            ReassemblyConfig::new(mode, self.config.receive_buffer as usize);
        if self.config.partial_delivery_point > 0 {
            reassembly_config.partial_delivery_point = self.config.partial_delivery_point as usize;
        }
        let tracker_config = TrackerConfig {
            sack_delay: self.config.sack_delay,
            sack_freq: self.config.sack_freq,
            ..TrackerConfig::default()
        };
        let header = if interleaving {
            IDATA_HEADER
        } else {
            DATA_HEADER
        };
        let mut rtx = RetransmissionQueue::new(RetransmissionConfig {
            initial_tsn: Tsn(self.local_initial_tsn),
            peer_rwnd: peer.a_rwnd,
            interleaving,
            nodelay: self.config.nodelay,
            max_fragment: self.fragment_limit(header),
            congestion: CongestionConfig {
                mtu: self.config.mtu,
                initial_cwnd_mtus: Some(self.config.initial_cwnd_mtus).filter(|&n| n > 0),
                max_burst: self.config.max_burst,
            },
            ..RetransmissionConfig::default()
        });
        let rto_config = RtoConfig {
            initial: self.config.rto_initial,
            min: self.config.rto_min,
            max: self.config.rto_max,
            ..RtoConfig::default()
        };
        let paths = self.paths.len();
        for i in 0..paths {
            rtx.add_path(PathId(i as u16), self.path_mtu(i));
        }
        self.flight = Some(Box::new(Flight {
            tracker: DataTracker::new(Tsn(peer.initial_tsn), tracker_config),
            reassembly: ReassemblyQueue::new(reassembly_config),
            rtx,
            rto: vec![RtoEstimator::new(rto_config); paths],
            t3: vec![None; paths],
            peer_a_rwnd: peer.a_rwnd,
            sack_now: false,
            had_data: false,
        }));
    }

    pub(super) fn data_on_close(&mut self) {
        let failed = match self.flight.as_mut() {
            Some(f) => f.rtx.abandon_all(&mut self.send_queue),
            None => self.send_queue.abandon_all(),
        };
        for message in failed {
            self.report_failed(message);
        }
    }

    // ---- user commands ---------------------------------------------------------------------

    /// Queues a message. It goes out once the association is established, within the
    /// congestion and receiver windows.
    pub fn send(
        &mut self,
        now: Instant,
        options: &SendOptions,
        data: &[u8],
    ) -> Result<(), SendError> {
        if !self.state.accepts_user_data() {
            return Err(SendError::NotConnected);
        }
        if self.reconfig_holds_stream(options.stream) {
            // libusrsctp answers EAGAIN while the stream's reset is pending or in flight.
            return Err(SendError::BufferFull);
        }
        let message = MessageOptions {
            unordered: options.unordered,
            ppid: Ppid(options.ppid),
            pr: options.pr,
            lifetime: None,
            sack_immediately: options.sack_immediately,
            context: options.context,
        };
        let payload = crate::tx::Payload::from(data);
        let stream = StreamId(options.stream);
        let eor = !options.more_to_come;
        let mut result = self
            .send_queue
            .enqueue(stream, payload.clone(), message, eor);
        if result == Err(EnqueueError::BufferFull) && self.make_room_for(data.len(), options.pr) {
            result = self.send_queue.enqueue(stream, payload, message, eor);
        }
        result.map(|_| ()).map_err(|e| match e {
            EnqueueError::BufferFull => SendError::BufferFull,
            EnqueueError::EmptyMessage => SendError::EmptyMessage,
            EnqueueError::InvalidStream => SendError::InvalidStream,
        })?;
        self.last_activity = now;
        Ok(())
    }

    /// The next received message (or piece of one under partial delivery).
    pub fn recv(&mut self) -> Option<ReceivedMessage> {
        let flight = self.flight.as_mut()?;
        let before = flight.reassembly.buffered_bytes();
        let message = flight.reassembly.pop_message()?;
        // A window that opens by a full packet or more is worth a SACK (RFC 9260 §6.2).
        let window_was = (self.config.receive_buffer as usize).saturating_sub(before);
        if window_was < self.config.mtu
            && flight.reassembly.buffered_bytes() + self.config.mtu <= before
        {
            flight.sack_now = true;
        }
        Some(message)
    }

    /// Bytes queued or in flight, counted against the send buffer.
    pub fn buffered_amount(&self) -> usize {
        self.send_queue.buffered_bytes()
    }

    /// Room left in the send buffer.
    pub fn send_buffer_available(&self) -> usize {
        self.send_queue.available_buffer()
    }

    /// True when received messages wait in `recv`.
    pub fn has_messages(&self) -> bool {
        self.flight
            .as_ref()
            .is_some_and(|f| f.reassembly.has_messages())
    }

    // ---- input ------------------------------------------------------------------------------

    pub(super) fn handle_data_chunk(
        &mut self,
        now: Instant,
        path: Option<usize>,
        chunk: &Chunk<'_>,
    ) -> bool {
        if self.flight.is_none() || matches!(self.state, State::CookieWait) {
            return true;
        }
        if let Some(p) = path {
            // Any chunk from a path shows it works (§8.3 allows it for data acknowledgements).
            if matches!(chunk, Chunk::Sack(_) | Chunk::NrSack(_)) {
                let _ = self.paths.on_reply(p);
            }
        }
        match chunk {
            Chunk::Data(d) => self.handle_data(d),
            Chunk::IData(d) => self.handle_idata(d),
            Chunk::Sack(s) => {
                let blocks: Vec<GapAckBlock> = s.gap_ack_blocks.iter().collect();
                self.handle_sack(now, s.cum_tsn_ack, s.a_rwnd, blocks);
            }
            Chunk::NrSack(s) => {
                let blocks: Vec<GapAckBlock> = s
                    .gap_ack_blocks
                    .iter()
                    .chain(s.nr_gap_ack_blocks.iter())
                    .collect();
                self.handle_sack(now, s.cum_tsn_ack, s.a_rwnd, blocks);
                if let Some(flight) = self.flight.as_mut() {
                    let nr = s.nr_gap_ack_blocks.iter();
                    let _ = flight
                        .rtx
                        .free_non_renegable(s.cum_tsn_ack, nr, &mut self.send_queue);
                }
            }
            Chunk::ForwardTsn(f) => self.handle_forward_tsn(f),
            Chunk::IForwardTsn(f) => self.handle_iforward_tsn(f),
            _ => {}
        }
        self.state != State::Closed
    }

    fn handle_data(&mut self, d: &DataChunk<'_>) {
        let fragment = Fragment {
            tsn: d.tsn,
            stream: d.stream_id,
            immediate: d.immediate,
            empty: d.payload.is_empty(),
            ends_fragmented: d.ending && !d.beginning,
        };
        self.handle_user_data(false, fragment, |q| q.add_data(d));
    }

    fn handle_idata(&mut self, d: &IDataChunk<'_>) {
        let fragment = Fragment {
            tsn: d.tsn,
            stream: d.stream_id,
            immediate: d.immediate,
            empty: d.payload.is_empty(),
            ends_fragmented: d.ending && !d.beginning,
        };
        self.handle_user_data(true, fragment, |q| q.add_idata(d));
    }

    /// DATA or I-DATA: the kind must be the negotiated one (RFC 8260 §2.2), and a chunk
    /// without user data aborts the association (RFC 9260 §6.2).
    fn handle_user_data(
        &mut self,
        idata: bool,
        fragment: Fragment,
        add: impl FnOnce(&mut ReassemblyQueue) -> Result<(), ReassemblyError>,
    ) {
        let kind = if idata { "I-DATA" } else { "DATA" };
        if idata != self.agreed.interleaving {
            self.data_protocol_violation(&format!("{kind} chunk not negotiated"));
        } else if fragment.empty {
            self.abort_no_user_data(fragment.tsn);
        } else if !self.accept_fragment(&fragment, add) {
            self.data_protocol_violation(&format!("inconsistent {kind} fragments"));
        }
    }

    /// Tracks one DATA or I-DATA fragment (RFC 9260 §6.2); false on a protocol violation.
    fn accept_fragment(
        &mut self,
        fragment: &Fragment,
        add: impl FnOnce(&mut ReassemblyQueue) -> Result<(), ReassemblyError>,
    ) -> bool {
        let Fragment {
            tsn,
            stream,
            immediate,
            ..
        } = *fragment;
        let inbound = self.streams.1;
        let Some(flight) = self.flight.as_mut() else {
            return true;
        };
        match flight.tracker.classify(tsn) {
            Observed::TooFarAhead => return true,
            Observed::Duplicate => {
                self.counters.recvdupdata += 1;
                flight.tracker.observe(tsn, immediate);
                return true;
            }
            Observed::New => {}
        }
        self.counters.recvdata += 1;
        if stream.0 >= inbound {
            self.counters.badsid += 1;
            // §6.8... §3.3.10.1: acknowledge, report the stream, drop the data.
            flight.tracker.observe(tsn, immediate);
            let cause =
                Cause::InvalidStreamIdentifier(InvalidStreamIdentifier { stream_id: stream });
            self.queue_error(&[cause]);
            return true;
        }
        match add(&mut flight.reassembly) {
            Ok(()) => {
                flight.tracker.observe(tsn, immediate);
                if self.agreed.nr_sack {
                    // We never take back what we accepted (no reneging): every TSN above the
                    // cumulative one goes into the NR gap blocks and the sender may free it.
                    flight.tracker.mark_non_renegable(tsn);
                }
                if fragment.ends_fragmented {
                    self.counters.reasmusrmsgs += 1;
                }
                true
            }
            // No room: drop it unacknowledged; the sender retransmits (§6.2).
            Err(ReassemblyError::BufferFull) => {
                self.counters.datadroprwnd += 1;
                true
            }
            Err(ReassemblyError::EmptyPayload) => true,
            Err(ReassemblyError::WrongMode | ReassemblyError::InconsistentFragments) => false,
        }
    }

    fn handle_sack(&mut self, now: Instant, cum: Tsn, a_rwnd: u32, blocks: Vec<GapAckBlock>) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        let outcome = match flight
            .rtx
            .handle_sack(now, cum, a_rwnd, blocks, &mut self.send_queue)
        {
            Ok(outcome) => outcome,
            Err(_) => {
                self.data_protocol_violation("cumulative TSN ack beyond the highest TSN sent");
                return;
            }
        };
        if !outcome.ignored_as_old {
            flight.peer_a_rwnd = a_rwnd;
        }
        self.apply_sack_outcome(now, &outcome);
    }

    fn apply_sack_outcome(&mut self, now: Instant, outcome: &SackOutcome) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        for &(path, rtt) in &outcome.rtt_samples {
            if let Some(rto) = flight.rto.get_mut(usize::from(path.0)) {
                rto.on_rtt_measurement(rtt);
            }
        }
        if outcome.total_acked() > 0 {
            // §8.3: acknowledged data clears the association's error counter and the paths'.
            self.error_count = 0;
            self.retransmit_path = None;
            for &(path, _) in &outcome.acked_bytes {
                let _ = self.paths.on_reply(usize::from(path.0));
            }
            flight.had_data = true;
        }
        for &(path, action) in &outcome.t3 {
            let i = usize::from(path.0);
            let rto = flight
                .rto
                .get(i)
                .map_or(self.config.rto_initial, RtoEstimator::rto);
            if let Some(slot) = flight.t3.get_mut(i) {
                match action {
                    T3Action::Stop => *slot = None,
                    T3Action::Restart => *slot = Some(now + rto),
                    T3Action::StartIfNotRunning => {
                        if slot.is_none() {
                            *slot = Some(now + rto);
                        }
                    }
                }
            }
        }
        // Nothing in flight and nothing left to forward: a T3-rtx started for a FORWARD-TSN
        // has done its work.
        let done = flight.rtx.flight_size() == 0
            && !flight.rtx.has_retransmissions()
            && flight.rtx.advanced_peer_ack_point() == flight.rtx.cum_tsn_ack();
        if done {
            flight.t3.iter_mut().for_each(|t| *t = None);
        }
        self.collect_abandoned();
        self.check_sender_dry();
        self.arm_t3_timer();
        if outcome.fast_retransmit {
            // Loss repaired by fast retransmit may still be a black hole for the largest
            // packets only: path MTU discovery checks (RFC 8899 §4.3).
            self.pmtud_on_data_loss(now, self.data_path());
        }
    }

    fn handle_forward_tsn(&mut self, f: &ForwardTsnChunk<'_>) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        let skipped: Vec<(StreamId, Ssn)> =
            f.streams.iter().map(|s| (s.stream_id, s.ssn)).collect();
        flight.tracker.handle_forward_tsn(f.new_cum_tsn);
        flight
            .reassembly
            .handle_forward_tsn(f.new_cum_tsn, &skipped);
        flight.sack_now = true;
        self.collect_partial_delivery_aborts();
    }

    fn handle_iforward_tsn(&mut self, f: &IForwardTsnChunk<'_>) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        let skipped: Vec<(StreamId, bool, Mid)> = f
            .streams
            .iter()
            .map(|s| (s.stream_id, s.unordered, s.mid))
            .collect();
        flight.tracker.handle_forward_tsn(f.new_cum_tsn);
        flight.reassembly.handle_iforward_tsn(&skipped);
        flight.sack_now = true;
        self.collect_partial_delivery_aborts();
    }

    fn collect_partial_delivery_aborts(&mut self) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        while let Some(aborted) = flight.reassembly.poll_partial_delivery_aborted() {
            self.events.push_back(Event::PartialDeliveryAborted {
                stream_id: aborted.stream_id,
                unordered: aborted.unordered,
                ssn_or_mid: aborted.ssn_or_mid,
            });
        }
    }

    fn abort_no_user_data(&mut self, tsn: Tsn) {
        let cause = Cause::NoUserData(NoUserData { tsn });
        self.send_abort_and_close(&[cause], LossReason::LocalAbort);
    }

    fn data_protocol_violation(&mut self, info: &str) {
        let cause = Cause::ProtocolViolation(ProtocolViolation {
            additional_information: info.as_bytes(),
        });
        self.send_abort_and_close(&[cause], LossReason::LocalAbort);
    }

    /// After all chunks of a packet: decide on the SACK, move the shutdown on.
    pub(super) fn after_packet(&mut self, now: Instant) {
        let mut answer_with_shutdown = false;
        if let Some(flight) = self.flight.as_mut() {
            // §9.2: in SHUTDOWN-SENT, every packet with DATA is answered at once with a
            // SHUTDOWN (and a SACK, as libusrsctp does), never by the delayed-SACK timer: the
            // peer is finishing its last data and waits for nothing else.
            answer_with_shutdown =
                self.state == State::ShutdownSent && flight.tracker.packet_has_data();
            flight.tracker.on_packet_processed(now);
            if flight.tracker.sack_due() || answer_with_shutdown {
                flight.sack_now = true;
            }
            match flight.tracker.sack_deadline() {
                Some(at) => self.timers.set(Timer::DelayedAck, at),
                None => self.timers.stop(Timer::DelayedAck),
            }
            let current = PathId(self.paths.current() as u16);
            flight.rtx.limit_burst(current);
        }
        if answer_with_shutdown {
            self.resend_shutdown(now);
        }
        self.progress_shutdown(now);
    }

    // ---- timers -----------------------------------------------------------------------------

    pub(super) fn on_data_timer(&mut self, now: Instant, timer: Timer) {
        if self.state == State::Closed {
            return;
        }
        match timer {
            Timer::DelayedAck => {
                if let Some(flight) = self.flight.as_mut() {
                    flight.tracker.handle_timeout(now);
                    if flight.tracker.sack_due() || flight.tracker.sack_pending() {
                        flight.sack_now = true;
                    }
                }
            }
            Timer::T3Rtx => self.on_t3(now),
            _ => {}
        }
    }

    fn on_t3(&mut self, now: Instant) {
        let expired: Vec<usize> = match self.flight.as_ref() {
            Some(f) => {
                f.t3.iter()
                    .enumerate()
                    .filter(|(_, t)| t.is_some_and(|t| t <= now))
                    .map(|(i, _)| i)
                    .collect()
            }
            None => return,
        };
        for i in expired {
            if let Some(flight) = self.flight.as_mut() {
                flight.t3[i] = None;
                if let Some(rto) = flight.rto.get_mut(i) {
                    rto.back_off();
                }
                let outcome = flight
                    .rtx
                    .on_t3_timeout(now, PathId(i as u16), &mut self.send_queue);
                self.counters.timodata += 1;
                self.counters.markedretrans += outcome.marked as u64;
            }
            // §6.3.3 E2 and §8.2: a timeout of the path and of the association.
            self.count_path_timeout(i);
            // RFC 8899 §4.3: the loss may be a black hole; path MTU discovery checks.
            self.pmtud_on_data_loss(now, i);
            // §6.4.1: retransmit to another active path when there is one.
            let alternate = self.paths.alternate(i);
            self.retransmit_path = (alternate != i).then_some(alternate);
            if self.state == State::Closed {
                return;
            }
        }
        self.collect_abandoned();
        self.arm_t3_timer();
    }

    fn arm_t3_timer(&mut self) {
        match self
            .flight
            .as_ref()
            .and_then(|f| f.t3.iter().flatten().min().copied())
        {
            Some(at) => self.timers.set(Timer::T3Rtx, at),
            None => self.timers.stop(Timer::T3Rtx),
        }
    }

    // ---- output -----------------------------------------------------------------------------

    /// Adds a SACK, a FORWARD-TSN and DATA to a packet for the current path.
    pub(super) fn fill_data(&mut self, now: Instant, packet: &mut PacketBuffer) {
        if self.state == State::Closed {
            return;
        }
        let path = self.data_path();
        // DATA may ride behind the COOKIE-ECHO (RFC 9260 §5.1 C).
        let sending_allowed = matches!(
            self.state,
            State::CookieEchoed
                | State::Established
                | State::ShutdownPending
                | State::ShutdownReceived
        );
        let a_rwnd = self.local_a_rwnd();
        let nr_sack = self.agreed.nr_sack;
        let interleaving = self.agreed.interleaving;
        let Some(flight) = self.flight.as_mut() else {
            return;
        };

        // A SACK goes out when due, and rides along with data whenever one is pending.
        let has_data =
            sending_allowed && (flight.rtx.has_retransmissions() || !self.send_queue.is_empty());
        if flight.sack_now
            || flight.tracker.sack_due()
            || (has_data && flight.tracker.sack_pending())
        {
            let bytes = if nr_sack {
                let info = flight.tracker.build_nr_sack(a_rwnd);
                super::handshake::chunk_bytes(&Chunk::NrSack(info.chunk()))
            } else {
                let info = flight.tracker.build_sack(a_rwnd);
                super::handshake::chunk_bytes(&Chunk::Sack(info.chunk()))
            };
            if packet.push(&bytes) {
                flight.sack_now = false;
                self.timers.stop(Timer::DelayedAck);
            }
        }
        if !sending_allowed {
            return;
        }
        let mut forward_armed = false;
        if let Some(forward) = flight.rtx.take_forward_tsn() {
            let bytes = if interleaving {
                super::handshake::chunk_bytes(&Chunk::IForwardTsn(IForwardTsnChunk {
                    new_cum_tsn: forward.new_cum_tsn,
                    streams: WireList::Items(&forward.istreams),
                }))
            } else {
                super::handshake::chunk_bytes(&Chunk::ForwardTsn(ForwardTsnChunk {
                    new_cum_tsn: forward.new_cum_tsn,
                    streams: WireList::Items(&forward.streams),
                }))
            };
            // RFC 3758 §3.5 A5/C3: a FORWARD-TSN is guarded by T3-rtx like data, so that a
            // lost one goes again even when no later data brings a SACK.
            if packet.push(&bytes) && flight.t3.get(path).is_some_and(Option::is_none) {
                let rto = flight
                    .rto
                    .get(path)
                    .map_or(self.config.rto_initial, RtoEstimator::rto);
                flight.t3[path] = Some(now + rto);
                forward_armed = true;
            }
        }
        let sent = flight.rtx.next_packet(
            now,
            PathId(path as u16),
            packet.remaining(),
            &mut self.send_queue,
        );
        if sent.is_empty() {
            if forward_armed {
                self.arm_t3_timer();
            }
            return;
        }
        for chunk in &sent {
            packet.push(&data_chunk_bytes(chunk));
            let c = &mut self.counters;
            if chunk.retransmission {
                c.sendretransdata += 1;
                c.sendfastretrans += u64::from(chunk.fast_retransmission);
            } else {
                c.senddata += 1;
                // The first fragment of a message that needs more than one chunk.
                c.fragusrmsgs += u64::from(chunk.chunk.beginning && !chunk.chunk.ending);
            }
        }
        if flight.t3.get(path).is_some_and(Option::is_none) {
            let rto = flight
                .rto
                .get(path)
                .map_or(self.config.rto_initial, RtoEstimator::rto);
            flight.t3[path] = Some(now + rto);
        }
        self.arm_t3_timer();
        self.collect_abandoned();
    }

    /// False when `fill_data` would certainly add nothing: no SACK due or pending, no
    /// FORWARD-TSN to send, nothing to retransmit and nothing queued.
    pub(super) fn data_may_have_output(&self) -> bool {
        let Some(flight) = self.flight.as_ref() else {
            return false;
        };
        flight.sack_now
            || flight.tracker.sack_due()
            || flight.tracker.sack_pending()
            || flight.rtx.has_retransmissions()
            || flight.rtx.advanced_peer_ack_point() != flight.rtx.cum_tsn_ack()
            || !self.send_queue.is_empty()
    }

    /// Our advertised receiver window: the buffer minus what waits for reassembly or the user.
    fn local_a_rwnd(&self) -> u32 {
        let held = self
            .flight
            .as_ref()
            .map_or(0, |f| f.reassembly.buffered_bytes());
        (self.config.receive_buffer as usize).saturating_sub(held) as u32
    }

    // ---- bookkeeping ------------------------------------------------------------------------

    fn collect_abandoned(&mut self) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        for message in flight.rtx.drain_abandoned(&mut self.send_queue) {
            self.pr_counters.count(&message);
            self.report_failed(message);
        }
    }

    /// PR-SCTP priority policy (RFC 7496 §4.2): abandons queued messages of a lower priority
    /// than the new message of `len` bytes so that it fits the send buffer. False when that
    /// cannot make enough room (then nothing is abandoned).
    fn make_room_for(&mut self, len: usize, pr: PrPolicy) -> bool {
        if !self.agreed.partial_reliability {
            return false;
        }
        let Some(flight) = self.flight.as_mut() else {
            return false;
        };
        let priority = match pr {
            PrPolicy::Buf { priority } => priority,
            _ => 0,
        };
        let done = flight.rtx.make_room(len, priority, &mut self.send_queue);
        self.collect_abandoned();
        done
    }

    fn report_failed(&mut self, message: AbandonedMessage) {
        let data = message
            .data
            .iter()
            .flat_map(|p| p.as_slice().iter().copied())
            .collect();
        self.events.push_back(Event::SendFailed(FailedMessage {
            stream_id: message.stream_id,
            ppid: message.ppid,
            unordered: message.unordered,
            was_sent: message.sent,
            context: message.context,
            data,
        }));
    }

    fn check_sender_dry(&mut self) {
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        if flight.had_data && flight.rtx.is_empty() && self.send_queue.is_empty() {
            flight.had_data = false;
            self.events.push_back(Event::SenderDry);
        }
    }

    pub(super) fn all_data_acked(&self) -> bool {
        self.send_queue.is_empty() && self.flight.as_ref().is_none_or(|f| f.rtx.is_empty())
    }

    pub(super) fn cumulative_tsn_ack(&self) -> u32 {
        self.flight
            .as_ref()
            .map_or(0, |f| f.tracker.cumulative_tsn().0)
    }

    /// SHUTDOWN carries a cumulative TSN ack: it acknowledges like a SACK without gaps (§9.2).
    pub(super) fn data_on_shutdown_cum_ack(&mut self, now: Instant, cum: Tsn) {
        let Some(flight) = self.flight.as_ref() else {
            return;
        };
        let a_rwnd = flight.peer_a_rwnd;
        self.handle_sack(now, cum, a_rwnd, Vec::new());
    }

    /// Doubles the RTO of `path` after a timeout (§6.3.3 E2).
    pub(super) fn back_off_rto(&mut self, path: usize) {
        if let Some(rto) = self.flight.as_mut().and_then(|f| f.rto.get_mut(path)) {
            rto.back_off();
        }
    }

    pub(super) fn on_rtt_sample(&mut self, path: usize, rtt: Duration) {
        if let Some(rto) = self.flight.as_mut().and_then(|f| f.rto.get_mut(path)) {
            rto.on_rtt_measurement(rtt);
        }
    }

    /// The RTO of `path` from its measurements, without the back-off of timeouts: what a probe
    /// of path MTU discovery waits for (a lost probe is not a congestion signal).
    pub(super) fn measured_rto(&self, path: usize) -> Duration {
        let Some(rto) = self.flight.as_ref().and_then(|f| f.rto.get(path)) else {
            return self.config.rto_initial;
        };
        match (rto.srtt(), rto.rttvar()) {
            (Some(srtt), Some(var)) => {
                (srtt + var * 4).clamp(self.config.rto_min, self.config.rto_max)
            }
            _ => rto.rto(),
        }
    }

    pub(super) fn data_path_rto(&self, path: usize) -> Duration {
        self.flight
            .as_ref()
            .and_then(|f| f.rto.get(path))
            .map_or(self.config.rto_initial, RtoEstimator::rto)
    }
}

/// Serialises one DATA or I-DATA chunk.
fn data_chunk_bytes(sent: &SentChunk) -> Vec<u8> {
    let c = &sent.chunk;
    let payload = c.payload.as_slice();
    match c.seq {
        StreamSeq::Ssn(ssn) => {
            let mut out = vec![0u8; crate::wire::padded(DATA_HEADER + payload.len())];
            let chunk = DataChunk {
                tsn: sent.tsn,
                stream_id: c.stream_id,
                ssn,
                ppid: c.ppid,
                unordered: c.unordered,
                beginning: c.beginning,
                ending: c.ending,
                immediate: c.immediate,
                payload,
            };
            let n = chunk.emit(&mut out).unwrap_or(0);
            out.truncate(n);
            out
        }
        StreamSeq::Mid(mid) => {
            let mut out = vec![0u8; crate::wire::padded(IDATA_HEADER + payload.len())];
            let chunk = IDataChunk {
                tsn: sent.tsn,
                stream_id: c.stream_id,
                mid,
                ppid: if c.beginning { c.ppid } else { Ppid(0) },
                fsn: if c.beginning { 0 } else { c.fsn },
                unordered: c.unordered,
                beginning: c.beginning,
                ending: c.ending,
                immediate: c.immediate,
                payload,
            };
            let n = chunk.emit(&mut out).unwrap_or(0);
            out.truncate(n);
            out
        }
    }
}

/// What SCTP_GET_PEER_ADDR_INFO and SCTP_STATUS report about a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathInfo {
    pub cwnd: usize,
    pub ssthresh: usize,
    pub flight: usize,
    pub srtt: Option<Duration>,
    pub rto: Duration,
    pub mtu: usize,
}

impl Association {
    /// Congestion and timing state of path `index`, once the data path exists.
    pub fn path_info(&self, index: usize) -> Option<PathInfo> {
        let flight = self.flight.as_ref()?;
        let id = PathId(u16::try_from(index).ok()?);
        let cc = flight.rtx.congestion(id)?;
        let rto = flight.rto.get(index)?;
        Some(PathInfo {
            cwnd: cc.cwnd(),
            ssthresh: cc.ssthresh(),
            flight: flight.rtx.path_flight_size(id),
            srtt: rto.srtt(),
            rto: rto.rto(),
            mtu: cc.mtu(),
        })
    }

    /// The peer's receiver window as the sender sees it now.
    pub fn peer_rwnd(&self) -> usize {
        self.flight.as_ref().map_or(0, |f| f.rtx.peer_rwnd())
    }

    /// Carries the settings of `config` that the data path copied when it started into it
    /// again, after a socket option changed them (`settings.rs`): Nagle, the fragment limit,
    /// the delayed-SACK timing, Max.Burst and the path MTU.
    pub(super) fn data_on_config_change(&mut self) {
        let header = if self.agreed.interleaving {
            IDATA_HEADER
        } else {
            DATA_HEADER
        };
        let fragment_limit = self.fragment_limit(header);
        let mtus: Vec<usize> = (0..self.paths.len()).map(|i| self.path_mtu(i)).collect();
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        flight.rtx.set_nodelay(self.config.nodelay);
        flight.rtx.set_max_fragment(fragment_limit);
        flight
            .tracker
            .set_sack_timing(self.config.sack_delay, self.config.sack_freq);
        for (i, &mtu) in mtus.iter().enumerate() {
            let id = PathId(i as u16);
            flight.rtx.set_path_mtu(id, mtu);
            if let Some(cc) = flight.rtx.congestion_mut(id) {
                cc.set_max_burst(self.config.max_burst);
            }
        }
    }
}

impl Flight {
    /// The highest TSN given to DATA so far (the one before the next TSN).
    pub(super) fn highest_tsn_sent(&self) -> Tsn {
        self.rtx.next_tsn().add(u32::MAX)
    }

    /// The congestion control of a path, for the ECN response (`ecn.rs`).
    pub(super) fn congestion_mut(
        &mut self,
        path: PathId,
    ) -> Option<&mut crate::tx::congestion::CongestionControl> {
        self.rtx.congestion_mut(path)
    }
}
