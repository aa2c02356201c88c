//! AUTH (RFC 4895) against Debian's libusrsctp 0.9.5 over UDP encapsulation on loopback: two
//! copies of `tests/programs/auth_peer.c` (built here against `/usr/include/usrsctp.h`), each
//! requiring DATA to be authenticated and using shared key 1 set with SCTP_AUTH_KEY, run in a
//! network namespace of their own, each on the library of the test's choice (see
//! `tests/support/dropin.rs`).
//!
//! With the same key both ways, three messages go each way, each side sees the other ask for
//! DATA (and ASCONF, ASCONF-ACK) to be authenticated and reports the peer's key 1
//! (SCTP_AUTH_NEW_KEY). With different keys, no message gets through. Every pairing of the two
//! libraries is run; the Debian pair validates the checks.
//!
//! Skipped (passing, with a message) where the drop-in tests are: not root, no `unshare`, no
//! Debian library or programs, or no C compiler.

// Not every helper of the drop-in runner is used here.
#[allow(dead_code)]
#[path = "support/dropin.rs"]
mod dropin;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use dropin::{matching_lines, Pair, Run};

const STEP: Duration = Duration::from_secs(10);
const SERVER_UDP: u16 = 11111;

/// `auth_peer`, compiled once per test run; `None` without a C compiler.
fn auth_peer() -> Option<&'static Path> {
    static PROGRAM: OnceLock<Option<PathBuf>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("auth_interop");
            std::fs::create_dir_all(&dir).ok()?;
            let out = dir.join("auth_peer");
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/auth_peer.c");
            // Against the system header and library, as Debian's own programs are built.
            let result = Command::new("cc")
                .arg(&source)
                .args(["-O1", "-Wall", "-Werror", "-o"])
                .arg(&out)
                .args(["-lusrsctp", "-lpthread"])
                .env_remove("LIBRARY_PATH")
                .output();
            match result {
                Ok(r) if r.status.success() => Some(out),
                Ok(r) => panic!(
                    "building auth_peer failed:\n{}",
                    String::from_utf8_lossy(&r.stderr)
                ),
                Err(e) => {
                    eprintln!("skipped: no C compiler ({e})");
                    None
                }
            }
        })
        .as_deref()
}

/// A run of a server and a client with keys `server_key` and `client_key`.
fn start(
    title: &str,
    pair: Pair,
    server_key: &str,
    client_key: &str,
) -> Option<(Run, dropin::P, dropin::P)> {
    let mut run = Run::new(title)?;
    let program = auth_peer()?.to_str().expect("UTF-8 path");
    let s = run.start(
        "server",
        pair.server,
        program,
        &["server", "11111", "22222", server_key, "3"],
    );
    run.wait_udp_port(s, SERVER_UDP, STEP);
    run.expect_stdout(s, "listening", STEP);
    let c = run.start(
        "client",
        pair.client,
        program,
        &["client", "22222", "11111", client_key, "3"],
    );
    Some((run, s, c))
}

fn shared_key(pair: Pair, title: &str) {
    let Some((mut run, s, c)) = start(title, pair, "a shared secret", "a shared secret") else {
        return;
    };
    run.expect_success(c, STEP);
    run.expect_success(s, STEP);
    for p in [s, c] {
        let out = run.stdout(p);
        let ok = out.contains("peer-chunks 00 80 c1\n") && out.contains("auth 1/1\n");
        run.check(
            ok,
            "the peer asks for DATA, ASCONF-ACK, ASCONF; its key 1 is reported",
        );
    }
    let pings = matching_lines(&run.stdout(s), "recv ping {}").len();
    let pongs = matching_lines(&run.stdout(c), "recv pong {}").len();
    run.check(pings == 3 && pongs == 3, "three messages each way");
    run.finish();
}

fn mismatched_keys(pair: Pair, title: &str) {
    let Some((mut run, s, c)) = start(title, pair, "the server's key", "the client's key") else {
        return;
    };
    // The handshake completes (it is not authenticated), DATA is sent and retransmitted but
    // never accepted: within a few seconds nothing has been read on either side.
    run.expect_stdout(c, "peer-chunks 00 80 c1", STEP);
    let got_any = run.output_within(s, Duration::from_secs(4), |o| o.stdout.contains("recv "));
    run.check(
        !got_any,
        "no message gets through with a key the server does not share",
    );
    run.check(
        !run.stdout(c).contains("recv "),
        "nothing comes back to the client",
    );
    run.stop(c);
    run.stop(s);
    run.finish();
}

macro_rules! pairing {
    ($name:ident, $pair:expr) => {
        mod $name {
            use super::*;

            #[test]
            fn shared_key_both_ways() {
                shared_key($pair, concat!(stringify!($name), ": shared key"));
            }

            #[test]
            fn mismatched_keys_get_nothing_through() {
                mismatched_keys($pair, concat!(stringify!($name), ": mismatched keys"));
            }
        }
    };
}

pairing!(debian, Pair::DEBIAN);
pairing!(ours, Pair::OURS);
pairing!(mixed_ours_server, Pair::OURS_SERVER);
pairing!(mixed_ours_client, Pair::OURS_CLIENT);
