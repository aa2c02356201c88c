//! The peer's transport addresses (paths) of an association: reachability by heartbeats and
//! error counting (RFC 9260 §8.2, §8.3), the primary path and failover.

use std::time::Duration;

use crate::types::{Instant, NetAddr};

/// Reachability of one peer address.
#[derive(Debug, Clone)]
pub struct Path {
    pub addr: NetAddr,
    /// Confirmed by a HEARTBEAT-ACK or by being the address the handshake ran over.
    pub confirmed: bool,
    /// False once `error_count` exceeded Path.Max.Retrans, until a heartbeat comes back.
    pub active: bool,
    /// Consecutive timeouts on this path (§8.2).
    pub error_count: u32,
    /// The nonce and send time of the heartbeat in flight, if any.
    pub heartbeat: Option<(u64, Instant)>,
    /// When the next heartbeat is due.
    pub next_heartbeat: Option<Instant>,
    /// Path MTU discovery on this path (RFC 8899).
    pub plpmtud: super::pmtud::Plpmtud,
}

impl Path {
    pub fn new(addr: NetAddr, confirmed: bool) -> Self {
        Path {
            addr,
            confirmed,
            active: true,
            error_count: 0,
            heartbeat: None,
            next_heartbeat: None,
            plpmtud: super::pmtud::Plpmtud::disabled(),
        }
    }
}

/// What changed on a path after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transition {
    None,
    BecameInactive,
    BecameActive,
}

/// All paths of an association and which one carries new data.
#[derive(Debug, Clone)]
pub struct Paths {
    paths: Vec<Path>,
    primary: usize,
    max_paths: usize,
}

impl Paths {
    /// Paths to `first` (the address the handshake uses, confirmed) and to at most `max_paths`
    /// addresses in all.
    pub fn new(first: NetAddr, max_paths: usize) -> Self {
        Paths {
            paths: vec![Path::new(first, true)],
            primary: 0,
            max_paths: max_paths.max(1),
        }
    }

    /// Adds an address the peer announced; unconfirmed until a heartbeat returns.
    pub fn add(&mut self, addr: NetAddr) {
        if self.paths.len() < self.max_paths && self.find(addr).is_none() {
            self.paths.push(Path::new(addr, false));
        }
    }

    pub fn find(&self, addr: NetAddr) -> Option<usize> {
        self.paths.iter().position(|p| p.addr == addr)
    }

    pub fn get(&self, index: usize) -> Option<&Path> {
        self.paths.get(index)
    }

    pub fn get_mut(&mut self, index: usize) -> Option<&mut Path> {
        self.paths.get_mut(index)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Path> {
        self.paths.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Path> {
        self.paths.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn primary(&self) -> usize {
        self.primary
    }

    pub fn set_primary(&mut self, index: usize) -> bool {
        if index < self.paths.len() {
            self.primary = index;
            true
        } else {
            false
        }
    }

    /// The path new data goes to: the primary while it is active, else the first active
    /// confirmed path, else the primary anyway (RFC 9260 §6.4.1).
    pub fn current(&self) -> usize {
        if self.paths[self.primary].active {
            return self.primary;
        }
        self.paths
            .iter()
            .position(|p| p.active && p.confirmed)
            .unwrap_or(self.primary)
    }

    /// A path other than `index` to retransmit on, when there is an active one (§6.4).
    pub fn alternate(&self, index: usize) -> usize {
        (1..self.paths.len())
            .map(|k| (index + k) % self.paths.len())
            .find(|&i| self.paths[i].active && self.paths[i].confirmed)
            .unwrap_or(index)
    }

    /// Counts a timeout on `index` (T3-rtx or heartbeat); the path goes inactive past
    /// Path.Max.Retrans.
    pub fn on_timeout(&mut self, index: usize, path_max_retrans: u32) -> Transition {
        let Some(path) = self.paths.get_mut(index) else {
            return Transition::None;
        };
        path.error_count = path.error_count.saturating_add(1);
        if path.active && path.error_count > path_max_retrans {
            path.active = false;
            return Transition::BecameInactive;
        }
        Transition::None
    }

    /// Something came back over `index`: its error count clears and it is active again.
    pub fn on_reply(&mut self, index: usize) -> Transition {
        let Some(path) = self.paths.get_mut(index) else {
            return Transition::None;
        };
        path.error_count = 0;
        if !path.active {
            path.active = true;
            return Transition::BecameActive;
        }
        Transition::None
    }

    /// True when no path is active any more.
    pub fn all_inactive(&self) -> bool {
        self.paths.iter().all(|p| !p.active)
    }

    /// Time until the next heartbeat (§8.3): HB.Interval plus the path's RTO with a jitter of
    /// ±50 % of the RTO, the random factor drawn by the caller in `[0, 1)`.
    pub fn heartbeat_delay(interval: Duration, rto: Duration, random_unit: f64) -> Duration {
        interval + rto.mul_f64(0.5 + random_unit.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(n: u64) -> NetAddr {
        NetAddr::Conn(n)
    }

    #[test]
    fn failover_and_return() {
        let mut p = Paths::new(addr(1), 4);
        p.add(addr(2));
        p.add(addr(2));
        assert_eq!(p.len(), 2);
        assert_eq!(p.current(), 0);
        p.get_mut(1).unwrap().confirmed = true;
        for _ in 0..5 {
            assert_eq!(p.on_timeout(0, 5), Transition::None);
        }
        assert_eq!(p.on_timeout(0, 5), Transition::BecameInactive);
        assert_eq!(p.current(), 1, "data moves to the other path");
        assert_eq!(p.alternate(0), 1);
        assert_eq!(p.on_reply(0), Transition::BecameActive);
        assert_eq!(p.current(), 0, "and returns to the primary");
    }

    #[test]
    fn unconfirmed_paths_are_not_used() {
        let mut p = Paths::new(addr(1), 4);
        p.add(addr(2));
        for _ in 0..6 {
            p.on_timeout(0, 5);
        }
        assert_eq!(p.current(), 0);
        assert!(!p.all_inactive());
        p.paths[1].active = false;
        assert!(p.all_inactive());
    }

    #[test]
    fn path_count_is_capped() {
        let mut p = Paths::new(addr(0), 3);
        for n in 1..10 {
            p.add(addr(n));
        }
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn heartbeat_jitter_range() {
        let i = Duration::from_secs(30);
        let rto = Duration::from_secs(1);
        assert_eq!(
            Paths::heartbeat_delay(i, rto, 0.0),
            Duration::from_millis(30_500)
        );
        assert_eq!(
            Paths::heartbeat_delay(i, rto, 1.0),
            Duration::from_millis(31_500)
        );
    }
}
