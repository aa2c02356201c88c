//! Congestion control of one destination transport address (RFC 9260 §7.2).
//!
//! The window counts DATA payload bytes, as flight size does in
//! [`crate::tx::RetransmissionQueue`]. Fast Recovery is a state of the association (§7.2.4),
//! so callers pass it in.

/// Settings of one path's congestion control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CongestionConfig {
    /// The path MTU in bytes, as used by §7.2 ("MTU").
    pub mtu: usize,
    /// Initial cwnd in packets (libusrsctp's `sctp_initial_cwnd`, 3 there): as libusrsctp
    /// counts it, this many times the MTU less the SCTP common header, and at most Max.Burst
    /// packets. `None` uses RFC 9260 §7.2.1: min(4*MTU, max(2*MTU, 4380)).
    pub initial_cwnd_mtus: Option<u32>,
    /// Max.Burst in packets (RFC 4960 §6.1, libusrsctp's `sctp_max_burst_default`, 4); 0 turns
    /// the limit off.
    pub max_burst: u32,
}

impl Default for CongestionConfig {
    fn default() -> Self {
        CongestionConfig {
            mtu: 1500,
            initial_cwnd_mtus: None,
            max_burst: 4,
        }
    }
}

/// The SCTP common header: the part of a packet that carries no chunk.
const COMMON_HEADER: usize = 12;

/// cwnd, ssthresh and partial_bytes_acked of one path.
#[derive(Debug, Clone)]
pub struct CongestionControl {
    config: CongestionConfig,
    cwnd: usize,
    ssthresh: usize,
    partial_bytes_acked: usize,
}

impl CongestionControl {
    /// §7.2.1: initial cwnd from the configuration, ssthresh = the peer's a_rwnd.
    pub fn new(config: CongestionConfig, peer_rwnd: u32) -> Self {
        let config = CongestionConfig {
            mtu: config.mtu.max(1),
            ..config
        };
        let cwnd = Self::initial_cwnd(&config);
        CongestionControl {
            config,
            cwnd,
            ssthresh: usize::try_from(peer_rwnd).unwrap_or(usize::MAX),
            partial_bytes_acked: 0,
        }
    }

    fn initial_cwnd(config: &CongestionConfig) -> usize {
        let mtu = config.mtu;
        match config.initial_cwnd_mtus {
            Some(n) => {
                let packets = match config.max_burst {
                    0 => n,
                    burst => n.min(burst),
                };
                usize::try_from(packets.max(1))
                    .unwrap_or(usize::MAX)
                    .saturating_mul(mtu.saturating_sub(COMMON_HEADER).max(1))
            }
            None => (4 * mtu).min((2 * mtu).max(4380)),
        }
    }

    pub fn cwnd(&self) -> usize {
        self.cwnd
    }

    pub fn ssthresh(&self) -> usize {
        self.ssthresh
    }

    pub fn partial_bytes_acked(&self) -> usize {
        self.partial_bytes_acked
    }

    pub fn mtu(&self) -> usize {
        self.config.mtu
    }

    /// A new path MTU (PMTU discovery). The window keeps its size but never falls below one MTU.
    pub fn set_mtu(&mut self, mtu: usize) {
        self.config.mtu = mtu.max(1);
        self.cwnd = self.cwnd.max(self.config.mtu);
    }

    /// A new Max.Burst (SCTP_MAX_BURST on a live association); 0 turns the limit off.
    pub fn set_max_burst(&mut self, max_burst: u32) {
        self.config.max_burst = max_burst;
    }

    /// True while cwnd <= ssthresh (§7.2: slow start).
    pub fn in_slow_start(&self) -> bool {
        self.cwnd <= self.ssthresh
    }

    /// §6.1 rule B: new data may go out while the flight size has not reached cwnd (the chunk
    /// sent may then exceed cwnd by less than one MTU).
    pub fn can_send(&self, flight_size: usize) -> bool {
        flight_size < self.cwnd
    }

    /// A SACK acknowledged `acked_bytes` new bytes sent on this path (by the cumulative TSN
    /// ack or by gap blocks). `flight_before` is the path's flight size before the SACK.
    pub fn on_ack(
        &mut self,
        acked_bytes: usize,
        cum_ack_advanced: bool,
        flight_before: usize,
        in_fast_recovery: bool,
    ) {
        if acked_bytes == 0 || in_fast_recovery {
            return;
        }
        let mtu = self.config.mtu;
        let fully_utilized = flight_before >= self.cwnd;
        if self.in_slow_start() {
            // §7.2.1: only when cwnd is fully used, the SACK advances the cumulative TSN ack
            // point and we are not in Fast Recovery; at most min(bytes acked, MTU).
            if fully_utilized && cum_ack_advanced {
                self.cwnd = self.cwnd.saturating_add(acked_bytes.min(mtu));
            }
        } else {
            // §7.2.2 with the errata of RFC 8540 §3.26: partial_bytes_acked grows by the bytes
            // acknowledged; past cwnd it yields one MTU only if cwnd was fully used, otherwise
            // it is held at cwnd.
            self.partial_bytes_acked = self.partial_bytes_acked.saturating_add(acked_bytes);
            if self.partial_bytes_acked >= self.cwnd {
                if fully_utilized {
                    self.partial_bytes_acked -= self.cwnd;
                    self.cwnd = self.cwnd.saturating_add(mtu);
                } else {
                    self.partial_bytes_acked = self.cwnd;
                }
            }
        }
    }

    /// §7.2.2: all data sent on this path has been acknowledged.
    pub fn on_all_acked(&mut self) {
        self.partial_bytes_acked = 0;
    }

    /// §7.2.3: T3-rtx expired on this path: ssthresh = max(cwnd/2, 4*MTU), cwnd = 1*MTU.
    pub fn on_t3_timeout(&mut self) {
        self.ssthresh = (self.cwnd / 2).max(4 * self.config.mtu);
        self.cwnd = self.config.mtu;
        self.partial_bytes_acked = 0;
    }

    /// §7.2.4 step 2, on entering Fast Recovery: ssthresh = max(cwnd/2, 4*MTU), cwnd = ssthresh.
    pub fn on_fast_retransmit(&mut self) {
        self.ssthresh = (self.cwnd / 2).max(4 * self.config.mtu);
        self.cwnd = self.ssthresh;
        self.partial_bytes_acked = 0;
    }

    /// RFC 9260 Appendix A: the peer echoed a CE mark. As libusrsctp does (and TCP, RFC 3168
    /// §6.1.2): ssthresh = max(cwnd/2, 1*MTU), cwnd = ssthresh. The caller makes sure this
    /// happens at most once per window of data.
    pub fn on_ecn_echo(&mut self) {
        self.ssthresh = (self.cwnd / 2).max(self.config.mtu);
        self.cwnd = self.ssthresh;
        self.partial_bytes_acked = 0;
    }

    /// §7.2.1: no data was sent on this path for an RTO: cwnd = max(cwnd/2, 4*MTU).
    pub fn on_idle_rto(&mut self) {
        self.cwnd = self.cwnd.min((self.cwnd / 2).max(4 * self.config.mtu));
    }

    /// Max.Burst (RFC 4960 §6.1 D, as libusrsctp's `sctp_use_cwnd_based_maxburst` does it):
    /// before a round of sending, cwnd = min(cwnd, flight_size + Max.Burst * MTU).
    pub fn limit_burst(&mut self, flight_size: usize) {
        if self.config.max_burst == 0 {
            return;
        }
        let burst = usize::try_from(self.config.max_burst)
            .unwrap_or(usize::MAX)
            .saturating_mul(self.config.mtu);
        self.cwnd = self.cwnd.min(flight_size.saturating_add(burst));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MTU: usize = 1500;

    fn cc(rwnd: u32) -> CongestionControl {
        CongestionControl::new(CongestionConfig::default(), rwnd)
    }

    #[test]
    fn ecn_echo_halves_the_window_down_to_one_mtu() {
        let mut c = cc(100_000);
        assert_eq!(c.cwnd(), 4380);
        c.on_ecn_echo();
        assert_eq!((c.cwnd(), c.ssthresh()), (2190, 2190));
        c.on_ecn_echo();
        assert_eq!((c.cwnd(), c.ssthresh()), (MTU, MTU));
        c.on_ecn_echo();
        assert_eq!(c.cwnd(), MTU);
        assert!(c.in_slow_start());
    }

    #[test]
    fn initial_window_rfc_formula_and_configured() {
        assert_eq!(cc(100_000).cwnd(), 4380);
        assert_eq!(cc(100_000).ssthresh(), 100_000);
        let small = CongestionConfig {
            mtu: 1000,
            ..CongestionConfig::default()
        };
        assert_eq!(CongestionControl::new(small, 1).cwnd(), 4000);
        let big = CongestionConfig {
            mtu: 9000,
            ..CongestionConfig::default()
        };
        assert_eq!(CongestionControl::new(big, 1).cwnd(), 18000);
        let usrsctp = CongestionConfig {
            initial_cwnd_mtus: Some(3),
            ..CongestionConfig::default()
        };
        // libusrsctp: (MTU - 12) per packet, at most Max.Burst packets.
        assert_eq!(CongestionControl::new(usrsctp, 1).cwnd(), 3 * 1488);
        let burst_2 = CongestionConfig {
            max_burst: 2,
            ..usrsctp
        };
        assert_eq!(CongestionControl::new(burst_2, 1).cwnd(), 2 * 1488);
    }

    #[test]
    fn slow_start_grows_by_at_most_one_mtu_when_fully_utilized() {
        let mut c = cc(1_000_000);
        c.on_ack(1000, true, 4380, false);
        assert_eq!(c.cwnd(), 5380);
        c.on_ack(5000, true, 5380, false);
        assert_eq!(c.cwnd(), 5380 + MTU);
        // Not fully utilized: no growth.
        c.on_ack(1000, true, 100, false);
        assert_eq!(c.cwnd(), 5380 + MTU);
        // Cumulative ack did not advance: no growth.
        c.on_ack(1000, false, 100_000, false);
        assert_eq!(c.cwnd(), 5380 + MTU);
        // Fast Recovery: no growth.
        c.on_ack(1000, true, 100_000, true);
        assert_eq!(c.cwnd(), 5380 + MTU);
    }

    #[test]
    fn congestion_avoidance_adds_one_mtu_per_window() {
        let mut c = cc(4000);
        assert!(!c.in_slow_start());
        let w = c.cwnd();
        c.on_ack(3000, true, w, false);
        assert_eq!(c.cwnd(), w);
        assert_eq!(c.partial_bytes_acked(), 3000);
        c.on_ack(2000, true, w, false);
        assert_eq!(c.cwnd(), w + MTU);
        assert_eq!(c.partial_bytes_acked(), 5000 - w);
        c.on_all_acked();
        assert_eq!(c.partial_bytes_acked(), 0);
    }

    #[test]
    fn congestion_avoidance_holds_pba_when_not_fully_utilized() {
        let mut c = cc(4000);
        let w = c.cwnd();
        c.on_ack(10_000, true, 1000, false);
        assert_eq!(c.cwnd(), w);
        assert_eq!(c.partial_bytes_acked(), w);
    }

    #[test]
    fn t3_timeout_collapses_window() {
        let mut c = cc(1_000_000);
        for _ in 0..20 {
            let w = c.cwnd();
            c.on_ack(MTU, true, w, false);
        }
        let before = c.cwnd();
        c.on_t3_timeout();
        assert_eq!(c.cwnd(), MTU);
        assert_eq!(c.ssthresh(), (before / 2).max(4 * MTU));
        // Slow start again up to ssthresh.
        assert!(c.in_slow_start());
        let mut small = cc(1_000_000);
        small.on_t3_timeout();
        assert_eq!(small.ssthresh(), 4 * MTU);
    }

    #[test]
    fn fast_retransmit_halves_window() {
        let mut c = cc(1_000_000);
        for _ in 0..20 {
            let w = c.cwnd();
            c.on_ack(MTU, true, w, false);
        }
        let before = c.cwnd();
        assert_eq!(before, 4380 + 20 * MTU);
        c.on_fast_retransmit();
        assert_eq!(c.ssthresh(), before / 2);
        assert_eq!(c.cwnd(), before / 2);
        let mut fresh = cc(1_000_000);
        fresh.on_fast_retransmit();
        assert_eq!(fresh.cwnd(), 4 * MTU);
    }

    #[test]
    fn idle_and_burst_limits() {
        let mut c = cc(1_000_000);
        for _ in 0..20 {
            let w = c.cwnd();
            c.on_ack(MTU, true, w, false);
        }
        let w = c.cwnd();
        c.on_idle_rto();
        assert_eq!(c.cwnd(), (w / 2).max(4 * MTU));
        c.on_idle_rto();
        c.on_idle_rto();
        assert_eq!(c.cwnd(), 4 * MTU);
        c.limit_burst(0);
        assert_eq!(c.cwnd(), 4 * MTU);
        let mut c = cc(1_000_000);
        for _ in 0..20 {
            let w = c.cwnd();
            c.on_ack(MTU, true, w, false);
        }
        c.limit_burst(1000);
        assert_eq!(c.cwnd(), 1000 + 4 * MTU);
        assert!(c.can_send(1000));
        assert!(!c.can_send(1000 + 4 * MTU));
    }

    #[test]
    fn mtu_change_keeps_window_at_least_one_mtu() {
        let mut c = cc(1_000_000);
        c.on_t3_timeout();
        c.set_mtu(9000);
        assert_eq!(c.cwnd(), 9000);
        assert_eq!(c.mtu(), 9000);
    }
}
