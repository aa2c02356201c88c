//! Baseline figures for our engine: bulk transfer between two in-memory dcsctp nodes.
//!
//! The link delivers each datagram at once and loses nothing; virtual time moves only when both
//! nodes are idle (to their next timer, e.g. a delayed SACK). What is measured is therefore the
//! CPU cost of dcsctp on both ends (plus the thin `DcsctpNode` adapter): packetising,
//! CRC32c, SACKs, reassembly and delivery, with a 1200-byte SCTP MTU.
//!
//! Read the figures with care: dcsctp 0.1.16 hex-formats every packet it sends or receives for a
//! `log::info!` line whether or not a logger is installed, and a profile of the 1 KiB bulk run
//! puts about 89% of the time in `dcsctp::logging::log_packet`. Its public API cannot turn that
//! off, so these numbers are dcsctp as shipped, roughly ten times slower than its protocol work.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use support::dcsctp_node::{Addr, Config, DcsctpNode, Node, State};
use usrsctp::types::Instant;

const MTU: usize = 1200;
const PPID: u32 = 53;
/// Bytes sent per iteration in the bulk benchmarks.
const BULK_BYTES: usize = 1 << 20;
/// Messages sent per iteration in the small-message benchmark.
const SMALL_COUNT: usize = 10_000;

struct Pair {
    a: DcsctpNode,
    b: DcsctpNode,
    now: Instant,
}

impl Pair {
    fn connected() -> Self {
        let (addr_a, addr_b) = (
            Addr::from(([127, 0, 0, 1], 5001)),
            Addr::from(([127, 0, 0, 1], 5002)),
        );
        let config = |name: &str, seed| Config {
            name: name.into(),
            seed,
            mtu: MTU,
            ..Config::default()
        };
        let mut pair = Pair {
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

    /// Moves every pending datagram across, or else advances time to the next timer.
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

    /// Sends `count` messages of `payload` from a to b, unordered or not, and runs until b has
    /// received them all. Returns the bytes received.
    fn transfer(&mut self, payload: &[u8], count: usize, unordered: bool) -> usize {
        for _ in 0..count {
            self.a
                .send(1, PPID, payload, unordered)
                .expect("send queue has room");
        }
        let (mut messages, mut bytes) = (0, 0);
        while messages < count {
            self.step();
            while let Some(m) = self.b.pop_message() {
                messages += 1;
                bytes += black_box(m.payload).len();
            }
        }
        bytes
    }
}

fn bulk(c: &mut Criterion) {
    let mut group = c.benchmark_group("dcsctp_bulk");
    group.throughput(Throughput::Bytes(BULK_BYTES as u64));
    for size in [1024, 64 * 1024] {
        let payload = vec![0x5a; size];
        let count = BULK_BYTES / size;
        for (name, unordered) in [("ordered", false), ("unordered", true)] {
            group.bench_function(BenchmarkId::new(name, size), |bench| {
                let mut pair = Pair::connected();
                bench.iter(|| pair.transfer(&payload, count, unordered));
            });
        }
    }
    group.finish();
}

fn small_messages(c: &mut Criterion) {
    let mut group = c.benchmark_group("dcsctp_small");
    group.throughput(Throughput::Elements(SMALL_COUNT as u64));
    let payload = [0xa5; 64];
    group.bench_function(BenchmarkId::new("ordered", 64), |bench| {
        let mut pair = Pair::connected();
        bench.iter(|| pair.transfer(&payload, SMALL_COUNT, false));
    });
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
