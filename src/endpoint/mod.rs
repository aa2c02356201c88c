//! The endpoint: one local SCTP port with its associations. It routes packets to associations
//! by peer address and port, answers INIT without keeping state (the state travels in a signed
//! cookie), creates associations from valid COOKIE-ECHOs, resolves collisions and restarts
//! (RFC 9260 §5.2), and applies the out-of-the-blue rules (§8.4).
//!
//! Sans-IO like the association: feed [`Endpoint::handle_datagram`] and
//! [`Endpoint::handle_timeout`], then drain [`Endpoint::poll_transmit`],
//! [`Endpoint::poll_event`] and [`Endpoint::poll_accept`].

pub mod cookie;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Duration;

use crate::assoc::handshake::{self, InitFields, InitProblem};
use crate::assoc::{Association, Config, Counters, Event, PeerInit, State, Transmit};
use crate::types::{Ecn, Instant, NetAddr, RandomSource};
use crate::wire::cause::{Cause, InvalidMandatoryParameter, StaleCookie};
use crate::wire::chunk::{
    AbortChunk, Chunk, CookieEchoChunk, ErrorChunk, InitChunk, ShutdownCompleteChunk,
    CHUNK_HEADER_LEN,
};
use crate::wire::header::CommonHeader;
use crate::wire::packet::Packet;
use crate::wire::param::{Param, StateCookie};
use crate::wire::tlv::RawChunk;
use cookie::{CookieContents, CookieError, CookieSigner};

/// Identifies an association of an endpoint (`sctp_assoc_t` in the C API; never 0).
pub type AssocId = u32;

/// The first association id: 0, 1 and 2 are SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC and
/// SCTP_ALL_ASSOC of the socket API.
const FIRST_ASSOC_ID: AssocId = 3;

/// Limits and defaults of an endpoint.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// The settings every new association starts with.
    pub association: Config,
    /// How often the cookie secret changes (sctp_secret_lifetime_default).
    pub secret_lifetime: Duration,
    /// The most associations at once, established or being set up.
    pub max_associations: usize,
    /// The most associations this endpoint initiates that have not completed their handshake.
    pub max_pending_connects: usize,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            association: Config::default(),
            secret_lifetime: Duration::from_secs(3600),
            max_associations: 65535,
            max_pending_connects: 1024,
        }
    }
}

/// Why `connect` refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectError {
    /// An association with that peer address and port exists.
    AlreadyConnected,
    /// `max_associations` or `max_pending_connects` reached.
    TooManyAssociations,
}

/// One SCTP endpoint.
pub struct Endpoint {
    config: EndpointConfig,
    local_port: u16,
    signer: CookieSigner,
    random: Box<dyn RandomSource + Send>,
    listening: bool,
    /// Boxed, so that a map node does not reserve room for several associations inline.
    associations: BTreeMap<AssocId, Box<Association>>,
    /// Which association a peer address and port belong to (a cache of `find`).
    by_peer: HashMap<(NetAddr, u16), AssocId>,
    next_id: AssocId,
    /// Replies that belong to no association (INIT-ACK, out-of-the-blue answers).
    out: VecDeque<Transmit>,
    accepted: VecDeque<AssocId>,
    /// What the endpoint itself counted, plus the counters of associations it removed.
    counters: Counters,
    /// Associations touched since they were last drained (input, timers, user commands): only
    /// these can have packets or events to give, or a deadline that moved. See [`Drained`].
    dirty: BTreeMap<AssocId, Drained>,
    /// The timer deadlines of the associations that are not dirty, by time.
    deadlines: BTreeSet<(Instant, AssocId)>,
    deadline_of: HashMap<AssocId, Instant>,
}

/// How far a dirty association has been drained: `poll_transmit` and `poll_event` found nothing
/// more. Both true: [`Endpoint::settle`] may file it away until it is touched again.
#[derive(Debug, Clone, Copy, Default)]
struct Drained {
    transmits: bool,
    events: bool,
}

impl core::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Endpoint")
            .field("local_port", &self.local_port)
            .field("listening", &self.listening)
            .field("associations", &self.associations.len())
            .finish_non_exhaustive()
    }
}

impl Endpoint {
    pub fn new(
        config: EndpointConfig,
        local_port: u16,
        now: Instant,
        mut random: Box<dyn RandomSource + Send>,
    ) -> Self {
        let signer = CookieSigner::new(now, config.secret_lifetime, random.as_mut());
        Endpoint {
            config,
            local_port,
            signer,
            random,
            listening: false,
            associations: BTreeMap::new(),
            by_peer: HashMap::new(),
            next_id: FIRST_ASSOC_ID,
            out: VecDeque::new(),
            accepted: VecDeque::new(),
            counters: Counters::ZERO,
            dirty: BTreeMap::new(),
            deadlines: BTreeSet::new(),
            deadline_of: HashMap::new(),
        }
    }

    /// Notes that association `id` may have changed. Its deadline leaves the index (polls read
    /// a touched association's own deadline) until it is settled again.
    fn touch(&mut self, id: AssocId) {
        if self.dirty.insert(id, Drained::default()).is_none() {
            if let Some(old) = self.deadline_of.remove(&id) {
                self.deadlines.remove(&(old, id));
            }
        }
    }

    /// Associations touched since they were last drained and settled: the only ones that may
    /// have news (events, received messages, packets, a closed state).
    pub fn touched(&self) -> impl Iterator<Item = AssocId> + '_ {
        self.dirty.keys().copied()
    }

    /// Files away the associations whose packets and events were all taken: their deadlines go
    /// into the timer index and later polls skip them until they are touched again. Call after
    /// draining `poll_transmit` and `poll_event`; calling it at other times is harmless.
    pub fn settle(&mut self) {
        let done: Vec<AssocId> = self
            .dirty
            .iter()
            .filter(|(id, d)| {
                d.transmits
                    && d.events
                    && !self.associations.get(id).is_some_and(|a| a.has_events())
            })
            .map(|(id, _)| *id)
            .collect();
        for id in done {
            self.dirty.remove(&id);
            self.file_deadline(id);
        }
    }

    /// Puts the deadline of association `id` into the index (or takes it out).
    fn file_deadline(&mut self, id: AssocId) {
        if let Some(old) = self.deadline_of.remove(&id) {
            self.deadlines.remove(&(old, id));
        }
        if let Some(t) = self.associations.get(&id).and_then(|a| a.poll_timeout()) {
            self.deadlines.insert((t, id));
            self.deadline_of.insert(id, t);
        }
    }

    pub fn local_port(&self) -> u16 {
        self.local_port
    }

    pub fn config(&self) -> &EndpointConfig {
        &self.config
    }

    /// The settings of associations created from now on.
    pub fn config_mut(&mut self) -> &mut EndpointConfig {
        &mut self.config
    }

    /// Accepts (or stops accepting) associations initiated by peers.
    pub fn listen(&mut self, on: bool) {
        self.listening = on;
    }

    pub fn is_listening(&self) -> bool {
        self.listening
    }

    /// Starts an association to `peer_port` at `remote`.
    pub fn connect(
        &mut self,
        now: Instant,
        remote: NetAddr,
        peer_port: u16,
    ) -> Result<AssocId, ConnectError> {
        if self.find(remote, peer_port).is_some() {
            return Err(ConnectError::AlreadyConnected);
        }
        let pending = self
            .associations
            .values()
            .filter(|a| matches!(a.state(), State::CookieWait | State::CookieEchoed))
            .count();
        if self.associations.len() >= self.config.max_associations
            || pending >= self.config.max_pending_connects
        {
            return Err(ConnectError::TooManyAssociations);
        }
        let assoc = Association::connect(
            self.config.association.clone(),
            self.local_port,
            peer_port,
            remote,
            now,
            self.random.as_mut(),
        );
        Ok(self.insert(assoc))
    }

    fn insert(&mut self, assoc: Association) -> AssocId {
        let id = self.next_id;
        self.next_id = self.next_id.checked_add(1).unwrap_or(FIRST_ASSOC_ID);
        self.associations.insert(id, Box::new(assoc));
        self.touch(id);
        id
    }

    pub fn association(&self, id: AssocId) -> Option<&Association> {
        self.associations.get(&id).map(|a| &**a)
    }

    /// The association, to command: it counts as touched.
    pub fn association_mut(&mut self, id: AssocId) -> Option<&mut Association> {
        if self.associations.contains_key(&id) {
            self.touch(id);
        }
        self.associations.get_mut(&id).map(|a| &mut **a)
    }

    /// Ids of all associations, in order.
    pub fn association_ids(&self) -> impl Iterator<Item = AssocId> + '_ {
        self.associations.keys().copied()
    }

    /// Forgets an association (after the user saw it close). Its counters stay in the
    /// endpoint's.
    pub fn remove(&mut self, id: AssocId) -> Option<Association> {
        self.by_peer.retain(|_, v| *v != id);
        self.dirty.remove(&id);
        if let Some(old) = self.deadline_of.remove(&id) {
            self.deadlines.remove(&(old, id));
        }
        let assoc = self.associations.remove(&id)?;
        self.counters.add(assoc.counters());
        Some(*assoc)
    }

    /// The statistics of this endpoint: its own, those of its associations and those of the
    /// associations it removed; `currestab` is the number of associations established now.
    pub fn counters(&self) -> Counters {
        let mut total = self.counters;
        for assoc in self.associations.values() {
            total.add(assoc.counters());
            if matches!(
                assoc.state(),
                State::Established | State::ShutdownPending | State::ShutdownReceived
            ) {
                total.currestab += 1;
            }
        }
        total
    }

    /// The live association with the peer at `addr` and `peer_port`.
    fn find(&mut self, addr: NetAddr, peer_port: u16) -> Option<AssocId> {
        let matches = |a: &Association| {
            a.peer_port() == peer_port && !a.is_closed() && a.paths().find(addr).is_some()
        };
        if let Some(&id) = self.by_peer.get(&(addr, peer_port)) {
            if self.associations.get(&id).is_some_and(|a| matches(a)) {
                return Some(id);
            }
            self.by_peer.remove(&(addr, peer_port));
        }
        // Paths learnt during the handshake are not indexed yet: look once, remember.
        let id = self
            .associations
            .iter()
            .find(|(_, a)| matches(a))
            .map(|(id, _)| *id)?;
        self.by_peer.insert((addr, peer_port), id);
        Some(id)
    }

    // ---- input --------------------------------------------------------------------------------

    /// A datagram from `from` arrived for this endpoint's port.
    pub fn handle_datagram(&mut self, now: Instant, from: NetAddr, bytes: &[u8]) {
        self.handle_datagram_ecn(now, from, bytes, Ecn::NotEct);
    }

    /// [`Endpoint::handle_datagram`] for a datagram that arrived with the ECN codepoint `ecn`
    /// in its IP header (RFC 9260 Appendix A).
    pub fn handle_datagram_ecn(&mut self, now: Instant, from: NetAddr, bytes: &[u8], ecn: Ecn) {
        let c = &mut self.counters;
        c.inpackets += 1;
        c.recvpackets += 1;
        // Room for a common header and a chunk header; anything shorter holds no chunk.
        let Some(packet) = Packet::parse(bytes)
            .ok()
            .filter(|p| p.body.len() >= CHUNK_HEADER_LEN)
        else {
            c.hdrops += 1;
            return;
        };
        c.recvdatagrams += 1;
        c.recvswcrc += 1;
        // A CRC32c, or a zero checksum where RFC 9653 lets one stand in for it.
        let checked = crate::wire::crc::verify(bytes)
            || (packet.header.checksum == 0 && self.accepts_zero_checksum(from, &packet));
        if !checked {
            let c = &mut self.counters;
            c.badsum += 1;
            c.checksumerrors += 1;
            return;
        }
        let c = &mut self.counters;
        if packet.header.dst_port != self.local_port {
            // Port 0 is invalid (RFC 9260 §3.1): a header error rather than a closed port.
            if packet.header.dst_port == 0 {
                c.hdrops += 1;
            } else {
                c.noport += 1;
            }
            return;
        }
        let mut raw_chunks = packet.raw_chunks();
        let Some(Ok(first)) = raw_chunks.next() else {
            c.hdrops += 1;
            return;
        };
        let existing = self.find(from, packet.header.src_port);
        let parsed = Chunk::parse(&first);
        if let Ok(chunk @ (Chunk::Init(_) | Chunk::CookieEcho(_))) = &parsed {
            // Those the endpoint handles itself; the association counts the others.
            self.counters
                .count_received_chunk(chunk.chunk_type(), false);
        }
        match parsed {
            Ok(Chunk::Init(init)) => {
                // RFC 9260 §6.10: INIT shares its packet with nothing.
                if raw_chunks.next().is_none() {
                    self.handle_init(now, from, &packet.header, &first, &init, existing);
                }
            }
            Ok(Chunk::CookieEcho(echo)) => {
                self.handle_cookie_echo(now, from, &packet, &echo, None, existing)
            }
            // RFC 4895 §6.2: an AUTH before a COOKIE-ECHO that the endpoint asked to be
            // authenticated; the key comes from the cookie.
            Ok(Chunk::Auth(auth))
                if matches!(
                    raw_chunks.clone().next().map(|r| r.map(|r| r.chunk_type)),
                    Some(Ok(CookieEchoChunk::TYPE))
                ) =>
            {
                let second = raw_chunks.next().and_then(|r| r.ok());
                if let Some(Ok(Chunk::CookieEcho(echo))) = second.as_ref().map(Chunk::parse) {
                    self.counters
                        .count_received_chunk(CookieEchoChunk::TYPE, false);
                    self.handle_cookie_echo(now, from, &packet, &echo, Some(&auth), existing);
                }
            }
            _ => match existing.and_then(|id| self.association_mut(id)) {
                Some(assoc) => assoc.handle_packet_ecn(now, from, &packet, ecn),
                None => {
                    self.counters.outoftheblue += 1;
                    self.out_of_the_blue(from, &packet);
                }
            },
        }
    }

    /// RFC 9653 §5.4: a packet whose checksum is zero is taken (without a CRC) when it belongs
    /// to an association that offered the zero checksum, or when it brings a COOKIE-ECHO and we
    /// offer it (our INIT-ACK did; we keep no state to tell). Never for INIT, which comes before
    /// anything was offered.
    fn accepts_zero_checksum(&mut self, from: NetAddr, packet: &Packet<'_>) -> bool {
        let Some(Ok(first)) = packet.raw_chunks().next() else {
            return false;
        };
        if first.chunk_type == InitChunk::TYPE {
            return false;
        }
        match self.find(from, packet.header.src_port) {
            Some(id) => self
                .associations
                .get(&id)
                .is_some_and(|a| a.accepts_zero_checksum()),
            None => {
                first.chunk_type == CookieEchoChunk::TYPE
                    && self.config.association.capabilities.zero_checksum
            }
        }
    }

    fn handle_init(
        &mut self,
        now: Instant,
        from: NetAddr,
        header: &CommonHeader,
        raw: &RawChunk<'_>,
        init: &InitChunk<'_>,
        existing: Option<AssocId>,
    ) {
        if header.verification_tag != 0 {
            self.counters.badvtag += 1;
            return; // §8.5.1 A
        }
        let peer_port = header.src_port;
        match handshake::check_init_fields(
            init.initiate_tag.0,
            init.outbound_streams,
            init.inbound_streams,
        ) {
            Ok(()) => {}
            Err(InitProblem::ZeroTag) => return,
            Err(InitProblem::ZeroStreams) => {
                let cause = Cause::InvalidMandatoryParameter(InvalidMandatoryParameter);
                self.send_abort(from, peer_port, init.initiate_tag.0, false, &[cause]);
                return;
            }
        }
        let template = &self.config.association;
        // A new INIT-ACK, or one that carries the tie-tags of the association it collides with.
        let (fields, tie_tags, config) = match existing.and_then(|id| self.associations.get(&id)) {
            Some(assoc) => {
                let mut fields = assoc.local_init_fields();
                let mut config = assoc.config().clone();
                if !matches!(assoc.state(), State::CookieWait | State::CookieEchoed) {
                    // §5.2.2: a new tag, so that an attacker cannot guess the association's.
                    fields.tag = self.random.nonzero_u32();
                    fields.initial_tsn = self.random.next_u32();
                    config.auth.random = None;
                } else {
                    // Our INIT's RANDOM too, which the association will use (RFC 4895 §6.1).
                    config.auth.random = assoc.auth_random();
                }
                (fields, (assoc.local_tag(), assoc.peer_tag()), config)
            }
            None => {
                if !self.listening || self.associations.len() >= self.config.max_associations {
                    // §8.4 rule 3: an INIT that cannot be processed gets an ABORT with its tag.
                    self.counters.outoftheblue += 1;
                    self.send_abort(from, peer_port, init.initiate_tag.0, false, &[]);
                    return;
                }
                let fields = InitFields {
                    tag: self.random.nonzero_u32(),
                    a_rwnd: template.receive_buffer,
                    outbound_streams: template.outbound_streams,
                    inbound_streams: template.max_inbound_streams,
                    initial_tsn: self.random.next_u32(),
                };
                (fields, (0, 0), template.clone())
            }
        };
        // Our AUTH RANDOM travels in the cookie, for the association to use again.
        let mut auth_random = config.auth.random.unwrap_or_default();
        if config.capabilities.auth && config.auth.random.is_none() {
            self.random.fill(&mut auth_random);
        }
        let offer = crate::assoc::capabilities::Offer::new(config.capabilities, config.adaptation)
            .with_addresses(config.local_addresses.clone())
            .with_auth(crate::assoc::auth::AuthOffer::new(&config, auth_random));
        let peer = offer.negotiate(init.params);
        let lifetime = config.valid_cookie_life + peer.cookie_preservative.unwrap_or_default();
        let contents = CookieContents {
            created: now,
            lifetime,
            local_tag: fields.tag,
            peer_tag: init.initiate_tag.0,
            local_initial_tsn: fields.initial_tsn,
            local_port: self.local_port,
            peer_port,
            local_tie_tag: tie_tags.0,
            peer_tie_tag: tie_tags.1,
            local_outbound_streams: fields.outbound_streams,
            local_inbound_streams: fields.inbound_streams,
            local_a_rwnd: fields.a_rwnd,
            local_random: offer.auth().map(|a| a.random),
            peer_init: raw.bytes.to_vec(),
        };
        let Some(cookie) = self.signer.seal(&contents) else {
            let cause = Cause::OutOfResource(crate::wire::cause::OutOfResource);
            self.send_abort(from, peer_port, init.initiate_tag.0, false, &[cause]);
            return;
        };
        let mut params = handshake::params_bytes(&offer.params());
        params.extend(handshake::params_bytes(&[Param::StateCookie(
            StateCookie { cookie: &cookie },
        )]));
        params.extend(Association::unrecognized_params_for_init_ack(
            &peer.unrecognized,
        ));
        let chunk = handshake::init_ack_chunk(fields, &params);
        self.send_chunk(from, peer_port, init.initiate_tag.0, &chunk);
    }

    fn handle_cookie_echo(
        &mut self,
        now: Instant,
        from: NetAddr,
        packet: &Packet<'_>,
        echo: &CookieEchoChunk<'_>,
        auth: Option<&crate::wire::chunk::AuthChunk<'_>>,
        existing: Option<AssocId>,
    ) {
        let peer_port = packet.header.src_port;
        let opened = self.signer.open(echo.cookie, now);
        // A stale copy of the cookie that created an existing association is still
        // acknowledged (§5.2.4 D): its COOKIE-ACK was lost, and the peer waits for it.
        let repeats_existing = |c: &CookieContents| {
            existing
                .and_then(|id| self.associations.get(&id))
                .is_some_and(|a| a.local_tag() == c.local_tag && a.peer_tag() == c.peer_tag)
        };
        let opened = match opened {
            Err(CookieError::Stale { .. }) => match self.signer.open_any_age(echo.cookie) {
                Ok(c) if repeats_existing(&c) => Ok(c),
                _ => opened,
            },
            other => other,
        };
        let contents = match opened {
            Ok(contents) => contents,
            Err(CookieError::Stale {
                staleness,
                peer_tag,
            }) => {
                // §5.1.5 / §3.3.10.3: tell the peer how late it was, in microseconds.
                let micros = u32::try_from(staleness.as_micros()).unwrap_or(u32::MAX);
                let cause = Cause::StaleCookie(StaleCookie {
                    staleness_us: micros,
                });
                let mut causes = vec![0u8; cause.buffer_len()];
                let _ = cause.emit(&mut causes);
                let chunk = handshake::chunk_bytes(&Chunk::Error(ErrorChunk { causes: &causes }));
                self.send_chunk(from, peer_port, peer_tag, &chunk);
                return;
            }
            Err(_) => return,
        };
        if contents.local_tag != packet.header.verification_tag {
            self.counters.badvtag += 1;
            return;
        }
        if contents.peer_port != peer_port || contents.local_port != self.local_port {
            return;
        }
        let Some(peer_init) = parse_init(&contents.peer_init) else {
            return;
        };

        if let Some(id) = existing {
            self.cookie_for_existing(now, from, packet, id, &contents, &peer_init);
            return;
        }
        if self.associations.len() >= self.config.max_associations {
            let cause = Cause::OutOfResource(crate::wire::cause::OutOfResource);
            self.send_abort(from, peer_port, contents.peer_tag, false, &[cause]);
            return;
        }
        let assoc = self.association_from_cookie(now, from, &contents, &peer_init);
        if !assoc.cookie_echo_authenticated(packet.body, auth) {
            // RFC 4895 §6.3: a COOKIE-ECHO we asked to be authenticated, without a valid AUTH.
            return;
        }
        let id = self.insert(assoc);
        self.counters.passiveestab += 1;
        self.accepted.push_back(id);
        // DATA bundled behind the COOKIE-ECHO (§5.1 D).
        if let Some(assoc) = self.association_mut(id) {
            assoc.handle_packet(now, from, packet);
        }
    }

    fn association_from_cookie(
        &mut self,
        now: Instant,
        from: NetAddr,
        contents: &CookieContents,
        peer: &(PeerInit, Vec<u8>),
    ) -> Association {
        let mut config = self.config.association.clone();
        config.outbound_streams = contents.local_outbound_streams;
        config.max_inbound_streams = contents.local_inbound_streams;
        // AUTH as our INIT-ACK offered it, whatever the settings say now.
        config.auth.random = contents.local_random;
        config.capabilities.auth = contents.local_random.is_some();
        Association::accept(
            config,
            self.local_port,
            contents.peer_port,
            from,
            contents.local_tag,
            contents.local_initial_tsn,
            &peer.0,
            &peer.1,
            now,
            self.random.as_mut(),
        )
    }

    /// RFC 9260 §5.2.4: a COOKIE-ECHO for a peer we already have an association with.
    fn cookie_for_existing(
        &mut self,
        now: Instant,
        from: NetAddr,
        packet: &Packet<'_>,
        id: AssocId,
        c: &CookieContents,
        peer: &(PeerInit, Vec<u8>),
    ) {
        let Some(assoc) = self.associations.get(&id) else {
            return;
        };
        let (local, remote) = (assoc.local_tag(), assoc.peer_tag());
        let local_matches = c.local_tag == local;
        let peer_matches = c.peer_tag == remote;
        if !local_matches && !peer_matches && c.local_tie_tag == local && c.peer_tie_tag == remote {
            // Action A: the peer restarted. The new association replaces the old one.
            let mut fresh = self.association_from_cookie(now, from, c, peer);
            fresh.mark_restarted();
            self.counters.restartestab += 1;
            if let Some(old) = self.associations.insert(id, Box::new(fresh)) {
                self.counters.add(old.counters());
            }
            self.touch(id);
        } else if local_matches && !peer_matches {
            // Action B: INIT collision; the association takes the peer's new tag.
            if let Some(assoc) = self.association_mut(id) {
                assoc.complete_collision(now, &peer.0, &peer.1);
            }
        } else if !local_matches && peer_matches && c.local_tie_tag == 0 && c.peer_tie_tag == 0 {
            // Action C: silently discard.
            return;
        } else if local_matches && peer_matches {
            // Action D: a duplicate cookie; acknowledge it again.
            if let Some(assoc) = self.association_mut(id) {
                assoc.duplicate_cookie(now);
            }
        } else {
            return;
        }
        if let Some(assoc) = self.association_mut(id) {
            assoc.handle_packet(now, from, packet);
        }
    }

    /// RFC 9260 §8.4: a packet for which no association exists.
    fn out_of_the_blue(&mut self, from: NetAddr, packet: &Packet<'_>) {
        if let Some((tag, chunk)) = out_of_the_blue_answer(packet) {
            self.send_chunk(from, packet.header.src_port, tag, &chunk);
        }
    }

    fn send_abort(
        &mut self,
        to: NetAddr,
        peer_port: u16,
        tag: u32,
        reflected: bool,
        causes: &[Cause<'_>],
    ) {
        let mut bytes = vec![0u8; crate::wire::cause::buffer_len_all(causes)];
        let n = crate::wire::cause::emit_all(causes, &mut bytes).unwrap_or(0);
        bytes.truncate(n);
        let chunk = handshake::chunk_bytes(&Chunk::Abort(AbortChunk {
            tag_reflected: reflected,
            causes: &bytes,
        }));
        self.send_chunk(to, peer_port, tag, &chunk);
    }

    fn send_chunk(&mut self, to: NetAddr, peer_port: u16, tag: u32, chunk: &[u8]) {
        let header = CommonHeader {
            src_port: self.local_port,
            dst_port: peer_port,
            verification_tag: tag,
            checksum: 0,
        };
        let mut bytes = vec![0u8; crate::wire::header::HEADER_LEN];
        let _ = header.emit(&mut bytes);
        bytes.extend_from_slice(chunk);
        crate::wire::crc::set_checksum(&mut bytes);
        self.counters.count_sent_packet(&bytes);
        self.out.push_back(Transmit::new(to, bytes));
    }

    /// Fires due timers of the endpoint and its associations.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.signer.maybe_rotate(now, self.random.as_mut()) {
            self.counters.timosecret += 1;
        }
        let mut due: Vec<AssocId> = self
            .deadlines
            .iter()
            .take_while(|(t, _)| *t <= now)
            .map(|(_, id)| *id)
            .collect();
        due.extend(self.dirty.keys().copied());
        due.sort_unstable();
        due.dedup();
        for id in due {
            let Some(assoc) = self.associations.get_mut(&id) else {
                continue;
            };
            if assoc.poll_timeout().is_some_and(|t| t <= now) {
                assoc.handle_timeout(now);
                self.touch(id);
            } else if !self.dirty.contains_key(&id) {
                // Filed under a deadline that has moved (cannot happen while the index holds
                // only settled associations; refiled to be safe).
                self.file_deadline(id);
            }
        }
    }

    /// When `handle_timeout` is next needed.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let filed = self.deadlines.first().map(|(t, _)| *t);
        let touched = self
            .dirty
            .keys()
            .filter_map(|id| self.associations.get(id)?.poll_timeout())
            .min();
        let assoc = match (filed, touched) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Some(assoc.map_or(self.signer.next_rotation(), |t| {
            t.min(self.signer.next_rotation())
        }))
    }

    // ---- output -------------------------------------------------------------------------------

    /// The next packet to send.
    pub fn poll_transmit(&mut self, now: Instant) -> Option<Transmit> {
        if let Some(t) = self.out.pop_front() {
            return Some(t);
        }
        let associations = &mut self.associations;
        self.dirty
            .iter_mut()
            .filter(|(_, d)| !d.transmits)
            .find_map(|(id, d)| {
                let t = associations.get_mut(id)?.poll_transmit(now);
                d.transmits = t.is_none();
                // Sending may have produced events (abandoned messages, sender dry).
                d.events &= t.is_none();
                t
            })
    }

    /// The next event of any association.
    pub fn poll_event(&mut self) -> Option<(AssocId, Event)> {
        let associations = &mut self.associations;
        self.dirty
            .iter_mut()
            .filter(|(_, d)| !d.events)
            .find_map(|(id, d)| {
                let e = associations.get_mut(id)?.poll_event();
                d.events = e.is_none();
                e.map(|e| (*id, e))
            })
    }

    /// The next association a peer set up with us.
    pub fn poll_accept(&mut self) -> Option<AssocId> {
        self.accepted.pop_front()
    }
}

/// The answer to an out-of-the-blue packet that is not an INIT or COOKIE-ECHO (RFC 9260 §8.4):
/// the verification tag and chunk to send back, or nothing. SHUTDOWN-ACK gets a SHUTDOWN
/// COMPLETE, most others an ABORT, both with the T bit (the packet's own tag reflected).
fn out_of_the_blue_answer(packet: &Packet<'_>) -> Option<(u32, Vec<u8>)> {
    let first = packet.chunks().next()?.ok()?;
    let rest_has = |t: u8| packet.chunks().flatten().any(|c| c.chunk_type() == t);
    let tag = packet.header.verification_tag;
    match first {
        Chunk::Abort(_) | Chunk::ShutdownComplete(_) | Chunk::CookieAck(_) => None,
        _ if rest_has(AbortChunk::TYPE) => None,
        Chunk::ShutdownAck(_) => Some((
            tag,
            handshake::chunk_bytes(&Chunk::ShutdownComplete(ShutdownCompleteChunk {
                tag_reflected: true,
            })),
        )),
        Chunk::Error(e)
            if crate::wire::tlv::ParamIter::new(e.causes)
                .flatten()
                .any(|c| c.param_type == 3) =>
        {
            None
        }
        Chunk::Init(init) => Some((
            // §8.4 item 3 with §5.1: the INIT's Initiate Tag, T bit clear.
            init.initiate_tag.0,
            handshake::chunk_bytes(&Chunk::Abort(AbortChunk {
                tag_reflected: false,
                causes: &[],
            })),
        )),
        _ => Some((
            tag,
            handshake::chunk_bytes(&Chunk::Abort(AbortChunk {
                tag_reflected: true,
                causes: &[],
            })),
        )),
    }
}

/// What a stack with no endpoint on a packet's destination port answers (RFC 9260 §8.4), as
/// a whole packet: a checked, well-formed packet gets the out-of-the-blue answer; anything
/// else nothing.
pub fn stray_packet_reply(bytes: &[u8]) -> Option<Vec<u8>> {
    let packet = Packet::parse(bytes).ok()?;
    if !crate::wire::crc::verify(bytes) {
        return None;
    }
    let (tag, chunk) = out_of_the_blue_answer(&packet)?;
    let header = CommonHeader {
        src_port: packet.header.dst_port,
        dst_port: packet.header.src_port,
        verification_tag: tag,
        checksum: 0,
    };
    let mut out = vec![0u8; crate::wire::header::HEADER_LEN];
    header.emit(&mut out).ok()?;
    out.extend_from_slice(&chunk);
    crate::wire::crc::set_checksum(&mut out);
    Some(out)
}

/// The fixed fields and parameters of the INIT chunk a cookie carries.
fn parse_init(bytes: &[u8]) -> Option<(PeerInit, Vec<u8>)> {
    let raw = crate::wire::tlv::ChunkIter::new(bytes).next()?.ok()?;
    let Ok(Chunk::Init(init)) = Chunk::parse(&raw) else {
        return None;
    };
    let peer = PeerInit {
        tag: init.initiate_tag.0,
        a_rwnd: init.a_rwnd,
        outbound_streams: init.outbound_streams,
        inbound_streams: init.inbound_streams,
        initial_tsn: init.initial_tsn.0,
    };
    Some((peer, init.params.to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Tsn, VerificationTag};
    use crate::wire::chunk::{ShutdownAckChunk, ShutdownChunk};
    use crate::wire::packet::{emit_packet, packet_len};

    fn packet(tag: u32, chunk: Chunk<'_>) -> Vec<u8> {
        let header = CommonHeader {
            src_port: 5000,
            dst_port: 5001,
            verification_tag: tag,
            checksum: 0,
        };
        let chunks = [chunk];
        let mut buf = vec![0u8; packet_len(&chunks)];
        let n = emit_packet(&header, &chunks, &mut buf).unwrap();
        buf.truncate(n);
        crate::wire::crc::set_checksum(&mut buf);
        buf
    }

    /// The first chunk of a reply, with the reply's tag and ports.
    fn answer(bytes: &[u8]) -> (u32, u16, u16, u8, u8) {
        let p = Packet::parse(bytes).unwrap();
        assert!(crate::wire::crc::verify(bytes));
        let first = p.raw_chunks().next().unwrap().unwrap();
        (
            p.header.verification_tag,
            p.header.src_port,
            p.header.dst_port,
            first.chunk_type,
            first.flags,
        )
    }

    #[test]
    fn stray_packets_get_the_out_of_the_blue_answers() {
        let ack = packet(7, Chunk::ShutdownAck(ShutdownAckChunk));
        // SHUTDOWN COMPLETE (14) with the T bit, back to the sender's port.
        assert_eq!(
            answer(&stray_packet_reply(&ack).unwrap()),
            (7, 5001, 5000, 14, 1)
        );
        let shutdown = packet(
            7,
            Chunk::Shutdown(ShutdownChunk {
                cum_tsn_ack: Tsn(1),
            }),
        );
        assert_eq!(
            answer(&stray_packet_reply(&shutdown).unwrap()),
            (7, 5001, 5000, 6, 1)
        );
        let init = packet(
            0,
            Chunk::Init(InitChunk {
                initiate_tag: VerificationTag(0x1234_5678),
                a_rwnd: 65536,
                outbound_streams: 1,
                inbound_streams: 1,
                initial_tsn: Tsn(1),
                params: &[],
            }),
        );
        // ABORT with the INIT's Initiate Tag and the T bit clear.
        assert_eq!(
            answer(&stray_packet_reply(&init).unwrap()),
            (0x1234_5678, 5001, 5000, 6, 0)
        );
        let abort = packet(
            7,
            Chunk::Abort(AbortChunk {
                tag_reflected: false,
                causes: &[],
            }),
        );
        assert_eq!(stray_packet_reply(&abort), None);
        let mut corrupt = shutdown.clone();
        corrupt[8] ^= 1;
        assert_eq!(stray_packet_reply(&corrupt), None);
        assert_eq!(stray_packet_reply(&[0u8; 5]), None);
    }
}
