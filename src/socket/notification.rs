//! RFC 6458 §6.1 notifications, byte for byte as libusrsctp 0.9.5 delivers them.
//!
//! [`encode`] turns an association [`Event`] into the bytes an application reads from
//! `usrsctp_recvv` with `MSG_NOTIFICATION` set (or receives in its `receive_cb`): a
//! `union sctp_notification` member, in host byte order, followed by its variable part. The layouts
//! are those of libusrsctp's internal `netinet/sctp_uio.h`, which is what decides the bytes; they
//! equal those of the public `usrsctp.h` except for `struct sctp_pdapi_event` (see
//! [`layout::pdapi_event`]). `tests/notifications_vs_libusrsctp.rs` checks every encoding against
//! notifications recorded from Debian's libusrsctp 0.9.5 (`tests/captures/notifications.c`) and
//! every offset against the `#[repr(C)]` structures of `crate::ffi`.
//!
//! This module knows no C types: the type codes, states and layouts below are plain facts of the
//! header, restated here so that the socket layer stays free of FFI.
//!
//! # What libusrsctp does that RFC 6458 does not say (all recorded, see the capture)
//! - **`sac_info` on COMM_UP and RESTART** lists the features in the order PR, AUTH, ASCONF,
//!   INTERLEAVING, MULTIBUF, RE_CONFIG — not in numeric order: INTERLEAVING (6) comes before
//!   MULTIBUF (4). MULTIBUF is always present. `sac_length` counts the listed bytes only
//!   (20 + n), with no padding.
//! - **COMM_LOST / CANT_STR_ASSOC after a peer ABORT** carry the ABORT chunk itself in `sac_info`
//!   (chunk header included, `chunk_length` bytes, so without trailing padding; cut at 512 bytes,
//!   libusrsctp's `SCTP_CHUNK_BUFFER_SIZE`), and `sac_error` is the *first* cause code of that
//!   ABORT in host order, or 0 when it has none. When the association ended on our side,
//!   `sac_info` is empty and `sac_error` is the cause code of the ABORT we sent: 0 for a user
//!   abort (`SCTP_ABORT`) and for timeouts (whose cause carries the `sctp_diag_info_code` sysctl,
//!   0 by default).
//! - **CANT_STR_ASSOC** reports `sac_outbound_streams` = the number of outbound streams the INIT
//!   asked for and `sac_inbound_streams` = 0 (the header says both are meaningless there).
//! - **SCTP_REMOTE_ERROR** carries the whole ERROR chunk (header included, `chunk_length` bytes,
//!   cut at 512) in `sre_data`, one notification per ERROR chunk, and `sre_error` is the code of
//!   the *first* cause in host order.
//! - **SCTP_PEER_ADDR_CHANGE**: `spc_error` is 0 for ADDR_CONFIRMED and ADDR_UNREACHABLE; the
//!   address is the peer's with the association's SCTP port (never the UDP encapsulation port),
//!   and an AF_CONN address is a `struct sockaddr_conn` whose `sconn_addr` is the application's
//!   pointer. The passive side (the one that received COOKIE-ECHO) reports ADDR_CONFIRMED for the
//!   peer's address right after COMM_UP; the active side does not.
//! - **SCTP_SEND_FAILED_EVENT** is delivered once per DATA chunk for data that was handed to the
//!   chunk queues (a fragmented message that failed after fragmentation gives one notification
//!   per failed fragment, with that fragment's payload), and once per message for data still in
//!   the stream queue. `ssfe_info.snd_flags` is not the application's `snd_flags`: for chunks it
//!   is the DATA chunk's flag bits (U = 0x04, B = 0x02, E = 0x01, so an unfragmented unordered
//!   message reads 0x0007); for a message still in the stream queue it is
//!   `SCTP_DATA_NOT_FRAG` (0x0003), or `SCTP_DATA_LAST_FRAG` when part of it was already taken,
//!   without the U bit. `snd_ppid` is the PPID in network byte order, as the application passed
//!   it. `ssfe_error` was 0 in every recorded case (PR-SCTP abandonment, user abort).
//! - **SCTP_PARTIAL_DELIVERY_EVENT** is 20 bytes, not the 24 of the public header: libusrsctp fills
//!   its internal structure, whose `pdapi_stream` and `pdapi_seq` are 16-bit. A C program that
//!   reads `pdapi_stream` through the public header sees `stream | seq << 16`, `pdapi_seq` holds
//!   the association id and `pdapi_assoc_id` lies past the end. `pdapi_seq` is the SSN, or the MID
//!   cut to 16 bits with I-DATA.
//! - **SCTP_ADAPTATION_INDICATION** holds the peer's indication in host order.
//! - libusrsctp also reports SCTP_AUTHENTICATION_EVENT / SCTP_AUTH_NO_AUTH right after COMM_UP or
//!   RESTART when the peer does not support AUTH; the socket layer adds it (see
//!   [`encode_no_peer_auth`]). NEW_KEY and FREE_KEY come from `Event::Authentication`, with the
//!   previous key in `auth_altkeynumber` (a field of libusrsctp's own structure that `usrsctp.h`
//!   leaves as padding).
//! - In `receive_cb` mode, after SHUTDOWN_COMP libusrsctp also calls `receive_cb` once with no data
//!   (length 0) to signal the end of the association; that belongs to the socket layer.

use std::net::{IpAddr, SocketAddr};

use crate::assoc::event::{Event, FailedMessage, LossReason, PathState};
use crate::types::NetAddr;

// ---- type codes (`sn_type`), RFC 6458 §6.1 -----------------------------------------------------

pub const SCTP_ASSOC_CHANGE: u16 = 0x0001;
pub const SCTP_PEER_ADDR_CHANGE: u16 = 0x0002;
pub const SCTP_REMOTE_ERROR: u16 = 0x0003;
/// The deprecated `struct sctp_send_failed`; libusrsctp sends it only to applications that
/// subscribed to it and not to SCTP_SEND_FAILED_EVENT. Not produced by [`encode`].
pub const SCTP_SEND_FAILED: u16 = 0x0004;
pub const SCTP_SHUTDOWN_EVENT: u16 = 0x0005;
pub const SCTP_ADAPTATION_INDICATION: u16 = 0x0006;
pub const SCTP_PARTIAL_DELIVERY_EVENT: u16 = 0x0007;
pub const SCTP_AUTHENTICATION_EVENT: u16 = 0x0008;
pub const SCTP_STREAM_RESET_EVENT: u16 = 0x0009;
pub const SCTP_SENDER_DRY_EVENT: u16 = 0x000a;
pub const SCTP_NOTIFICATIONS_STOPPED_EVENT: u16 = 0x000b;
pub const SCTP_ASSOC_RESET_EVENT: u16 = 0x000c;
pub const SCTP_STREAM_CHANGE_EVENT: u16 = 0x000d;
pub const SCTP_SEND_FAILED_EVENT: u16 = 0x000e;

// ---- sac_state --------------------------------------------------------------------------------

pub const SCTP_COMM_UP: u16 = 0x0001;
pub const SCTP_COMM_LOST: u16 = 0x0002;
pub const SCTP_RESTART: u16 = 0x0003;
pub const SCTP_SHUTDOWN_COMP: u16 = 0x0004;
pub const SCTP_CANT_STR_ASSOC: u16 = 0x0005;

// ---- sac_info bytes on COMM_UP / RESTART ------------------------------------------------------

pub const SCTP_ASSOC_SUPPORTS_PR: u8 = 0x01;
pub const SCTP_ASSOC_SUPPORTS_AUTH: u8 = 0x02;
pub const SCTP_ASSOC_SUPPORTS_ASCONF: u8 = 0x03;
pub const SCTP_ASSOC_SUPPORTS_MULTIBUF: u8 = 0x04;
pub const SCTP_ASSOC_SUPPORTS_RE_CONFIG: u8 = 0x05;
pub const SCTP_ASSOC_SUPPORTS_INTERLEAVING: u8 = 0x06;

// ---- spc_state --------------------------------------------------------------------------------

pub const SCTP_ADDR_AVAILABLE: u32 = 0x0001;
pub const SCTP_ADDR_UNREACHABLE: u32 = 0x0002;
pub const SCTP_ADDR_REMOVED: u32 = 0x0003;
pub const SCTP_ADDR_ADDED: u32 = 0x0004;
pub const SCTP_ADDR_MADE_PRIM: u32 = 0x0005;
pub const SCTP_ADDR_CONFIRMED: u32 = 0x0006;

// ---- ssfe_flags, snd_flags, pdapi_indication, auth_indication ---------------------------------

pub const SCTP_DATA_UNSENT: u16 = 0x0001;
pub const SCTP_DATA_SENT: u16 = 0x0002;
/// `snd_flags` of a failed message that was still whole in the stream queue.
pub const SCTP_DATA_NOT_FRAG: u16 = 0x0003;
/// `snd_flags` of a failed message of which a part had already been sent.
pub const SCTP_DATA_LAST_FRAG: u16 = 0x0001;
pub const SCTP_PARTIAL_DELIVERY_ABORTED: u32 = 0x0001;
pub const SCTP_AUTH_NEW_KEY: u32 = 0x0001;
pub const SCTP_AUTH_NO_AUTH: u32 = 0x0002;
pub const SCTP_AUTH_FREE_KEY: u32 = 0x0003;

// ---- address families as libusrsctp writes them (Linux) ---------------------------------------

/// `AF_CONN` of libusrsctp: addresses that are opaque pointers of the application.
pub const AF_CONN: u16 = 123;
pub const AF_INET: u16 = libc::AF_INET as u16;
pub const AF_INET6: u16 = libc::AF_INET6 as u16;

/// Bytes of a `struct sockaddr_storage`.
pub const SOCKADDR_STORAGE_LEN: usize = 128;

/// libusrsctp copies at most this much of an ABORT or ERROR chunk into a notification
/// (`SCTP_CHUNK_BUFFER_SIZE`).
pub const CHUNK_COPY_LIMIT: usize = 512;

/// Byte offsets and sizes of the notification structures. Every structure starts with the
/// common header `{u16 type; u16 flags; u32 length}` at offsets 0, 2 and 4.
pub mod layout {
    /// `struct sctp_tlv` (`sn_header`).
    pub mod header {
        pub const TYPE: usize = 0;
        pub const FLAGS: usize = 2;
        pub const LENGTH: usize = 4;
        pub const LEN: usize = 8;
    }
    /// `struct sctp_assoc_change`, followed by `sac_info`.
    pub mod assoc_change {
        pub const STATE: usize = 8;
        pub const ERROR: usize = 10;
        pub const OUTBOUND_STREAMS: usize = 12;
        pub const INBOUND_STREAMS: usize = 14;
        pub const ASSOC_ID: usize = 16;
        pub const INFO: usize = 20;
        pub const LEN: usize = 20;
    }
    /// `struct sctp_paddr_change`.
    pub mod paddr_change {
        pub const AADDR: usize = 8;
        pub const STATE: usize = 136;
        pub const ERROR: usize = 140;
        pub const ASSOC_ID: usize = 144;
        pub const LEN: usize = 152;
    }
    /// `struct sctp_remote_error`, followed by `sre_data`.
    pub mod remote_error {
        pub const ERROR: usize = 8;
        pub const ASSOC_ID: usize = 12;
        pub const DATA: usize = 16;
        pub const LEN: usize = 16;
    }
    /// `struct sctp_shutdown_event`.
    pub mod shutdown_event {
        pub const ASSOC_ID: usize = 8;
        pub const LEN: usize = 12;
    }
    /// `struct sctp_adaptation_event`.
    pub mod adaptation_event {
        pub const ADAPTATION_IND: usize = 8;
        pub const ASSOC_ID: usize = 12;
        pub const LEN: usize = 16;
    }
    /// `struct sctp_pdapi_event` as libusrsctp 0.9.5 fills it: `{u32 indication; u16 stream;
    /// u16 seq; sctp_assoc_t assoc_id}` after the header, 20 bytes. The public `usrsctp.h`
    /// declares `pdapi_stream` and `pdapi_seq` as `uint32_t` (24 bytes); only `INDICATION` and
    /// `STREAM` (as a start offset) agree with it.
    pub mod pdapi_event {
        pub const INDICATION: usize = 8;
        pub const STREAM: usize = 12;
        pub const SEQ: usize = 14;
        pub const ASSOC_ID: usize = 16;
        pub const LEN: usize = 20;
    }
    /// `struct sctp_authkey_event` (libusrsctp's internal layout names the padding after
    /// `auth_keynumber` `auth_altkeynumber`; the offsets agree with the public header).
    pub mod authkey_event {
        pub const KEYNUMBER: usize = 8;
        /// `auth_altkeynumber` of libusrsctp's internal structure (padding in `usrsctp.h`).
        pub const ALT_KEYNUMBER: usize = 10;
        pub const INDICATION: usize = 12;
        pub const ASSOC_ID: usize = 16;
        pub const LEN: usize = 20;
    }
    /// `struct sctp_sender_dry_event`.
    pub mod sender_dry_event {
        pub const ASSOC_ID: usize = 8;
        pub const LEN: usize = 12;
    }
    /// `struct sctp_send_failed_event`, followed by `ssfe_data`.
    pub mod send_failed_event {
        pub const ERROR: usize = 8;
        /// `struct sctp_sndinfo ssfe_info`.
        pub const INFO: usize = 12;
        pub const INFO_SID: usize = 12;
        pub const INFO_FLAGS: usize = 14;
        pub const INFO_PPID: usize = 16;
        pub const INFO_CONTEXT: usize = 20;
        pub const INFO_ASSOC_ID: usize = 24;
        pub const ASSOC_ID: usize = 28;
        pub const DATA: usize = 32;
        pub const LEN: usize = 32;
    }
    /// `struct sockaddr_conn` of libusrsctp inside a `sockaddr_storage`.
    pub mod sockaddr_conn {
        pub const FAMILY: usize = 0;
        pub const PORT: usize = 2;
        pub const ADDR: usize = 8;
        pub const LEN: usize = 16;
    }
}

/// The extensions an association uses, as COMM_UP and RESTART list them in `sac_info`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Features {
    /// PR-SCTP (RFC 3758): SCTP_ASSOC_SUPPORTS_PR.
    pub partial_reliability: bool,
    /// AUTH (RFC 4895): SCTP_ASSOC_SUPPORTS_AUTH.
    pub auth: bool,
    /// ASCONF (RFC 5061): SCTP_ASSOC_SUPPORTS_ASCONF.
    pub asconf: bool,
    /// I-DATA (RFC 8260): SCTP_ASSOC_SUPPORTS_INTERLEAVING.
    pub interleaving: bool,
    /// RE-CONFIG (RFC 6525): SCTP_ASSOC_SUPPORTS_RE_CONFIG.
    pub reconfig: bool,
}

impl Features {
    /// The `sac_info` bytes, in libusrsctp's order: PR, AUTH, ASCONF, INTERLEAVING, MULTIBUF
    /// (always), RE_CONFIG.
    pub fn sac_info(&self) -> Vec<u8> {
        let mut info = Vec::with_capacity(6);
        let listed = [
            (self.partial_reliability, SCTP_ASSOC_SUPPORTS_PR),
            (self.auth, SCTP_ASSOC_SUPPORTS_AUTH),
            (self.asconf, SCTP_ASSOC_SUPPORTS_ASCONF),
            (self.interleaving, SCTP_ASSOC_SUPPORTS_INTERLEAVING),
            (true, SCTP_ASSOC_SUPPORTS_MULTIBUF),
            (self.reconfig, SCTP_ASSOC_SUPPORTS_RE_CONFIG),
        ];
        info.extend(listed.iter().filter(|(on, _)| *on).map(|(_, b)| *b));
        info
    }
}

impl From<crate::assoc::capabilities::Capabilities> for Features {
    /// The extensions the association negotiated.
    fn from(c: crate::assoc::capabilities::Capabilities) -> Self {
        Features {
            partial_reliability: c.partial_reliability,
            auth: c.auth,
            asconf: c.asconf,
            interleaving: c.interleaving,
            reconfig: c.reconfig,
        }
    }
}

/// What a notification needs that its [`Event`] does not carry. `Default` gives the values
/// libusrsctp uses when nothing special applies (no chunk copies, zero errors and contexts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotificationContext<'a> {
    /// The association's extensions, listed in `sac_info` of COMM_UP and RESTART.
    pub features: Features,
    /// The association's outbound and inbound stream counts, for the ASSOC_CHANGE states whose
    /// event carries none (COMM_LOST, SHUTDOWN_COMP, CANT_STR_ASSOC). For CANT_STR_ASSOC
    /// libusrsctp reports the outbound streams the INIT asked for and 0 inbound streams.
    pub outbound_streams: u16,
    pub inbound_streams: u16,
    /// The ABORT chunk the peer sent, as received (header included, without trailing padding),
    /// for COMM_LOST and CANT_STR_ASSOC. When `None`, a `Lost(PeerAborted)` event's causes are
    /// wrapped in an ABORT chunk header with the T bit clear.
    pub abort_chunk: Option<&'a [u8]>,
    /// `sac_error` of a COMM_LOST or CANT_STR_ASSOC that did not come from the peer: the cause
    /// code of the ABORT we sent (0 for a user abort and for timeouts).
    pub local_abort_cause: u16,
    /// The ERROR chunk the peer sent, as received (header included, without trailing padding),
    /// for SCTP_REMOTE_ERROR. When `None`, the event's single cause is wrapped in an ERROR chunk.
    pub error_chunk: Option<&'a [u8]>,
    /// The peer's SCTP port (host order), for the address of SCTP_PEER_ADDR_CHANGE.
    pub peer_port: u16,
    /// Report IPv4 addresses as IPv4-mapped IPv6 ones (SCTP_I_WANT_MAPPED_V4_ADDR on an IPv6
    /// socket).
    pub map_ipv4_to_ipv6: bool,
    /// `snd_context` the application gave the failed message (SCTP_SEND_FAILED_EVENT).
    pub send_context: u32,
    /// `ssfe_error` (0 in every case recorded from libusrsctp).
    pub send_error: u32,
    /// `snd_flags` of SCTP_SEND_FAILED_EVENT when the failure concerns one DATA chunk: its flag
    /// bits (U 0x04, B 0x02, E 0x01). `None` means a whole message: U|B|E for sent data, B|E for
    /// data still in the stream queue.
    pub data_chunk_flags: Option<u8>,
}

/// The notification type (`sn_type`) an event is delivered as: what SCTP_EVENT subscribes to.
pub fn event_type(event: &Event) -> u16 {
    match event {
        Event::Connected { .. }
        | Event::Restarted { .. }
        | Event::CannotStart
        | Event::Lost(_)
        | Event::ShutdownComplete => SCTP_ASSOC_CHANGE,
        Event::PathChanged { .. } => SCTP_PEER_ADDR_CHANGE,
        Event::RemoteError { .. } => SCTP_REMOTE_ERROR,
        Event::SendFailed(_) => SCTP_SEND_FAILED_EVENT,
        Event::PeerShutdown => SCTP_SHUTDOWN_EVENT,
        Event::Adaptation(_) => SCTP_ADAPTATION_INDICATION,
        Event::SenderDry => SCTP_SENDER_DRY_EVENT,
        Event::PartialDeliveryAborted { .. } => SCTP_PARTIAL_DELIVERY_EVENT,
        Event::StreamReset { .. } => SCTP_STREAM_RESET_EVENT,
        Event::AssocReset { .. } => SCTP_ASSOC_RESET_EVENT,
        Event::StreamChange { .. } => SCTP_STREAM_CHANGE_EVENT,
        Event::Authentication { .. } => SCTP_AUTHENTICATION_EVENT,
    }
}

/// The notification libusrsctp 0.9.5 delivers for `event` on association `assoc_id`, or `None`
/// for an event that has no notification. The bytes are host order, as `usrsctp_recvv` returns
/// them.
///
/// In COOKIE-WAIT and COOKIE-ECHOED an ABORT from the peer makes the association report
/// `Lost(PeerAborted)` and then `CannotStart`; libusrsctp delivers only CANT_STR_ASSOC (with the
/// ABORT chunk), so the socket layer encodes the `CannotStart` with the chunk in
/// [`NotificationContext::abort_chunk`] and drops the `Lost`.
pub fn encode(event: &Event, assoc_id: u32, ctx: &NotificationContext) -> Option<Vec<u8>> {
    let bytes = match event {
        Event::StreamReset { .. } | Event::AssocReset { .. } | Event::StreamChange { .. } => {
            return super::reconfig_notification::encode(event, assoc_id);
        }
        Event::Connected {
            outbound_streams,
            inbound_streams,
        } => assoc_change(
            SCTP_COMM_UP,
            0,
            *outbound_streams,
            *inbound_streams,
            assoc_id,
            &ctx.features.sac_info(),
        ),
        Event::Restarted {
            outbound_streams,
            inbound_streams,
        } => assoc_change(
            SCTP_RESTART,
            0,
            *outbound_streams,
            *inbound_streams,
            assoc_id,
            &ctx.features.sac_info(),
        ),
        Event::CannotStart => {
            let (error, info) = match ctx.abort_chunk {
                Some(chunk) => (first_cause_code(chunk), clip(chunk)),
                None => (ctx.local_abort_cause, &[][..]),
            };
            assoc_change(
                SCTP_CANT_STR_ASSOC,
                error,
                ctx.outbound_streams,
                ctx.inbound_streams,
                assoc_id,
                info,
            )
        }
        Event::Lost(reason) => {
            let built;
            let chunk = match (reason, ctx.abort_chunk) {
                (LossReason::PeerAborted { .. }, Some(chunk)) => Some(chunk),
                (LossReason::PeerAborted { causes }, None) => {
                    built = wrap_chunk(CHUNK_ABORT, causes);
                    Some(&built[..])
                }
                _ => None,
            };
            let (error, info) = match chunk {
                Some(chunk) => (first_cause_code(chunk), clip(chunk)),
                None => (ctx.local_abort_cause, &[][..]),
            };
            assoc_change(
                SCTP_COMM_LOST,
                error,
                ctx.outbound_streams,
                ctx.inbound_streams,
                assoc_id,
                info,
            )
        }
        Event::ShutdownComplete => assoc_change(
            SCTP_SHUTDOWN_COMP,
            0,
            ctx.outbound_streams,
            ctx.inbound_streams,
            assoc_id,
            &[],
        ),
        Event::PathChanged { addr, state } => paddr_change(addr, *state, assoc_id, ctx),
        Event::RemoteError { cause_code, info } => {
            let built;
            let (error, chunk) = match ctx.error_chunk {
                Some(chunk) => (first_cause_code(chunk), chunk),
                None => {
                    let mut cause = Vec::with_capacity(4 + info.len());
                    cause.extend_from_slice(&cause_code.to_be_bytes());
                    cause.extend_from_slice(&tlv_len(4 + info.len()).to_be_bytes());
                    cause.extend_from_slice(info);
                    built = wrap_chunk(CHUNK_ERROR, &cause);
                    (*cause_code, &built[..])
                }
            };
            let chunk = clip(chunk);
            let mut b = header(
                SCTP_REMOTE_ERROR,
                0,
                layout::remote_error::LEN,
                layout::remote_error::LEN + chunk.len(),
            );
            put_u16(&mut b, layout::remote_error::ERROR, error);
            put_u32(&mut b, layout::remote_error::ASSOC_ID, assoc_id);
            b.extend_from_slice(chunk);
            b
        }
        Event::SendFailed(message) => send_failed(message, assoc_id, ctx),
        Event::PeerShutdown => {
            let mut b = header(
                SCTP_SHUTDOWN_EVENT,
                0,
                layout::shutdown_event::LEN,
                layout::shutdown_event::LEN,
            );
            put_u32(&mut b, layout::shutdown_event::ASSOC_ID, assoc_id);
            b
        }
        Event::Adaptation(indication) => {
            let mut b = header(
                SCTP_ADAPTATION_INDICATION,
                0,
                layout::adaptation_event::LEN,
                layout::adaptation_event::LEN,
            );
            put_u32(
                &mut b,
                layout::adaptation_event::ADAPTATION_IND,
                *indication,
            );
            put_u32(&mut b, layout::adaptation_event::ASSOC_ID, assoc_id);
            b
        }
        Event::SenderDry => {
            let mut b = header(
                SCTP_SENDER_DRY_EVENT,
                0,
                layout::sender_dry_event::LEN,
                layout::sender_dry_event::LEN,
            );
            put_u32(&mut b, layout::sender_dry_event::ASSOC_ID, assoc_id);
            b
        }
        Event::Authentication {
            indication,
            key_id,
            alt_key_id,
        } => {
            let indication = match indication {
                crate::assoc::event::AuthIndication::NewKey => SCTP_AUTH_NEW_KEY,
                crate::assoc::event::AuthIndication::FreeKey => SCTP_AUTH_FREE_KEY,
            };
            authkey_event(indication, *key_id, *alt_key_id, assoc_id)
        }
        Event::PartialDeliveryAborted {
            stream_id,
            ssn_or_mid,
            ..
        } => {
            let mut b = header(
                SCTP_PARTIAL_DELIVERY_EVENT,
                0,
                layout::pdapi_event::LEN,
                layout::pdapi_event::LEN,
            );
            put_u32(
                &mut b,
                layout::pdapi_event::INDICATION,
                SCTP_PARTIAL_DELIVERY_ABORTED,
            );
            put_u16(&mut b, layout::pdapi_event::STREAM, stream_id.0);
            // libusrsctp: `pdapi_seq = (uint16_t)mid`.
            put_u16(&mut b, layout::pdapi_event::SEQ, *ssn_or_mid as u16);
            put_u32(&mut b, layout::pdapi_event::ASSOC_ID, assoc_id);
            b
        }
    };
    Some(bytes)
}

/// SCTP_AUTHENTICATION_EVENT with SCTP_AUTH_NO_AUTH, which libusrsctp delivers right after
/// COMM_UP and RESTART when the peer does not support AUTH (RFC 6458 §6.1.8); key numbers 0
/// (c-tests/test_auth.c checks it against Debian's library).
pub fn encode_no_peer_auth(assoc_id: u32) -> Vec<u8> {
    authkey_event(SCTP_AUTH_NO_AUTH, 0, 0, assoc_id)
}

/// A `struct sctp_authkey_event` (20 bytes). Recorded from libusrsctp: a first AUTH with key 1
/// gives `08 00 00 00 14 00 00 00 01 00 00 00 01 00 00 00` + the association id; a change from
/// key 1 to 2 has `02 00 01 00` at offset 8 (the previous key as `auth_altkeynumber`).
fn authkey_event(indication: u32, key: u16, alt_key: u16, assoc_id: u32) -> Vec<u8> {
    let mut b = header(
        SCTP_AUTHENTICATION_EVENT,
        0,
        layout::authkey_event::LEN,
        layout::authkey_event::LEN,
    );
    put_u16(&mut b, layout::authkey_event::KEYNUMBER, key);
    put_u16(&mut b, layout::authkey_event::ALT_KEYNUMBER, alt_key);
    put_u32(&mut b, layout::authkey_event::INDICATION, indication);
    put_u32(&mut b, layout::authkey_event::ASSOC_ID, assoc_id);
    b
}

/// The 128 bytes of a `struct sockaddr_storage` holding `addr` with SCTP port `port` (host
/// order), as libusrsctp writes addresses into notifications on Linux: `sockaddr_in`,
/// `sockaddr_in6` (optionally IPv4-mapped) or libusrsctp's `sockaddr_conn`, zero-filled.
pub fn sockaddr_storage(
    addr: &NetAddr,
    port: u16,
    map_ipv4_to_ipv6: bool,
) -> [u8; SOCKADDR_STORAGE_LEN] {
    let mut s = [0u8; SOCKADDR_STORAGE_LEN];
    // Every family puts the port, in network order, at offset 2.
    s[2..4].copy_from_slice(&port.to_be_bytes());
    match addr {
        NetAddr::Conn(pointer) => {
            s[layout::sockaddr_conn::FAMILY..][..2].copy_from_slice(&AF_CONN.to_ne_bytes());
            // `void *sconn_addr`: the application's pointer, 8 bytes on 64-bit targets.
            let p = pointer.to_ne_bytes();
            let width = std::mem::size_of::<usize>();
            let p = if cfg!(target_endian = "little") {
                &p[..width]
            } else {
                &p[8 - width..]
            };
            s[layout::sockaddr_conn::ADDR..][..width].copy_from_slice(p);
        }
        NetAddr::Ip(SocketAddr::V4(v4)) if !map_ipv4_to_ipv6 => {
            s[0..2].copy_from_slice(&AF_INET.to_ne_bytes());
            s[4..8].copy_from_slice(&v4.ip().octets());
        }
        NetAddr::Ip(ip) => {
            let (v6, flowinfo, scope_id) = match ip {
                SocketAddr::V4(v4) => (v4.ip().to_ipv6_mapped(), 0, 0),
                SocketAddr::V6(v6) => (*v6.ip(), v6.flowinfo(), v6.scope_id()),
            };
            s[0..2].copy_from_slice(&AF_INET6.to_ne_bytes());
            // `sin6_flowinfo` is kept in network order, `sin6_scope_id` in host order.
            s[4..8].copy_from_slice(&flowinfo.to_be_bytes());
            s[8..24].copy_from_slice(&v6.octets());
            s[24..28].copy_from_slice(&scope_id.to_ne_bytes());
        }
    }
    s
}

/// The address an `IpAddr` peer has in SCTP_PEER_ADDR_CHANGE.
pub fn ip_sockaddr_storage(
    ip: IpAddr,
    port: u16,
    map_ipv4_to_ipv6: bool,
) -> [u8; SOCKADDR_STORAGE_LEN] {
    sockaddr_storage(
        &NetAddr::Ip(SocketAddr::new(ip, port)),
        port,
        map_ipv4_to_ipv6,
    )
}

const CHUNK_ABORT: u8 = 6;
const CHUNK_ERROR: u8 = 9;

fn assoc_change(
    state: u16,
    error: u16,
    outbound_streams: u16,
    inbound_streams: u16,
    assoc_id: u32,
    info: &[u8],
) -> Vec<u8> {
    use layout::assoc_change as f;
    let mut b = header(SCTP_ASSOC_CHANGE, 0, f::LEN, f::LEN + info.len());
    put_u16(&mut b, f::STATE, state);
    put_u16(&mut b, f::ERROR, error);
    put_u16(&mut b, f::OUTBOUND_STREAMS, outbound_streams);
    put_u16(&mut b, f::INBOUND_STREAMS, inbound_streams);
    put_u32(&mut b, f::ASSOC_ID, assoc_id);
    b.extend_from_slice(info);
    b
}

fn paddr_change(
    addr: &NetAddr,
    state: PathState,
    assoc_id: u32,
    ctx: &NotificationContext,
) -> Vec<u8> {
    use layout::paddr_change as f;
    let mut b = header(SCTP_PEER_ADDR_CHANGE, 0, f::LEN, f::LEN);
    // libusrsctp reports the address of an ASCONF Set Primary as the parameter had it: port 0.
    let port = match state {
        PathState::MadePrimaryByPeer => 0,
        _ => ctx.peer_port,
    };
    b[f::AADDR..][..SOCKADDR_STORAGE_LEN].copy_from_slice(&sockaddr_storage(
        addr,
        port,
        ctx.map_ipv4_to_ipv6,
    ));
    let state = match state {
        PathState::Available => SCTP_ADDR_AVAILABLE,
        PathState::Unreachable => SCTP_ADDR_UNREACHABLE,
        PathState::Confirmed => SCTP_ADDR_CONFIRMED,
        PathState::MadePrimary | PathState::MadePrimaryByPeer => SCTP_ADDR_MADE_PRIM,
        PathState::Added => SCTP_ADDR_ADDED,
        PathState::Removed => SCTP_ADDR_REMOVED,
    };
    put_u32(&mut b, f::STATE, state);
    put_u32(&mut b, f::ERROR, 0);
    put_u32(&mut b, f::ASSOC_ID, assoc_id);
    b
}

fn send_failed(message: &FailedMessage, assoc_id: u32, ctx: &NotificationContext) -> Vec<u8> {
    use layout::send_failed_event as f;
    let flags = if message.was_sent {
        SCTP_DATA_SENT
    } else {
        SCTP_DATA_UNSENT
    };
    let snd_flags = match ctx.data_chunk_flags {
        Some(bits) => u16::from(bits),
        None if message.was_sent => SCTP_DATA_NOT_FRAG | if message.unordered { 0x04 } else { 0 },
        None => SCTP_DATA_NOT_FRAG,
    };
    let mut b = header(
        SCTP_SEND_FAILED_EVENT,
        flags,
        f::LEN,
        f::LEN + message.data.len(),
    );
    put_u32(&mut b, f::ERROR, ctx.send_error);
    put_u16(&mut b, f::INFO_SID, message.stream_id.0);
    put_u16(&mut b, f::INFO_FLAGS, snd_flags);
    // The PPID travels as the application gave it: in network byte order.
    b[f::INFO_PPID..][..4].copy_from_slice(&message.ppid.0.to_be_bytes());
    put_u32(&mut b, f::INFO_CONTEXT, ctx.send_context);
    put_u32(&mut b, f::INFO_ASSOC_ID, assoc_id);
    put_u32(&mut b, f::ASSOC_ID, assoc_id);
    b.extend_from_slice(&message.data);
    b
}

/// A zeroed structure of `fixed` bytes with its common header filled in, whose `length` field
/// says `total` (the variable part is appended by the caller).
fn header(sn_type: u16, flags: u16, fixed: usize, total: usize) -> Vec<u8> {
    let mut b = vec![0u8; fixed];
    b.reserve(total - fixed);
    put_u16(&mut b, layout::header::TYPE, sn_type);
    put_u16(&mut b, layout::header::FLAGS, flags);
    put_u32(&mut b, layout::header::LENGTH, total as u32);
    b
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_ne_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

/// A chunk's length field for a TLV of `len` bytes (saturating: no real chunk is this long).
fn tlv_len(len: usize) -> u16 {
    u16::try_from(len).unwrap_or(u16::MAX)
}

/// An ABORT or ERROR chunk with flags 0 around `causes`, its length without trailing padding.
fn wrap_chunk(chunk_type: u8, causes: &[u8]) -> Vec<u8> {
    let mut chunk = Vec::with_capacity(4 + causes.len());
    chunk.push(chunk_type);
    chunk.push(0);
    chunk.extend_from_slice(&tlv_len(4 + causes.len()).to_be_bytes());
    chunk.extend_from_slice(causes);
    chunk
}

/// The part of a received chunk libusrsctp copies: `chunk_length` bytes (no trailing padding),
/// at most [`CHUNK_COPY_LIMIT`].
fn clip(chunk: &[u8]) -> &[u8] {
    let declared = match chunk {
        [_, _, hi, lo, ..] => usize::from(u16::from_be_bytes([*hi, *lo])),
        _ => chunk.len(),
    };
    &chunk[..chunk.len().min(declared.max(4)).min(CHUNK_COPY_LIMIT)]
}

/// The code of a chunk's first cause (host order), 0 when it has none.
fn first_cause_code(chunk: &[u8]) -> u16 {
    match chunk {
        [_, _, hi, lo, c0, c1, ..] if u16::from_be_bytes([*hi, *lo]) >= 8 => {
            u16::from_be_bytes([*c0, *c1])
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Ppid, StreamId};

    #[test]
    fn sac_info_order_puts_interleaving_before_multibuf() {
        let all = Features {
            partial_reliability: true,
            auth: true,
            asconf: true,
            interleaving: true,
            reconfig: true,
        };
        assert_eq!(all.sac_info(), [1, 2, 3, 6, 4, 5]);
        assert_eq!(Features::default().sac_info(), [4]);
    }

    #[test]
    fn lengths_include_the_variable_part() {
        let ctx = NotificationContext::default();
        let lost = Event::Lost(LossReason::PeerAborted {
            causes: vec![0, 0x0c, 0, 7, b'b', b'y', b'e'],
        });
        let b = encode(&lost, 3, &ctx).unwrap();
        assert_eq!(b.len(), 31);
        assert_eq!(u32::from_ne_bytes(b[4..8].try_into().unwrap()), 31);
        assert_eq!(u16::from_ne_bytes(b[10..12].try_into().unwrap()), 0x0c);
        assert_eq!(&b[20..24], [6, 0, 0, 11]);

        let failed = Event::SendFailed(FailedMessage {
            stream_id: StreamId(2),
            ppid: Ppid(51),
            unordered: true,
            was_sent: true,
            context: 0,
            data: vec![7; 10],
        });
        let b = encode(&failed, 3, &ctx).unwrap();
        assert_eq!(b.len(), 42);
        assert_eq!(&b[14..20], [7, 0, 0, 0, 0, 51]);
    }

    #[test]
    fn chunk_copies_are_clipped_to_their_length_and_512_bytes() {
        let padded = [6, 0, 0, 7, 0, 1, 0, 3];
        assert_eq!(clip(&padded), &padded[..7]);
        let mut big = vec![9, 0, 0x08, 0x00];
        big.resize(0x800, 0);
        assert_eq!(clip(&big).len(), CHUNK_COPY_LIMIT);
        assert_eq!(first_cause_code(&[6, 0, 0, 4]), 0);
    }

    #[test]
    fn ipv4_addresses_can_be_mapped() {
        let v4: IpAddr = "192.0.2.1".parse().unwrap();
        let plain = ip_sockaddr_storage(v4, 5000, false);
        assert_eq!(&plain[..8], &[2, 0, 0x13, 0x88, 192, 0, 2, 1]);
        let mapped = ip_sockaddr_storage(v4, 5000, true);
        assert_eq!(&mapped[..4], &[10, 0, 0x13, 0x88]);
        assert_eq!(&mapped[18..24], &[0xff, 0xff, 192, 0, 2, 1]);
    }
}
