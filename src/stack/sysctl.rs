//! The process-wide tunable settings ("sysctls") of the stack.
//!
//! One declarative table, `with_settings!`, lists every setting with its default and its
//! accepted range. The table generates [`Setting`] and [`TABLE`] here and the C functions
//! `usrsctp_sysctl_set_*`, `usrsctp_sysctl_get_*` and `usrsctp_tunable_set_*` in the FFI layer.
//!
//! Semantics, as libusrsctp 0.9.5 has them:
//! - every value reads 0 until the stack is initialised;
//! - `usrsctp_init` resets every sysctl to its default, so a sysctl set before it is lost;
//! - a tunable (hash table sizes, chunk scale) set before `usrsctp_init` is kept by it;
//! - a value outside the range is refused and leaves the setting as it was;
//! - `sctp_udp_tunneling_port` takes its value from the port given to `usrsctp_init`.

use std::sync::atomic::{AtomicU32, Ordering};

/// Whether `usrsctp_init` resets a setting, and how its C functions are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `usrsctp_sysctl_set_X` / `usrsctp_sysctl_get_X`; reset by `usrsctp_init`.
    Sysctl,
    /// A sysctl that the C header declares only when the program defines `SCTP_DEBUG`.
    Debug,
    /// `usrsctp_tunable_set_X` / `usrsctp_sysctl_get_X`; kept across `usrsctp_init`, since it
    /// sizes structures that init creates.
    Tunable,
}

/// One row of the settings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub default: u32,
    pub min: u32,
    pub max: u32,
}

/// The setting refused a value outside its range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

/// Calls `$callback!` with the whole settings table, in the order of the C header:
/// `Kind name = default, min..=max;` per row.
macro_rules! with_settings {
    ($callback:ident) => {
        $callback! {
            Tunable sctp_hashtblsize = 1024, 1..=u32::MAX;
            Tunable sctp_pcbtblsize = 256, 1..=u32::MAX;
            Tunable sctp_chunkscale = 10, 1..=u32::MAX;
            Sysctl sctp_sendspace = 262144, 0..=u32::MAX;
            Sysctl sctp_recvspace = 131072, 0..=u32::MAX;
            Sysctl sctp_auto_asconf = 1, 0..=1;
            Sysctl sctp_multiple_asconfs = 0, 0..=1;
            Sysctl sctp_ecn_enable = 1, 0..=1;
            Sysctl sctp_pr_enable = 1, 0..=1;
            Sysctl sctp_auth_enable = 1, 0..=1;
            Sysctl sctp_asconf_enable = 1, 0..=1;
            Sysctl sctp_reconfig_enable = 1, 0..=1;
            Sysctl sctp_nrsack_enable = 0, 0..=1;
            Sysctl sctp_pktdrop_enable = 0, 0..=1;
            Sysctl sctp_no_csum_on_loopback = 1, 0..=1;
            Sysctl sctp_peer_chunk_oh = 256, 0..=u32::MAX;
            Sysctl sctp_max_burst_default = 4, 0..=u32::MAX;
            Sysctl sctp_max_chunks_on_queue = 512, 0..=u32::MAX;
            Sysctl sctp_min_split_point = 2904, 0..=u32::MAX;
            Sysctl sctp_delayed_sack_time_default = 200, 0..=u32::MAX;
            Sysctl sctp_sack_freq_default = 2, 0..=u32::MAX;
            Sysctl sctp_system_free_resc_limit = 1000, 0..=u32::MAX;
            Sysctl sctp_asoc_free_resc_limit = 10, 0..=u32::MAX;
            Sysctl sctp_heartbeat_interval_default = 30000, 0..=u32::MAX;
            Sysctl sctp_pmtu_raise_time_default = 600, 0..=u32::MAX;
            Sysctl sctp_shutdown_guard_time_default = 0, 0..=u32::MAX;
            Sysctl sctp_secret_lifetime_default = 3600, 0..=u32::MAX;
            Sysctl sctp_rto_max_default = 60000, 0..=u32::MAX;
            Sysctl sctp_rto_min_default = 1000, 0..=u32::MAX;
            Sysctl sctp_rto_initial_default = 3000, 0..=u32::MAX;
            Sysctl sctp_init_rto_max_default = 60000, 0..=u32::MAX;
            Sysctl sctp_valid_cookie_life_default = 60000, 1000..=3600000;
            Sysctl sctp_init_rtx_max_default = 8, 0..=u32::MAX;
            Sysctl sctp_assoc_rtx_max_default = 10, 0..=u32::MAX;
            Sysctl sctp_path_rtx_max_default = 5, 0..=u32::MAX;
            Sysctl sctp_add_more_threshold = 1452, 0..=u32::MAX;
            Sysctl sctp_nr_incoming_streams_default = 2048, 1..=65535;
            Sysctl sctp_nr_outgoing_streams_default = 10, 1..=65535;
            Sysctl sctp_cmt_on_off = 0, 0..=4;
            Sysctl sctp_cmt_use_dac = 0, 0..=1;
            Sysctl sctp_use_cwnd_based_maxburst = 1, 0..=1;
            Sysctl sctp_nat_friendly = 1, 0..=1;
            Sysctl sctp_L2_abc_variable = 2, 0..=u32::MAX;
            Sysctl sctp_mbuf_threshold_count = 5, 0..=u32::MAX;
            Sysctl sctp_do_drain = 1, 0..=1;
            Sysctl sctp_hb_maxburst = 4, 1..=u32::MAX;
            Sysctl sctp_abort_if_one_2_one_hits_limit = 0, 0..=1;
            Sysctl sctp_min_residual = 1452, 20..=65535;
            Sysctl sctp_max_retran_chunk = 30, 0..=65535;
            Sysctl sctp_logging_level = 0, 0..=u32::MAX;
            Sysctl sctp_default_cc_module = 0, 0..=2;
            Sysctl sctp_default_frag_interleave = 1, 0..=2;
            Sysctl sctp_mobility_base = 0, 0..=1;
            Sysctl sctp_mobility_fasthandoff = 0, 0..=1;
            Sysctl sctp_inits_include_nat_friendly = 0, 0..=1;
            Sysctl sctp_udp_tunneling_port = 0, 0..=65535;
            Sysctl sctp_enable_sack_immediately = 1, 0..=1;
            Sysctl sctp_vtag_time_wait = 60, 0..=u32::MAX;
            Sysctl sctp_blackhole = 0, 0..=2;
            Sysctl sctp_sendall_limit = 1432, 0..=u32::MAX;
            Sysctl sctp_diag_info_code = 0, 0..=65535;
            Sysctl sctp_fr_max_burst_default = 4, 0..=u32::MAX;
            Sysctl sctp_path_pf_threshold = 65535, 0..=65535;
            Sysctl sctp_default_ss_module = 0, 0..=5;
            Sysctl sctp_rttvar_bw = 4, 0..=32;
            Sysctl sctp_rttvar_rtt = 5, 0..=32;
            Sysctl sctp_rttvar_eqret = 0, 0..=1;
            Sysctl sctp_steady_step = 20, 0..=65535;
            Sysctl sctp_use_dccc_ecn = 1, 0..=1;
            Sysctl sctp_buffer_splitting = 0, 0..=3;
            Sysctl sctp_initial_cwnd = 3, 0..=u32::MAX;
            Debug sctp_debug_on = 0, 0..=u32::MAX;
        }
    };
}
pub(crate) use with_settings;

macro_rules! define_table {
    ($($kind:ident $name:ident = $default:expr, $min:literal..=$max:expr;)*) => {
        /// Every setting, named as in the C API.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Setting {
            $($name,)*
        }

        /// Defaults and ranges, indexed by `Setting as usize`.
        pub const TABLE: &[Spec] = &[
            $(Spec {
                name: stringify!($name),
                kind: Kind::$kind,
                default: $default,
                min: $min,
                max: $max,
            },)*
        ];
    };
}
with_settings!(define_table);

const COUNT: usize = TABLE.len();

#[allow(clippy::declare_interior_mutable_const)]
const ZERO: AtomicU32 = AtomicU32::new(0);
static VALUES: [AtomicU32; COUNT] = [ZERO; COUNT];

impl Setting {
    /// The table row of this setting.
    pub fn spec(self) -> &'static Spec {
        &TABLE[self as usize]
    }

    /// The current value (0 before the stack has been initialised).
    pub fn get(self) -> u32 {
        VALUES[self as usize].load(Ordering::Relaxed)
    }

    /// Changes the value, unless it lies outside the setting's range.
    pub fn set(self, value: u32) -> Result<(), OutOfRange> {
        let spec = self.spec();
        if value < spec.min || value > spec.max {
            return Err(OutOfRange);
        }
        VALUES[self as usize].store(value, Ordering::Relaxed);
        Ok(())
    }
}

/// What `usrsctp_init` does to the settings: sysctls back to their defaults, tunables kept when
/// the application chose them, and the UDP encapsulation port from init's argument.
pub fn reset_for_init(udp_port: u16) {
    for (spec, value) in TABLE.iter().zip(VALUES.iter()) {
        match spec.kind {
            Kind::Sysctl | Kind::Debug => value.store(spec.default, Ordering::Relaxed),
            // A tunable's minimum is 1, so 0 means the application never set it.
            Kind::Tunable => {
                let _ =
                    value.compare_exchange(0, spec.default, Ordering::Relaxed, Ordering::Relaxed);
            }
        }
    }
    VALUES[Setting::sctp_udp_tunneling_port as usize].store(u32::from(udp_port), Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        assert_eq!(TABLE.len(), 72);
        for spec in TABLE {
            assert!(
                spec.min <= spec.default && spec.default <= spec.max,
                "{}",
                spec.name
            );
            if spec.kind == Kind::Tunable {
                assert!(spec.min >= 1, "{}: 0 marks an unset tunable", spec.name);
            }
        }
        assert_eq!(Setting::sctp_sendspace.spec().name, "sctp_sendspace");
        assert_eq!(Setting::sctp_initial_cwnd.spec().default, 3);
    }

    // The global values are shared by every test of this binary, so one test covers the whole
    // life cycle.
    #[test]
    fn init_resets_sysctls_and_keeps_tunables() {
        Setting::sctp_hashtblsize.set(4096).unwrap();
        Setting::sctp_rto_min_default.set(42).unwrap();
        reset_for_init(9899);
        assert_eq!(Setting::sctp_hashtblsize.get(), 4096);
        assert_eq!(Setting::sctp_pcbtblsize.get(), 256);
        assert_eq!(Setting::sctp_rto_min_default.get(), 1000);
        assert_eq!(Setting::sctp_udp_tunneling_port.get(), 9899);

        assert_eq!(
            Setting::sctp_valid_cookie_life_default.set(999),
            Err(OutOfRange)
        );
        assert_eq!(
            Setting::sctp_valid_cookie_life_default.set(3_600_001),
            Err(OutOfRange)
        );
        assert_eq!(Setting::sctp_valid_cookie_life_default.get(), 60_000);
        assert_eq!(Setting::sctp_valid_cookie_life_default.set(1000), Ok(()));
        assert_eq!(Setting::sctp_valid_cookie_life_default.get(), 1000);
        assert_eq!(Setting::sctp_default_cc_module.set(3), Err(OutOfRange));
        assert_eq!(Setting::sctp_hashtblsize.set(0), Err(OutOfRange));
    }
}
