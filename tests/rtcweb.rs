//! WebRTC data channels over our library: Debian's prebuilt `rtcweb` example
//! (`/usr/lib/usrsctp/rtcweb`, package `libusrsctp-examples`) runs on our library through
//! `LD_LIBRARY_PATH` against `rtcweb` on Debian's libusrsctp, over UDP encapsulation on
//! loopback, in both directions (and each library against itself as the baseline).
//!
//! `rtcweb` is a small data-channel stack (the DCEP of RFC 8832 over one SCTP association): a
//! channel is opened with a DATA_CHANNEL_OPEN message on a free stream pair, closed with an
//! outgoing stream reset that the peer answers with its own (RFC 6525, RFC 8831 §6.7), and when
//! the streams run out it asks for more with SCTP_ADD_STREAMS. Partially reliable channels send
//! with PR-SCTP policies (RFC 3758). So one dialogue exercises the extensions WebRTC relies on.
//!
//! Commands (stdin): `open unordered pr_policy pr_value`, `send channel:text`, `close channel`,
//! `status`. The server is `rtcweb 11111 22222 5001`, the client `rtcweb 22222 11111 127.0.0.1
//! 5001` (UDP port, peer's UDP port, SCTP address and port). Every run happens in its own
//! network namespace holding only `lo` (tests/support/dropin.rs); every wait is bounded.

#[path = "support/dropin.rs"]
#[allow(dead_code)]
mod dropin;

use dropin::{Pair, Run, P};
use std::time::{Duration, Instant};

const STEP: Duration = Duration::from_secs(10);
const SERVER_UDP: u16 = 11111;
/// libusrsctp's value of SCTP_PR_SCTP_TTL and SCTP_PR_SCTP_RTX, as `rtcweb` takes them.
const PR_TTL: u32 = 1;
const PR_RTX: u32 = 3;

/// Both programs print this once a stream reset of `stream` (both directions) is done.
fn expect_reset(run: &mut Run, p: P, stream: u16) {
    run.expect_stdout(
        p,
        &format!("Stream reset event: flags = 1, incoming stream ids = {stream}."),
        STEP,
    );
    run.expect_stdout(
        p,
        &format!("Stream reset event: flags = 2, outgoing stream ids = {stream}."),
        STEP,
    );
}

fn expect_received(run: &mut Run, p: P, channel: u32, text: &str) {
    run.expect_stdout(
        p,
        &format!(
            "Message received of length {} on channel with id {channel}: {text}\n",
            text.len()
        ),
        STEP,
    );
}

/// Opens a channel on `p` and waits until both ends list it as open (the peer's
/// DATA_CHANNEL_ACK arrived; before that, rtcweb refuses to send on it).
fn open(run: &mut Run, p: P, peer: P, unordered: bool, policy: u32, value: u32, id: u32) {
    run.send_line(
        p,
        &format!("open {} {policy} {value}", u32::from(unordered)),
    );
    run.expect_stdout(p, &format!("Channel with id {id} created."), STEP);
    for q in [p, peer] {
        wait_status(run, q, &format!("Channel with id = {id}: state OPEN"));
    }
}

/// Asks `p` for its status until the answer holds `needle` (only answers given after the call
/// count, so an earlier channel with the same id does not).
fn wait_status(run: &mut Run, p: P, needle: &str) {
    let deadline = Instant::now() + STEP;
    loop {
        let start = run.stdout(p).len();
        run.send_line(p, "status");
        let seen = run.output_within(p, Duration::from_millis(300), |o| {
            o.stdout.get(start..).is_some_and(|s| s.contains(needle))
        });
        if seen {
            return;
        }
        if Instant::now() >= deadline {
            run.check(false, &format!("status with {needle:?} within {STEP:?}"));
        }
    }
}

fn dialogue(title: &str, pair: Pair) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let server = run.start("server", pair.server, "rtcweb", &["11111", "22222", "5001"]);
    run.wait_udp_port(server, SERVER_UDP, STEP);
    let client = run.start(
        "client",
        pair.client,
        "rtcweb",
        &["22222", "11111", "127.0.0.1", "5001"],
    );
    for p in [server, client] {
        run.expect_stdout(p, "SCTP_COMM_UP", STEP);
    }
    // Both libraries offer stream reconfiguration and PR-SCTP; rtcweb needs both. (The line is
    // printed by the receive thread one word per printf while the main thread may print
    // "Connected to" between any two: look for each word, not the line.)
    for p in [server, client] {
        run.expect_stdout(p, " PR", STEP);
        run.expect_stdout(p, " RE-CONFIG", STEP);
    }
    run.expect_stdout(client, "Connected to 127.0.0.1:5001.", STEP);
    // rtcweb prints "Connected to" before its main thread stores the socket where the receive
    // thread finds it; a DATA_CHANNEL_OPEN arriving in between is answered with EBADF
    // ("getsockopt: Bad file descriptor") and the channel never opens. A status answer comes
    // from the main thread after the store, so once both have answered, both are ready.
    for p in [server, client] {
        wait_status(&mut run, p, "Association state: ESTABLISHED");
    }

    // The server opens a reliable ordered channel; data both ways.
    open(&mut run, server, client, false, 0, 0, 0);
    run.send_line(server, "send 0:hello from server");
    expect_received(&mut run, client, 0, "hello from server");
    run.send_line(client, "send 0:hello from client");
    expect_received(&mut run, server, 0, "hello from client");

    // The client opens an unordered channel with a lifetime, then five with a retransmission
    // limit: the five streams of the handshake run out, so rtcweb adds streams (in and out) one
    // by one with SCTP_ADD_STREAMS, and both sides see each change.
    open(&mut run, client, server, true, PR_TTL, 2000, 1);
    for (id, rtx) in (2..=6).zip(1..) {
        open(&mut run, client, server, false, PR_RTX, rtx, id);
    }
    for p in [server, client] {
        run.expect_stdout(
            p,
            "Stream change event: streams (in/out) = (8/8), flags = 0.",
            STEP,
        );
    }
    run.send_line(client, "send 6:on the added stream");
    expect_received(&mut run, server, 6, "on the added stream");
    run.send_line(client, "send 1:unordered with a lifetime");
    expect_received(&mut run, server, 1, "unordered with a lifetime");
    run.send_line(server, "send 3:limited retransmissions");
    expect_received(&mut run, client, 3, "limited retransmissions");

    // Closing a channel resets its outgoing stream; the peer resets its own in answer. The client
    // closes channel 6 (stream 7), the server channel 0 (stream 1).
    run.send_line(client, "close 6");
    expect_reset(&mut run, client, 7);
    expect_reset(&mut run, server, 7);
    run.send_line(server, "close 0");
    expect_reset(&mut run, server, 1);
    expect_reset(&mut run, client, 1);

    // The freed stream pair is used again: after the reset its sequence numbers start at 0, or
    // the receiver would hold the message back.
    open(&mut run, client, server, false, 0, 0, 0);
    run.send_line(client, "send 0:again on stream one");
    expect_received(&mut run, server, 0, "again on stream one");
    run.send_line(server, "send 0:and back");
    expect_received(&mut run, client, 0, "and back");

    // The status lists the reopened channel and the one on an added stream, and no longer
    // channel 6 (closed).
    for p in [server, client] {
        let start = run.stdout(p).len();
        run.send_line(p, "status");
        let listed = [
            "Number of streams (i/o) = (8/8)",
            "Channel with id = 0: state OPEN, flags = 0x00000000, stream id (in/out): (1/1), \
             ordered, reliable.",
            "Channel with id = 5: state OPEN, flags = 0x00000000, stream id (in/out): (6/6), \
             ordered, unreliable (max. 4 rtx).",
        ];
        run.wait_for(p, "the status after the closes", STEP, |o| {
            let answer = o.stdout.get(start..).unwrap_or("");
            listed.iter().all(|l| answer.contains(l))
        });
        // A channel 6 line would follow channel 5's at once.
        std::thread::sleep(Duration::from_millis(300));
        let answer = run.stdout(p).get(start..).unwrap_or("").to_string();
        run.check(
            !answer.contains("Channel with id = 6:"),
            "channel 6 is still listed after its close",
        );
    }

    // End of input: the server closes its socket, the association shuts down in order.
    run.close_stdin(server);
    for p in [server, client] {
        run.expect_stdout(p, "SCTP_SHUTDOWN_COMP", STEP);
    }
    run.expect_success(server, STEP);
    run.close_stdin(client);
    run.expect_success(client, STEP);
    run.finish();
}

#[test]
fn debian() {
    dialogue("rtcweb::debian", Pair::DEBIAN);
}

#[test]
fn ours() {
    dialogue("rtcweb::ours", Pair::OURS);
}

#[test]
fn mixed_ours_server() {
    dialogue("rtcweb::mixed_ours_server", Pair::OURS_SERVER);
}

#[test]
fn mixed_ours_client() {
    dialogue("rtcweb::mixed_ours_client", Pair::OURS_CLIENT);
}
