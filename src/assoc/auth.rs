//! Authenticated chunks, AUTH (RFC 4895): the RANDOM, CHUNKS and HMAC-ALGO parameters of the
//! handshake, the association shared keys, the AUTH chunk on output and its verification on
//! input.
//!
//! What libusrsctp 0.9.5 does, recorded against Debian's library:
//! - it lists RANDOM (32 bytes), HMAC-ALGO and CHUNKS in that order after Supported Extensions,
//!   which names AUTH (0x0f); CHUNKS holds the chunk types in ascending order, ASCONF-ACK (0x80)
//!   and ASCONF (0xc1) by default, and HMAC-ALGO only SHA-1 (its build has no SHA-256);
//! - each endpoint starts with key 0, the empty "null" key, active;
//! - the AUTH chunk goes right before the first chunk the peer asked to be authenticated (so
//!   after a COOKIE-ECHO that the peer did not list, and before one that it did);
//! - SCTP_AUTHENTICATION_EVENT / SCTP_AUTH_NEW_KEY is reported when a received AUTH uses another
//!   key id than the previous one (the last id starts at 0), with the previous id as the
//!   alternate key number; SCTP_AUTH_FREE_KEY when a key is deactivated on an association.

use std::collections::BTreeMap;

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;

use super::association::Association;
use super::event::{AuthIndication, Event};
use crate::wire::cause::{Cause, UnsupportedHmacIdentifier};
use crate::wire::chunk::{AuthChunk, Chunk};
use crate::wire::element::U16List;
use crate::wire::header::HEADER_LEN;
use crate::wire::param::{ChunkList, Param, Random, RequestedHmacAlgorithm};
use crate::wire::tlv::RawParam;

/// HMAC-SHA-1 (RFC 4895 §6.1), which every endpoint supports.
pub const HMAC_SHA1: u16 = 1;
/// HMAC-SHA-256 (RFC 4895 §6.1).
pub const HMAC_SHA256: u16 = 3;
/// The length of our RANDOM (RFC 4895 §3.1 asks for 32 bytes).
pub const RANDOM_LEN: usize = 32;

/// ASCONF-ACK and ASCONF: what libusrsctp asks its peers to authenticate while ASCONF is
/// supported (RFC 5061 §4.2.7 requires them to be authenticated).
const ASCONF_CHUNKS: [u8; 2] = [0x80, 0xc1];

/// The digest length of an HMAC identifier we support.
pub fn hmac_len(id: u16) -> Option<usize> {
    match id {
        HMAC_SHA1 => Some(20),
        HMAC_SHA256 => Some(32),
        _ => None,
    }
}

/// Whether a chunk type may be listed in CHUNKS: INIT, INIT-ACK, SHUTDOWN-COMPLETE and AUTH
/// may not (RFC 4895 §3.2).
pub fn may_require(chunk_type: u8) -> bool {
    !matches!(chunk_type, 0x01 | 0x02 | 0x0e | 0x0f)
}

/// HMAC `id` of `data` under `key`; `None` for an algorithm we do not support.
pub fn compute_hmac(id: u16, key: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    match id {
        HMAC_SHA1 => {
            let mut m = <Hmac<Sha1> as KeyInit>::new_from_slice(key).ok()?;
            m.update(data);
            Some(m.finalize().into_bytes().to_vec())
        }
        HMAC_SHA256 => {
            let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).ok()?;
            m.update(data);
            Some(m.finalize().into_bytes().to_vec())
        }
        _ => None,
    }
}

/// A set of chunk types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChunkSet([u8; 32]);

impl ChunkSet {
    pub fn from_types(types: &[u8]) -> Self {
        let mut set = ChunkSet::default();
        for &t in types {
            set.insert(t);
        }
        set
    }

    pub fn insert(&mut self, t: u8) {
        self.0[usize::from(t / 8)] |= 1 << (t % 8);
    }

    pub fn contains(&self, t: u8) -> bool {
        self.0[usize::from(t / 8)] & (1 << (t % 8)) != 0
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|b| *b == 0)
    }

    /// The types in ascending order, as libusrsctp lists them.
    pub fn types(&self) -> Vec<u8> {
        (0..=255u8).filter(|t| self.contains(*t)).collect()
    }
}

/// The AUTH settings of an endpoint or association (the socket options SCTP_AUTH_CHUNK,
/// SCTP_HMAC_IDENT, SCTP_AUTH_KEY and SCTP_AUTH_ACTIVE_KEY). Whether AUTH is offered at all is
/// `Capabilities::auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSettings {
    /// The chunk types we ask the peer to authenticate (SCTP_AUTH_CHUNK); ASCONF and
    /// ASCONF-ACK come on top while ASCONF is supported (see [`requested_chunks`]).
    pub chunks: ChunkSet,
    /// The HMAC algorithms we accept, most preferred first.
    pub hmac_ids: Vec<u16>,
    /// Endpoint-pair shared keys by key id.
    pub keys: BTreeMap<u16, Vec<u8>>,
    /// The key id used on output.
    pub active_key: u16,
    /// Our RANDOM when it is already chosen: the one an INIT-ACK carried, which the association
    /// a COOKIE-ECHO creates must use again.
    pub random: Option<[u8; RANDOM_LEN]>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            chunks: ChunkSet::default(),
            hmac_ids: vec![HMAC_SHA1],
            keys: BTreeMap::from([(0, Vec::new())]),
            active_key: 0,
            random: None,
        }
    }
}

/// Our RANDOM, CHUNKS and HMAC-ALGO parameters, as offered in INIT or INIT-ACK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthOffer {
    pub random: [u8; RANDOM_LEN],
    pub chunks: Vec<u8>,
    pub hmac_ids: Vec<u16>,
}

/// The chunk types an association with `config` asks its peer to authenticate, as
/// SCTP_LOCAL_AUTH_CHUNKS lists them.
pub fn requested_chunks(config: &super::Config) -> ChunkSet {
    let mut set = config.auth.chunks;
    if config.capabilities.asconf {
        for t in ASCONF_CHUNKS {
            set.insert(t);
        }
    }
    set
}

impl AuthOffer {
    pub fn new(config: &super::Config, random: [u8; RANDOM_LEN]) -> Self {
        AuthOffer {
            random,
            chunks: requested_chunks(config).types(),
            hmac_ids: config.auth.hmac_ids.clone(),
        }
    }

    /// The parameters in libusrsctp's order: RANDOM, HMAC-ALGO, CHUNKS.
    pub fn params(&self) -> Vec<Param<'_>> {
        vec![
            Param::Random(Random {
                random: &self.random,
            }),
            Param::RequestedHmacAlgorithm(RequestedHmacAlgorithm {
                hmac_ids: U16List::Values(&self.hmac_ids),
            }),
            Param::ChunkList(ChunkList {
                chunk_types: &self.chunks,
            }),
        ]
    }

    /// Our key vector (RFC 4895 §6.1): RANDOM, CHUNKS and HMAC-ALGO with their headers and
    /// without padding, in that order.
    pub fn key_vector(&self) -> Vec<u8> {
        let mut v = Vec::new();
        push_tlv(&mut v, Random::TYPE, &self.random);
        push_tlv(&mut v, ChunkList::TYPE, &self.chunks);
        let hmacs: Vec<u8> = self.hmac_ids.iter().flat_map(|h| h.to_be_bytes()).collect();
        push_tlv(&mut v, RequestedHmacAlgorithm::TYPE, &hmacs);
        v
    }
}

fn push_tlv(out: &mut Vec<u8>, t: u16, value: &[u8]) {
    out.extend_from_slice(&t.to_be_bytes());
    out.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
    out.extend_from_slice(value);
}

/// The peer's RANDOM, CHUNKS and HMAC-ALGO parameters, whole and unpadded, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerAuthParams {
    pub random: Option<Vec<u8>>,
    pub chunks: Option<Vec<u8>>,
    pub hmac_algo: Option<Vec<u8>>,
}

impl PeerAuthParams {
    /// Keeps one of the three parameters (the first of each type counts).
    pub fn take(&mut self, raw: &RawParam<'_>) {
        let slot = match raw.param_type {
            Random::TYPE => &mut self.random,
            ChunkList::TYPE => &mut self.chunks,
            RequestedHmacAlgorithm::TYPE => &mut self.hmac_algo,
            _ => return,
        };
        if slot.is_none() {
            *slot = Some(raw.bytes.to_vec());
        }
    }

    /// RANDOM and HMAC-ALGO are present (CHUNKS is optional): the peer supports AUTH.
    pub fn is_complete(&self) -> bool {
        self.random.as_ref().is_some_and(|r| r.len() > 4)
            && self.hmac_algo.as_ref().is_some_and(|h| h.len() >= 6)
    }

    /// The peer's key vector: RANDOM, CHUNKS, HMAC-ALGO as received.
    fn key_vector(&self) -> Vec<u8> {
        [&self.random, &self.chunks, &self.hmac_algo]
            .into_iter()
            .flatten()
            .flat_map(|p| p.iter().copied())
            .collect()
    }

    fn chunk_types(&self) -> ChunkSet {
        let types = self
            .chunks
            .as_ref()
            .map_or(&[][..], |c| &c[4.min(c.len())..]);
        let mut set = ChunkSet::default();
        for &t in types.iter().filter(|t| may_require(**t)) {
            set.insert(t);
        }
        set
    }

    fn hmac_ids(&self) -> Vec<u16> {
        let value = self
            .hmac_algo
            .as_ref()
            .map_or(&[][..], |h| &h[4.min(h.len())..]);
        value
            .chunks_exact(2)
            .map(|p| u16::from_be_bytes([p[0], p[1]]))
            .collect()
    }
}

/// Compares two key vectors as libusrsctp does: as big-endian numbers (the shorter one padded
/// with leading zeros), then by length.
fn compare_vectors(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    let len = a.len().max(b.len());
    let at = |v: &[u8], i: usize| {
        let pad = len - v.len();
        if i < pad {
            0
        } else {
            v[i - pad]
        }
    };
    (0..len)
        .map(|i| at(a, i).cmp(&at(b, i)))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// The association shared key of RFC 4895 §6.1: the endpoint-pair shared key, then the smaller
/// key vector, then the larger.
pub fn association_key(shared: &[u8], local: &[u8], peer: &[u8]) -> Vec<u8> {
    let (first, second) = if compare_vectors(local, peer).is_le() {
        (local, peer)
    } else {
        (peer, local)
    };
    [shared, first, second].concat()
}

/// One shared key of an association.
#[derive(Debug, Clone, PartialEq, Eq)]
struct AssocKey {
    /// The association shared key derived from the endpoint-pair shared key.
    derived: Vec<u8>,
    /// SCTP_AUTH_DEACTIVATE_KEY: no longer used to send.
    deactivated: bool,
}

/// Why a key operation was refused (EINVAL in the socket API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// No key with that id.
    Missing,
    /// The operation does not apply to the active key.
    Active,
}

/// AUTH on an association whose peer supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthState {
    local_vector: Vec<u8>,
    peer_vector: Vec<u8>,
    /// What we require the peer to authenticate, and what it requires of us.
    local_chunks: ChunkSet,
    peer_chunks: ChunkSet,
    local_hmacs: Vec<u16>,
    /// The HMAC we send: the peer's most preferred that we support.
    send_hmac: u16,
    keys: BTreeMap<u16, AssocKey>,
    active_key: u16,
    /// The key id of the last AUTH received (for SCTP_AUTH_NEW_KEY).
    recv_key: u16,
}

/// What becomes of a received chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Process,
    /// Dropped silently; the rest of the packet is still read.
    Skip,
    /// The rest of the packet is discarded.
    Stop,
}

impl AuthState {
    /// AUTH once both INITs are known; `None` when the peer does not support it.
    pub fn new(settings: &AuthSettings, ours: &AuthOffer, peer: &PeerAuthParams) -> Option<Self> {
        if !peer.is_complete() {
            return None;
        }
        let local_vector = ours.key_vector();
        let peer_vector = peer.key_vector();
        let send_hmac = peer
            .hmac_ids()
            .into_iter()
            .find(|id| hmac_len(*id).is_some() && ours.hmac_ids.contains(id))
            .unwrap_or(HMAC_SHA1);
        let mut state = AuthState {
            local_chunks: ChunkSet::from_types(&ours.chunks),
            peer_chunks: peer.chunk_types(),
            local_hmacs: ours.hmac_ids.clone(),
            send_hmac,
            keys: BTreeMap::new(),
            active_key: settings.active_key,
            recv_key: 0,
            local_vector,
            peer_vector,
        };
        for (id, secret) in &settings.keys {
            state.add_key(*id, secret);
        }
        Some(state)
    }

    /// The chunk types the peer asked us to authenticate.
    pub fn peer_chunks(&self) -> Vec<u8> {
        self.peer_chunks.types()
    }

    /// The chunk types we asked the peer to authenticate.
    pub fn local_chunks(&self) -> Vec<u8> {
        self.local_chunks.types()
    }

    /// Whether the peer requires chunks of type `t` to be authenticated.
    pub fn peer_requires(&self, t: u8) -> bool {
        self.peer_chunks.contains(t)
    }

    pub fn active_key(&self) -> u16 {
        self.active_key
    }

    /// The HMAC identifier our AUTH chunks use.
    pub fn send_hmac(&self) -> u16 {
        self.send_hmac
    }

    /// The bytes an AUTH chunk takes.
    pub fn chunk_len(&self) -> usize {
        AuthChunk::FIXED_LEN + hmac_len(self.send_hmac).unwrap_or(20)
    }

    /// Adds or replaces the endpoint-pair shared key `id` (SCTP_AUTH_KEY).
    pub fn add_key(&mut self, id: u16, secret: &[u8]) {
        let derived = association_key(secret, &self.local_vector, &self.peer_vector);
        self.keys.insert(
            id,
            AssocKey {
                derived,
                deactivated: false,
            },
        );
    }

    /// SCTP_AUTH_ACTIVE_KEY: key `id` signs from now on.
    pub fn set_active(&mut self, id: u16) -> Result<(), KeyError> {
        let key = self.keys.get_mut(&id).ok_or(KeyError::Missing)?;
        key.deactivated = false;
        self.active_key = id;
        Ok(())
    }

    /// SCTP_AUTH_DEACTIVATE_KEY: key `id` no longer signs.
    pub fn deactivate(&mut self, id: u16) -> Result<(), KeyError> {
        if id == self.active_key {
            return Err(KeyError::Active);
        }
        self.keys.get_mut(&id).ok_or(KeyError::Missing)?.deactivated = true;
        Ok(())
    }

    /// SCTP_AUTH_DELETE_KEY: key `id` is forgotten; packets that use it are discarded.
    pub fn delete(&mut self, id: u16) -> Result<(), KeyError> {
        if id == self.active_key {
            return Err(KeyError::Active);
        }
        self.keys.remove(&id).map(|_| ()).ok_or(KeyError::Missing)
    }

    /// Puts an AUTH chunk before the first chunk of `packet` (a whole packet, common header
    /// first) that the peer requires to be authenticated, and computes its HMAC
    /// (RFC 4895 §6.2). A packet without such a chunk is left alone. True when it was signed.
    pub fn sign(&self, packet: &mut Vec<u8>) -> bool {
        let Some(at) = self.first_required(packet) else {
            return false;
        };
        let Some(key) = self.keys.get(&self.active_key) else {
            return false;
        };
        let hmac_len = hmac_len(self.send_hmac).unwrap_or(20);
        let zeros = vec![0u8; hmac_len];
        let chunk = AuthChunk {
            shared_key_id: self.active_key,
            hmac_id: self.send_hmac,
            hmac: &zeros,
        };
        let mut bytes = vec![0u8; chunk.buffer_len()];
        if chunk.emit(&mut bytes).is_err() {
            return false;
        }
        packet.splice(at..at, bytes);
        if let Some(mac) = compute_hmac(self.send_hmac, &key.derived, &packet[at..]) {
            let start = at + AuthChunk::HMAC_OFFSET;
            packet[start..start + hmac_len].copy_from_slice(&mac);
        }
        true
    }

    /// The offset of the first chunk in `packet` that needs authentication.
    fn first_required(&self, packet: &[u8]) -> Option<usize> {
        let mut at = HEADER_LEN;
        while at + 4 <= packet.len() {
            let t = packet[at];
            if self.peer_chunks.contains(t) {
                return Some(at);
            }
            let len = usize::from(u16::from_be_bytes([packet[at + 2], packet[at + 3]]));
            if len < 4 {
                return None;
            }
            at += crate::wire::padded(len);
        }
        None
    }

    /// Checks an AUTH chunk that starts at `offset` of the chunks of a packet (RFC 4895 §6.3).
    fn verify(&self, chunks: &[u8], offset: usize, auth: &AuthChunk<'_>) -> Result<(), Failure> {
        if !self.local_hmacs.contains(&auth.hmac_id) || hmac_len(auth.hmac_id).is_none() {
            return Err(Failure::UnsupportedHmac(auth.hmac_id));
        }
        if hmac_len(auth.hmac_id) != Some(auth.hmac.len()) {
            return Err(Failure::Invalid);
        }
        let key = self
            .keys
            .get(&auth.shared_key_id)
            .ok_or(Failure::UnknownKey)?;
        let mut covered = chunks.get(offset..).ok_or(Failure::Invalid)?.to_vec();
        let start = AuthChunk::HMAC_OFFSET;
        covered[start..start + auth.hmac.len()].fill(0);
        let mac = compute_hmac(auth.hmac_id, &key.derived, &covered).ok_or(Failure::Invalid)?;
        // A comparison that takes the same time wherever the first difference is.
        let diff = mac
            .iter()
            .zip(auth.hmac)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b));
        if diff == 0 {
            Ok(())
        } else {
            Err(Failure::Invalid)
        }
    }
}

/// Why an AUTH chunk was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// An HMAC we did not offer: answered with an ERROR (RFC 4895 §6.3).
    UnsupportedHmac(u16),
    /// No key with that id: silently discarded.
    UnknownKey,
    /// A wrong HMAC: silently discarded.
    Invalid,
}

/// The byte offset of `inner` within `outer`, when it is a part of it.
fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len()).then_some(start)
}

impl Association {
    /// Sets AUTH up from the peer's INIT or INIT-ACK parameters (or clears it).
    pub(super) fn negotiate_auth(&mut self, peer: &PeerAuthParams, agreed: bool) {
        self.auth = match (agreed, self.offer.auth()) {
            (true, Some(ours)) => AuthState::new(&self.config.auth, ours, peer).map(Box::new),
            _ => None,
        };
        if self.auth.is_none() {
            self.agreed.auth = false;
        }
    }

    /// The RANDOM this association offered (in its INIT or INIT-ACK), when it offers AUTH.
    pub fn auth_random(&self) -> Option<[u8; RANDOM_LEN]> {
        self.offer.auth().map(|a| a.random)
    }

    /// AUTH on this association, when both ends support it.
    pub fn auth(&self) -> Option<&AuthState> {
        self.auth.as_deref()
    }

    /// The room to keep for an AUTH chunk in the next packet: when the peer requires a chunk
    /// type that the data path may add, or one of a queued control chunk.
    pub(super) fn auth_reserve(&self) -> usize {
        // DATA, SACK, ECNE, CWR, NR-SACK, I-DATA, RE-CONFIG, FORWARD-TSN, I-FORWARD-TSN.
        const DATA_PATH: [u8; 9] = [0x00, 0x03, 0x0c, 0x0d, 0x10, 0x40, 0x82, 0xc0, 0xc2];
        let Some(a) = self.auth.as_deref() else {
            return 0;
        };
        let queued = |c: &super::output::QueuedChunk| c.bytes.first().copied();
        let needed = DATA_PATH.iter().any(|t| a.peer_requires(*t))
            || self
                .control
                .iter()
                .filter_map(queued)
                .any(|t| a.peer_requires(t));
        if needed {
            a.chunk_len()
        } else {
            0
        }
    }

    /// The room an AUTH chunk takes from DATA fragments, when the peer requires DATA or
    /// I-DATA to be authenticated.
    pub(super) fn auth_data_overhead(&self) -> usize {
        self.auth
            .as_ref()
            .filter(|a| a.peer_requires(0x00) || a.peer_requires(0x40))
            .map_or(0, |a| a.chunk_len())
    }

    /// Authenticates an outgoing packet when it holds chunks the peer asked for.
    pub(super) fn auth_sign(&mut self, packet: &mut Vec<u8>) {
        if self.auth.as_ref().is_some_and(|a| a.sign(packet)) {
            self.counters.sendauth += 1;
        }
    }

    /// Decides about a received chunk: an AUTH chunk is verified (and `authenticated` says
    /// whether one was, for the chunks after it); a chunk we require to be authenticated is
    /// dropped without a valid AUTH before it (RFC 4895 §6.3).
    pub(super) fn auth_filter(
        &mut self,
        authenticated: &mut bool,
        chunks: &[u8],
        chunk: &Chunk<'_>,
    ) -> Verdict {
        let Some(auth) = self.auth.as_deref() else {
            return Verdict::Process;
        };
        if let Chunk::Auth(a) = chunk {
            self.counters.recvauth += 1;
            if *authenticated {
                // Only the first AUTH of a packet counts.
                return Verdict::Skip;
            }
            let Some(offset) =
                offset_in(chunks, a.hmac).and_then(|o| o.checked_sub(AuthChunk::HMAC_OFFSET))
            else {
                return Verdict::Stop;
            };
            return match auth.verify(chunks, offset, a) {
                Ok(()) => {
                    *authenticated = true;
                    let previous = auth.recv_key;
                    if a.shared_key_id != previous {
                        self.events.push_back(Event::Authentication {
                            indication: AuthIndication::NewKey,
                            key_id: a.shared_key_id,
                            alt_key_id: previous,
                        });
                    }
                    if let Some(state) = self.auth.as_deref_mut() {
                        state.recv_key = a.shared_key_id;
                    }
                    Verdict::Skip
                }
                Err(Failure::UnsupportedHmac(id)) => {
                    self.counters.recvivalhmacid += 1;
                    let cause =
                        Cause::UnsupportedHmacIdentifier(UnsupportedHmacIdentifier { hmac_id: id });
                    self.queue_error(&[cause]);
                    Verdict::Stop
                }
                Err(Failure::UnknownKey) => {
                    self.counters.recvivalkeyid += 1;
                    Verdict::Stop
                }
                Err(Failure::Invalid) => {
                    self.counters.recvauthfailed += 1;
                    Verdict::Stop
                }
            };
        }
        if !*authenticated && auth.local_chunks.contains(chunk.chunk_type()) {
            self.counters.recvauthmissing += 1;
            Verdict::Skip
        } else {
            Verdict::Process
        }
    }

    /// Whether the COOKIE-ECHO of `chunks` (the chunks of the packet that brought it, AUTH
    /// first when there is one) is acceptable: when we asked for COOKIE-ECHO to be
    /// authenticated, a valid AUTH must come before it.
    pub fn cookie_echo_authenticated(&self, chunks: &[u8], auth: Option<&AuthChunk<'_>>) -> bool {
        let Some(state) = self.auth.as_deref() else {
            return true;
        };
        if !state.local_chunks.contains(0x0a) {
            return true;
        }
        let Some(a) = auth else {
            return false;
        };
        offset_in(chunks, a.hmac)
            .and_then(|o| o.checked_sub(AuthChunk::HMAC_OFFSET))
            .is_some_and(|offset| state.verify(chunks, offset, a).is_ok())
    }

    /// SCTP_AUTH_KEY on this association.
    pub fn auth_add_key(&mut self, id: u16, secret: &[u8]) {
        self.config.auth.keys.insert(id, secret.to_vec());
        if let Some(a) = self.auth.as_deref_mut() {
            a.add_key(id, secret);
        }
    }

    /// The key id used on output.
    pub fn auth_active_key(&self) -> u16 {
        self.auth
            .as_ref()
            .map_or(self.config.auth.active_key, |a| a.active_key)
    }

    /// SCTP_AUTH_ACTIVE_KEY on this association.
    pub fn auth_set_active_key(&mut self, id: u16) -> Result<(), KeyError> {
        match self.auth.as_deref_mut() {
            Some(a) => a.set_active(id)?,
            None if !self.config.auth.keys.contains_key(&id) => return Err(KeyError::Missing),
            None => {}
        }
        self.config.auth.active_key = id;
        Ok(())
    }

    /// SCTP_AUTH_DEACTIVATE_KEY on this association; reports SCTP_AUTH_FREE_KEY.
    pub fn auth_deactivate_key(&mut self, id: u16) -> Result<(), KeyError> {
        match self.auth.as_deref_mut() {
            Some(a) => a.deactivate(id)?,
            None if id == self.config.auth.active_key => return Err(KeyError::Active),
            None if !self.config.auth.keys.contains_key(&id) => return Err(KeyError::Missing),
            None => {}
        }
        self.events.push_back(Event::Authentication {
            indication: AuthIndication::FreeKey,
            key_id: id,
            alt_key_id: 0,
        });
        Ok(())
    }

    /// SCTP_AUTH_DELETE_KEY on this association.
    pub fn auth_delete_key(&mut self, id: u16) -> Result<(), KeyError> {
        match self.auth.as_deref_mut() {
            Some(a) => a.delete(id)?,
            None if id == self.config.auth.active_key => return Err(KeyError::Active),
            None if !self.config.auth.keys.contains_key(&id) => return Err(KeyError::Missing),
            None => {}
        }
        self.config.auth.keys.remove(&id);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
