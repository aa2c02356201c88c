//! The hostile-input corpus (`../shared/corpus/`) fed through the C API, the way a WebRTC stack
//! feeds what arrives over DTLS: `usrsctp_conninput` into AF_CONN sockets of the threaded stack.
//! The socket layer, the stack's locks and threads and the engine all see the packets. The bar:
//! no panic (caught or not), the stack keeps working (a fresh association carries a message
//! afterwards) and `usrsctp_finish` succeeds at the end.
//!
//! One test function: the stack is process-wide.

mod support;

use std::collections::VecDeque;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::corpus::{files, split_chunks, undump};
use usrsctp::ffi::lifecycle::{usrsctp_finish, usrsctp_init};
use usrsctp::ffi::socket::*;
use usrsctp::ffi::types::{sctp_rcvinfo, sockaddr_conn, socket};
use usrsctp::ffi::{AF_CONN, SCTP_SENDV_NOINFO};

/// The two ends of the in-memory link: a packet sent to one is delivered to the other.
static END_A: u8 = 0;
static END_B: u8 = 0;

fn end_a() -> *mut c_void {
    &END_A as *const u8 as *mut c_void
}

fn end_b() -> *mut c_void {
    &END_B as *const u8 as *mut c_void
}

/// Packets in flight: (the end it is delivered to, the bytes).
static WIRE: Mutex<VecDeque<(usize, Vec<u8>)>> = Mutex::new(VecDeque::new());
/// Verification tags of the INITs end A sent, newest last.
static A_TAGS: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static PANICS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn conn_output(
    addr: *mut c_void,
    buffer: *mut c_void,
    length: usize,
    _tos: u8,
    _set_df: u8,
) -> c_int {
    // SAFETY: the library hands a buffer of `length` bytes, valid during the call.
    let bytes = unsafe { std::slice::from_raw_parts(buffer.cast::<u8>(), length) }.to_vec();
    if addr == end_a() && bytes.len() >= 20 && bytes[12] == 1 {
        let tag = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
        A_TAGS.lock().unwrap().push(tag);
    }
    let to = if addr == end_a() { end_b() } else { end_a() };
    WIRE.lock().unwrap().push_back((to as usize, bytes));
    0
}

/// Delivers what is on the wire until it has been quiet for `quiet`, at most `limit`.
fn pump(quiet: Duration, limit: Duration) {
    let start = Instant::now();
    let mut last = Instant::now();
    while start.elapsed() < limit {
        let next = WIRE.lock().unwrap().pop_front();
        match next {
            Some((to, bytes)) => {
                usrsctp_conninput(to as *mut c_void, bytes.as_ptr().cast(), bytes.len(), 0);
                last = Instant::now();
            }
            None if last.elapsed() >= quiet => return,
            None => std::thread::sleep(Duration::from_millis(1)),
        }
    }
}

fn addr(end: *mut c_void, port: u16) -> sockaddr_conn {
    sockaddr_conn {
        sconn_family: AF_CONN as u16,
        sconn_port: port.to_be(),
        sconn_addr: end,
    }
}

fn new_socket() -> *mut socket {
    let s = usrsctp_socket(
        AF_CONN,
        libc::SOCK_STREAM,
        132,
        None,
        None,
        0,
        std::ptr::null_mut(),
    );
    assert!(!s.is_null(), "usrsctp_socket failed");
    s
}

/// A listening server on B:`port`.
fn listener(port: u16) -> *mut socket {
    let s = new_socket();
    let b = addr(end_b(), port);
    let len = std::mem::size_of::<sockaddr_conn>() as libc::socklen_t;
    assert_eq!(
        usrsctp_bind(s, (&b as *const sockaddr_conn).cast_mut().cast(), len),
        0
    );
    assert_eq!(usrsctp_listen(s, 16), 0);
    s
}

/// A non-blocking client bound to A:`local`, connecting to the server's `port`; returns it and
/// the verification tag packets to it must carry.
fn client(local: u16, port: u16) -> (*mut socket, u32) {
    let s = new_socket();
    usrsctp_set_non_blocking(s, 1);
    let len = std::mem::size_of::<sockaddr_conn>() as libc::socklen_t;
    let a = addr(end_a(), local);
    assert_eq!(
        usrsctp_bind(s, (&a as *const sockaddr_conn).cast_mut().cast(), len),
        0
    );
    let to = addr(end_a(), port);
    usrsctp_connect(s, (&to as *const sockaddr_conn).cast_mut().cast(), len);
    let tag = A_TAGS.lock().unwrap().last().copied().unwrap_or(0);
    (s, tag)
}

/// One SCTP packet from port 5001 to `port` with `tag` and a valid checksum.
fn packet(port: u16, tag: u32, chunks: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(12 + chunks.len());
    p.extend_from_slice(&5001u16.to_be_bytes());
    p.extend_from_slice(&port.to_be_bytes());
    p.extend_from_slice(&tag.to_be_bytes());
    p.extend_from_slice(&[0; 4]);
    p.extend_from_slice(chunks);
    usrsctp::wire::crc::set_checksum(&mut p);
    p
}

static INJECTED: AtomicUsize = AtomicUsize::new(0);

fn inject_to_a(bytes: &[u8]) {
    INJECTED.fetch_add(1, Ordering::SeqCst);
    usrsctp_conninput(end_a(), bytes.as_ptr().cast(), bytes.len(), 0);
}

/// Packets the stack has received so far (`sctps_recvpackets`).
fn received_packets() -> u32 {
    // SAFETY: zero is valid for every field of the counters.
    let mut stat: usrsctp::ffi::types::sctpstat = unsafe { std::mem::zeroed() };
    usrsctp::ffi::lifecycle::usrsctp_get_stat(&mut stat);
    stat.sctps_recvpackets
}

/// The stack still works: a new association carries a message to the server.
fn still_works(local: u16, port: u16) {
    let lst = listener(port);
    let (cli, _) = client(local, port);
    pump(Duration::from_millis(50), Duration::from_secs(5));
    let acc = usrsctp_accept(lst, std::ptr::null_mut(), std::ptr::null_mut());
    assert!(!acc.is_null(), "no association after the corpus");
    let sent = usrsctp_sendv(
        cli,
        b"alive".as_ptr().cast(),
        5,
        std::ptr::null_mut(),
        0,
        std::ptr::null_mut(),
        0,
        SCTP_SENDV_NOINFO as u32,
        0,
    );
    assert_eq!(sent, 5);
    pump(Duration::from_millis(50), Duration::from_secs(5));
    let mut buf = [0u8; 16];
    let mut info = [0u8; std::mem::size_of::<sctp_rcvinfo>()];
    let (mut infolen, mut infotype, mut flags) = (0 as libc::socklen_t, 0u32, 0);
    usrsctp_set_non_blocking(acc, 1);
    let n = usrsctp_recvv(
        acc,
        buf.as_mut_ptr().cast(),
        buf.len(),
        std::ptr::null_mut(),
        std::ptr::null_mut(),
        info.as_mut_ptr().cast(),
        &mut infolen,
        &mut infotype,
        &mut flags,
    );
    assert_eq!(&buf[..n.max(0) as usize], b"alive");
    for s in [cli, acc, lst] {
        usrsctp_close(s);
    }
}

#[test]
fn corpus_through_usrsctp_conninput() {
    let (Some(listen), Some(connect), Some(fragment)) = (
        files("CORPUS_LISTEN"),
        files("CORPUS_CONNECT"),
        files("CORPUS_FRAGMENT"),
    ) else {
        return;
    };
    std::panic::set_hook(Box::new(|info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        eprintln!("panic: {info}");
    }));
    usrsctp_init(0, Some(conn_output), None);
    usrsctp_register_address(end_a());
    usrsctp_register_address(end_b());

    // CORPUS_LISTEN: whole packets to a listening socket (checksum made valid).
    let lst = listener(5001);
    for (_, bytes) in &listen {
        let raw = undump(bytes).unwrap_or_else(|| bytes.clone());
        if raw.len() >= 12 {
            let p = packet(
                5001,
                u32::from_be_bytes([raw[4], raw[5], raw[6], raw[7]]),
                &raw[12..],
            );
            usrsctp_conninput(end_b(), p.as_ptr().cast(), p.len(), 0);
        }
        pump(Duration::from_millis(5), Duration::from_secs(1));
    }
    usrsctp_close(lst);

    let before = received_packets();
    // CORPUS_CONNECT: one packet each to a client in COOKIE-WAIT, and to an established one.
    let lst = listener(5001);
    let mut port = 20000u16;
    for (_, bytes) in &connect {
        let Some(chunks) = bytes.get(1..).filter(|c| c.len() <= 65_535 - 12) else {
            continue;
        };
        for established in [false, true] {
            port += 1;
            let (cli, tag) = client(port, 5001);
            if established {
                pump(Duration::from_millis(5), Duration::from_secs(2));
            } else {
                WIRE.lock().unwrap().clear();
            }
            inject_to_a(&packet(port, tag, chunks));
            pump(Duration::from_millis(5), Duration::from_secs(1));
            usrsctp_close(cli);
        }
    }
    // CORPUS_FRAGMENT: one chunk per packet to an established client.
    for (_, bytes) in &fragment {
        port += 1;
        let (cli, tag) = client(port, 5001);
        pump(Duration::from_millis(5), Duration::from_secs(2));
        for c in split_chunks(bytes) {
            inject_to_a(&packet(port, tag, c));
        }
        pump(Duration::from_millis(5), Duration::from_secs(1));
        usrsctp_close(cli);
    }
    let injected = INJECTED.load(Ordering::SeqCst);
    let received = received_packets().wrapping_sub(before) as usize;
    println!("{injected} corpus packets injected; the stack received {received} packets");
    assert!(
        received >= injected,
        "the stack counted {received} packets, fewer than the {injected} injected"
    );
    // Accepted sockets of the listener are closed with it.
    loop {
        usrsctp_set_non_blocking(lst, 1);
        let acc = usrsctp_accept(lst, std::ptr::null_mut(), std::ptr::null_mut());
        if acc.is_null() {
            break;
        }
        usrsctp_close(acc);
    }
    usrsctp_close(lst);

    still_works(6000, 6001);
    assert_eq!(
        PANICS.load(Ordering::SeqCst),
        0,
        "panics inside the library"
    );
    let start = Instant::now();
    while usrsctp_finish() != 0 {
        pump(Duration::from_millis(1), Duration::from_millis(20));
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "usrsctp_finish kept failing: associations never ended"
        );
    }
    let _ = std::panic::take_hook();
}
