//! The timers of an association, as a fixed table of deadlines indexed by [`Timer`].

use crate::types::Instant;

/// Every association-wide timer. Per-path timers (heartbeat, T3-rtx) live in the paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// T1-init: INIT retransmission.
    T1Init,
    /// T1-cookie: COOKIE-ECHO retransmission.
    T1Cookie,
    /// T2-shutdown: SHUTDOWN or SHUTDOWN-ACK retransmission.
    T2Shutdown,
    /// T3-rtx: retransmission of DATA (one for the association: data follows the primary path).
    T3Rtx,
    /// Delayed SACK.
    DelayedAck,
    /// T5-shutdown-guard: the limit of the whole shutdown (RFC 9260 §9.2).
    T5ShutdownGuard,
    /// Heartbeat of the paths.
    Heartbeat,
    /// SCTP_AUTOCLOSE idle limit.
    Autoclose,
    /// RE-CONFIG request retransmission.
    Reconfig,
    /// T-4 RTO: ASCONF retransmission (RFC 5061 §5.1).
    Asconf,
    /// Path MTU discovery: probe timeouts and raise timers of the paths (`pmtud.rs`).
    Pmtud,
}

const COUNT: usize = 11;

impl Timer {
    fn index(self) -> usize {
        self as usize
    }

    pub const ALL: [Timer; COUNT] = [
        Timer::T1Init,
        Timer::T1Cookie,
        Timer::T2Shutdown,
        Timer::T3Rtx,
        Timer::DelayedAck,
        Timer::T5ShutdownGuard,
        Timer::Heartbeat,
        Timer::Autoclose,
        Timer::Reconfig,
        Timer::Asconf,
        Timer::Pmtud,
    ];
}

/// Deadlines of the armed timers, in microseconds; [`UNARMED`] for a timer that is not
/// running. (Plain integers rather than `Option<Instant>`: every byte of the table is always
/// initialised, which keeps memory checkers such as valgrind quiet about the comparisons.)
#[derive(Debug, Clone)]
pub struct Timers {
    deadlines: [u64; COUNT],
}

const UNARMED: u64 = u64::MAX;

impl Default for Timers {
    fn default() -> Self {
        Timers {
            deadlines: [UNARMED; COUNT],
        }
    }
}

impl Timers {
    pub fn set(&mut self, timer: Timer, at: Instant) {
        // The one instant that cannot be a deadline is the marker itself.
        self.deadlines[timer.index()] = at.as_micros().min(UNARMED - 1);
    }

    pub fn stop(&mut self, timer: Timer) {
        self.deadlines[timer.index()] = UNARMED;
    }

    pub fn get(&self, timer: Timer) -> Option<Instant> {
        let d = self.deadlines[timer.index()];
        (d != UNARMED).then(|| Instant::from_micros(d))
    }

    pub fn is_armed(&self, timer: Timer) -> bool {
        self.get(timer).is_some()
    }

    pub fn stop_all(&mut self) {
        self.deadlines = [UNARMED; COUNT];
    }

    /// The earliest deadline of all.
    pub fn next(&self) -> Option<Instant> {
        let d = self.deadlines.iter().copied().min().unwrap_or(UNARMED);
        (d != UNARMED).then(|| Instant::from_micros(d))
    }

    /// Takes one expired timer (deadline at or before `now`), disarming it.
    pub fn pop_expired(&mut self, now: Instant) -> Option<Timer> {
        let now = now.as_micros().min(UNARMED - 1);
        let timer = Timer::ALL
            .into_iter()
            .find(|t| self.deadlines[t.index()] <= now)?;
        self.stop(timer);
        Some(timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_and_expiry() {
        let mut t = Timers::default();
        assert_eq!(t.next(), None);
        t.set(Timer::T3Rtx, Instant::from_millis(30));
        t.set(Timer::Heartbeat, Instant::from_millis(10));
        assert_eq!(t.next(), Some(Instant::from_millis(10)));
        assert_eq!(t.pop_expired(Instant::from_millis(5)), None);
        assert_eq!(t.pop_expired(Instant::from_millis(30)), Some(Timer::T3Rtx));
        assert_eq!(
            t.pop_expired(Instant::from_millis(30)),
            Some(Timer::Heartbeat)
        );
        assert_eq!(t.pop_expired(Instant::from_millis(30)), None);
        assert!(!t.is_armed(Timer::T3Rtx));
    }
}
