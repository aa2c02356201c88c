//! What every C entry point shares: `errno` and the panic boundary.

use core::ffi::c_int;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Sets the calling thread's `errno`.
pub fn set_errno(value: c_int) {
    // SAFETY: the C library returns a valid pointer to this thread's errno.
    unsafe {
        *errno_location() = value;
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "emscripten"))]
unsafe fn errno_location() -> *mut c_int {
    libc::__errno_location()
}

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly"
))]
unsafe fn errno_location() -> *mut c_int {
    libc::__error()
}

#[cfg(any(target_os = "openbsd", target_os = "netbsd"))]
unsafe fn errno_location() -> *mut c_int {
    libc::__errno()
}

#[cfg(windows)]
unsafe fn errno_location() -> *mut c_int {
    extern "C" {
        fn _errno() -> *mut c_int;
    }
    _errno()
}

/// Runs `body`, turning a panic into `on_panic` with `errno` EIO, so that no unwinding crosses
/// into C. A panic is a bug of ours; the process goes on.
pub fn guard<R>(on_panic: R, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(value) => value,
        Err(_) => {
            set_errno(libc::EIO);
            on_panic
        }
    }
}

/// Reads the calling thread's `errno`.
pub fn errno() -> c_int {
    // SAFETY: as in `set_errno`.
    unsafe { *errno_location() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_the_fallback_value_with_eio() {
        set_errno(0);
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let value = guard(-1, || -> c_int { panic!("a bug of ours") });
        std::panic::set_hook(hook);
        assert_eq!(value, -1);
        assert_eq!(errno(), libc::EIO);
        assert_eq!(guard(-1, || 7), 7);
    }
}
