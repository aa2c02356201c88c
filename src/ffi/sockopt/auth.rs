//! The AUTH options (RFC 6458 §8.1.18-8.1.22, §8.2.3-8.2.4 and §8.3.2-8.3.3): SCTP_AUTH_SUPPORTED,
//! SCTP_ASCONF_SUPPORTED (which AUTH depends on), SCTP_AUTH_CHUNK, SCTP_HMAC_IDENT,
//! SCTP_AUTH_KEY, SCTP_AUTH_ACTIVE_KEY, SCTP_AUTH_DELETE_KEY, SCTP_AUTH_DEACTIVATE_KEY,
//! SCTP_PEER_AUTH_CHUNKS and SCTP_LOCAL_AUTH_CHUNKS.
//!
//! What Debian's libusrsctp 0.9.5 answers (c-tests/test_auth.c records it):
//! - SCTP_AUTH_SUPPORTED and SCTP_ASCONF_SUPPORTED are set for new associations only (EINVAL for
//!   an association, SCTP_CURRENT_ASSOC or SCTP_ALL_ASSOC); any non-zero value means 1; AUTH
//!   cannot be switched off while ASCONF is on, nor ASCONF on while AUTH is off (EINVAL);
//! - SCTP_HMAC_IDENT needs SHA-1 in the list and no identifier twice (EINVAL); libusrsctp is
//!   built without SHA-256 and refuses it, we accept it (RFC 4895 §6.1 lists it);
//! - SCTP_AUTH_CHUNK refuses INIT, INIT-ACK, SHUTDOWN-COMPLETE and AUTH (EINVAL); SCTP_AUTH_CHUNK
//!   and SCTP_AUTH_KEY cannot be read (ENOPROTOOPT);
//! - a key operation on a key that does not exist, or deleting or deactivating the active key,
//!   is EINVAL; on the socket's settings deactivating a key deletes it;
//! - SCTP_LOCAL_AUTH_CHUNKS and SCTP_PEER_AUTH_CHUNKS write the association id, then the
//!   number of chunk types as 32 bits (the `gauth_number_of_chunks` that `usrsctp.h` leaves
//!   out), then the types in ascending order; SCTP_PEER_AUTH_CHUNKS needs an association
//!   (ENOENT).

use core::ffi::c_int;
use core::mem::size_of;

use super::{association, config_at, scope_of, socket, Out, Setter, Value, EINVAL, ENOENT};
use crate::assoc::auth::{may_require, requested_chunks, KeyError, HMAC_SHA1, HMAC_SHA256};
use crate::assoc::{Association, State};
use crate::ffi::constants::*;
use crate::ffi::types::*;
use crate::socket::options::{Scope, Target};
use crate::socket::{Errno, Group, SocketId};

const ENOPROTOOPT: Errno = Errno(libc::ENOPROTOOPT);

/// The options of this module.
pub(super) fn handles(name: c_int) -> bool {
    matches!(
        name,
        SCTP_AUTH_SUPPORTED
            | SCTP_ASCONF_SUPPORTED
            | SCTP_AUTH_CHUNK
            | SCTP_HMAC_IDENT
            | SCTP_AUTH_KEY
            | SCTP_AUTH_ACTIVE_KEY
            | SCTP_AUTH_DELETE_KEY
            | SCTP_AUTH_DEACTIVATE_KEY
            | SCTP_PEER_AUTH_CHUNKS
            | SCTP_LOCAL_AUTH_CHUNKS
    )
}

/// The bytes of a `setsockopt` value.
fn bytes_of(value: Value) -> Result<Vec<u8>, Errno> {
    if value.ptr.is_null() {
        return Err(EINVAL);
    }
    // SAFETY: non-null with `len` bytes, the caller's contract for `setsockopt`.
    let bytes = unsafe { core::slice::from_raw_parts(value.ptr.cast::<u8>(), value.len as usize) };
    Ok(bytes.to_vec())
}

/// Writes `bytes` into the `getsockopt` buffer and sets its size: EINVAL when too small.
fn write_bytes(out: Out, bytes: &[u8]) -> Result<(), Errno> {
    // SAFETY: both non-null (checked by `usrsctp_getsockopt`); `ptr` has `*len` bytes of room,
    // checked first.
    unsafe {
        if (*out.len as usize) < bytes.len() {
            *out.len = 0;
            return Err(EINVAL);
        }
        core::ptr::copy_nonoverlapping(bytes.as_ptr(), out.ptr.cast::<u8>(), bytes.len());
        *out.len = bytes.len() as libc::socklen_t;
    }
    Ok(())
}

fn key_error(_: KeyError) -> Errno {
    EINVAL
}

// ---- setsockopt ----------------------------------------------------------------------------------

pub(super) fn set(s: &mut Setter<'_>, name: c_int, value: Value) -> Result<(), Errno> {
    match name {
        SCTP_AUTH_SUPPORTED | SCTP_ASCONF_SUPPORTED => {
            let v: sctp_assoc_value = value.read()?;
            if s.scope(v.assoc_id)? != Scope::Future {
                return Err(EINVAL);
            }
            let on = v.assoc_value != 0;
            let caps = &mut s.opts().association.capabilities;
            if name == SCTP_AUTH_SUPPORTED {
                if !on && caps.asconf {
                    return Err(EINVAL);
                }
                caps.auth = on;
            } else {
                if on && !caps.auth {
                    return Err(EINVAL);
                }
                caps.asconf = on;
            }
            Ok(())
        }
        SCTP_AUTH_CHUNK => {
            let c: sctp_authchunk = value.read()?;
            if !may_require(c.sauth_chunk) {
                return Err(EINVAL);
            }
            s.opts().association.auth.chunks.insert(c.sauth_chunk);
            Ok(())
        }
        SCTP_HMAC_IDENT => {
            let bytes = bytes_of(value)?;
            let n = bytes
                .get(..4)
                .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]) as usize)
                .ok_or(EINVAL)?;
            let list = bytes
                .get(4..4 + n.checked_mul(2).ok_or(EINVAL)?)
                .ok_or(EINVAL)?;
            let ids: Vec<u16> = list
                .chunks_exact(2)
                .map(|p| u16::from_ne_bytes([p[0], p[1]]))
                .collect();
            let supported = |id: &u16| matches!(*id, HMAC_SHA1 | HMAC_SHA256);
            let twice = ids.iter().enumerate().any(|(i, id)| ids[..i].contains(id));
            if ids.is_empty() || !ids.iter().all(supported) || twice || !ids.contains(&HMAC_SHA1) {
                return Err(EINVAL);
            }
            s.opts().association.auth.hmac_ids = ids;
            Ok(())
        }
        SCTP_AUTH_KEY => {
            let bytes = bytes_of(value)?;
            let k: sctp_authkey = value.read()?;
            let key = bytes
                .get(
                    size_of::<sctp_authkey>()
                        ..size_of::<sctp_authkey>() + usize::from(k.sca_keylength),
                )
                .ok_or(EINVAL)?
                .to_vec();
            let targets = s.targets(k.sca_assoc_id, true)?;
            for t in targets {
                match t {
                    Target::Future => {
                        s.opts()
                            .association
                            .auth
                            .keys
                            .insert(k.sca_keynumber, key.clone());
                    }
                    Target::Assoc(a) => s.association(a)?.auth_add_key(k.sca_keynumber, &key),
                }
            }
            Ok(())
        }
        SCTP_AUTH_ACTIVE_KEY | SCTP_AUTH_DELETE_KEY | SCTP_AUTH_DEACTIVATE_KEY => {
            let k: sctp_authkeyid = value.read()?;
            let id = k.scact_keynumber;
            for t in s.targets(k.scact_assoc_id, true)? {
                match t {
                    Target::Future => {
                        let auth = &mut s.opts().association.auth;
                        if !auth.keys.contains_key(&id) {
                            return Err(EINVAL);
                        }
                        if name == SCTP_AUTH_ACTIVE_KEY {
                            auth.active_key = id;
                        } else if id == auth.active_key {
                            return Err(EINVAL);
                        } else {
                            // libusrsctp: deactivating a key of the socket deletes it.
                            auth.keys.remove(&id);
                        }
                    }
                    Target::Assoc(a) => {
                        let a = s.association(a)?;
                        match name {
                            SCTP_AUTH_ACTIVE_KEY => a.auth_set_active_key(id),
                            SCTP_AUTH_DELETE_KEY => a.auth_delete_key(id),
                            _ => a.auth_deactivate_key(id),
                        }
                        .map_err(key_error)?;
                    }
                }
            }
            Ok(())
        }
        _ => Err(ENOPROTOOPT),
    }
}

// ---- getsockopt ----------------------------------------------------------------------------------

/// Whether association `a` uses AUTH: what it offers during the handshake, then what was agreed.
fn assoc_auth(a: &Association) -> bool {
    match a.state() {
        State::CookieWait | State::CookieEchoed => a.config().capabilities.auth,
        _ => a.capabilities().auth,
    }
}

pub(super) fn get(g: &Group, id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    let target = |assoc| scope_of(g, id, assoc)?.single();
    match name {
        SCTP_AUTH_SUPPORTED | SCTP_ASCONF_SUPPORTED => {
            let mut v: sctp_assoc_value = out.input()?;
            let on = match target(v.assoc_id)? {
                Target::Future => {
                    let caps = socket(g, id)?.options.association.capabilities;
                    if name == SCTP_AUTH_SUPPORTED {
                        caps.auth
                    } else {
                        caps.asconf
                    }
                }
                Target::Assoc(a) => {
                    let a = association(g, a)?;
                    if name == SCTP_AUTH_SUPPORTED {
                        assoc_auth(a)
                    } else {
                        a.capabilities().asconf
                    }
                }
            };
            v.assoc_value = u32::from(on);
            out.write(v)
        }
        SCTP_HMAC_IDENT => {
            let ids = &socket(g, id)?.options.association.auth.hmac_ids;
            let mut bytes = (ids.len() as u32).to_ne_bytes().to_vec();
            bytes.extend(ids.iter().flat_map(|i| i.to_ne_bytes()));
            write_bytes(out, &bytes)
        }
        SCTP_AUTH_ACTIVE_KEY => {
            let mut k: sctp_authkeyid = out.input()?;
            k.scact_keynumber = match target(k.scact_assoc_id)? {
                Target::Future => socket(g, id)?.options.association.auth.active_key,
                Target::Assoc(a) => association(g, a)?.auth_active_key(),
            };
            out.write(k)
        }
        SCTP_LOCAL_AUTH_CHUNKS | SCTP_PEER_AUTH_CHUNKS => {
            let c: sctp_authchunks = out.input()?;
            let types = match (target(c.gauth_assoc_id)?, name) {
                (Target::Future, SCTP_PEER_AUTH_CHUNKS) => return Err(ENOENT),
                (Target::Future, _) => requested_chunks(&config_at(g, id, Target::Future)?).types(),
                (Target::Assoc(a), _) => {
                    let a = association(g, a)?;
                    match (a.auth(), name) {
                        (Some(auth), SCTP_PEER_AUTH_CHUNKS) => auth.peer_chunks(),
                        (Some(auth), _) => auth.local_chunks(),
                        (None, SCTP_PEER_AUTH_CHUNKS) => Vec::new(),
                        (None, _) => requested_chunks(a.config()).types(),
                    }
                }
            };
            let mut bytes = c.gauth_assoc_id.to_ne_bytes().to_vec();
            bytes.extend_from_slice(&(types.len() as u32).to_ne_bytes());
            bytes.extend_from_slice(&types);
            write_bytes(out, &bytes)
        }
        // Write-only, as in libusrsctp.
        _ => Err(ENOPROTOOPT),
    }
}
