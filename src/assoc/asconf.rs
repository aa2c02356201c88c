//! Dynamic address reconfiguration, ASCONF (RFC 5061): adding and deleting the addresses of an
//! association and asking the peer to use one as primary, always behind AUTH (RFC 5061 §4.1.1
//! requires ASCONF and ASCONF-ACK to be authenticated; our CHUNKS list them while ASCONF is
//! supported, so `auth.rs` drops unauthenticated ones before they get here).
//!
//! Both directions:
//! - requests of our user ([`Association::asconf_request`]) go out one ASCONF at a time, with
//!   serial numbers starting at our initial TSN (§5.1), retransmitted on T-4 RTO until the
//!   matching ASCONF-ACK;
//! - the peer's ASCONFs are processed in serial order (§5.2): Add IP adds a path (reported as
//!   SCTP_ADDR_ADDED), Delete IP retires one (SCTP_ADDR_REMOVED) unless it is the last one or
//!   the packet's source, Set Primary makes one primary (SCTP_ADDR_MADE_PRIM, with port 0 as
//!   libusrsctp reports it); failures are answered with Error Cause Indications, success
//!   implicitly (§5.2 allows it); a retransmitted ASCONF gets the same ASCONF-ACK again.
//!
//! A deleted path is retired rather than removed (paths are indexed by the data path): it is
//! marked inactive and unconfirmed and no longer probed.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::association::Association;
use super::event::{Event, LossReason, PathState};
use super::handshake;
use super::output::QueuedChunk;
use super::timer::Timer;
use crate::types::{Instant, NetAddr};
use crate::wire::cause::{
    Cause, OperationRefusedDueToResourceShortage, RequestToDeleteLastRemainingIpAddress,
    RequestToDeleteSourceIpAddress, UnrecognizedParameters, UnresolvableAddress,
};
use crate::wire::chunk::{AsconfAckChunk, AsconfChunk, Chunk};
use crate::wire::param::{
    AddIpAddress, Address, DeleteIpAddress, ErrorCauseIndication, Param, SetPrimaryAddress,
};
use crate::wire::tlv::{RawParam, UnrecognizedAction};

/// What our user asks the peer to do with one of our addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsconfRequest {
    /// Add this address of ours to the association.
    Add(IpAddr),
    /// Stop using this address of ours.
    Delete(IpAddr),
    /// Send to this address of ours by preference.
    SetPrimary(IpAddr),
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsconfError {
    /// The peer does not support ASCONF (or AUTH), or the association is not established.
    NotSupported,
}

/// The ASCONF state of an association where both ends support it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AsconfState {
    /// The serial number of our next ASCONF.
    next_serial: u32,
    /// Our ASCONF waiting for its ASCONF-ACK: serial number and chunk.
    outstanding: Option<(u32, Vec<u8>)>,
    /// Requests waiting for the outstanding ASCONF to be acknowledged.
    pending: VecDeque<AsconfRequest>,
    next_correlation: u32,
    retransmits: u32,
    /// The serial number of the last ASCONF of the peer we processed, and our answer to it.
    peer_serial: u32,
    last_ack: Option<Vec<u8>>,
    /// Error causes the peer answered our requests with (correlation id, cause code), newest
    /// last; for tests and diagnostics.
    pub refused: Vec<(AsconfRequest, u16)>,
    /// The requests of the outstanding ASCONF, by correlation id.
    in_flight: Vec<(u32, AsconfRequest)>,
}

fn address_param(ip: IpAddr) -> Vec<u8> {
    let a = match ip {
        IpAddr::V4(v4) => Address::V4(v4),
        IpAddr::V6(v6) => Address::V6(v6),
    };
    let mut out = vec![0u8; a.buffer_len()];
    let _ = a.emit(&mut out);
    out
}

fn is_wildcard(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4 == Ipv4Addr::UNSPECIFIED,
        IpAddr::V6(v6) => v6 == Ipv6Addr::UNSPECIFIED,
    }
}

impl Association {
    /// Sets ASCONF up once both INITs are known.
    pub(super) fn negotiate_asconf(&mut self, peer_initial_tsn: u32) {
        self.asconf = self.agreed.asconf.then(|| {
            Box::new(AsconfState {
                next_serial: self.local_initial_tsn,
                peer_serial: peer_initial_tsn.wrapping_sub(1),
                ..AsconfState::default()
            })
        });
    }

    /// ASCONF on this association, when both ends support it.
    pub fn asconf(&self) -> Option<&AsconfState> {
        self.asconf.as_deref()
    }

    /// Asks the peer to change our addresses (RFC 5061 §5.1).
    pub fn asconf_request(
        &mut self,
        now: Instant,
        requests: &[AsconfRequest],
    ) -> Result<(), AsconfError> {
        if !self.state.accepts_user_data() {
            return Err(AsconfError::NotSupported);
        }
        let state = self
            .asconf
            .as_deref_mut()
            .ok_or(AsconfError::NotSupported)?;
        state.pending.extend(requests.iter().copied());
        self.send_next_asconf(now);
        Ok(())
    }

    /// Sends the pending requests in one ASCONF unless one is in flight.
    fn send_next_asconf(&mut self, now: Instant) {
        let lookup = self
            .config
            .local_addresses
            .first()
            .copied()
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let Some(state) = self.asconf.as_deref_mut() else {
            return;
        };
        if state.outstanding.is_some() || state.pending.is_empty() {
            return;
        }
        let mut params = Vec::new();
        state.in_flight.clear();
        while let Some(request) = state.pending.pop_front() {
            state.next_correlation = state.next_correlation.wrapping_add(1);
            let correlation_id = state.next_correlation;
            let (ip, param) = match request {
                AsconfRequest::Add(ip) => (ip, 0),
                AsconfRequest::Delete(ip) => (ip, 1),
                AsconfRequest::SetPrimary(ip) => (ip, 2),
            };
            let addr = address_param(ip);
            let p = match param {
                0 => Param::AddIpAddress(AddIpAddress {
                    correlation_id,
                    address_param: &addr,
                }),
                1 => Param::DeleteIpAddress(DeleteIpAddress {
                    correlation_id,
                    address_param: &addr,
                }),
                _ => Param::SetPrimaryAddress(SetPrimaryAddress {
                    correlation_id,
                    address_param: &addr,
                }),
            };
            params.extend(handshake::params_bytes(&[p]));
            state.in_flight.push((correlation_id, request));
        }
        let serial = state.next_serial;
        state.next_serial = state.next_serial.wrapping_add(1);
        let address = address_param(lookup);
        let chunk = handshake::chunk_bytes(&Chunk::Asconf(AsconfChunk {
            serial_number: serial,
            address: &address,
            params: &params,
        }));
        state.outstanding = Some((serial, chunk.clone()));
        state.retransmits = 0;
        self.control.push_back(QueuedChunk::new(chunk));
        let rto = self.path_rto(self.paths.current());
        self.timers.set(Timer::Asconf, now + rto);
    }

    /// T-4 RTO expired: the ASCONF goes again, or the association fails (RFC 5061 §5.1 B4).
    pub(super) fn on_asconf_timer(&mut self, now: Instant) {
        let max = self.config.assoc_max_retrans;
        let Some(state) = self.asconf.as_deref_mut() else {
            return;
        };
        let Some((_, chunk)) = state.outstanding.clone() else {
            return;
        };
        state.retransmits += 1;
        if state.retransmits > max {
            self.close_with(Some(LossReason::RetransmissionsExceeded));
            return;
        }
        let backoff = 1u32 << state.retransmits.min(6);
        self.control.push_back(QueuedChunk::new(chunk));
        let rto = (self.path_rto(self.paths.current()) * backoff).min(self.config.rto_max);
        self.timers.set(Timer::Asconf, now + rto);
    }

    /// The peer's answer to our ASCONF (RFC 5061 §5.3).
    pub(super) fn handle_asconf_ack(&mut self, now: Instant, ack: &AsconfAckChunk<'_>) {
        let Some(state) = self.asconf.as_deref_mut() else {
            return;
        };
        if state.outstanding.as_ref().map(|(s, _)| *s) != Some(ack.serial_number) {
            return;
        }
        state.outstanding = None;
        let in_flight = std::mem::take(&mut state.in_flight);
        let mut refused = Vec::new();
        for raw in ack.params().flatten() {
            let Ok(Param::ErrorCauseIndication(e)) = Param::parse(&raw) else {
                continue;
            };
            let code = e
                .causes()
                .flatten()
                .next()
                .map_or(0, |c: Cause<'_>| c.cause_code());
            if let Some((_, r)) = in_flight.iter().find(|(id, _)| *id == e.correlation_id) {
                refused.push((*r, code));
            }
        }
        for (_, request) in &in_flight {
            if refused.iter().any(|(r, _)| r == request) {
                continue;
            }
            let addresses = &mut self.config.local_addresses;
            match *request {
                AsconfRequest::Add(ip) if !addresses.contains(&ip) => addresses.push(ip),
                AsconfRequest::Delete(ip) => addresses.retain(|a| *a != ip),
                _ => {}
            }
        }
        if let Some(state) = self.asconf.as_deref_mut() {
            state.refused.extend(refused);
        }
        self.timers.stop(Timer::Asconf);
        self.send_next_asconf(now);
    }

    /// The peer's ASCONF (RFC 5061 §5.2); `source` is the packet's source address.
    pub(super) fn handle_asconf(
        &mut self,
        now: Instant,
        source: Option<usize>,
        c: &AsconfChunk<'_>,
    ) {
        let Some(state) = self.asconf.as_deref() else {
            return;
        };
        let expected = state.peer_serial.wrapping_add(1);
        if c.serial_number == state.peer_serial {
            // §5.2 (C2): a retransmission; the same answer again.
            if let Some(ack) = state.last_ack.clone() {
                self.control.push_back(QueuedChunk::new(ack));
            }
            return;
        }
        if c.serial_number != expected {
            return;
        }
        let source_addr = source.and_then(|i| self.paths.get(i)).map(|p| p.addr);
        let mut answers = Vec::new();
        for raw in c.params() {
            let Ok(raw) = raw else {
                break;
            };
            match self.apply_asconf_param(now, source_addr, &raw) {
                Applied::Done => {}
                Applied::Refused(correlation_id, cause) => answers.push((correlation_id, cause)),
                Applied::Unknown(report, go_on) => {
                    if report {
                        let mut tlv = raw.bytes.to_vec();
                        tlv.resize(crate::wire::padded(tlv.len()), 0);
                        let cause =
                            cause_bytes(&Cause::UnrecognizedParameters(UnrecognizedParameters {
                                params: &tlv,
                            }));
                        answers.push((0, cause));
                    }
                    if !go_on {
                        break;
                    }
                }
            }
        }
        let indications: Vec<Param<'_>> = answers
            .iter()
            .map(|(id, cause)| {
                Param::ErrorCauseIndication(ErrorCauseIndication {
                    correlation_id: *id,
                    cause_bytes: cause,
                })
            })
            .collect();
        let params = handshake::params_bytes(&indications);
        let ack = handshake::chunk_bytes(&Chunk::AsconfAck(AsconfAckChunk {
            serial_number: c.serial_number,
            params: &params,
        }));
        if let Some(state) = self.asconf.as_deref_mut() {
            state.peer_serial = c.serial_number;
            state.last_ack = Some(ack.clone());
        }
        self.control.push_back(QueuedChunk::new(ack));
    }

    /// Carries out one ASCONF parameter of the peer.
    fn apply_asconf_param(
        &mut self,
        now: Instant,
        source: Option<NetAddr>,
        raw: &RawParam<'_>,
    ) -> Applied {
        let parsed = match Param::parse(raw) {
            Ok(p @ (Param::AddIpAddress(_) | Param::DeleteIpAddress(_)))
            | Ok(p @ Param::SetPrimaryAddress(_)) => p,
            _ => {
                let action = UnrecognizedAction::of_param_type(raw.param_type);
                return Applied::Unknown(action.reports(), action.continues());
            }
        };
        let (correlation_id, address, quoted) = match &parsed {
            Param::AddIpAddress(p) => (p.correlation_id, p.address(), p.address_param),
            Param::DeleteIpAddress(p) => (p.correlation_id, p.address(), p.address_param),
            Param::SetPrimaryAddress(p) => (p.correlation_id, p.address(), p.address_param),
            _ => return Applied::Done,
        };
        let Ok(address) = address else {
            let cause = cause_bytes(&Cause::UnresolvableAddress(UnresolvableAddress {
                address_param: quoted,
            }));
            return Applied::Refused(correlation_id, cause);
        };
        // The peer's addresses are paths with the port of the first one (its UDP port when
        // encapsulated, else unused).
        let port = match self.paths.get(0).map(|p| p.addr) {
            Some(NetAddr::Ip(a)) => a.port(),
            _ => return Applied::Done,
        };
        let ip = match (address.ip(), source) {
            (ip, Some(NetAddr::Ip(src))) if is_wildcard(ip) => src.ip(),
            (ip, _) => ip,
        };
        let addr = NetAddr::Ip(SocketAddr::new(ip, port));
        let tlv = raw.bytes;
        match parsed {
            Param::AddIpAddress(_) => {
                if let Some(i) = self.paths.find(addr) {
                    // Known: nothing to do, unless it was deleted before.
                    if self.is_retired(i) {
                        self.restore_path(now, i);
                        self.events.push_back(Event::PathChanged {
                            addr,
                            state: PathState::Added,
                        });
                    }
                    return Applied::Done;
                }
                self.paths.add(addr);
                let Some(i) = self.paths.find(addr) else {
                    let cause = cause_bytes(&Cause::OperationRefusedDueToResourceShortage(
                        OperationRefusedDueToResourceShortage { asconf_param: tlv },
                    ));
                    return Applied::Refused(correlation_id, cause);
                };
                self.data_add_path(i);
                self.restore_path(now, i);
                self.events.push_back(Event::PathChanged {
                    addr,
                    state: PathState::Added,
                });
                Applied::Done
            }
            Param::DeleteIpAddress(_) => {
                let Some(i) = self.paths.find(addr).filter(|i| !self.is_retired(*i)) else {
                    // §5.2.1: deleting an address that is not in use succeeds.
                    return Applied::Done;
                };
                if source == Some(addr) {
                    let cause = cause_bytes(&Cause::RequestToDeleteSourceIpAddress(
                        RequestToDeleteSourceIpAddress { asconf_param: tlv },
                    ));
                    return Applied::Refused(correlation_id, cause);
                }
                let others = (0..self.paths.len()).filter(|j| *j != i && !self.is_retired(*j));
                if others.count() == 0 {
                    let cause = cause_bytes(&Cause::RequestToDeleteLastRemainingIpAddress(
                        RequestToDeleteLastRemainingIpAddress { asconf_param: tlv },
                    ));
                    return Applied::Refused(correlation_id, cause);
                }
                self.retire_path(i);
                self.events.push_back(Event::PathChanged {
                    addr,
                    state: PathState::Removed,
                });
                Applied::Done
            }
            _ => match self.paths.find(addr).filter(|i| !self.is_retired(*i)) {
                Some(i) => {
                    if self.paths.primary() != i {
                        self.paths.set_primary(i);
                        self.events.push_back(Event::PathChanged {
                            addr,
                            state: PathState::MadePrimaryByPeer,
                        });
                    }
                    Applied::Done
                }
                None => {
                    let cause = cause_bytes(&Cause::UnresolvableAddress(UnresolvableAddress {
                        address_param: quoted,
                    }));
                    Applied::Refused(correlation_id, cause)
                }
            },
        }
    }

    /// A deleted path: inactive, unconfirmed and no longer probed.
    fn is_retired(&self, index: usize) -> bool {
        self.paths
            .get(index)
            .is_some_and(|p| !p.active && !p.confirmed && p.next_heartbeat.is_none())
    }

    fn retire_path(&mut self, index: usize) {
        if let Some(p) = self.paths.get_mut(index) {
            p.active = false;
            p.confirmed = false;
            p.heartbeat = None;
            p.next_heartbeat = None;
        }
        if self.paths.primary() == index {
            let next = (0..self.paths.len()).find(|j| !self.is_retired(*j));
            if let Some(j) = next {
                self.paths.set_primary(j);
            }
        }
        self.rearm_heartbeats();
    }

    /// A new (or re-added) path: active, probed at once so that a heartbeat confirms it.
    fn restore_path(&mut self, now: Instant, index: usize) {
        if let Some(p) = self.paths.get_mut(index) {
            p.active = true;
            if p.next_heartbeat.is_none() && self.config.heartbeat_interval.is_some() {
                p.next_heartbeat = Some(now);
            }
        }
        self.rearm_heartbeats();
    }

    fn rearm_heartbeats(&mut self) {
        match self.paths.iter().filter_map(|p| p.next_heartbeat).min() {
            Some(at) => self.timers.set(Timer::Heartbeat, at),
            None => self.timers.stop(Timer::Heartbeat),
        }
    }
}

/// What became of one ASCONF parameter.
enum Applied {
    Done,
    /// Refused: the correlation id and the error cause to answer with.
    Refused(u32, Vec<u8>),
    /// Not an ASCONF request we know: (report it, go on with the next parameters).
    Unknown(bool, bool),
}

fn cause_bytes(cause: &Cause<'_>) -> Vec<u8> {
    let mut out = vec![0u8; cause.buffer_len()];
    let n = cause.emit(&mut out).unwrap_or(0);
    out.truncate(n);
    out
}
