//! `usrsctp_setsockopt`, `usrsctp_getsockopt` and `usrsctp_opt_info`: the C structures of the
//! options, read and written here, and their meaning in [`crate::socket::SocketOptions`] and
//! the associations.
//!
//! Settings apply to the socket, from which associations set up later take them (the
//! SCTP_FUTURE_ASSOC of RFC 6458); values that describe a live association (SCTP_STATUS,
//! SCTP_GET_PEER_ADDR_INFO, the peer's window) are read from it.

use core::ffi::{c_int, c_void};
use core::mem::size_of;
use std::time::Duration;

use libc::socklen_t;

use super::addr;
use super::constants::*;
use super::socket::{c_result, id_of};
use super::types::*;
use crate::assoc::State;
use crate::endpoint::AssocId;
use crate::socket::{Errno, Group, SocketId, Style};
use crate::stack::sockets;

const IPPROTO_SCTP: c_int = 132;
const EINVAL: Errno = Errno(libc::EINVAL);

/// Reads a `T` from an option value of `len` bytes.
fn read<T: Copy>(value: *const c_void, len: socklen_t) -> Result<T, Errno> {
    if value.is_null() || (len as usize) < size_of::<T>() {
        return Err(EINVAL);
    }
    // SAFETY: non-null with at least `size_of::<T>()` bytes; T is plain old data.
    Ok(unsafe { core::ptr::read_unaligned(value.cast::<T>()) })
}

/// Writes `v` to an option value with room for `*len` bytes and stores the size in `*len`.
fn write<T: Copy>(value: *mut c_void, len: *mut socklen_t, v: T) -> Result<(), Errno> {
    if value.is_null() || len.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: both non-null; the caller says `value` has `*len` bytes of room, checked first.
    unsafe {
        if (*len as usize) < size_of::<T>() {
            return Err(EINVAL);
        }
        core::ptr::write_unaligned(value.cast::<T>(), v);
        *len = size_of::<T>() as socklen_t;
    }
    Ok(())
}

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
        match level {
            libc::SOL_SOCKET => set_socket_level(id, option_name, option_value, option_len)?,
            IPPROTO_SCTP => set_sctp(id, option_name, option_value, option_len)?,
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
        if option_len.is_null() || option_value.is_null() {
            return Err(EINVAL);
        }
        match level {
            libc::SOL_SOCKET => get_socket_level(id, option_name, option_value, option_len)?,
            IPPROTO_SCTP => get_sctp(id, option_name, option_value, option_len)?,
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
    c_result(-1, || {
        let sid = id_of(so)?;
        if arg.is_null() || size.is_null() {
            return Err(EINVAL);
        }
        // Where each option keeps its assoc id.
        let offset = match opt {
            SCTP_RTOINFO | SCTP_ASSOCINFO | SCTP_DEFAULT_SNDINFO | SCTP_MAX_BURST
            | SCTP_CONTEXT | SCTP_MAXSEG | SCTP_DELAYED_SACK | SCTP_STATUS => Some(match opt {
                SCTP_DEFAULT_SNDINFO => 12,
                _ => 0,
            }),
            SCTP_DEFAULT_PRINFO => Some(8),
            SCTP_PRIMARY_ADDR | SCTP_PEER_ADDR_PARAMS | SCTP_GET_PEER_ADDR_INFO => Some(128),
            _ => None,
        };
        let Some(offset) = offset else {
            return Err(EINVAL);
        };
        // SAFETY: non-null; the option's structure holds the id at `offset` (within *size,
        // checked).
        unsafe {
            if (*size as usize) < offset + 4 {
                return Err(EINVAL);
            }
            core::ptr::write_unaligned(arg.cast::<u8>().add(offset).cast::<u32>(), id);
        }
        get_sctp(sid, opt, arg, size)?;
        Ok(0)
    })
}

fn set_socket_level(
    id: SocketId,
    name: c_int,
    value: *const c_void,
    len: socklen_t,
) -> Result<(), Errno> {
    match name {
        libc::SO_RCVBUF | libc::SO_SNDBUF => {
            let v: c_int = read(value, len)?;
            if v <= 0 {
                return Err(EINVAL);
            }
            with_socket(id, |g, id| {
                let s = g.socket_mut(id).ok_or(Errno(libc::EBADF))?;
                if name == libc::SO_RCVBUF {
                    s.options.association.receive_buffer = v as u32;
                } else {
                    s.options.association.send_buffer = v as u32;
                }
                Ok(())
            })
        }
        libc::SO_LINGER => {
            let l: libc::linger = read(value, len)?;
            with_socket(id, |g, id| {
                let s = g.socket_mut(id).ok_or(Errno(libc::EBADF))?;
                s.options.linger = (l.l_onoff != 0).then_some(l.l_linger.max(0) as u32);
                Ok(())
            })
        }
        _ => Err(Errno(libc::ENOPROTOOPT)),
    }
}

fn get_socket_level(
    id: SocketId,
    name: c_int,
    value: *mut c_void,
    len: *mut socklen_t,
) -> Result<(), Errno> {
    let opts = with_socket(id, |g, id| {
        g.socket(id)
            .map(|s| s.options.clone())
            .ok_or(Errno(libc::EBADF))
    })?;
    match name {
        libc::SO_RCVBUF => write(value, len, opts.association.receive_buffer as c_int),
        libc::SO_SNDBUF => write(value, len, opts.association.send_buffer as c_int),
        libc::SO_LINGER => write(
            value,
            len,
            libc::linger {
                l_onoff: opts.linger.is_some() as c_int,
                l_linger: opts.linger.unwrap_or(0) as c_int,
            },
        ),
        libc::SO_ERROR => {
            let e = with_socket(id, |g, id| Ok(g.take_error(id).unwrap_or(0)))?;
            write(value, len, e as c_int)
        }
        _ => Err(Errno(libc::ENOPROTOOPT)),
    }
}

fn with_socket<R>(
    id: SocketId,
    f: impl FnOnce(&mut Group, SocketId) -> Result<R, Errno>,
) -> Result<R, Errno> {
    sockets::with(id, |g, id, _| f(g, id))?
}

/// Checks the assoc id of an option: the special ids, or an association of this socket.
fn check_assoc(g: &Group, id: SocketId, assoc: AssocId) -> Result<Option<AssocId>, Errno> {
    let s = g.socket(id).ok_or(Errno(libc::EBADF))?;
    if s.style == Style::OneToOne {
        return Ok(s.association());
    }
    match assoc as c_int {
        SCTP_FUTURE_ASSOC | SCTP_CURRENT_ASSOC | SCTP_ALL_ASSOC => Ok(None),
        _ => g.association_of(id, assoc).map(Some).ok_or(EINVAL),
    }
}

fn int_flag(value: *const c_void, len: socklen_t) -> Result<bool, Errno> {
    Ok(read::<c_int>(value, len)? != 0)
}

fn set_sctp(id: SocketId, name: c_int, value: *const c_void, len: socklen_t) -> Result<(), Errno> {
    with_socket(id, |g, id| {
        g.socket(id).ok_or(Errno(libc::EBADF))?;
        match name {
            SCTP_NODELAY => {
                let on = int_flag(value, len)?;
                opts(g, id).association.nodelay = on;
            }
            SCTP_AUTOCLOSE => {
                let secs: c_int = read(value, len)?;
                if g.socket(id).is_some_and(|s| s.style == Style::OneToOne) {
                    return Err(Errno(libc::EOPNOTSUPP));
                }
                let o = opts(g, id);
                o.autoclose = secs.max(0) as u32;
                o.association.autoclose = (secs > 0).then(|| Duration::from_secs(secs as u64));
            }
            SCTP_EXPLICIT_EOR => opts(g, id).explicit_eor = int_flag(value, len)?,
            SCTP_REUSE_PORT => {
                if g.socket(id).is_some_and(|s| s.style != Style::OneToOne) {
                    return Err(EINVAL);
                }
                opts(g, id).reuse_port = int_flag(value, len)?
            }
            SCTP_I_WANT_MAPPED_V4_ADDR => opts(g, id).mapped_v4 = int_flag(value, len)?,
            SCTP_DISABLE_FRAGMENTS => opts(g, id).disable_fragments = int_flag(value, len)?,
            SCTP_RECVRCVINFO => opts(g, id).recv_rcvinfo = int_flag(value, len)?,
            SCTP_RECVNXTINFO => opts(g, id).recv_nxtinfo = int_flag(value, len)?,
            SCTP_FRAGMENT_INTERLEAVE => {
                let v: c_int = read(value, len)?;
                if !(0..=2).contains(&v) {
                    return Err(EINVAL);
                }
                opts(g, id).fragment_interleave = v as u32;
            }
            SCTP_PARTIAL_DELIVERY_POINT => {
                let v: u32 = read(value, len)?;
                let o = opts(g, id);
                let limit = o.association.receive_buffer;
                o.association.partial_delivery_point = v.min(limit);
            }
            SCTP_EVENT => {
                let e: sctp_event = read(value, len)?;
                check_assoc(g, id, e.se_assoc_id)?;
                if !opts(g, id).subscribe(e.se_type, e.se_on != 0) {
                    return Err(EINVAL);
                }
            }
            SCTP_DEFAULT_SNDINFO => {
                let s: sctp_sndinfo = read(value, len)?;
                check_assoc(g, id, s.snd_assoc_id)?;
                let d = &mut opts(g, id).default_send;
                d.stream = s.snd_sid;
                d.flags = s.snd_flags;
                d.ppid_raw = s.snd_ppid;
                d.context = s.snd_context;
            }
            SCTP_DEFAULT_PRINFO => {
                let p: sctp_default_prinfo = read(value, len)?;
                if c_int::from(p.pr_policy) > SCTP_PR_SCTP_RTX {
                    return Err(EINVAL);
                }
                check_assoc(g, id, p.pr_assoc_id)?;
                let d = &mut opts(g, id).default_send;
                d.pr_policy = p.pr_policy;
                d.pr_value = p.pr_value;
            }
            SCTP_CONTEXT => {
                let v: sctp_assoc_value = read(value, len)?;
                check_assoc(g, id, v.assoc_id)?;
                opts(g, id).context = v.assoc_value;
            }
            SCTP_MAX_BURST => {
                let v: sctp_assoc_value = read(value, len)?;
                check_assoc(g, id, v.assoc_id)?;
                opts(g, id).association.max_burst = v.assoc_value;
            }
            SCTP_MAXSEG => {
                let v: sctp_assoc_value = read(value, len)?;
                check_assoc(g, id, v.assoc_id)?;
                let o = opts(g, id);
                o.maxseg = v.assoc_value;
                if v.assoc_value > 0 {
                    o.association.max_fragment = v.assoc_value as usize;
                }
            }
            SCTP_DELAYED_SACK => {
                let v: sctp_sack_info = read(value, len)?;
                check_assoc(g, id, v.sack_assoc_id)?;
                if v.sack_delay > 500 {
                    return Err(EINVAL);
                }
                let a = &mut opts(g, id).association;
                if v.sack_delay > 0 {
                    a.sack_delay = Duration::from_millis(u64::from(v.sack_delay));
                }
                if v.sack_freq > 0 {
                    a.sack_freq = v.sack_freq;
                }
            }
            SCTP_RTOINFO => {
                let v: sctp_rtoinfo = read(value, len)?;
                check_assoc(g, id, v.srto_assoc_id)?;
                let a = &mut opts(g, id).association;
                let ms = |x: u32| Duration::from_millis(u64::from(x));
                let initial = if v.srto_initial > 0 {
                    ms(v.srto_initial)
                } else {
                    a.rto_initial
                };
                let min = if v.srto_min > 0 {
                    ms(v.srto_min)
                } else {
                    a.rto_min
                };
                let max = if v.srto_max > 0 {
                    ms(v.srto_max)
                } else {
                    a.rto_max
                };
                if min > max || initial < min || initial > max {
                    return Err(EINVAL);
                }
                (a.rto_initial, a.rto_min, a.rto_max) = (initial, min, max);
            }
            SCTP_ASSOCINFO => {
                let v: sctp_assocparams = read(value, len)?;
                check_assoc(g, id, v.sasoc_assoc_id)?;
                let a = &mut opts(g, id).association;
                if v.sasoc_asocmaxrxt > 0 {
                    a.assoc_max_retrans = u32::from(v.sasoc_asocmaxrxt);
                }
                if v.sasoc_cookie_life > 0 {
                    a.valid_cookie_life = Duration::from_millis(u64::from(v.sasoc_cookie_life));
                }
            }
            SCTP_INITMSG => {
                let v: sctp_initmsg = read(value, len)?;
                let a = &mut opts(g, id).association;
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
                    a.init_rto_max = Duration::from_millis(u64::from(v.sinit_max_init_timeo));
                }
            }
            SCTP_ADAPTATION_LAYER => {
                let v: sctp_setadaptation = read(value, len)?;
                opts(g, id).association.adaptation = Some(v.ssb_adaptation_ind);
            }
            SCTP_REMOTE_UDP_ENCAPS_PORT => {
                let v: sctp_udpencaps = read(value, len)?;
                check_assoc(g, id, v.sue_assoc_id)?;
                opts(g, id).remote_udp_port = u16::from_be(v.sue_port);
            }
            SCTP_PEER_ADDR_PARAMS => {
                let v: sctp_paddrparams = read(value, len)?;
                check_assoc(g, id, v.spp_assoc_id)?;
                let a = &mut opts(g, id).association;
                let flags = v.spp_flags as c_int;
                if flags & SPP_HB_DISABLE != 0 {
                    a.heartbeat_interval = None;
                } else if flags & SPP_HB_ENABLE != 0 && v.spp_hbinterval > 0 {
                    a.heartbeat_interval = Some(Duration::from_millis(u64::from(v.spp_hbinterval)));
                }
                if v.spp_pathmaxrxt > 0 {
                    a.path_max_retrans = u32::from(v.spp_pathmaxrxt);
                }
                if flags & SPP_PMTUD_DISABLE != 0 && v.spp_pathmtu >= 508 {
                    a.mtu = v.spp_pathmtu as usize;
                }
            }
            SCTP_PRIMARY_ADDR => {
                let v: sctp_setprim = read(value, len)?;
                let target = check_assoc(g, id, v.ssp_assoc_id)?.ok_or(EINVAL)?;
                let a = addr::read((&v.ssp_addr as *const libc::sockaddr_storage).cast(), None)
                    .map_err(Errno)?;
                let udp = opts(g, id).remote_udp_port;
                let assoc = g
                    .endpoint_mut()
                    .and_then(|e| e.association_mut(target))
                    .ok_or(EINVAL)?;
                let remote = a.with_udp_port(udp);
                let found = assoc.paths().iter().any(|p| p.addr == remote);
                let remote = if found { remote } else { a.with_udp_port(0) };
                if !assoc.set_primary(remote) {
                    return Err(EINVAL);
                }
            }
            _ => return Err(Errno(libc::ENOPROTOOPT)),
        }
        Ok(())
    })
}

fn opts(g: &mut Group, id: SocketId) -> &mut crate::socket::SocketOptions {
    &mut g.socket_mut(id).expect("checked by the caller").options
}

fn state_code(s: State) -> i32 {
    match s {
        State::CookieWait => SCTP_COOKIE_WAIT,
        State::CookieEchoed => SCTP_COOKIE_ECHOED,
        State::Established => SCTP_ESTABLISHED,
        State::ShutdownPending => SCTP_SHUTDOWN_PENDING,
        State::ShutdownSent => SCTP_SHUTDOWN_SENT,
        State::ShutdownReceived => SCTP_SHUTDOWN_RECEIVED,
        State::ShutdownAckSent => SCTP_SHUTDOWN_ACK_SENT,
        State::Closed => SCTP_CLOSED,
    }
}

/// The assoc id stored at the start of an option's structure, or at `offset`.
fn assoc_at(value: *const c_void, len: *mut socklen_t, offset: usize) -> Result<AssocId, Errno> {
    // SAFETY: `len` non-null (checked by the callers); `value` has `*len` bytes.
    unsafe {
        if (*len as usize) < offset + 4 {
            return Err(EINVAL);
        }
        Ok(core::ptr::read_unaligned(
            value.cast::<u8>().add(offset).cast::<u32>(),
        ))
    }
}

fn paddrinfo(g: &Group, assoc: AssocId, index: usize, mapped: bool) -> Option<sctp_paddrinfo> {
    let a = g.endpoint()?.association(assoc)?;
    let path = a.paths().get(index)?;
    let info = a.path_info(index);
    let (store, _) = addr::to_sockstore(path.addr, a.peer_port(), mapped);
    // SAFETY: zero is valid for sockaddr_storage; the sockstore is copied into its start.
    let mut storage: libc::sockaddr_storage = unsafe { core::mem::zeroed() };
    // SAFETY: sctp_sockstore (32 bytes) fits in sockaddr_storage (128 bytes).
    unsafe {
        core::ptr::copy_nonoverlapping(
            (&store as *const sctp_sockstore).cast::<u8>(),
            (&mut storage as *mut libc::sockaddr_storage).cast::<u8>(),
            size_of::<sctp_sockstore>(),
        );
    }
    let state = if !path.confirmed {
        SCTP_UNCONFIRMED
    } else if path.active {
        SCTP_ACTIVE
    } else {
        SCTP_INACTIVE
    };
    Some(sctp_paddrinfo {
        spinfo_address: storage,
        spinfo_assoc_id: assoc,
        spinfo_state: state,
        spinfo_cwnd: info.map_or(0, |i| i.cwnd as u32),
        spinfo_srtt: info
            .and_then(|i| i.srtt)
            .map_or(0, |d| d.as_millis() as u32),
        spinfo_rto: info.map_or(a.config().rto_initial, |i| i.rto).as_millis() as u32,
        spinfo_mtu: info.map_or(a.config().mtu, |i| i.mtu) as u32,
    })
}

fn get_sctp(
    id: SocketId,
    name: c_int,
    value: *mut c_void,
    len: *mut socklen_t,
) -> Result<(), Errno> {
    with_socket(id, |g, id| {
        let s = g.socket(id).ok_or(Errno(libc::EBADF))?;
        let o = s.options.clone();
        let mapped = s.family == crate::socket::Family::Inet6 && o.mapped_v4;
        let flag = |b: bool| b as c_int;
        match name {
            SCTP_NODELAY => write(value, len, flag(o.association.nodelay)),
            SCTP_AUTOCLOSE => write(value, len, o.autoclose as c_int),
            SCTP_EXPLICIT_EOR => write(value, len, flag(o.explicit_eor)),
            SCTP_REUSE_PORT => write(value, len, flag(o.reuse_port)),
            SCTP_I_WANT_MAPPED_V4_ADDR => write(value, len, flag(o.mapped_v4)),
            SCTP_DISABLE_FRAGMENTS => write(value, len, flag(o.disable_fragments)),
            SCTP_RECVRCVINFO => write(value, len, flag(o.recv_rcvinfo)),
            SCTP_RECVNXTINFO => write(value, len, flag(o.recv_nxtinfo)),
            SCTP_FRAGMENT_INTERLEAVE => write(value, len, o.fragment_interleave as c_int),
            SCTP_PARTIAL_DELIVERY_POINT => write(value, len, o.association.partial_delivery_point),
            SCTP_EVENT => {
                let mut e: sctp_event = read(value, unsafe_len(len))?;
                check_assoc(g, id, e.se_assoc_id)?;
                e.se_on = u8::from(o.subscribed(e.se_type));
                write(value, len, e)
            }
            SCTP_DEFAULT_SNDINFO => {
                let mut v: sctp_sndinfo = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.snd_assoc_id)?;
                v.snd_sid = o.default_send.stream;
                v.snd_flags = o.default_send.flags;
                v.snd_ppid = o.default_send.ppid_raw;
                v.snd_context = o.default_send.context;
                write(value, len, v)
            }
            SCTP_DEFAULT_PRINFO => {
                let mut v: sctp_default_prinfo = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.pr_assoc_id)?;
                v.pr_policy = o.default_send.pr_policy;
                v.pr_value = o.default_send.pr_value;
                write(value, len, v)
            }
            SCTP_CONTEXT | SCTP_MAX_BURST | SCTP_MAXSEG => {
                let mut v: sctp_assoc_value = read(value, unsafe_len(len))?;
                let assoc = check_assoc(g, id, v.assoc_id)?;
                v.assoc_value = match name {
                    SCTP_CONTEXT => o.context,
                    SCTP_MAX_BURST => o.association.max_burst,
                    _ => match assoc.and_then(|a| g.endpoint()?.association(a)?.path_info(0)) {
                        Some(info) => (info.mtu as u32).saturating_sub(12 + 16 + 12),
                        None => o.maxseg,
                    },
                };
                write(value, len, v)
            }
            SCTP_DELAYED_SACK => {
                let mut v: sctp_sack_info = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.sack_assoc_id)?;
                v.sack_delay = o.association.sack_delay.as_millis() as u32;
                v.sack_freq = o.association.sack_freq;
                write(value, len, v)
            }
            SCTP_RTOINFO => {
                let mut v: sctp_rtoinfo = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.srto_assoc_id)?;
                v.srto_initial = o.association.rto_initial.as_millis() as u32;
                v.srto_max = o.association.rto_max.as_millis() as u32;
                v.srto_min = o.association.rto_min.as_millis() as u32;
                write(value, len, v)
            }
            SCTP_ASSOCINFO => {
                let mut v: sctp_assocparams = read(value, unsafe_len(len))?;
                let assoc = check_assoc(g, id, v.sasoc_assoc_id)?;
                let live = assoc.and_then(|a| g.endpoint()?.association(a));
                v.sasoc_asocmaxrxt = o.association.assoc_max_retrans as u16;
                v.sasoc_number_peer_destinations = live.map_or(0, |a| a.paths().len() as u16);
                v.sasoc_peer_rwnd = live.map_or(0, |a| a.peer_rwnd() as u32);
                v.sasoc_local_rwnd = o.association.receive_buffer;
                v.sasoc_cookie_life = o.association.valid_cookie_life.as_millis() as u32;
                write(value, len, v)
            }
            SCTP_INITMSG => write(
                value,
                len,
                sctp_initmsg {
                    sinit_num_ostreams: o.association.outbound_streams,
                    sinit_max_instreams: o.association.max_inbound_streams,
                    sinit_max_attempts: o.association.max_init_retransmits as u16,
                    sinit_max_init_timeo: o.association.init_rto_max.as_millis() as u16,
                },
            ),
            SCTP_ADAPTATION_LAYER => write(
                value,
                len,
                sctp_setadaptation {
                    ssb_adaptation_ind: o.association.adaptation.unwrap_or(0),
                },
            ),
            SCTP_REMOTE_UDP_ENCAPS_PORT => {
                let mut v: sctp_udpencaps = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.sue_assoc_id)?;
                v.sue_port = o.remote_udp_port.to_be();
                write(value, len, v)
            }
            SCTP_PEER_ADDR_PARAMS => {
                let mut v: sctp_paddrparams = read(value, unsafe_len(len))?;
                check_assoc(g, id, v.spp_assoc_id)?;
                let a = &o.association;
                v.spp_hbinterval = a.heartbeat_interval.map_or(0, |d| d.as_millis() as u32);
                v.spp_pathmaxrxt = a.path_max_retrans as u16;
                v.spp_pathmtu = a.mtu as u32;
                v.spp_flags = if a.heartbeat_interval.is_some() {
                    SPP_HB_ENABLE as u32
                } else {
                    SPP_HB_DISABLE as u32
                } | SPP_PMTUD_DISABLE as u32;
                write(value, len, v)
            }
            SCTP_GET_ASSOC_NUMBER => {
                if s.style == Style::OneToOne {
                    return Err(EINVAL);
                }
                write(value, len, g.associations_of(id).len() as u32)
            }
            SCTP_GET_ASSOC_ID_LIST => {
                if s.style == Style::OneToOne {
                    return Err(EINVAL);
                }
                let ids = g.associations_of(id);
                let need = 4 + 4 * ids.len();
                // SAFETY: `len` non-null (checked by the caller); `value` has `*len` bytes.
                unsafe {
                    if (*len as usize) < need {
                        return Err(EINVAL);
                    }
                    let p = value.cast::<u32>();
                    p.write_unaligned(ids.len() as u32);
                    for (i, a) in ids.iter().enumerate() {
                        p.add(1 + i).write_unaligned(*a);
                    }
                    *len = need as socklen_t;
                }
                Ok(())
            }
            SCTP_STATUS => {
                let requested = assoc_at(value, len, 0)?;
                let assoc = check_assoc(g, id, requested)?.ok_or(EINVAL)?;
                let a = g
                    .endpoint()
                    .and_then(|e| e.association(assoc))
                    .ok_or(EINVAL)?;
                let primary = a.paths().current();
                let status = sctp_status {
                    sstat_assoc_id: assoc,
                    sstat_state: state_code(a.state()),
                    sstat_rwnd: a.peer_rwnd() as u32,
                    sstat_unackdata: 0,
                    sstat_penddata: 0,
                    sstat_instrms: a.streams().1,
                    sstat_outstrms: a.streams().0,
                    sstat_fragmentation_point: (a.config().mtu as u32).saturating_sub(12 + 16 + 12),
                    sstat_primary: paddrinfo(g, assoc, primary, mapped).ok_or(EINVAL)?,
                };
                write(value, len, status)
            }
            SCTP_GET_PEER_ADDR_INFO => {
                let requested = assoc_at(value, len, 128)?;
                let assoc = check_assoc(g, id, requested)?.ok_or(EINVAL)?;
                let ss: libc::sockaddr_storage = read(value, unsafe_len(len))?;
                let want = addr::read((&ss as *const libc::sockaddr_storage).cast(), None)
                    .map_err(Errno)?;
                let a = g
                    .endpoint()
                    .and_then(|e| e.association(assoc))
                    .ok_or(EINVAL)?;
                let index = a
                    .paths()
                    .iter()
                    .position(|p| match (p.addr, want.addr) {
                        (crate::types::NetAddr::Ip(x), crate::types::NetAddr::Ip(y)) => {
                            x.ip() == y.ip()
                        }
                        (x, y) => x == y,
                    })
                    .ok_or(EINVAL)?;
                write(
                    value,
                    len,
                    paddrinfo(g, assoc, index, mapped).ok_or(EINVAL)?,
                )
            }
            _ => Err(Errno(libc::ENOPROTOOPT)),
        }
    })
}

/// The room `*len` announces (non-null: checked by the callers).
fn unsafe_len(len: *mut socklen_t) -> socklen_t {
    // SAFETY: non-null `socklen_t *`.
    unsafe { *len }
}
