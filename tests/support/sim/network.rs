//! The network: nodes, addresses, links, the event queue and the drivers.

use std::any::Any;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap};
use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use usrsctp::types::Instant;

use super::link::{DropReason, Link, LinkConfig, LinkId, LinkStats};
use super::rng::{splitmix64, Rng};
use super::{Addr, Datagram, Node};

/// The handle of a node, in the order nodes were added (0, 1, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub usize);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node {}", self.0)
    }
}

/// What happened to a datagram, as reported to the trace hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// A node emitted it. Every datagram is reported once with this, before anything else.
    Sent,
    /// It was dropped; the datagram is as it was at that moment.
    Dropped(DropReason),
    /// It reached the node owning its destination, which is about to handle it. `duplicate`
    /// marks the extra copy of a duplicated datagram, `corrupted` a copy with one bit flipped.
    Delivered { duplicate: bool, corrupted: bool },
}

/// One trace event, borrowed: passed to the hook installed by [`Network::set_trace`].
#[derive(Debug, Clone, Copy)]
pub struct TraceEvent<'a> {
    pub time: Instant,
    pub link: LinkId,
    pub datagram: &'a Datagram,
    pub fate: Fate,
}

/// One trace event, owned: kept by [`Network::record_trace`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRecord {
    pub time: Instant,
    pub link: LinkId,
    pub datagram: Datagram,
    pub fate: Fate,
}

type TraceHook = Box<dyn FnMut(&TraceEvent<'_>)>;
type DropFilter = Box<dyn FnMut(Instant, &Datagram) -> bool>;

/// A node in the network, with `Any` so that tests can get their concrete type back.
trait SimNode: Node {
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn type_name(&self) -> &'static str;
}

impl<T: Node + Any> SimNode for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn type_name(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// A datagram on its way: delivered at `time`; `seq` orders equal times by send order.
struct InFlight {
    time: Instant,
    seq: u64,
    link: LinkId,
    datagram: Datagram,
    duplicate: bool,
    corrupted: bool,
}

impl PartialEq for InFlight {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for InFlight {}
impl PartialOrd for InFlight {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for InFlight {
    /// Reversed, so that `BinaryHeap` pops the earliest, and the first sent among equals.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

/// The next thing to happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Next {
    Delivery(Instant),
    Timeout(Instant, NodeId),
}

impl Next {
    fn time(self) -> Instant {
        match self {
            Next::Delivery(t) | Next::Timeout(t, _) => t,
        }
    }
}

/// A simulated network on virtual time. See the [module documentation](super).
///
/// Nodes are owned by the network; a test gets them back typed with [`node`](Self::node) and
/// [`node_mut`](Self::node_mut) (which panic if the type is wrong), so it can send through them
/// or inspect what they received between steps and inside [`run_while`](Self::run_while).
///
/// Order of work, for reproducibility: an event is either the earliest delivery or the
/// earliest node timeout (deliveries first at equal times, then lower `NodeId`s, deliveries in
/// the order they were sent); after each event every node's `poll_transmit` is drained in
/// `NodeId` order. Time never goes back: a timeout in the past fires at the current time.
pub struct Network {
    now: Instant,
    seed: u64,
    rng: Rng,
    nodes: Vec<Box<dyn SimNode>>,
    owners: BTreeMap<Addr, NodeId>,
    links: BTreeMap<LinkId, Link>,
    in_flight: BinaryHeap<InFlight>,
    next_seq: u64,
    unrouted: u64,
    steps: u64,
    steps_at_instant: u64,
    max_steps_per_instant: u64,
    max_transmits_per_poll: u64,
    trace: Option<TraceHook>,
    log: Option<Vec<TraceRecord>>,
    filter: Option<DropFilter>,
}

impl Network {
    /// An empty network at time zero whose every random choice follows from `seed`.
    pub fn new(seed: u64) -> Self {
        Network {
            now: Instant::ZERO,
            seed,
            rng: Rng::new(seed ^ 0x005e_ed0f_7e57),
            nodes: Vec::new(),
            owners: BTreeMap::new(),
            links: BTreeMap::new(),
            in_flight: BinaryHeap::new(),
            next_seq: 0,
            unrouted: 0,
            steps: 0,
            steps_at_instant: 0,
            max_steps_per_instant: 100_000,
            max_transmits_per_poll: 1_000_000,
            trace: None,
            log: None,
            filter: None,
        }
    }

    // ----- Building -----

    /// Adds a node owning `addrs` (one or more; more is multihoming). Panics if an address is
    /// already owned.
    pub fn add_node<T: Node + Any>(&mut self, node: T, addrs: &[Addr]) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(Box::new(node));
        for &addr in addrs {
            self.add_address(id, addr);
        }
        id
    }

    /// Gives `node` one more address. Panics if another node owns it.
    pub fn add_address(&mut self, node: NodeId, addr: Addr) {
        assert!(node.0 < self.nodes.len(), "no {node}");
        if let Some(owner) = self.owners.insert(addr, node) {
            assert_eq!(owner, node, "{addr} is already owned by {owner}");
        }
    }

    /// Takes an address away from whichever node owns it; datagrams to it are then dropped
    /// (`DropReason::NoNode`). Returns the former owner.
    pub fn remove_address(&mut self, addr: Addr) -> Option<NodeId> {
        self.owners.remove(&addr)
    }

    /// The node owning `addr`.
    pub fn owner(&self, addr: Addr) -> Option<NodeId> {
        self.owners.get(&addr).copied()
    }

    /// The addresses of `node`, in address order.
    pub fn addresses(&self, node: NodeId) -> Vec<Addr> {
        self.owners
            .iter()
            .filter(|(_, &n)| n == node)
            .map(|(&a, _)| a)
            .collect()
    }

    /// Creates or reconfigures the link from `src` to `dst` (one direction). Reconfiguring keeps
    /// its counters, its queue and what is in flight.
    pub fn set_link(&mut self, src: Addr, dst: Addr, config: LinkConfig) {
        let id = LinkId::new(src, dst);
        match self.links.get_mut(&id) {
            Some(link) => link.config = config,
            None => {
                let rng = Rng::new(link_seed(self.seed, id));
                self.links.insert(id, Link::new(config, rng));
            }
        }
    }

    /// Creates or reconfigures both directions between `a` and `b` with the same configuration.
    pub fn connect(&mut self, a: Addr, b: Addr, config: LinkConfig) {
        self.set_link(a, b, config.clone());
        self.set_link(b, a, config);
    }

    /// The configuration of the link from `src` to `dst`, to change mid-run. Panics if absent.
    pub fn link_mut(&mut self, src: Addr, dst: Addr) -> &mut LinkConfig {
        let id = LinkId::new(src, dst);
        &mut self
            .links
            .get_mut(&id)
            .unwrap_or_else(|| panic!("no link {id}"))
            .config
    }

    /// The configuration of the link from `src` to `dst`. Panics if absent.
    pub fn link(&self, src: Addr, dst: Addr) -> &LinkConfig {
        let id = LinkId::new(src, dst);
        &self
            .links
            .get(&id)
            .unwrap_or_else(|| panic!("no link {id}"))
            .config
    }

    /// Brings both directions between `a` and `b` up or down.
    pub fn set_up(&mut self, a: Addr, b: Addr, up: bool) {
        self.link_mut(a, b).up = up;
        self.link_mut(b, a).up = up;
    }

    /// Installs a filter called for every datagram handed to an existing link, before any
    /// impairment; returning `true` drops it (`DropReason::Filter`). For tests that starve a
    /// peer of chosen packets, such as "lose the first COOKIE ECHO".
    pub fn set_drop_filter(&mut self, filter: impl FnMut(Instant, &Datagram) -> bool + 'static) {
        self.filter = Some(Box::new(filter));
    }

    pub fn clear_drop_filter(&mut self) {
        self.filter = None;
    }

    /// Installs a hook called with every [`TraceEvent`].
    pub fn set_trace(&mut self, hook: impl FnMut(&TraceEvent<'_>) + 'static) {
        self.trace = Some(Box::new(hook));
    }

    /// Starts (or stops) keeping every trace event, owned, in [`trace_log`](Self::trace_log).
    pub fn record_trace(&mut self, on: bool) {
        self.log = if on {
            Some(self.log.take().unwrap_or_default())
        } else {
            None
        };
    }

    /// The events recorded since [`record_trace`](Self::record_trace)`(true)`.
    pub fn trace_log(&self) -> &[TraceRecord] {
        self.log.as_deref().unwrap_or(&[])
    }

    /// How many steps may happen without time advancing before the run is declared a
    /// livelock (a node whose timeout stays in the past, or a ping-pong over zero-delay
    /// links). Default 100,000.
    pub fn set_max_steps_per_instant(&mut self, max: u64) {
        self.max_steps_per_instant = max;
    }

    // ----- Access -----

    /// The current virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// The seed the network was created with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// A random stream for the test's own use, derived from the seed and independent of the
    /// links' streams.
    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// Typed access to a node. Panics if `id` is unknown or the node is not a `T`.
    pub fn node<T: Node + Any>(&self, id: NodeId) -> &T {
        let node = self.nodes.get(id.0).unwrap_or_else(|| panic!("no {id}"));
        let name = node.type_name();
        node.as_any()
            .downcast_ref()
            .unwrap_or_else(|| panic!("{id} is a {name}, not a {}", std::any::type_name::<T>()))
    }

    /// Typed mutable access to a node. Panics if `id` is unknown or the node is not a `T`.
    pub fn node_mut<T: Node + Any>(&mut self, id: NodeId) -> &mut T {
        let node = self
            .nodes
            .get_mut(id.0)
            .unwrap_or_else(|| panic!("no {id}"));
        let name = node.type_name();
        node.as_any_mut()
            .downcast_mut()
            .unwrap_or_else(|| panic!("{id} is a {name}, not a {}", std::any::type_name::<T>()))
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Counters of the link from `src` to `dst`. Panics if absent.
    pub fn link_stats(&self, src: Addr, dst: Addr) -> &LinkStats {
        let id = LinkId::new(src, dst);
        &self
            .links
            .get(&id)
            .unwrap_or_else(|| panic!("no link {id}"))
            .stats
    }

    /// All links, in address order.
    pub fn links(&self) -> impl Iterator<Item = (LinkId, &LinkConfig, &LinkStats)> {
        self.links.iter().map(|(&id, l)| (id, &l.config, &l.stats))
    }

    /// Datagrams sent to a destination with no link from their source.
    pub fn unrouted(&self) -> u64 {
        self.unrouted
    }

    /// Datagram copies on links, not yet delivered or dropped.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Events processed so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// When the next event would happen (without draining pending transmissions first).
    pub fn next_event_time(&self) -> Option<Instant> {
        self.peek_next().map(|n| n.time().max(self.now))
    }

    // ----- Driving -----

    /// Routes whatever the nodes want to send now, then processes the next event, advancing
    /// time to it, then routes what the nodes send in response. Returns `false`, doing nothing
    /// more, when nothing is left to happen: no datagram in flight and no node timeout.
    pub fn step(&mut self) -> bool {
        self.flush();
        let Some(next) = self.peek_next() else {
            return false;
        };
        self.advance_to(next.time(), next);
        self.steps += 1;
        match next {
            Next::Delivery(_) => {
                let flight = self.in_flight.pop().expect("peeked");
                self.deliver(flight);
            }
            Next::Timeout(_, id) => self.nodes[id.0].handle_timeout(self.now),
        }
        self.flush();
        true
    }

    /// Processes every event due at or before `deadline`, then sets the time to `deadline`.
    pub fn run_until(&mut self, deadline: Instant) {
        loop {
            self.flush();
            match self.peek_next() {
                Some(next) if next.time() <= deadline => {
                    self.step();
                }
                _ => break,
            }
        }
        if deadline > self.now {
            self.now = deadline;
            self.steps_at_instant = 0;
        }
    }

    /// [`run_until`](Self::run_until) `now + duration`.
    pub fn run_for(&mut self, duration: Duration) {
        self.run_until(self.now + duration);
    }

    /// Runs until the network is idle: no datagram in flight or waiting and no node timeout
    /// pending at all. Returns the time it became idle (the time of the last event). Panics if
    /// that needs an event after `limit`. Nodes with periodic timers (heartbeats) are never
    /// idle: drive them with [`run_while`](Self::run_while) or [`run_until`](Self::run_until).
    pub fn run_until_idle(&mut self, limit: Instant) -> Instant {
        loop {
            self.flush();
            match self.peek_next() {
                None => return self.now,
                Some(next) if next.time() > limit => panic!(
                    "run_until_idle: still busy at limit {limit:?} (now {:?}): next {next:?}, {} in flight",
                    self.now,
                    self.in_flight.len()
                ),
                Some(_) => {
                    self.step();
                }
            }
        }
    }

    /// Steps while `condition` holds; returns once it does not (checked before every step,
    /// after pending transmissions are routed). Panics if it still holds when the next event
    /// is after `limit`, or when nothing is left to happen.
    pub fn run_while(&mut self, mut condition: impl FnMut(&Network) -> bool, limit: Instant) {
        loop {
            self.flush();
            if !condition(self) {
                return;
            }
            match self.peek_next() {
                None => panic!(
                    "run_while: condition still holds at {:?} but nothing is left to happen",
                    self.now
                ),
                Some(next) if next.time() > limit => panic!(
                    "run_while: condition still holds at limit {limit:?} (now {:?}): next {next:?}",
                    self.now
                ),
                Some(_) => {
                    self.step();
                }
            }
        }
    }

    // ----- Internals -----

    fn peek_next(&self) -> Option<Next> {
        let delivery = self.in_flight.peek().map(|f| Next::Delivery(f.time));
        let timeout = self
            .nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.poll_timeout().map(|t| (t, i)))
            .min()
            .map(|(t, i)| Next::Timeout(t, NodeId(i)));
        match (delivery, timeout) {
            (Some(d), Some(t)) => Some(if t.time().max(self.now) < d.time() {
                t
            } else {
                d
            }),
            (d, t) => d.or(t),
        }
    }

    fn advance_to(&mut self, time: Instant, next: Next) {
        if time > self.now {
            self.now = time;
            self.steps_at_instant = 0;
        } else {
            self.steps_at_instant += 1;
            if self.steps_at_instant > self.max_steps_per_instant {
                panic!(
                    "livelock: {} steps at {:?} without time advancing; next {next:?}",
                    self.steps_at_instant, self.now
                );
            }
        }
    }

    /// Drains every node's `poll_transmit` in `NodeId` order and routes the datagrams.
    fn flush(&mut self) {
        for i in 0..self.nodes.len() {
            let mut count = 0u64;
            while let Some(datagram) = self.nodes[i].poll_transmit(self.now) {
                count += 1;
                assert!(
                    count <= self.max_transmits_per_poll,
                    "{} returned more than {} datagrams from one drain of poll_transmit",
                    NodeId(i),
                    self.max_transmits_per_poll
                );
                self.route(datagram);
            }
        }
    }

    /// Puts a datagram a node emitted on its link, deciding its fate and arrival time.
    fn route(&mut self, datagram: Datagram) {
        let now = self.now;
        let id = LinkId::new(datagram.src, datagram.dst);
        report(
            &mut self.trace,
            &mut self.log,
            now,
            id,
            &datagram,
            Fate::Sent,
        );
        let Some(link) = self.links.get_mut(&id) else {
            self.unrouted += 1;
            let fate = Fate::Dropped(DropReason::NoLink);
            report(&mut self.trace, &mut self.log, now, id, &datagram, fate);
            return;
        };
        let len = datagram.bytes.len();
        link.stats.sent += 1;
        link.stats.sent_bytes += len as u64;

        let filtered = self.filter.as_mut().is_some_and(|f| f(now, &datagram));
        let verdict = if filtered {
            Err(DropReason::Filter)
        } else if !link.config.up {
            Err(DropReason::Down)
        } else if len > link.config.mtu {
            Err(DropReason::Mtu)
        } else if link.rng.gen_bool(link.config.loss) {
            Err(DropReason::Loss)
        } else {
            link.enqueue(now, len).ok_or(DropReason::Queue)
        };
        let departure = match verdict {
            Ok(t) => t,
            Err(reason) => {
                link.stats.count_drop(reason);
                let fate = Fate::Dropped(reason);
                report(&mut self.trace, &mut self.log, now, id, &datagram, fate);
                return;
            }
        };

        let mut copies = vec![datagram];
        if link.rng.gen_bool(link.config.duplicate) {
            link.stats.duplicated += 1;
            copies.push(copies[0].clone());
        }
        for (copy, mut datagram) in copies.into_iter().enumerate() {
            let config = &link.config;
            let mut time = departure + config.delay + link.rng.gen_duration(config.jitter);
            if link.rng.gen_bool(config.reorder) {
                link.stats.reordered += 1;
                time += link.rng.gen_duration(config.reorder_delay);
            }
            let corrupted = !datagram.bytes.is_empty() && link.rng.gen_bool(config.corrupt);
            if corrupted {
                link.stats.corrupted += 1;
                let bit = link.rng.gen_below(datagram.bytes.len() as u64 * 8);
                datagram.bytes[(bit / 8) as usize] ^= 1 << (bit % 8);
            }
            // Drawn only for ECN-capable datagrams on marking links, so that other runs keep
            // their random streams.
            if config.ce_mark > 0.0 && datagram.ecn & 3 != 0 && link.rng.gen_bool(config.ce_mark) {
                link.stats.ce_marked += 1;
                datagram.ecn |= 3;
            }
            self.in_flight.push(InFlight {
                time,
                seq: self.next_seq,
                link: id,
                datagram,
                duplicate: copy == 1,
                corrupted,
            });
            self.next_seq += 1;
        }
    }

    /// A datagram reaches the end of its link.
    fn deliver(&mut self, flight: InFlight) {
        let now = self.now;
        let InFlight {
            link: id,
            datagram,
            duplicate,
            corrupted,
            ..
        } = flight;
        let link = self.links.get_mut(&id).expect("links are never removed");
        let owner = self.owners.get(&datagram.dst).copied();
        let verdict = match owner {
            _ if !link.config.up => Err(DropReason::Down),
            None => Err(DropReason::NoNode),
            Some(owner) => Ok(owner),
        };
        match verdict {
            Err(reason) => {
                link.stats.count_drop(reason);
                let fate = Fate::Dropped(reason);
                report(&mut self.trace, &mut self.log, now, id, &datagram, fate);
            }
            Ok(owner) => {
                link.stats.delivered += 1;
                link.stats.delivered_bytes += datagram.bytes.len() as u64;
                let fate = Fate::Delivered {
                    duplicate,
                    corrupted,
                };
                report(&mut self.trace, &mut self.log, now, id, &datagram, fate);
                self.nodes[owner.0].handle_datagram(now, datagram);
            }
        }
    }
}

/// Passes an event to the hook and the log, whichever are on.
fn report(
    trace: &mut Option<TraceHook>,
    log: &mut Option<Vec<TraceRecord>>,
    time: Instant,
    link: LinkId,
    datagram: &Datagram,
    fate: Fate,
) {
    if let Some(hook) = trace {
        hook(&TraceEvent {
            time,
            link,
            datagram,
            fate,
        });
    }
    if let Some(log) = log {
        log.push(TraceRecord {
            time,
            link,
            datagram: datagram.clone(),
            fate,
        });
    }
}

/// The seed of a link's random stream: the network seed mixed with both addresses, so it does
/// not depend on the order links were created in.
fn link_seed(seed: u64, id: LinkId) -> u64 {
    let mut state = seed;
    for addr in [id.src, id.dst] {
        let ip = match addr.ip() {
            IpAddr::V4(ip) => u128::from(ip.to_ipv6_mapped()),
            IpAddr::V6(ip) => u128::from(ip),
        };
        for word in [ip as u64, (ip >> 64) as u64, u64::from(addr.port())] {
            state ^= word;
            splitmix64(&mut state);
        }
    }
    splitmix64(&mut state)
}
