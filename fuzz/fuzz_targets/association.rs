//! Arbitrary packet sequences against an established association: our client endpoint on
//! AF_CONN port 5000 connects to a fake peer on port 5001, which sets the association up as
//! the input's first byte says (the flag byte of the usrsctp corpus's CORPUS_CONNECT files),
//! then the rest of the input is a small program of packets, time advances, user sends and
//! relative DATA / SACK / FORWARD-TSN chunks (see `run_program` in
//! `tests/support/hostile.rs`, shared with `tests/corpus_engine.rs`). Afterwards the timers
//! run for a few minutes with a cooperating peer, and the association must be closed, or
//! established and able to send and receive; memory stays within the configured buffers.
//!
//! A panic in the engine is a crash; so is any violated invariant. Known engine bugs that are
//! fail the run unless HOSTILE_TOLERANT=1 is set.
//!
//! Seeds: a CORPUS_CONNECT file `flags, chunks...` becomes `flags, 0, len u16, chunks...`.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/support/hostile.rs"]
mod hostile;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = hostile::run_program(data, 1) {
        panic!("{e}");
    }
});
