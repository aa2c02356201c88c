//! Where packets go and come from: the application's `conn_output` for AF_CONN addresses, UDP
//! encapsulation (RFC 6951) for IP addresses with a UDP port, raw IP sockets for the others;
//! and the receive threads of the UDP and raw sockets.
//!
//! Packets are handed to `conn_output` without any lock held. An application may call
//! `usrsctp_conninput` from inside `conn_output` (in-memory loops do); such packets are queued
//! on the calling thread and processed once `conn_output` has returned, so that a ping-pong of
//! packets between two sockets runs as a loop, not as an ever deeper recursion.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::thread::JoinHandle;

use parking_lot::Mutex;

use super::sockets::{self, PortSpace};
use crate::assoc::Transmit;
use crate::sys::{RawIp, RecvBatch, UdpEncap, Waker, MAX_BATCH};
use crate::types::{Ecn, NetAddr};

/// Sends one packet to an AF_CONN address: `(address, packet, tos, set_df)`.
pub type ConnOutput = Arc<dyn Fn(usize, &mut [u8], u8, u8) + Send + Sync>;

#[derive(Default)]
struct Io {
    conn_output: Option<ConnOutput>,
    udp: Option<Arc<UdpEncap>>,
    raw: Option<Arc<RawIp>>,
    waker: Option<Waker>,
    threads: Vec<JoinHandle<()>>,
}

static IO: Mutex<Option<Io>> = Mutex::new(None);

thread_local! {
    /// This is one of the stack's receive threads.
    static ON_RECEIVE_THREAD: Cell<bool> = const { Cell::new(false) };
    /// This thread is inside `send`: packets and inputs are queued, not recursed into.
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static PENDING_OUT: RefCell<VecDeque<Transmit>> = const { RefCell::new(VecDeque::new()) };
    static PENDING_IN: RefCell<VecDeque<(usize, Vec<u8>, Ecn)>> = const { RefCell::new(VecDeque::new()) };
}

/// Starts the transports: `conn_output` for AF_CONN; with `threads`, UDP encapsulation on
/// `udp_port` (0: none) and raw IP sockets when the process may open them.
pub fn start(conn_output: Option<ConnOutput>, udp_port: u16, threads: bool) {
    let mut io = Io {
        conn_output,
        ..Io::default()
    };
    if threads {
        let waker = Waker::new().ok();
        if let Some(waker) = waker {
            if udp_port != 0 {
                if let Ok(udp) = UdpEncap::bind(udp_port, true, true)
                    .or_else(|_| UdpEncap::bind(udp_port, true, false))
                {
                    let udp = Arc::new(udp.with_waker(waker.clone()));
                    io.udp = Some(udp.clone());
                    io.threads
                        .extend(spawn("usrsctp-udp", move || udp_loop(&udp)));
                }
            }
            if let Ok(raw) = RawIp::open(true, true).or_else(|_| RawIp::open(true, false)) {
                let raw = Arc::new(raw.with_waker(waker.clone()));
                io.raw = Some(raw.clone());
                io.threads
                    .extend(spawn("usrsctp-raw", move || raw_loop(&raw)));
            }
            io.waker = Some(waker);
        }
    }
    *IO.lock() = Some(io);
}

/// Stops the receive threads and forgets the transports.
pub fn stop() {
    let io = IO.lock().take();
    if let Some(io) = io {
        if let Some(w) = io.waker.as_ref() {
            w.wake();
        }
        for t in io.threads {
            // A receive thread that calls usrsctp_finish from a callback cannot wait for
            // itself; it ends once it returns to its loop.
            if !ON_RECEIVE_THREAD.with(Cell::get) {
                let _ = t.join();
            }
        }
    }
}

/// The local UDP encapsulation port, if any.
pub fn udp_port() -> Option<u16> {
    IO.lock().as_ref()?.udp.as_ref().map(|u| u.port())
}

fn spawn(name: &str, f: impl FnOnce() + Send + 'static) -> Option<JoinHandle<()>> {
    std::thread::Builder::new().name(name.into()).spawn(f).ok()
}

fn udp_loop(udp: &UdpEncap) {
    ON_RECEIVE_THREAD.with(|on| on.set(true));
    let mut batch = RecvBatch::new(MAX_BATCH);
    loop {
        match udp.recv_batch(&mut batch, None) {
            Ok(_) if udp.is_shut_down() => return,
            Ok(_) => {
                for d in batch.iter().filter(|d| !d.truncated) {
                    // libusrsctp reads no ECN bits from its UDP socket (it passes 0): neither do we.
                    sockets::input(PortSpace::Ip, NetAddr::Ip(d.src), d.data, Ecn::NotEct);
                }
            }
            Err(_) if udp.is_shut_down() => return,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    }
}

fn raw_loop(raw: &RawIp) {
    ON_RECEIVE_THREAD.with(|on| on.set(true));
    let mut batch = RecvBatch::new(MAX_BATCH);
    loop {
        match raw.recv_batch(&mut batch, None) {
            Ok(_) if raw.is_shut_down() => return,
            Ok(_) => {
                for d in batch.iter().filter(|d| !d.truncated) {
                    let from = NetAddr::Ip(SocketAddr::new(d.src.ip(), 0));
                    sockets::input(PortSpace::Ip, from, d.data, Ecn::NotEct);
                }
            }
            Err(_) if raw.is_shut_down() => return,
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
        }
    }
}

/// A packet from the application for an AF_CONN socket (`usrsctp_conninput`), with the ECN
/// bits the application saw on it.
pub fn conn_input(addr: usize, packet: &[u8], ecn: Ecn) {
    if ACTIVE.with(Cell::get) {
        PENDING_IN.with(|q| q.borrow_mut().push_back((addr, packet.to_vec(), ecn)));
        return;
    }
    sockets::input(
        PortSpace::Conn(addr as u64),
        NetAddr::Conn(addr as u64),
        packet,
        ecn,
    );
}

/// Sends packets. Called without locks held.
pub fn send(out: Vec<Transmit>) {
    if out.is_empty() && !ACTIVE.with(Cell::get) {
        return;
    }
    PENDING_OUT.with(|q| q.borrow_mut().extend(out));
    if ACTIVE.with(Cell::get) {
        return;
    }
    ACTIVE.with(|a| a.set(true));
    drain();
    ACTIVE.with(|a| a.set(false));
}

/// Works through the packets queued on this thread; true when there were any. A call that is
/// about to block runs this first, since what it waits for may be among them.
pub fn flush_pending() -> bool {
    let was = ACTIVE.with(|a| a.replace(true));
    let any = drain();
    ACTIVE.with(|a| a.set(was));
    any
}

fn drain() -> bool {
    let mut any = false;
    loop {
        if let Some(t) = PENDING_OUT.with(|q| q.borrow_mut().pop_front()) {
            any = true;
            transmit(t);
        } else if let Some((addr, p, ecn)) = PENDING_IN.with(|q| q.borrow_mut().pop_front()) {
            any = true;
            let from = NetAddr::Conn(addr as u64);
            sockets::input(PortSpace::Conn(addr as u64), from, &p, ecn);
        } else {
            return any;
        }
    }
}

/// Path MTU discovery runs on an association: from now on the UDP encapsulation socket sends
/// with DF and without local fragmentation (see `UdpEncap::set_dont_fragment`), for the
/// process's life. Until then the socket is left as libusrsctp leaves its own.
pub fn udp_dont_fragment() {
    let udp = IO.lock().as_ref().and_then(|io| io.udp.clone());
    if let Some(udp) = udp {
        let _ = udp.set_dont_fragment();
    }
}

fn transmit(mut t: Transmit) {
    let (conn_output, udp, raw) = {
        let io = IO.lock();
        let Some(io) = io.as_ref() else { return };
        (io.conn_output.clone(), io.udp.clone(), io.raw.clone())
    };
    match t.dst {
        NetAddr::Conn(addr) => {
            if let Some(out) = conn_output {
                // libusrsctp passes the ECN bits as `tos` on AF_CONN (ECT(0) on DATA packets of an
                // ECN association) and leaves the rest of the byte 0.
                out(addr as usize, &mut t.bytes, t.ecn.bits(), 0);
            }
        }
        NetAddr::Ip(dst) if dst.port() != 0 => {
            if let Some(udp) = udp {
                let _ = udp.send_to(dst, &t.bytes, 0);
            }
        }
        NetAddr::Ip(dst) => {
            if let Some(raw) = raw {
                let _ = raw.send_to(dst, &t.bytes, 0);
            }
        }
    }
}
