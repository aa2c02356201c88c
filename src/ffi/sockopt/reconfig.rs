//! The stream reconfiguration options (RFC 6458 §8.3.3 - §8.3.6, §8.1.x): SCTP_RECONFIG_SUPPORTED,
//! SCTP_ENABLE_STREAM_RESET, SCTP_RESET_STREAMS, SCTP_RESET_ASSOC and SCTP_ADD_STREAMS, with
//! libusrsctp 0.9.5's checks and errno values (recorded by c-tests/test_stream_reset.c on
//! Debian's library):
//! - a command on an association that did not agree on RE-CONFIG: EOPNOTSUPP, before any other
//!   check of the request; no association for the id: ENOENT; not established: EINVAL;
//! - SCTP_RESET_STREAMS: no direction flag, a stream out of range for a direction asked for, or a
//!   list longer than the option: EINVAL; resetting incoming streams while a request is
//!   outstanding: EALREADY; outgoing resets accumulate and are sent when their streams are ready;
//! - SCTP_RESET_ASSOC: a request outstanding: EALREADY; data queued or unacknowledged: EBUSY;
//! - SCTP_ADD_STREAMS: a request outstanding: EALREADY; nothing to add or more than 65535
//!   streams: EINVAL;
//! - SCTP_ENABLE_STREAM_RESET: bits outside SCTP_ENABLE_VALUE_MASK: EINVAL; takes
//!   SCTP_CURRENT_ASSOC and SCTP_ALL_ASSOC;
//! - SCTP_RECONFIG_SUPPORTED is a setting of the socket for associations set up later (EINVAL
//!   when the id names an association); read on an association it says what was agreed.

use core::ffi::c_int;
use core::mem::size_of;

use super::{config_at, scope_of, with_setter, Out, Setter, Value, EINVAL, ENOENT};
use crate::assoc::reconfig::ReconfigError;
use crate::endpoint::AssocId;
use crate::ffi::constants::*;
use crate::ffi::types::*;
use crate::socket::options::{Scope, Target};
use crate::socket::{Errno, Group, SocketId};

/// The bits SCTP_ENABLE_STREAM_RESET takes (SCTP_ENABLE_VALUE_MASK).
const ENABLE_VALUE_MASK: u32 = 0x7;

/// `setsockopt` for the options of this module; `None` for any other option.
pub(super) fn set(id: SocketId, name: c_int, value: Value) -> Option<Result<(), Errno>> {
    Some(match name {
        SCTP_RECONFIG_SUPPORTED => set_supported(id, value),
        SCTP_ENABLE_STREAM_RESET => set_enable(id, value),
        SCTP_RESET_STREAMS => reset_streams(id, value),
        SCTP_RESET_ASSOC => reset_assoc(id, value),
        SCTP_ADD_STREAMS => add_streams(id, value),
        _ => return None,
    })
}

/// `getsockopt` for the options of this module; `None` for any other option.
pub(super) fn get(g: &Group, id: SocketId, name: c_int, out: Out) -> Option<Result<(), Errno>> {
    Some(match name {
        SCTP_RECONFIG_SUPPORTED => get_value(g, id, out, |t| match t {
            Target::Future => config_at(g, id, t).map(|c| u32::from(c.capabilities.reconfig)),
            Target::Assoc(a) => {
                super::association(g, a).map(|a| u32::from(a.capabilities().reconfig))
            }
        }),
        SCTP_ENABLE_STREAM_RESET => get_value(g, id, out, |t| {
            config_at(g, id, t).map(|c| c.reconfig_accept)
        }),
        _ => return None,
    })
}

fn get_value(
    g: &Group,
    id: SocketId,
    out: Out,
    value: impl Fn(Target) -> Result<u32, Errno>,
) -> Result<(), Errno> {
    let mut v: sctp_assoc_value = out.input()?;
    let target = scope_of(g, id, v.assoc_id)?.single()?;
    v.assoc_value = value(target)?;
    out.write(v)
}

fn set_supported(id: SocketId, value: Value) -> Result<(), Errno> {
    let v: sctp_assoc_value = value.read()?;
    with_setter(id, |s| {
        if s.scope(v.assoc_id)? != Scope::Future {
            return Err(EINVAL);
        }
        let on = v.assoc_value != 0;
        s.update_config(&[Target::Future], |c| c.capabilities.reconfig = on)
    })
}

fn set_enable(id: SocketId, value: Value) -> Result<(), Errno> {
    let v: sctp_assoc_value = value.read()?;
    if v.assoc_value & !ENABLE_VALUE_MASK != 0 {
        return Err(EINVAL);
    }
    with_setter(id, |s| {
        let targets = s.targets(v.assoc_id, true)?;
        s.update_config(&targets, |c| c.reconfig_accept = v.assoc_value)
    })
}

/// The association a command names: ENOENT when there is none.
fn command_target(s: &Setter<'_>, assoc: AssocId) -> Result<AssocId, Errno> {
    match s.scope(assoc) {
        Ok(Scope::Assoc(a)) => Ok(a),
        _ => Err(ENOENT),
    }
}

fn errno_of(e: ReconfigError) -> Errno {
    Errno(match e {
        ReconfigError::NotSupported => libc::EOPNOTSUPP,
        ReconfigError::NotConnected | ReconfigError::InvalidArgument => libc::EINVAL,
        ReconfigError::InProgress => libc::EALREADY,
        ReconfigError::Busy => libc::EBUSY,
    })
}

fn reset_streams(id: SocketId, value: Value) -> Result<(), Errno> {
    let head: sctp_reset_streams = value.read()?;
    let count = usize::from(head.srs_number_streams);
    let fixed = size_of::<sctp_reset_streams>();
    let flags = c_int::from(head.srs_flags);
    let incoming = flags & SCTP_STREAM_RESET_INCOMING != 0;
    let outgoing = flags & SCTP_STREAM_RESET_OUTGOING != 0;
    with_setter(id, |s| {
        let a = command_target(s, head.srs_assoc_id)?;
        let now = s.now;
        let assoc = s.association(a)?;
        if !assoc.supports_reconfig() {
            return Err(errno_of(ReconfigError::NotSupported));
        }
        if (value.len as usize) < fixed + 2 * count {
            return Err(EINVAL);
        }
        let mut streams = Vec::with_capacity(count);
        for i in 0..count {
            // SAFETY: `value.ptr` is non-null (read above) with `value.len` bytes, and
            // `fixed + 2 * count <= value.len` was checked; the read is unaligned.
            let sid = unsafe {
                core::ptr::read_unaligned(value.ptr.cast::<u8>().add(fixed + 2 * i).cast::<u16>())
            };
            streams.push(sid);
        }
        assoc
            .reset_streams(now, &streams, incoming, outgoing)
            .map_err(errno_of)
    })
}

fn reset_assoc(id: SocketId, value: Value) -> Result<(), Errno> {
    let assoc_id: sctp_assoc_t = value.read()?;
    with_setter(id, |s| {
        let a = command_target(s, assoc_id)?;
        let now = s.now;
        s.association(a)?.reset_association(now).map_err(errno_of)
    })
}

fn add_streams(id: SocketId, value: Value) -> Result<(), Errno> {
    let v: sctp_add_streams = value.read()?;
    with_setter(id, |s| {
        let a = command_target(s, v.sas_assoc_id)?;
        let now = s.now;
        s.association(a)?
            .add_streams(now, v.sas_outstrms, v.sas_instrms)
            .map_err(errno_of)
    })
}
