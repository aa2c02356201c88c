//! Retransmission timeout per destination (RFC 9260 §6.3.1 and §6.3.3 E2).
//!
//! The estimator is fed RTT samples (Karn's rule is applied by whoever takes them, see
//! [`crate::tx::SackOutcome::rtt_samples`]). Values are kept in microseconds.

use std::time::Duration;

/// RTO.Initial, RTO.Min, RTO.Max (RFC 9260 §16; libusrsctp's `sctp_rto_*_default` sysctls)
/// and the clock granularity G of §6.3.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtoConfig {
    pub initial: Duration,
    pub min: Duration,
    pub max: Duration,
    pub granularity: Duration,
}

impl Default for RtoConfig {
    /// libusrsctp's defaults: 3000, 1000 and 60000 ms; G = 1 ms.
    fn default() -> Self {
        RtoConfig {
            initial: Duration::from_millis(3000),
            min: Duration::from_millis(1000),
            max: Duration::from_millis(60000),
            granularity: Duration::from_millis(1),
        }
    }
}

/// RTO.Alpha = 1/8 and RTO.Beta = 1/4 as shifts.
const ALPHA_SHIFT: u32 = 3;
const BETA_SHIFT: u32 = 2;
/// Samples are capped (about 12 days) so that no arithmetic below can overflow.
const MAX_SAMPLE_US: u64 = 1 << 40;

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros())
        .unwrap_or(u64::MAX)
        .min(MAX_SAMPLE_US)
}

/// SRTT, RTTVAR and the RTO of one destination transport address.
#[derive(Debug, Clone)]
pub struct RtoEstimator {
    min_us: u64,
    max_us: u64,
    g_us: u64,
    /// SRTT and RTTVAR once the first measurement was made (rule C2).
    srtt_rttvar: Option<(u64, u64)>,
    /// The RTO computed from the measurements, before back-off.
    base_us: u64,
    /// The RTO in force: `base_us` doubled by each back-off, capped at RTO.Max.
    rto_us: u64,
}

impl RtoEstimator {
    /// Rule C1: until a measurement is made, RTO = RTO.Initial (kept within RTO.Min..RTO.Max;
    /// a maximum below the minimum is raised to the minimum).
    pub fn new(config: RtoConfig) -> Self {
        let min_us = micros(config.min);
        let max_us = micros(config.max).max(min_us);
        let initial = micros(config.initial).clamp(min_us, max_us);
        RtoEstimator {
            min_us,
            max_us,
            g_us: micros(config.granularity),
            srtt_rttvar: None,
            base_us: initial,
            rto_us: initial,
        }
    }

    /// The current RTO, back-off included.
    pub fn rto(&self) -> Duration {
        Duration::from_micros(self.rto_us)
    }

    /// SRTT, once a measurement was made.
    pub fn srtt(&self) -> Option<Duration> {
        self.srtt_rttvar.map(|(s, _)| Duration::from_micros(s))
    }

    /// RTTVAR, once a measurement was made.
    pub fn rttvar(&self) -> Option<Duration> {
        self.srtt_rttvar.map(|(_, v)| Duration::from_micros(v))
    }

    /// Rules C2 and C3 with a new RTT measurement R; the back-off is cleared (the RTO is
    /// computed afresh, §6.3.3 E2's doubling only lasts until the next measurement).
    pub fn on_rtt_measurement(&mut self, rtt: Duration) {
        let r = micros(rtt);
        let (srtt, mut rttvar) = match self.srtt_rttvar {
            // C2: SRTT = R, RTTVAR = R/2.
            None => (r, r / 2),
            // C3: RTTVAR = (1 - beta) * RTTVAR + beta * |SRTT - R'| (with the old SRTT),
            //     SRTT = (1 - alpha) * SRTT + alpha * R'.
            Some((srtt, rttvar)) => {
                let delta = srtt.abs_diff(r);
                let rttvar = rttvar - (rttvar >> BETA_SHIFT) + (delta >> BETA_SHIFT);
                let srtt = srtt - (srtt >> ALPHA_SHIFT) + (r >> ALPHA_SHIFT);
                (srtt, rttvar)
            }
        };
        // C6 (granularity): an RTTVAR of zero is adjusted to G.
        if rttvar == 0 {
            rttvar = self.g_us;
        }
        self.srtt_rttvar = Some((srtt, rttvar));
        // RTO = SRTT + max(G, 4 * RTTVAR), then C6/C7: within RTO.Min..RTO.Max.
        let rto = srtt.saturating_add(self.g_us.max(rttvar.saturating_mul(4)));
        self.base_us = rto.clamp(self.min_us, self.max_us);
        self.rto_us = self.base_us;
    }

    /// §6.3.3 E2: on T3-rtx expiry, RTO = RTO * 2, at most RTO.Max.
    pub fn back_off(&mut self) {
        self.rto_us = self.rto_us.saturating_mul(2).min(self.max_us);
    }

    /// True while a back-off is in force (no measurement since the last `back_off`).
    pub fn is_backed_off(&self) -> bool {
        self.rto_us != self.base_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Duration {
        Duration::from_millis(v)
    }

    fn small_min() -> RtoConfig {
        RtoConfig {
            min: ms(10),
            ..RtoConfig::default()
        }
    }

    #[test]
    fn initial_rto_until_first_measurement() {
        let e = RtoEstimator::new(RtoConfig::default());
        assert_eq!(e.rto(), ms(3000));
        assert_eq!(e.srtt(), None);
    }

    #[test]
    fn first_measurement_rule_c2() {
        let mut e = RtoEstimator::new(small_min());
        e.on_rtt_measurement(ms(100));
        assert_eq!(e.srtt(), Some(ms(100)));
        assert_eq!(e.rttvar(), Some(ms(50)));
        // 100 + 4 * 50
        assert_eq!(e.rto(), ms(300));
    }

    #[test]
    fn later_measurement_rule_c3_uses_old_srtt() {
        let mut e = RtoEstimator::new(small_min());
        e.on_rtt_measurement(ms(100));
        e.on_rtt_measurement(ms(200));
        // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
        assert_eq!(e.rttvar(), Some(Duration::from_micros(62_500)));
        assert_eq!(e.srtt(), Some(Duration::from_micros(112_500)));
        assert_eq!(e.rto(), Duration::from_micros(112_500 + 250_000));
    }

    #[test]
    fn rto_is_clamped_to_min_and_max() {
        let mut e = RtoEstimator::new(RtoConfig::default());
        e.on_rtt_measurement(ms(10));
        assert_eq!(e.rto(), ms(1000));
        e.on_rtt_measurement(Duration::from_secs(100));
        assert_eq!(e.rto(), ms(60000));
        e.on_rtt_measurement(Duration::MAX);
        assert_eq!(e.rto(), ms(60000));
    }

    #[test]
    fn granularity_applies_when_variance_vanishes() {
        let cfg = RtoConfig {
            min: Duration::ZERO,
            granularity: ms(5),
            ..RtoConfig::default()
        };
        let mut e = RtoEstimator::new(cfg);
        e.on_rtt_measurement(Duration::ZERO);
        // RTTVAR 0 becomes G; RTO = 0 + max(G, 4G).
        assert_eq!(e.rttvar(), Some(ms(5)));
        assert_eq!(e.rto(), ms(20));
        let mut e = RtoEstimator::new(cfg);
        for _ in 0..200 {
            e.on_rtt_measurement(ms(40));
        }
        assert!(e.rto() >= ms(45), "{:?}", e.rto());
    }

    #[test]
    fn back_off_doubles_up_to_max_and_measurement_resets_it() {
        let mut e = RtoEstimator::new(RtoConfig::default());
        e.back_off();
        assert_eq!(e.rto(), ms(6000));
        assert!(e.is_backed_off());
        for _ in 0..10 {
            e.back_off();
        }
        assert_eq!(e.rto(), ms(60000));
        e.on_rtt_measurement(ms(100));
        assert!(!e.is_backed_off());
        assert_eq!(e.rto(), ms(1000));
    }

    #[test]
    fn inconsistent_config_is_made_consistent() {
        let cfg = RtoConfig {
            initial: ms(1),
            min: ms(500),
            max: ms(100),
            granularity: ms(1),
        };
        let e = RtoEstimator::new(cfg);
        assert_eq!(e.rto(), ms(500));
    }
}
