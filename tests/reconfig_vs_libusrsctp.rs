//! Stream reconfiguration against Debian's libusrsctp 0.9.5 over UDP encapsulation on loopback:
//! `programs/reconfig_peer.c`, built against Debian's header, runs as server and client, each on
//! the library of our choice, in a fresh network namespace holding only `lo`
//! (`tests/support/dropin.rs`). The closer resets its outgoing stream 1, the other end sees
//! SCTP_STREAM_RESET_EVENT (INCOMING_SSN, stream 1) and answers by resetting its own, as a WebRTC
//! data channel closes; both then send on the reset stream again and the first message each
//! receives there has SSN 0.
//!
//! Every pairing of the two libraries runs, with either end closing; `debian_client_closes` is
//! the baseline that validates the program. The program is built in a folder whose path does not
//! contain "libusrsctp" (the check of the loaded library looks for that name in the memory map).
//! Skipped (passing, with a message) where the drop-in tests are: not root, no `unshare`, no
//! Debian library or examples.

#[path = "support/dropin.rs"]
#[allow(dead_code)]
mod dropin;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use dropin::{Pair, Run};

const STEP: Duration = Duration::from_secs(20);

/// The program, compiled once against `/usr/include/usrsctp.h` and Debian's library (which
/// `LD_LIBRARY_PATH` replaces by ours at run time).
fn program() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reconfig_interop");
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("reconfig_peer");
        let result = Command::new("cc")
            .arg(root.join("programs/reconfig_peer.c"))
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-o"])
            .arg(&out)
            .arg("-lusrsctp")
            .output()
            .expect("cc");
        assert!(
            result.status.success(),
            "compiling reconfig_peer.c failed:\n{}",
            String::from_utf8_lossy(&result.stderr)
        );
        std::fs::canonicalize(&out).unwrap()
    })
}

fn close_channel(title: &str, pair: Pair, closer: &str) {
    let Some(env) = dropin::env() else {
        return;
    };
    // Our library is built on first use: before any program starts its time limit.
    env.our_lib_dir();
    let path = program().to_str().unwrap().to_string();
    let Some(mut run) = Run::new(title) else {
        return;
    };
    let args = |role| ["-r", role, "-c", closer, "-t", "60"];
    let s = run.start("server", pair.server, &path, &args("server"));
    run.expect_stdout(s, "listening", STEP);
    run.wait_udp_port(s, 9900, STEP);
    let c = run.start("client", pair.client, &path, &args("client"));
    run.expect_success(c, STEP);
    run.expect_success(s, STEP);
    for (p, closes) in [(s, closer == "server"), (c, closer == "client")] {
        let out = run.stdout(p);
        run.check(
            out.contains("received pre-2 on stream 1 ssn 2"),
            "the messages before the reset came in order",
        );
        // Who reset first, and who answered.
        let (first, second) = if closes {
            ("close: reset outgoing 1", "peer reset stream 1")
        } else {
            ("peer reset stream 1", "answer: reset outgoing 1")
        };
        let a = out.find(first);
        let b = out.find(second);
        run.check(
            a.is_some() && b.is_some() && a < b,
            &format!("{first:?} then {second:?}"),
        );
        run.check(
            out.contains("stream reset event flags 0x1 streams 1")
                && out.contains("stream reset event flags 0x2 streams 1"),
            "both stream reset notifications, INCOMING_SSN and OUTGOING_SSN, for stream 1",
        );
        run.check(
            out.contains("received post on stream 1 ssn 0"),
            "the new channel's first message arrived with SSN 0",
        );
        run.check(!out.contains("error"), "no error");
    }
    run.finish();
}

macro_rules! pairings {
    ($($name:ident: $pair:expr, $closer:expr;)*) => {
        $(
            #[test]
            fn $name() {
                close_channel(stringify!($name), $pair, $closer);
            }
        )*
    };
}

pairings! {
    debian_client_closes: Pair::DEBIAN, "client";
    ours_client_closes: Pair::OURS, "client";
    ours_server_debian_client_client_closes: Pair::OURS_SERVER, "client";
    ours_server_debian_client_server_closes: Pair::OURS_SERVER, "server";
    ours_client_debian_server_client_closes: Pair::OURS_CLIENT, "client";
    ours_client_debian_server_server_closes: Pair::OURS_CLIENT, "server";
}
