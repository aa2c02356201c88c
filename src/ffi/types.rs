//! The `#[repr(C)]` structures and unions of the libusrsctp 0.9.5 API, field for field.
//!
//! Sizes, alignments and offsets equal those of Debian's `usrsctp.h` on x86_64 Linux; the tests
//! in `c-tests/` compare them with the original header, and the unit tests below check the sizes.
//! Flexible array members of the C header are zero-length arrays here.

#![allow(non_camel_case_types)]

use core::ffi::{c_int, c_void};
use libc::{sockaddr, sockaddr_in, sockaddr_in6, sockaddr_storage};

/// An association identifier (`sctp_assoc_t`).
pub type sctp_assoc_t = u32;

/// The socket handle of the C API. C code only ever holds pointers to it.
pub struct socket {
    _opaque: [u8; 0],
}

/// `struct sctp_common_header`: 12 bytes, aligned to 1.
#[repr(C, packed)]
#[derive(Clone, Copy)]
pub struct sctp_common_header {
    pub source_port: u16,
    pub destination_port: u16,
    pub verification_tag: u32,
    pub crc32c: u32,
}

/// `struct sockaddr_conn`: 16 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sockaddr_conn {
    pub sconn_family: u16,
    pub sconn_port: u16,
    pub sconn_addr: *mut c_void,
}

/// `union sctp_sockstore`: 32 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub union sctp_sockstore {
    pub sin: sockaddr_in,
    pub sin6: sockaddr_in6,
    pub sconn: sockaddr_conn,
    pub sa: sockaddr,
}

/// `struct sctp_rcvinfo`: 28 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_rcvinfo {
    pub rcv_sid: u16,
    pub rcv_ssn: u16,
    pub rcv_flags: u16,
    pub rcv_ppid: u32,
    pub rcv_tsn: u32,
    pub rcv_cumtsn: u32,
    pub rcv_context: u32,
    pub rcv_assoc_id: sctp_assoc_t,
}

/// `struct sctp_nxtinfo`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_nxtinfo {
    pub nxt_sid: u16,
    pub nxt_flags: u16,
    pub nxt_ppid: u32,
    pub nxt_length: u32,
    pub nxt_assoc_id: sctp_assoc_t,
}

/// `struct sctp_recvv_rn`: 44 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_recvv_rn {
    pub recvv_rcvinfo: sctp_rcvinfo,
    pub recvv_nxtinfo: sctp_nxtinfo,
}

/// `struct sctp_snd_all_completes`: 20 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_snd_all_completes {
    pub sall_stream: u16,
    pub sall_flags: u16,
    pub sall_ppid: u32,
    pub sall_context: u32,
    pub sall_num_sent: u32,
    pub sall_num_failed: u32,
}

/// `struct sctp_sndinfo`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sndinfo {
    pub snd_sid: u16,
    pub snd_flags: u16,
    pub snd_ppid: u32,
    pub snd_context: u32,
    pub snd_assoc_id: sctp_assoc_t,
}

/// `struct sctp_prinfo`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_prinfo {
    pub pr_policy: u16,
    pub pr_value: u32,
}

/// `struct sctp_authinfo`: 2 bytes, aligned to 2.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authinfo {
    pub auth_keynumber: u16,
}

/// `struct sctp_sendv_spa`: 32 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sendv_spa {
    pub sendv_flags: u32,
    pub sendv_sndinfo: sctp_sndinfo,
    pub sendv_prinfo: sctp_prinfo,
    pub sendv_authinfo: sctp_authinfo,
}

/// `struct sctp_udpencaps`: 136 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_udpencaps {
    pub sue_address: sockaddr_storage,
    pub sue_assoc_id: u32,
    pub sue_port: u16,
}

/// `struct sctp_assoc_change`: 20 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_assoc_change {
    pub sac_type: u16,
    pub sac_flags: u16,
    pub sac_length: u32,
    pub sac_state: u16,
    pub sac_error: u16,
    pub sac_outbound_streams: u16,
    pub sac_inbound_streams: u16,
    pub sac_assoc_id: sctp_assoc_t,
    pub sac_info: [u8; 0],
}

/// `struct sctp_paddr_change`: 152 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_paddr_change {
    pub spc_type: u16,
    pub spc_flags: u16,
    pub spc_length: u32,
    pub spc_aaddr: sockaddr_storage,
    pub spc_state: u32,
    pub spc_error: u32,
    pub spc_assoc_id: sctp_assoc_t,
    pub spc_padding: [u8; 4],
}

/// `struct sctp_remote_error`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_remote_error {
    pub sre_type: u16,
    pub sre_flags: u16,
    pub sre_length: u32,
    pub sre_error: u16,
    pub sre_assoc_id: sctp_assoc_t,
    pub sre_data: [u8; 0],
}

/// `struct sctp_shutdown_event`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_shutdown_event {
    pub sse_type: u16,
    pub sse_flags: u16,
    pub sse_length: u32,
    pub sse_assoc_id: sctp_assoc_t,
}

/// `struct sctp_adaptation_event`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_adaptation_event {
    pub sai_type: u16,
    pub sai_flags: u16,
    pub sai_length: u32,
    pub sai_adaptation_ind: u32,
    pub sai_assoc_id: sctp_assoc_t,
}

/// `struct sctp_pdapi_event`: 24 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_pdapi_event {
    pub pdapi_type: u16,
    pub pdapi_flags: u16,
    pub pdapi_length: u32,
    pub pdapi_indication: u32,
    pub pdapi_stream: u32,
    pub pdapi_seq: u32,
    pub pdapi_assoc_id: sctp_assoc_t,
}

/// `struct sctp_authkey_event`: 20 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authkey_event {
    pub auth_type: u16,
    pub auth_flags: u16,
    pub auth_length: u32,
    pub auth_keynumber: u16,
    pub auth_indication: u32,
    pub auth_assoc_id: sctp_assoc_t,
}

/// `struct sctp_sender_dry_event`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sender_dry_event {
    pub sender_dry_type: u16,
    pub sender_dry_flags: u16,
    pub sender_dry_length: u32,
    pub sender_dry_assoc_id: sctp_assoc_t,
}

/// `struct sctp_stream_reset_event`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_stream_reset_event {
    pub strreset_type: u16,
    pub strreset_flags: u16,
    pub strreset_length: u32,
    pub strreset_assoc_id: sctp_assoc_t,
    pub strreset_stream_list: [u16; 0],
}

/// `struct sctp_assoc_reset_event`: 20 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_assoc_reset_event {
    pub assocreset_type: u16,
    pub assocreset_flags: u16,
    pub assocreset_length: u32,
    pub assocreset_assoc_id: sctp_assoc_t,
    pub assocreset_local_tsn: u32,
    pub assocreset_remote_tsn: u32,
}

/// `struct sctp_stream_change_event`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_stream_change_event {
    pub strchange_type: u16,
    pub strchange_flags: u16,
    pub strchange_length: u32,
    pub strchange_assoc_id: sctp_assoc_t,
    pub strchange_instrms: u16,
    pub strchange_outstrms: u16,
}

/// `struct sctp_send_failed_event`: 32 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_send_failed_event {
    pub ssfe_type: u16,
    pub ssfe_flags: u16,
    pub ssfe_length: u32,
    pub ssfe_error: u32,
    pub ssfe_info: sctp_sndinfo,
    pub ssfe_assoc_id: sctp_assoc_t,
    pub ssfe_data: [u8; 0],
}

/// `struct sctp_event`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_event {
    pub se_assoc_id: sctp_assoc_t,
    pub se_type: u16,
    pub se_on: u8,
}

/// `struct sctp_tlv`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_tlv {
    pub sn_type: u16,
    pub sn_flags: u16,
    pub sn_length: u32,
}

/// `union sctp_notification`: 152 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub union sctp_notification {
    pub sn_header: sctp_tlv,
    pub sn_assoc_change: sctp_assoc_change,
    pub sn_paddr_change: sctp_paddr_change,
    pub sn_remote_error: sctp_remote_error,
    pub sn_shutdown_event: sctp_shutdown_event,
    pub sn_adaptation_event: sctp_adaptation_event,
    pub sn_pdapi_event: sctp_pdapi_event,
    pub sn_auth_event: sctp_authkey_event,
    pub sn_sender_dry_event: sctp_sender_dry_event,
    pub sn_send_failed_event: sctp_send_failed_event,
    pub sn_strreset_event: sctp_stream_reset_event,
    pub sn_assocreset_event: sctp_assoc_reset_event,
    pub sn_strchange_event: sctp_stream_change_event,
}

/// `struct sctp_event_subscribe`: 11 bytes, aligned to 1.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_event_subscribe {
    pub sctp_data_io_event: u8,
    pub sctp_association_event: u8,
    pub sctp_address_event: u8,
    pub sctp_send_failure_event: u8,
    pub sctp_peer_error_event: u8,
    pub sctp_shutdown_event: u8,
    pub sctp_partial_delivery_event: u8,
    pub sctp_adaptation_layer_event: u8,
    pub sctp_authentication_event: u8,
    pub sctp_sender_dry_event: u8,
    pub sctp_stream_reset_event: u8,
}

/// `struct sctp_initmsg`: 8 bytes, aligned to 2.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_initmsg {
    pub sinit_num_ostreams: u16,
    pub sinit_max_instreams: u16,
    pub sinit_max_attempts: u16,
    pub sinit_max_init_timeo: u16,
}

/// `struct sctp_rtoinfo`: 16 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_rtoinfo {
    pub srto_assoc_id: sctp_assoc_t,
    pub srto_initial: u32,
    pub srto_max: u32,
    pub srto_min: u32,
}

/// `struct sctp_assocparams`: 20 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_assocparams {
    pub sasoc_assoc_id: sctp_assoc_t,
    pub sasoc_peer_rwnd: u32,
    pub sasoc_local_rwnd: u32,
    pub sasoc_cookie_life: u32,
    pub sasoc_asocmaxrxt: u16,
    pub sasoc_number_peer_destinations: u16,
}

/// `struct sctp_setprim`: 136 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_setprim {
    pub ssp_addr: sockaddr_storage,
    pub ssp_assoc_id: sctp_assoc_t,
    pub ssp_padding: [u8; 4],
}

/// `struct sctp_setadaptation`: 4 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_setadaptation {
    pub ssb_adaptation_ind: u32,
}

/// `struct sctp_paddrparams`: 152 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_paddrparams {
    pub spp_address: sockaddr_storage,
    pub spp_assoc_id: sctp_assoc_t,
    pub spp_hbinterval: u32,
    pub spp_pathmtu: u32,
    pub spp_flags: u32,
    pub spp_ipv6_flowlabel: u32,
    pub spp_pathmaxrxt: u16,
    pub spp_dscp: u8,
}

/// `struct sctp_assoc_value`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_assoc_value {
    pub assoc_id: sctp_assoc_t,
    pub assoc_value: u32,
}

/// `struct sctp_reset_streams`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_reset_streams {
    pub srs_assoc_id: sctp_assoc_t,
    pub srs_flags: u16,
    pub srs_number_streams: u16,
    pub srs_stream_list: [u16; 0],
}

/// `struct sctp_add_streams`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_add_streams {
    pub sas_assoc_id: sctp_assoc_t,
    pub sas_instrms: u16,
    pub sas_outstrms: u16,
}

/// `struct sctp_hmacalgo`: 4 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_hmacalgo {
    pub shmac_number_of_idents: u32,
    pub shmac_idents: [u16; 0],
}

/// `struct sctp_sack_info`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_sack_info {
    pub sack_assoc_id: sctp_assoc_t,
    pub sack_delay: u32,
    pub sack_freq: u32,
}

/// `struct sctp_default_prinfo`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_default_prinfo {
    pub pr_policy: u16,
    pub pr_value: u32,
    pub pr_assoc_id: sctp_assoc_t,
}

/// `struct sctp_paddrinfo`: 152 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_paddrinfo {
    pub spinfo_address: sockaddr_storage,
    pub spinfo_assoc_id: sctp_assoc_t,
    pub spinfo_state: i32,
    pub spinfo_cwnd: u32,
    pub spinfo_srtt: u32,
    pub spinfo_rto: u32,
    pub spinfo_mtu: u32,
}

/// `struct sctp_status`: 176 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_status {
    pub sstat_assoc_id: sctp_assoc_t,
    pub sstat_state: i32,
    pub sstat_rwnd: u32,
    pub sstat_unackdata: u16,
    pub sstat_penddata: u16,
    pub sstat_instrms: u16,
    pub sstat_outstrms: u16,
    pub sstat_fragmentation_point: u32,
    pub sstat_primary: sctp_paddrinfo,
}

/// `struct sctp_authchunks`: 4 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authchunks {
    pub gauth_assoc_id: sctp_assoc_t,
    pub gauth_chunks: [u8; 0],
}

/// `struct sctp_assoc_ids`: 4 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_assoc_ids {
    pub gaids_number_of_ids: u32,
    pub gaids_assoc_id: [sctp_assoc_t; 0],
}

/// `struct sctp_setpeerprim`: 136 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_setpeerprim {
    pub sspp_addr: sockaddr_storage,
    pub sspp_assoc_id: sctp_assoc_t,
    pub sspp_padding: [u8; 4],
}

/// `struct sctp_authchunk`: 1 bytes, aligned to 1.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authchunk {
    pub sauth_chunk: u8,
}

/// `struct sctp_get_nonce_values`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_get_nonce_values {
    pub gn_assoc_id: sctp_assoc_t,
    pub gn_peers_tag: u32,
    pub gn_local_tag: u32,
}

/// `struct sctp_authkey`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authkey {
    pub sca_assoc_id: sctp_assoc_t,
    pub sca_keynumber: u16,
    pub sca_keylength: u16,
    pub sca_key: [u8; 0],
}

/// `struct sctp_authkeyid`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_authkeyid {
    pub scact_assoc_id: sctp_assoc_t,
    pub scact_keynumber: u16,
}

/// `struct sctp_cc_option`: 12 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_cc_option {
    pub option: c_int,
    pub aid_value: sctp_assoc_value,
}

/// `struct sctp_stream_value`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_stream_value {
    pub assoc_id: sctp_assoc_t,
    pub stream_id: u16,
    pub stream_value: u16,
}

/// `struct sctp_timeouts`: 32 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_timeouts {
    pub stimo_assoc_id: sctp_assoc_t,
    pub stimo_init: u32,
    pub stimo_data: u32,
    pub stimo_sack: u32,
    pub stimo_shutdown: u32,
    pub stimo_heartbeat: u32,
    pub stimo_cookie: u32,
    pub stimo_shutdownack: u32,
}

/// `struct sctp_prstatus`: 24 bytes, aligned to 8.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_prstatus {
    pub sprstat_assoc_id: sctp_assoc_t,
    pub sprstat_sid: u16,
    pub sprstat_policy: u16,
    pub sprstat_abandoned_unsent: u64,
    pub sprstat_abandoned_sent: u64,
}

/// `struct sctp_timeval`: 8 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctp_timeval {
    pub tv_sec: u32,
    pub tv_usec: u32,
}

/// `struct sctpstat`: 664 bytes, aligned to 4.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct sctpstat {
    pub sctps_discontinuitytime: sctp_timeval,
    pub sctps_currestab: u32,
    pub sctps_activeestab: u32,
    pub sctps_restartestab: u32,
    pub sctps_collisionestab: u32,
    pub sctps_passiveestab: u32,
    pub sctps_aborted: u32,
    pub sctps_shutdown: u32,
    pub sctps_outoftheblue: u32,
    pub sctps_checksumerrors: u32,
    pub sctps_outcontrolchunks: u32,
    pub sctps_outorderchunks: u32,
    pub sctps_outunorderchunks: u32,
    pub sctps_incontrolchunks: u32,
    pub sctps_inorderchunks: u32,
    pub sctps_inunorderchunks: u32,
    pub sctps_fragusrmsgs: u32,
    pub sctps_reasmusrmsgs: u32,
    pub sctps_outpackets: u32,
    pub sctps_inpackets: u32,
    pub sctps_recvpackets: u32,
    pub sctps_recvdatagrams: u32,
    pub sctps_recvpktwithdata: u32,
    pub sctps_recvsacks: u32,
    pub sctps_recvdata: u32,
    pub sctps_recvdupdata: u32,
    pub sctps_recvheartbeat: u32,
    pub sctps_recvheartbeatack: u32,
    pub sctps_recvecne: u32,
    pub sctps_recvauth: u32,
    pub sctps_recvauthmissing: u32,
    pub sctps_recvivalhmacid: u32,
    pub sctps_recvivalkeyid: u32,
    pub sctps_recvauthfailed: u32,
    pub sctps_recvexpress: u32,
    pub sctps_recvexpressm: u32,
    pub sctps_recv_spare: u32,
    pub sctps_recvswcrc: u32,
    pub sctps_recvhwcrc: u32,
    pub sctps_sendpackets: u32,
    pub sctps_sendsacks: u32,
    pub sctps_senddata: u32,
    pub sctps_sendretransdata: u32,
    pub sctps_sendfastretrans: u32,
    pub sctps_sendmultfastretrans: u32,
    pub sctps_sendheartbeat: u32,
    pub sctps_sendecne: u32,
    pub sctps_sendauth: u32,
    pub sctps_senderrors: u32,
    pub sctps_send_spare: u32,
    pub sctps_sendswcrc: u32,
    pub sctps_sendhwcrc: u32,
    pub sctps_pdrpfmbox: u32,
    pub sctps_pdrpfehos: u32,
    pub sctps_pdrpmbda: u32,
    pub sctps_pdrpmbct: u32,
    pub sctps_pdrpbwrpt: u32,
    pub sctps_pdrpcrupt: u32,
    pub sctps_pdrpnedat: u32,
    pub sctps_pdrppdbrk: u32,
    pub sctps_pdrptsnnf: u32,
    pub sctps_pdrpdnfnd: u32,
    pub sctps_pdrpdiwnp: u32,
    pub sctps_pdrpdizrw: u32,
    pub sctps_pdrpbadd: u32,
    pub sctps_pdrpmark: u32,
    pub sctps_timoiterator: u32,
    pub sctps_timodata: u32,
    pub sctps_timowindowprobe: u32,
    pub sctps_timoinit: u32,
    pub sctps_timosack: u32,
    pub sctps_timoshutdown: u32,
    pub sctps_timoheartbeat: u32,
    pub sctps_timocookie: u32,
    pub sctps_timosecret: u32,
    pub sctps_timopathmtu: u32,
    pub sctps_timoshutdownack: u32,
    pub sctps_timoshutdownguard: u32,
    pub sctps_timostrmrst: u32,
    pub sctps_timoearlyfr: u32,
    pub sctps_timoasconf: u32,
    pub sctps_timodelprim: u32,
    pub sctps_timoautoclose: u32,
    pub sctps_timoassockill: u32,
    pub sctps_timoinpkill: u32,
    pub sctps_spare: [u32; 11],
    pub sctps_hdrops: u32,
    pub sctps_badsum: u32,
    pub sctps_noport: u32,
    pub sctps_badvtag: u32,
    pub sctps_badsid: u32,
    pub sctps_nomem: u32,
    pub sctps_fastretransinrtt: u32,
    pub sctps_markedretrans: u32,
    pub sctps_naglesent: u32,
    pub sctps_naglequeued: u32,
    pub sctps_maxburstqueued: u32,
    pub sctps_ifnomemqueued: u32,
    pub sctps_windowprobed: u32,
    pub sctps_lowlevelerr: u32,
    pub sctps_lowlevelerrusr: u32,
    pub sctps_datadropchklmt: u32,
    pub sctps_datadroprwnd: u32,
    pub sctps_ecnereducedcwnd: u32,
    pub sctps_vtagexpress: u32,
    pub sctps_vtagbogus: u32,
    pub sctps_primary_randry: u32,
    pub sctps_cmt_randry: u32,
    pub sctps_slowpath_sack: u32,
    pub sctps_wu_sacks_sent: u32,
    pub sctps_sends_with_flags: u32,
    pub sctps_sends_with_unord: u32,
    pub sctps_sends_with_eof: u32,
    pub sctps_sends_with_abort: u32,
    pub sctps_protocol_drain_calls: u32,
    pub sctps_protocol_drains_done: u32,
    pub sctps_read_peeks: u32,
    pub sctps_cached_chk: u32,
    pub sctps_cached_strmoq: u32,
    pub sctps_left_abandon: u32,
    pub sctps_send_burst_avoid: u32,
    pub sctps_send_cwnd_avoid: u32,
    pub sctps_fwdtsn_map_over: u32,
    pub sctps_queue_upd_ecne: u32,
    pub sctps_reserved: [u32; 31],
}
