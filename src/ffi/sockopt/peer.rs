//! The options about the paths of an association, which name a peer address beside the
//! association id: SCTP_PEER_ADDR_PARAMS, SCTP_GET_PEER_ADDR_INFO,
//! SCTP_REMOTE_UDP_ENCAPS_PORT, SCTP_PRIMARY_ADDR, and SCTP_STATUS with its primary path.
//!
//! A path is found as libusrsctp finds it: in the association the id names, else in the
//! socket's association that has the address and port as a path. Path MTUs are reported as
//! libusrsctp reports them: the bytes of a packet after the SCTP common header (a path of
//! 1280-byte packets has an MTU of 1268).

use core::ffi::c_int;
use core::mem::size_of;
use std::time::Duration;

use super::{
    association, config_at, ms, scope_of, socket, Out, Setter, COMMON_HEADER, EAFNOSUPPORT, EINVAL,
    ENOENT, EOPNOTSUPP, PMTU_RANGE,
};
use crate::assoc::{Association, State};
use crate::endpoint::AssocId;
use crate::ffi::addr::{self, CAddr};
use crate::ffi::constants::*;
use crate::ffi::types::*;
use crate::socket::options::{Scope, Target};
use crate::socket::{Errno, Family, Group, SocketId};
use crate::types::NetAddr;

/// What an option naming a peer address applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    /// Path `index` of an association.
    Path(AssocId, usize),
    /// An association as a whole (its id and a wildcard address were given).
    Assoc(AssocId),
    /// No association: the socket's settings, as `scope` says.
    Socket(Scope),
}

/// The address in a `sockaddr_storage` of an option.
fn address_in(storage: &libc::sockaddr_storage) -> Result<CAddr, Errno> {
    addr::read((storage as *const libc::sockaddr_storage).cast(), None).map_err(Errno)
}

/// A `sockaddr_storage` holding `addr` with SCTP port `port`.
fn storage_of(addr: NetAddr, port: u16, mapped: bool) -> libc::sockaddr_storage {
    let (store, _) = addr::to_sockstore(addr, port, mapped);
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
    storage
}

/// A path of association `a` to `want` (for IP, whatever the UDP port).
fn find_path(a: &Association, want: NetAddr) -> Option<usize> {
    a.paths().iter().position(|p| match (p.addr, want) {
        (NetAddr::Ip(x), NetAddr::Ip(y)) => x.ip() == y.ip(),
        (x, y) => x == y,
    })
}

/// Finds what association id `assoc` and the address in `storage` name on socket `id`, as
/// libusrsctp does: a path of the association the id names (with a wildcard address the
/// association; another address of its family EINVAL, another family EAFNOSUPPORT), or
/// without one, the socket's association that has the address and port as a path.
fn find_peer(
    g: &Group,
    id: SocketId,
    assoc: AssocId,
    storage: &libc::sockaddr_storage,
) -> Result<Peer, Errno> {
    let scope = scope_of(g, id, assoc)?;
    let want = address_in(storage);
    if let Scope::Assoc(a) = scope {
        let want = want.map_err(|_| EAFNOSUPPORT)?;
        return match find_path(association(g, a)?, want.addr) {
            Some(index) => Ok(Peer::Path(a, index)),
            None if want.is_wildcard() => Ok(Peer::Assoc(a)),
            None => Err(EINVAL),
        };
    }
    if let Ok(want) = want {
        for a in g.associations_of(id) {
            let Ok(x) = association(g, a) else { continue };
            if x.peer_port() == want.port {
                if let Some(index) = find_path(x, want.addr) {
                    return Ok(Peer::Path(a, index));
                }
            }
        }
    }
    Ok(Peer::Socket(scope))
}

/// True when the socket reports IPv4 addresses as IPv4-mapped IPv6 addresses.
fn mapped(g: &Group, id: SocketId) -> Result<bool, Errno> {
    let s = socket(g, id)?;
    Ok(s.family == Family::Inet6 && s.options.mapped_v4)
}

// ---- setsockopt --------------------------------------------------------------------------------

pub(super) fn set_peer_addr_params(s: &mut Setter<'_>, v: sctp_paddrparams) -> Result<(), Errno> {
    let peer = find_peer(s.g, s.id, v.spp_assoc_id, &v.spp_address)?;
    let flags = v.spp_flags as c_int;
    let both = |on: c_int, off: c_int| flags & on != 0 && flags & off != 0;
    if both(SPP_HB_ENABLE, SPP_HB_DISABLE) || both(SPP_PMTUD_ENABLE, SPP_PMTUD_DISABLE) {
        return Err(EINVAL);
    }
    // SPP_PMTUD_DISABLE needs the fixed MTU (libusrsctp: EINVAL without one, 0 included).
    let new_mtu = flags & SPP_PMTUD_DISABLE != 0;
    if new_mtu && !PMTU_RANGE.contains(&v.spp_pathmtu) {
        return Err(EINVAL);
    }
    // A path's settings are its association's: the engine keeps them per association.
    let target = match peer {
        Peer::Path(a, _) | Peer::Assoc(a) => Target::Assoc(a),
        Peer::Socket(Scope::Future) => Target::Future,
        Peer::Socket(_) => return Err(EINVAL),
    };
    let current = s.config(target)?.heartbeat_interval;
    let interval = if flags & SPP_HB_TIME_IS_ZERO != 0 {
        Some(Duration::ZERO)
    } else if v.spp_hbinterval > 0 {
        Some(ms(v.spp_hbinterval))
    } else {
        current
    };
    let enabled = if flags & SPP_HB_ENABLE != 0 {
        true
    } else if flags & SPP_HB_DISABLE != 0 {
        false
    } else {
        current.is_some()
    };
    let default_interval = crate::stack::config::association_config().heartbeat_interval;
    let discovery = core::cell::Cell::new(false);
    s.update_config(&[target], |c| {
        c.heartbeat_interval = if enabled {
            interval.or(default_interval)
        } else {
            None
        };
        if v.spp_pathmaxrxt > 0 {
            c.path_max_retrans = u32::from(v.spp_pathmaxrxt);
        }
        if new_mtu {
            c.mtu = v.spp_pathmtu as usize + COMMON_HEADER;
        }
        pmtud_switch(c, flags, v.spp_pathmtu);
        discovery.set(discovery.get() | c.plpmtud.enabled);
    })?;
    if discovery.get() {
        crate::stack::io::udp_dont_fragment();
    }
    s.update_assoc_options(&[target], |o| {
        if flags & SPP_PMTUD_ENABLE != 0 {
            o.pmtud = true;
        } else if flags & SPP_PMTUD_DISABLE != 0 {
            o.pmtud = false;
            if new_mtu {
                o.path_mtu = v.spp_pathmtu;
            }
        }
    });
    Ok(())
}

/// Path MTU discovery (RFC 8899, `assoc/pmtud.rs`) through SPP_PMTUD_ENABLE and
/// SPP_PMTUD_DISABLE. libusrsctp reports SPP_PMTUD_ENABLE by default and ignores `spp_pathmtu`
/// with it; its MTU stays where it is configured. We keep that as the default and give the
/// ignored field a meaning: SPP_PMTUD_ENABLE with an `spp_pathmtu` above the MTU in use turns
/// discovery on, up to that MTU (the largest the application's lower layer carries; over
/// AF_CONN only the application knows it). A program that reads the settings and writes them
/// back passes the MTU in use and changes nothing. A larger `spp_pathmtu` later raises the
/// limit; SPP_PMTUD_DISABLE turns discovery off, at the fixed MTU `spp_pathmtu`.
fn pmtud_switch(c: &mut crate::assoc::Config, flags: c_int, pathmtu: u32) {
    if flags & SPP_PMTUD_DISABLE != 0 {
        c.plpmtud.enabled = false;
    } else if flags & SPP_PMTUD_ENABLE != 0 && PMTU_RANGE.contains(&pathmtu) {
        let limit = pathmtu as usize + COMMON_HEADER;
        if !c.plpmtud.enabled && limit > c.mtu {
            c.plpmtud.enabled = true;
            c.plpmtud.max = limit;
        } else if c.plpmtud.enabled && c.plpmtud.max != 0 && limit > c.plpmtud.max {
            c.plpmtud.max = limit;
        }
    }
}

pub(super) fn set_udp_encaps(s: &mut Setter<'_>, v: sctp_udpencaps) -> Result<(), Errno> {
    let port = u16::from_be(v.sue_port);
    match find_peer(s.g, s.id, v.sue_assoc_id, &v.sue_address)? {
        Peer::Socket(Scope::Future) => {
            s.opts().remote_udp_port = port;
            Ok(())
        }
        Peer::Socket(_) => Err(EINVAL),
        // A live association keeps the port its paths have.
        Peer::Path(a, _) | Peer::Assoc(a) => {
            if udp_port_of(association(s.g, a)?, None) == port {
                Ok(())
            } else {
                Err(EOPNOTSUPP)
            }
        }
    }
}

pub(super) fn set_primary(s: &mut Setter<'_>, v: sctp_setprim) -> Result<(), Errno> {
    let Scope::Assoc(a) = s.scope(v.ssp_assoc_id)? else {
        return Err(EINVAL);
    };
    let want = address_in(&v.ssp_addr)?;
    let assoc = s.association(a)?;
    let index = find_path(assoc, want.addr).ok_or(EINVAL)?;
    let addr = assoc.paths().get(index).ok_or(EINVAL)?.addr;
    if assoc.set_primary(addr) {
        Ok(())
    } else {
        Err(EINVAL)
    }
}

// ---- getsockopt --------------------------------------------------------------------------------

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

/// The MTU libusrsctp reports for a path that carries packets of `packet_mtu` bytes.
fn reported_mtu(packet_mtu: usize) -> u32 {
    packet_mtu.saturating_sub(COMMON_HEADER) as u32
}

/// The UDP encapsulation port of path `index` of `a` (of the primary path for `None`).
fn udp_port_of(a: &Association, index: Option<usize>) -> u16 {
    let index = index.unwrap_or_else(|| a.paths().current());
    match a.paths().get(index).map(|p| p.addr) {
        Some(NetAddr::Ip(sa)) => sa.port(),
        _ => 0,
    }
}

fn paddrinfo(a: &Association, assoc: AssocId, index: usize, mapped: bool) -> sctp_paddrinfo {
    let path = a.paths().get(index);
    let info = a.path_info(index);
    let state = match path {
        Some(p) if !p.confirmed => SCTP_UNCONFIRMED,
        Some(p) if p.active => SCTP_ACTIVE,
        _ => SCTP_INACTIVE,
    };
    let address = path.map_or(NetAddr::Conn(0), |p| p.addr);
    sctp_paddrinfo {
        spinfo_address: storage_of(address, a.peer_port(), mapped),
        spinfo_assoc_id: assoc,
        spinfo_state: state,
        spinfo_cwnd: info.map_or(0, |i| i.cwnd as u32),
        spinfo_srtt: info
            .and_then(|i| i.srtt)
            .map_or(0, |d| d.as_millis() as u32),
        spinfo_rto: info.map_or(a.config().rto_initial, |i| i.rto).as_millis() as u32,
        spinfo_mtu: reported_mtu(info.map_or(a.config().mtu, |i| i.mtu)),
    }
}

pub(super) fn get_peer_addr_params(g: &Group, id: SocketId, out: Out) -> Result<(), Errno> {
    let mut v: sctp_paddrparams = out.input()?;
    let peer = find_peer(g, id, v.spp_assoc_id, &v.spp_address)?;
    let (target, assoc_id) = match peer {
        Peer::Path(a, _) | Peer::Assoc(a) => (Target::Assoc(a), a),
        Peer::Socket(Scope::Future) => (Target::Future, SCTP_FUTURE_ASSOC as AssocId),
        Peer::Socket(_) => return Err(EINVAL),
    };
    let c = config_at(g, id, target)?;
    let ao = socket(g, id)?.options.assoc_options(target);
    v.spp_assoc_id = assoc_id;
    v.spp_hbinterval = c.heartbeat_interval.map_or(0, |d| d.as_millis() as u32);
    v.spp_pathmaxrxt = c.path_max_retrans as u16;
    v.spp_pathmtu = match peer {
        Peer::Path(a, index) => {
            let a = association(g, a)?;
            reported_mtu(a.path_info(index).map_or(a.config().mtu, |i| i.mtu))
        }
        _ => ao.path_mtu,
    };
    let hb = if c.heartbeat_interval.is_some() {
        SPP_HB_ENABLE
    } else {
        SPP_HB_DISABLE
    };
    let pmtud = if ao.pmtud {
        SPP_PMTUD_ENABLE
    } else {
        SPP_PMTUD_DISABLE
    };
    v.spp_flags = (hb | pmtud) as u32;
    out.write(v)
}

pub(super) fn get_udp_encaps(g: &Group, id: SocketId, out: Out) -> Result<(), Errno> {
    let mut v: sctp_udpencaps = out.input()?;
    let port = match find_peer(g, id, v.sue_assoc_id, &v.sue_address)? {
        Peer::Path(a, index) => udp_port_of(association(g, a)?, Some(index)),
        Peer::Assoc(a) => udp_port_of(association(g, a)?, None),
        Peer::Socket(Scope::Future) => socket(g, id)?.options.remote_udp_port,
        Peer::Socket(_) => return Err(EINVAL),
    };
    v.sue_port = port.to_be();
    out.write(v)
}

pub(super) fn get_primary(g: &Group, id: SocketId, out: Out) -> Result<(), Errno> {
    let mut v: sctp_setprim = out.input()?;
    let Scope::Assoc(a) = scope_of(g, id, v.ssp_assoc_id)? else {
        return Err(EINVAL);
    };
    let assoc = association(g, a)?;
    v.ssp_addr = storage_of(assoc.primary_address(), assoc.peer_port(), mapped(g, id)?);
    v.ssp_assoc_id = a;
    out.write(v)
}

pub(super) fn get_status(g: &Group, id: SocketId, out: Out) -> Result<(), Errno> {
    let v: sctp_status = out.input()?;
    let Scope::Assoc(a) = scope_of(g, id, v.sstat_assoc_id)? else {
        return Err(EINVAL);
    };
    let assoc = association(g, a)?;
    let (outbound, inbound) = assoc.streams();
    let primary = assoc.paths().current();
    out.write(sctp_status {
        sstat_assoc_id: a,
        sstat_state: state_code(assoc.state()),
        sstat_rwnd: assoc.peer_rwnd() as u32,
        sstat_unackdata: 0,
        sstat_penddata: 0,
        sstat_instrms: inbound,
        sstat_outstrms: outbound,
        sstat_fragmentation_point: assoc.fragmentation_point() as u32,
        sstat_primary: paddrinfo(assoc, a, primary, mapped(g, id)?),
    })
}

pub(super) fn get_peer_addr_info(g: &Group, id: SocketId, out: Out) -> Result<(), Errno> {
    let v: sctp_paddrinfo = out.input()?;
    // libusrsctp answers ENOENT for whatever does not name a path.
    let Ok(Peer::Path(a, index)) = find_peer(g, id, v.spinfo_assoc_id, &v.spinfo_address) else {
        return Err(ENOENT);
    };
    out.write(paddrinfo(association(g, a)?, a, index, mapped(g, id)?))
}
