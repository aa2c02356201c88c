//! Heap memory per established idle association.
//!
//! A hub endpoint holds `N` associations, one with each of `N` spoke endpoints (distinct
//! addresses), over an immediate lossless in-memory link with virtual time. A counting global
//! allocator tracks the live bytes (as requested from the allocator, without its own per-block
//! overhead) and live blocks allocated by the test's thread, so the test harness's threads do
//! not disturb the figures.
//!
//! Figures, per association:
//! - **both sides**: (live bytes - the empty hub - `N` empty spokes) / 2N, the mean of the two
//!   ends (one active, one passive);
//! - **hub side**: after the spokes are dropped, (live bytes - the empty hub) / N, which includes
//!   the hub's map of associations.
//!
//! Each is measured right after the handshake (nothing sent yet: the send queue and the
//! reassembly queue hold nothing and, being allocated lazily, no buffer memory, so this is the
//! figure "beyond buffers"), after 5 minutes of idle virtual time (heartbeats), and after one
//! 1 KiB message each way was delivered and read (idle again: what use leaves behind, e.g.
//! retained buffer capacity).
//!
//! The test asserts a generous bound (16 KiB beyond buffers; the goal is under 8 KiB) and prints
//! the figures: `cargo test --release --test assoc_memory -- --nocapture`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::SocketAddr;
use std::time::Duration;

use usrsctp::assoc::{Association, Event, SendOptions};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};

// ---- counting allocator -------------------------------------------------------------------

struct Counting;

thread_local! {
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
    static LIVE_BLOCKS: Cell<isize> = const { Cell::new(0) };
}

fn count(bytes: isize, blocks: isize) {
    // `try_with`: the allocator also runs while thread-locals are being torn down.
    let _ = LIVE_BYTES.try_with(|c| c.set(c.get() + bytes));
    let _ = LIVE_BLOCKS.try_with(|c| c.set(c.get() + blocks));
}

// SAFETY: every call is forwarded unchanged to `System`; only counters are updated around it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize, 1);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize, 1);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize), -1);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize, 0);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Live bytes and blocks allocated by this thread.
#[derive(Debug, Clone, Copy)]
struct Live {
    bytes: isize,
    blocks: isize,
}

fn live() -> Live {
    Live {
        bytes: LIVE_BYTES.with(Cell::get),
        blocks: LIVE_BLOCKS.with(Cell::get),
    }
}

impl std::ops::Sub for Live {
    type Output = Live;
    fn sub(self, o: Live) -> Live {
        Live {
            bytes: self.bytes - o.bytes,
            blocks: self.blocks - o.blocks,
        }
    }
}

// ---- the hub and its spokes ---------------------------------------------------------------

const N: usize = 1000;
const PORT: u16 = 5000;

/// Which end of each association the hub is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HubRole {
    /// The spokes connect to the listening hub.
    Passive,
    /// The hub connects to each listening spoke.
    Active,
}

fn hub_addr() -> SocketAddr {
    SocketAddr::from(([10, 255, 255, 1], PORT))
}

fn spoke_addr(i: usize) -> SocketAddr {
    SocketAddr::from(([10, 0, (i >> 8) as u8, i as u8], PORT))
}

fn spoke_index(addr: NetAddr) -> usize {
    match addr {
        NetAddr::Ip(SocketAddr::V4(a)) => {
            let [_, _, hi, lo] = a.ip().octets();
            usize::from(hi) << 8 | usize::from(lo)
        }
        other => panic!("not a spoke: {other:?}"),
    }
}

fn endpoint(seed: u64) -> Endpoint {
    Endpoint::new(
        EndpointConfig::default(),
        PORT,
        Instant::ZERO,
        Box::new(SeededRandom::new(seed)),
    )
}

struct Star {
    hub: Endpoint,
    spokes: Vec<Endpoint>,
    /// The association of each spoke, at the hub and at the spoke.
    hub_ids: Vec<AssocId>,
    spoke_ids: Vec<AssocId>,
    now: Instant,
    /// Connected events seen at the hub and at the spokes.
    connected: usize,
    /// Messages read, and their bytes.
    received: usize,
}

impl Star {
    /// Moves every pending datagram across; false if there was none.
    fn pump(&mut self) -> bool {
        let now = self.now;
        let mut moved = false;
        for (i, spoke) in self.spokes.iter_mut().enumerate() {
            while let Some(t) = spoke.poll_transmit(now) {
                self.hub
                    .handle_datagram(now, NetAddr::Ip(spoke_addr(i)), &t.bytes);
                moved = true;
            }
        }
        while let Some(t) = self.hub.poll_transmit(now) {
            let i = spoke_index(t.dst);
            self.spokes[i].handle_datagram(now, NetAddr::Ip(hub_addr()), &t.bytes);
            moved = true;
        }
        self.drain();
        moved
    }

    /// Takes every event, accept and message, so that no queue holds anything.
    fn drain(&mut self) {
        while let Some((_, event)) = self.hub.poll_event() {
            if matches!(event, Event::Connected { .. }) {
                self.connected += 1;
            }
        }
        while let Some(id) = self.hub.poll_accept() {
            self.hub_ids.push(id);
        }
        for &id in &self.hub_ids {
            while self
                .hub
                .association_mut(id)
                .and_then(|a| a.recv())
                .is_some()
            {
                self.received += 1;
            }
        }
        for (i, spoke) in self.spokes.iter_mut().enumerate() {
            while let Some((_, event)) = spoke.poll_event() {
                if matches!(event, Event::Connected { .. }) {
                    self.connected += 1;
                }
            }
            if let Some(id) = spoke.poll_accept() {
                self.spoke_ids[i] = id;
            }
            let id = spoke.association_ids().next();
            if let Some(id) = id {
                while spoke.association_mut(id).and_then(|a| a.recv()).is_some() {
                    self.received += 1;
                }
            }
        }
    }

    /// Runs until nothing moves, then moves time on by `tick` and fires due timers, until
    /// `until`. (Coarse ticks rather than every deadline: a thousand associations with jittered
    /// heartbeat timers would otherwise need a wake-up each.)
    fn run_until(&mut self, until: Instant, tick: Duration) {
        loop {
            while self.pump() {}
            if self.now >= until {
                return;
            }
            self.now = (self.now + tick).min(until);
            self.hub.handle_timeout(self.now);
            for spoke in &mut self.spokes {
                spoke.handle_timeout(self.now);
            }
        }
    }

    fn assoc_count(&self) -> usize {
        self.hub.association_ids().count()
    }

    fn hub_assocs(&self) -> impl Iterator<Item = &Association> {
        self.hub
            .association_ids()
            .map(|id| self.hub.association(id).unwrap())
    }
}

/// Bytes and allocator blocks per association.
#[derive(Debug, Default, Clone, Copy)]
struct PerAssoc {
    bytes: f64,
    blocks: f64,
}

impl std::fmt::Display for PerAssoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:6.0} B in {:4.1} blocks", self.bytes, self.blocks)
    }
}

/// The figures of one run, per association.
#[derive(Debug, Default)]
struct Figures {
    /// The mean of both ends, right after the handshake and after 5 minutes idle.
    established_mean: PerAssoc,
    idle_mean: PerAssoc,
    /// At the end of the run: the hub (N associations in one endpoint, its map included) and a
    /// spoke (one association in its own endpoint, its map included).
    hub: PerAssoc,
    spoke: PerAssoc,
}

/// Sets up `N` associations with the hub in `role`; if `exercise`, idles 5 minutes and sends
/// one message each way before the figures of the two sides are taken.
fn measure(role: HubRole, exercise: bool) -> Figures {
    let mut figures = Figures::default();
    let start = live();
    let mut hub = endpoint(1);
    let empty_hub = live() - start;
    let before_spoke = live();
    let first_spoke = endpoint(2);
    let empty_spoke = live() - before_spoke;
    let mut spokes = Vec::with_capacity(N);
    spokes.push(first_spoke);
    spokes.extend((1..N).map(|i| endpoint(2 + i as u64)));
    let mut hub_ids = Vec::with_capacity(N);
    let spoke_ids = vec![0; N];
    // The test's own vectors: spokes, hub_ids, spoke_ids.
    let own = Live {
        bytes: (N * (std::mem::size_of::<Endpoint>() + 2 * std::mem::size_of::<AssocId>()))
            as isize,
        blocks: 3,
    };

    match role {
        HubRole::Passive => {
            hub.listen(true);
            for spoke in &mut spokes {
                spoke
                    .connect(Instant::ZERO, NetAddr::Ip(hub_addr()), PORT)
                    .expect("connect");
            }
        }
        HubRole::Active => {
            for (i, spoke) in spokes.iter_mut().enumerate() {
                spoke.listen(true);
                let id = hub
                    .connect(Instant::ZERO, NetAddr::Ip(spoke_addr(i)), PORT)
                    .expect("connect");
                hub_ids.push(id);
            }
        }
    }
    let mut star = Star {
        hub,
        spokes,
        hub_ids,
        spoke_ids,
        now: Instant::ZERO,
        connected: 0,
        received: 0,
    };
    star.run_until(Instant::ZERO, Duration::ZERO);
    assert_eq!(
        star.connected,
        2 * N,
        "every association is up at both ends"
    );
    assert_eq!(star.assoc_count(), N);
    assert!(star
        .hub_assocs()
        .all(|a| a.buffered_amount() == 0 && !a.has_messages()));

    // Everything but the empty endpoints and the test's own vectors, for N associations.
    let all_assocs = || {
        let l = live() - start;
        Live {
            bytes: l.bytes - empty_hub.bytes - N as isize * empty_spoke.bytes - own.bytes,
            blocks: l.blocks - empty_hub.blocks - N as isize * empty_spoke.blocks - own.blocks,
        }
    };
    let per = |l: Live, n: usize| PerAssoc {
        bytes: l.bytes as f64 / n as f64,
        blocks: l.blocks as f64 / n as f64,
    };
    figures.established_mean = per(all_assocs(), 2 * N);

    if exercise {
        star.run_until(
            Instant::ZERO + Duration::from_secs(300),
            Duration::from_secs(1),
        );
        assert_eq!(star.assoc_count(), N);
        figures.idle_mean = per(all_assocs(), 2 * N);

        let options = SendOptions {
            stream: 0,
            ppid: 51,
            ..SendOptions::default()
        };
        let now = star.now;
        let message = [0x5a; 1024];
        for id in star.hub.association_ids().collect::<Vec<_>>() {
            let a = star.hub.association_mut(id).unwrap();
            a.send(now, &options, &message).expect("send");
        }
        for spoke in &mut star.spokes {
            let id = spoke.association_ids().next().unwrap();
            let a = spoke.association_mut(id).unwrap();
            a.send(now, &options, &message).expect("send");
        }
        star.run_until(now + Duration::from_secs(5), Duration::from_millis(50));
        assert_eq!(star.received, 2 * N, "one message each way");
        assert!(star.hub_assocs().all(|a| a.buffered_amount() == 0));
    }
    let both = all_assocs();

    // The hub side alone, once the spokes are gone; the spokes' side is the rest.
    let Star {
        hub,
        spokes,
        hub_ids,
        spoke_ids,
        ..
    } = star;
    drop((spokes, spoke_ids));
    let l = live() - start;
    let hub_side = Live {
        bytes: l.bytes
            - empty_hub.bytes
            - (hub_ids.capacity() * std::mem::size_of::<AssocId>()) as isize,
        blocks: l.blocks - empty_hub.blocks - 1,
    };
    figures.hub = per(hub_side, N);
    figures.spoke = per(both - hub_side, N);
    drop((hub, hub_ids));
    figures
}

#[test]
fn memory_per_idle_association() {
    println!(
        "per association, default EndpointConfig, N = {N}; size_of::<Association>() = {} \
         (boxed in the endpoint)",
        std::mem::size_of::<Association>()
    );
    for role in [HubRole::Passive, HubRole::Active] {
        let fresh = measure(role, false);
        let used = measure(role, true);
        let spoke_role = match role {
            HubRole::Passive => "active",
            HubRole::Active => "passive",
        };
        println!("hub {role:?}, spokes {spoke_role}:");
        println!(
            "  established, mean of both ends:     {}",
            fresh.established_mean
        );
        println!("  established, hub (N in one):        {}", fresh.hub);
        println!("  established, spoke (1 in its own):  {}", fresh.spoke);
        println!("  after 5 min idle, mean of both:     {}", used.idle_mean);
        println!("  after 1 KiB each way, hub:          {}", used.hub);
        println!("  after 1 KiB each way, spoke:        {}", used.spoke);
        for figure in [
            fresh.established_mean,
            fresh.hub,
            fresh.spoke,
            used.idle_mean,
        ] {
            assert!(
                figure.bytes < 16.0 * 1024.0,
                "{figure} per idle association, beyond buffers"
            );
        }
    }
}
