//! Packetization-layer path MTU discovery (PLPMTUD, RFC 8899 with the SCTP specifics of its
//! §6.2): each path finds the largest SCTP packet that reaches the peer by sending probe packets
//! (a HEARTBEAT padded with a PAD chunk, RFC 4820) and watching for their HEARTBEAT-ACK.
//!
//! [`Plpmtud`] is the state machine of one path (RFC 8899 §5.2): BASE confirms the base size,
//! SEARCHING probes larger sizes, SEARCH_COMPLETE holds the result until the PMTU_RAISE_TIMER
//! starts another search, and ERROR is where a path lands that cannot carry even the base
//! size. Black holes (a path whose MTU fell below the size in use) are detected from data loss:
//! a T3-rtx expiry or a fast retransmit on a path using more than the base size makes it
//! confirm its size with a probe, and MAX_PROBES lost confirmations send it back to BASE.
//! (Fast retransmits count too: when only the largest packets are lost, the small ones keep
//! the SACKs coming and the losses are repaired without T3-rtx ever expiring.)
//!
//! Sizes are SCTP packet sizes (common header included, lower-layer headers excluded), always
//! multiples of 4. Probes are sent as packets of their own and are not counted in the
//! congestion window; their loss is not a congestion signal (RFC 8899 §4.1, §6.2.1.1) and not a
//! path error. The PROBE_TIMER is the path's RTO as its measurements give it (not backed off by
//! data timeouts), at least 1 s.
//!
//! Data loss alone does not find every black hole: DATA is cut for the base size (below), so
//! at sizes under twice the base most data packets hold a single chunk and stay near the base
//! size, and a path whose MTU falls between the base and the size in use may lose no data at
//! all. So while data flows, the size in use is also confirmed with a probe every
//! CONFIRMATION_TIMER (RFC 8899 §5.1.1, `confirm_interval`); an idle path sends none.
//!
//! What the association does with a path's size:
//! - packets on the path are built up to it, and the congestion control counts in it;
//! - while discovery runs, DATA and I-DATA chunks are cut no larger than a packet of the base
//!   size holds, and large packets are made by bundling them. A chunk that was sent cannot be
//!   cut again (RFC 9260 §6.9), so this is what lets data already sent in large packets be
//!   retransmitted in small ones when the path MTU drops: over AF_CONN and over UDP with
//!   discovery there is no IP fragmentation to fall back to. The cost is one chunk header per
//!   base-sized piece (about 1.4 % of the bytes).
//!
//! Discovery is off by default, as libusrsctp has none; SCTP_PEER_ADDR_PARAMS turns it on
//! (`ffi/sockopt/peer.rs`). Over UDP encapsulation the stack then sends with DF and without
//! local IP fragmentation (`stack/io.rs`), or probes would pass fragmented. Paths added after
//! the association started (ASCONF) use the base size without probing.

use std::time::Duration;

use super::association::Association;
use super::handshake;
use super::output::QueuedChunk;
use super::state::State;
use super::timer::Timer;
use crate::tx::PathId;
use crate::types::{Instant, NetAddr};
use crate::wire::chunk::{Chunk, HeartbeatChunk, PadChunk};
use crate::wire::header::HEADER_LEN;
use crate::wire::param::{HeartbeatInfo, Param};

/// BASE_PLPMTU (RFC 8899 §5.1.2 recommends 1200 bytes for IPv4 and IPv6).
pub const BASE_PLPMTU: usize = 1200;
/// MAX_PROBES (RFC 8899 §5.1.2).
pub const MAX_PROBES: u32 = 3;
/// How much larger than the last working size a failed size must be for one more probe between
/// them (the refinement of the search, below).
const REFINE_GAP: usize = 64;
/// Probes of sizes between the largest common size that worked and the smallest that failed.
const REFINE_PROBES: u32 = 3;
/// Link MTUs that are common on real paths; the search tries the packet sizes they leave for
/// SCTP first, so that the usual paths are found exactly and quickly.
const COMMON_LINK_MTUS: [usize; 8] = [1280, 1400, 1492, 1500, 4352, 9000, 16384, 65535];
/// Heartbeat information of a probe: path index, send time, keyed nonce, probe size. Its length
/// tells a probe's HEARTBEAT-ACK from that of a plain heartbeat (17 bytes, `control.rs`).
pub(super) const PROBE_INFO_LEN: usize = 1 + 8 + 8 + 4;
/// A probe: the common header, the HEARTBEAT chunk with the information, a PAD chunk header.
const PROBE_OVERHEAD: usize = HEADER_LEN + 4 + crate::wire::padded(4 + PROBE_INFO_LEN) + 4;

/// The PLPMTUD settings of an association (off by default: libusrsctp never sends packets
/// larger than its configured MTU, and programs written for it may depend on that).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlpmtudConfig {
    /// Discovery runs on every path.
    pub enabled: bool,
    /// The size a path starts at and falls back to (BASE_PLPMTU).
    pub base: usize,
    /// The largest packet to probe for (MAX_PLPMTU); 0 for the transport's largest.
    pub max: usize,
    /// Probes of one size sent before the size counts as failed (MAX_PROBES).
    pub max_probes: u32,
    /// PMTU_RAISE_TIMER: how long a completed search holds before the next one
    /// (sctp_pmtu_raise_time_default).
    pub raise_interval: Duration,
    /// The shortest PROBE_TIMER (RFC 8899 §5.1.1: at least 1 s); otherwise the path's
    /// measured RTO.
    pub min_probe_timeout: Duration,
    /// CONFIRMATION_TIMER: while data is sent on a path, how often its size is confirmed
    /// (zero: only data loss makes it confirm).
    pub confirm_interval: Duration,
}

impl Default for PlpmtudConfig {
    fn default() -> Self {
        PlpmtudConfig {
            enabled: false,
            base: BASE_PLPMTU,
            max: 0,
            max_probes: MAX_PROBES,
            raise_interval: Duration::from_secs(600),
            min_probe_timeout: Duration::from_secs(1),
            confirm_interval: Duration::from_secs(10),
        }
    }
}

/// The states of RFC 8899 §5.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlState {
    /// No discovery on this path: it uses the configured MTU.
    Disabled,
    /// Confirming that the path carries the base size.
    Base,
    /// Probing larger sizes.
    Searching,
    /// The search ended; the size holds until the raise timer.
    SearchComplete,
    /// Even the base size was not confirmed; the base size is used and probed again.
    Error,
}

/// PLPMTUD of one path.
#[derive(Debug, Clone)]
pub struct Plpmtud {
    state: PlState,
    /// The PLPMTU: the size in use.
    plpmtu: usize,
    base: usize,
    /// MAX_PLPMTU of this path.
    max: usize,
    /// Bytes the transport adds below SCTP, to turn link MTUs into packet sizes.
    overhead: usize,
    /// PROBED_SIZE and PROBE_COUNT.
    probed: usize,
    count: u32,
    max_probes: u32,
    /// The smallest size known not to pass (a bound for the search).
    ceiling: usize,
    refine_left: u32,
    /// The probe in flight times out then (PROBE_TIMER).
    probe_deadline: Option<Instant>,
    /// A probe of `probed` bytes is to be sent then.
    send_at: Option<Instant>,
    /// PMTU_RAISE_TIMER.
    raise_at: Option<Instant>,
    raise_interval: Duration,
    /// CONFIRMATION_TIMER: data sent after then makes the path confirm its size (set by the
    /// first data sent after the size was last confirmed).
    confirm_at: Option<Instant>,
    confirm_interval: Duration,
}

impl Default for Plpmtud {
    fn default() -> Self {
        Plpmtud::disabled()
    }
}

fn round4(n: usize) -> usize {
    n & !3
}

impl Plpmtud {
    /// A path without discovery.
    pub fn disabled() -> Self {
        Plpmtud {
            state: PlState::Disabled,
            plpmtu: 0,
            base: BASE_PLPMTU,
            max: 0,
            overhead: 0,
            probed: 0,
            count: 0,
            max_probes: MAX_PROBES,
            ceiling: usize::MAX,
            refine_left: 0,
            probe_deadline: None,
            send_at: None,
            raise_at: None,
            raise_interval: Duration::from_secs(600),
            confirm_at: None,
            confirm_interval: Duration::ZERO,
        }
    }

    /// Discovery on a path whose transport adds `overhead` bytes and carries packets of at most
    /// `transport_max` bytes. It starts in BASE with the base size, the first probe due at
    /// `now`. Disabled unless `config.enabled`.
    pub fn new(
        config: &PlpmtudConfig,
        overhead: usize,
        transport_max: usize,
        now: Instant,
    ) -> Self {
        if !config.enabled {
            return Plpmtud::disabled();
        }
        let base = round4(config.base.max(PROBE_OVERHEAD));
        let max = match config.max {
            0 => transport_max,
            m => m.min(transport_max),
        };
        Plpmtud {
            state: PlState::Base,
            plpmtu: base,
            base,
            max: round4(max).max(base),
            overhead,
            probed: base,
            count: 0,
            max_probes: config.max_probes.max(1),
            ceiling: usize::MAX,
            refine_left: REFINE_PROBES,
            probe_deadline: None,
            send_at: Some(now),
            raise_at: None,
            raise_interval: config.raise_interval,
            confirm_at: None,
            confirm_interval: config.confirm_interval,
        }
    }

    pub fn state(&self) -> PlState {
        self.state
    }

    /// The size packets on this path may have, unless discovery is off.
    pub fn mtu(&self) -> Option<usize> {
        (self.state != PlState::Disabled).then_some(self.plpmtu)
    }

    /// The size being probed, while a probe is due or in flight.
    pub fn probing(&self) -> Option<usize> {
        (self.probe_deadline.is_some() || self.send_at.is_some()).then_some(self.probed)
    }

    /// When [`Plpmtud::handle_timeout`] or [`Plpmtud::poll_probe`] is next needed.
    pub fn deadline(&self) -> Option<Instant> {
        // A probe due while another is in flight waits for that one's answer or timeout.
        let send_at = self.send_at.filter(|_| self.probe_deadline.is_none());
        [self.probe_deadline, send_at, self.raise_at]
            .into_iter()
            .flatten()
            .min()
    }

    /// The size of a probe to send now, if one is due; the probe times out `timeout` later.
    pub fn poll_probe(&mut self, now: Instant, timeout: Duration) -> Option<usize> {
        if self.probe_deadline.is_some() || self.send_at.is_none_or(|t| t > now) {
            return None;
        }
        self.send_at = None;
        self.count += 1;
        self.probe_deadline = Some(now + timeout);
        Some(self.probed)
    }

    /// A probe of `size` bytes was acknowledged; true when the size in use changed.
    pub fn on_probe_acked(&mut self, now: Instant, size: usize) -> bool {
        if self.state == PlState::Disabled || size != self.probed || self.probing().is_none() {
            return false;
        }
        self.probe_deadline = None;
        self.send_at = None;
        self.count = 0;
        // The path carries the size in use (or more): confirmed for a while.
        self.confirm_at = None;
        match self.state {
            PlState::Base | PlState::Error => {
                // The base size works: search upwards (§5.2 BASE -> SEARCHING).
                self.state = PlState::Searching;
                self.next_search(now);
                false
            }
            PlState::Searching if size > self.plpmtu => {
                self.plpmtu = size;
                self.next_search(now);
                true
            }
            // A confirmation of the size in use: the search goes on where it was.
            PlState::Searching => {
                self.next_search(now);
                false
            }
            PlState::SearchComplete | PlState::Disabled => false,
        }
    }

    /// Timers due at `now`; true when the size in use changed.
    pub fn handle_timeout(&mut self, now: Instant) -> bool {
        let mut changed = false;
        if self.probe_deadline.is_some_and(|t| t <= now) {
            self.probe_deadline = None;
            if self.count < self.max_probes {
                self.send_at = Some(now);
            } else {
                changed = self.on_probes_failed(now);
            }
        }
        if self.raise_at.is_some_and(|t| t <= now) {
            self.raise_at = None;
            if self.state == PlState::SearchComplete {
                // §5.2: SEARCH_COMPLETE -> SEARCHING when the raise timer expires.
                self.state = PlState::Searching;
                self.ceiling = usize::MAX;
                self.refine_left = REFINE_PROBES;
                self.next_search(now);
            }
        }
        changed
    }

    /// Data sent on this path was lost (T3-rtx, fast retransmit): maybe the path no longer
    /// carries packets of the size in use. Confirm it with a probe of that size (black-hole
    /// detection, RFC 8899 §4.3); a congested path that still carries it answers, and nothing
    /// changes.
    pub fn on_data_loss(&mut self, now: Instant) {
        self.confirm(now);
    }

    /// Data went out on this path. The first time after the size in use was confirmed, it
    /// starts the CONFIRMATION_TIMER; once that expired, data sent makes the path confirm its
    /// size with a probe. True when a probe is now due.
    pub fn on_data_sent(&mut self, now: Instant) -> bool {
        if self.confirm_interval.is_zero() || !self.may_confirm() {
            return false;
        }
        match self.confirm_at {
            None => {
                self.confirm_at = Some(now + self.confirm_interval);
                false
            }
            Some(at) if at <= now => {
                self.confirm_at = Some(now + self.confirm_interval);
                self.confirm(now)
            }
            Some(_) => false,
        }
    }

    /// Whether the size in use is one that a probe may confirm (above the base, found by a
    /// search).
    fn may_confirm(&self) -> bool {
        matches!(self.state, PlState::Searching | PlState::SearchComplete)
            && self.plpmtu > self.base
    }

    /// Probes the size in use, unless that probe is already due or in flight (it replaces a
    /// search probe). True when a probe was scheduled.
    fn confirm(&mut self, now: Instant) -> bool {
        if !self.may_confirm() || (self.probed == self.plpmtu && self.probing().is_some()) {
            return false;
        }
        self.probed = self.plpmtu;
        self.count = 0;
        self.probe_deadline = None;
        self.send_at = Some(now);
        true
    }

    /// Raises the largest size to probe for (MAX_PLPMTU); a completed search starts again.
    pub fn raise_max(&mut self, now: Instant, max: usize) {
        let max = round4(max);
        if self.state == PlState::Disabled || max <= self.max {
            return;
        }
        self.max = max;
        if self.state == PlState::SearchComplete {
            self.state = PlState::Searching;
            self.ceiling = usize::MAX;
            self.refine_left = REFINE_PROBES;
            self.raise_at = None;
            self.next_search(now);
        }
    }

    /// MAX_PROBES probes of `probed` were lost.
    fn on_probes_failed(&mut self, now: Instant) -> bool {
        self.count = 0;
        match self.state {
            PlState::Base | PlState::Error => {
                // §5.2 BASE -> ERROR: keep the base size (nothing smaller is of use to data
                // cut for it) and keep probing it.
                self.state = PlState::Error;
                self.send_at = Some(now);
                false
            }
            PlState::Searching | PlState::SearchComplete if self.probed > self.plpmtu => {
                // An ordinary failed probe: this size and larger ones do not pass.
                self.ceiling = self.probed;
                if self.probed_is_refinement() {
                    self.refine_left = self.refine_left.saturating_sub(1);
                }
                self.next_search(now);
                false
            }
            PlState::Searching | PlState::SearchComplete => {
                // The size in use no longer passes: a black hole. Back to BASE (§5.2).
                self.state = PlState::Base;
                let changed = self.plpmtu != self.base;
                self.plpmtu = self.base;
                self.probed = self.base;
                self.ceiling = usize::MAX;
                self.refine_left = REFINE_PROBES;
                self.raise_at = None;
                self.confirm_at = None;
                self.send_at = Some(now);
                changed
            }
            PlState::Disabled => false,
        }
    }

    /// The common sizes this path may try, in increasing order.
    fn candidates(&self) -> impl Iterator<Item = usize> + '_ {
        COMMON_LINK_MTUS
            .iter()
            .map(|m| round4(m.saturating_sub(self.overhead)))
            .chain(std::iter::once(self.max))
            .filter(|&s| s <= self.max)
    }

    fn probed_is_refinement(&self) -> bool {
        !self.candidates().any(|c| c == self.probed)
    }

    /// Chooses the next size to probe, or completes the search.
    fn next_search(&mut self, now: Instant) {
        let above = self.plpmtu;
        let next = self
            .candidates()
            .filter(|&c| c > above && c < self.ceiling)
            .min()
            .or_else(|| {
                // Between the largest size that passed and the smallest that failed, a few
                // probes halve the gap (a bounded binary search).
                let gap = self.ceiling.min(self.max + 4).saturating_sub(above);
                (self.ceiling != usize::MAX && self.refine_left > 0 && gap > REFINE_GAP)
                    .then(|| round4(above + gap / 2))
            });
        match next {
            Some(size) if size > above => {
                // A probe still in flight (a confirmation) is given up for this one.
                self.probed = size;
                self.count = 0;
                self.probe_deadline = None;
                self.send_at = Some(now);
            }
            _ => {
                self.state = PlState::SearchComplete;
                self.probed = self.plpmtu;
                self.send_at = None;
                self.probe_deadline = None;
                // A raise time of 0 (the sysctl) holds the result for good.
                self.raise_at = (!self.raise_interval.is_zero()).then(|| now + self.raise_interval);
            }
        }
    }
}

/// The bytes a transport adds below SCTP and the largest SCTP packet it carries: AF_CONN adds
/// nothing (what the application's lower layer adds is its business; its limit is the
/// configured maximum), UDP encapsulation adds IP and UDP headers, raw IP the IP header.
pub fn transport_limits(addr: NetAddr) -> (usize, usize) {
    match addr {
        NetAddr::Conn(_) => (0, round4(65_535)),
        NetAddr::Ip(sa) => {
            let ip = if sa.is_ipv4() { 20 } else { 40 };
            let udp = if sa.port() != 0 { 8 } else { 0 };
            // IPv4 counts its header in the 65535-byte limit, IPv6 does not.
            let limit = if sa.is_ipv4() { 65_535 - ip } else { 65_535 };
            (ip + udp, round4(limit - udp))
        }
    }
}

/// The probe packet's chunks for a probe of `size` bytes: a HEARTBEAT carrying `info`, then a
/// PAD chunk that brings the packet to the size.
fn probe_chunks(size: usize, info: &[u8; PROBE_INFO_LEN]) -> Vec<u8> {
    let params = handshake::params_bytes(&[Param::HeartbeatInfo(HeartbeatInfo { info })]);
    let mut bytes = handshake::chunk_bytes(&Chunk::Heartbeat(HeartbeatChunk { params: &params }));
    let padding = vec![0u8; size.saturating_sub(PROBE_OVERHEAD)];
    bytes.extend(handshake::chunk_bytes(&Chunk::Pad(PadChunk {
        padding: &padding,
    })));
    bytes
}

impl Association {
    /// The size of packets on path `index`.
    pub(super) fn path_mtu(&self, index: usize) -> usize {
        let discovered = self.paths.get(index).and_then(|p| p.plpmtud.mtu());
        match discovered {
            Some(mtu) => mtu,
            None if self.config.plpmtud.enabled => round4(self.config.plpmtud.base),
            None => self.config.mtu,
        }
    }

    /// The largest user data of one DATA or I-DATA chunk that the settings allow (0: the
    /// packet decides): SCTP_MAXSEG, and while discovery runs, what a base-size packet holds.
    pub(super) fn fragment_limit(&self, chunk_header: usize) -> usize {
        let user = self.config.max_fragment;
        if !self.config.plpmtud.enabled {
            return user;
        }
        let base = round4(
            self.config
                .plpmtud
                .base
                .saturating_sub(HEADER_LEN + chunk_header),
        );
        match user {
            0 => base,
            u => u.min(base),
        }
    }

    /// (Re)starts discovery on every path with the current settings (when the association is
    /// established, and when the settings change).
    pub(super) fn pmtud_restart(&mut self, now: Instant) {
        for i in 0..self.paths.len() {
            let Some(path) = self.paths.get_mut(i) else {
                continue;
            };
            let (overhead, transport_max) = transport_limits(path.addr);
            path.plpmtud = Plpmtud::new(&self.config.plpmtud, overhead, transport_max, now);
            self.apply_path_mtu(i);
        }
        self.pmtud_poll(now);
    }

    /// The discovery settings changed on a live association: a raised maximum continues the
    /// search, anything else starts it over.
    pub(super) fn pmtud_on_config_change(&mut self, now: Instant, before: &PlpmtudConfig) {
        let after = &self.config.plpmtud;
        let only_max_raised = before.enabled
            && after.enabled
            && PlpmtudConfig {
                max: after.max,
                ..before.clone()
            } == *after
            && (after.max == 0 || (before.max != 0 && after.max > before.max));
        if only_max_raised && self.state == State::Established {
            let max = after.max;
            for i in 0..self.paths.len() {
                if let Some(path) = self.paths.get_mut(i) {
                    let transport_max = transport_limits(path.addr).1;
                    let max = if max == 0 {
                        transport_max
                    } else {
                        max.min(transport_max)
                    };
                    path.plpmtud.raise_max(now, max);
                }
            }
            self.pmtud_poll(now);
        } else if self.state == State::Established {
            self.pmtud_restart(now);
        } else {
            for i in 0..self.paths.len() {
                self.apply_path_mtu(i);
            }
        }
    }

    /// Gives the data path the size of path `index`.
    fn apply_path_mtu(&mut self, index: usize) {
        let mtu = self.path_mtu(index);
        let header = if self.agreed.interleaving { 20 } else { 16 };
        let limit = self.fragment_limit(header);
        if let Some(flight) = self.flight.as_mut() {
            flight.set_path_mtu(PathId(index as u16), mtu, limit);
        }
    }

    /// Sends the probes that are due and arms the discovery timer.
    pub(super) fn pmtud_poll(&mut self, now: Instant) {
        if self.state != State::Established {
            // No probes outside ESTABLISHED (a probe due now would keep the timer firing);
            // the sizes found stay in use.
            self.timers.stop(Timer::Pmtud);
            return;
        }
        for i in 0..self.paths.len() {
            let timeout = self
                .config
                .plpmtud
                .min_probe_timeout
                .max(self.measured_rto(i));
            let Some(size) = self
                .paths
                .get_mut(i)
                .and_then(|p| p.plpmtud.poll_probe(now, timeout))
            else {
                continue;
            };
            self.queue_probe(now, i, size);
        }
        match self.paths.iter().filter_map(|p| p.plpmtud.deadline()).min() {
            Some(at) => self.timers.set(Timer::Pmtud, at),
            None => self.timers.stop(Timer::Pmtud),
        }
    }

    fn probe_nonce(&self, path: usize, sent: Instant, size: usize) -> u64 {
        let mut z = self.heartbeat_key.rotate_left(29)
            ^ (path as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
            ^ sent.as_micros()
            ^ (size as u64).rotate_left(40);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn queue_probe(&mut self, now: Instant, path: usize, size: usize) {
        let mut info = [0u8; PROBE_INFO_LEN];
        info[0] = path as u8;
        info[1..9].copy_from_slice(&now.as_micros().to_be_bytes());
        info[9..17].copy_from_slice(&self.probe_nonce(path, now, size).to_be_bytes());
        info[17..21].copy_from_slice(&(size as u32).to_be_bytes());
        // Alone in its packet, so that the packet has exactly the probed size.
        let chunk = QueuedChunk::new(probe_chunks(size, &info))
            .on_path(path)
            .alone_with_tag(self.peer_tag);
        self.control.push_back(chunk);
    }

    /// The HEARTBEAT-ACK of a probe, with the heartbeat information it echoes.
    pub(super) fn handle_probe_ack(&mut self, now: Instant, info: &[u8]) {
        let Ok(info) = <&[u8; PROBE_INFO_LEN]>::try_from(info) else {
            return;
        };
        let path = usize::from(info[0]);
        let sent =
            Instant::from_micros(u64::from_be_bytes(info[1..9].try_into().unwrap_or([0; 8])));
        let nonce = u64::from_be_bytes(info[9..17].try_into().unwrap_or([0; 8]));
        let size = u32::from_be_bytes(info[17..21].try_into().unwrap_or([0; 4])) as usize;
        if nonce != self.probe_nonce(path, sent, size) || sent > now {
            return;
        }
        let changed = self
            .paths
            .get_mut(path)
            .is_some_and(|p| p.plpmtud.on_probe_acked(now, size));
        if changed {
            self.apply_path_mtu(path);
        }
        self.pmtud_poll(now);
    }

    /// The discovery timer: probe timeouts and raise timers of the paths.
    pub(super) fn on_pmtud_timer(&mut self, now: Instant) {
        for i in 0..self.paths.len() {
            let changed = self
                .paths
                .get_mut(i)
                .is_some_and(|p| p.plpmtud.handle_timeout(now));
            if changed {
                self.apply_path_mtu(i);
            }
        }
        self.pmtud_poll(now);
    }

    /// Data went out on `path`: discovery may want to confirm the size in use.
    pub(super) fn pmtud_on_data_sent(&mut self, now: Instant, path: usize) {
        if self
            .paths
            .get_mut(path)
            .is_some_and(|p| p.plpmtud.on_data_sent(now))
        {
            self.pmtud_poll(now);
        }
    }

    /// Data sent on `path` was lost (T3-rtx expired, or a fast retransmit): let discovery check
    /// for a black hole.
    pub(super) fn pmtud_on_data_loss(&mut self, now: Instant, path: usize) {
        if let Some(p) = self.paths.get_mut(path) {
            p.plpmtud.on_data_loss(now);
        }
        self.pmtud_poll(now);
    }

    /// The discovery state of path `index` (for tests and statistics).
    pub fn plpmtud_state(&self, index: usize) -> Option<PlState> {
        self.paths.get(index).map(|p| p.plpmtud.state())
    }

    /// The size of packets on path `index` now.
    pub fn path_packet_size(&self, index: usize) -> usize {
        self.path_mtu(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ms: u64) -> Instant {
        Instant::from_millis(ms)
    }

    const SEC: Duration = Duration::from_secs(1);

    fn on(max: usize) -> PlpmtudConfig {
        PlpmtudConfig {
            enabled: true,
            max,
            ..PlpmtudConfig::default()
        }
    }

    /// Runs the machine against a path that carries packets up to `link` bytes, answering every
    /// probe at once, until no probe is due before `until`; returns the time reached.
    fn drive(p: &mut Plpmtud, link: usize, mut now: Instant, until: Instant) -> Instant {
        loop {
            if let Some(size) = p.poll_probe(now, SEC) {
                if size <= link {
                    p.on_probe_acked(now, size);
                }
                continue;
            }
            match p.deadline() {
                Some(at) if at < until => {
                    now = now.max(at);
                    p.handle_timeout(now);
                }
                _ => return now,
            }
        }
    }

    #[test]
    fn disabled_does_nothing() {
        let mut p = Plpmtud::new(&PlpmtudConfig::default(), 0, 65532, t(0));
        assert_eq!(p.state(), PlState::Disabled);
        assert_eq!(p.mtu(), None);
        assert_eq!(p.poll_probe(t(0), SEC), None);
        assert_eq!(p.deadline(), None);
    }

    #[test]
    fn finds_common_sizes_exactly() {
        for (overhead, link) in [(0, 9000), (0, 1500), (28, 1472), (48, 1452), (0, 65532)] {
            let mut p = Plpmtud::new(&on(0), overhead, 65532, t(0));
            assert_eq!(p.mtu(), Some(1200));
            drive(&mut p, link, t(0), t(60_000));
            assert_eq!(p.state(), PlState::SearchComplete, "link {link}");
            assert_eq!(p.mtu(), Some(link), "link {link} overhead {overhead}");
        }
    }

    #[test]
    fn refines_between_common_sizes() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        drive(&mut p, 3000, t(0), t(120_000));
        let mtu = p.mtu().unwrap();
        assert!((1500..=3000).contains(&mtu), "{mtu}");
        assert!(mtu > 2200, "the refinement got closer: {mtu}");
    }

    #[test]
    fn respects_the_maximum() {
        let mut p = Plpmtud::new(&on(4000), 0, 65532, t(0));
        drive(&mut p, 65532, t(0), t(60_000));
        assert_eq!(p.mtu(), Some(4000));
        p.raise_max(t(60_000), 9000);
        drive(&mut p, 65532, t(60_000), t(120_000));
        assert_eq!(p.mtu(), Some(9000));
    }

    #[test]
    fn a_failed_size_takes_max_probes_probe_timers() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        // Base and 1280..1500 pass at once; 4352 is lost three times.
        let end = drive(&mut p, 1500, t(0), t(60_000));
        assert_eq!(p.mtu(), Some(1500));
        assert_eq!(p.state(), PlState::SearchComplete);
        assert!(end >= t(3000), "{end:?}");
    }

    #[test]
    fn black_hole_falls_back_to_base_and_searches_again() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let now = drive(&mut p, 9000, t(0), t(60_000));
        assert_eq!(p.mtu(), Some(9000));
        // The path now carries 1500 bytes; data is lost.
        p.on_data_loss(now);
        assert_eq!(p.probing(), Some(9000));
        let mut now = now;
        let mut changed = false;
        for _ in 0..MAX_PROBES {
            assert_eq!(p.poll_probe(now, SEC), Some(9000));
            now += SEC;
            changed |= p.handle_timeout(now);
        }
        assert!(changed);
        assert_eq!(p.state(), PlState::Base);
        assert_eq!(p.mtu(), Some(1200));
        drive(&mut p, 1500, now, now + Duration::from_secs(60));
        assert_eq!(p.mtu(), Some(1500));
    }

    #[test]
    fn loss_on_a_working_path_only_confirms() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let now = drive(&mut p, 9000, t(0), t(60_000));
        p.on_data_loss(now);
        assert_eq!(p.poll_probe(now, SEC), Some(9000));
        assert!(!p.on_probe_acked(now, 9000));
        assert_eq!(p.mtu(), Some(9000));
        assert_eq!(p.state(), PlState::SearchComplete);
    }

    /// The path's MTU falls between the base and the size in use while data flows in packets
    /// too small to be lost: the CONFIRMATION_TIMER finds the black hole anyway.
    #[test]
    fn data_flowing_confirms_the_size_every_confirmation_timer() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let start = drive(&mut p, 1500, t(0), t(60_000));
        assert_eq!(p.mtu(), Some(1500));
        // The link now carries 1280 bytes. Data sent (every 100 ms) starts the timer; nothing
        // is probed before it expires.
        let link = 1280;
        let mut now = start;
        let mut first_probe = None;
        while now < start + Duration::from_secs(60) && p.mtu() != Some(link) {
            if p.on_data_sent(now) && first_probe.is_none() {
                first_probe = Some(now);
            }
            if let Some(size) = p.poll_probe(now, SEC) {
                if size <= link {
                    p.on_probe_acked(now, size);
                }
            }
            now += Duration::from_millis(100);
            p.handle_timeout(now);
        }
        let first_probe = first_probe.expect("a confirmation");
        assert_eq!(first_probe - start, Duration::from_secs(10));
        assert_eq!(p.mtu(), Some(link));
        // MAX_PROBES lost confirmations, then BASE and a search (immediate answers here).
        assert!(
            now - first_probe <= Duration::from_secs(4),
            "{:?}",
            now - first_probe
        );
    }

    #[test]
    fn an_idle_path_or_a_working_size_sends_no_confirmation() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let start = drive(&mut p, 1500, t(0), t(60_000));
        // Idle: the deadline is the raise timer's, not a confirmation's.
        assert_eq!(p.deadline(), Some(start + Duration::from_secs(600)));
        // Data flowing on a path that still carries the size: one confirmation per timer,
        // answered, and the size stays.
        let mut probes = 0;
        let mut now = start;
        while now < start + Duration::from_secs(35) {
            p.on_data_sent(now);
            if let Some(size) = p.poll_probe(now, SEC) {
                assert_eq!(size, 1500);
                probes += 1;
                p.on_probe_acked(now, size);
            }
            now += Duration::from_millis(100);
        }
        assert_eq!(probes, 3);
        assert_eq!((p.mtu(), p.state()), (Some(1500), PlState::SearchComplete));
        // Off: only data loss confirms.
        let off = PlpmtudConfig {
            confirm_interval: Duration::ZERO,
            ..on(0)
        };
        let mut p = Plpmtud::new(&off, 0, 65532, t(0));
        let start = drive(&mut p, 1500, t(0), t(60_000));
        assert!(!p.on_data_sent(start));
        assert!(!p.on_data_sent(start + Duration::from_secs(100)));
    }

    #[test]
    fn base_failure_is_the_error_state() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let mut now = t(0);
        for _ in 0..MAX_PROBES {
            assert_eq!(p.poll_probe(now, SEC), Some(1200));
            now += SEC;
            p.handle_timeout(now);
        }
        assert_eq!(p.state(), PlState::Error);
        assert_eq!(p.mtu(), Some(1200));
        assert_eq!(p.poll_probe(now, SEC), Some(1200), "probing goes on");
        p.on_probe_acked(now, 1200);
        assert_eq!(p.state(), PlState::Searching);
    }

    #[test]
    fn raise_timer_searches_again() {
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let now = drive(&mut p, 1500, t(0), t(60_000));
        assert_eq!(p.mtu(), Some(1500));
        // The path got better; nothing happens before the raise timer.
        let later = drive(&mut p, 9000, now, now + Duration::from_secs(500));
        assert_eq!(p.mtu(), Some(1500));
        drive(&mut p, 9000, later, now + Duration::from_secs(700));
        assert_eq!(p.mtu(), Some(9000));
    }

    #[test]
    fn nothing_is_due_in_the_past_while_a_probe_is_in_flight() {
        // A confirmation probe is in flight when the raise timer starts a new search.
        let mut p = Plpmtud::new(&on(0), 0, 65532, t(0));
        let now = drive(&mut p, 1500, t(0), t(60_000));
        let raise = p.deadline().unwrap();
        let before = Instant::from_micros(raise.as_micros() - 500_000);
        p.on_data_loss(before);
        assert_eq!(p.poll_probe(before, SEC), Some(1500));
        p.handle_timeout(raise);
        assert!(now < raise);
        // The search gives the confirmation up and probes the next size at once.
        assert_eq!(p.poll_probe(raise, SEC), Some(4352));
        assert!(
            p.deadline().unwrap() > raise,
            "{:?} at {raise:?}",
            p.deadline()
        );
        // A probe due while another is in flight is not a deadline in the past.
        p.on_data_loss(raise);
        p.probe_deadline = Some(raise + SEC);
        assert!(p.deadline().unwrap() > raise);
    }

    #[test]
    fn probe_packets_have_the_probed_size() {
        for size in [1200, 1452, 9000, 65532] {
            let bytes = probe_chunks(size, &[7; PROBE_INFO_LEN]);
            assert_eq!(bytes.len() + HEADER_LEN, size);
        }
    }

    #[test]
    fn transport_limits_by_address() {
        let v4: std::net::SocketAddr = "10.0.0.1:9899".parse().unwrap();
        let v6: std::net::SocketAddr = "[::1]:9899".parse().unwrap();
        assert_eq!(transport_limits(NetAddr::Conn(1)), (0, 65532));
        assert_eq!(transport_limits(NetAddr::Ip(v4)), (28, 65504));
        assert_eq!(transport_limits(NetAddr::Ip(v6)), (48, 65524));
    }
}
