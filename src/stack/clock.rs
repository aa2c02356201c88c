//! The stack's monotonic clock: microseconds since the first use in this process.

use std::sync::OnceLock;

use crate::types::Instant;

static ORIGIN: OnceLock<std::time::Instant> = OnceLock::new();

fn origin() -> std::time::Instant {
    *ORIGIN.get_or_init(std::time::Instant::now)
}

/// Now, on the clock the engine's timers use.
pub fn now() -> Instant {
    Instant::from_micros(origin().elapsed().as_micros() as u64)
}

/// The operating system's instant for an engine instant.
pub fn to_std(t: Instant) -> std::time::Instant {
    origin() + std::time::Duration::from_micros(t.as_micros())
}
