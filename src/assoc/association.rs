//! The association: its public interface and the dispatch of received chunks.
//!
//! Use it in four kinds of calls, as quinn-proto's connections are used:
//! - input: [`Association::handle_packet`], [`Association::handle_timeout`];
//! - commands: [`Association::send`], [`Association::shutdown`], [`Association::abort`];
//! - output, polled after every input or command until empty: [`Association::poll_transmit`],
//!   [`Association::poll_event`], [`Association::recv`];
//! - when to call again: [`Association::poll_timeout`].
//!
//! The handshake, heartbeats, shutdown and abort live in `control.rs`; the data path in
//! `data.rs`.

use std::collections::VecDeque;

use super::capabilities::{Capabilities, Offer};
use super::config::Config;
use super::event::{Event, LossReason};
use super::handshake::{self, InitFields};
use super::output::{PacketBuffer, QueuedChunk, Transmit};
use super::path::Paths;
use super::state::State;
use super::stats::Counters;
use super::timer::{Timer, Timers};
use crate::types::{Ecn, Instant, NetAddr, RandomSource};
use crate::wire::chunk::Chunk;
use crate::wire::packet::Packet;

/// The most peer addresses an association keeps (the source address and what INIT lists).
const MAX_PATHS: usize = 8;

/// One SCTP association.
pub struct Association {
    pub(super) config: Config,
    pub(super) offer: Offer,
    pub(super) state: State,
    pub(super) local_port: u16,
    pub(super) peer_port: u16,
    pub(super) local_tag: u32,
    pub(super) peer_tag: u32,
    pub(super) local_initial_tsn: u32,
    pub(super) agreed: Capabilities,
    /// Negotiated (outbound, inbound) stream counts.
    pub(super) streams: (u16, u16),
    pub(super) paths: Paths,
    pub(super) timers: Timers,
    /// Consecutive retransmissions of INIT, COOKIE-ECHO, SHUTDOWN or SHUTDOWN-ACK.
    pub(super) control_retransmits: u32,
    /// Handshakes restarted because the peer found our cookie stale.
    pub(super) stale_restarts: u32,
    /// Association error counter (RFC 9260 §8.1).
    pub(super) error_count: u32,
    /// The INIT or COOKIE-ECHO chunk that T1 retransmits.
    pub(super) handshake_chunk: Option<Vec<u8>>,
    /// The RTO used by T1 and T2 (backs off on each retransmission).
    pub(super) control_rto: std::time::Duration,
    pub(super) control: VecDeque<QueuedChunk>,
    pub(super) events: VecDeque<Event>,
    pub(super) heartbeat_key: u64,
    pub(super) heartbeat_counter: u64,
    pub(super) last_activity: Instant,
    pub(super) random_state: u64,
    /// After a T3-rtx timeout, data goes to this other path until something is acknowledged
    /// (RFC 9260 §6.4.1).
    pub(super) retransmit_path: Option<usize>,
    /// When the COOKIE-ECHO went out, unless it was retransmitted (Karn's rule): the
    /// COOKIE-ACK then gives the path's first RTT measurement.
    pub(super) cookie_sent_at: Option<Instant>,
    /// User messages not yet acknowledged.
    pub(super) send_queue: crate::tx::SendQueue,
    /// The data path, once the peer's INIT or INIT-ACK is known.
    pub(super) flight: Option<Box<super::data::Flight>>,
    /// What happened so far, for `usrsctp_get_stat`.
    pub(super) counters: Counters,
    /// Stream reconfiguration, once RE-CONFIG is agreed (`reconfig.rs`).
    pub(super) reconfig: Option<Box<super::reconfig::Reconfig>>,
    /// Messages abandoned by PR-SCTP (SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS).
    pub(super) pr_counters: super::prsctp::AbandonedCounters,
    /// ECN-Echo and CWR state (`ecn.rs`).
    pub(super) ecn: super::ecn::EcnState,
    /// AUTH (RFC 4895), once both ends agreed on it.
    pub(super) auth: Option<Box<super::auth::AuthState>>,
    /// ASCONF (RFC 5061), once both ends agreed on it.
    pub(super) asconf: Option<Box<super::asconf::AsconfState>>,
}

impl core::fmt::Debug for Association {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Association")
            .field("state", &self.state)
            .field("local_tag", &format_args!("{:#010x}", self.local_tag))
            .field("peer_tag", &format_args!("{:#010x}", self.peer_tag))
            .field("streams", &self.streams)
            .finish_non_exhaustive()
    }
}

/// What the peer told us in its INIT or INIT-ACK, as the association needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInit {
    pub tag: u32,
    pub a_rwnd: u32,
    pub outbound_streams: u16,
    pub inbound_streams: u16,
    pub initial_tsn: u32,
}

impl Association {
    fn blank(
        config: Config,
        local_port: u16,
        peer_port: u16,
        remote: NetAddr,
        now: Instant,
        random: &mut dyn RandomSource,
    ) -> Self {
        let offer = Offer::new(config.capabilities, config.adaptation)
            .with_addresses(config.local_addresses.clone());
        // Our RANDOM: the one an INIT-ACK already carried, else a fresh one when AUTH is offered.
        let offer = match config.auth.random {
            Some(r) => offer.with_auth(super::auth::AuthOffer::new(&config, r)),
            None if config.capabilities.auth => {
                let mut r = [0u8; super::auth::RANDOM_LEN];
                random.fill(&mut r);
                offer.with_auth(super::auth::AuthOffer::new(&config, r))
            }
            None => offer,
        };
        let mut key = [0u8; 8];
        random.fill(&mut key);
        let control_rto = config.rto_initial;
        Association {
            offer,
            state: State::Closed,
            local_port,
            peer_port,
            local_tag: random.nonzero_u32(),
            peer_tag: 0,
            local_initial_tsn: random.next_u32(),
            agreed: Capabilities::default(),
            streams: (0, 0),
            paths: Paths::new(remote, MAX_PATHS),
            timers: Timers::default(),
            control_retransmits: 0,
            stale_restarts: 0,
            error_count: 0,
            handshake_chunk: None,
            control_rto,
            control: VecDeque::new(),
            events: VecDeque::new(),
            heartbeat_key: u64::from_ne_bytes(key),
            heartbeat_counter: 0,
            last_activity: now,
            random_state: u64::from(random.next_u32()) << 32 | u64::from(random.next_u32()),
            retransmit_path: None,
            cookie_sent_at: None,
            send_queue: Self::new_send_queue(&config),
            flight: None,
            counters: Counters::ZERO,
            reconfig: None,
            pr_counters: Default::default(),
            ecn: Default::default(),
            auth: None,
            asconf: None,
            config,
        }
    }

    /// Starts an association to `remote`: sends INIT and waits in COOKIE-WAIT (RFC 9260 §5.1 A).
    pub fn connect(
        config: Config,
        local_port: u16,
        peer_port: u16,
        remote: NetAddr,
        now: Instant,
        random: &mut dyn RandomSource,
    ) -> Self {
        let mut assoc = Self::blank(config, local_port, peer_port, remote, now, random);
        let params = handshake::params_bytes(&assoc.offer.params());
        let init = handshake::init_chunk(assoc.local_init_fields(), &params);
        assoc.handshake_chunk = Some(init.clone());
        assoc
            .control
            .push_back(QueuedChunk::new(init).alone_with_tag(0));
        assoc.state = State::CookieWait;
        assoc.timers.set(Timer::T1Init, now + assoc.control_rto);
        assoc
    }

    /// Creates the association a valid COOKIE-ECHO asks for, in ESTABLISHED (RFC 9260 §5.1 D).
    /// The endpoint has verified the cookie; `peer` comes from the INIT it carries.
    #[allow(clippy::too_many_arguments)]
    pub fn accept(
        config: Config,
        local_port: u16,
        peer_port: u16,
        remote: NetAddr,
        local_tag: u32,
        local_initial_tsn: u32,
        peer: &PeerInit,
        peer_params: &[u8],
        now: Instant,
        random: &mut dyn RandomSource,
    ) -> Self {
        let mut assoc = Self::blank(config, local_port, peer_port, remote, now, random);
        assoc.local_tag = local_tag;
        assoc.local_initial_tsn = local_initial_tsn;
        assoc.take_peer_init(peer, peer_params);
        // Counted as passive (or restarted) by the endpoint, which knows which it is.
        assoc
            .control
            .push_back(QueuedChunk::new(handshake::chunk_bytes(&Chunk::CookieAck(
                crate::wire::chunk::CookieAckChunk,
            ))));
        assoc.enter_established(now);
        assoc
    }

    /// The fixed fields of our INIT or INIT-ACK.
    pub fn local_init_fields(&self) -> InitFields {
        InitFields {
            tag: self.local_tag,
            a_rwnd: self.config.receive_buffer,
            outbound_streams: self.config.outbound_streams,
            inbound_streams: self.config.max_inbound_streams,
            initial_tsn: self.local_initial_tsn,
        }
    }

    /// Takes what the peer's INIT or INIT-ACK says: its tag, streams, extensions, addresses.
    pub(super) fn take_peer_init(&mut self, peer: &PeerInit, params: &[u8]) {
        self.peer_tag = peer.tag;
        self.streams = handshake::negotiated_streams(
            self.config.outbound_streams,
            self.config.max_inbound_streams,
            peer.outbound_streams,
            peer.inbound_streams,
        );
        let negotiated = self.offer.negotiate(params);
        self.agreed = negotiated.agreed;
        self.negotiate_auth(&negotiated.auth, negotiated.agreed.auth);
        self.agreed.asconf &= self.agreed.auth;
        self.negotiate_asconf(peer.initial_tsn);
        if self
            .paths
            .get(0)
            .is_some_and(|p| matches!(p.addr, NetAddr::Ip(_)))
        {
            if let Some(NetAddr::Ip(first)) = self.paths.get(0).map(|p| p.addr) {
                for ip in negotiated.addresses {
                    self.paths
                        .add(NetAddr::Ip(std::net::SocketAddr::new(ip, first.port())));
                }
            }
        }
        if let Some(code) = negotiated.adaptation {
            self.events.push_back(Event::Adaptation(code));
        }
        self.data_on_handshake(peer);
        self.reconfig = self.agreed.reconfig.then(|| {
            Box::new(super::reconfig::Reconfig::new(
                self.local_initial_tsn,
                peer.initial_tsn,
            ))
        });
    }

    pub(super) fn enter_established(&mut self, now: Instant) {
        self.state = State::Established;
        self.timers.stop(Timer::T1Init);
        self.timers.stop(Timer::T1Cookie);
        self.handshake_chunk = None;
        self.control_retransmits = 0;
        self.error_count = 0;
        self.events.push_back(Event::Connected {
            outbound_streams: self.streams.0,
            inbound_streams: self.streams.1,
        });
        self.schedule_heartbeats(now);
        self.arm_autoclose(now);
        self.pmtud_restart(now);
    }

    // ---- getters ------------------------------------------------------------------------------

    pub fn state(&self) -> State {
        self.state
    }

    pub fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    pub fn local_tag(&self) -> u32 {
        self.local_tag
    }

    pub fn peer_tag(&self) -> u32 {
        self.peer_tag
    }

    pub fn local_port(&self) -> u16 {
        self.local_port
    }

    pub fn peer_port(&self) -> u16 {
        self.peer_port
    }

    /// Negotiated (outbound, inbound) stream counts; (0, 0) before the handshake ends.
    pub fn streams(&self) -> (u16, u16) {
        self.streams
    }

    /// The extensions both ends agreed on.
    pub fn capabilities(&self) -> Capabilities {
        self.agreed
    }

    /// The peer's addresses.
    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// Makes `addr` the primary path (SCTP_PRIMARY_ADDR); false when it is not a peer address.
    pub fn set_primary(&mut self, addr: NetAddr) -> bool {
        let Some(index) = self.paths.find(addr) else {
            return false;
        };
        if self.paths.primary() != index {
            self.paths.set_primary(index);
            self.events.push_back(Event::PathChanged {
                addr,
                state: super::event::PathState::MadePrimary,
            });
        }
        true
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// True when we offered the zero checksum (RFC 9653): packets for this association with a
    /// zero checksum are then accepted.
    pub fn accepts_zero_checksum(&self) -> bool {
        self.offer.capabilities().zero_checksum
    }

    /// The statistics of this association (its share of `struct sctpstat`).
    pub fn counters(&self) -> &Counters {
        &self.counters
    }

    // ---- input --------------------------------------------------------------------------------

    /// Processes a packet the endpoint routed here; `from` is its source address. The endpoint
    /// has checked the checksum and handled INIT, COOKIE-ECHO and out-of-the-blue packets.
    pub fn handle_packet(&mut self, now: Instant, from: NetAddr, packet: &Packet<'_>) {
        self.handle_packet_ecn(now, from, packet, Ecn::NotEct);
    }

    /// [`Association::handle_packet`] for a packet that arrived with the ECN codepoint `ecn`.
    pub fn handle_packet_ecn(
        &mut self,
        now: Instant,
        from: NetAddr,
        packet: &Packet<'_>,
        ecn: Ecn,
    ) {
        if self.state == State::Closed {
            return;
        }
        let path = self.paths.find(from);
        if !self.tag_is_acceptable(packet) {
            self.counters.badvtag += 1;
            return;
        }
        self.last_activity = now;
        self.ecn_on_packet(ecn, packet);
        let mut with_data = false;
        let mut authenticated = false;
        for chunk in packet.chunks() {
            let Ok(chunk) = chunk else {
                // A malformed chunk ends the processing of the packet (RFC 9260 §3.2 asks
                // receivers to be robust; what came before it still counts).
                break;
            };
            match self.auth_filter(&mut authenticated, packet.body, &chunk) {
                super::auth::Verdict::Process => {}
                super::auth::Verdict::Skip => continue,
                super::auth::Verdict::Stop => break,
            }
            self.count_received(&chunk, &mut with_data);
            if !self.handle_chunk(now, path, packet.header.verification_tag, &chunk) {
                break;
            }
            if self.state == State::Closed {
                return;
            }
        }
        // A chunk may have ended the association (ABORT sent or received): nothing more to do.
        if self.state != State::Closed {
            self.reconfig_progress(now);
            self.after_packet(now);
        }
    }

    /// Counts a received chunk. INIT and COOKIE-ECHO were counted by the endpoint.
    fn count_received(&mut self, chunk: &Chunk<'_>, with_data: &mut bool) {
        let unordered = match chunk {
            Chunk::Init(_) | Chunk::CookieEcho(_) => return,
            Chunk::Data(d) => Some(d.unordered),
            Chunk::IData(d) => Some(d.unordered),
            _ => None,
        };
        if unordered.is_some() && !std::mem::replace(with_data, true) {
            self.counters.recvpktwithdata += 1;
        }
        self.counters
            .count_received_chunk(chunk.chunk_type(), unordered.unwrap_or(false));
    }

    /// RFC 9260 §8.5: a packet belongs to us when it carries our tag; ABORT and
    /// SHUTDOWN-COMPLETE may carry the peer's with the T bit set (§8.5.1).
    fn tag_is_acceptable(&self, packet: &Packet<'_>) -> bool {
        let tag = packet.header.verification_tag;
        if tag == self.local_tag {
            return true;
        }
        let mut chunks = packet.chunks();
        match chunks.next() {
            Some(Ok(Chunk::Abort(a))) => {
                a.tag_reflected && tag == self.peer_tag && self.peer_tag != 0
            }
            Some(Ok(Chunk::ShutdownComplete(s))) => {
                s.tag_reflected && tag == self.peer_tag && self.peer_tag != 0
            }
            _ => false,
        }
    }

    /// Handles one chunk; false stops the processing of the rest of the packet.
    fn handle_chunk(
        &mut self,
        now: Instant,
        path: Option<usize>,
        tag: u32,
        chunk: &Chunk<'_>,
    ) -> bool {
        match chunk {
            Chunk::InitAck(c) => self.handle_init_ack(now, c),
            Chunk::CookieAck(_) => self.handle_cookie_ack(now),
            Chunk::Heartbeat(c) => self.handle_heartbeat(path, c),
            Chunk::HeartbeatAck(c) => self.handle_heartbeat_ack(now, c),
            Chunk::Abort(c) => {
                self.handle_abort(c);
                return false;
            }
            Chunk::Shutdown(c) => self.handle_shutdown(now, c.cum_tsn_ack),
            Chunk::ShutdownAck(_) => self.handle_shutdown_ack(now),
            Chunk::ShutdownComplete(_) => self.handle_shutdown_complete(),
            Chunk::Error(c) => self.handle_error(now, c),
            Chunk::Reconfig(c) => self.handle_reconfig(now, c),
            Chunk::Data(_) | Chunk::IData(_) if self.reconfig_defer(chunk) => {}
            Chunk::Ecne(c) => self.handle_ecne(c),
            Chunk::Cwr(c) => self.handle_cwr(c),
            Chunk::Data(_)
            | Chunk::IData(_)
            | Chunk::Sack(_)
            | Chunk::NrSack(_)
            | Chunk::ForwardTsn(_)
            | Chunk::IForwardTsn(_) => return self.handle_data_chunk(now, path, chunk),
            Chunk::Init(_) | Chunk::CookieEcho(_) => {
                // The endpoint handles these (collisions, restarts) before routing here.
            }
            Chunk::Asconf(c) => self.handle_asconf(now, path, c),
            Chunk::AsconfAck(c) => self.handle_asconf_ack(now, c),
            Chunk::Unknown(raw) => return self.handle_unknown_chunk(raw),
            // Extensions of later issues: ignored until supported, which a peer that did not
            // negotiate them should not send anyway.
            _ => {}
        }
        let _ = tag;
        true
    }

    /// Fires the timers due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(timer) = self.timers.pop_expired(now) {
            self.count_timeout(timer);
            match timer {
                Timer::T1Init | Timer::T1Cookie => self.on_t1_timeout(now, timer),
                Timer::T2Shutdown => self.on_t2_timeout(now),
                Timer::T5ShutdownGuard => self.on_t5_timeout(),
                Timer::Heartbeat => self.on_heartbeat_timer(now),
                Timer::Autoclose => self.on_autoclose(now),
                Timer::T3Rtx | Timer::DelayedAck => self.on_data_timer(now, timer),
                Timer::Reconfig => self.on_reconfig_timer(now),
                Timer::Asconf => self.on_asconf_timer(now),
                Timer::Pmtud => self.on_pmtud_timer(now),
            }
            if self.state == State::Closed {
                self.timers.stop_all();
                return;
            }
        }
    }

    fn count_timeout(&mut self, timer: Timer) {
        let c = &mut self.counters;
        match timer {
            Timer::T1Init => c.timoinit += 1,
            Timer::T1Cookie => c.timocookie += 1,
            Timer::T2Shutdown if self.state == State::ShutdownAckSent => c.timoshutdownack += 1,
            Timer::T2Shutdown => c.timoshutdown += 1,
            Timer::T5ShutdownGuard => c.timoshutdownguard += 1,
            Timer::Heartbeat => c.timoheartbeat += 1,
            Timer::Autoclose => c.timoautoclose += 1,
            Timer::DelayedAck => c.timosack += 1,
            Timer::Reconfig => c.timostrmrst += 1,
            Timer::Asconf => c.timoasconf += 1,
            // Counted per path that expired, in `on_t3`; probe timeouts are not counted.
            Timer::T3Rtx | Timer::Pmtud => {}
        }
    }

    /// When `handle_timeout` is next needed.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// True when events wait in `poll_event`.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The next event for the user.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    // ---- output -------------------------------------------------------------------------------

    /// The next packet to send, if any. Call until `None` after every input or command.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Transmit> {
        self.reconfig_before_transmit(now);
        let transmit = self.next_transmit(now)?;
        self.counters.count_sent_packet(&transmit.bytes);
        Some(transmit)
    }

    fn next_transmit(&mut self, now: Instant) -> Option<Transmit> {
        if self.control.is_empty() && !self.data_may_have_output() && !self.ecn.wants_packet() {
            // The common case for an idle association: no packet to build.
            return None;
        }
        let current = self.paths.current();
        // Chunks that need a packet of their own (INIT with tag 0, T-bit replies).
        if let Some(front) = self.control.front() {
            if let Some(tag) = front.own_packet_tag {
                let chunk = self.control.pop_front()?;
                let index = chunk.path.unwrap_or(current);
                let dst = self.path_addr(index);
                let mut packet =
                    PacketBuffer::new(self.local_port, self.peer_port, tag, self.path_mtu(index));
                packet.push(&chunk.bytes);
                self.auth_sign(packet.bytes_mut());
                // Never a zero checksum: INIT, or a reply the peer may not tie to us (RFC 9653 §5.2).
                return Some(Transmit::new(dst, packet.finish(false)));
            }
        }
        let data_path = self.data_path();
        let path = self
            .control
            .front()
            .and_then(|c| c.path)
            .unwrap_or(data_path);
        let mut packet = PacketBuffer::new(
            self.local_port,
            self.peer_port,
            self.peer_tag,
            self.path_mtu(path).saturating_sub(self.auth_reserve()),
        );
        // An ECNE repeats in every packet until the peer's CWR, but makes a packet of its own
        // only when it is fresh.
        let ecn_due = self.ecn.wants_packet();
        self.add_ecn_chunks(&mut packet);
        let ecn_only = packet.len();
        packet.fill_from(&mut self.control, path, data_path);
        if path == data_path {
            let chunks_before = self.counters.senddata + self.counters.sendretransdata;
            self.fill_data(now, &mut packet);
            if self.config.plpmtud.enabled
                && self.counters.senddata + self.counters.sendretransdata != chunks_before
            {
                self.pmtud_on_data_sent(now, path);
            }
        }
        if packet.is_empty() || (!ecn_due && packet.len() == ecn_only) {
            return None;
        }
        let dst = self.path_addr(path);
        let ecn = self.ecn_mark(&packet);
        self.auth_sign(packet.bytes_mut());
        Some(Transmit {
            dst,
            bytes: packet.finish(self.agreed.zero_checksum),
            ecn,
        })
    }

    /// The path DATA goes to now.
    pub(super) fn data_path(&self) -> usize {
        match self.retransmit_path {
            Some(p) if self.paths.get(p).is_some_and(|x| x.active) => p,
            _ => self.paths.current(),
        }
    }

    /// The address DATA goes to now (the primary path unless it failed).
    pub fn primary_address(&self) -> NetAddr {
        self.path_addr(self.paths.current())
    }

    pub(super) fn path_addr(&self, index: usize) -> NetAddr {
        self.paths
            .get(index)
            .or_else(|| self.paths.get(0))
            .map(|p| p.addr)
            .unwrap_or(NetAddr::Conn(0))
    }

    /// A pseudo-random value in [0, 1) for timer jitter, from the seed drawn at creation.
    pub(super) fn jitter_unit(&mut self) -> f64 {
        self.random_state = self.random_state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.random_state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Ends the association with `reason`, discarding everything queued.
    pub(super) fn close_with(&mut self, reason: Option<LossReason>) {
        self.state = State::Closed;
        self.timers.stop_all();
        // Replies not yet sent die with the association.
        self.control.clear();
        if let Some(reason) = reason {
            self.events.push_back(Event::Lost(reason));
        }
        self.data_on_close();
    }
}

impl Association {
    /// This association replaces one the peer restarted (RFC 9260 §5.2.4 A): report
    /// SCTP_RESTART rather than SCTP_COMM_UP.
    pub fn mark_restarted(&mut self) {
        for event in self.events.iter_mut() {
            if let Event::Connected {
                outbound_streams,
                inbound_streams,
            } = *event
            {
                *event = Event::Restarted {
                    outbound_streams,
                    inbound_streams,
                };
            }
        }
    }

    /// RFC 9260 §5.2.4 B: our INIT crossed the peer's; the cookie holds the peer's tag.
    pub fn complete_collision(&mut self, now: Instant, peer: &PeerInit, params: &[u8]) {
        let starting = matches!(self.state, State::CookieWait | State::CookieEchoed);
        if starting {
            self.take_peer_init(peer, params);
        } else {
            self.peer_tag = peer.tag;
        }
        self.queue_cookie_ack();
        if starting {
            self.count_established_by_cookie();
            self.enter_established(now);
        }
    }

    /// RFC 9260 §5.2.4 D: a COOKIE-ECHO we already know; acknowledge it again.
    pub fn duplicate_cookie(&mut self, now: Instant) {
        self.queue_cookie_ack();
        if matches!(self.state, State::CookieWait | State::CookieEchoed) {
            self.count_established_by_cookie();
            self.enter_established(now);
        }
    }

    /// A COOKIE-ECHO establishes an association we initiated: an active open when our own
    /// COOKIE-ECHO was out, a collision when we were still waiting for the INIT-ACK.
    fn count_established_by_cookie(&mut self) {
        if self.state == State::CookieEchoed {
            self.counters.activeestab += 1;
        } else {
            self.counters.collisionestab += 1;
        }
    }

    fn queue_cookie_ack(&mut self) {
        let chunk = handshake::chunk_bytes(&Chunk::CookieAck(crate::wire::chunk::CookieAckChunk));
        self.control.push_back(QueuedChunk::new(chunk));
    }
}
