//! Socket addresses between C (`sockaddr_in`, `sockaddr_in6`, `sockaddr_conn`) and Rust.
//!
//! In the stack an IP peer is a `NetAddr::Ip` whose port is the UDP encapsulation port (0 for
//! SCTP directly over IP); the SCTP port travels beside it. In C the port of a socket address is
//! the SCTP port.

use core::ffi::c_void;
use core::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use libc::{sockaddr, sockaddr_in, sockaddr_in6, socklen_t};

use super::constants::AF_CONN;
use super::types::{sctp_sockstore, sockaddr_conn};
use crate::types::NetAddr;

/// A peer or local address as C gives it: where, and the SCTP port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CAddr {
    pub family: i32,
    /// For IP the address with port 0; for AF_CONN the application's pointer.
    pub addr: NetAddr,
    pub port: u16,
}

impl CAddr {
    /// The address with `udp_port` as its transport port (IP only).
    pub fn with_udp_port(self, udp_port: u16) -> NetAddr {
        match self.addr {
            NetAddr::Ip(sa) => NetAddr::Ip(SocketAddr::new(sa.ip(), udp_port)),
            conn => conn,
        }
    }

    pub fn is_wildcard(&self) -> bool {
        match self.addr {
            NetAddr::Ip(sa) => sa.ip().is_unspecified(),
            NetAddr::Conn(p) => p == 0,
        }
    }
}

/// The size of the C structure for an address of `family`.
pub fn len_of(family: i32) -> usize {
    match family {
        libc::AF_INET => size_of::<sockaddr_in>(),
        libc::AF_INET6 => size_of::<sockaddr_in6>(),
        AF_CONN => size_of::<sockaddr_conn>(),
        _ => 0,
    }
}

/// Reads the address at `sa`, `len` bytes long (`None`: no length check beyond the family's).
/// `Err(errno)` for NULL, a short length or an unknown family.
pub fn read(sa: *const sockaddr, len: Option<socklen_t>) -> Result<CAddr, i32> {
    if sa.is_null() {
        return Err(libc::EINVAL);
    }
    if len.is_some_and(|l| l as usize > size_of::<libc::sockaddr_storage>()) {
        return Err(libc::ENAMETOOLONG);
    }
    // SAFETY: `sa` is non-null and points at least to a `sockaddr` header (the caller's
    // contract); the family decides how much more is read, checked against `len`.
    let family = i32::from(unsafe { (*sa).sa_family });
    let need = len_of(family);
    if need == 0 {
        return Err(libc::EAFNOSUPPORT);
    }
    if len.is_some_and(|l| (l as usize) < need) {
        return Err(libc::EINVAL);
    }
    // SAFETY: as above; the structure of `family` is `need` bytes, which the caller provides.
    unsafe {
        match family {
            libc::AF_INET => {
                let s = &*(sa as *const sockaddr_in);
                let ip = Ipv4Addr::from(u32::from_be(s.sin_addr.s_addr));
                Ok(CAddr {
                    family,
                    addr: NetAddr::Ip(SocketAddr::V4(SocketAddrV4::new(ip, 0))),
                    port: u16::from_be(s.sin_port),
                })
            }
            libc::AF_INET6 => {
                let s = &*(sa as *const sockaddr_in6);
                let ip = Ipv6Addr::from(s.sin6_addr.s6_addr);
                let v6 = SocketAddrV6::new(ip, 0, u32::from_be(s.sin6_flowinfo), s.sin6_scope_id);
                // An IPv4-mapped address is the IPv4 peer it stands for.
                let addr = match ip.to_ipv4_mapped() {
                    Some(v4) => SocketAddr::V4(SocketAddrV4::new(v4, 0)),
                    None => SocketAddr::V6(v6),
                };
                Ok(CAddr {
                    family,
                    addr: NetAddr::Ip(addr),
                    port: u16::from_be(s.sin6_port),
                })
            }
            _ => {
                let s = &*(sa as *const sockaddr_conn);
                Ok(CAddr {
                    family,
                    addr: NetAddr::Conn(s.sconn_addr as usize as u64),
                    port: u16::from_be(s.sconn_port),
                })
            }
        }
    }
}

/// The C form of `addr` with SCTP port `port`. IPv4 addresses become IPv4-mapped IPv6 ones
/// when `mapped` (an IPv6 socket with SCTP_I_WANT_MAPPED_V4_ADDR).
pub fn to_sockstore(addr: NetAddr, port: u16, mapped: bool) -> (sctp_sockstore, usize) {
    // SAFETY: every member of the union is plain old data; all zero is valid for each.
    let mut store: sctp_sockstore = unsafe { core::mem::zeroed() };
    let len = match addr {
        NetAddr::Conn(p) => {
            store.sconn = sockaddr_conn {
                sconn_family: AF_CONN as u16,
                sconn_port: port.to_be(),
                sconn_addr: p as usize as *mut c_void,
            };
            size_of::<sockaddr_conn>()
        }
        NetAddr::Ip(SocketAddr::V4(v4)) if !mapped => {
            // SAFETY: zeroed above; only plain fields are written.
            let sin: &mut sockaddr_in = unsafe { &mut store.sin };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = port.to_be();
            sin.sin_addr.s_addr = u32::from(*v4.ip()).to_be();
            size_of::<sockaddr_in>()
        }
        NetAddr::Ip(ip) => {
            let (v6, flow, scope) = match ip {
                SocketAddr::V4(v4) => (v4.ip().to_ipv6_mapped(), 0, 0),
                SocketAddr::V6(v6) => (*v6.ip(), v6.flowinfo(), v6.scope_id()),
            };
            // SAFETY: as above.
            let sin6: &mut sockaddr_in6 = unsafe { &mut store.sin6 };
            sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            sin6.sin6_port = port.to_be();
            sin6.sin6_flowinfo = flow.to_be();
            sin6.sin6_addr.s6_addr = v6.octets();
            sin6.sin6_scope_id = scope;
            size_of::<sockaddr_in6>()
        }
    };
    (store, len)
}

/// Writes `addr` to `out` (room: `*outlen` bytes) and the full length to `*outlen`, as
/// `accept` and `recvfrom` do. NULL pointers are skipped.
pub fn write(addr: NetAddr, port: u16, mapped: bool, out: *mut sockaddr, outlen: *mut socklen_t) {
    if out.is_null() || outlen.is_null() {
        return;
    }
    let (store, len) = to_sockstore(addr, port, mapped);
    // SAFETY: `outlen` is non-null; the caller says `out` has `*outlen` bytes of room.
    unsafe {
        let room = *outlen as usize;
        let n = room.min(len);
        core::ptr::copy_nonoverlapping(
            (&store as *const sctp_sockstore).cast::<u8>(),
            out.cast(),
            n,
        );
        *outlen = len as socklen_t;
    }
}

/// A malloc'ed array of packed addresses, as `usrsctp_getladdrs`/`getpaddrs` return it (freed
/// with `free`). NULL when the list is empty or memory is short.
pub fn malloc_list(addrs: &[(NetAddr, u16)], mapped: bool) -> *mut sockaddr {
    let stores: Vec<(sctp_sockstore, usize)> = addrs
        .iter()
        .map(|(a, p)| to_sockstore(*a, *p, mapped))
        .collect();
    let total: usize = stores.iter().map(|(_, l)| *l).sum();
    if total == 0 {
        return core::ptr::null_mut();
    }
    // SAFETY: a fresh allocation of `total` bytes, filled with the addresses one after the
    // other; each copy stays within it.
    unsafe {
        let base = libc::malloc(total).cast::<u8>();
        if base.is_null() {
            return core::ptr::null_mut();
        }
        let mut at = 0;
        for (store, len) in &stores {
            core::ptr::copy_nonoverlapping(
                (store as *const sctp_sockstore).cast::<u8>(),
                base.add(at),
                *len,
            );
            at += len;
        }
        base.cast()
    }
}
