//! The timer thread: it sleeps until the earliest deadline of all groups, fires what is due and
//! sleeps again. There is no periodic tick; a group whose deadline moves earlier wakes it.

use std::thread::JoinHandle;

use parking_lot::{Condvar, Mutex};

use super::{clock, sockets};
use crate::types::Instant;

#[derive(Default)]
struct State {
    stop: bool,
    /// The deadline the thread sleeps until; `None` while it scans the groups or has none.
    target: Option<Instant>,
    /// A deadline changed while the thread was scanning: scan again before sleeping.
    kicked: bool,
    thread: Option<JoinHandle<()>>,
}

static STATE: Mutex<State> = Mutex::new(State {
    stop: false,
    target: None,
    kicked: false,
    thread: None,
});
static WAKE: Condvar = Condvar::new();

/// Starts the timer thread.
pub fn start() {
    let mut state = STATE.lock();
    if state.thread.is_some() {
        return;
    }
    state.stop = false;
    state.kicked = true;
    state.thread = std::thread::Builder::new()
        .name("usrsctp-timer".into())
        .spawn(run)
        .ok();
}

/// Stops the timer thread and waits for it (unless called from it).
pub fn stop() {
    let thread = {
        let mut state = STATE.lock();
        state.stop = true;
        WAKE.notify_all();
        state.thread.take()
    };
    if let Some(t) = thread {
        // A callback running on the timer thread may call usrsctp_finish: it cannot wait for
        // itself, and the thread ends on its own once it returns.
        if !ON_TIMER_THREAD.with(|on| on.get()) {
            let _ = t.join();
        }
    }
}

/// A group's next deadline is now `t`: wake the thread if it sleeps longer than that.
pub fn deadline_changed(t: Instant) {
    let mut state = STATE.lock();
    if state.thread.is_none() {
        return;
    }
    match state.target {
        Some(target) if target <= t => {}
        _ => {
            state.kicked = true;
            WAKE.notify_all();
        }
    }
}

thread_local! {
    static ON_TIMER_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn run() {
    ON_TIMER_THREAD.with(|on| on.set(true));
    loop {
        {
            let mut state = STATE.lock();
            if state.stop {
                return;
            }
            state.target = None;
            state.kicked = false;
        }
        let next = sockets::handle_timers();
        let mut state = STATE.lock();
        if state.stop {
            return;
        }
        if state.kicked {
            continue;
        }
        state.target = next;
        match next {
            Some(t) => {
                // A deadline that is still due right after its timers fired would make this
                // loop spin: such a group is looked at again a millisecond later.
                let floor = clock::now() + std::time::Duration::from_millis(1);
                WAKE.wait_until(&mut state, clock::to_std(t.max(floor)));
            }
            None => WAKE.wait(&mut state),
        }
    }
}
