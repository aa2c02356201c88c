//! The settings of one association. Defaults are libusrsctp's sysctl defaults; the stack
//! layer fills a `Config` from the current sysctls and socket options.

use std::time::Duration;

use super::capabilities::Capabilities;

/// Timers, limits and features of an association.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// RTO.Initial, RTO.Min, RTO.Max (RFC 9260 §16; sctp_rto_*_default).
    pub rto_initial: Duration,
    pub rto_min: Duration,
    pub rto_max: Duration,
    /// The RTO cap while INIT or COOKIE-ECHO is retransmitted (sctp_init_rto_max_default).
    pub init_rto_max: Duration,
    /// Max.Init.Retransmits (sctp_init_rtx_max_default).
    pub max_init_retransmits: u32,
    /// Association.Max.Retrans (sctp_assoc_rtx_max_default).
    pub assoc_max_retrans: u32,
    /// Path.Max.Retrans (sctp_path_rtx_max_default).
    pub path_max_retrans: u32,
    /// HB.interval; `None` disables heartbeats (sctp_heartbeat_interval_default).
    pub heartbeat_interval: Option<Duration>,
    /// Delayed SACK timeout and how many packets may go unacknowledged (sctp_delayed_sack_time,
    /// sctp_sack_freq).
    pub sack_delay: Duration,
    pub sack_freq: u32,
    /// Valid.Cookie.Life (sctp_valid_cookie_life_default).
    pub valid_cookie_life: Duration,
    /// T5-shutdown-guard; `None` means 5 × RTO.Max as RFC 9260 §9.2 suggests
    /// (sctp_shutdown_guard_time_default = 0).
    pub shutdown_guard: Option<Duration>,
    /// Streams we ask for and accept (sctp_nr_outgoing_streams_default,
    /// sctp_nr_incoming_streams_default).
    pub outbound_streams: u16,
    pub max_inbound_streams: u16,
    /// Receive and send buffers in bytes (sctp_recvspace, sctp_sendspace).
    pub receive_buffer: u32,
    pub send_buffer: u32,
    /// The path MTU used until discovery says otherwise: the bytes of an SCTP packet.
    pub mtu: usize,
    /// Packetization-layer path MTU discovery (RFC 8899); off by default.
    pub plpmtud: super::pmtud::PlpmtudConfig,
    /// A user limit on fragment size (SCTP_MAXSEG), 0 for none.
    pub max_fragment: usize,
    /// Initial congestion window in MTUs (sctp_initial_cwnd).
    pub initial_cwnd_mtus: u32,
    /// Max.Burst (sctp_max_burst_default).
    pub max_burst: u32,
    /// Send small messages at once rather than bundling them (SCTP_NODELAY).
    pub nodelay: bool,
    /// Close the association after this much idle time (SCTP_AUTOCLOSE).
    pub autoclose: Option<Duration>,
    /// Extensions offered to the peer.
    pub capabilities: Capabilities,
    /// In SHUTDOWN-PENDING, the last message's DATA chunks carry the I bit (RFC 7053 §4.1;
    /// sctp_enable_sack_immediately).
    pub sack_immediately_on_shutdown: bool,
    /// Adaptation Layer Indication to announce (SCTP_ADAPTATION_LAYER).
    pub adaptation: Option<u32>,
    /// AUTH's chunk list, HMAC algorithms and shared keys (offered when `capabilities.auth`).
    pub auth: super::auth::AuthSettings,
    /// Our addresses to list in INIT and INIT-ACK, so that the peer may use each as a path.
    /// Empty: the peer uses the source address of our packets only.
    pub local_addresses: Vec<std::net::IpAddr>,
    /// A message larger than this many bytes is delivered in pieces
    /// (SCTP_PARTIAL_DELIVERY_POINT); 0 means the receive buffer.
    pub partial_delivery_point: u32,
    /// Which stream reconfiguration requests of the peer are performed, the others being
    /// denied (SCTP_ENABLE_STREAM_RESET: bits of `reconfig::ACCEPT_*`).
    pub reconfig_accept: u32,
    /// The stream scheduler (SCTP_PLUGGABLE_SS, sctp_default_ss_module).
    pub scheduler: crate::tx::SchedulerKind,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rto_initial: Duration::from_millis(3000),
            rto_min: Duration::from_millis(1000),
            rto_max: Duration::from_millis(60_000),
            init_rto_max: Duration::from_millis(60_000),
            max_init_retransmits: 8,
            assoc_max_retrans: 10,
            path_max_retrans: 5,
            heartbeat_interval: Some(Duration::from_millis(30_000)),
            sack_delay: Duration::from_millis(200),
            sack_freq: 2,
            valid_cookie_life: Duration::from_millis(60_000),
            shutdown_guard: None,
            outbound_streams: 10,
            max_inbound_streams: 2048,
            receive_buffer: 131_072,
            send_buffer: 262_144,
            mtu: 1280,
            plpmtud: super::pmtud::PlpmtudConfig::default(),
            max_fragment: 0,
            initial_cwnd_mtus: 3,
            max_burst: 4,
            nodelay: false,
            autoclose: None,
            // sctp_pr_enable is on by default.
            capabilities: Capabilities {
                partial_reliability: true,
                ..Capabilities::default()
            },
            sack_immediately_on_shutdown: true,
            adaptation: None,
            auth: super::auth::AuthSettings::default(),
            partial_delivery_point: 0,
            local_addresses: Vec::new(),
            reconfig_accept: 0,
            scheduler: crate::tx::SchedulerKind::RoundRobinArrival,
        }
    }
}

impl Config {
    /// The T5-shutdown-guard duration in force.
    pub fn shutdown_guard(&self) -> Duration {
        self.shutdown_guard.unwrap_or(self.rto_max * 5)
    }
}
