//! Control chunks: the initiating side of the handshake (RFC 9260 §5.1), heartbeats (§8.3),
//! graceful shutdown (§9.2), ABORT (§9.1), ERROR, unrecognised chunks (§3.2) and autoclose.

use std::time::Duration;

use super::association::{Association, PeerInit};
use super::event::{Event, LossReason, PathState};
use super::handshake::{self, InitProblem};
use super::output::QueuedChunk;
use super::path::{Paths, Transition};
use super::state::State;
use super::timer::Timer;
use crate::types::{Instant, Tsn};
use crate::wire::cause::{
    Cause, InvalidMandatoryParameter, UnrecognizedChunkType, UserInitiatedAbort,
};
use crate::wire::chunk::{
    AbortChunk, Chunk, CookieEchoChunk, ErrorChunk, HeartbeatAckChunk, HeartbeatChunk,
    InitAckChunk, ShutdownAckChunk, ShutdownChunk, ShutdownCompleteChunk,
};
use crate::wire::param::{HeartbeatInfo, Param, UnrecognizedParameter};
use crate::wire::tlv::{ParamIter, RawChunk, UnrecognizedAction};

/// Our heartbeat information: path index, send time, and a keyed nonce so that a forged
/// HEARTBEAT-ACK cannot confirm an address (RFC 9260 §8.3).
const HEARTBEAT_INFO_LEN: usize = 1 + 8 + 8;

impl Association {
    // ---- handshake, initiating side ----------------------------------------------------------

    pub(super) fn handle_init_ack(&mut self, now: Instant, c: &InitAckChunk<'_>) {
        if self.state != State::CookieWait {
            // §5.2.3: an INIT-ACK outside COOKIE-WAIT is discarded.
            return;
        }
        match handshake::check_init_fields(c.initiate_tag.0, c.outbound_streams, c.inbound_streams)
        {
            Ok(()) => {}
            Err(InitProblem::ZeroTag) => return,
            Err(InitProblem::ZeroStreams) => {
                self.peer_tag = c.initiate_tag.0;
                let cause = Cause::InvalidMandatoryParameter(InvalidMandatoryParameter);
                self.send_abort_and_close(&[cause], LossReason::LocalAbort);
                self.events.push_back(Event::CannotStart);
                return;
            }
        }
        let negotiated = self.offer.negotiate(c.params);
        let Some(cookie) = negotiated.state_cookie.clone() else {
            // §5.1: a missing State Cookie is a missing mandatory parameter.
            self.peer_tag = c.initiate_tag.0;
            let cause =
                Cause::MissingMandatoryParameter(crate::wire::cause::MissingMandatoryParameter {
                    missing_types: crate::wire::param::U16List::Values(&[7]),
                });
            self.send_abort_and_close(&[cause], LossReason::LocalAbort);
            self.events.push_back(Event::CannotStart);
            return;
        };
        let peer = PeerInit {
            tag: c.initiate_tag.0,
            a_rwnd: c.a_rwnd,
            outbound_streams: c.outbound_streams,
            inbound_streams: c.inbound_streams,
            initial_tsn: c.initial_tsn.0,
        };
        self.take_peer_init(&peer, c.params);
        // Unrecognised parameters of the INIT-ACK are reported in an ERROR bundled with the
        // COOKIE-ECHO (§5.2.3... §3.3.3).
        let echo = handshake::chunk_bytes(&Chunk::CookieEcho(CookieEchoChunk { cookie: &cookie }));
        self.handshake_chunk = Some(echo.clone());
        self.control.push_back(QueuedChunk::new(echo));
        if !negotiated.unrecognized.is_empty() {
            let params: Vec<Cause<'_>> = negotiated
                .unrecognized
                .iter()
                .map(|p| {
                    Cause::UnrecognizedParameters(crate::wire::cause::UnrecognizedParameters {
                        params: p,
                    })
                })
                .collect();
            self.queue_error(&params);
        }
        self.state = State::CookieEchoed;
        self.cookie_sent_at = Some(now);
        self.timers.stop(Timer::T1Init);
        // T1-cookie starts from the path's RTO, not from the INIT's backed-off one.
        self.control_retransmits = 0;
        self.control_rto = self.path_rto(self.paths.current());
        self.timers.set(Timer::T1Cookie, now + self.control_rto);
    }

    pub(super) fn handle_cookie_ack(&mut self, now: Instant) {
        if self.state == State::CookieEchoed {
            self.counters.activeestab += 1;
            if let Some(sent) = self.cookie_sent_at.take() {
                let path = self.paths.current();
                self.on_rtt_sample(path, now - sent);
            }
            self.enter_established(now);
        }
    }

    pub(super) fn on_t1_timeout(&mut self, now: Instant, timer: Timer) {
        let expected = if timer == Timer::T1Init {
            State::CookieWait
        } else {
            State::CookieEchoed
        };
        if self.state != expected {
            return;
        }
        self.control_retransmits += 1;
        if self.control_retransmits > self.config.max_init_retransmits {
            self.close_with(Some(LossReason::HandshakeFailed));
            self.events.push_back(Event::CannotStart);
            return;
        }
        self.control_rto = (self.control_rto * 2).min(self.config.init_rto_max);
        self.cookie_sent_at = None;
        if let Some(chunk) = self.handshake_chunk.clone() {
            let queued = QueuedChunk::new(chunk);
            self.control.push_back(if timer == Timer::T1Init {
                queued.alone_with_tag(0)
            } else {
                queued
            });
        }
        self.timers.set(timer, now + self.control_rto);
    }

    // ---- heartbeats ---------------------------------------------------------------------------

    pub(super) fn schedule_heartbeats(&mut self, now: Instant) {
        let Some(interval) = self.config.heartbeat_interval else {
            return;
        };
        let rto = self.config.rto_initial;
        for i in 0..self.paths.len() {
            let unit = self.jitter_unit();
            let due = now + Paths::heartbeat_delay(interval, rto, unit);
            if let Some(p) = self.paths.get_mut(i) {
                if p.next_heartbeat.is_none() {
                    p.next_heartbeat = Some(due);
                }
            }
        }
        self.arm_heartbeat_timer();
    }

    fn arm_heartbeat_timer(&mut self) {
        match self.paths.iter().filter_map(|p| p.next_heartbeat).min() {
            Some(at) => self.timers.set(Timer::Heartbeat, at),
            None => self.timers.stop(Timer::Heartbeat),
        }
    }

    fn heartbeat_nonce(&self, path: usize, sent: Instant) -> u64 {
        let mut z = self.heartbeat_key
            ^ (path as u64)
            ^ sent.as_micros().rotate_left(17)
            ^ self.heartbeat_counter;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z ^ (z >> 31)
    }

    pub(super) fn on_heartbeat_timer(&mut self, now: Instant) {
        let Some(interval) = self.config.heartbeat_interval else {
            return;
        };
        for i in 0..self.paths.len() {
            let due = self.paths.get(i).and_then(|p| p.next_heartbeat);
            if due.is_none_or(|d| d > now) {
                continue;
            }
            // An unanswered heartbeat counts as a timeout of its path (§8.3).
            if self.paths.get(i).is_some_and(|p| p.heartbeat.is_some()) {
                self.count_path_timeout(i);
                if self.state == State::Closed {
                    return;
                }
            }
            self.heartbeat_counter = self.heartbeat_counter.wrapping_add(1);
            let nonce = self.heartbeat_nonce(i, now);
            let mut info = [0u8; HEARTBEAT_INFO_LEN];
            info[0] = i as u8;
            info[1..9].copy_from_slice(&now.as_micros().to_be_bytes());
            info[9..17].copy_from_slice(&nonce.to_be_bytes());
            let params =
                handshake::params_bytes(&[Param::HeartbeatInfo(HeartbeatInfo { info: &info })]);
            let chunk =
                handshake::chunk_bytes(&Chunk::Heartbeat(HeartbeatChunk { params: &params }));
            self.control.push_back(QueuedChunk::new(chunk).on_path(i));
            let rto = self.path_rto(i);
            let unit = self.jitter_unit();
            if let Some(p) = self.paths.get_mut(i) {
                p.heartbeat = Some((nonce, now));
                p.next_heartbeat = Some(now + Paths::heartbeat_delay(interval, rto, unit));
            }
        }
        self.arm_heartbeat_timer();
    }

    pub(super) fn handle_heartbeat(&mut self, path: Option<usize>, c: &HeartbeatChunk<'_>) {
        // §8.3: answer on the path it came from, echoing the information unchanged.
        let ack =
            handshake::chunk_bytes(&Chunk::HeartbeatAck(HeartbeatAckChunk { params: c.params }));
        let queued = QueuedChunk::new(ack);
        self.control.push_back(match path {
            Some(p) => queued.on_path(p),
            None => queued,
        });
    }

    pub(super) fn handle_heartbeat_ack(&mut self, now: Instant, c: &HeartbeatAckChunk<'_>) {
        let Some(Ok(raw)) = ParamIter::new(c.params).next() else {
            return;
        };
        let Ok(Param::HeartbeatInfo(info)) = Param::parse(&raw) else {
            return;
        };
        let info = info.info;
        if info.len() == super::pmtud::PROBE_INFO_LEN {
            self.handle_probe_ack(now, info);
            return;
        }
        if info.len() != HEARTBEAT_INFO_LEN {
            return;
        }
        let index = usize::from(info[0]);
        let mut sent = [0u8; 8];
        sent.copy_from_slice(&info[1..9]);
        let mut nonce = [0u8; 8];
        nonce.copy_from_slice(&info[9..17]);
        let (sent, nonce) = (
            Instant::from_micros(u64::from_be_bytes(sent)),
            u64::from_be_bytes(nonce),
        );
        let Some(path) = self.paths.get_mut(index) else {
            return;
        };
        if path.heartbeat != Some((nonce, sent)) {
            return;
        }
        path.heartbeat = None;
        let newly_confirmed = !path.confirmed;
        path.confirmed = true;
        let addr = path.addr;
        self.error_count = 0;
        self.on_rtt_sample(index, now - sent);
        if newly_confirmed {
            self.events.push_back(Event::PathChanged {
                addr,
                state: PathState::Confirmed,
            });
        }
        if self.paths.on_reply(index) == Transition::BecameActive {
            self.events.push_back(Event::PathChanged {
                addr,
                state: PathState::Available,
            });
        }
    }

    /// Counts a timeout on a path and on the association (§8.1, §8.2).
    pub(super) fn count_path_timeout(&mut self, path: usize) {
        let addr = self.path_addr(path);
        if self.paths.on_timeout(path, self.config.path_max_retrans) == Transition::BecameInactive {
            self.events.push_back(Event::PathChanged {
                addr,
                state: PathState::Unreachable,
            });
        }
        self.error_count += 1;
        if self.error_count > self.config.assoc_max_retrans {
            self.send_abort_and_close(&[], LossReason::RetransmissionsExceeded);
        }
    }

    // ---- shutdown -------------------------------------------------------------------------------

    /// Starts a graceful shutdown: queued data is still sent, then SHUTDOWN (§9.2).
    pub fn shutdown(&mut self, now: Instant) {
        match self.state {
            State::CookieWait | State::CookieEchoed => self.close_with(None),
            State::Established => {
                self.state = State::ShutdownPending;
                // RFC 7053 §4.1, as libusrsctp does with sctp_enable_sack_immediately.
                self.send_queue
                    .set_last_message_immediate(self.config.sack_immediately_on_shutdown);
                self.progress_shutdown(now);
            }
            _ => {}
        }
    }

    /// Moves the shutdown on once all data is acknowledged; called after every input.
    pub(super) fn progress_shutdown(&mut self, now: Instant) {
        if !self.all_data_acked() {
            return;
        }
        match self.state {
            State::ShutdownPending => {
                self.state = State::ShutdownSent;
                self.send_shutdown(now);
                self.timers
                    .set(Timer::T5ShutdownGuard, now + self.config.shutdown_guard());
            }
            State::ShutdownReceived => {
                self.state = State::ShutdownAckSent;
                self.send_shutdown_ack(now);
            }
            _ => {}
        }
    }

    fn send_shutdown(&mut self, now: Instant) {
        let cum = Tsn(self.cumulative_tsn_ack());
        let chunk = handshake::chunk_bytes(&Chunk::Shutdown(ShutdownChunk { cum_tsn_ack: cum }));
        self.control.push_back(QueuedChunk::new(chunk));
        self.timers
            .set(Timer::T2Shutdown, now + self.path_rto(self.paths.current()));
    }

    /// SHUTDOWN again with the current cumulative TSN, restarting T2 (§9.2, DATA received in
    /// SHUTDOWN-SENT); one waiting to go out is brought up to date rather than doubled.
    pub(super) fn resend_shutdown(&mut self, now: Instant) {
        self.control
            .retain(|c| c.bytes.first() != Some(&ShutdownChunk::TYPE));
        self.send_shutdown(now);
    }

    fn send_shutdown_ack(&mut self, now: Instant) {
        let chunk = handshake::chunk_bytes(&Chunk::ShutdownAck(ShutdownAckChunk));
        self.control.push_back(QueuedChunk::new(chunk));
        self.timers
            .set(Timer::T2Shutdown, now + self.path_rto(self.paths.current()));
    }

    pub(super) fn handle_shutdown(&mut self, now: Instant, cum_tsn_ack: Tsn) {
        self.data_on_shutdown_cum_ack(now, cum_tsn_ack);
        match self.state {
            State::Established | State::ShutdownPending => {
                self.state = State::ShutdownReceived;
                self.events.push_back(Event::PeerShutdown);
                self.progress_shutdown(now);
            }
            State::ShutdownSent => {
                // Both sides shut down at once (§9.2): answer with SHUTDOWN-ACK.
                self.state = State::ShutdownAckSent;
                self.send_shutdown_ack(now);
            }
            State::ShutdownReceived | State::ShutdownAckSent => self.progress_shutdown(now),
            _ => {}
        }
    }

    pub(super) fn handle_shutdown_ack(&mut self, _now: Instant) {
        if matches!(self.state, State::ShutdownSent | State::ShutdownAckSent) {
            let chunk = handshake::chunk_bytes(&Chunk::ShutdownComplete(ShutdownCompleteChunk {
                tag_reflected: false,
            }));
            self.counters.shutdown += 1;
            self.close_with(None);
            // The last thing this association sends.
            self.control.push_back(QueuedChunk::new(chunk));
            self.events.push_back(Event::ShutdownComplete);
        }
    }

    pub(super) fn handle_shutdown_complete(&mut self) {
        if self.state == State::ShutdownAckSent {
            self.counters.shutdown += 1;
            self.close_with(None);
            self.events.push_back(Event::ShutdownComplete);
        }
    }

    pub(super) fn on_t2_timeout(&mut self, now: Instant) {
        let current = self.paths.current();
        // §9.2: T2 follows the rules of §6.3, back-off included.
        self.back_off_rto(current);
        self.count_path_timeout(current);
        if self.state == State::Closed {
            return;
        }
        match self.state {
            State::ShutdownSent => self.send_shutdown(now),
            State::ShutdownAckSent => self.send_shutdown_ack(now),
            _ => {}
        }
    }

    pub(super) fn on_t5_timeout(&mut self) {
        if self.state.is_shutting_down() {
            self.send_abort_and_close(&[], LossReason::ShutdownGuardExpired);
        }
    }

    // ---- abort and errors -------------------------------------------------------------------

    /// Aborts the association, telling the peer why (a User-Initiated Abort cause).
    pub fn abort(&mut self, reason: &[u8]) {
        if self.state == State::Closed {
            return;
        }
        let cause = Cause::UserInitiatedAbort(UserInitiatedAbort {
            upper_layer_reason: reason,
        });
        self.send_abort_and_close(&[cause], LossReason::LocalAbort);
    }

    /// Queues an ABORT with `causes` and closes. In COOKIE-WAIT the peer's tag is unknown, so
    /// the ABORT carries our own tag with the T bit (§8.5.1... §5.1).
    pub(super) fn send_abort_and_close(&mut self, causes: &[Cause<'_>], reason: LossReason) {
        let mut causes_bytes = vec![0u8; crate::wire::cause::buffer_len_all(causes)];
        let n = crate::wire::cause::emit_all(causes, &mut causes_bytes).unwrap_or(0);
        causes_bytes.truncate(n);
        let reflected = self.peer_tag == 0;
        if self.state != State::Closed {
            self.counters.aborted += 1;
        }
        let chunk = handshake::chunk_bytes(&Chunk::Abort(AbortChunk {
            tag_reflected: reflected,
            causes: &causes_bytes,
        }));
        self.close_with(Some(reason));
        // The last thing this association sends.
        let queued = QueuedChunk::new(chunk);
        self.control.push_back(if reflected {
            queued.alone_with_tag(self.local_tag)
        } else {
            queued
        });
    }

    pub(super) fn handle_abort(&mut self, c: &AbortChunk<'_>) {
        // §5.1: in COOKIE-WAIT an ABORT ends the attempt.
        let starting = matches!(self.state, State::CookieWait | State::CookieEchoed);
        self.counters.aborted += 1;
        self.close_with(Some(LossReason::PeerAborted {
            causes: c.causes.to_vec(),
        }));
        if starting {
            self.events.push_back(Event::CannotStart);
        }
    }

    pub(super) fn handle_error(&mut self, now: Instant, c: &ErrorChunk<'_>) {
        for raw in ParamIter::new(c.causes).flatten() {
            if raw.param_type == crate::wire::cause::StaleCookie::TYPE
                && self.state == State::CookieEchoed
            {
                // §5.2.6: a stale cookie in COOKIE-ECHOED: start over with a new INIT that asks
                // for a longer cookie life.
                let staleness_us = raw
                    .value()
                    .get(..4)
                    .map_or(0, |b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
                self.restart_handshake_after_stale_cookie(now, staleness_us);
                return;
            }
            self.events.push_back(Event::RemoteError {
                cause_code: raw.param_type,
                info: raw.value().to_vec(),
            });
        }
    }

    fn restart_handshake_after_stale_cookie(&mut self, now: Instant, staleness_us: u32) {
        // A new INIT phase with its own retransmission budget; a peer that keeps finding our
        // cookies stale gets a few attempts only.
        const MAX_STALE_RESTARTS: u32 = 3;
        self.control_retransmits = 0;
        self.stale_restarts += 1;
        if self.stale_restarts > MAX_STALE_RESTARTS {
            self.close_with(Some(LossReason::HandshakeFailed));
            self.events.push_back(Event::CannotStart);
            return;
        }
        // Twice the staleness, in milliseconds, as the Cookie Preservative suggests.
        let increment_ms = staleness_us.div_ceil(1000).saturating_mul(2).max(1);
        let mut params = self.offer.params();
        params.push(Param::CookiePreservative(
            crate::wire::param::CookiePreservative {
                life_span_increment_ms: increment_ms,
            },
        ));
        let init =
            handshake::init_chunk(self.local_init_fields(), &handshake::params_bytes(&params));
        self.handshake_chunk = Some(init.clone());
        self.control
            .push_back(QueuedChunk::new(init).alone_with_tag(0));
        self.state = State::CookieWait;
        self.peer_tag = 0;
        self.timers.stop(Timer::T1Cookie);
        self.timers.set(Timer::T1Init, now + self.control_rto);
    }

    pub(super) fn queue_error(&mut self, causes: &[Cause<'_>]) {
        let mut bytes = vec![0u8; crate::wire::cause::buffer_len_all(causes)];
        let n = crate::wire::cause::emit_all(causes, &mut bytes).unwrap_or(0);
        bytes.truncate(n);
        let chunk = handshake::chunk_bytes(&Chunk::Error(ErrorChunk { causes: &bytes }));
        self.control.push_back(QueuedChunk::new(chunk));
    }

    /// The two high bits of an unknown chunk type say what to do (§3.2); false stops the
    /// processing of the packet.
    pub(super) fn handle_unknown_chunk(&mut self, raw: &RawChunk<'_>) -> bool {
        let action = UnrecognizedAction::of_chunk_type(raw.chunk_type);
        if action.reports() {
            let cause = Cause::UnrecognizedChunkType(UnrecognizedChunkType { chunk: raw.bytes });
            self.queue_error(&[cause]);
        }
        action.continues()
    }

    // ---- autoclose ------------------------------------------------------------------------------

    pub(super) fn arm_autoclose(&mut self, now: Instant) {
        if let Some(idle) = self.config.autoclose {
            self.timers
                .set(Timer::Autoclose, self.last_activity.max(now) + idle);
        }
    }

    pub(super) fn on_autoclose(&mut self, now: Instant) {
        let Some(idle) = self.config.autoclose else {
            return;
        };
        if now - self.last_activity >= idle && self.state == State::Established {
            self.shutdown(now);
        } else {
            self.arm_autoclose(now);
        }
    }

    /// Unrecognised INIT parameters reported back in an INIT-ACK (§3.3.3).
    pub fn unrecognized_params_for_init_ack(unrecognized: &[Vec<u8>]) -> Vec<u8> {
        let params: Vec<Param<'_>> = unrecognized
            .iter()
            .map(|p| Param::UnrecognizedParameter(UnrecognizedParameter { unrecognized: p }))
            .collect();
        handshake::params_bytes(&params)
    }

    /// The RTO of a path, for T2 and heartbeats.
    pub(super) fn path_rto(&self, path: usize) -> Duration {
        self.data_path_rto(path)
    }
}
