//! The per-socket settings that socket options read and write.

use crate::assoc::Config;

/// SCTP_DEFAULT_SNDINFO / SCTP_DEFAULT_PRINFO: what a send without `sctp_sndinfo` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DefaultSend {
    pub stream: u16,
    /// SCTP_UNORDERED and the other `snd_flags`.
    pub flags: u16,
    /// As the application gave it (network order of the wire value).
    pub ppid_raw: u32,
    pub context: u32,
    /// `pr_policy` and `pr_value` of SCTP_DEFAULT_PRINFO.
    pub pr_policy: u16,
    pub pr_value: u32,
}

/// Settings of one socket. New associations start from `association`.
#[derive(Debug, Clone)]
pub struct SocketOptions {
    pub association: Config,
    pub non_blocking: bool,
    /// SO_LINGER: `Some(seconds)` when on.
    pub linger: Option<u32>,
    /// Notification types (SCTP_EVENT) switched on: bit `n` for `sn_type` n.
    pub events: u32,
    pub recv_rcvinfo: bool,
    pub recv_nxtinfo: bool,
    pub explicit_eor: bool,
    pub default_send: DefaultSend,
    /// SCTP_CONTEXT: reported as `rcv_context` of received data.
    pub context: u32,
    pub fragment_interleave: u32,
    pub mapped_v4: bool,
    pub reuse_port: bool,
    pub disable_fragments: bool,
    /// SCTP_MAXSEG (0: the path MTU decides).
    pub maxseg: u32,
    /// SCTP_REMOTE_UDP_ENCAPS_PORT for new associations (host order; 0: none).
    pub remote_udp_port: u16,
    /// SCTP_AUTOCLOSE in seconds (0: off).
    pub autoclose: u32,
}

impl SocketOptions {
    /// The settings a new socket starts with: the sysctl defaults.
    pub fn from_sysctls() -> Self {
        SocketOptions {
            association: crate::stack::config::association_config(),
            non_blocking: false,
            linger: None,
            events: 0,
            recv_rcvinfo: false,
            recv_nxtinfo: false,
            explicit_eor: false,
            default_send: DefaultSend::default(),
            context: 0,
            fragment_interleave: 1,
            mapped_v4: false,
            reuse_port: false,
            disable_fragments: false,
            maxseg: 0,
            remote_udp_port: 0,
            autoclose: 0,
        }
    }

    /// True when notifications of type `sn_type` are switched on.
    pub fn subscribed(&self, sn_type: u16) -> bool {
        sn_type < 32 && self.events & (1 << sn_type) != 0
    }

    /// Switches notifications of type `sn_type` on or off; false for an unknown type.
    pub fn subscribe(&mut self, sn_type: u16, on: bool) -> bool {
        if !(1..=0x000e).contains(&sn_type) {
            return false;
        }
        if on {
            self.events |= 1 << sn_type;
        } else {
            self.events &= !(1 << sn_type);
        }
        true
    }
}
