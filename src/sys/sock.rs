//! One datagram socket (UDP or raw IP, one address family) and the receive loop shared by
//! [`UdpEncap`](super::UdpEncap) and [`RawIp`](super::RawIp).
//!
//! Descriptors stay blocking, so a send waits while the kernel's send buffer is full; receives
//! pass `MSG_DONTWAIT` after `poll(2)` says a socket is readable, and the poll includes the
//! [`Waker`]'s descriptor so that a shutdown interrupts it.

use std::io;
use std::mem;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::ptr;
use std::time::{Duration, Instant};

use super::addr::{from_storage, unmap, RawAddr};
use super::batch::{CmsgBuffer, RecvBatch, Transmit, CMSG_BUFFER_LEN, MAX_BATCH, RECV_BUFFER_LEN};
use super::waker::Waker;

/// Whether `MSG_*` batch system calls and per-send IPv4 TOS control messages are available.
const LINUX: bool = cfg!(any(target_os = "linux", target_os = "android"));

/// A UDP or raw IP socket of one address family.
#[derive(Debug)]
pub(crate) struct Sock {
    fd: OwnedFd,
    v6: bool,
    /// Raw IP: destination ports are zeroed, and IPv4 packets arrive with their IP header.
    raw: bool,
    /// The IPv4 TOS last set with setsockopt, where it cannot go in a control message.
    tos: std::sync::Mutex<Option<u8>>,
}

impl Sock {
    /// A UDP socket reporting TOS/traffic class and destination address; IPv6-only if `v6`.
    pub fn udp(v6: bool) -> io::Result<Self> {
        let sock = Sock::open(v6, false, libc::SOCK_DGRAM, 0)?;
        sock.enable_ancillary()?;
        if v6 {
            sock.set_int(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
        }
        Ok(sock)
    }

    /// A raw IP socket for `protocol`, without IP_HDRINCL: the kernel writes the IP header of
    /// what we send.
    pub fn raw(v6: bool, protocol: libc::c_int) -> io::Result<Self> {
        let sock = Sock::open(v6, true, libc::SOCK_RAW, protocol)?;
        if v6 {
            // IPv4 raw sockets deliver the IP header, which carries TOS and destination.
            sock.enable_ancillary()?;
        }
        Ok(sock)
    }

    fn open(v6: bool, raw: bool, ty: libc::c_int, protocol: libc::c_int) -> io::Result<Self> {
        let domain = if v6 { libc::AF_INET6 } else { libc::AF_INET };
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let ty = ty | libc::SOCK_CLOEXEC;
        // SAFETY: plain system call without pointers.
        let fd = unsafe { libc::socket(domain, ty, protocol) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        set_fd_flags(fd.as_raw_fd(), false)?;
        Ok(Sock {
            fd,
            v6,
            raw,
            tos: std::sync::Mutex::new(None),
        })
    }

    /// Asks for the TOS/traffic class and the destination address of each received datagram.
    fn enable_ancillary(&self) -> io::Result<()> {
        if self.v6 {
            self.set_int(libc::IPPROTO_IPV6, libc::IPV6_RECVTCLASS, 1)?;
            self.set_int(libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1)?;
        } else {
            self.set_int(libc::IPPROTO_IP, libc::IP_RECVTOS, 1)?;
            #[cfg(any(target_os = "linux", target_os = "android"))]
            self.set_int(libc::IPPROTO_IP, libc::IP_PKTINFO, 1)?;
        }
        Ok(())
    }

    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    pub fn set_int(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: libc::c_int,
    ) -> io::Result<()> {
        // SAFETY: the option value is a valid c_int of the given size.
        let rc = unsafe {
            libc::setsockopt(
                self.fd(),
                level,
                name,
                (&value as *const libc::c_int).cast(),
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn bind(&self, addr: &SocketAddr) -> io::Result<()> {
        let raw = RawAddr::from_std(addr);
        // SAFETY: `raw` holds a valid address of `raw.len` bytes.
        let rc = unsafe {
            libc::bind(
                self.fd(),
                (&raw.storage as *const libc::sockaddr_storage).cast(),
                raw.len,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        let mut raw = RawAddr::empty();
        // SAFETY: `raw.storage` has room for `raw.len` bytes, which the kernel updates.
        let rc = unsafe {
            libc::getsockname(
                self.fd(),
                (&mut raw.storage as *mut libc::sockaddr_storage).cast(),
                &mut raw.len,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        raw.socket_addr()
            .ok_or_else(|| io::Error::from_raw_os_error(libc::EAFNOSUPPORT))
    }

    /// The kernel form of a destination: raw sockets take port 0 (Linux reads a nonzero IPv6
    /// port as a protocol number).
    fn destination(&self, dst: SocketAddr) -> RawAddr {
        let mut dst = unmap(dst);
        if self.raw {
            dst.set_port(0);
        }
        RawAddr::from_std(&dst)
    }

    /// Writes the control message carrying `tos` into `buf` and returns its length, or 0 where
    /// the TOS is set with setsockopt instead.
    fn tos_cmsg(&self, buf: &mut CmsgBuffer, tos: u8) -> usize {
        let (level, name) = if self.v6 {
            (libc::IPPROTO_IPV6, libc::IPV6_TCLASS)
        } else if LINUX {
            (libc::IPPROTO_IP, libc::IP_TOS)
        } else {
            return 0;
        };
        let value = libc::c_int::from(tos);
        // SAFETY: CMSG_SPACE of a c_int is far below the buffer's length, the buffer is
        // aligned for cmsghdr, and the header and data are written inside it.
        unsafe {
            let space = libc::CMSG_SPACE(mem::size_of::<libc::c_int>() as _) as usize;
            debug_assert!(space <= CMSG_BUFFER_LEN);
            let mut msg: libc::msghdr = mem::zeroed();
            msg.msg_control = buf.0.as_mut_ptr().cast();
            msg.msg_controllen = space as _;
            let cmsg = libc::CMSG_FIRSTHDR(&msg);
            (*cmsg).cmsg_level = level;
            (*cmsg).cmsg_type = name;
            (*cmsg).cmsg_len = libc::CMSG_LEN(mem::size_of::<libc::c_int>() as _) as _;
            ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<libc::c_int>(), value);
            space
        }
    }

    /// Sends `items`, all of this socket's family, in order. Returns how many were sent, a
    /// prefix of `items`; an error only if the first one failed.
    pub fn send(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        let mut sent = 0;
        while sent < items.len() {
            let chunk = &items[sent..items.len().min(sent + MAX_SEND)];
            match self.send_chunk(chunk) {
                Ok(n) => {
                    sent += n;
                    if n < chunk.len() {
                        break;
                    }
                }
                Err(e) if sent == 0 => return Err(e),
                Err(_) => break,
            }
        }
        Ok(sent)
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn send_chunk(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        let count = items.len().min(MAX_SEND);
        let mut names = [RawAddr::empty(); MAX_SEND];
        let mut cmsgs = [CmsgBuffer([0; CMSG_BUFFER_LEN]); MAX_SEND];
        let mut cmsg_lens = [0usize; MAX_SEND];
        // SAFETY: iovec and mmsghdr are plain data for which all zeroes is a valid value.
        let mut iovs: [libc::iovec; MAX_SEND] = unsafe { mem::zeroed() };
        let mut hdrs: [libc::mmsghdr; MAX_SEND] = unsafe { mem::zeroed() };
        for (i, item) in items[..count].iter().enumerate() {
            names[i] = self.destination(item.dst);
            cmsg_lens[i] = self.tos_cmsg(&mut cmsgs[i], item.tos);
            iovs[i] = libc::iovec {
                iov_base: item.packet.as_ptr() as *mut libc::c_void,
                iov_len: item.packet.len(),
            };
        }
        for (i, hdr) in hdrs[..count].iter_mut().enumerate() {
            fill_msghdr(
                &mut hdr.msg_hdr,
                &mut names[i],
                &mut iovs[i],
                &mut cmsgs[i],
                cmsg_lens[i],
            );
        }
        loop {
            // SAFETY: `hdrs[..count]` point into the arrays above, which outlive the call; the
            // kernel only reads the packets through `iov_base`.
            let rc = unsafe { libc::sendmmsg(self.fd(), hdrs.as_mut_ptr(), count as _, 0) };
            if rc >= 0 {
                return Ok(rc as usize);
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn send_chunk(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        self.send_each(items, true)
    }

    /// Sends `items` one `sendmsg` at a time, the IPv4 TOS by setsockopt if `v4_tos_by_option`
    /// (where it cannot go in a control message). Same result as [`send`](Self::send).
    #[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
    fn send_each(&self, items: &[Transmit<'_>], v4_tos_by_option: bool) -> io::Result<usize> {
        for (i, item) in items.iter().enumerate() {
            if let Err(e) = self.send_one(item, v4_tos_by_option) {
                return if i == 0 { Err(e) } else { Ok(i) };
            }
        }
        Ok(items.len())
    }

    #[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
    fn send_one(&self, item: &Transmit<'_>, v4_tos_by_option: bool) -> io::Result<()> {
        let tos_by_option = v4_tos_by_option && !self.v6;
        let mut name = self.destination(item.dst);
        let mut cmsg = CmsgBuffer([0; CMSG_BUFFER_LEN]);
        let cmsg_len = if tos_by_option {
            0
        } else {
            self.tos_cmsg(&mut cmsg, item.tos)
        };
        let mut iov = libc::iovec {
            iov_base: item.packet.as_ptr() as *mut libc::c_void,
            iov_len: item.packet.len(),
        };
        // SAFETY: msghdr is plain data for which all zeroes is a valid value.
        let mut msg: libc::msghdr = unsafe { mem::zeroed() };
        fill_msghdr(&mut msg, &mut name, &mut iov, &mut cmsg, cmsg_len);
        // The TOS option stays locked across the send so that concurrent senders with
        // different values do not mix.
        let _guard = if tos_by_option {
            let mut last = self.tos.lock().unwrap_or_else(|p| p.into_inner());
            if *last != Some(item.tos) {
                self.set_int(libc::IPPROTO_IP, libc::IP_TOS, libc::c_int::from(item.tos))?;
                *last = Some(item.tos);
            }
            Some(last)
        } else {
            None
        };
        loop {
            // SAFETY: `msg` points at locals that outlive the call.
            let rc = unsafe { libc::sendmsg(self.fd(), &msg, 0) };
            if rc >= 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }

    /// Receives what is queued, without blocking, into the batch's free slots. Returns how
    /// many datagrams were added (a malformed raw IPv4 packet is dropped).
    pub fn recv(&self, batch: &mut RecvBatch) -> io::Result<usize> {
        let free = batch.free_slots();
        if free.is_empty() {
            return Ok(0);
        }
        self.recv_slots(batch, free.start, free.len().min(MAX_BATCH))
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn recv_slots(&self, batch: &mut RecvBatch, first: usize, count: usize) -> io::Result<usize> {
        // SAFETY: iovec and mmsghdr are plain data for which all zeroes is a valid value.
        let mut iovs: [libc::iovec; MAX_BATCH] = unsafe { mem::zeroed() };
        let mut hdrs: [libc::mmsghdr; MAX_BATCH] = unsafe { mem::zeroed() };
        let (data, names, cmsgs) = batch.kernel_parts();
        for i in 0..count {
            let slot = first + i;
            // SAFETY: slot < capacity, so each pointer stays inside its allocation.
            unsafe {
                iovs[i] = libc::iovec {
                    iov_base: data.add(slot * RECV_BUFFER_LEN).cast(),
                    iov_len: RECV_BUFFER_LEN,
                };
                *names.add(slot) = RawAddr::empty();
                fill_msghdr(
                    &mut hdrs[i].msg_hdr,
                    &mut *names.add(slot),
                    &mut iovs[i],
                    &mut *cmsgs.add(slot),
                    CMSG_BUFFER_LEN,
                );
            }
        }
        let received = loop {
            // SAFETY: every header points at buffers of the batch and at `iovs`, all alive
            // and unaliased during the call, with the lengths given.
            let rc = unsafe {
                libc::recvmmsg(
                    self.fd(),
                    hdrs.as_mut_ptr(),
                    count as _,
                    libc::MSG_DONTWAIT as _,
                    ptr::null_mut(),
                )
            };
            if rc >= 0 {
                break (rc as usize).min(count);
            }
            let err = io::Error::last_os_error();
            match err.kind() {
                io::ErrorKind::Interrupted => continue,
                io::ErrorKind::WouldBlock => return Ok(0),
                _ => return Err(err),
            }
        };
        batch.take_slots(received);
        let mut added = 0;
        for (i, hdr) in hdrs[..received].iter().enumerate() {
            added += self.finish(batch, first + i, &hdr.msg_hdr, hdr.msg_len as usize);
        }
        Ok(added)
    }

    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    fn recv_slots(&self, batch: &mut RecvBatch, first: usize, count: usize) -> io::Result<usize> {
        self.recv_each(batch, first, count)
    }

    /// Receives into slots `first..first + count` one `recvmsg` at a time. Same result as
    /// [`recv`](Self::recv).
    #[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
    fn recv_each(&self, batch: &mut RecvBatch, first: usize, count: usize) -> io::Result<usize> {
        let mut added = 0;
        for slot in first..first + count {
            let (data, names, cmsgs) = batch.kernel_parts();
            // SAFETY: msghdr is plain data for which all zeroes is a valid value.
            let mut msg: libc::msghdr = unsafe { mem::zeroed() };
            let mut iov = libc::iovec {
                // SAFETY: slot < capacity, so the pointer stays inside the allocation.
                iov_base: unsafe { data.add(slot * RECV_BUFFER_LEN).cast() },
                iov_len: RECV_BUFFER_LEN,
            };
            // SAFETY: as above; the slot's name and control buffers are not otherwise borrowed.
            unsafe {
                *names.add(slot) = RawAddr::empty();
                fill_msghdr(
                    &mut msg,
                    &mut *names.add(slot),
                    &mut iov,
                    &mut *cmsgs.add(slot),
                    CMSG_BUFFER_LEN,
                );
            }
            let len = loop {
                // SAFETY: `msg` points at live buffers with the lengths given.
                let rc = unsafe { libc::recvmsg(self.fd(), &mut msg, libc::MSG_DONTWAIT) };
                if rc >= 0 {
                    break rc as usize;
                }
                let err = io::Error::last_os_error();
                match err.kind() {
                    io::ErrorKind::Interrupted => continue,
                    io::ErrorKind::WouldBlock => return Ok(added),
                    _ if added > 0 => return Ok(added),
                    _ => return Err(err),
                }
            };
            batch.take_slots(1);
            added += self.finish(batch, slot, &msg, len);
        }
        Ok(added)
    }

    /// Records the datagram the kernel wrote into `slot`; returns 1, or 0 if it was dropped.
    fn finish(&self, batch: &mut RecvBatch, slot: usize, msg: &libc::msghdr, len: usize) -> usize {
        // SAFETY: the kernel wrote `msg_controllen` bytes of well-formed control messages
        // into the slot's control buffer, which `msg` points at.
        let (mut tos, mut dst) = unsafe { parse_cmsgs(msg) };
        let Some(mut src) = from_storage(&batch.names[slot].storage, msg.msg_namelen) else {
            return 0;
        };
        let truncated = msg.msg_flags & libc::MSG_TRUNC != 0 || len > RECV_BUFFER_LEN;
        let mut start = 0;
        let mut len = len.min(RECV_BUFFER_LEN);
        if self.raw {
            src.set_port(0);
            if !self.v6 {
                let Some(header) = Ipv4Header::parse(batch.slot_bytes(slot, len)) else {
                    return 0;
                };
                start = header.len;
                len -= header.len;
                tos = header.tos;
                dst = Some(IpAddr::V4(header.dst));
            }
        }
        batch.push(slot, start, len, src, dst, tos, truncated);
        1
    }
}

/// Datagrams per `sendmmsg` call; its per-datagram buffers live on the stack.
const MAX_SEND: usize = 32;

/// Points `msg` at one address, one buffer and `cmsg_len` bytes of control buffer.
fn fill_msghdr(
    msg: &mut libc::msghdr,
    name: &mut RawAddr,
    iov: &mut libc::iovec,
    cmsg: &mut CmsgBuffer,
    cmsg_len: usize,
) {
    msg.msg_name = (&mut name.storage as *mut libc::sockaddr_storage).cast();
    msg.msg_namelen = name.len;
    msg.msg_iov = iov;
    msg.msg_iovlen = 1;
    if cmsg_len > 0 {
        msg.msg_control = cmsg.0.as_mut_ptr().cast();
        msg.msg_controllen = cmsg_len.min(CMSG_BUFFER_LEN) as _;
    } else {
        msg.msg_control = ptr::null_mut();
        msg.msg_controllen = 0;
    }
}

/// The TOS/traffic class and destination address among a received datagram's control messages.
///
/// # Safety
/// `msg.msg_control` is null or points at `msg.msg_controllen` bytes of control messages as
/// the kernel writes them.
// msg_controllen is usize on glibc but socklen_t on musl and the BSDs.
#[allow(clippy::unnecessary_cast)]
unsafe fn parse_cmsgs(msg: &libc::msghdr) -> (u8, Option<IpAddr>) {
    let mut tos = 0;
    let mut dst = None;
    if msg.msg_control.is_null() || (msg.msg_controllen as usize) < mem::size_of::<libc::cmsghdr>()
    {
        return (tos, dst);
    }
    let mut cmsg = libc::CMSG_FIRSTHDR(msg);
    while !cmsg.is_null() {
        let header = ptr::read_unaligned(cmsg);
        let data = libc::CMSG_DATA(cmsg);
        let data_len = (header.cmsg_len as usize).saturating_sub(libc::CMSG_LEN(0) as usize);
        match (header.cmsg_level, header.cmsg_type) {
            // Linux reports IP_TOS, the BSDs IP_RECVTOS; both carry one byte.
            (libc::IPPROTO_IP, libc::IP_TOS | libc::IP_RECVTOS) if data_len >= 1 => tos = *data,
            (libc::IPPROTO_IPV6, libc::IPV6_TCLASS)
                if data_len >= mem::size_of::<libc::c_int>() =>
            {
                tos = ptr::read_unaligned(data.cast::<libc::c_int>()) as u8;
            }
            #[cfg(any(target_os = "linux", target_os = "android"))]
            (libc::IPPROTO_IP, libc::IP_PKTINFO)
                if data_len >= mem::size_of::<libc::in_pktinfo>() =>
            {
                let info = ptr::read_unaligned(data.cast::<libc::in_pktinfo>());
                dst = Some(IpAddr::V4(Ipv4Addr::from(
                    info.ipi_addr.s_addr.to_ne_bytes(),
                )));
            }
            (libc::IPPROTO_IPV6, libc::IPV6_PKTINFO)
                if data_len >= mem::size_of::<libc::in6_pktinfo>() =>
            {
                let info = ptr::read_unaligned(data.cast::<libc::in6_pktinfo>());
                dst = Some(IpAddr::V6(Ipv6Addr::from(info.ipi6_addr.s6_addr)));
            }
            _ => {}
        }
        cmsg = libc::CMSG_NXTHDR(msg, cmsg);
    }
    (tos, dst)
}

/// What we read of the IPv4 header that raw IPv4 sockets deliver in front of the payload.
#[derive(Debug, PartialEq, Eq)]
struct Ipv4Header {
    /// IHL × 4, where the payload starts.
    len: usize,
    tos: u8,
    dst: Ipv4Addr,
}

impl Ipv4Header {
    /// `None` unless `packet` starts with a whole IPv4 header (version 4, IHL ≥ 5).
    fn parse(packet: &[u8]) -> Option<Self> {
        let first = *packet.first()?;
        let len = usize::from(first & 0x0f) * 4;
        if first >> 4 != 4 || len < 20 || packet.len() < len {
            return None;
        }
        Some(Ipv4Header {
            len,
            tos: packet[1],
            dst: Ipv4Addr::new(packet[16], packet[17], packet[18], packet[19]),
        })
    }
}

/// The IPv4 and IPv6 sockets of one kind with the waker their receives poll.
#[derive(Debug)]
pub(crate) struct Pair {
    pub v4: Option<Sock>,
    pub v6: Option<Sock>,
    pub waker: Waker,
}

impl Pair {
    /// Sends one datagram through the socket of its family; returns its length.
    pub fn send_to(&self, dst: SocketAddr, packet: &[u8], tos: u8) -> io::Result<usize> {
        self.send_batch(&[Transmit { dst, packet, tos }])?;
        Ok(packet.len())
    }

    /// Sends `items` through the socket of each one's family, in order. Returns how many were
    /// sent, a prefix of `items`; an error only if the first one failed.
    pub fn send_batch(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        send_any(self.v4.as_ref(), self.v6.as_ref(), items)
    }

    /// See [`recv_any`].
    pub fn recv_batch(
        &self,
        batch: &mut RecvBatch,
        timeout: Option<Duration>,
    ) -> io::Result<usize> {
        let (socks, n) = match (&self.v4, &self.v6) {
            (Some(a), Some(b)) => ([a, b], 2),
            (Some(a), None) | (None, Some(a)) => ([a, a], 1),
            (None, None) => return Err(io::Error::from(io::ErrorKind::InvalidInput)),
        };
        recv_any(&socks[..n], &self.waker, batch, timeout)
    }
}

fn send_any(v4: Option<&Sock>, v6: Option<&Sock>, items: &[Transmit<'_>]) -> io::Result<usize> {
    let mut sent = 0;
    while sent < items.len() {
        let is_v4 = unmap(items[sent].dst).is_ipv4();
        let run = items[sent..]
            .iter()
            .take_while(|t| unmap(t.dst).is_ipv4() == is_v4)
            .count();
        let sock = if is_v4 { v4 } else { v6 };
        let result = match sock {
            Some(sock) => sock.send(&items[sent..sent + run]),
            None => Err(io::Error::from_raw_os_error(libc::EAFNOSUPPORT)),
        };
        match result {
            Ok(n) => {
                sent += n;
                if n < run {
                    break;
                }
            }
            Err(e) if sent == 0 => return Err(e),
            Err(_) => break,
        }
    }
    Ok(sent)
}

/// Waits until one of `socks` is readable, the waker is woken, or `timeout` passes, then
/// receives what is queued. Returns the number of datagrams in `batch`: 0 after the timeout or
/// once woken.
fn recv_any(
    socks: &[&Sock],
    waker: &Waker,
    batch: &mut RecvBatch,
    timeout: Option<Duration>,
) -> io::Result<usize> {
    // A timeout too large to add is no timeout.
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    loop {
        batch.clear();
        if waker.is_woken() {
            return Ok(0);
        }
        let ready = wait_readable(socks, waker, deadline)?;
        if waker.is_woken() {
            return Ok(0);
        }
        let n = socks.len();
        let first = batch.turn % n.max(1);
        batch.turn = batch.turn.wrapping_add(1);
        let mut error = None;
        for k in 0..n {
            let i = (first + k) % n;
            if ready[i] {
                if let Err(e) = socks[i].recv(batch) {
                    error = Some(e);
                }
            }
        }
        if !batch.is_empty() {
            return Ok(batch.len());
        }
        if let Some(e) = error {
            return Err(e);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(0);
        }
    }
}

/// Polls `socks` (at most two) and the waker. Returns which sockets are readable (or have an
/// error to report); none when the deadline passed.
fn wait_readable(
    socks: &[&Sock],
    waker: &Waker,
    deadline: Option<Instant>,
) -> io::Result<[bool; 2]> {
    let mut fds = [libc::pollfd {
        fd: -1,
        events: libc::POLLIN,
        revents: 0,
    }; 3];
    let n = socks.len().min(2);
    for (pfd, sock) in fds.iter_mut().zip(&socks[..n]) {
        pfd.fd = sock.fd();
    }
    fds[n].fd = waker.fd();
    loop {
        let timeout_ms = match deadline {
            None => -1,
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                // Rounded up, so that the poll does not return just before the deadline.
                left.as_nanos()
                    .div_ceil(1_000_000)
                    .min(libc::c_int::MAX as u128) as libc::c_int
            }
        };
        // SAFETY: `fds[..=n]` are valid pollfd structures.
        let rc = unsafe { libc::poll(fds.as_mut_ptr(), (n + 1) as libc::nfds_t, timeout_ms) };
        if rc < 0 {
            let err = io::Error::last_os_error();
            if err.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            return Err(err);
        }
        let mut ready = [false; 2];
        for (r, pfd) in ready.iter_mut().zip(&fds[..n]) {
            *r = pfd.revents != 0;
        }
        return Ok(ready);
    }
}

/// Sets close-on-exec, and non-blocking if `nonblock`, on a descriptor opened without them.
#[cfg_attr(any(target_os = "linux", target_os = "android"), allow(dead_code))]
pub(crate) fn set_fd_flags(fd: RawFd, nonblock: bool) -> io::Result<()> {
    // SAFETY: fcntl on a descriptor we own, without pointers.
    unsafe {
        let fd_flags = libc::fcntl(fd, libc::F_GETFD);
        if fd_flags < 0 || libc::fcntl(fd, libc::F_SETFD, fd_flags | libc::FD_CLOEXEC) < 0 {
            return Err(io::Error::last_os_error());
        }
        if nonblock {
            let fl_flags = libc::fcntl(fd, libc::F_GETFL);
            if fl_flags < 0 || libc::fcntl(fd, libc::F_SETFL, fl_flags | libc::O_NONBLOCK) < 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_header_is_checked() {
        let mut packet = [0u8; 40];
        packet[0] = 0x46; // version 4, IHL 6: 24 bytes
        packet[1] = 0xb9;
        packet[16..20].copy_from_slice(&[10, 1, 2, 3]);
        assert_eq!(
            Ipv4Header::parse(&packet),
            Some(Ipv4Header {
                len: 24,
                tos: 0xb9,
                dst: Ipv4Addr::new(10, 1, 2, 3)
            })
        );
        assert_eq!(Ipv4Header::parse(&packet[..23]), None, "shorter than IHL");
        assert_eq!(Ipv4Header::parse(&[]), None);
        packet[0] = 0x44;
        assert_eq!(Ipv4Header::parse(&packet), None, "IHL below 5");
        packet[0] = 0x65;
        assert_eq!(Ipv4Header::parse(&packet), None, "version 6");
        packet[0] = 0x4f;
        assert_eq!(Ipv4Header::parse(&packet), None, "IHL past the end");
    }

    /// The one-at-a-time loops that other systems use, run on this one, with the IPv4 TOS
    /// set by setsockopt.
    #[test]
    fn one_at_a_time_loops_exchange_datagrams_with_tos() {
        for v6 in [false, true] {
            let ip: IpAddr = if v6 {
                Ipv6Addr::LOCALHOST.into()
            } else {
                Ipv4Addr::LOCALHOST.into()
            };
            let a = Sock::udp(v6).unwrap();
            a.bind(&SocketAddr::new(ip, 0)).unwrap();
            let b = Sock::udp(v6).unwrap();
            b.bind(&SocketAddr::new(ip, 0)).unwrap();
            let dst = b.local_addr().unwrap();
            let tos = [0b01u8, 0b10, 0xb8 | 0b10, 0b10];
            let items: Vec<Transmit<'_>> = tos
                .iter()
                .map(|t| Transmit {
                    dst,
                    packet: std::slice::from_ref(t),
                    tos: *t,
                })
                .collect();
            assert_eq!(a.send_each(&items, true).unwrap(), items.len());
            let waker = Waker::new().unwrap();
            let mut batch = RecvBatch::new(8);
            let mut got = Vec::new();
            let end = Instant::now() + Duration::from_secs(2);
            while got.len() < items.len() && Instant::now() < end {
                let soon = Instant::now() + Duration::from_millis(200);
                wait_readable(&[&b], &waker, Some(soon)).unwrap();
                batch.clear();
                b.recv_each(&mut batch, 0, 8).unwrap();
                got.extend(batch.iter().map(|d| (d.src, d.dst, d.data.to_vec(), d.tos)));
            }
            assert_eq!(got.len(), items.len(), "v6 {v6}");
            for (i, (src, to, data, t)) in got.into_iter().enumerate() {
                assert_eq!(src, a.local_addr().unwrap());
                assert_eq!(to, Some(ip));
                assert_eq!(data, [tos[i]]);
                assert_eq!(t, tos[i], "v6 {v6}, datagram {i}");
            }
        }
    }

    #[test]
    fn tos_control_message_round_trips() {
        let sock = Sock::udp(true).unwrap();
        let mut buf = CmsgBuffer([0; CMSG_BUFFER_LEN]);
        let len = sock.tos_cmsg(&mut buf, 0xb6);
        assert!(len > 0);
        // SAFETY: msghdr is plain data; it points at `buf`, which holds `len` bytes of one
        // control message.
        let parsed = unsafe {
            let mut msg: libc::msghdr = mem::zeroed();
            msg.msg_control = buf.0.as_mut_ptr().cast();
            msg.msg_controllen = len as _;
            parse_cmsgs(&msg)
        };
        assert_eq!(parsed, (0xb6, None));
    }
}
