//! ASCONF (RFC 5061) against Debian's libusrsctp 0.9.5 over UDP encapsulation on loopback: two
//! copies of `tests/programs/asconf_peer.c` (built here against `/usr/include/usrsctp.h`) in a
//! network namespace of their own whose `lo` also has 127.0.0.2, each on the library of the
//! test's choice (see `tests/support/dropin.rs`).
//!
//! The client, bound to 127.0.0.1, adds 127.0.0.2 with `usrsctp_bindx` and asks the server to
//! make it primary (SCTP_SET_PEER_PRIMARY_ADDR); the server reports the address added,
//! confirmed (by a heartbeat) and made primary (with port 0, as libusrsctp reports it), and the
//! messages before and after arrive. Every
//! pairing of the two libraries is run; the Debian pair validates the checks.
//!
//! Skipped (passing, with a message) where the drop-in tests are, or without a C compiler.

// Not every helper of the drop-in runner is used here.
#[allow(dead_code)]
#[path = "support/dropin.rs"]
mod dropin;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use dropin::{matching_lines, Lib, Pair, Run};

const STEP: Duration = Duration::from_secs(10);
const SERVER_UDP: u16 = 11111;

/// `asconf_peer`, compiled once per test run; `None` without a C compiler.
fn asconf_peer() -> Option<&'static Path> {
    static PROGRAM: OnceLock<Option<PathBuf>> = OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("asconf_interop");
            std::fs::create_dir_all(&dir).ok()?;
            let out = dir.join("asconf_peer");
            let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/asconf_peer.c");
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
                    "building asconf_peer failed:\n{}",
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

fn ip_tool() -> &'static str {
    ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .unwrap_or("ip")
}

fn add_and_make_primary(pair: Pair, title: &str) {
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let Some(program) = asconf_peer() else {
        return;
    };
    let program = program.to_str().expect("UTF-8 path");
    // libusrsctp only adds addresses of its interfaces.
    let setup = run.start(
        "setup",
        Lib::Debian,
        ip_tool(),
        &["addr", "add", "127.0.0.2/8", "dev", "lo"],
    );
    run.expect_success(setup, STEP);
    let s = run.start(
        "server",
        pair.server,
        program,
        &["server", "11111", "22222"],
    );
    run.wait_udp_port(s, SERVER_UDP, STEP);
    run.expect_stdout(s, "listening", STEP);
    let c = run.start(
        "client",
        pair.client,
        program,
        &["client", "22222", "11111"],
    );
    run.expect_success(c, STEP * 2);
    run.expect_success(s, STEP);
    let client = run.stdout(c);
    run.check(
        client.contains("auto_asconf -1 errno 22\n"),
        "SCTP_AUTO_ASCONF is EINVAL on a socket not bound to the wildcard address",
    );
    run.check(
        client.contains("bindx add 0\n") && client.contains("set peer primary 0\n"),
        "bindx and SCTP_SET_PEER_PRIMARY_ADDR succeed",
    );
    let server = run.stdout(s);
    let lines = |pattern: &str| matching_lines(&server, pattern).len();
    run.check(
        lines("paddr 127.0.0.2:5002 state 4 error 0") == 1,
        "the server reports 127.0.0.2 added (SCTP_ADDR_ADDED)",
    );
    run.check(
        lines("paddr 127.0.0.2:5002 state 6 error 0") == 1,
        "and confirmed (SCTP_ADDR_CONFIRMED)",
    );
    // With port 0, as the Set Primary parameter has it.
    run.check(
        lines("paddr 127.0.0.2:0 state 5 error 0") == 1,
        "and made primary (SCTP_ADDR_MADE_PRIM)",
    );
    run.check(
        server.contains("recv hello\n") && server.contains("recv bye\n"),
        "the messages before and after arrive",
    );
    run.finish();
}

#[test]
fn debian() {
    add_and_make_primary(Pair::DEBIAN, "debian: add and make primary");
}

#[test]
fn ours() {
    add_and_make_primary(Pair::OURS, "ours: add and make primary");
}

#[test]
fn mixed_ours_server() {
    add_and_make_primary(Pair::OURS_SERVER, "mixed_ours_server: add and make primary");
}

#[test]
fn mixed_ours_client() {
    add_and_make_primary(Pair::OURS_CLIENT, "mixed_ours_client: add and make primary");
}
