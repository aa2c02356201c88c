//! SCTP directly over IP: raw IPv4/IPv6 sockets for protocol 132.
//!
//! The kernel writes the IP header of what we send (IP_HDRINCL stays off). IPv4 raw sockets
//! deliver received packets with their IP header, which is checked and stripped here using its
//! IHL; its TOS and destination are reported. IPv6 raw sockets deliver the payload only, with
//! the traffic class and destination in control messages. Where the kernel has no SCTP of its
//! own, a raw protocol-132 socket receives every SCTP packet addressed to the host; the stack
//! demultiplexes by port and verification tag.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use super::batch::{RecvBatch, Transmit};
use super::sock::{Pair, Sock};
use super::waker::Waker;

/// The IP protocol number of SCTP.
pub const IPPROTO_SCTP: libc::c_int = 132;

/// Raw SCTP sockets on IPv4 and/or IPv6. Sends and receives may run concurrently from any
/// threads.
#[derive(Debug)]
pub struct RawIp {
    pair: Pair,
}

impl RawIp {
    /// Opens a raw protocol-132 socket for IPv4 if `v4` and for IPv6 if `v6` (at least one,
    /// else `InvalidInput`). Without CAP_NET_RAW this is the kernel's EPERM or EACCES.
    pub fn open(v4: bool, v6: bool) -> io::Result<Self> {
        if !v4 && !v6 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no address family to open",
            ));
        }
        let v4 = v4.then(|| Sock::raw(false, IPPROTO_SCTP)).transpose()?;
        let v6 = v6.then(|| Sock::raw(true, IPPROTO_SCTP)).transpose()?;
        Ok(RawIp {
            pair: Pair {
                v4,
                v6,
                waker: Waker::new()?,
            },
        })
    }

    /// Replaces this socket's waker, so that one waker can stop the receives of several
    /// sockets.
    pub fn with_waker(mut self, waker: Waker) -> Self {
        self.pair.waker = waker;
        self
    }

    /// Whether an IPv4 socket is open.
    pub fn has_v4(&self) -> bool {
        self.pair.v4.is_some()
    }

    /// Whether an IPv6 socket is open.
    pub fn has_v6(&self) -> bool {
        self.pair.v6.is_some()
    }

    /// Sends the SCTP packet `packet` to `dst` (its port is ignored; an IPv6 scope id is used)
    /// with the TOS/traffic-class byte `tos`. An IPv4-mapped IPv6 destination goes out over
    /// IPv4. Returns the number of bytes sent; EAFNOSUPPORT when the family is not open.
    pub fn send_to(&self, dst: SocketAddr, packet: &[u8], tos: u8) -> io::Result<usize> {
        self.pair.send_to(dst, packet, tos)
    }

    /// Sends `items` in order; see [`UdpEncap::send_batch`](super::UdpEncap::send_batch).
    pub fn send_batch(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        self.pair.send_batch(items)
    }

    /// Receives SCTP packets, each with its source address (port 0), the IP header stripped;
    /// see [`UdpEncap::recv_batch`](super::UdpEncap::recv_batch) for the waiting rules.
    pub fn recv_batch(&self, bufs: &mut RecvBatch, timeout: Option<Duration>) -> io::Result<usize> {
        self.pair.recv_batch(bufs, timeout)
    }

    /// The waker that stops this socket's receives; clone it to keep it.
    pub fn waker(&self) -> &Waker {
        &self.pair.waker
    }

    /// Wakes every receive on this socket, now and later (see [`Waker::wake`]).
    pub fn shutdown(&self) {
        self.pair.waker.wake();
    }

    /// Whether [`shutdown`](Self::shutdown) (or the shared waker) was called.
    pub fn is_shut_down(&self) -> bool {
        self.pair.waker.is_woken()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    use std::time::Instant;

    fn is_root() -> bool {
        // SAFETY: geteuid has no preconditions.
        unsafe { libc::geteuid() == 0 }
    }

    /// Opens raw sockets, or says why the test is skipped.
    fn open_or_skip(v4: bool, v6: bool) -> Option<RawIp> {
        if !is_root() {
            println!("skipped: not root");
            return None;
        }
        match RawIp::open(v4, v6) {
            Ok(raw) => Some(raw),
            // Root without CAP_NET_RAW, as in some containers.
            Err(e) if matches!(e.raw_os_error(), Some(libc::EPERM | libc::EACCES)) => {
                println!("skipped: no CAP_NET_RAW ({e})");
                None
            }
            Err(e) => panic!("raw socket: {e}"),
        }
    }

    /// An SCTP packet: common header (ports, a verification tag unique to this test run,
    /// CRC32c) and one small chunk.
    fn sctp_packet(tag: u32) -> Vec<u8> {
        let mut packet = Vec::new();
        packet.extend_from_slice(&5000u16.to_be_bytes());
        packet.extend_from_slice(&5001u16.to_be_bytes());
        packet.extend_from_slice(&tag.to_be_bytes());
        packet.extend_from_slice(&[0; 4]);
        // A HEARTBEAT chunk with an 8-byte heartbeat info parameter.
        packet.extend_from_slice(&[4, 0, 0, 12, 0, 1, 0, 8]);
        packet.extend_from_slice(&tag.to_le_bytes());
        let crc = crc32c::crc32c(&packet);
        packet[8..12].copy_from_slice(&crc.to_le_bytes());
        packet
    }

    fn unique_tag() -> u32 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        nanos ^ std::process::id().rotate_left(16)
    }

    /// Receives until a packet equal to `packet` arrives (other SCTP traffic on the host is
    /// skipped), for at most two seconds.
    fn recv_packet(raw: &RawIp, packet: &[u8]) -> Option<(SocketAddr, Option<IpAddr>, u8)> {
        let mut batch = RecvBatch::new(8);
        let end = Instant::now() + Duration::from_secs(2);
        while Instant::now() < end {
            raw.recv_batch(&mut batch, Some(Duration::from_millis(200)))
                .unwrap();
            if let Some(d) = batch.iter().find(|d| d.data == packet) {
                assert!(!d.truncated);
                return Some((d.src, d.dst, d.tos));
            }
        }
        None
    }

    #[test]
    fn sctp_over_raw_ipv4_arrives_without_its_ip_header() {
        let (Some(sender), Some(receiver)) = (open_or_skip(true, false), open_or_skip(true, true))
        else {
            return;
        };
        let packet = sctp_packet(unique_tag());
        let dst = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0);
        assert_eq!(sender.send_to(dst, &packet, 0b10).unwrap(), packet.len());
        let (src, to, tos) = recv_packet(&receiver, &packet).expect("packet received");
        assert_eq!(src, dst);
        assert_eq!(to, Some(Ipv4Addr::LOCALHOST.into()));
        assert_eq!(tos, 0b10);
    }

    #[test]
    fn sctp_over_raw_ipv6_arrives() {
        let (Some(sender), Some(receiver)) = (open_or_skip(false, true), open_or_skip(true, true))
        else {
            return;
        };
        let packet = sctp_packet(unique_tag().wrapping_add(1));
        let dst = SocketAddr::new(Ipv6Addr::LOCALHOST.into(), 0);
        let items = [Transmit {
            dst,
            packet: &packet,
            tos: 0b01,
        }];
        assert_eq!(sender.send_batch(&items).unwrap(), 1);
        let (src, to, tos) = recv_packet(&receiver, &packet).expect("packet received");
        assert_eq!(src, dst);
        assert_eq!(to, Some(Ipv6Addr::LOCALHOST.into()));
        assert_eq!(tos, 0b01);
    }

    #[test]
    fn raw_receive_times_out_and_wakes() {
        let Some(raw) = open_or_skip(true, true) else {
            return;
        };
        assert!(raw.has_v4() && raw.has_v6());
        let mut batch = RecvBatch::new(2);
        let start = Instant::now();
        // Other SCTP traffic on the host may arrive; only the time bound is certain.
        let _ = raw.recv_batch(&mut batch, Some(Duration::from_millis(30)));
        assert!(start.elapsed() < Duration::from_secs(1));
        std::thread::scope(|s| {
            let receiver = s.spawn(|| {
                let mut batch = RecvBatch::new(2);
                while !raw.is_shut_down() {
                    raw.recv_batch(&mut batch, None).unwrap();
                }
                Instant::now()
            });
            std::thread::sleep(Duration::from_millis(50));
            let woke = Instant::now();
            raw.shutdown();
            let returned = receiver.join().unwrap();
            assert!(returned.saturating_duration_since(woke) < Duration::from_millis(100));
        });
    }

    #[test]
    fn no_family_is_invalid() {
        let err = RawIp::open(false, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
