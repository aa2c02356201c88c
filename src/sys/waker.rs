//! Wakes the threads blocked in a receive so that the stack can shut down without hanging.
//!
//! A [`Waker`] is a file descriptor that every receive polls together with its sockets: an
//! eventfd on Linux and Android, the read end of a self-pipe elsewhere. Waking is final: the
//! descriptor is never drained, so every receive that polls it, now or later, on any thread,
//! returns at once.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A shared, final shutdown signal for blocked receives. Clones share the signal.
#[derive(Clone, Debug)]
pub struct Waker {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    woken: AtomicBool,
    /// Polled by the receivers.
    read: OwnedFd,
    /// Written once by `wake`; `None` for an eventfd, which is both ends.
    write: Option<OwnedFd>,
}

impl Waker {
    /// A waker that has not been woken.
    pub fn new() -> io::Result<Self> {
        Waker::from_fds(open()?)
    }

    fn from_fds((read, write): (OwnedFd, Option<OwnedFd>)) -> io::Result<Self> {
        Ok(Waker {
            inner: Arc::new(Inner {
                woken: AtomicBool::new(false),
                read,
                write,
            }),
        })
    }

    /// Wakes every receive blocked on this waker and makes later ones return at once.
    /// Idempotent, callable from any thread, never blocks.
    pub fn wake(&self) {
        if self.inner.woken.swap(true, Ordering::SeqCst) {
            return;
        }
        let fd = self
            .inner
            .write
            .as_ref()
            .unwrap_or(&self.inner.read)
            .as_raw_fd();
        // An eventfd takes an 8-byte counter increment; a pipe takes any byte. A failure
        // can only be EAGAIN (already readable), which is as good as success.
        let one = 1u64.to_ne_bytes();
        let len = if self.inner.write.is_some() { 1 } else { 8 };
        // SAFETY: `fd` is open for as long as `self`, and `one` holds at least `len` bytes.
        let _ = unsafe { libc::write(fd, one.as_ptr().cast(), len) };
    }

    /// Whether [`wake`](Self::wake) was called.
    pub fn is_woken(&self) -> bool {
        self.inner.woken.load(Ordering::SeqCst)
    }

    /// The descriptor to poll for `POLLIN`.
    pub(crate) fn fd(&self) -> RawFd {
        self.inner.read.as_raw_fd()
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn open() -> io::Result<(OwnedFd, Option<OwnedFd>)> {
    // SAFETY: plain system call without pointers.
    let fd = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just opened and is owned by nobody else.
    Ok((unsafe { OwnedFd::from_raw_fd(fd) }, None))
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn open() -> io::Result<(OwnedFd, Option<OwnedFd>)> {
    open_pipe()
}

/// A self-pipe: the portable form, tested on Linux too.
#[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
fn open_pipe() -> io::Result<(OwnedFd, Option<OwnedFd>)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: `fds` has room for the two descriptors pipe writes.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    for fd in [&read, &write] {
        super::sock::set_fd_flags(fd.as_raw_fd(), true)?;
    }
    Ok((read, Some(write)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readable(fd: RawFd) -> bool {
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        unsafe { libc::poll(&mut pfd, 1, 0) == 1 }
    }

    #[test]
    fn wake_is_final_and_shared_by_clones() {
        for waker in [
            Waker::new().unwrap(),
            Waker::from_fds(open_pipe().unwrap()).unwrap(),
        ] {
            check_final_and_shared(waker);
        }
    }

    fn check_final_and_shared(waker: Waker) {
        let clone = waker.clone();
        assert!(!clone.is_woken());
        assert!(!readable(clone.fd()));
        waker.wake();
        waker.wake();
        assert!(clone.is_woken());
        assert!(readable(clone.fd()));
        assert!(readable(clone.fd()), "polling does not consume the wake");
    }
}
