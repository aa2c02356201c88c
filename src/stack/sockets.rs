//! The sockets of the process: which group each socket belongs to, which group owns each local
//! port, and how an operation on a group is run: under the group's lock, followed by the work
//! it produced (packets to send, callbacks to call), which runs after the lock is released.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::{Condvar, Mutex};

use super::clock;

thread_local! {
    /// Whether this thread serves receive and send callbacks: the stack's receive threads, the
    /// timer thread, and application threads inside `usrsctp_conninput` or
    /// `usrsctp_handle_timers` (the calls that bring input or time, as in libusrsctp). Other
    /// calls (sendv, setsockopt, ...) never run them: an application may hold its own lock
    /// around those calls and take the same lock in its receive callback (Debian's `rtcweb`
    /// does), which would deadlock.
    static SERVES_CALLBACKS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` as a thread that serves callbacks (see [`SERVES_CALLBACKS`]).
fn serving_callbacks<R>(f: impl FnOnce() -> R) -> R {
    let before = SERVES_CALLBACKS.with(|s| s.replace(true));
    let r = f();
    SERVES_CALLBACKS.with(|s| s.set(before));
    r
}
use crate::socket::{Delivery, Errno, Family, Group, Result, SocketId, SocketOptions, Style};
use crate::types::{Instant, NetAddr, RandomSource};

/// Which port space a group's port belongs to: the AF_CONN sockets of one application address
/// (0: any), or IP (UDP and raw) sockets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PortSpace {
    Conn(u64),
    Ip,
}

impl PortSpace {
    /// The port space of a socket of `family` bound to `addr`.
    pub fn of(family: Family, addr: Option<NetAddr>) -> Self {
        match (family, addr) {
            (Family::Conn, Some(NetAddr::Conn(a))) => PortSpace::Conn(a),
            (Family::Conn, _) => PortSpace::Conn(0),
            (Family::Inet | Family::Inet6, _) => PortSpace::Ip,
        }
    }
}

/// Called with each message (or notification) for a socket with a receive callback; `None`
/// once the association of a one-to-one socket has ended. The last argument is the socket's
/// `ulp_info`.
pub type ReceiveHook = Arc<dyn Fn(SocketId, Option<Delivery>, usize) + Send + Sync>;
/// Called with the free send space once it reaches the socket's threshold.
pub type SendHook = Arc<dyn Fn(SocketId, u32, usize) + Send + Sync>;
/// Called when the socket's readiness may have changed.
pub type Upcall = Arc<dyn Fn(SocketId) + Send + Sync>;

/// The application's callbacks of one socket.
#[derive(Clone, Default)]
pub struct Hooks {
    pub receive: Option<ReceiveHook>,
    pub send: Option<(SendHook, u32)>,
    pub upcall: Option<Upcall>,
    pub ulp_info: usize,
}

/// One group of sockets under its lock.
pub struct GroupCell {
    pub group: Mutex<Group>,
    /// Signalled whenever the group changed: blocked calls wait on it.
    pub changed: Condvar,
    /// Bumped with every change, so that a waiter can tell whether it missed one.
    generation: AtomicU64,
    /// The group's next timer deadline in microseconds (`u64::MAX`: none).
    pub deadline: AtomicU64,
    /// Some socket of the group has (or had) a callback: only then are they looked up after
    /// each operation.
    hooked: AtomicBool,
    port: Mutex<Option<(PortSpace, u16)>>,
}

struct SocketEntry {
    group: Arc<GroupCell>,
    hooks: Arc<Mutex<Hooks>>,
    /// One thread at a time delivers this socket's callbacks, so that they come in order.
    delivering: Arc<AtomicBool>,
    /// Buffered bytes at the last send callback.
    last_buffered: Arc<AtomicU64>,
    /// An upcall runs (`.0`); another is due when it returns (`.1`).
    upcall_state: Arc<(AtomicBool, AtomicBool)>,
}

#[derive(Default)]
struct Registry {
    sockets: HashMap<SocketId, SocketEntry>,
    ports: HashMap<(PortSpace, u16), Arc<GroupCell>>,
    /// Every group that may have timers: bound groups and groups still closing associations.
    groups: Vec<Arc<GroupCell>>,
    next_socket: SocketId,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

fn with_registry<R>(f: impl FnOnce(&mut Registry) -> R) -> R {
    let mut guard = REGISTRY.lock();
    f(guard.get_or_insert_with(Registry::default))
}

/// Unpredictable numbers from the operating system.
pub struct OsRandom;

impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) {
        if getrandom::fill(buf).is_err() {
            // No entropy source: fall back to the clock mixed through a counter, which still
            // differs between associations.
            static COUNTER: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
            for chunk in buf.chunks_mut(8) {
                let seed = COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
                    ^ clock::now().as_micros();
                let bytes = seed.wrapping_mul(0xbf58_476d_1ce4_e5b9).to_ne_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
        }
    }
}

/// Number of open sockets.
pub fn count() -> usize {
    with_registry(|r| r.sockets.len())
}

/// True while sockets are open or closed sockets still have associations shutting down
/// (libusrsctp's `usrsctp_finish` refuses then too).
pub fn busy() -> bool {
    with_registry(|r| {
        for cell in r.groups.clone() {
            reap(r, &cell);
        }
        !r.sockets.is_empty() || !r.groups.is_empty()
    })
}

/// Creates a socket in a group of its own.
pub fn create(family: Family, style: Style, hooks: Hooks) -> SocketId {
    with_registry(|r| {
        r.next_socket += 1;
        let id = r.next_socket;
        let group = Group::new(id, family, style, SocketOptions::from_sysctls());
        let cell = Arc::new(GroupCell::new(group));
        r.sockets.insert(id, SocketEntry::new(cell, hooks));
        id
    })
}

/// Forgets every socket and group (usrsctp_finish after the last close).
pub fn clear() {
    *REGISTRY.lock() = None;
}

fn entry(id: SocketId) -> Result<(Arc<GroupCell>, Arc<Mutex<Hooks>>)> {
    with_registry(|r| {
        r.sockets
            .get(&id)
            .map(|e| (e.group.clone(), e.hooks.clone()))
            .ok_or(Errno(libc::EBADF))
    })
}

/// True when socket `id` has a receive callback.
pub fn has_receive_hook(id: SocketId) -> Result<bool> {
    entry(id).map(|(_, h)| h.lock().receive.is_some())
}

/// The callbacks of socket `id`, to read or change.
pub fn hooks(id: SocketId) -> Result<Arc<Mutex<Hooks>>> {
    let (cell, hooks) = entry(id)?;
    // The caller may install one.
    cell.hooked.store(true, Ordering::Release);
    Ok(hooks)
}

/// Runs `f` on the group of socket `id`, then sends what it produced and calls callbacks.
pub fn with<R>(id: SocketId, f: impl FnOnce(&mut Group, SocketId, Instant) -> R) -> Result<R> {
    let (cell, _) = entry(id)?;
    Ok(run(&cell, |g, now| f(g, id, now)))
}

/// Like [`with`], but when `f` fails with EWOULDBLOCK and the socket blocks, waits for the
/// group to change and tries again.
pub fn blocking<R>(
    id: SocketId,
    mut f: impl FnMut(&mut Group, SocketId, Instant) -> Result<R>,
) -> Result<R> {
    let (cell, _) = entry(id)?;
    loop {
        let mut blocks = false;
        let (r, generation) = run_counted(&cell, |g, now| {
            let r = f(g, id, now);
            blocks = g.socket(id).is_some_and(|s| !s.options.non_blocking);
            r
        });
        match r {
            Err(Errno(libc::EWOULDBLOCK)) if blocks => {
                if super::io::flush_pending() {
                    continue;
                }
                let mut g = cell.group.lock();
                if cell.generation.load(Ordering::Acquire) == generation {
                    cell.changed.wait(&mut g);
                }
                if g.socket(id).is_none() {
                    return Err(Errno(libc::EBADF));
                }
            }
            r => return r,
        }
    }
}

/// Closes socket `id`: the socket disappears now, its associations shut down in the background.
pub fn close(id: SocketId) -> Result<()> {
    let (cell, _) = entry(id)?;
    with_registry(|r| r.sockets.remove(&id));
    let r = run(&cell, |g, now| g.close(id, now));
    cell.changed.notify_all();
    with_registry(|r| reap(r, &cell));
    r
}

/// Forgets a group with no socket and no association left: its port is free again. Returns
/// false when it was forgotten.
fn reap(r: &mut Registry, cell: &Arc<GroupCell>) -> bool {
    {
        let g = cell.group.lock();
        if !g.is_empty() || r.sockets.values().any(|e| Arc::ptr_eq(&e.group, cell)) {
            return true;
        }
        if r.groups.iter().any(|x| Arc::ptr_eq(x, cell)) {
            if let Some(e) = g.endpoint() {
                super::stats::retire(&e.counters());
            }
        }
    }
    if let Some(key) = *cell.port.lock() {
        if r.ports.get(&key).is_some_and(|c| Arc::ptr_eq(c, cell)) {
            r.ports.remove(&key);
        }
    }
    r.groups.retain(|g| !Arc::ptr_eq(g, cell));
    false
}

/// Adds socket `new_id`, made by `make` in the group of `id` (accept, peeloff).
pub fn spawn<R>(
    id: SocketId,
    make: impl FnMut(&mut Group, SocketId, SocketId, Instant) -> Result<R>,
) -> Result<(SocketId, R)> {
    let (cell, hooks) = entry(id)?;
    let new_id = with_registry(|r| {
        r.next_socket += 1;
        r.next_socket
    });
    let mut make = make;
    let r = blocking(id, |g, id, now| make(g, id, new_id, now))?;
    let inherited = hooks.lock().clone();
    with_registry(|reg| {
        reg.sockets
            .insert(new_id, SocketEntry::new(cell.clone(), inherited))
    });
    // Data may have arrived for the new socket before it was registered.
    run(&cell, |_, _| ());
    Ok((new_id, r))
}

/// Binds socket `id` to `port` (0: a free one) in port space `space`.
pub fn bind(id: SocketId, space: PortSpace, port: u16) -> Result<u16> {
    let (cell, _) = entry(id)?;
    let port = with_registry(|r| {
        let port = if port == 0 {
            free_port(r, space).ok_or(Errno(libc::EADDRINUSE))?
        } else {
            port
        };
        match r.ports.get(&(space, port)) {
            Some(other) if !Arc::ptr_eq(other, &cell) => Err(Errno(libc::EADDRINUSE)),
            _ => Ok(port),
        }
    })?;
    run(&cell, |g, now| g.bind(id, port, now, Box::new(OsRandom)))?;
    tracing::debug!(target: "usrsctp::stack", socket = id, port, space = ?space, "bound");
    with_registry(|r| {
        r.ports.insert((space, port), cell.clone());
        if !r.groups.iter().any(|g| Arc::ptr_eq(g, &cell)) {
            r.groups.push(cell.clone());
        }
    });
    *cell.port.lock() = Some((space, port));
    Ok(port)
}

fn free_port(r: &Registry, space: PortSpace) -> Option<u16> {
    let mut seed = [0u8; 2];
    OsRandom.fill(&mut seed);
    let start = u16::from_ne_bytes(seed) % 16384;
    (0..16384u16)
        .map(|i| 49152 + (start + i) % 16384)
        .find(|p| !r.ports.contains_key(&(space, *p)))
}

/// Hands a packet that arrived for port space `space` to the group of its destination port;
/// `ecn`: the ECN bits of its IP header, as far as the transport tells them.
pub fn input(space: PortSpace, from: NetAddr, bytes: &[u8], ecn: crate::types::Ecn) {
    if bytes.len() < 12 {
        super::stats::count_unrouted(bytes);
        return;
    }
    let port = u16::from_be_bytes([bytes[2], bytes[3]]);
    let Some(cell) = with_registry(|r| {
        r.ports
            .get(&(space, port))
            .or_else(|| match space {
                PortSpace::Conn(a) if a != 0 => r.ports.get(&(PortSpace::Conn(0), port)),
                _ => None,
            })
            .cloned()
    }) else {
        super::stats::count_unrouted(bytes);
        // Out of the blue for the whole stack (RFC 9260 §8.4), answered as an endpoint would.
        // Not over raw IP: the host's other SCTP users see the same packets and own those
        // ports.
        let raw = matches!(from, NetAddr::Ip(a) if a.port() == 0);
        let reply = (!raw)
            .then(|| crate::endpoint::stray_packet_reply(bytes))
            .flatten();
        tracing::debug!(target: "usrsctp::stack", port, from = ?from, answered = reply.is_some(), "packet for no socket");
        if let Some(bytes) = reply {
            super::io::send(vec![crate::assoc::Transmit::new(from, bytes)]);
        }
        return;
    };
    serving_callbacks(|| run(&cell, |g, now| g.handle_datagram(now, from, bytes, ecn)));
}

/// The statistics of the whole stack: every bound group's endpoint plus what was counted
/// before (`usrsctp_get_stat`). Under the registry lock, as `reap` retires groups, so that no
/// group is counted twice.
pub fn statistics() -> crate::assoc::Counters {
    with_registry(|r| {
        super::stats::snapshot(r.groups.iter().filter_map(|cell| {
            cell.group
                .lock()
                .endpoint()
                .map(crate::endpoint::Endpoint::counters)
        }))
    })
}

/// Fires the timers that are due in every group; returns the next deadline.
pub fn handle_timers() -> Option<Instant> {
    let groups = with_registry(|r| r.groups.clone());
    let now = clock::now();
    let mut next = u64::MAX;
    for cell in groups {
        let due = cell.deadline.load(Ordering::Acquire);
        if due <= now.as_micros() {
            serving_callbacks(|| run(&cell, |g, now| g.handle_timeout(now)));
        }
        next = next.min(cell.deadline.load(Ordering::Acquire));
    }
    // Groups with nothing left are dropped from the timer's list and the port table.
    with_registry(|r| {
        for cell in r.groups.clone() {
            reap(r, &cell);
        }
    });
    (next != u64::MAX).then(|| Instant::from_micros(next))
}

/// Runs `f` under the group's lock, then the work it produced outside the lock.
fn run<R>(cell: &Arc<GroupCell>, f: impl FnOnce(&mut Group, Instant) -> R) -> R {
    run_counted(cell, f).0
}

/// [`run`], also returning the group's generation right after `f` (see [`blocking`]).
fn run_counted<R>(cell: &Arc<GroupCell>, f: impl FnOnce(&mut Group, Instant) -> R) -> (R, u64) {
    let mut out = Vec::new();
    let hooked = cell.hooked.load(Ordering::Acquire);
    let serves = SERVES_CALLBACKS.with(|s| s.get());
    let (r, earlier, sockets, generation) = {
        let mut g = cell.group.lock();
        let now = clock::now();
        let r = f(&mut g, now);
        g.process(now, &mut out);
        let mut deadline = g.poll_timeout().map_or(u64::MAX, |t| t.as_micros());
        // Per socket: whether its readiness changed, and whether it has something for a receive
        // callback (which then runs another round to take it).
        let sockets: Vec<(SocketId, bool, bool)> = g
            .socket_ids()
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|id| {
                let s = g.socket_mut(id)?;
                let changed = std::mem::take(&mut s.changed);
                Some((id, changed, s.has_input() || s.eof_pending_callback))
            })
            .collect();
        if hooked && !serves && sockets.iter().any(|&(_, _, input)| input) {
            // Something waits for a receive callback, which this thread may not run: the timer
            // thread (or the application's next usrsctp_handle_timers) takes the group now.
            deadline = now.as_micros();
        }
        // Published under the lock: a round that ends later must not have its deadline
        // overwritten by one that ended earlier (a receive callback would wait for a timer).
        let before = cell.deadline.swap(deadline, Ordering::AcqRel);
        let earlier = (deadline < before).then(|| Instant::from_micros(deadline));
        let generation = cell.generation.fetch_add(1, Ordering::AcqRel) + 1;
        (r, earlier, sockets, generation)
    };
    // The packets this round made leave before the threads waiting for it wake: an application
    // that sees its association closed may call usrsctp_finish at once, which stops the
    // transports, and the SHUTDOWN-COMPLETE its peer waits for must be out by then (the peer
    // would retransmit its SHUTDOWN-ACK to nobody and never finish).
    super::io::send(out);
    cell.changed.notify_all();
    if let Some(deadline) = earlier {
        super::timer::deadline_changed(deadline);
    }
    if hooked {
        for (id, changed, input) in sockets {
            callbacks(cell, id, changed, input, serves);
        }
    }
    (r, generation)
}

/// Calls the receive, send and upcall callbacks of socket `id`, without any lock held.
///
/// The receive callback is only served when the socket has input: serving it takes a round of
/// its own, which counts as a change of the group, and a blocked call waiting for a change
/// must not be woken by rounds that change nothing. Receive and send callbacks run only when
/// `serves` (see [`SERVES_CALLBACKS`]).
fn callbacks(cell: &Arc<GroupCell>, id: SocketId, changed: bool, input: bool, serves: bool) {
    let Some((hooks, delivering, last_buffered, upcall_state)) = with_registry(|r| {
        r.sockets.get(&id).map(|e| {
            (
                e.hooks.lock().clone(),
                e.delivering.clone(),
                e.last_buffered.clone(),
                e.upcall_state.clone(),
            )
        })
    }) else {
        return;
    };
    if let Some(receive) = hooks.receive.as_ref().filter(|_| input && serves) {
        // Another thread delivering for this socket picks up what we queued.
        while delivering
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            loop {
                // Through `run`, so that the room this makes in the socket is filled from the
                // association and a window update goes out.
                let (batch, eof) = run(cell, |g, _| {
                    let batch = g.take_deliveries(id);
                    let eof = g
                        .socket_mut(id)
                        .is_some_and(|s| std::mem::take(&mut s.eof_pending_callback));
                    (batch, eof)
                });
                if batch.is_empty() && !eof {
                    break;
                }
                let ulp = hooks.ulp_info;
                for d in batch {
                    receive(id, Some(d), ulp);
                }
                if eof {
                    receive(id, None, ulp);
                }
            }
            delivering.store(false, Ordering::Release);
            let more = cell
                .group
                .lock()
                .socket(id)
                .is_some_and(|s| s.has_input() || s.eof_pending_callback);
            if !more {
                break;
            }
        }
    }
    if let Some((send, threshold)) = hooks.send.as_ref().filter(|_| serves) {
        let (space, buffered) = {
            let g = cell.group.lock();
            (g.send_space(id), g.buffered_amount(id) as u64)
        };
        let before = last_buffered.swap(buffered, Ordering::AcqRel);
        if buffered < before && space >= *threshold as usize {
            send(id, space.min(u32::MAX as usize) as u32, hooks.ulp_info);
        }
    }
    if changed {
        if let Some(upcall) = hooks.upcall.as_ref() {
            // An upcall that calls into the library (get_events, recvv) may cause changes:
            // those make the running upcall loop once more instead of nesting.
            let (running, again) = &*upcall_state;
            again.store(true, Ordering::Release);
            while again.load(Ordering::Acquire)
                && running
                    .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
            {
                while again.swap(false, Ordering::AcqRel) {
                    upcall(id);
                }
                running.store(false, Ordering::Release);
            }
        }
    }
}

/// Runs `f` on the group of socket `id` without processing anything: for calls that only
/// read (readiness, options), which must not start callbacks of their own.
pub fn query<R>(id: SocketId, f: impl FnOnce(&Group, SocketId) -> R) -> Result<R> {
    let (cell, _) = entry(id)?;
    let g = cell.group.lock();
    Ok(f(&g, id))
}

impl GroupCell {
    fn new(group: Group) -> Self {
        GroupCell {
            group: Mutex::new(group),
            changed: Condvar::new(),
            generation: AtomicU64::new(0),
            deadline: AtomicU64::new(u64::MAX),
            hooked: AtomicBool::new(false),
            port: Mutex::new(None),
        }
    }
}

impl Hooks {
    fn any(&self) -> bool {
        self.receive.is_some() || self.send.is_some() || self.upcall.is_some()
    }
}

impl SocketEntry {
    fn new(group: Arc<GroupCell>, hooks: Hooks) -> Self {
        if hooks.any() {
            group.hooked.store(true, Ordering::Release);
        }
        SocketEntry {
            group,
            hooks: Arc::new(Mutex::new(hooks)),
            delivering: Arc::new(AtomicBool::new(false)),
            last_buffered: Arc::new(AtomicU64::new(0)),
            upcall_state: Arc::new((AtomicBool::new(false), AtomicBool::new(false))),
        }
    }
}
