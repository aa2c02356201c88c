//! The process-wide instance of the stack: its life cycle, settings and registered AF_CONN
//! addresses. Sockets, timers and receive threads join it in later layers.

pub mod clock;
pub mod config;
pub mod io;
pub mod log;
pub mod sockets;
pub mod stats;
pub mod sysctl;
pub mod timer;

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;

/// Who drives the timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threads {
    /// `usrsctp_init`: the stack runs its own timer thread.
    Own,
    /// `usrsctp_init_nothreads`: the application calls `usrsctp_handle_timers`.
    Application,
}

/// `finish` refused: sockets are still open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketsOpen;

#[derive(Debug, Default)]
struct State {
    running: Option<Threads>,
    /// Wall-clock time of the last init, reported as `sctps_discontinuitytime`.
    started: Duration,
    crc32c_offload: bool,
    /// AF_CONN addresses registered by the application: opaque pointers, kept as integers.
    conn_addresses: BTreeSet<usize>,
}

static STATE: Mutex<State> = Mutex::new(State {
    running: None,
    started: Duration::ZERO,
    crc32c_offload: false,
    conn_addresses: BTreeSet::new(),
});

/// Starts the stack (or starts it again): settings go back to their defaults as libusrsctp does.
/// A second init while running changes nothing.
pub fn init(udp_port: u16, threads: Threads, conn_output: Option<io::ConnOutput>) {
    if is_running() {
        return;
    }
    sysctl::reset_for_init(udp_port);
    stats::reset();
    io::start(conn_output, udp_port, threads == Threads::Own);
    if threads == Threads::Own {
        timer::start();
    }
    let mut state = STATE.lock();
    state.running = Some(threads);
    state.started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
}

/// Stops the stack unless sockets remain.
pub fn finish() -> Result<(), SocketsOpen> {
    if sockets::busy() {
        return Err(SocketsOpen);
    }
    let was_running = STATE.lock().running.take().is_some();
    if was_running {
        timer::stop();
        io::stop();
        sockets::clear();
    }
    STATE.lock().conn_addresses.clear();
    Ok(())
}

/// True between `init` and `finish`.
pub fn is_running() -> bool {
    STATE.lock().running.is_some()
}

/// Fires the timers that are due (the application drives them after `init_nothreads`).
pub fn handle_timers(_elapsed_ms: u32) {
    sockets::handle_timers();
}

/// The statistics of the whole stack (`usrsctp_get_stat`).
pub fn statistics() -> crate::assoc::Counters {
    sockets::statistics()
}

/// When the stack was last initialised, since the Unix epoch.
pub fn discontinuity_time() -> Duration {
    STATE.lock().started
}

/// Whether the lower layer computes CRC32c for outgoing packets.
pub fn set_crc32c_offload(on: bool) {
    STATE.lock().crc32c_offload = on;
}

/// See [`set_crc32c_offload`].
pub fn crc32c_offload() -> bool {
    STATE.lock().crc32c_offload
}

/// Registers an AF_CONN address (the application's opaque pointer value).
pub fn register_conn_address(addr: usize) {
    STATE.lock().conn_addresses.insert(addr);
}

/// Forgets an AF_CONN address.
pub fn deregister_conn_address(addr: usize) {
    STATE.lock().conn_addresses.remove(&addr);
}

/// True when the application registered `addr`.
pub fn is_conn_address_registered(addr: usize) -> bool {
    STATE.lock().conn_addresses.contains(&addr)
}
