//! The association and endpoint settings that the sysctls of [`super::sysctl`] give new
//! sockets, as libusrsctp takes its defaults from its sysctls.

use std::time::Duration;

use super::sysctl::Setting;
use crate::assoc::capabilities::Capabilities;
use crate::assoc::Config;
use crate::endpoint::EndpointConfig;

/// The settings of a new association, from the current sysctl values.
pub fn association_config() -> Config {
    association_config_from(Setting::get)
}

/// The settings of a new association, with `value` reading each setting.
fn association_config_from(value: impl Fn(Setting) -> u32) -> Config {
    let ms = |s: Setting| Duration::from_millis(u64::from(value(s)));
    let defaults = Config::default();
    let heartbeat = ms(Setting::sctp_heartbeat_interval_default);
    let guard = value(Setting::sctp_shutdown_guard_time_default);
    Config {
        rto_initial: ms(Setting::sctp_rto_initial_default),
        rto_min: ms(Setting::sctp_rto_min_default),
        rto_max: ms(Setting::sctp_rto_max_default),
        init_rto_max: ms(Setting::sctp_init_rto_max_default),
        max_init_retransmits: value(Setting::sctp_init_rtx_max_default),
        assoc_max_retrans: value(Setting::sctp_assoc_rtx_max_default),
        path_max_retrans: value(Setting::sctp_path_rtx_max_default),
        heartbeat_interval: (!heartbeat.is_zero()).then_some(heartbeat),
        sack_delay: ms(Setting::sctp_delayed_sack_time_default),
        sack_freq: value(Setting::sctp_sack_freq_default),
        valid_cookie_life: ms(Setting::sctp_valid_cookie_life_default),
        // The sysctl is in seconds; 0 means the RFC's 5 × RTO.Max.
        shutdown_guard: (guard != 0).then(|| Duration::from_secs(u64::from(guard))),
        outbound_streams: value(Setting::sctp_nr_outgoing_streams_default) as u16,
        max_inbound_streams: value(Setting::sctp_nr_incoming_streams_default) as u16,
        receive_buffer: value(Setting::sctp_recvspace),
        send_buffer: value(Setting::sctp_sendspace),
        initial_cwnd_mtus: value(Setting::sctp_initial_cwnd),
        // PMTU_RAISE_TIMER of path MTU discovery (in seconds).
        plpmtud: crate::assoc::pmtud::PlpmtudConfig {
            raise_interval: Duration::from_secs(u64::from(value(
                Setting::sctp_pmtu_raise_time_default,
            ))),
            ..defaults.plpmtud.clone()
        },
        max_burst: value(Setting::sctp_max_burst_default),
        sack_immediately_on_shutdown: value(Setting::sctp_enable_sack_immediately) != 0,
        capabilities: Capabilities {
            reconfig: value(Setting::sctp_reconfig_enable) != 0,
            partial_reliability: value(Setting::sctp_pr_enable) != 0,
            ecn: value(Setting::sctp_ecn_enable) != 0,
            nr_sack: value(Setting::sctp_nrsack_enable) != 0,
            auth: value(Setting::sctp_auth_enable) != 0,
            asconf: value(Setting::sctp_asconf_enable) != 0,
            ..Capabilities::default()
        },
        scheduler: crate::tx::SchedulerKind::from_ss_module(value(Setting::sctp_default_ss_module))
            .unwrap_or_default(),
        ..defaults
    }
}

/// The settings of a new endpoint, from the current sysctl values.
pub fn endpoint_config() -> EndpointConfig {
    EndpointConfig {
        association: association_config(),
        secret_lifetime: Duration::from_secs(u64::from(
            Setting::sctp_secret_lifetime_default.get(),
        )),
        ..EndpointConfig::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysctl_defaults_give_the_association_defaults() {
        let from_defaults = association_config_from(|s| s.spec().default);
        // The sysctls' defaults offer what libusrsctp offers (ECN, AUTH, ASCONF yes, NR-SACK
        // no); the engine's defaults differ only there.
        let offered = Capabilities {
            reconfig: true,
            partial_reliability: true,
            ecn: true,
            auth: true,
            asconf: true,
            ..Capabilities::default()
        };
        assert_eq!(from_defaults.capabilities, offered);
        assert_eq!(
            Config {
                capabilities: Config::default().capabilities,
                ..from_defaults
            },
            Config::default()
        );
        let off = association_config_from(|s| match s {
            Setting::sctp_reconfig_enable => 0,
            other => other.spec().default,
        });
        assert!(!off.capabilities.reconfig);
        let no_ecn = association_config_from(|s| match s {
            Setting::sctp_ecn_enable => 0,
            Setting::sctp_nrsack_enable => 1,
            other => other.spec().default,
        });
        assert!(!no_ecn.capabilities.ecn && no_ecn.capabilities.nr_sack);
        let tuned = association_config_from(|s| match s {
            Setting::sctp_heartbeat_interval_default => 0,
            Setting::sctp_shutdown_guard_time_default => 7,
            other => other.spec().default,
        });
        assert_eq!(tuned.heartbeat_interval, None);
        assert_eq!(tuned.shutdown_guard, Some(Duration::from_secs(7)));
        let plain = association_config_from(|s| match s {
            Setting::sctp_pr_enable => 0,
            Setting::sctp_default_ss_module => 3,
            other => other.spec().default,
        });
        assert!(!plain.capabilities.partial_reliability);
        assert_eq!(plain.scheduler, crate::tx::SchedulerKind::Priority);
    }
}
