//! The options that switch an extension on or off for the associations a socket sets up:
//! SCTP_ECN_SUPPORTED and SCTP_NRSACK_SUPPORTED (libusrsctp 0.9.5), and the extension
//! SCTP_ACCEPT_ZERO_CHECKSUM of newer libusrsctp (RFC 9653).
//!
//! As in libusrsctp, a change only applies to associations set up later: a one-to-one socket
//! takes it until it has an association, a one-to-many socket only with SCTP_FUTURE_ASSOC;
//! anything else is EINVAL (except SCTP_ACCEPT_ZERO_CHECKSUM given as a plain `uint32_t`, which
//! names no association). A read of an association gives what it negotiated (what it offered
//! while the handshake runs); a read of the socket what it will offer.

use core::ffi::c_int;
use core::mem::size_of;

use super::{association, scope_of, socket, Out, Setter, Value, EINVAL};
use crate::assoc::capabilities::Capabilities;
use crate::assoc::State;
use crate::endpoint::AssocId;
use crate::ffi::constants::*;
use crate::ffi::types::sctp_assoc_value;
use crate::socket::options::Scope;
use crate::socket::{Errno, Group, SocketId};

const FUTURE: AssocId = SCTP_FUTURE_ASSOC as AssocId;
const EDMID_NONE: u32 = SCTP_EDMID_NONE as u32;
const EDMID_DTLS: u32 = SCTP_EDMID_LOWER_LAYER_DTLS as u32;

/// The extension an option names.
fn flag(name: c_int, c: &mut Capabilities) -> Option<&mut bool> {
    Some(match name {
        SCTP_ECN_SUPPORTED => &mut c.ecn,
        SCTP_NRSACK_SUPPORTED => &mut c.nr_sack,
        SCTP_ACCEPT_ZERO_CHECKSUM => &mut c.zero_checksum,
        _ => return None,
    })
}

/// True for the options of this file.
pub(super) fn handles(name: c_int) -> bool {
    flag(name, &mut Capabilities::default()).is_some()
}

/// The value of SCTP_ACCEPT_ZERO_CHECKSUM: newer libusrsctp takes a plain `uint32_t` EDMID
/// (what WebRTC stacks pass); a `struct sctp_assoc_value` is taken too, its value being the
/// EDMID.
fn edmid_of(value: Value) -> Result<(AssocId, u32), Errno> {
    if value.len as usize >= size_of::<sctp_assoc_value>() {
        let v: sctp_assoc_value = value.read()?;
        Ok((v.assoc_id, v.assoc_value))
    } else {
        Ok((FUTURE, value.read::<u32>()?))
    }
}

pub(super) fn set(s: &mut Setter<'_>, name: c_int, value: Value) -> Result<(), Errno> {
    let (assoc, on) = if name == SCTP_ACCEPT_ZERO_CHECKSUM {
        let (assoc, edmid) = edmid_of(value)?;
        let on = match edmid {
            EDMID_NONE => false,
            EDMID_DTLS => true,
            _ => return Err(EINVAL),
        };
        (assoc, on)
    } else {
        let v: sctp_assoc_value = value.read()?;
        (v.assoc_id, v.assoc_value != 0)
    };
    // Only the settings for later associations change (unknown ids included: EINVAL). The
    // plain `uint32_t` of SCTP_ACCEPT_ZERO_CHECKSUM names no association: newer libusrsctp
    // takes it on any socket, for the associations set up later.
    let plain_edmid =
        name == SCTP_ACCEPT_ZERO_CHECKSUM && (value.len as usize) < size_of::<sctp_assoc_value>();
    if !plain_edmid && !matches!(s.scope(assoc), Ok(Scope::Future)) {
        return Err(EINVAL);
    }
    if let Some(f) = flag(name, &mut s.opts().association.capabilities) {
        *f = on;
    }
    Ok(())
}

pub(super) fn get(g: &Group, id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    let zero_checksum = name == SCTP_ACCEPT_ZERO_CHECKSUM;
    // SCTP_ACCEPT_ZERO_CHECKSUM answers in a `uint32_t` unless the caller gave room for a
    // `struct sctp_assoc_value`.
    let assoc_value = !zero_checksum || out.input::<sctp_assoc_value>().is_ok();
    let assoc = if assoc_value {
        out.input::<sctp_assoc_value>()?.assoc_id
    } else {
        FUTURE
    };
    let mut caps = match scope_of(g, id, assoc).map_err(|_| EINVAL)? {
        Scope::Future => socket(g, id)?.options.association.capabilities,
        Scope::Assoc(a) => {
            let a = association(g, a)?;
            match a.state() {
                State::CookieWait | State::CookieEchoed => a.config().capabilities,
                _ => a.capabilities(),
            }
        }
        Scope::Current | Scope::All => return Err(EINVAL),
    };
    let on = flag(name, &mut caps).is_some_and(|f| *f);
    let value = if zero_checksum {
        if on {
            EDMID_DTLS
        } else {
            EDMID_NONE
        }
    } else {
        u32::from(on)
    };
    if assoc_value {
        out.write(sctp_assoc_value {
            assoc_id: assoc,
            assoc_value: value,
        })
    } else {
        out.write(value)
    }
}
