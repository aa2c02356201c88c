//! The integer constants of the libusrsctp 0.9.5 header, with the same names and values.
//!
//! `MSG_NOTIFICATION` and `IPPROTO_SCTP` are not here: the system headers may define them, so
//! the header defines them only when absent (see `cbindgen.toml`).

#![allow(non_upper_case_globals)]

use core::ffi::c_int;

pub const AF_CONN: c_int = 123;
pub const SCTP_FUTURE_ASSOC: c_int = 0;
pub const SCTP_CURRENT_ASSOC: c_int = 1;
pub const SCTP_ALL_ASSOC: c_int = 2;
pub const SCTP_EVENT_READ: c_int = 0x0001;
pub const SCTP_EVENT_WRITE: c_int = 0x0002;
pub const SCTP_EVENT_ERROR: c_int = 0x0004;
pub const SCTP_ALIGN_RESV_PAD: c_int = 92;
pub const SCTP_ALIGN_RESV_PAD_SHORT: c_int = 76;
pub const SCTP_NO_NEXT_MSG: c_int = 0x0000;
pub const SCTP_NEXT_MSG_AVAIL: c_int = 0x0001;
pub const SCTP_NEXT_MSG_ISCOMPLETE: c_int = 0x0002;
pub const SCTP_NEXT_MSG_IS_UNORDERED: c_int = 0x0004;
pub const SCTP_NEXT_MSG_IS_NOTIFICATION: c_int = 0x0008;
pub const SCTP_RECVV_NOINFO: c_int = 0;
pub const SCTP_RECVV_RCVINFO: c_int = 1;
pub const SCTP_RECVV_NXTINFO: c_int = 2;
pub const SCTP_RECVV_RN: c_int = 3;
pub const SCTP_SENDV_NOINFO: c_int = 0;
pub const SCTP_SENDV_SNDINFO: c_int = 1;
pub const SCTP_SENDV_PRINFO: c_int = 2;
pub const SCTP_SENDV_AUTHINFO: c_int = 3;
pub const SCTP_SENDV_SPA: c_int = 4;
pub const SCTP_SEND_SNDINFO_VALID: c_int = 0x00000001;
pub const SCTP_SEND_PRINFO_VALID: c_int = 0x00000002;
pub const SCTP_SEND_AUTHINFO_VALID: c_int = 0x00000004;
pub const SCTP_ASSOC_CHANGE: c_int = 0x0001;
pub const SCTP_PEER_ADDR_CHANGE: c_int = 0x0002;
pub const SCTP_REMOTE_ERROR: c_int = 0x0003;
pub const SCTP_SEND_FAILED: c_int = 0x0004;
pub const SCTP_SHUTDOWN_EVENT: c_int = 0x0005;
pub const SCTP_ADAPTATION_INDICATION: c_int = 0x0006;
pub const SCTP_PARTIAL_DELIVERY_EVENT: c_int = 0x0007;
pub const SCTP_AUTHENTICATION_EVENT: c_int = 0x0008;
pub const SCTP_STREAM_RESET_EVENT: c_int = 0x0009;
pub const SCTP_SENDER_DRY_EVENT: c_int = 0x000a;
pub const SCTP_NOTIFICATIONS_STOPPED_EVENT: c_int = 0x000b;
pub const SCTP_ASSOC_RESET_EVENT: c_int = 0x000c;
pub const SCTP_STREAM_CHANGE_EVENT: c_int = 0x000d;
pub const SCTP_SEND_FAILED_EVENT: c_int = 0x000e;
pub const SCTP_COMM_UP: c_int = 0x0001;
pub const SCTP_COMM_LOST: c_int = 0x0002;
pub const SCTP_RESTART: c_int = 0x0003;
pub const SCTP_SHUTDOWN_COMP: c_int = 0x0004;
pub const SCTP_CANT_STR_ASSOC: c_int = 0x0005;
pub const SCTP_ASSOC_SUPPORTS_PR: c_int = 0x01;
pub const SCTP_ASSOC_SUPPORTS_AUTH: c_int = 0x02;
pub const SCTP_ASSOC_SUPPORTS_ASCONF: c_int = 0x03;
pub const SCTP_ASSOC_SUPPORTS_MULTIBUF: c_int = 0x04;
pub const SCTP_ASSOC_SUPPORTS_RE_CONFIG: c_int = 0x05;
pub const SCTP_ASSOC_SUPPORTS_INTERLEAVING: c_int = 0x06;
pub const SCTP_ASSOC_SUPPORTS_MAX: c_int = 0x06;
pub const SCTP_ADDR_AVAILABLE: c_int = 0x0001;
pub const SCTP_ADDR_UNREACHABLE: c_int = 0x0002;
pub const SCTP_ADDR_REMOVED: c_int = 0x0003;
pub const SCTP_ADDR_ADDED: c_int = 0x0004;
pub const SCTP_ADDR_MADE_PRIM: c_int = 0x0005;
pub const SCTP_ADDR_CONFIRMED: c_int = 0x0006;
pub const SCTP_PARTIAL_DELIVERY_ABORTED: c_int = 0x0001;
pub const SCTP_AUTH_NEW_KEY: c_int = 0x0001;
pub const SCTP_AUTH_NO_AUTH: c_int = 0x0002;
pub const SCTP_AUTH_FREE_KEY: c_int = 0x0003;
pub const SCTP_STREAM_RESET_INCOMING_SSN: c_int = 0x0001;
pub const SCTP_STREAM_RESET_OUTGOING_SSN: c_int = 0x0002;
pub const SCTP_STREAM_RESET_DENIED: c_int = 0x0004;
pub const SCTP_STREAM_RESET_FAILED: c_int = 0x0008;
pub const SCTP_STREAM_CHANGED_DENIED: c_int = 0x0010;
pub const SCTP_STREAM_RESET_INCOMING: c_int = 0x00000001;
pub const SCTP_STREAM_RESET_OUTGOING: c_int = 0x00000002;
pub const SCTP_ASSOC_RESET_DENIED: c_int = 0x0004;
pub const SCTP_ASSOC_RESET_FAILED: c_int = 0x0008;
pub const SCTP_STREAM_CHANGE_DENIED: c_int = 0x0004;
pub const SCTP_STREAM_CHANGE_FAILED: c_int = 0x0008;
pub const SCTP_DATA_UNSENT: c_int = 0x0001;
pub const SCTP_DATA_SENT: c_int = 0x0002;
pub const SCTP_DATA_LAST_FRAG: c_int = 0x0001;
pub const SCTP_DATA_NOT_FRAG: c_int = 0x0003;
pub const SCTP_NOTIFICATION: c_int = 0x0010;
pub const SCTP_COMPLETE: c_int = 0x0020;
pub const SCTP_EOF: c_int = 0x0100;
pub const SCTP_ABORT: c_int = 0x0200;
pub const SCTP_UNORDERED: c_int = 0x0400;
pub const SCTP_ADDR_OVER: c_int = 0x0800;
pub const SCTP_SENDALL: c_int = 0x1000;
pub const SCTP_EOR: c_int = 0x2000;
pub const SCTP_SACK_IMMEDIATELY: c_int = 0x4000;
pub const SCTP_PR_SCTP_NONE: c_int = 0x0000;
pub const SCTP_PR_SCTP_TTL: c_int = 0x0001;
pub const SCTP_PR_SCTP_BUF: c_int = 0x0002;
pub const SCTP_PR_SCTP_RTX: c_int = 0x0003;
pub const SCTP_RTOINFO: c_int = 0x00000001;
pub const SCTP_ASSOCINFO: c_int = 0x00000002;
pub const SCTP_INITMSG: c_int = 0x00000003;
pub const SCTP_NODELAY: c_int = 0x00000004;
pub const SCTP_AUTOCLOSE: c_int = 0x00000005;
pub const SCTP_PRIMARY_ADDR: c_int = 0x00000007;
pub const SCTP_ADAPTATION_LAYER: c_int = 0x00000008;
pub const SCTP_DISABLE_FRAGMENTS: c_int = 0x00000009;
pub const SCTP_PEER_ADDR_PARAMS: c_int = 0x0000000a;
pub const SCTP_I_WANT_MAPPED_V4_ADDR: c_int = 0x0000000d;
pub const SCTP_MAXSEG: c_int = 0x0000000e;
pub const SCTP_DELAYED_SACK: c_int = 0x0000000f;
pub const SCTP_FRAGMENT_INTERLEAVE: c_int = 0x00000010;
pub const SCTP_PARTIAL_DELIVERY_POINT: c_int = 0x00000011;
pub const SCTP_HMAC_IDENT: c_int = 0x00000014;
pub const SCTP_AUTH_ACTIVE_KEY: c_int = 0x00000015;
pub const SCTP_AUTO_ASCONF: c_int = 0x00000018;
pub const SCTP_MAX_BURST: c_int = 0x00000019;
pub const SCTP_CONTEXT: c_int = 0x0000001a;
pub const SCTP_EXPLICIT_EOR: c_int = 0x0000001b;
pub const SCTP_REUSE_PORT: c_int = 0x0000001c;
pub const SCTP_EVENT: c_int = 0x0000001e;
pub const SCTP_RECVRCVINFO: c_int = 0x0000001f;
pub const SCTP_RECVNXTINFO: c_int = 0x00000020;
pub const SCTP_DEFAULT_SNDINFO: c_int = 0x00000021;
pub const SCTP_DEFAULT_PRINFO: c_int = 0x00000022;
pub const SCTP_REMOTE_UDP_ENCAPS_PORT: c_int = 0x00000024;
pub const SCTP_ECN_SUPPORTED: c_int = 0x00000025;
pub const SCTP_PR_SUPPORTED: c_int = 0x00000026;
pub const SCTP_AUTH_SUPPORTED: c_int = 0x00000027;
pub const SCTP_ASCONF_SUPPORTED: c_int = 0x00000028;
pub const SCTP_RECONFIG_SUPPORTED: c_int = 0x00000029;
pub const SCTP_NRSACK_SUPPORTED: c_int = 0x00000030;
pub const SCTP_PKTDROP_SUPPORTED: c_int = 0x00000031;
pub const SCTP_MAX_CWND: c_int = 0x00000032;
pub const SCTP_ENABLE_STREAM_RESET: c_int = 0x00000900;
pub const SCTP_PLUGGABLE_SS: c_int = 0x00001203;
pub const SCTP_SS_VALUE: c_int = 0x00001204;
pub const SCTP_STATUS: c_int = 0x00000100;
pub const SCTP_GET_PEER_ADDR_INFO: c_int = 0x00000101;
pub const SCTP_PEER_AUTH_CHUNKS: c_int = 0x00000102;
pub const SCTP_LOCAL_AUTH_CHUNKS: c_int = 0x00000103;
pub const SCTP_GET_ASSOC_NUMBER: c_int = 0x00000104;
pub const SCTP_GET_ASSOC_ID_LIST: c_int = 0x00000105;
pub const SCTP_TIMEOUTS: c_int = 0x00000106;
pub const SCTP_PR_STREAM_STATUS: c_int = 0x00000107;
pub const SCTP_PR_ASSOC_STATUS: c_int = 0x00000108;
pub const SCTP_SET_PEER_PRIMARY_ADDR: c_int = 0x00000006;
pub const SCTP_AUTH_CHUNK: c_int = 0x00000012;
pub const SCTP_AUTH_KEY: c_int = 0x00000013;
pub const SCTP_AUTH_DEACTIVATE_KEY: c_int = 0x0000001d;
pub const SCTP_AUTH_DELETE_KEY: c_int = 0x00000016;
pub const SCTP_RESET_STREAMS: c_int = 0x00000901;
pub const SCTP_RESET_ASSOC: c_int = 0x00000902;
pub const SCTP_ADD_STREAMS: c_int = 0x00000903;
pub const SPP_HB_ENABLE: c_int = 0x00000001;
pub const SPP_HB_DISABLE: c_int = 0x00000002;
pub const SPP_HB_DEMAND: c_int = 0x00000004;
pub const SPP_PMTUD_ENABLE: c_int = 0x00000008;
pub const SPP_PMTUD_DISABLE: c_int = 0x00000010;
pub const SPP_HB_TIME_IS_ZERO: c_int = 0x00000080;
pub const SPP_IPV6_FLOWLABEL: c_int = 0x00000100;
pub const SPP_DSCP: c_int = 0x00000200;
pub const SCTP_ENABLE_RESET_STREAM_REQ: c_int = 0x00000001;
pub const SCTP_ENABLE_RESET_ASSOC_REQ: c_int = 0x00000002;
pub const SCTP_ENABLE_CHANGE_ASSOC_REQ: c_int = 0x00000004;
pub const SCTP_ENABLE_VALUE_MASK: c_int = 0x00000007;
pub const SCTP_AUTH_HMAC_ID_RSVD: c_int = 0x0000;
pub const SCTP_AUTH_HMAC_ID_SHA1: c_int = 0x0001;
pub const SCTP_AUTH_HMAC_ID_SHA256: c_int = 0x0003;
pub const SCTP_AUTH_HMAC_ID_SHA224: c_int = 0x0004;
pub const SCTP_AUTH_HMAC_ID_SHA384: c_int = 0x0005;
pub const SCTP_AUTH_HMAC_ID_SHA512: c_int = 0x0006;
pub const SCTP_CLOSED: c_int = 0x0000;
pub const SCTP_BOUND: c_int = 0x1000;
pub const SCTP_LISTEN: c_int = 0x2000;
pub const SCTP_COOKIE_WAIT: c_int = 0x0002;
pub const SCTP_COOKIE_ECHOED: c_int = 0x0004;
pub const SCTP_ESTABLISHED: c_int = 0x0008;
pub const SCTP_SHUTDOWN_SENT: c_int = 0x0010;
pub const SCTP_SHUTDOWN_RECEIVED: c_int = 0x0020;
pub const SCTP_SHUTDOWN_ACK_SENT: c_int = 0x0040;
pub const SCTP_SHUTDOWN_PENDING: c_int = 0x0080;
pub const SCTP_ACTIVE: c_int = 0x0001;
pub const SCTP_INACTIVE: c_int = 0x0002;
pub const SCTP_UNCONFIRMED: c_int = 0x0200;
pub const SCTP_DATA: c_int = 0x00;
pub const SCTP_INITIATION: c_int = 0x01;
pub const SCTP_INITIATION_ACK: c_int = 0x02;
pub const SCTP_SELECTIVE_ACK: c_int = 0x03;
pub const SCTP_HEARTBEAT_REQUEST: c_int = 0x04;
pub const SCTP_HEARTBEAT_ACK: c_int = 0x05;
pub const SCTP_ABORT_ASSOCIATION: c_int = 0x06;
pub const SCTP_SHUTDOWN: c_int = 0x07;
pub const SCTP_SHUTDOWN_ACK: c_int = 0x08;
pub const SCTP_OPERATION_ERROR: c_int = 0x09;
pub const SCTP_COOKIE_ECHO: c_int = 0x0a;
pub const SCTP_COOKIE_ACK: c_int = 0x0b;
pub const SCTP_ECN_ECHO: c_int = 0x0c;
pub const SCTP_ECN_CWR: c_int = 0x0d;
pub const SCTP_SHUTDOWN_COMPLETE: c_int = 0x0e;
pub const SCTP_AUTHENTICATION: c_int = 0x0f;
pub const SCTP_NR_SELECTIVE_ACK: c_int = 0x10;
pub const SCTP_ASCONF_ACK: c_int = 0x80;
pub const SCTP_PACKET_DROPPED: c_int = 0x81;
pub const SCTP_STREAM_RESET: c_int = 0x82;
pub const SCTP_PAD_CHUNK: c_int = 0x84;
pub const SCTP_FORWARD_CUM_TSN: c_int = 0xc0;
pub const SCTP_ASCONF: c_int = 0xc1;
pub const SCTP_CC_RFC2581: c_int = 0x00000000;
pub const SCTP_CC_HSTCP: c_int = 0x00000001;
pub const SCTP_CC_HTCP: c_int = 0x00000002;
pub const SCTP_CC_RTCC: c_int = 0x00000003;
pub const SCTP_CC_OPT_RTCC_SETMODE: c_int = 0x00002000;
pub const SCTP_CC_OPT_USE_DCCC_EC: c_int = 0x00002001;
pub const SCTP_CC_OPT_STEADY_STEP: c_int = 0x00002002;
pub const SCTP_CMT_OFF: c_int = 0;
pub const SCTP_CMT_BASE: c_int = 1;
pub const SCTP_CMT_RPV1: c_int = 2;
pub const SCTP_CMT_RPV2: c_int = 3;
pub const SCTP_CMT_MPTCP: c_int = 4;
pub const SCTP_CMT_MAX: c_int = 4;
pub const SCTP_SS_DEFAULT: c_int = 0x00000000;
pub const SCTP_SS_ROUND_ROBIN: c_int = 0x00000001;
pub const SCTP_SS_ROUND_ROBIN_PACKET: c_int = 0x00000002;
pub const SCTP_SS_PRIORITY: c_int = 0x00000003;
pub const SCTP_SS_FAIR_BANDWITH: c_int = 0x00000004;
pub const SCTP_SS_FIRST_COME: c_int = 0x00000005;
pub const SCTP_BINDX_ADD_ADDR: c_int = 0x00008001;
pub const SCTP_BINDX_REM_ADDR: c_int = 0x00008002;
pub const SCTP_DUMP_OUTBOUND: c_int = 1;
pub const SCTP_DUMP_INBOUND: c_int = 0;

// ---------------------------------------------------------------------------------------------
// Extensions: names that libusrsctp's public 0.9.5 header omits but its library understands,
// and that WebRTC stacks define themselves with these values.
// ---------------------------------------------------------------------------------------------

/// Socket option selecting the congestion control module (`struct sctp_assoc_value`).
pub const SCTP_PLUGGABLE_CC: c_int = 0x00001202;
/// Socket option enabling I-DATA message interleaving (RFC 8260).
pub const SCTP_INTERLEAVING_SUPPORTED: c_int = 0x00001206;
/// `pr_policy` of SCTP_PR_ASSOC_STATUS and SCTP_PR_STREAM_STATUS: all policies together.
pub const SCTP_PR_SCTP_ALL: c_int = 0x000f;
/// SCTP_PLUGGABLE_SS module: weighted fair queueing, each stream's share of the bytes in
/// proportion to its SCTP_SS_VALUE weight (default 256). Not in libusrsctp, whose modules end
/// at SCTP_SS_FIRST_COME.
pub const SCTP_SS_WEIGHTED_FAIR_QUEUEING: c_int = 0x00000006;
/// Socket option of newer libusrsctp: the alternate error detection method (RFC 9653) under
/// which this socket's associations accept packets with a zero checksum; a `uint32_t` (or a
/// `struct sctp_assoc_value`) holding SCTP_EDMID_NONE or SCTP_EDMID_LOWER_LAYER_DTLS.
pub const SCTP_ACCEPT_ZERO_CHECKSUM: c_int = 0x00000033;
/// No alternate error detection method: every packet carries a CRC32c.
pub const SCTP_EDMID_NONE: c_int = 0;
/// The lower layer is DTLS (RFC 9653 §7), which detects errors itself.
pub const SCTP_EDMID_LOWER_LAYER_DTLS: c_int = 1;
