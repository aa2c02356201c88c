//! One association (the TCB of RFC 9260): its state machine, handshake, paths, timers, and the
//! glue between the receive and send sides. Sans-IO: time is an argument, output is polled.

pub mod capabilities;
pub mod config;
pub mod event;
pub mod handshake;
pub mod output;
pub mod path;
pub mod state;
pub mod timer;
