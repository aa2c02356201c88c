//! One association (the TCB of RFC 9260): its state machine, handshake, paths, timers, and the
//! glue between the receive and send sides. Sans-IO: time is an argument, output is polled.

pub mod asconf;
pub mod association;
pub mod auth;
pub mod capabilities;
pub mod config;
mod control;
pub mod data;
mod ecn;
pub mod event;
pub mod handshake;
pub mod output;
pub mod path;
pub mod pmtud;
pub mod prsctp;
pub mod reconfig;
mod settings;
pub mod state;
pub mod stats;
pub mod timer;

pub use association::{Association, PeerInit};
pub use config::Config;
pub use data::{SendError, SendOptions};
pub use event::Event;
pub use output::Transmit;
pub use state::State;
pub use stats::Counters;
