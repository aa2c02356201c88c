//! Our association engine beside dcSCTP: bulk transfer of 1 KiB and 64 KiB messages and the
//! 64-byte message rate, run for both engines in the same criterion groups so that the figures
//! print side by side.
//!
//! Figures from `cargo bench --bench engine` (one run, 2-core x86_64 VM, release profile, after
//! the send-queue reindex fix; MB = 10^6 bytes, 1 MiB of payload per bulk iteration, 10,000
//! messages per small-message iteration; criterion point estimates):
//!
//! | workload                | ours           | dcsctp 0.1.16 | ours / dcsctp |
//! | ----------------------- | -------------- | ------------- | ------------- |
//! | bulk 1 KiB, ordered     | 784 MB/s       | 22.5 MB/s     | 34.8          |
//! | bulk 1 KiB, unordered   | 665 MB/s       | 22.1 MB/s     | 30.1          |
//! | bulk 64 KiB, ordered    | 1043 MB/s      | 22.8 MB/s     | 45.7          |
//! | bulk 64 KiB, unordered  | 1019 MB/s      | 22.0 MB/s     | 46.4          |
//! | 64 B messages, ordered  | 1.43 M msg/s   | 0.166 M msg/s | 8.6           |
//!
//! Most of that gap is dcsctp's packet logging (below): callgrind puts 96.6% of dcsctp's
//! instructions in `dcsctp::logging::log_packet` for bulk 1 KiB and 89.5% for 64 B messages.
//! Without it, dcsctp would need about 23 M instructions per MiB of 1 KiB messages (ours: about
//! 15 M) and about 62 M per 10,000 64-byte messages (ours: 76 M measured before the reindex fix,
//! about 7% less after it), i.e. engines of comparable cost.
//!
//! Two nodes of one engine talk over an immediate, lossless in-memory link: every polled datagram
//! is handed to the other side at once, and virtual time moves only when both sides are idle (to
//! the earliest timer, e.g. a delayed SACK). What is measured is the CPU cost of both ends:
//! packetising, CRC32c, SACKs, reassembly and delivery. The SCTP MTU is 1200 bytes (common header
//! included, the same meaning for both engines). Both engines get a 1 MiB receive buffer
//! (advertised window) and a 1 MiB send buffer, so neither is window-limited in the loop; ours
//! runs with `nodelay` (dcsctp has no Nagle-like delay). Other settings are each engine's
//! defaults. The sender queues messages as its send buffer allows and the pump runs until the
//! receiver has taken every message of the iteration; messages are taken as soon as they are
//! reassembled.
//!
//! dcsctp 0.1.16 hex-formats every packet it sends or receives for a `log::info!` line whether a
//! logger is installed or not, and its public API cannot turn that off: its figures are dcsctp
//! as shipped.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use support::dcsctp_node::{Addr, Config as DcConfig, DcsctpNode, Node, State};
use usrsctp::assoc::{Event, SendOptions};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};

/// The largest SCTP packet, common header included.
const MTU: usize = 1200;
/// Receive buffer (advertised window) and send buffer of both engines.
const BUFFER: usize = 1 << 20;
const STREAM: u16 = 1;
const PPID: u32 = 53;
/// Bytes sent per iteration in the bulk benchmarks.
const BULK_BYTES: usize = 1 << 20;
/// Messages sent per iteration in the small-message benchmark.
const SMALL_COUNT: usize = 10_000;

/// Two connected nodes of one engine and the link between them.
trait Pair {
    fn connected() -> Self;
    /// Moves every pending datagram across, or else advances time to the next timer.
    fn step(&mut self);
    /// Queues one message at the sender; false if its send buffer has no room for it.
    fn try_send(&mut self, payload: &[u8], unordered: bool) -> bool;
    /// Takes the next received message at the receiver: its length and whether it is complete.
    fn recv(&mut self) -> Option<(usize, bool)>;
}

/// Sends `count` messages of `payload` and runs until all arrived. Returns the bytes received.
fn transfer(pair: &mut impl Pair, payload: &[u8], count: usize, unordered: bool) -> usize {
    let (mut sent, mut messages, mut bytes) = (0, 0, 0);
    while messages < count {
        while sent < count && pair.try_send(payload, unordered) {
            sent += 1;
        }
        pair.step();
        while let Some((len, complete)) = pair.recv() {
            bytes += black_box(len);
            messages += usize::from(complete);
        }
    }
    assert_eq!(bytes, payload.len() * count);
    bytes
}

// ---- our engine ---------------------------------------------------------------------------

struct Ours {
    a: Endpoint,
    b: Endpoint,
    addr_a: NetAddr,
    addr_b: NetAddr,
    id_a: AssocId,
    id_b: AssocId,
    now: Instant,
    connected: bool,
}

impl Ours {
    fn config() -> EndpointConfig {
        let mut config = EndpointConfig::default();
        let assoc = &mut config.association;
        assoc.mtu = MTU;
        assoc.receive_buffer = BUFFER as u32;
        assoc.send_buffer = BUFFER as u32;
        assoc.nodelay = true;
        config
    }

    /// Drops the events of both sides (after noting the association coming up).
    fn drain_events(&mut self) {
        while let Some((_, event)) = self.a.poll_event() {
            if matches!(event, Event::Connected { .. }) {
                self.connected = true;
            }
        }
        while self.b.poll_event().is_some() {}
        if let Some(id) = self.b.poll_accept() {
            self.id_b = id;
        }
    }
}

impl Pair for Ours {
    fn connected() -> Self {
        let (port_a, port_b) = (5001, 5002);
        let endpoint = |port, seed| {
            Endpoint::new(
                Ours::config(),
                port,
                Instant::ZERO,
                Box::new(SeededRandom::new(seed)),
            )
        };
        let mut pair = Ours {
            a: endpoint(port_a, 1),
            b: endpoint(port_b, 2),
            addr_a: NetAddr::Ip(Addr::from(([127, 0, 0, 1], port_a))),
            addr_b: NetAddr::Ip(Addr::from(([127, 0, 0, 1], port_b))),
            id_a: 0,
            id_b: 0,
            now: Instant::ZERO,
            connected: false,
        };
        pair.b.listen(true);
        pair.id_a = pair
            .a
            .connect(Instant::ZERO, pair.addr_b, port_b)
            .expect("connect");
        while !pair.connected || pair.id_b == 0 {
            pair.step();
        }
        pair
    }

    fn step(&mut self) {
        let mut moved = false;
        while let Some(t) = self.a.poll_transmit(self.now) {
            self.b.handle_datagram(self.now, self.addr_a, &t.bytes);
            moved = true;
        }
        while let Some(t) = self.b.poll_transmit(self.now) {
            self.a.handle_datagram(self.now, self.addr_b, &t.bytes);
            moved = true;
        }
        self.drain_events();
        if moved {
            return;
        }
        let next = [self.a.poll_timeout(), self.b.poll_timeout()]
            .into_iter()
            .flatten()
            .min();
        self.now = next.expect("the cookie secret rotates").max(self.now);
        self.a.handle_timeout(self.now);
        self.b.handle_timeout(self.now);
    }

    fn try_send(&mut self, payload: &[u8], unordered: bool) -> bool {
        let options = SendOptions {
            stream: STREAM,
            ppid: PPID,
            unordered,
            ..SendOptions::default()
        };
        let assoc = self.a.association_mut(self.id_a).expect("association");
        assoc.send(self.now, &options, payload).is_ok()
    }

    fn recv(&mut self) -> Option<(usize, bool)> {
        let assoc = self.b.association_mut(self.id_b).expect("association");
        let m = assoc.recv()?;
        Some((black_box(m.payload).len(), m.complete))
    }
}

// ---- dcsctp -------------------------------------------------------------------------------

struct Dc {
    a: DcsctpNode,
    b: DcsctpNode,
    now: Instant,
}

impl Pair for Dc {
    fn connected() -> Self {
        let (addr_a, addr_b) = (
            Addr::from(([127, 0, 0, 1], 5001)),
            Addr::from(([127, 0, 0, 1], 5002)),
        );
        let config = |name: &str, seed| DcConfig {
            name: name.into(),
            seed,
            mtu: MTU,
            max_receiver_window: BUFFER,
            max_send_buffer: BUFFER,
            ..DcConfig::default()
        };
        let mut pair = Dc {
            a: DcsctpNode::new(addr_a, addr_b, &config("a", 1)),
            b: DcsctpNode::new(addr_b, addr_a, &config("b", 2)),
            now: Instant::ZERO,
        };
        pair.a.connect();
        while pair.a.state() != State::Connected || pair.b.state() != State::Connected {
            pair.step();
        }
        pair
    }

    fn step(&mut self) {
        let mut moved = false;
        while let Some(d) = self.a.poll_transmit(self.now) {
            self.b.handle_datagram(self.now, d);
            moved = true;
        }
        while let Some(d) = self.b.poll_transmit(self.now) {
            self.a.handle_datagram(self.now, d);
            moved = true;
        }
        if moved {
            return;
        }
        let next = [self.a.poll_timeout(), self.b.poll_timeout()]
            .into_iter()
            .flatten()
            .min();
        self.now = next
            .expect("an idle pair still has a heartbeat timer")
            .max(self.now);
        self.a.handle_timeout(self.now);
        self.b.handle_timeout(self.now);
    }

    fn try_send(&mut self, payload: &[u8], unordered: bool) -> bool {
        // Checked first: a refused send also queues an error event in dcsctp.
        if self.a.buffered_amount(STREAM) + payload.len() > BUFFER {
            return false;
        }
        self.a.send(STREAM, PPID, payload, unordered).is_ok()
    }

    fn recv(&mut self) -> Option<(usize, bool)> {
        let m = self.b.pop_message()?;
        Some((black_box(m.payload).len(), true))
    }
}

// ---- benchmarks ---------------------------------------------------------------------------

fn bench_both(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    mode: &str,
    payload: &[u8],
    count: usize,
    unordered: bool,
) {
    group.bench_function(BenchmarkId::new("ours", mode), |bench| {
        let mut pair = Ours::connected();
        bench.iter(|| transfer(&mut pair, payload, count, unordered));
    });
    group.bench_function(BenchmarkId::new("dcsctp", mode), |bench| {
        let mut pair = Dc::connected();
        bench.iter(|| transfer(&mut pair, payload, count, unordered));
    });
}

fn bulk(c: &mut Criterion) {
    for (size, name) in [(1024, "bulk_1KiB"), (64 * 1024, "bulk_64KiB")] {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(BULK_BYTES as u64));
        let payload = vec![0x5a; size];
        for (mode, unordered) in [("ordered", false), ("unordered", true)] {
            bench_both(&mut group, mode, &payload, BULK_BYTES / size, unordered);
        }
        group.finish();
    }
}

fn small_messages(c: &mut Criterion) {
    let mut group = c.benchmark_group("small_64B");
    group.throughput(Throughput::Elements(SMALL_COUNT as u64));
    bench_both(&mut group, "ordered", &[0xa5; 64], SMALL_COUNT, false);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bulk, small_messages
}
criterion_main!(benches);
