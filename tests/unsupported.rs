//! The C functions whose behaviour arrives with a later layer (socket layer, association
//! engine) answer -1 or NULL with `errno` EOPNOTSUPP. This test keeps their list: it finds
//! every entry point of `src/ffi` that calls `unsupported(` and compares the set with
//! [`STILL_UNSUPPORTED`]. The list may only shrink: remove a name when its function becomes
//! real; never add one. `c-tests/test_unsupported.c` calls each of them from C.

use std::collections::BTreeSet;
use std::path::Path;

/// At most this many; lower it as functions become real.
const CEILING: usize = 25;

const STILL_UNSUPPORTED: &[&str] = &[
    "usrsctp_accept",
    "usrsctp_bind",
    "usrsctp_bindx",
    "usrsctp_close",
    "usrsctp_connect",
    "usrsctp_connectx",
    "usrsctp_conninput",
    "usrsctp_get_events",
    "usrsctp_get_non_blocking",
    "usrsctp_get_ulpinfo",
    "usrsctp_getassocid",
    "usrsctp_getladdrs",
    "usrsctp_getpaddrs",
    "usrsctp_getsockopt",
    "usrsctp_listen",
    "usrsctp_opt_info",
    "usrsctp_peeloff",
    "usrsctp_recvv",
    "usrsctp_sendv",
    "usrsctp_set_non_blocking",
    "usrsctp_set_ulpinfo",
    "usrsctp_set_upcall",
    "usrsctp_setsockopt",
    "usrsctp_shutdown",
    "usrsctp_socket",
];

/// Names of the `extern "C"` functions in `source` whose body calls `unsupported(`.
fn unsupported_in(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut pieces = source.split("pub extern \"C\" fn ");
    pieces.next();
    for piece in pieces {
        let name: String = piece
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // The body ends where the next item's attribute begins.
        let body = piece.split("#[no_mangle]").next().unwrap_or(piece);
        if body.contains("unsupported(") {
            found.push(name);
        }
    }
    found
}

#[test]
fn the_list_of_unsupported_functions_only_shrinks() {
    let ffi = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut found = BTreeSet::new();
    for entry in std::fs::read_dir(&ffi).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") {
            found.extend(unsupported_in(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    let listed: BTreeSet<String> = STILL_UNSUPPORTED.iter().map(|s| s.to_string()).collect();
    let added: Vec<_> = found.difference(&listed).collect();
    assert!(
        added.is_empty(),
        "new unsupported functions (make them real instead): {added:?}"
    );
    let made_real: Vec<_> = listed.difference(&found).collect();
    assert!(
        made_real.is_empty(),
        "now supported, remove from STILL_UNSUPPORTED: {made_real:?}"
    );
    assert!(STILL_UNSUPPORTED.len() <= CEILING);

    let c_test = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("c-tests/test_unsupported.c"),
    )
    .expect("c-tests/test_unsupported.c");
    for name in STILL_UNSUPPORTED {
        assert!(
            c_test.contains(&format!("{name}(")),
            "c-tests/test_unsupported.c does not call {name}"
        );
    }
}
