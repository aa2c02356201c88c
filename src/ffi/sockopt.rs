//! `usrsctp_setsockopt`, `usrsctp_getsockopt` and `usrsctp_opt_info`: the C structures of the
//! options, read and written here, and their meaning in [`SocketOptions`] and the
//! associations, with libusrsctp's defaults, checks and errno values.
//!
//! Which settings an option means follows from its association id (see
//! [`crate::socket::options`]): a [`Scope`] for a change, one [`Target`] for a read. The
//! engine's settings of a target are a [`Config`] (the socket's for new associations, or the
//! association's own); the socket layer's are [`AssocOptions`]. The options that also name a
//! peer address are in the `peer` module.

pub(super) mod asconf;
mod auth;
mod features;
mod peer;
mod prsctp;
mod reconfig;

use core::ffi::{c_int, c_void};
use core::mem::{offset_of, size_of};
use std::time::Duration;

use libc::socklen_t;

use super::constants::*;
use super::socket::{c_result, id_of};
use super::types::*;
use crate::assoc::{Association, Config, State};
use crate::endpoint::AssocId;
use crate::socket::options::{AssocOptions, Scope, Target};
use crate::socket::{Errno, Family, Group, Socket, SocketId, SocketOptions, Style};
use crate::stack::sockets;
use crate::types::Instant;

const IPPROTO_SCTP: c_int = 132;
const EINVAL: Errno = Errno(libc::EINVAL);
const EBADF: Errno = Errno(libc::EBADF);
const ENOENT: Errno = Errno(libc::ENOENT);
const EOPNOTSUPP: Errno = Errno(libc::EOPNOTSUPP);
const EAFNOSUPPORT: Errno = Errno(libc::EAFNOSUPPORT);

/// The SCTP common header, which libusrsctp leaves out of the path MTU it reports.
const COMMON_HEADER: usize = 12;
/// The path MTUs SCTP_PEER_ADDR_PARAMS accepts (libusrsctp's SCTP_SMALLEST_PMTU and
/// SCTP_LARGEST_PMTU).
const PMTU_RANGE: core::ops::RangeInclusive<u32> = 512..=65536;
/// The largest delayed-SACK timeout (RFC 9260 §6.2: 500 ms).
const MAX_SACK_DELAY_MS: u32 = 500;
/// The highest PR-SCTP policy (SCTP_PR_SCTP_MAX).
const PR_SCTP_MAX: c_int = SCTP_PR_SCTP_RTX;

// ---- the C functions ---------------------------------------------------------------------------

/// Sets a socket option.
#[no_mangle]
pub extern "C" fn usrsctp_setsockopt(
    so: *mut socket,
    level: c_int,
    option_name: c_int,
    option_value: *const c_void,
    option_len: socklen_t,
) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let value = Value {
            ptr: option_value,
            len: option_len,
        };
        match level {
            libc::SOL_SOCKET => set_socket_level(id, option_name, value)?,
            IPPROTO_SCTP => set_sctp(id, option_name, value)?,
            _ => return Err(Errno(libc::ENOPROTOOPT)),
        }
        Ok(0)
    })
}

/// Reads a socket option.
#[no_mangle]
pub extern "C" fn usrsctp_getsockopt(
    so: *mut socket,
    level: c_int,
    option_name: c_int,
    option_value: *mut c_void,
    option_len: *mut socklen_t,
) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        if option_len.is_null() {
            return Err(Errno(libc::EFAULT));
        }
        if option_value.is_null() {
            return Err(EINVAL);
        }
        let out = Out {
            ptr: option_value,
            len: option_len,
        };
        match level {
            libc::SOL_SOCKET => get_socket_level(id, option_name, out)?,
            IPPROTO_SCTP => get_sctp(id, option_name, out)?,
            _ => return Err(Errno(libc::ENOPROTOOPT)),
        }
        Ok(0)
    })
}

/// `getsockopt` for association `id` (RFC 6458 §9.7): the id goes into the option's structure.
#[no_mangle]
pub extern "C" fn usrsctp_opt_info(
    so: *mut socket,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    size: *mut socklen_t,
) -> c_int {
    if arg.is_null() || matches!(id as c_int, SCTP_CURRENT_ASSOC | SCTP_ALL_ASSOC) {
        return c_result(-1, || Err(EINVAL));
    }
    if let Some(offset) = assoc_id_offset(opt) {
        // SAFETY: `arg` is non-null and has `*size` bytes (the caller's contract); the id is
        // written only where that room holds it.
        unsafe {
            if !size.is_null() && (*size as usize) >= offset + size_of::<sctp_assoc_t>() {
                core::ptr::write_unaligned(arg.cast::<u8>().add(offset).cast::<sctp_assoc_t>(), id);
            }
        }
    }
    usrsctp_getsockopt(so, IPPROTO_SCTP, opt, arg, size)
}

/// Where the structure of option `opt` holds its association id.
fn assoc_id_offset(opt: c_int) -> Option<usize> {
    Some(match opt {
        SCTP_RTOINFO => offset_of!(sctp_rtoinfo, srto_assoc_id),
        SCTP_ASSOCINFO => offset_of!(sctp_assocparams, sasoc_assoc_id),
        SCTP_PRIMARY_ADDR => offset_of!(sctp_setprim, ssp_assoc_id),
        SCTP_PEER_ADDR_PARAMS => offset_of!(sctp_paddrparams, spp_assoc_id),
        SCTP_AUTH_KEY => offset_of!(sctp_authkey, sca_assoc_id),
        SCTP_AUTH_ACTIVE_KEY => offset_of!(sctp_authkeyid, scact_assoc_id),
        SCTP_DELAYED_SACK => offset_of!(sctp_sack_info, sack_assoc_id),
        SCTP_STATUS => offset_of!(sctp_status, sstat_assoc_id),
        SCTP_GET_PEER_ADDR_INFO => offset_of!(sctp_paddrinfo, spinfo_assoc_id),
        SCTP_PEER_AUTH_CHUNKS | SCTP_LOCAL_AUTH_CHUNKS => {
            offset_of!(sctp_authchunks, gauth_assoc_id)
        }
        SCTP_TIMEOUTS => offset_of!(sctp_timeouts, stimo_assoc_id),
        SCTP_EVENT => offset_of!(sctp_event, se_assoc_id),
        SCTP_DEFAULT_SNDINFO => offset_of!(sctp_sndinfo, snd_assoc_id),
        SCTP_DEFAULT_PRINFO => offset_of!(sctp_default_prinfo, pr_assoc_id),
        SCTP_REMOTE_UDP_ENCAPS_PORT => offset_of!(sctp_udpencaps, sue_assoc_id),
        SCTP_PR_STREAM_STATUS | SCTP_PR_ASSOC_STATUS => offset_of!(sctp_prstatus, sprstat_assoc_id),
        SCTP_SS_VALUE => offset_of!(sctp_stream_value, assoc_id),
        SCTP_PLUGGABLE_SS | SCTP_INTERLEAVING_SUPPORTED => offset_of!(sctp_assoc_value, assoc_id),
        SCTP_MAXSEG
        | SCTP_CONTEXT
        | SCTP_MAX_BURST
        | SCTP_ECN_SUPPORTED
        | SCTP_PR_SUPPORTED
        | SCTP_AUTH_SUPPORTED
        | SCTP_ASCONF_SUPPORTED
        | SCTP_RECONFIG_SUPPORTED
        | SCTP_NRSACK_SUPPORTED
        | SCTP_PKTDROP_SUPPORTED
        | SCTP_ENABLE_STREAM_RESET
        | SCTP_MAX_CWND
        | SCTP_ACCEPT_ZERO_CHECKSUM => offset_of!(sctp_assoc_value, assoc_id),
        _ => return None,
    })
}

// ---- option values in C memory -----------------------------------------------------------------

/// The value `setsockopt` was given.
#[derive(Clone, Copy)]
struct Value {
    ptr: *const c_void,
    len: socklen_t,
}

impl Value {
    /// The value as a `T`: EINVAL when it is missing or shorter.
    fn read<T: Copy>(self) -> Result<T, Errno> {
        if self.ptr.is_null() || (self.len as usize) < size_of::<T>() {
            return Err(EINVAL);
        }
        // SAFETY: non-null with at least `size_of::<T>()` bytes; T is plain old data.
        Ok(unsafe { core::ptr::read_unaligned(self.ptr.cast::<T>()) })
    }

    fn flag(self) -> Result<bool, Errno> {
        Ok(self.read::<c_int>()? != 0)
    }
}

/// The buffer `getsockopt` fills: `len` is its room, and then the size written. Both non-null.
#[derive(Clone, Copy)]
struct Out {
    ptr: *mut c_void,
    len: *mut socklen_t,
}

impl Out {
    /// What the caller put in the buffer (the association id and the like), as a `T`.
    fn input<T: Copy>(self) -> Result<T, Errno> {
        // SAFETY: `len` is non-null (checked by `usrsctp_getsockopt`).
        let len = unsafe { *self.len };
        Value { ptr: self.ptr, len }.read()
    }

    /// Writes `v` and its size: EINVAL when the room is too small.
    fn write<T: Copy>(self, v: T) -> Result<(), Errno> {
        // SAFETY: both non-null; the caller says `ptr` has `*len` bytes of room, checked first.
        unsafe {
            if (*self.len as usize) < size_of::<T>() {
                return Err(EINVAL);
            }
            core::ptr::write_unaligned(self.ptr.cast::<T>(), v);
            *self.len = size_of::<T>() as socklen_t;
        }
        Ok(())
    }

    /// Writes an `sctp_assoc_ids`: the count, then the ids.
    fn write_ids(self, ids: &[AssocId]) -> Result<(), Errno> {
        let need = size_of::<u32>() * (1 + ids.len());
        // SAFETY: both non-null; `ptr` has `*len` bytes of room, checked first.
        unsafe {
            if (*self.len as usize) < need {
                return Err(EINVAL);
            }
            let p = self.ptr.cast::<u32>();
            p.write_unaligned(ids.len() as u32);
            for (i, a) in ids.iter().enumerate() {
                p.add(1 + i).write_unaligned(*a);
            }
            *self.len = need as socklen_t;
        }
        Ok(())
    }
}

// ---- SOL_SOCKET --------------------------------------------------------------------------------

fn set_socket_level(id: SocketId, name: c_int, value: Value) -> Result<(), Errno> {
    match name {
        libc::SO_RCVBUF | libc::SO_SNDBUF => {
            let v: c_int = value.read()?;
            if v <= 0 {
                return Err(EINVAL);
            }
            with_setter(id, |s| {
                let a = &mut s.opts().association;
                if name == libc::SO_RCVBUF {
                    a.receive_buffer = v as u32;
                } else {
                    a.send_buffer = v as u32;
                }
                Ok(())
            })
        }
        libc::SO_LINGER => {
            let l: libc::linger = value.read()?;
            with_setter(id, |s| {
                s.opts().linger = (l.l_onoff != 0).then_some(l.l_linger.max(0) as u32);
                Ok(())
            })
        }
        _ => Err(EINVAL),
    }
}

fn get_socket_level(id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    if name == libc::SO_ERROR {
        let e = sockets::with(id, |g, id, _| {
            g.socket(id).ok_or(EBADF)?;
            Ok(g.take_error(id).unwrap_or(0))
        })??;
        return out.write(e as c_int);
    }
    let o = sockets::query(id, |g, id| g.socket(id).map(|s| s.options.clone()))?.ok_or(EBADF)?;
    match name {
        libc::SO_RCVBUF => out.write(o.association.receive_buffer as c_int),
        libc::SO_SNDBUF => out.write(o.association.send_buffer as c_int),
        libc::SO_LINGER => out.write(libc::linger {
            l_onoff: o.linger.is_some() as c_int,
            l_linger: o.linger.unwrap_or(0) as c_int,
        }),
        _ => Err(EINVAL),
    }
}

// ---- what an option applies to -----------------------------------------------------------------

/// The scope association id `assoc` names on socket `id`.
fn scope_of(g: &Group, id: SocketId, assoc: AssocId) -> Result<Scope, Errno> {
    let s = g.socket(id).ok_or(EBADF)?;
    Scope::of(s.style, s.association(), assoc, |a| {
        g.association_of(id, a).is_some()
    })
}

fn association(g: &Group, a: AssocId) -> Result<&Association, Errno> {
    g.endpoint().and_then(|e| e.association(a)).ok_or(EINVAL)
}

/// The engine's settings at `target`.
fn config_at(g: &Group, id: SocketId, target: Target) -> Result<Config, Errno> {
    match target {
        Target::Future => Ok(socket(g, id)?.options.association.clone()),
        Target::Assoc(a) => Ok(association(g, a)?.config().clone()),
    }
}

fn socket(g: &Group, id: SocketId) -> Result<&Socket, Errno> {
    g.socket(id).ok_or(EBADF)
}

/// The outbound streams of association `a`: the negotiated number, or while the handshake
/// runs the number asked for.
fn outbound_streams(a: &Association) -> u16 {
    match a.state() {
        State::CookieWait | State::CookieEchoed => a.config().outbound_streams,
        _ => a.streams().0,
    }
}

/// A `setsockopt` at work: the socket's group, locked.
struct Setter<'a> {
    g: &'a mut Group,
    id: SocketId,
    now: Instant,
}

/// Runs `f` on socket `id` under its group's lock. The socket's associations keep the
/// settings they have when the settings for new associations change, and a listening or
/// one-to-many socket's endpoint creates new associations with the socket's new settings.
fn with_setter(
    id: SocketId,
    f: impl FnOnce(&mut Setter<'_>) -> Result<(), Errno>,
) -> Result<(), Errno> {
    sockets::with(id, |g, id, now| {
        g.socket(id).ok_or(EBADF)?;
        let live = g.associations_of(id);
        let mut s = Setter { g, id, now };
        s.opts().track_associations(&live);
        f(&mut s)?;
        s.sync_endpoint();
        Ok(())
    })?
}

impl Setter<'_> {
    fn socket(&self) -> &Socket {
        self.g.socket(self.id).expect("checked by with_setter")
    }

    fn opts(&mut self) -> &mut SocketOptions {
        &mut self
            .g
            .socket_mut(self.id)
            .expect("checked by with_setter")
            .options
    }

    fn scope(&self, assoc: AssocId) -> Result<Scope, Errno> {
        scope_of(self.g, self.id, assoc)
    }

    /// Where a change with association id `assoc` goes. `many`: the option takes
    /// SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC (EINVAL for the others, as in libusrsctp).
    fn targets(&self, assoc: AssocId, many: bool) -> Result<Vec<Target>, Errno> {
        self.targets_of(self.scope(assoc)?, many)
    }

    fn targets_of(&self, scope: Scope, many: bool) -> Result<Vec<Target>, Errno> {
        if !many && matches!(scope, Scope::Current | Scope::All) {
            return Err(EINVAL);
        }
        Ok(scope.targets(&self.g.associations_of(self.id)))
    }

    /// The socket's settings and every association's: for options libusrsctp keeps for the
    /// whole socket.
    fn socket_wide(&self) -> Vec<Target> {
        Scope::All.targets(&self.g.associations_of(self.id))
    }

    fn association(&mut self, a: AssocId) -> Result<&mut Association, Errno> {
        self.g
            .endpoint_mut()
            .and_then(|e| e.association_mut(a))
            .ok_or(EINVAL)
    }

    fn config(&self, target: Target) -> Result<Config, Errno> {
        config_at(self.g, self.id, target)
    }

    /// Changes the engine's settings at each target with `f`.
    fn update_config(&mut self, targets: &[Target], f: impl Fn(&mut Config)) -> Result<(), Errno> {
        for t in targets {
            match *t {
                Target::Future => f(&mut self.opts().association),
                Target::Assoc(a) => {
                    let now = self.now;
                    self.association(a)?.update_config(now, &f);
                }
            }
        }
        Ok(())
    }

    /// Changes the socket layer's settings at each target with `f`.
    fn update_assoc_options(&mut self, targets: &[Target], f: impl Fn(&mut AssocOptions)) {
        for t in targets {
            self.opts().update_assoc_options(*t, &f);
        }
    }

    /// New associations of a listening or one-to-many socket are set up by the endpoint: it
    /// takes the socket's settings for them.
    fn sync_endpoint(&mut self) {
        let Some(s) = self.g.socket(self.id) else {
            return;
        };
        if s.is_listening() || s.style == Style::OneToMany {
            let config = s.options.association.clone();
            if let Some(e) = self.g.endpoint_mut() {
                e.config_mut().association = config;
            }
        }
    }
}

// ---- setsockopt(IPPROTO_SCTP) ------------------------------------------------------------------

/// The int options that are one flag of the socket (set here, read in `get_sctp_in`).
fn socket_flag(name: c_int, o: &mut SocketOptions) -> Option<&mut bool> {
    Some(match name {
        SCTP_EXPLICIT_EOR => &mut o.explicit_eor,
        SCTP_DISABLE_FRAGMENTS => &mut o.disable_fragments,
        SCTP_RECVRCVINFO => &mut o.recv_rcvinfo,
        SCTP_RECVNXTINFO => &mut o.recv_nxtinfo,
        _ => return None,
    })
}

fn ms(v: u32) -> Duration {
    Duration::from_millis(u64::from(v))
}

fn set_sctp(id: SocketId, name: c_int, value: Value) -> Result<(), Errno> {
    if let Some(done) = reconfig::set(id, name, value) {
        return done;
    }
    with_setter(id, |s| {
        if let Some(flag) = socket_flag(name, s.opts()) {
            *flag = value.flag()?;
            return Ok(());
        }
        if prsctp::handles(name) {
            return prsctp::set(s, name, value);
        }
        match name {
            SCTP_NODELAY => {
                let on = value.flag()?;
                let targets = s.socket_wide();
                s.update_config(&targets, |c| c.nodelay = on)
            }
            SCTP_AUTOCLOSE => {
                let secs: u32 = value.read()?;
                if s.socket().style == Style::OneToOne {
                    return Err(EINVAL);
                }
                s.opts().autoclose = secs;
                let idle = (secs > 0).then(|| Duration::from_secs(u64::from(secs)));
                let targets = s.socket_wide();
                s.update_config(&targets, |c| c.autoclose = idle)
            }
            SCTP_REUSE_PORT => {
                let on = value.flag()?;
                if s.g.is_bound(s.id) || s.socket().style == Style::OneToMany {
                    return Err(EINVAL);
                }
                s.opts().reuse_port = on;
                Ok(())
            }
            SCTP_I_WANT_MAPPED_V4_ADDR => {
                let on = value.flag()?;
                if s.socket().family != Family::Inet6 {
                    return Err(EINVAL);
                }
                s.opts().mapped_v4 = on;
                Ok(())
            }
            SCTP_FRAGMENT_INTERLEAVE => {
                let v: c_int = value.read()?;
                if !(0..=2).contains(&v) {
                    return Err(EINVAL);
                }
                s.opts().fragment_interleave = v as u32;
                Ok(())
            }
            SCTP_PARTIAL_DELIVERY_POINT => {
                let v: u32 = value.read()?;
                let a = &mut s.opts().association;
                if v > a.receive_buffer {
                    return Err(EINVAL);
                }
                a.partial_delivery_point = v;
                Ok(())
            }
            SCTP_INITMSG => {
                let v: sctp_initmsg = value.read()?;
                let a = &mut s.opts().association;
                if v.sinit_num_ostreams > 0 {
                    a.outbound_streams = v.sinit_num_ostreams;
                }
                if v.sinit_max_instreams > 0 {
                    a.max_inbound_streams = v.sinit_max_instreams;
                }
                if v.sinit_max_attempts > 0 {
                    a.max_init_retransmits = u32::from(v.sinit_max_attempts);
                }
                if v.sinit_max_init_timeo > 0 {
                    a.init_rto_max = ms(u32::from(v.sinit_max_init_timeo));
                }
                Ok(())
            }
            SCTP_ADAPTATION_LAYER => {
                let v: sctp_setadaptation = value.read()?;
                s.opts().association.adaptation = Some(v.ssb_adaptation_ind);
                Ok(())
            }
            SCTP_EVENT => set_event(s, value.read()?),
            SCTP_CONTEXT => {
                let v: sctp_assoc_value = value.read()?;
                let targets = s.targets(v.assoc_id, true)?;
                s.update_assoc_options(&targets, |o| o.context = v.assoc_value);
                Ok(())
            }
            SCTP_DEFAULT_SNDINFO => set_default_sndinfo(s, value.read()?),
            SCTP_DEFAULT_PRINFO => {
                let v: sctp_default_prinfo = value.read()?;
                let targets = s.targets(v.pr_assoc_id, true)?;
                if c_int::from(v.pr_policy) > PR_SCTP_MAX {
                    return Err(EINVAL);
                }
                s.update_assoc_options(&targets, |o| {
                    o.default_send.pr_policy = v.pr_policy;
                    o.default_send.pr_value = v.pr_value;
                });
                Ok(())
            }
            SCTP_MAX_BURST => {
                let v: sctp_assoc_value = value.read()?;
                let targets = s.targets(v.assoc_id, true)?;
                s.update_config(&targets, |c| c.max_burst = v.assoc_value)
            }
            SCTP_MAXSEG => {
                let v: sctp_assoc_value = value.read()?;
                let targets = s.targets(v.assoc_id, false)?;
                if targets.contains(&Target::Future) {
                    s.opts().maxseg = v.assoc_value;
                }
                s.update_config(&targets, |c| c.max_fragment = v.assoc_value as usize)
            }
            SCTP_DELAYED_SACK => {
                let v: sctp_sack_info = value.read()?;
                let targets = s.targets(v.sack_assoc_id, true)?;
                if v.sack_delay > MAX_SACK_DELAY_MS {
                    return Err(EINVAL);
                }
                s.update_config(&targets, |c| {
                    if v.sack_delay > 0 {
                        c.sack_delay = ms(v.sack_delay);
                    }
                    if v.sack_freq > 0 {
                        c.sack_freq = v.sack_freq;
                    }
                })
            }
            SCTP_RTOINFO => {
                let v: sctp_rtoinfo = value.read()?;
                let targets = s.targets(v.srto_assoc_id, false)?;
                for t in &targets {
                    let c = s.config(*t)?;
                    let pick = |given: u32, current: Duration| {
                        if given > 0 {
                            ms(given)
                        } else {
                            current
                        }
                    };
                    let initial = pick(v.srto_initial, c.rto_initial);
                    let min = pick(v.srto_min, c.rto_min);
                    let max = pick(v.srto_max, c.rto_max);
                    if !(min <= initial && initial <= max) {
                        return Err(EINVAL);
                    }
                    s.update_config(&[*t], |c| {
                        c.rto_initial = initial;
                        c.rto_min = min;
                        c.rto_max = max;
                    })?;
                }
                Ok(())
            }
            SCTP_ASSOCINFO => {
                let v: sctp_assocparams = value.read()?;
                let targets = s.targets(v.sasoc_assoc_id, false)?;
                s.update_config(&targets, |c| {
                    if v.sasoc_asocmaxrxt > 0 {
                        c.assoc_max_retrans = u32::from(v.sasoc_asocmaxrxt);
                    }
                    if v.sasoc_cookie_life > 0 {
                        c.valid_cookie_life = ms(v.sasoc_cookie_life.clamp(1000, 3_600_000));
                    }
                })
            }
            SCTP_PEER_ADDR_PARAMS => peer::set_peer_addr_params(s, value.read()?),
            SCTP_REMOTE_UDP_ENCAPS_PORT => peer::set_udp_encaps(s, value.read()?),
            SCTP_PRIMARY_ADDR => peer::set_primary(s, value.read()?),
            n if features::handles(n) => features::set(s, n, value),
            name if auth::handles(name) => auth::set(s, name, value),
            name if asconf::handles(name) => asconf::set(s, name, value),
            _ => Err(Errno(libc::ENOPROTOOPT)),
        }
    })
}

/// The notification types SCTP_EVENT takes: SCTP_ASSOC_CHANGE to SCTP_SEND_FAILED_EVENT,
/// without SCTP_NOTIFICATIONS_STOPPED_EVENT (EOPNOTSUPP, as in libusrsctp).
fn check_event_type(sn_type: u16) -> Result<(), Errno> {
    match c_int::from(sn_type) {
        SCTP_NOTIFICATIONS_STOPPED_EVENT => Err(EOPNOTSUPP),
        SCTP_ASSOC_CHANGE..=SCTP_SEND_FAILED_EVENT => Ok(()),
        _ => Err(EINVAL),
    }
}

fn set_event(s: &mut Setter<'_>, e: sctp_event) -> Result<(), Errno> {
    let scope = s.scope(e.se_assoc_id)?;
    check_event_type(e.se_type)?;
    let sender_dry = c_int::from(e.se_type) == SCTP_SENDER_DRY_EVENT;
    // libusrsctp refuses SENDER_DRY for all associations at once, against a storm of events.
    if sender_dry && matches!(scope, Scope::Current | Scope::All) {
        return Err(EOPNOTSUPP);
    }
    let on = e.se_on != 0;
    let targets = s.targets_of(scope, true)?;
    s.update_assoc_options(&targets, |o| o.subscribe(e.se_type, on));
    if let (Scope::Assoc(a), true, true) = (scope, sender_dry, on) {
        s.association(a)?.report_sender_dry_if_idle();
    }
    Ok(())
}

fn set_default_sndinfo(s: &mut Setter<'_>, v: sctp_sndinfo) -> Result<(), Errno> {
    let scope = s.scope(v.snd_assoc_id)?;
    for t in s.targets_of(scope, true)? {
        if let Target::Assoc(a) = t {
            // The stream must exist: an error for the association named, else it is skipped.
            if v.snd_sid >= outbound_streams(association(s.g, a)?) {
                if scope == Scope::Assoc(a) {
                    return Err(EINVAL);
                }
                continue;
            }
        }
        s.update_assoc_options(&[t], |o| {
            let d = &mut o.default_send;
            d.stream = v.snd_sid;
            d.flags = v.snd_flags;
            d.ppid_raw = v.snd_ppid;
            d.context = v.snd_context;
        });
    }
    Ok(())
}

// ---- getsockopt(IPPROTO_SCTP) ------------------------------------------------------------------

fn get_sctp(id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    sockets::query(id, |g, id| get_sctp_in(g, id, name, out))?
}

fn get_sctp_in(g: &Group, id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    let s = socket(g, id)?;
    let o = &s.options;
    // The one place an option's association id names.
    let target = |assoc: AssocId| scope_of(g, id, assoc)?.single();
    let flag = |on: bool| out.write(c_int::from(on));
    if let Some(done) = reconfig::get(g, id, name, out) {
        return done;
    }
    match name {
        SCTP_EXPLICIT_EOR => flag(o.explicit_eor),
        SCTP_DISABLE_FRAGMENTS => flag(o.disable_fragments),
        SCTP_RECVRCVINFO => flag(o.recv_rcvinfo),
        SCTP_RECVNXTINFO => flag(o.recv_nxtinfo),
        SCTP_NODELAY => flag(o.association.nodelay),
        SCTP_AUTOCLOSE => out.write(o.autoclose as c_int),
        SCTP_REUSE_PORT => {
            if s.style == Style::OneToMany {
                return Err(EINVAL);
            }
            flag(o.reuse_port)
        }
        SCTP_I_WANT_MAPPED_V4_ADDR => flag(o.mapped_v4),
        SCTP_FRAGMENT_INTERLEAVE => out.write(o.fragment_interleave as c_int),
        SCTP_PARTIAL_DELIVERY_POINT => out.write(o.association.partial_delivery_point),
        SCTP_INITMSG => out.write(sctp_initmsg {
            sinit_num_ostreams: o.association.outbound_streams,
            sinit_max_instreams: o.association.max_inbound_streams,
            sinit_max_attempts: o.association.max_init_retransmits as u16,
            sinit_max_init_timeo: o.association.init_rto_max.as_millis() as u16,
        }),
        SCTP_ADAPTATION_LAYER => out.write(sctp_setadaptation {
            ssb_adaptation_ind: o.association.adaptation.unwrap_or(0),
        }),
        SCTP_EVENT => {
            let mut e: sctp_event = out.input()?;
            let t = scope_of(g, id, e.se_assoc_id)?;
            check_event_type(e.se_type)?;
            e.se_on = u8::from(o.assoc_options(t.single()?).subscribed(e.se_type));
            out.write(e)
        }
        SCTP_CONTEXT => {
            let mut v: sctp_assoc_value = out.input()?;
            v.assoc_value = o.assoc_options(target(v.assoc_id)?).context;
            out.write(v)
        }
        SCTP_DEFAULT_SNDINFO => {
            let mut v: sctp_sndinfo = out.input()?;
            let d = o.assoc_options(target(v.snd_assoc_id)?).default_send;
            v.snd_sid = d.stream;
            v.snd_flags = d.flags;
            v.snd_ppid = d.ppid_raw;
            v.snd_context = d.context;
            out.write(v)
        }
        SCTP_DEFAULT_PRINFO => {
            let mut v: sctp_default_prinfo = out.input()?;
            let d = o.assoc_options(target(v.pr_assoc_id)?).default_send;
            v.pr_policy = d.pr_policy;
            v.pr_value = d.pr_value;
            out.write(v)
        }
        SCTP_MAX_BURST => {
            let mut v: sctp_assoc_value = out.input()?;
            v.assoc_value = config_at(g, id, target(v.assoc_id)?)?.max_burst;
            out.write(v)
        }
        SCTP_MAXSEG => {
            let mut v: sctp_assoc_value = out.input()?;
            v.assoc_value = match target(v.assoc_id)? {
                Target::Assoc(a) => association(g, a)?.fragmentation_point() as u32,
                Target::Future => o.maxseg,
            };
            out.write(v)
        }
        SCTP_DELAYED_SACK => {
            let mut v: sctp_sack_info = out.input()?;
            let c = config_at(g, id, target(v.sack_assoc_id)?)?;
            v.sack_delay = c.sack_delay.as_millis() as u32;
            v.sack_freq = c.sack_freq;
            out.write(v)
        }
        SCTP_RTOINFO => {
            let mut v: sctp_rtoinfo = out.input()?;
            let c = config_at(g, id, target(v.srto_assoc_id)?)?;
            v.srto_initial = c.rto_initial.as_millis() as u32;
            v.srto_max = c.rto_max.as_millis() as u32;
            v.srto_min = c.rto_min.as_millis() as u32;
            out.write(v)
        }
        SCTP_ASSOCINFO => {
            let mut v: sctp_assocparams = out.input()?;
            let t = target(v.sasoc_assoc_id)?;
            let c = config_at(g, id, t)?;
            let live = match t {
                Target::Assoc(a) => Some(association(g, a)?),
                Target::Future => None,
            };
            v.sasoc_asocmaxrxt = c.assoc_max_retrans as u16;
            v.sasoc_number_peer_destinations = live.map_or(0, |a| a.paths().len() as u16);
            v.sasoc_peer_rwnd = live.map_or(0, |a| a.peer_rwnd() as u32);
            v.sasoc_local_rwnd = c.receive_buffer;
            v.sasoc_cookie_life = c.valid_cookie_life.as_millis() as u32;
            out.write(v)
        }
        SCTP_PEER_ADDR_PARAMS => peer::get_peer_addr_params(g, id, out),
        SCTP_REMOTE_UDP_ENCAPS_PORT => peer::get_udp_encaps(g, id, out),
        SCTP_PRIMARY_ADDR => peer::get_primary(g, id, out),
        SCTP_GET_ASSOC_NUMBER => {
            if s.style == Style::OneToOne {
                return Err(EINVAL);
            }
            out.write(g.associations_of(id).len() as u32)
        }
        SCTP_GET_ASSOC_ID_LIST => {
            if s.style == Style::OneToOne {
                return Err(EINVAL);
            }
            out.write_ids(&g.associations_of(id))
        }
        n if prsctp::handles(n) => prsctp::get(g, id, n, out),
        SCTP_STATUS => peer::get_status(g, id, out),
        SCTP_GET_PEER_ADDR_INFO => peer::get_peer_addr_info(g, id, out),
        n if features::handles(n) => features::get(g, id, n, out),
        name if auth::handles(name) => auth::get(g, id, name, out),
        name if asconf::handles(name) => asconf::get(g, id, name, out),
        _ => Err(Errno(libc::ENOPROTOOPT)),
    }
}
