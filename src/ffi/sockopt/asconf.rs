//! ASCONF through the socket API (RFC 6458 §8.1.10, §8.3.1; RFC 5061): SCTP_SET_PEER_PRIMARY_ADDR
//! asks the peer to send to one of our addresses, SCTP_AUTO_ASCONF is the socket's flag, and
//! `usrsctp_bindx` on a bound socket with associations asks their peers to add or delete the
//! address (an ASCONF per association that supports it).
//!
//! What Debian's libusrsctp 0.9.5 does, run against it (`tests/programs/asconf_peer.c`):
//! SCTP_AUTO_ASCONF is EINVAL on a socket that is not bound to the wildcard address; bindx of an
//! address of a local interface on a socket bound to a specific address sends an ASCONF with
//! Add IP (the peer reports SCTP_ADDR_ADDED, then SCTP_ADDR_CONFIRMED after a heartbeat), and
//! SCTP_SET_PEER_PRIMARY_ADDR one with Set Primary (the peer reports SCTP_ADDR_MADE_PRIM).

use core::ffi::c_int;
use std::net::IpAddr;

use super::{Out, Setter, Value, EINVAL};
use crate::assoc::asconf::AsconfRequest;
use crate::ffi::addr;
use crate::ffi::constants::*;
use crate::ffi::types::*;
use crate::socket::options::Scope;
use crate::socket::{Errno, Group, SocketId};
use crate::stack::sockets;
use crate::types::NetAddr;

const ENOPROTOOPT: Errno = Errno(libc::ENOPROTOOPT);

/// The options of this module.
pub(super) fn handles(name: c_int) -> bool {
    matches!(name, SCTP_SET_PEER_PRIMARY_ADDR | SCTP_AUTO_ASCONF)
}

/// A socket bound to the wildcard address (libusrsctp's "bound all").
fn bound_to_all(g: &Group, id: SocketId) -> bool {
    let local = g.socket(id).and_then(|s| s.local_addr);
    g.is_bound(id)
        && match local {
            None => true,
            Some(NetAddr::Ip(a)) => a.ip().is_unspecified(),
            Some(NetAddr::Conn(_)) => false,
        }
}

pub(super) fn set(s: &mut Setter<'_>, name: c_int, value: Value) -> Result<(), Errno> {
    match name {
        SCTP_AUTO_ASCONF => {
            let on = value.flag()?;
            if !bound_to_all(s.g, s.id) {
                return Err(EINVAL);
            }
            s.opts().auto_asconf = on;
            Ok(())
        }
        SCTP_SET_PEER_PRIMARY_ADDR => {
            let v: sctp_setprim = value.read()?;
            let Scope::Assoc(a) = s.scope(v.ssp_assoc_id)? else {
                return Err(EINVAL);
            };
            let ip = ip_of(&v.ssp_addr)?;
            let now = s.now;
            s.association(a)?
                .asconf_request(now, &[AsconfRequest::SetPrimary(ip)])
                .map_err(|_| EINVAL)
        }
        _ => Err(ENOPROTOOPT),
    }
}

pub(super) fn get(g: &Group, id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    match name {
        SCTP_AUTO_ASCONF => {
            if !bound_to_all(g, id) {
                return Err(EINVAL);
            }
            let on = g.socket(id).is_some_and(|s| s.options.auto_asconf);
            out.write(c_int::from(on))
        }
        // SCTP_SET_PEER_PRIMARY_ADDR is write-only.
        _ => Err(ENOPROTOOPT),
    }
}

/// The IP address of a `sockaddr_storage` (EINVAL for another family).
fn ip_of(storage: &libc::sockaddr_storage) -> Result<IpAddr, Errno> {
    let a = addr::read((storage as *const libc::sockaddr_storage).cast(), None).map_err(Errno)?;
    match a.addr {
        NetAddr::Ip(sa) => Ok(sa.ip()),
        NetAddr::Conn(_) => Err(EINVAL),
    }
}

/// Whether `addr` was added to an association of socket `id` with `usrsctp_bindx`.
pub(crate) fn added_address(id: SocketId, addr: NetAddr) -> bool {
    let NetAddr::Ip(a) = addr else {
        return false;
    };
    let ip = a.ip();
    sockets::query(id, |g, id| {
        g.associations_of(id).iter().any(|a| {
            g.endpoint()
                .and_then(|e| e.association(*a))
                .is_some_and(|x| x.config().local_addresses.contains(&ip))
        })
    })
    .unwrap_or(false)
}

/// `usrsctp_bindx` added (`add`) or removed `addr` on a socket bound to `local`: each association
/// that supports ASCONF tells its peer (adding the bound address itself changes nothing).
pub(crate) fn bindx_changed(
    id: SocketId,
    add: bool,
    addr: NetAddr,
    local: Option<NetAddr>,
) -> Result<(), Errno> {
    let NetAddr::Ip(a) = addr else {
        return Ok(());
    };
    if add && local == Some(addr) {
        return Ok(());
    }
    let ip = a.ip();
    let request = if add {
        AsconfRequest::Add(ip)
    } else {
        AsconfRequest::Delete(ip)
    };
    sockets::with(id, |g, id, now| {
        for a in g.associations_of(id) {
            if let Some(assoc) = g.endpoint_mut().and_then(|e| e.association_mut(a)) {
                if assoc.asconf().is_some() {
                    let _ = assoc.asconf_request(now, &[request]);
                }
            }
        }
    })
}
