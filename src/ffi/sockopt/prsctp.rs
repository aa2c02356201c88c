//! The options of PR-SCTP, I-DATA and the stream schedulers: SCTP_PR_SUPPORTED,
//! SCTP_INTERLEAVING_SUPPORTED, SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS,
//! SCTP_PLUGGABLE_SS and SCTP_SS_VALUE, with the checks and errno values of Debian's
//! libusrsctp 0.9.5 (c-tests/test_prsctp.c records them).
//!
//! - SCTP_PR_SUPPORTED and SCTP_INTERLEAVING_SUPPORTED set what new associations offer: only
//!   the socket's settings may change (EINVAL for a live association, SCTP_CURRENT_ASSOC and
//!   SCTP_ALL_ASSOC); read on an association they say what was agreed. Interleaving can only be
//!   switched on while SCTP_FRAGMENT_INTERLEAVE is 2 (EINVAL otherwise); lowering the level
//!   later leaves it on.
//! - SCTP_PR_ASSOC_STATUS takes a policy (TTL, BUF, RTX) or SCTP_PR_SCTP_ALL (0x0f) for all;
//!   SCTP_PR_STREAM_STATUS only SCTP_PR_SCTP_ALL (libusrsctp keeps no per-policy stream
//!   counts). Both need an association.
//! - SCTP_PLUGGABLE_SS takes the modules 0 to 5 and, as an extension, 6 (weighted fair
//!   queueing, SCTP_SS_WEIGHTED_FAIR_QUEUEING); SCTP_SS_VALUE needs an association, a
//!   stream below its outbound streams and a module with per-stream values (priority, and the
//!   weight of weighted fair queueing), else EINVAL.

use core::ffi::c_int;

use super::{association, outbound_streams, scope_of, Out, Setter, Value, EINVAL};
use crate::ffi::constants::*;
use crate::ffi::types::*;
use crate::socket::options::{Scope, Target};
use crate::socket::{Errno, Group, SocketId};
use crate::tx::SchedulerKind;

/// SCTP_PR_SCTP_ALL: every policy at once (libusrsctp has it, its public header does not).
const PR_SCTP_ALL: u16 = SCTP_PR_SCTP_ALL as u16;

/// The options of this module.
pub(super) fn handles(name: c_int) -> bool {
    matches!(
        name,
        SCTP_PR_SUPPORTED
            | SCTP_INTERLEAVING_SUPPORTED
            | SCTP_PR_ASSOC_STATUS
            | SCTP_PR_STREAM_STATUS
            | SCTP_PLUGGABLE_SS
            | SCTP_SS_VALUE
    )
}

/// `setsockopt` of the options of this module.
pub(super) fn set(s: &mut Setter<'_>, name: c_int, value: Value) -> Result<(), Errno> {
    match name {
        SCTP_PR_SUPPORTED | SCTP_INTERLEAVING_SUPPORTED => {
            let v: sctp_assoc_value = value.read()?;
            if s.scope(v.assoc_id)? != Scope::Future {
                return Err(EINVAL);
            }
            let on = v.assoc_value != 0;
            if name == SCTP_INTERLEAVING_SUPPORTED {
                if on && s.opts().fragment_interleave != 2 {
                    return Err(EINVAL);
                }
                s.opts().association.capabilities.interleaving = on;
            } else {
                s.opts().association.capabilities.partial_reliability = on;
            }
            Ok(())
        }
        SCTP_PLUGGABLE_SS => {
            let v: sctp_assoc_value = value.read()?;
            let targets = s.targets(v.assoc_id, true)?;
            let kind = SchedulerKind::from_ss_module(v.assoc_value).ok_or(EINVAL)?;
            for t in targets {
                match t {
                    Target::Future => s.opts().association.scheduler = kind,
                    Target::Assoc(a) => s.association(a)?.set_scheduler(kind),
                }
            }
            Ok(())
        }
        SCTP_SS_VALUE => {
            let v: sctp_stream_value = value.read()?;
            let scope = s.scope(v.assoc_id)?;
            let targets = s.targets_of(scope, true)?;
            let mut applied = false;
            for t in targets {
                let Target::Assoc(a) = t else { continue };
                let assoc = s.association(a)?;
                let ok =
                    v.stream_id < outbound_streams(assoc) && assoc.scheduler().has_stream_values();
                if ok {
                    assoc.set_stream_value(v.stream_id, v.stream_value);
                    applied = true;
                } else if scope == Scope::Assoc(a) {
                    return Err(EINVAL);
                }
            }
            // Without an association there is no stream to give a value to.
            if applied || matches!(scope, Scope::Current | Scope::All) {
                Ok(())
            } else {
                Err(EINVAL)
            }
        }
        // SCTP_PR_ASSOC_STATUS and SCTP_PR_STREAM_STATUS are read-only.
        _ => Err(EINVAL),
    }
}

/// `getsockopt` of the options of this module.
pub(super) fn get(g: &Group, id: SocketId, name: c_int, out: Out) -> Result<(), Errno> {
    let o = &g.socket(id).ok_or(Errno(libc::EBADF))?.options;
    let target = |assoc| scope_of(g, id, assoc)?.single();
    let live = |assoc| match target(assoc)? {
        Target::Assoc(a) => association(g, a),
        Target::Future => Err(EINVAL),
    };
    match name {
        SCTP_PR_SUPPORTED | SCTP_INTERLEAVING_SUPPORTED => {
            let mut v: sctp_assoc_value = out.input()?;
            let caps = match target(v.assoc_id)? {
                Target::Future => o.association.capabilities,
                Target::Assoc(a) => association(g, a)?.capabilities(),
            };
            let on = if name == SCTP_PR_SUPPORTED {
                caps.partial_reliability
            } else {
                caps.interleaving
            };
            v.assoc_value = u32::from(on);
            out.write(v)
        }
        SCTP_PLUGGABLE_SS => {
            let mut v: sctp_assoc_value = out.input()?;
            v.assoc_value = match target(v.assoc_id)? {
                Target::Future => o.association.scheduler,
                Target::Assoc(a) => association(g, a)?.scheduler(),
            }
            .ss_module();
            out.write(v)
        }
        SCTP_SS_VALUE => {
            let mut v: sctp_stream_value = out.input()?;
            let assoc = live(v.assoc_id)?;
            if v.stream_id >= outbound_streams(assoc) || !assoc.scheduler().has_stream_values() {
                return Err(EINVAL);
            }
            v.stream_value = assoc.stream_value(v.stream_id);
            out.write(v)
        }
        SCTP_PR_ASSOC_STATUS | SCTP_PR_STREAM_STATUS => {
            let mut v: sctp_prstatus = out.input()?;
            let assoc = live(v.sprstat_assoc_id)?;
            let counts = assoc.abandoned();
            let (unsent, sent) = match (name, v.sprstat_policy) {
                (SCTP_PR_ASSOC_STATUS, PR_SCTP_ALL) => counts.policy(0),
                (SCTP_PR_ASSOC_STATUS, p @ 1..=3) => counts.policy(p),
                (SCTP_PR_STREAM_STATUS, PR_SCTP_ALL) if v.sprstat_sid < outbound_streams(assoc) => {
                    counts.stream(v.sprstat_sid)
                }
                _ => return Err(EINVAL),
            };
            v.sprstat_abandoned_unsent = unsent;
            v.sprstat_abandoned_sent = sent;
            out.write(v)
        }
        _ => Err(Errno(libc::ENOPROTOOPT)),
    }
}
