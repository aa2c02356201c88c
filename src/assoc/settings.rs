//! The settings of a live association that socket options read and change (RFC 6458 §8:
//! SCTP_RTOINFO, SCTP_MAX_BURST, SCTP_PEER_ADDR_PARAMS and the others naming one association).
//!
//! The settings are the association's [`Config`]. What the association reads from it when it
//! needs it (heartbeats, retransmission limits, the cookie life, autoclose) follows a change
//! at once; what the data path copied when the handshake ended (Nagle, the fragment limit,
//! the delayed-SACK timing, Max.Burst, the path MTU) is carried into it. The RTO bounds are
//! not: the RTO estimators keep the ones they started with.

use super::association::Association;
use super::config::Config;
use super::event::Event;
use super::state::State;
use super::timer::Timer;
use crate::types::Instant;
use crate::wire::header::HEADER_LEN;

/// Length of the DATA and I-DATA chunk headers.
const DATA_HEADER: usize = 16;
const IDATA_HEADER: usize = 20;

impl Association {
    /// Changes the settings with `f`, then applies the change to what runs already.
    pub fn update_config<R>(&mut self, now: Instant, f: impl FnOnce(&mut Config) -> R) -> R {
        let before = self.config.clone();
        let r = f(&mut self.config);
        if self.config.heartbeat_interval != before.heartbeat_interval {
            self.restart_heartbeats(now);
        }
        if self.config.autoclose != before.autoclose {
            match self.config.autoclose {
                Some(_) if self.state == State::Established => self.arm_autoclose(now),
                Some(_) => {}
                None => self.timers.stop(Timer::Autoclose),
            }
        }
        let data_path = |c: &Config| {
            (
                c.nodelay,
                c.max_fragment,
                c.sack_delay,
                c.sack_freq,
                c.max_burst,
                c.mtu,
            )
        };
        if data_path(&self.config) != data_path(&before) {
            self.data_on_config_change();
        }
        if self.config.plpmtud != before.plpmtud {
            self.pmtud_on_config_change(now, &before.plpmtud);
            self.data_on_config_change();
        }
        r
    }

    /// The largest user data one DATA or I-DATA chunk carries (sstat_fragmentation_point, and
    /// SCTP_MAXSEG of an association): what a packet of the path MTU has room for, or less
    /// with SCTP_MAXSEG or while path MTU discovery runs (`pmtud.rs`).
    pub fn fragmentation_point(&self) -> usize {
        let header = if self.agreed.interleaving {
            IDATA_HEADER
        } else {
            DATA_HEADER
        };
        let room = self
            .path_mtu(self.paths.current())
            .saturating_sub(HEADER_LEN + header + self.auth_data_overhead())
            & !3;
        // The AUTH chunk is per packet, so it counts like a chunk header here.
        match self.fragment_limit(header + self.auth_data_overhead()) {
            0 => room,
            limit => room.min((limit & !3).max(4)),
        }
    }

    /// Reports SENDER_DRY now if no user data waits or is in flight: what libusrsctp does when
    /// the user subscribes to the event on a live association.
    pub fn report_sender_dry_if_idle(&mut self) {
        if self.flight.is_some() && self.buffered_amount() == 0 {
            self.events.push_back(Event::SenderDry);
        }
    }

    /// Starts the heartbeats over with the interval now configured (or stops them).
    fn restart_heartbeats(&mut self, now: Instant) {
        for i in 0..self.paths.len() {
            if let Some(p) = self.paths.get_mut(i) {
                p.next_heartbeat = None;
            }
        }
        self.timers.stop(Timer::Heartbeat);
        if self.state == State::Established {
            self.schedule_heartbeats(now);
        }
    }
}
