//! The socket functions of the C API: checks and conversions around [`crate::stack::sockets`]
//! and [`crate::socket::Group`]. Socket options are in [`super::sockopt`].

use core::ffi::{c_int, c_uint, c_void};
use core::mem::size_of;
use std::sync::Arc;

use libc::{size_t, sockaddr, socklen_t, ssize_t};

use super::addr::{self, CAddr};
use super::boundary::{guard, set_errno};
use super::constants::*;
use super::types::{
    sctp_assoc_t, sctp_nxtinfo, sctp_prinfo, sctp_rcvinfo, sctp_recvv_rn, sctp_sendv_spa,
    sctp_sndinfo, sctp_sockstore, socket,
};
use crate::socket::{
    DataInfo, Delivery, Errno, Family, Group, NextInfo, SendInfo, SocketId, Style,
};
use crate::stack::sockets::{self, Hooks, PortSpace};
use crate::stack::{self};
use crate::tx::PrPolicy;
use crate::types::NetAddr;

/// The application's receive callback.
type ReceiveCb = unsafe extern "C" fn(
    sock: *mut socket,
    addr: sctp_sockstore,
    data: *mut c_void,
    datalen: size_t,
    rcv: sctp_rcvinfo,
    flags: c_int,
    ulp_info: *mut c_void,
) -> c_int;
/// The application's send callback.
type SendCb = unsafe extern "C" fn(sock: *mut socket, sb_free: u32, ulp_info: *mut c_void) -> c_int;
/// The application's upcall.
type UpcallFn = unsafe extern "C" fn(sock: *mut socket, arg: *mut c_void, events: c_int);

const MSG_NOTIFICATION: c_int = 0x2000;
/// The wait flag libusrsctp passes to upcalls (M_NOWAIT).
const M_NOWAIT: c_int = 0x0001;

/// The handle C code holds for socket `id`: never dereferenced, only compared and passed back.
/// Ids are never reused, so a stale handle finds no socket (EBADF) instead of another one.
pub(super) fn handle_of(id: SocketId) -> *mut socket {
    ((id as usize) << 4) as *mut socket
}

/// The socket id of a handle; EBADF for NULL.
pub(super) fn id_of(so: *mut socket) -> Result<SocketId, Errno> {
    if so.is_null() || (so as usize) & 0xf != 0 {
        return Err(Errno(libc::EBADF));
    }
    Ok((so as usize >> 4) as SocketId)
}

/// Runs `f`, turning `Err(errno)` into `fail` with errno set.
pub(super) fn c_result<T: Copy>(fail: T, f: impl FnOnce() -> Result<T, Errno>) -> T {
    guard(fail, || {
        f().unwrap_or_else(|Errno(e)| {
            set_errno(e);
            fail
        })
    })
}

/// Creates a socket of `domain` (AF_INET, AF_INET6, AF_CONN) and `type` (SOCK_STREAM or
/// SOCK_SEQPACKET); with `receive_cb` set, received data is delivered by callback.
#[no_mangle]
pub extern "C" fn usrsctp_socket(
    domain: c_int,
    r#type: c_int,
    protocol: c_int,
    receive_cb: Option<
        unsafe extern "C" fn(
            sock: *mut socket,
            addr: sctp_sockstore,
            data: *mut c_void,
            datalen: size_t,
            rcv: sctp_rcvinfo,
            flags: c_int,
            ulp_info: *mut c_void,
        ) -> c_int,
    >,
    send_cb: Option<
        unsafe extern "C" fn(sock: *mut socket, sb_free: u32, ulp_info: *mut c_void) -> c_int,
    >,
    sb_threshold: u32,
    ulp_info: *mut c_void,
) -> *mut socket {
    c_result(core::ptr::null_mut(), || {
        if !stack::is_running() {
            return Err(Errno(libc::EPERM));
        }
        let family = match domain {
            libc::AF_INET => Family::Inet,
            libc::AF_INET6 => Family::Inet6,
            AF_CONN => Family::Conn,
            _ => return Err(Errno(libc::EINVAL)),
        };
        let style = match r#type {
            libc::SOCK_STREAM => Style::OneToOne,
            libc::SOCK_SEQPACKET => Style::OneToMany,
            _ => return Err(Errno(libc::EINVAL)),
        };
        if protocol != 0 && protocol != IPPROTO_SCTP {
            return Err(Errno(libc::EINVAL));
        }
        // The send callback, its threshold and ulp_info go with a receive callback.
        if receive_cb.is_none() && (send_cb.is_some() || sb_threshold != 0 || !ulp_info.is_null()) {
            return Err(Errno(libc::EINVAL));
        }
        let hooks = Hooks {
            receive: receive_cb.map(|cb| receive_hook(cb, family)),
            send: send_cb.map(|cb| (send_hook(cb), sb_threshold)),
            upcall: None,
            ulp_info: ulp_info as usize,
        };
        Ok(handle_of(sockets::create(family, style, hooks)))
    })
}

const IPPROTO_SCTP: c_int = 132;

fn receive_hook(cb: ReceiveCb, family: Family) -> sockets::ReceiveHook {
    Arc::new(move |id, delivery, ulp| {
        // SAFETY: zero is a valid value of these plain C structures.
        let (mut store, mut rcv): (sctp_sockstore, sctp_rcvinfo) =
            unsafe { (core::mem::zeroed(), core::mem::zeroed()) };
        let (bytes, flags) = match delivery {
            None => (None, 0),
            Some(Delivery::Data(d)) => {
                let info = d.info();
                store = addr::to_sockstore(info.from, info.peer_port, family == Family::Inet6).0;
                rcv = rcvinfo(&info);
                let flags = if d.complete { libc::MSG_EOR } else { 0 };
                (Some(d.payload), flags)
            }
            Some(Delivery::Notification { assoc, bytes }) => {
                rcv.rcv_assoc_id = assoc;
                (Some(bytes), MSG_NOTIFICATION | libc::MSG_EOR)
            }
        };
        let (data, len) = match bytes {
            // The application frees the buffer with free(), so it comes from malloc.
            Some(b) => (malloc_copy(&b), b.len()),
            None => (core::ptr::null_mut(), 0),
        };
        // SAFETY: `cb` is the application's receive callback, called as its prototype says;
        // it owns `data` from now on.
        unsafe {
            cb(
                handle_of(id),
                store,
                data,
                len,
                rcv,
                flags,
                ulp as *mut c_void,
            );
        }
    })
}

fn malloc_copy(bytes: &[u8]) -> *mut c_void {
    // SAFETY: a fresh allocation of at least one byte, filled with `bytes`.
    unsafe {
        let p = libc::malloc(bytes.len().max(1));
        if !p.is_null() {
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), p.cast::<u8>(), bytes.len());
        }
        p
    }
}

fn send_hook(cb: SendCb) -> sockets::SendHook {
    Arc::new(move |id, free, ulp| {
        // SAFETY: the application's send callback, called as its prototype says.
        unsafe {
            cb(handle_of(id), free, ulp as *mut c_void);
        }
    })
}

pub(super) fn rcvinfo(info: &DataInfo) -> sctp_rcvinfo {
    sctp_rcvinfo {
        rcv_sid: info.stream,
        rcv_ssn: info.ssn,
        rcv_flags: if info.unordered {
            SCTP_UNORDERED as u16
        } else {
            0
        },
        rcv_ppid: info.ppid.to_be(),
        rcv_tsn: info.tsn,
        rcv_cumtsn: 0,
        rcv_context: info.context,
        rcv_assoc_id: info.assoc,
    }
}

fn nxtinfo(next: &NextInfo) -> sctp_nxtinfo {
    let mut flags = 0u16;
    if next.unordered {
        flags |= SCTP_UNORDERED as u16;
    }
    if next.notification {
        flags |= SCTP_NOTIFICATION as u16;
    }
    if next.complete {
        flags |= SCTP_COMPLETE as u16;
    }
    sctp_nxtinfo {
        nxt_sid: next.stream,
        nxt_flags: flags,
        nxt_ppid: next.ppid.to_be(),
        nxt_length: next.length as u32,
        nxt_assoc_id: next.assoc,
    }
}

/// The family and UDP encapsulation port of a socket.
fn socket_family(id: SocketId) -> Result<(Family, u16, bool), Errno> {
    sockets::query(id, |g, id| {
        g.socket(id).map(|s| {
            (
                s.family,
                s.options.remote_udp_port,
                s.family == Family::Inet6 && s.options.mapped_v4,
            )
        })
    })?
    .ok_or(Errno(libc::EBADF))
}

/// Checks that an address of `a.family` suits a socket of `family`.
fn check_family(family: Family, a: &CAddr) -> Result<(), Errno> {
    let ok = match family {
        Family::Conn => a.family == AF_CONN,
        Family::Inet => a.family == libc::AF_INET,
        Family::Inet6 => a.family == libc::AF_INET6 || a.family == libc::AF_INET,
    };
    if ok {
        Ok(())
    } else {
        Err(Errno(libc::EINVAL))
    }
}

/// Binds a socket that is not bound yet to a free port.
fn ensure_bound(id: SocketId, family: Family) -> Result<(), Errno> {
    let bound = sockets::with(id, |g, id, _| g.is_bound(id))?;
    if !bound {
        sockets::bind(id, PortSpace::of(family, None), 0)?;
    }
    Ok(())
}

/// Binds a socket to a local address and port (RFC 6458 §3.1.2).
#[no_mangle]
pub extern "C" fn usrsctp_bind(so: *mut socket, name: *mut sockaddr, namelen: socklen_t) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let (family, _, _) = socket_family(id)?;
        let mut a = addr::read(name, Some(namelen)).map_err(Errno)?;
        if family == Family::Conn && a.family != AF_CONN {
            // libusrsctp binds an AF_CONN socket to the port of any address it is given.
            a = CAddr {
                family: AF_CONN,
                addr: NetAddr::Conn(0),
                port: a.port,
            };
        }
        check_family(family, &a)?;
        if sockets::query(id, |g, id| g.is_bound(id))? {
            return Err(Errno(libc::EINVAL));
        }
        if let NetAddr::Conn(p) = a.addr {
            if p != 0 && !stack::is_conn_address_registered(p as usize) {
                return Err(Errno(libc::EADDRNOTAVAIL));
            }
        }
        sockets::bind(id, PortSpace::of(family, Some(a.addr)), a.port)?;
        sockets::with(id, |g, id, _| {
            if let Some(s) = g.socket_mut(id) {
                s.local_addr = Some(a.addr);
            }
        })?;
        Ok(0)
    })
}

/// Adds (SCTP_BINDX_ADD_ADDR) or removes addresses of a bound socket (RFC 6458 §9.1).
#[no_mangle]
pub extern "C" fn usrsctp_bindx(
    so: *mut socket,
    addrs: *mut sockaddr,
    addrcnt: c_int,
    flags: c_int,
) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        if addrs.is_null() || addrcnt <= 0 {
            return Err(Errno(libc::EINVAL));
        }
        if flags != SCTP_BINDX_ADD_ADDR && flags != SCTP_BINDX_REM_ADDR {
            return Err(Errno(libc::EFAULT));
        }
        let (family, _, _) = socket_family(id)?;
        let first = addr::read(addrs, None).map_err(Errno)?;
        if first.family == AF_CONN {
            return Err(Errno(libc::EAFNOSUPPORT));
        }
        let (bound, local) = sockets::query(id, |g, id| {
            (g.is_bound(id), g.socket(id).and_then(|s| s.local_addr))
        })?;
        let added = super::sockopt::asconf::added_address(id, first.addr);
        if flags == SCTP_BINDX_REM_ADDR && local != Some(first.addr) && !added {
            return Err(Errno(libc::EADDRNOTAVAIL));
        }
        check_family(family, &first)?;
        if flags == SCTP_BINDX_ADD_ADDR && !bound {
            sockets::bind(id, PortSpace::of(family, Some(first.addr)), first.port)?;
            sockets::with(id, |g, id, _| {
                if let Some(s) = g.socket_mut(id) {
                    s.local_addr = Some(first.addr);
                }
            })?;
        } else {
            // A bound socket: its associations tell their peers (ASCONF, RFC 5061).
            super::sockopt::asconf::bindx_changed(
                id,
                flags == SCTP_BINDX_ADD_ADDR,
                first.addr,
                local,
            )?;
        }
        Ok(0)
    })
}

/// Lets a socket accept associations (RFC 6458 §3.1.3, §4.1.3).
#[no_mangle]
pub extern "C" fn usrsctp_listen(so: *mut socket, backlog: c_int) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let (family, _, _) = socket_family(id)?;
        ensure_bound(id, family)?;
        sockets::with(id, |g, id, _| g.listen(id, backlog >= 0))??;
        Ok(0)
    })
}

/// Takes the next association set up with a listening one-to-one socket, as a new socket.
#[no_mangle]
pub extern "C" fn usrsctp_accept(
    so: *mut socket,
    aname: *mut sockaddr,
    anamelen: *mut socklen_t,
) -> *mut socket {
    c_result(core::ptr::null_mut(), || {
        let id = id_of(so)?;
        let (_, _, mapped) = socket_family(id)?;
        let (new_id, assoc) = sockets::spawn(id, |g, id, new_id, _| g.accept(id, new_id))?;
        let peer = sockets::with(new_id, |g, _, _| peer_of(g, assoc))?;
        if let Some((a, port)) = peer {
            addr::write(a, port, mapped, aname, anamelen);
        }
        Ok(handle_of(new_id))
    })
}

/// The primary address and port of the peer of `assoc`.
fn peer_of(g: &Group, assoc: u32) -> Option<(NetAddr, u16)> {
    let a = g.endpoint()?.association(assoc)?;
    Some((a.primary_address(), a.peer_port()))
}

/// Branches association `id` of a one-to-many socket off into a one-to-one socket.
#[no_mangle]
pub extern "C" fn usrsctp_peeloff(so: *mut socket, id: sctp_assoc_t) -> *mut socket {
    c_result(core::ptr::null_mut(), || {
        let sid = id_of(so)?;
        let (new_id, ()) = sockets::spawn(sid, |g, sid, new_id, _| g.peeloff(sid, id, new_id))?;
        Ok(handle_of(new_id))
    })
}

/// Sets up an association with the peer at `name` (RFC 6458 §3.1.5, §4.1.6).
#[no_mangle]
pub extern "C" fn usrsctp_connect(
    so: *mut socket,
    name: *mut sockaddr,
    namelen: socklen_t,
) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let a = addr::read(name, Some(namelen)).map_err(Errno)?;
        connect(id, &[a])
    })
}

fn connect(id: SocketId, addrs: &[CAddr]) -> Result<c_int, Errno> {
    let (family, udp_port, _) = socket_family(id)?;
    let first = *addrs.first().ok_or(Errno(libc::EINVAL))?;
    for a in addrs {
        check_family(family, a)?;
    }
    if first.is_wildcard() {
        return Err(Errno(if family == Family::Conn {
            libc::EINVAL
        } else {
            libc::EADDRNOTAVAIL
        }));
    }
    ensure_bound(id, family)?;
    let remote = first.with_udp_port(udp_port);
    let assoc = sockets::with(id, |g, id, now| g.connect(id, now, remote, first.port))??;
    let non_blocking = sockets::with(id, |g, id, _| {
        g.socket(id).is_some_and(|s| s.options.non_blocking)
    })?;
    if non_blocking {
        return Err(Errno(libc::EINPROGRESS));
    }
    let style = sockets::with(id, |g, id, _| g.socket(id).map(|s| s.style))?;
    sockets::blocking(id, |g, id, _| match style {
        Some(Style::OneToOne) => match g.connect_status(id)? {
            true => Ok(0),
            false => Err(Errno(libc::EWOULDBLOCK)),
        },
        _ => match g.association_state(assoc) {
            Some(crate::assoc::State::CookieWait | crate::assoc::State::CookieEchoed) => {
                Err(Errno(libc::EWOULDBLOCK))
            }
            Some(crate::assoc::State::Closed) | None => Err(Errno(libc::ECONNREFUSED)),
            Some(_) => Ok(0),
        },
    })
}

/// Sets up an association with a peer that has several addresses (RFC 6458 §9.9).
#[no_mangle]
pub extern "C" fn usrsctp_connectx(
    so: *mut socket,
    addrs: *const sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    c_result(-1, || {
        let sid = id_of(so)?;
        if addrs.is_null() || addrcnt <= 0 {
            return Err(Errno(libc::EINVAL));
        }
        let list = read_packed(addrs, addrcnt)?;
        if list.iter().any(|a| a.family == AF_CONN) {
            return Err(Errno(libc::EINVAL));
        }
        let r = connect(sid, &list);
        if !id.is_null() && matches!(r, Ok(_) | Err(Errno(libc::EINPROGRESS))) {
            let assoc = sockets::with(sid, |g, sid, _| {
                g.socket(sid).and_then(|s| s.association()).unwrap_or(0)
            })?;
            // SAFETY: `id` is non-null and points to an `sctp_assoc_t` (caller's contract).
            unsafe { *id = assoc };
        }
        match r {
            Err(Errno(libc::EINPROGRESS)) => Err(Errno(libc::EINPROGRESS)),
            r => r,
        }
    })
}

/// Reads `count` addresses packed one after the other (each its own size).
fn read_packed(addrs: *const sockaddr, count: c_int) -> Result<Vec<CAddr>, Errno> {
    let mut list = Vec::new();
    let mut at = addrs.cast::<u8>();
    for _ in 0..count {
        let a = addr::read(at.cast(), None).map_err(Errno)?;
        // SAFETY: the caller packs `count` addresses; the family told this one's size.
        at = unsafe { at.add(addr::len_of(a.family)) };
        list.push(a);
    }
    Ok(list)
}

/// Closes a socket. Its associations shut down gracefully (abort with SO_LINGER 0).
#[no_mangle]
pub extern "C" fn usrsctp_close(so: *mut socket) {
    c_result((), || sockets::close(id_of(so)?))
}

/// The association of a one-to-many socket with the peer at `sa`; 0 if none.
#[no_mangle]
pub extern "C" fn usrsctp_getassocid(so: *mut socket, sa: *mut sockaddr) -> sctp_assoc_t {
    c_result(0, || {
        let id = id_of(so)?;
        let (_, udp_port, _) = socket_family(id)?;
        let a = addr::read(sa, None).map_err(Errno)?;
        let remote = a.with_udp_port(udp_port);
        let found = sockets::with(id, |g, id, _| {
            g.find_association(id, remote, a.port).or_else(|| {
                g.socket(id).and_then(|s| s.association()).filter(|x| {
                    peer_of(g, *x).is_some_and(|(p, port)| p == remote && port == a.port)
                })
            })
        })?;
        Ok(found.unwrap_or(0))
    })
}

/// Shuts down reading (SHUT_RD), writing (SHUT_WR: graceful SCTP shutdown) or both.
#[no_mangle]
pub extern "C" fn usrsctp_shutdown(so: *mut socket, how: c_int) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let (read, write) = match how {
            libc::SHUT_RD => (true, false),
            libc::SHUT_WR => (false, true),
            libc::SHUT_RDWR => (true, true),
            _ => return Err(Errno(libc::EINVAL)),
        };
        sockets::with(id, |g, id, now| g.shutdown(id, now, read, write))??;
        Ok(0)
    })
}

/// Hands the stack a packet received for the AF_CONN address `addr`.
#[no_mangle]
pub extern "C" fn usrsctp_conninput(
    addr: *mut c_void,
    buffer: *const c_void,
    length: size_t,
    ecn_bits: u8,
) {
    guard((), || {
        if buffer.is_null() || length == 0 || !stack::is_running() {
            return;
        }
        // SAFETY: the application passes `length` readable bytes at `buffer`.
        let packet = unsafe { core::slice::from_raw_parts(buffer.cast::<u8>(), length) };
        stack::io::conn_input(
            addr as usize,
            packet,
            crate::types::Ecn::from_bits(ecn_bits),
        );
    })
}

/// Makes a socket non-blocking (`onoff` != 0) or blocking.
#[no_mangle]
pub extern "C" fn usrsctp_set_non_blocking(so: *mut socket, onoff: c_int) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        sockets::with(id, |g, id, _| {
            g.socket_mut(id)
                .map(|s| s.options.non_blocking = onoff != 0)
                .ok_or(Errno(libc::EBADF))
        })??;
        Ok(0)
    })
}

/// 1 for a non-blocking socket, 0 for a blocking one.
#[no_mangle]
pub extern "C" fn usrsctp_get_non_blocking(so: *mut socket) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        sockets::with(id, |g, id, _| {
            g.socket(id).map(|s| s.options.non_blocking as c_int)
        })?
        .ok_or(Errno(libc::EBADF))
    })
}

/// Registers an AF_CONN address (the application's pointer) with the stack.
#[no_mangle]
pub extern "C" fn usrsctp_register_address(addr: *mut c_void) {
    guard((), || stack::register_conn_address(addr as usize))
}

/// Forgets an AF_CONN address.
#[no_mangle]
pub extern "C" fn usrsctp_deregister_address(addr: *mut c_void) {
    guard((), || stack::deregister_conn_address(addr as usize))
}

/// Sets the pointer handed to the socket's callbacks.
#[no_mangle]
pub extern "C" fn usrsctp_set_ulpinfo(so: *mut socket, ulp_info: *mut c_void) -> c_int {
    // 1 when done, 0 when not (libusrsctp's convention for these two).
    c_result(0, || {
        let hooks = sockets::hooks(id_of(so)?)?;
        hooks.lock().ulp_info = ulp_info as usize;
        Ok(1)
    })
}

/// Reads a socket's `ulp_info` pointer.
#[no_mangle]
pub extern "C" fn usrsctp_get_ulpinfo(so: *mut socket, pulp_info: *mut *mut c_void) -> c_int {
    c_result(0, || {
        let hooks = sockets::hooks(id_of(so)?)?;
        if pulp_info.is_null() {
            return Err(Errno(libc::EINVAL));
        }
        // SAFETY: non-null, points to a `void *` (caller's contract).
        unsafe { *pulp_info = hooks.lock().ulp_info as *mut c_void };
        Ok(1)
    })
}

/// Installs the function called when the socket's readiness changes.
#[no_mangle]
pub extern "C" fn usrsctp_set_upcall(
    so: *mut socket,
    upcall: Option<unsafe extern "C" fn(sock: *mut socket, arg: *mut c_void, events: c_int)>,
    arg: *mut c_void,
) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let hooks = sockets::hooks(id)?;
        let arg = arg as usize;
        hooks.lock().upcall = upcall.map(|f: UpcallFn| {
            Arc::new(move |id: SocketId| {
                // SAFETY: the application's upcall with the argument it registered.
                unsafe { f(handle_of(id), arg as *mut c_void, M_NOWAIT) }
            }) as sockets::Upcall
        });
        Ok(0)
    })
}

/// Returns the socket's current readiness as `SCTP_EVENT_*` bits.
#[no_mangle]
pub extern "C" fn usrsctp_get_events(so: *mut socket) -> c_int {
    c_result(-1, || {
        let id = id_of(so)?;
        let r = sockets::with(id, |g, id, _| {
            g.socket(id)
                .map(|_| g.readiness(id))
                .ok_or(Errno(libc::EBADF))
        })??;
        let mut events = 0;
        if r.read {
            events |= SCTP_EVENT_READ;
        }
        if r.write {
            events |= SCTP_EVENT_WRITE;
        }
        if r.error {
            events |= SCTP_EVENT_ERROR;
        }
        Ok(events)
    })
}

/// The peer addresses of association `id` (one-to-one: the socket's), in a malloc'ed array;
/// returns their number. Free with `usrsctp_freepaddrs`.
#[no_mangle]
pub extern "C" fn usrsctp_getpaddrs(
    so: *mut socket,
    id: sctp_assoc_t,
    raddrs: *mut *mut sockaddr,
) -> c_int {
    c_result(-1, || {
        let sid = id_of(so)?;
        if raddrs.is_null() {
            return Err(Errno(libc::EFAULT));
        }
        let (_, _, mapped) = socket_family(sid)?;
        let list = sockets::query(sid, |g, sid| {
            let one_to_many = g.socket(sid).is_some_and(|s| s.style == Style::OneToMany);
            let missing = Errno(if one_to_many {
                libc::ENOENT
            } else {
                libc::ENOTCONN
            });
            let assoc = g.association_of(sid, id).ok_or(missing)?;
            let a = g
                .endpoint()
                .and_then(|e| e.association(assoc))
                .ok_or(missing)?;
            Ok(a.paths()
                .iter()
                .map(|p| (p.addr, a.peer_port()))
                .collect::<Vec<_>>())
        })??;
        write_list(raddrs, &list, mapped)
    })
}

fn write_list(
    out: *mut *mut sockaddr,
    list: &[(NetAddr, u16)],
    mapped: bool,
) -> Result<c_int, Errno> {
    let p = addr::malloc_list(list, mapped);
    // SAFETY: non-null (checked by the callers), points to a `struct sockaddr *`.
    unsafe { *out = p };
    Ok(if p.is_null() { 0 } else { list.len() as c_int })
}

/// Frees a list from `usrsctp_getpaddrs`.
#[no_mangle]
pub extern "C" fn usrsctp_freepaddrs(addrs: *mut sockaddr) {
    free_address_list(addrs)
}

/// The local addresses of a socket (or of association `id`), in a malloc'ed array; returns
/// their number. Free with `usrsctp_freeladdrs`.
#[no_mangle]
pub extern "C" fn usrsctp_getladdrs(
    so: *mut socket,
    id: sctp_assoc_t,
    raddrs: *mut *mut sockaddr,
) -> c_int {
    c_result(-1, || {
        let sid = id_of(so).map_err(|_| Errno(libc::ENOMEM))?;
        if raddrs.is_null() {
            return Err(Errno(libc::EFAULT));
        }
        // Every association of the socket has the socket's local address (one per socket:
        // bindx adds none yet), so `id` selects nothing.
        let _ = id;
        let (_, _, mapped) = socket_family(sid)?;
        let list = sockets::with(sid, |g, sid, _| {
            let port = g.local_port()?;
            let a = g.socket(sid)?.local_addr.unwrap_or(NetAddr::Conn(0));
            Some(vec![(a, port)])
        })?
        .ok_or(Errno(libc::ENOTCONN))?;
        write_list(raddrs, &list, mapped)
    })
}

/// Frees a list from `usrsctp_getladdrs`.
#[no_mangle]
pub extern "C" fn usrsctp_freeladdrs(addrs: *mut sockaddr) {
    free_address_list(addrs)
}

/// Address lists are allocated with the C allocator, as libusrsctp does, so that `free` works.
fn free_address_list(addrs: *mut sockaddr) {
    // SAFETY: `addrs` is NULL or a list this library allocated with malloc.
    unsafe { libc::free(addrs.cast()) }
}

/// Sends a message (RFC 6458 §9.12).
#[no_mangle]
pub extern "C" fn usrsctp_sendv(
    so: *mut socket,
    data: *const c_void,
    len: size_t,
    to: *mut sockaddr,
    addrcnt: c_int,
    info: *mut c_void,
    infolen: socklen_t,
    infotype: c_uint,
    flags: c_int,
) -> ssize_t {
    c_result(-1, || {
        let id = id_of(so)?;
        // The MSG_* flags are not interpreted (non-blocking is the socket's setting).
        let _ = flags;
        if data.is_null() && len > 0 {
            return Err(Errno(libc::EFAULT));
        }
        let (family, udp_port, _) = socket_family(id)?;
        let to = if to.is_null() {
            None
        } else {
            if addrcnt < 1 {
                return Err(Errno(libc::EINVAL));
            }
            let a = addr::read(to, None).map_err(Errno)?;
            check_family(family, &a)?;
            Some((a.with_udp_port(udp_port), a.port))
        };
        // A one-to-one socket's association may have settings of its own.
        let defaults = sockets::query(id, |g, id| {
            g.socket(id)
                .map(|s| s.options.default_send_for(s.association().unwrap_or(0)))
        })?
        .ok_or(Errno(libc::EBADF))?;
        let mut snd = sctp_sndinfo {
            snd_sid: defaults.stream,
            snd_flags: defaults.flags,
            snd_ppid: defaults.ppid_raw,
            snd_context: defaults.context,
            snd_assoc_id: 0,
        };
        let mut pr = sctp_prinfo {
            pr_policy: defaults.pr_policy,
            pr_value: defaults.pr_value,
        };
        read_send_info(info, infolen, infotype, &mut snd, &mut pr)?;
        if to.is_some() {
            ensure_bound(id, family)?;
        }
        // SAFETY: `len` readable bytes at `data` (caller's contract); empty when NULL.
        let payload: &[u8] = if data.is_null() {
            &[]
        } else {
            unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len) }
        };
        let flags = c_int::from(snd.snd_flags);
        const KNOWN_FLAGS: c_int = SCTP_UNORDERED
            | SCTP_EOF
            | SCTP_ABORT
            | SCTP_SENDALL
            | SCTP_EOR
            | SCTP_ADDR_OVER
            | SCTP_SACK_IMMEDIATELY;
        if flags & !KNOWN_FLAGS != 0 {
            return Err(Errno(libc::EINVAL));
        }
        let send = SendInfo {
            stream: snd.snd_sid,
            ppid: u32::from_be(snd.snd_ppid),
            context: snd.snd_context,
            unordered: flags & SCTP_UNORDERED != 0,
            eof: flags & SCTP_EOF != 0,
            abort: flags & SCTP_ABORT != 0,
            eor: flags & SCTP_EOR != 0,
            send_all: flags & SCTP_SENDALL != 0,
            sack_immediately: flags & SCTP_SACK_IMMEDIATELY != 0,
            pr: PrPolicy::Reliable,
            assoc: snd.snd_assoc_id,
        };
        // As PR_SCTP_POLICY / PR_SCTP_INVALID_POLICY: the low four bits name the policy.
        let policy = c_int::from(pr.pr_policy) & 0x0f;
        if policy > SCTP_PR_SCTP_RTX {
            return Err(Errno(libc::EINVAL));
        }
        // As in libusrsctp, a socket with a receive callback never blocks in send: a full
        // send buffer is EWOULDBLOCK (the send callback says when there is room again).
        let callback_socket = sockets::has_receive_hook(id)?;
        let send_once = |g: &mut Group, id: SocketId, now: crate::types::Instant| {
            let mut send = send;
            send.pr = match policy {
                SCTP_PR_SCTP_TTL if pr.pr_value > 0 => PrPolicy::Ttl {
                    expires: now + std::time::Duration::from_millis(u64::from(pr.pr_value)),
                },
                SCTP_PR_SCTP_RTX => PrPolicy::Rtx {
                    max_retransmissions: pr.pr_value,
                },
                SCTP_PR_SCTP_BUF => PrPolicy::Buf {
                    priority: pr.pr_value,
                },
                _ => PrPolicy::Reliable,
            };
            g.send(id, now, to, &send, payload)
        };
        let sent = if callback_socket {
            sockets::with(id, send_once)??
        } else {
            sockets::blocking(id, send_once)?
        };
        Ok(sent as ssize_t)
    })
}

/// Reads the `info` of `usrsctp_sendv` into `snd` and `pr`.
fn read_send_info(
    info: *mut c_void,
    infolen: socklen_t,
    infotype: c_uint,
    snd: &mut sctp_sndinfo,
    pr: &mut sctp_prinfo,
) -> Result<(), Errno> {
    let need = match infotype as c_int {
        SCTP_SENDV_NOINFO if info.is_null() && infolen == 0 => return Ok(()),
        SCTP_SENDV_NOINFO => return Err(Errno(libc::EINVAL)),
        SCTP_SENDV_SNDINFO => size_of::<sctp_sndinfo>(),
        SCTP_SENDV_PRINFO => size_of::<sctp_prinfo>(),
        SCTP_SENDV_AUTHINFO => 2,
        SCTP_SENDV_SPA => size_of::<sctp_sendv_spa>(),
        _ => return Err(Errno(libc::EINVAL)),
    };
    if info.is_null() || (infolen as usize) < need {
        return Err(Errno(libc::EINVAL));
    }
    // SAFETY: `info` is non-null with at least `need` bytes of the structure `infotype` names.
    unsafe {
        match infotype as c_int {
            SCTP_SENDV_SNDINFO => *snd = core::ptr::read_unaligned(info.cast::<sctp_sndinfo>()),
            SCTP_SENDV_PRINFO => *pr = core::ptr::read_unaligned(info.cast::<sctp_prinfo>()),
            SCTP_SENDV_SPA => {
                let spa = core::ptr::read_unaligned(info.cast::<sctp_sendv_spa>());
                if spa.sendv_flags & SCTP_SEND_SNDINFO_VALID as u32 != 0 {
                    *snd = spa.sendv_sndinfo;
                }
                if spa.sendv_flags & SCTP_SEND_PRINFO_VALID as u32 != 0 {
                    *pr = spa.sendv_prinfo;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Receives a message or notification (RFC 6458 §9.13).
#[no_mangle]
pub extern "C" fn usrsctp_recvv(
    so: *mut socket,
    dbuf: *mut c_void,
    len: size_t,
    from: *mut sockaddr,
    fromlen: *mut socklen_t,
    info: *mut c_void,
    infolen: *mut socklen_t,
    infotype: *mut c_uint,
    msg_flags: *mut c_int,
) -> ssize_t {
    c_result(-1, || {
        let id = id_of(so)?;
        if dbuf.is_null() && len > 0 {
            return Err(Errno(libc::EFAULT));
        }
        if infotype.is_null() || msg_flags.is_null() {
            return Err(Errno(libc::EINVAL));
        }
        let (_, _, mapped) = socket_family(id)?;
        // SAFETY: `len` writable bytes at `dbuf` (caller's contract).
        let buf: &mut [u8] = if dbuf.is_null() {
            &mut []
        } else {
            unsafe { core::slice::from_raw_parts_mut(dbuf.cast::<u8>(), len) }
        };
        let mut options = (false, false);
        let got = sockets::blocking(id, |g, id, _| {
            options = g.socket(id).map_or((false, false), |s| {
                (s.options.recv_rcvinfo, s.options.recv_nxtinfo)
            });
            g.recv(id, buf)
        })?;
        let Some(got) = got else {
            // End of file.
            write_flags(msg_flags, 0);
            return Ok(0);
        };
        let mut flags = 0;
        if got.eor {
            flags |= libc::MSG_EOR;
        }
        if got.data.is_none() {
            flags |= MSG_NOTIFICATION;
        }
        write_flags(msg_flags, flags);
        if let Some(d) = got.data.as_ref() {
            addr::write(d.from, d.peer_port, mapped, from, fromlen);
        } else if !fromlen.is_null() {
            // SAFETY: non-null `socklen_t *`.
            unsafe { *fromlen = 0 };
        }
        write_recv_info(info, infolen, infotype, options, &got)?;
        Ok(got.len as ssize_t)
    })
}

fn write_flags(msg_flags: *mut c_int, flags: c_int) {
    if !msg_flags.is_null() {
        // SAFETY: non-null `int *` (caller's contract).
        unsafe { *msg_flags = flags };
    }
}

/// Fills the `info` of `usrsctp_recvv` as SCTP_RECVRCVINFO and SCTP_RECVNXTINFO ask.
fn write_recv_info(
    info: *mut c_void,
    infolen: *mut socklen_t,
    infotype: *mut c_uint,
    (want_rcv, want_nxt): (bool, bool),
    got: &crate::socket::Received,
) -> Result<(), Errno> {
    if info.is_null() || infolen.is_null() {
        // SAFETY: `infotype` was checked non-null by the caller.
        unsafe { *infotype = SCTP_RECVV_NOINFO as c_uint };
        return Ok(());
    }
    // SAFETY: all three pointers are non-null; `info` has `*infolen` bytes of room.
    unsafe {
        let room = *infolen as usize;
        let rcv = got.data.as_ref().filter(|_| want_rcv).map(rcvinfo);
        let nxt = got.next.as_ref().filter(|_| want_nxt).map(nxtinfo);
        match (rcv, nxt) {
            (Some(r), Some(n)) if room >= size_of::<sctp_recvv_rn>() => {
                info.cast::<sctp_recvv_rn>().write_unaligned(sctp_recvv_rn {
                    recvv_rcvinfo: r,
                    recvv_nxtinfo: n,
                });
                *infolen = size_of::<sctp_recvv_rn>() as socklen_t;
                *infotype = SCTP_RECVV_RN as c_uint;
            }
            (Some(r), _) if room >= size_of::<sctp_rcvinfo>() => {
                info.cast::<sctp_rcvinfo>().write_unaligned(r);
                *infolen = size_of::<sctp_rcvinfo>() as socklen_t;
                *infotype = SCTP_RECVV_RCVINFO as c_uint;
            }
            (None, Some(n)) if room >= size_of::<sctp_nxtinfo>() => {
                info.cast::<sctp_nxtinfo>().write_unaligned(n);
                *infolen = size_of::<sctp_nxtinfo>() as socklen_t;
                *infotype = SCTP_RECVV_NXTINFO as c_uint;
            }
            _ => {
                *infolen = 0;
                *infotype = SCTP_RECVV_NOINFO as c_uint;
            }
        }
    }
    Ok(())
}
