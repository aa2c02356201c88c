//! Drop-in proof: Debian's prebuilt libusrsctp example programs (package `libusrsctp-examples`,
//! in `/usr/lib/usrsctp/`, linked against `libusrsctp.so.2`) run on our library through
//! `LD_LIBRARY_PATH`, and talk over the wire to the same programs on Debian's library.
//!
//! Each scenario below is one module; its tests name the configuration:
//! - `debian`: every program on Debian's library. The baseline, which validates the checks.
//! - `ours`: every program on our library.
//! - `mixed_ours_server`: the server (or passive peer) on ours, the client on Debian's.
//! - `mixed_ours_client`: the reverse.
//!
//! Programs made of one process (`ekr_loop`, `test_timer`, ...) have `debian` and `ours` only.
//! So `cargo test --test dropin debian` runs the baseline, `.. ours` everything that involves our
//! library, `.. echo::` one scenario.
//!
//! Every run happens in its own network namespace holding only `lo` (see
//! `tests/support/dropin.rs`), so the fixed ports of the programs never collide between tests.
//! SCTP travels in UDP (RFC 6951): servers take UDP port 11111 and send to 22222, clients the
//! reverse. The AF_CONN programs (`ekr_*`) carry SCTP packets over UDP sockets of their own.
//! Every wait is bounded; a failed check reports the output of every program of the run.
//!
//! Skipped (passing, with a message) when not root or when `unshare`, the programs or Debian's
//! library are missing. CI runs as root with all of them.

#[path = "support/dropin.rs"]
mod dropin;

use dropin::{matching_lines, Lib, Options, Output, Pair, Run, P};
use std::time::{Duration, Instant};

/// Time for one step of a dialogue (a handshake, an echo, an orderly end). Debian's library
/// needs milliseconds; the bound covers a lost first INIT (retransmitted after 1 s) and more.
const STEP: Duration = Duration::from_secs(10);
const SERVER_UDP: u16 = 11111;

/// Starts `server` with its UDP encapsulation port and its peer's, waits until it is bound, then
/// starts `client` towards 127.0.0.1 `sctp_port` from an ephemeral SCTP port.
fn start_pair(run: &mut Run, pair: Pair, server: &str, client: &str, sctp_port: &str) -> (P, P) {
    let s = run.start("server", pair.server, server, &["11111", "22222"]);
    run.wait_udp_port(s, SERVER_UDP, STEP);
    let c = run.start(
        "client",
        pair.client,
        client,
        &["127.0.0.1", sctp_port, "0", "22222", "11111"],
    );
    (s, c)
}

/// Waits until `count` lines of the program's stdout match `pattern` (`{}`: anything).
fn expect_lines(run: &mut Run, p: P, pattern: &str, count: usize, timeout: Duration) {
    let what = format!("{count} line(s) like {pattern:?}");
    run.wait_for(p, &what, timeout, |o: &Output| {
        matching_lines(&o.stdout, pattern).len() >= count
    });
}

/// What `client` prints about its association once it ended in order. (The programs print
/// "Association change " and the state with separate printf calls from two threads, so other
/// output can come between them, even inside one line: the checks look for the state name.)
fn check_client_association(run: &mut Run, client: P) {
    let out = run.stdout(client);
    run.check(
        out.contains("SCTP_COMM_UP"),
        "the client printed no SCTP_COMM_UP",
    );
    run.check(
        out.contains("SCTP_SHUTDOWN_COMP"),
        "the client printed no SCTP_SHUTDOWN_COMP",
    );
}

/// The peer addresses `client` printed after connecting (while the association lasts: not for
/// daytime, whose association may be gone by then). The main thread prints them while the
/// receive thread prints the COMM_UP notification, so that line may come between "Peer
/// addresses: " and the addresses ("Association change Peer addresses: SCTP_COMM_UP, ...\n
/// 127.0.0.1."): the addresses are looked for in the two lines that follow the words.
fn check_client_peer_addresses(run: &mut Run, client: P) {
    let out = run.stdout(client);
    let peers = out
        .split_once("Peer addresses: ")
        .map(|(_, after)| after.lines().take(2).collect::<Vec<_>>().join("\n"));
    run.check(
        peers.is_some_and(|l| l.contains("127.0.0.1")),
        "the client's peer addresses do not include 127.0.0.1",
    );
}

/// What `client_upcall` prints once it ended in order.
fn check_upcall_client(run: &mut Run, client: P) {
    let out = run.stdout(client);
    run.check(
        out.contains("socket connected\n"),
        "the client printed no \"socket connected\"",
    );
    run.check(
        out.contains("Client finished\n"),
        "the client did not finish",
    );
}

/// Sends two lines from `client` and waits for each to come back.
fn echo_two_lines(run: &mut Run, client: P) {
    for i in 1..=2 {
        let line = format!("drop-in echo {i}");
        run.send_line(client, &line);
        run.expect_stdout(client, &format!("{line}\n"), STEP);
    }
}

/// `echo_server 11111 22222` (SCTP port 7, one-to-many socket, blocking `usrsctp_recvv`, echoes
/// with `usrsctp_sendv`) and `client 127.0.0.1 7 0 22222 11111` (one-to-one socket, receive
/// callback, sends each stdin line, `usrsctp_shutdown` at end of input).
fn echo(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (server, client) = start_pair(&mut run, pair, "echo_server", "client", "7");
    run.expect_stdout(client, "SCTP_COMM_UP", STEP);
    echo_two_lines(&mut run, client);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_client_association(&mut run, client);
    check_client_peer_addresses(&mut run, client);
    for ssn in 0..2 {
        let pattern = format!(
            "Msg of length 15 received from ::ffff:127.0.0.1:{{}} on stream 0 with SSN {ssn} \
             and TSN {{}}, PPID 0, context 47, complete 1."
        );
        expect_lines(&mut run, server, &pattern, 1, STEP);
    }
    run.finish();
}

/// `echo_server 0 0` and `client 127.0.0.1 7 0 0 0`: the same echo with SCTP directly over
/// IP (raw sockets, which root may open) instead of UDP encapsulation.
fn echo_raw(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let server = run.start("server", pair.server, "echo_server", &["0", "0"]);
    // Nothing to wait for: a raw socket has no port. A client that comes too early has its
    // INIT retransmitted.
    std::thread::sleep(Duration::from_millis(300));
    let client = run.start(
        "client",
        pair.client,
        "client",
        &["127.0.0.1", "7", "0", "0", "0"],
    );
    run.expect_stdout(client, "SCTP_COMM_UP", STEP);
    echo_two_lines(&mut run, client);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_client_association(&mut run, client);
    for ssn in 0..2 {
        let pattern = format!(
            "Msg of length 15 received from ::ffff:127.0.0.1:{{}} on stream 0 with SSN {ssn} \
             and TSN {{}}, PPID 0, context 47, complete 1."
        );
        expect_lines(&mut run, server, &pattern, 1, STEP);
    }
    run.finish();
}

/// `echo_server_upcall 11111 22222` (non-blocking sockets driven by upcalls; prints what it
/// echoes) and `client_upcall 127.0.0.1 7 0 22222 11111` (non-blocking, upcall, polls stdin).
///
/// client_upcall sets its upcall only after `usrsctp_connect`; when the handshake completes
/// before that, "socket connected" comes with the next event, which may be the first echo. So
/// the tests do not wait for it before sending, and check it at the end.
fn echo_upcall(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (server, client) = start_pair(&mut run, pair, "echo_server_upcall", "client_upcall", "7");
    echo_two_lines(&mut run, client);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_upcall_client(&mut run, client);
    for ssn in 0..2 {
        let pattern = format!(
            "Msg of length 15 received from ::ffff:127.0.0.1:{{}} on stream 0 with SSN {ssn} \
             and TSN {{}}, PPID 0, context 47."
        );
        expect_lines(&mut run, server, &pattern, 1, STEP);
    }
    let out = run.stdout(server);
    run.check(
        out.contains("drop-in echo 1\n") && out.contains("drop-in echo 2\n"),
        "the server did not print the lines it echoed",
    );
    run.finish();
}

/// `discard_server 11111 22222` (SCTP port 9; Debian's build prints the stack's debug lines)
/// and `client 127.0.0.1 9 0 22222 11111`.
fn discard(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (server, client) = start_pair(&mut run, pair, "discard_server", "client", "9");
    run.expect_stdout(client, "SCTP_COMM_UP", STEP);
    run.send_line(client, "drop-in discard");
    run.send_line(client, "drop-in discard");
    let pattern = "Msg of length 16 received from ::ffff:127.0.0.1:{} on stream 0 with SSN {} \
                   and TSN {}, PPID 0, context 47, complete 1.";
    expect_lines(&mut run, server, pattern, 2, STEP);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_client_association(&mut run, client);
    check_client_peer_addresses(&mut run, client);
    let out = run.stdout(server);
    let lines = matching_lines(&out, pattern);
    run.check(
        lines[0].contains(" with SSN 0 ") && lines[1].contains(" with SSN 1 "),
        "the server's messages are not SSN 0 then SSN 1",
    );
    run.check(
        !run.stdout(client).contains("drop-in discard"),
        "the discard server answered",
    );
    run.finish();
}

/// `discard_server_upcall 11111 22222` and `client_upcall 127.0.0.1 9 0 22222 11111`.
fn discard_upcall(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (server, client) = start_pair(
        &mut run,
        pair,
        "discard_server_upcall",
        "client_upcall",
        "9",
    );
    let pattern = "Msg of length 16 received from ::ffff:127.0.0.1:{} on stream 0 with SSN {} \
                   and TSN {}, PPID 0, context 47.";
    // One line at a time: client_upcall polls stdin with select(2) but reads it with fgets(3),
    // so a second line already in stdio's buffer waits for more input.
    for count in 1..=2 {
        run.send_line(client, "drop-in discard");
        expect_lines(&mut run, server, pattern, count, STEP);
    }
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_upcall_client(&mut run, client);
    let out = run.stdout(server);
    let lines = matching_lines(&out, pattern);
    run.check(
        lines[0].contains(" with SSN 0 ") && lines[1].contains(" with SSN 1 "),
        "the server's messages are not SSN 0 then SSN 1",
    );
    run.finish();
}

/// A line as `ctime(3)` writes it: `Tue Nov 24 05:22:01 2026`.
fn is_ctime_line(line: &str) -> bool {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let f: Vec<&str> = line.split_whitespace().collect();
    f.len() == 5
        && DAYS.contains(&f[0])
        && MONTHS.contains(&f[1])
        && f[2].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
        && f[3].split(':').count() == 3
        && f[3]
            .split(':')
            .all(|n| n.len() == 2 && n.parse::<u8>().is_ok())
        && f[4].len() == 4
        && f[4].parse::<u16>().is_ok()
}

fn has_ctime_line(o: &Output) -> bool {
    o.stdout.lines().any(is_ctime_line)
}

/// `daytime_server 11111 22222` (SCTP port 13: sends the time, closes) and
/// `client 127.0.0.1 13 0 22222 11111`. The client calls `exit` from its receive callback on
/// SCTP_SHUTDOWN_COMP, which glibc completes only once the main thread leaves `fgets`: the test
/// closes the client's stdin after the time arrived.
fn daytime(title: &str, pair: Pair) {
    daytime_with(title, pair, "daytime_server");
}

/// `daytime_server_upcall 11111 22222` (non-blocking listener, accepts from an upcall) and
/// `client 127.0.0.1 13 0 22222 11111`. Not with client_upcall: the daytime dialogue is over
/// within a millisecond, and when that is before client_upcall sets its upcall (see
/// [`echo_upcall`]) no event is left to wake it.
fn daytime_upcall(title: &str, pair: Pair) {
    daytime_with(title, pair, "daytime_server_upcall");
}

fn daytime_with(title: &str, pair: Pair, server: &str) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (_server, client) = start_pair(&mut run, pair, server, "client", "13");
    run.wait_for(client, "line with the time of day", STEP, has_ctime_line);
    run.expect_stdout(client, "SCTP_SHUTDOWN_COMP", STEP);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_client_association(&mut run, client);
    run.finish();
}

/// What chargen_server_upcall sends in each message: the characters 32 to 125.
fn chargen_pattern() -> String {
    (32u8..126).map(char::from).collect()
}

/// `chargen_server_upcall 11111 22222` (SCTP port 19: sends the pattern on every
/// SCTP_EVENT_WRITE until the peer closes; prints the size of what it reads) and
/// `client_upcall 127.0.0.1 19 0 22222 11111`.
fn chargen_upcall(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let (server, client) = start_pair(
        &mut run,
        pair,
        "chargen_server_upcall",
        "client_upcall",
        "19",
    );
    let pattern = chargen_pattern();
    // The server sets the upcall of an accepted socket after `usrsctp_accept`: when the socket
    // became writable before that, no SCTP_EVENT_WRITE comes and it sends nothing until
    // something else happens on the socket. A line from the client is such a thing (the server
    // reads it, then sends): one a second until the first message arrives.
    let arrived = |o: &Output| o.stdout.contains(pattern.as_str());
    for attempt in 1.. {
        run.send_line(client, "drop-in chargen");
        if run.output_within(client, Duration::from_secs(1), arrived) {
            break;
        }
        if attempt == 10 {
            run.fail("no chargen message within 10 s, with a line sent every second");
        }
    }
    run.wait_for(client, "3 chargen messages", STEP, |o| {
        o.stdout.matches(pattern.as_str()).count() >= 3
    });
    run.close_stdin(client);
    run.expect_success(client, STEP);
    check_upcall_client(&mut run, client);
    // The client writes each message with write(2), its own lines with stdio: less the
    // messages, only those lines may remain. A torn or corrupted message would leave pieces.
    // (Its upcall thread's "socket connected" may land inside the main thread's address lines,
    // which stdio collects piece by piece.)
    let out = run.stdout(client);
    let messages = out.matches(pattern.as_str()).count();
    let rest = out
        .replace(pattern.as_str(), "")
        .replace("socket connected\n", "");
    let known = [
        "Local addresses: ",
        "Peer addresses: ",
        "Number of packets (sent/received): ",
        "Client finished",
    ];
    let stray: Vec<&str> = rest
        .lines()
        .filter(|l| !known.iter().any(|k| l.starts_with(k)))
        .collect();
    run.check(
        stray.is_empty(),
        &format!("the client printed more than chargen messages and its own lines: {stray:?}"),
    );
    run.note(format!("the client received {messages} chargen messages"));
    expect_lines(
        &mut run,
        server,
        "connection accepted from socket {}",
        1,
        STEP,
    );
    expect_lines(&mut run, server, "data of size 16 received", 1, STEP);
    expect_lines(&mut run, server, "client socket {} closed", 1, STEP);
    run.finish();
}

/// Messages and size for tsctp: a million small messages take Debian's library about 10 s on
/// loopback (both programs print the stack's debug lines for every message, about 400 MB).
const TSCTP_MESSAGES: &str = "1000000";
const TSCTP_LENGTH: &str = "10";
/// The message count as it appears in the server's summary line.
const TSCTP_SUMMARY_WATCH: &str = ", 1000000, ";

/// `tsctp -E 11111 -p 5001` (server: accepts, a thread counts with `usrsctp_recvv`) and
/// `tsctp -E 22222 -U 11111 -p 5001 -n 1000000 -l 10 127.0.0.1` (client: blocking
/// `usrsctp_sendv` of every message, the last with SCTP_EOF).
fn tsctp(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let quiet = |watch: &'static [&'static str]| Options {
        line_buffered: false,
        watch,
    };
    let server = run.start_with(
        "server",
        pair.server,
        "tsctp",
        &["-E", "11111", "-p", "5001"],
        // A debug line can swallow the summary that follows it without a newline: keep it.
        quiet(&[TSCTP_SUMMARY_WATCH]),
    );
    run.wait_udp_port(server, SERVER_UDP, STEP);
    let started = Instant::now();
    let client = run.start_with(
        "client",
        pair.client,
        "tsctp",
        &[
            "-E",
            "22222",
            "-U",
            "11111",
            "-p",
            "5001",
            "-n",
            TSCTP_MESSAGES,
            "-l",
            TSCTP_LENGTH,
            "127.0.0.1",
        ],
        quiet(&["Sending of "]),
    );
    run.expect_success(client, Duration::from_secs(90));
    run.note(format!(
        "the client ended after {:.1} s",
        started.elapsed().as_secs_f64()
    ));
    let wanted = format!("Sending of {TSCTP_MESSAGES} messages of length {TSCTP_LENGTH} took ");
    run.check(
        run.stdout(client).contains(&wanted),
        "the client did not report sending every message",
    );
    // The server's summary: length of the first message, messages, recv calls, bytes,
    // seconds, throughput, notifications.
    let summary = format!("{TSCTP_LENGTH}, {TSCTP_MESSAGES}, ");
    assert_eq!(TSCTP_SUMMARY_WATCH, format!(", {TSCTP_MESSAGES}, "));
    run.wait_for(server, "the summary line", STEP, |o| {
        o.stdout.contains(&summary)
    });
    let out = run.stdout(server);
    let line = out
        .lines()
        .find_map(|l| l.find(&summary).map(|at| &l[at..]));
    let fields: Vec<&str> = line.unwrap_or_default().split(", ").collect();
    let number = |s: &str| s.parse::<u64>().expect("a number");
    let bytes = (number(TSCTP_MESSAGES) * number(TSCTP_LENGTH)).to_string();
    run.check(
        fields.len() == 7
            && fields[0] == TSCTP_LENGTH
            && fields[1] == TSCTP_MESSAGES
            && fields[2]
                .parse::<u64>()
                .is_ok_and(|calls| calls >= number(TSCTP_MESSAGES))
            && fields[3] == bytes
            && fields[6] == "0",
        &format!(
            "the server's summary is not {TSCTP_LENGTH}, {TSCTP_MESSAGES}, >=messages, {bytes}, \
             .., .., 0: {fields:?}"
        ),
    );
    run.finish();
}

/// First chunk type of each packet dumped by `usrsctp_dumppacket` (text2pcap lines
/// `I|O hh:mm:ss.uuuuuu 0000 <hex bytes> # SCTP_PACKET`), with its direction.
fn dumped_packets(text: &str) -> Vec<(char, u8)> {
    text.lines()
        .filter(|l| l.ends_with("# SCTP_PACKET"))
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let dir = f.next()?.chars().next()?;
            let _time = f.next()?;
            if f.next()? != "0000" {
                return None;
            }
            let chunk_type = u8::from_str_radix(f.nth(12)?, 16).ok()?;
            Some((dir, chunk_type))
        })
        .collect()
}

/// `ekr_server 127.0.0.1 6001 127.0.0.1 6002` and `ekr_client 127.0.0.1 6002 127.0.0.1 6001`:
/// AF_CONN sockets whose packets travel in the programs' own UDP sockets; the client sends one
/// 80-byte message (stream 1, PPID 39) and shuts down. Both dump every packet to stderr with
/// `usrsctp_dumppacket`.
fn ekr_server_client(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let server = run.start(
        "server",
        pair.server,
        "ekr_server",
        &["127.0.0.1", "6001", "127.0.0.1", "6002"],
    );
    run.wait_udp_port(server, 6001, STEP);
    let client = run.start(
        "client",
        pair.client,
        "ekr_client",
        &["127.0.0.1", "6002", "127.0.0.1", "6001"],
    );
    run.expect_success(client, STEP);
    expect_lines(
        &mut run,
        server,
        "Msg of length 80 received via {}:{} on stream 1 with SSN 0 and TSN {}, PPID 39, \
         context 0.",
        1,
        STEP,
    );
    const INIT: u8 = 1;
    const SHUTDOWN_COMPLETE: u8 = 14;
    let sent: Vec<u8> = dumped_packets(&run.stderr(client))
        .into_iter()
        .filter(|&(dir, _)| dir == 'O')
        .map(|(_, t)| t)
        .collect();
    run.check(
        sent.first() == Some(&INIT) && sent.last() == Some(&SHUTDOWN_COMPLETE),
        &format!("the client's dumps do not go from INIT to SHUTDOWN COMPLETE: {sent:?}"),
    );
    let received = dumped_packets(&run.stderr(server))
        .into_iter()
        .find(|&(dir, _)| dir == 'I');
    run.check(
        received == Some(('I', INIT)),
        "the server's dumps do not begin with an inbound INIT",
    );
    run.finish();
}

/// Two `ekr_peer`s (args: local address, local UDP port, remote address, remote UDP port, local
/// SCTP port, remote SCTP port), both connecting: `ekr_peer 127.0.0.1 6002 127.0.0.1 6001 5002
/// 5001` (peer B, the "server" of the configuration names, started first) and `ekr_peer
/// 127.0.0.1 6001 127.0.0.1 6002 5001 5002` (peer A, the "client"). Each sends a line; A's end
/// of input shuts the association down and A exits on SCTP_SHUTDOWN_COMP. B gets
/// SCTP_SHUTDOWN_COMP too but its `exit` from the callback waits for its `fgets`: B ends when
/// its stdin closes.
fn ekr_peer(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let b = run.start(
        "peer B",
        pair.server,
        "ekr_peer",
        &["127.0.0.1", "6002", "127.0.0.1", "6001", "5002", "5001"],
    );
    run.wait_udp_port(b, 6002, STEP);
    let a = run.start(
        "peer A",
        pair.client,
        "ekr_peer",
        &["127.0.0.1", "6001", "127.0.0.1", "6002", "5001", "5002"],
    );
    for p in [a, b] {
        run.expect_stdout(p, "SCTP_COMM_UP", STEP);
    }
    run.send_line(a, "drop-in peer A");
    run.send_line(b, "drop-in peer B");
    let from = |port: u16| {
        format!(
            "Msg of length 15 received via {{}}:{port} on stream 1 with SSN 0 and TSN {{}}, \
             PPID 39, context 0."
        )
    };
    expect_lines(&mut run, a, &from(5002), 1, STEP);
    expect_lines(&mut run, b, &from(5001), 1, STEP);
    run.close_stdin(a);
    run.expect_success(a, STEP);
    run.expect_stdout(b, "SCTP_SHUTDOWN_COMP", STEP);
    run.close_stdin(b);
    run.expect_success(b, STEP);
    run.check(
        run.stdout(a).contains("SCTP_SHUTDOWN_COMP"),
        "peer A printed no SCTP_SHUTDOWN_COMP",
    );
    run.finish();
}

/// One message as ekr_loop reports its pieces.
struct Received {
    bytes: usize,
    ordered: bool,
    ssn: u32,
}

/// The messages of ekr_loop's output, reassembled from the partial deliveries (`prefix` is
/// what precedes the length: `MSG RCV: length ` or `MSG RCV: Data length `).
fn ekr_loop_messages(run: &mut Run, out: &str, prefix: &str) -> Vec<Received> {
    let mut messages = Vec::new();
    let mut bytes = 0;
    for line in out.lines() {
        let Some(at) = line.find(prefix) else {
            continue;
        };
        // 35936, addr 0x7ffd..:5001, stream 1, SSN 0, TSN 1181988546, PPID 39, context 0,
        // ordered[, EOR].
        let f: Vec<&str> = line[at + prefix.len()..]
            .trim_end_matches('.')
            .split(", ")
            .collect();
        let ok = f.len() >= 8
            && f[2] == "stream 1"
            && f[5] == "PPID 39"
            && (f[7] == "ordered" || f[7] == "unordered");
        let length = f[0].parse::<usize>();
        let ssn = f.get(3).and_then(|s| s.strip_prefix("SSN ")?.parse().ok());
        let (Ok(length), Some(ssn), true) = (length, ssn, ok) else {
            run.fail(&format!("unexpected line: {line}"));
        };
        bytes += length;
        if f.get(8) == Some(&"EOR") {
            messages.push(Received {
                bytes,
                ordered: f[7] == "ordered",
                ssn,
            });
            bytes = 0;
        }
    }
    messages
}

/// `ekr_loop` / `ekr_loop_upcall` (no arguments): client and server in one process over AF_CONN,
/// packets through two UDP sockets on 127.0.0.1:9900 and 9901. Ten rounds, one per second, of
/// two 1 MiB messages on stream 1 (PPID 39), ordered and unordered in turn; the receiver's
/// buffer is 64 KiB, so every message arrives in partial deliveries. Then `usrsctp_shutdown`
/// and a loop on `usrsctp_finish` ("Waiting for usrsctp_finish()" is printed only when the
/// association is not gone yet: timing, not checked). Both sockets learn of the end of the
/// association: ekr_loop's receive callback gets NULL data, ekr_loop_upcall's upcall reads 0.
fn ekr_loop(title: &str, lib: Lib, upcall: bool) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let program = if upcall {
        "ekr_loop_upcall"
    } else {
        "ekr_loop"
    };
    let p = run.start("program", lib, program, &[]);
    run.expect_success(p, Duration::from_secs(40));
    let out = run.stdout(p);
    let prefix = if upcall {
        "MSG RCV: Data length "
    } else {
        "MSG RCV: length "
    };
    let messages = ekr_loop_messages(&mut run, &out, prefix);
    run.check(
        messages.len() == 20,
        &format!("{} messages received, not 20", messages.len()),
    );
    run.check(
        messages.iter().all(|m| m.bytes == 1 << 20),
        "a message does not have 1 MiB",
    );
    let ordered: Vec<u32> = messages
        .iter()
        .filter(|m| m.ordered)
        .map(|m| m.ssn)
        .collect();
    run.check(
        ordered == (0..10).collect::<Vec<u32>>(),
        &format!("the ordered messages have SSNs {ordered:?}, not 0 to 9"),
    );
    run.check(
        out.matches("Sending done, sleeping").count() == 10,
        "not ten rounds of sending",
    );
    let closed = if upcall {
        out.matches("Connection closed!").count()
    } else {
        out.matches("MSG RCV: (nil) received on sock = ").count()
    };
    run.check(
        closed == 2,
        &format!("{closed} sockets told of the end of the association, not 2"),
    );
    run.finish();
}

/// `test_timer`: `usrsctp_init(0, NULL, NULL)`, a million register/deregister of the NULL
/// address, `usrsctp_finish`. About 7 s on Debian's library.
fn test_timer(title: &str, lib: Lib) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let p = run.start("program", lib, "test_timer", &[]);
    run.expect_success(p, Duration::from_secs(60));
    run.check(
        run.stdout(p) == "Entering the loop\nExited the loop\n",
        "the program did not print its two lines",
    );
    run.finish();
}

/// How long test_libmgmt is watched.
const LIBMGMT_WINDOW: Duration = Duration::from_secs(5);

/// `test_libmgmt`: 10 000 rounds of `usrsctp_init(0, NULL, NULL)` and `usrsctp_finish`, and
/// nothing printed. On Debian's library, as root, a round takes about 110 ms (the threads it
/// starts include raw-socket receivers that notice the end only after their 100 ms receive
/// timeout), so the whole program needs about 18 minutes. It is watched for a few seconds: it
/// passes when it ends with status 0 within them, or when it is still cycling at their end (the
/// threads each round starts keep appearing: new thread ids in the last second). A program that
/// neither ends nor starts threads, or one that crashes, fails.
fn test_libmgmt(title: &str, lib: Lib) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let p = run.start_with(
        "program",
        lib,
        "test_libmgmt",
        &[],
        Options {
            line_buffered: false,
            watch: &[],
        },
    );
    let pid = run.pid(p);
    let start = Instant::now();
    let mut seen = std::collections::HashSet::new();
    let mut last_new = start;
    while start.elapsed() < LIBMGMT_WINDOW {
        if run.has_ended(p) {
            break;
        }
        if let Some(tids) = dropin::thread_ids(pid) {
            for tid in tids {
                if seen.insert(tid) {
                    last_new = Instant::now();
                }
            }
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    if run.has_ended(p) {
        run.expect_success(p, STEP);
        run.note(format!(
            "ended after {:.2} s",
            start.elapsed().as_secs_f64()
        ));
    } else {
        run.note(format!(
            "still running after {LIBMGMT_WINDOW:?}: {} threads seen, the last new one {:.2} s \
             before the end",
            seen.len(),
            last_new.elapsed().as_secs_f64()
        ));
        let cycling = seen.len() >= 8 && last_new.elapsed() < Duration::from_secs(1);
        run.check(
            cycling,
            &format!(
                "test_libmgmt neither ended within {LIBMGMT_WINDOW:?} nor kept cycling \
                 ({} threads seen, the last new one {:.2} s ago)",
                seen.len(),
                last_new.elapsed().as_secs_f64()
            ),
        );
        run.stop(p);
    }
    run.finish();
}

/// Runs a scenario with Debian's library in every program: the reference run, which shows that
/// the scenario's expectations hold for libusrsctp itself. libusrsctp 0.9.5 itself crashes now
/// and then under load (discard_server_upcall died of SIGSEGV in about one run of fifteen, its
/// client then hung): a run in which one of its programs died of a signal is tried once more.
/// Any other failure, and a second crash, fail the test.
fn reference_run(title: &str, scenario: impl Fn()) {
    let Err(first) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&scenario)) else {
        return;
    };
    let report = first
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    let crashed = report.lines().any(|l| {
        l.starts_with("=====")
            && l.contains(" on Debian's lib: signal: ")
            && !l.contains("(stopped by the test)")
    });
    if !crashed {
        std::panic::resume_unwind(first);
    }
    eprintln!("{title}: a program on Debian's library crashed; the reference run goes once more");
    scenario();
}

/// One module per two-program scenario, with a test per configuration.
macro_rules! pair_scenarios {
    ($($name:ident;)*) => {$(
        mod $name {
            use super::*;

            #[test]
            fn debian() {
                let title = concat!(stringify!($name), "::debian");
                super::reference_run(title, || super::$name(title, Pair::DEBIAN));
            }

            #[test]
            fn ours() {
                super::$name(concat!(stringify!($name), "::ours"), Pair::OURS);
            }

            #[test]
            fn mixed_ours_server() {
                super::$name(
                    concat!(stringify!($name), "::mixed_ours_server"),
                    Pair::OURS_SERVER,
                );
            }

            #[test]
            fn mixed_ours_client() {
                super::$name(
                    concat!(stringify!($name), "::mixed_ours_client"),
                    Pair::OURS_CLIENT,
                );
            }
        }
    )*};
}

/// One module per single-program scenario: `$run` is called with the title and the library.
macro_rules! single_scenarios {
    ($($name:ident => $run:expr;)*) => {$(
        mod $name {
            use super::*;

            #[test]
            fn debian() {
                let title = concat!(stringify!($name), "::debian");
                super::reference_run(title, || ($run)(title, Lib::Debian));
            }

            #[test]
            fn ours() {
                ($run)(concat!(stringify!($name), "::ours"), Lib::Ours);
            }
        }
    )*};
}

pair_scenarios! {
    echo;
    echo_raw;
    echo_upcall;
    discard;
    discard_upcall;
    daytime;
    daytime_upcall;
    chargen_upcall;
    tsctp;
    ekr_server_client;
    ekr_peer;
}

single_scenarios! {
    ekr_loop => |t, lib| super::ekr_loop(t, lib, false);
    ekr_loop_upcall => |t, lib| super::ekr_loop(t, lib, true);
    test_timer => super::test_timer;
    test_libmgmt => super::test_libmgmt;
}
