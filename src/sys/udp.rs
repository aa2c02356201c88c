//! SCTP over UDP encapsulation (RFC 6951): one local UDP port on IPv4 and/or IPv6.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::time::Duration;

use super::batch::{RecvBatch, Transmit};
use super::sock::{Pair, Sock};
use super::waker::Waker;

/// How often binding both families to one ephemeral port is tried before giving up: the port
/// the kernel picks for IPv4 may be taken on IPv6.
const EPHEMERAL_TRIES: usize = 16;

/// The UDP encapsulation sockets of the stack: the same port on IPv4 and/or IPv6, the IPv6 one
/// IPv6-only. Sends and receives may run concurrently from any threads.
#[derive(Debug)]
pub struct UdpEncap {
    pair: Pair,
    port: u16,
}

impl UdpEncap {
    /// Binds `port` (0: an ephemeral port, the same for both families) on the wildcard address
    /// of IPv4 if `v4` and of IPv6 if `v6`. At least one family is needed (else `InvalidInput`);
    /// a taken port gives `AddrInUse` (EADDRINUSE).
    pub fn bind(port: u16, v4: bool, v6: bool) -> io::Result<Self> {
        UdpEncap::bind_addrs(
            v4.then(|| SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, port)),
            v6.then(|| SocketAddrV6::new(Ipv6Addr::UNSPECIFIED, port, 0, 0)),
        )
    }

    /// Binds given local addresses. When both are given, their ports must agree (or one or
    /// both be 0); the sockets then share one port.
    pub fn bind_addrs(v4: Option<SocketAddrV4>, v6: Option<SocketAddrV6>) -> io::Result<Self> {
        let (v4, v6) = match (v4, v6) {
            (None, None) => return Err(invalid("no address family to bind")),
            (Some(a), None) => (Some(bind_one(a.into())?), None),
            (None, Some(b)) => (None, Some(bind_one(b.into())?)),
            (Some(a), Some(b)) => {
                let (s4, s6) = bind_both(a, b)?;
                (Some(s4), Some(s6))
            }
        };
        let port = v4
            .as_ref()
            .or(v6.as_ref())
            .map_or(Ok(0), |s| s.local_addr().map(|a| a.port()))?;
        Ok(UdpEncap {
            pair: Pair {
                v4,
                v6,
                waker: Waker::new()?,
            },
            port,
        })
    }

    /// Replaces this socket's waker, so that one waker can stop the receives of several
    /// sockets.
    pub fn with_waker(mut self, waker: Waker) -> Self {
        self.pair.waker = waker;
        self
    }

    /// The bound UDP port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The bound IPv4 address, if any.
    pub fn local_addr_v4(&self) -> Option<SocketAddr> {
        self.pair.v4.as_ref().and_then(|s| s.local_addr().ok())
    }

    /// The bound IPv6 address, if any.
    pub fn local_addr_v6(&self) -> Option<SocketAddr> {
        self.pair.v6.as_ref().and_then(|s| s.local_addr().ok())
    }

    /// Sends `packet` as one UDP datagram to `dst` with the TOS/traffic-class byte `tos`
    /// (DSCP and ECN). An IPv4-mapped IPv6 destination goes out over IPv4. Returns the
    /// number of bytes sent; EAFNOSUPPORT when the destination's family is not bound,
    /// EMSGSIZE for a packet that does not fit a UDP datagram.
    pub fn send_to(&self, dst: SocketAddr, packet: &[u8], tos: u8) -> io::Result<usize> {
        self.pair.send_to(dst, packet, tos)
    }

    /// Sends `items` in order, in as few system calls as the platform allows. Returns how
    /// many were sent, always a prefix of `items`; an error only if the first one failed.
    /// After a short count, retrying from there reports why the next one failed.
    pub fn send_batch(&self, items: &[Transmit<'_>]) -> io::Result<usize> {
        self.pair.send_batch(items)
    }

    /// Waits until datagrams arrive and receives up to `bufs.capacity()` of them, or until
    /// `timeout` passes (`None`: no limit), or until [`shutdown`](Self::shutdown). Returns the
    /// number of datagrams in `bufs`: 0 after the timeout or shutdown
    /// ([`is_shut_down`](Self::is_shut_down) tells which). A receive thread should stop once
    /// shut down, since every later call returns 0 at once.
    pub fn recv_batch(&self, bufs: &mut RecvBatch, timeout: Option<Duration>) -> io::Result<usize> {
        self.pair.recv_batch(bufs, timeout)
    }

    /// Sends every later datagram with the DF bit and never fragments it locally: a datagram
    /// larger than the interface MTU fails with EMSGSIZE, and the kernel's own path MTU
    /// estimate is ignored (Linux's IP_PMTUDISC_PROBE). This is what packetization-layer path
    /// MTU discovery needs (RFC 8899 §3): a probe must not pass thanks to IP fragmentation.
    /// Without it (the default, as libusrsctp leaves its sockets) the kernel fragments
    /// datagrams larger than the path MTU it knows. A no-op elsewhere than on Linux.
    pub fn set_dont_fragment(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            if let Some(s) = &self.pair.v4 {
                s.set_int(
                    libc::IPPROTO_IP,
                    libc::IP_MTU_DISCOVER,
                    libc::IP_PMTUDISC_PROBE,
                )?;
            }
            if let Some(s) = &self.pair.v6 {
                s.set_int(
                    libc::IPPROTO_IPV6,
                    libc::IPV6_MTU_DISCOVER,
                    libc::IPV6_PMTUDISC_PROBE,
                )?;
            }
        }
        Ok(())
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

fn invalid(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

fn bind_one(addr: SocketAddr) -> io::Result<Sock> {
    let sock = Sock::udp(addr.is_ipv6())?;
    sock.bind(&addr)?;
    Ok(sock)
}

/// Binds both families to one port: the given one, or else the IPv4 socket's ephemeral port.
fn bind_both(mut a: SocketAddrV4, mut b: SocketAddrV6) -> io::Result<(Sock, Sock)> {
    match (a.port(), b.port()) {
        (p, q) if p != 0 && q != 0 && p != q => {
            return Err(invalid("IPv4 and IPv6 ports differ"));
        }
        (0, 0) => {}
        (p, q) => {
            let port = p.max(q);
            a.set_port(port);
            b.set_port(port);
            return Ok((bind_one(a.into())?, bind_one(b.into())?));
        }
    }
    let mut tries = 0;
    loop {
        let s4 = bind_one(a.into())?;
        b.set_port(s4.local_addr()?.port());
        match bind_one(b.into()) {
            Ok(s6) => return Ok((s4, s6)),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse && tries + 1 < EPHEMERAL_TRIES => {
                tries += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::Datagram;
    use std::net::IpAddr;
    use std::time::Instant;

    const V4: Ipv4Addr = Ipv4Addr::LOCALHOST;
    const V6: Ipv6Addr = Ipv6Addr::LOCALHOST;

    fn loopback_pair() -> UdpEncap {
        UdpEncap::bind_addrs(
            Some(SocketAddrV4::new(V4, 0)),
            Some(SocketAddrV6::new(V6, 0, 0, 0)),
        )
        .unwrap()
    }

    /// What a test keeps of a datagram.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Got {
        src: SocketAddr,
        dst: Option<IpAddr>,
        data: Vec<u8>,
        tos: u8,
    }

    impl From<Datagram<'_>> for Got {
        fn from(d: Datagram<'_>) -> Self {
            assert!(!d.truncated);
            Got {
                src: d.src,
                dst: d.dst,
                data: d.data.to_vec(),
                tos: d.tos,
            }
        }
    }

    /// Receives until `count` datagrams arrived, for at most two seconds.
    fn recv_n(sock: &UdpEncap, count: usize, slots: usize) -> Vec<Got> {
        let mut batch = RecvBatch::new(slots);
        let mut got = Vec::new();
        let end = Instant::now() + Duration::from_secs(2);
        while got.len() < count && Instant::now() < end {
            let n = sock
                .recv_batch(&mut batch, Some(Duration::from_millis(200)))
                .unwrap();
            assert_eq!(n, batch.len());
            assert!(n <= slots);
            got.extend(batch.iter().map(Got::from));
        }
        got
    }

    fn to(sock: &UdpEncap, v6: bool) -> SocketAddr {
        if v6 {
            SocketAddr::new(V6.into(), sock.port())
        } else {
            SocketAddr::new(V4.into(), sock.port())
        }
    }

    #[test]
    fn both_families_share_one_ephemeral_port() {
        let sock = UdpEncap::bind(0, true, true).unwrap();
        assert_ne!(sock.port(), 0);
        assert_eq!(sock.local_addr_v4().unwrap().port(), sock.port());
        assert_eq!(sock.local_addr_v6().unwrap().port(), sock.port());
        let only6 = UdpEncap::bind(0, false, true).unwrap();
        assert_eq!(only6.local_addr_v4(), None);
        assert!(UdpEncap::bind(0, false, false).is_err());
    }

    #[test]
    fn batches_are_exchanged_over_ipv4_and_ipv6() {
        let a = loopback_pair();
        let b = loopback_pair();
        let payloads: Vec<Vec<u8>> = (0..40u8)
            .map(|i| vec![i; 1 + usize::from(i) * 37])
            .collect();
        let items: Vec<Transmit<'_>> = payloads
            .iter()
            .enumerate()
            .map(|(i, p)| Transmit {
                dst: to(&b, i % 3 == 0),
                packet: p,
                tos: 0,
            })
            .collect();
        assert_eq!(a.send_batch(&items).unwrap(), items.len());
        let mut got = recv_n(&b, items.len(), 16);
        assert_eq!(got.len(), items.len());
        got.sort_by_key(|g| g.data.len());
        for (i, g) in got.iter().enumerate() {
            let v6 = i % 3 == 0;
            assert_eq!(g.data, payloads[i]);
            assert_eq!(g.src, to(&a, v6), "source of datagram {i}");
            assert_eq!(g.dst, Some(to(&b, v6).ip()), "destination of datagram {i}");
        }

        // And back, one at a time, with the largest datagrams UDP allows.
        let big4 = vec![0x5a; 65_507];
        let big6 = vec![0xa5; 65_527];
        assert_eq!(b.send_to(to(&a, false), &big4, 0).unwrap(), big4.len());
        assert_eq!(b.send_to(to(&a, true), &big6, 0).unwrap(), big6.len());
        let got = recv_n(&a, 2, 4);
        assert_eq!(got.len(), 2);
        assert!(got.iter().any(|g| g.data == big4 && g.src == to(&b, false)));
        assert!(got.iter().any(|g| g.data == big6 && g.src == to(&b, true)));
        let err = b.send_to(to(&a, false), &big6, 0).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE));
    }

    #[test]
    fn tos_and_traffic_class_arrive_as_sent() {
        let a = loopback_pair();
        let b = loopback_pair();
        // ECT(1), ECT(0), CE, and DSCP EF with ECT(0).
        for tos in [0b01u8, 0b10, 0b11, 0xb8 | 0b10, 0] {
            for v6 in [false, true] {
                a.send_to(to(&b, v6), &[tos, u8::from(v6)], tos).unwrap();
                let got = recv_n(&b, 1, 4);
                assert_eq!(got.len(), 1);
                assert_eq!(got[0].data, [tos, u8::from(v6)]);
                assert_eq!(got[0].tos, tos, "v6 {v6}");
            }
        }
        // Per datagram in one batch, too.
        let items: Vec<Transmit<'_>> = [0b01u8, 0b10, 0b01, 0b10]
            .iter()
            .enumerate()
            .map(|(i, tos)| Transmit {
                dst: to(&b, i >= 2),
                packet: std::slice::from_ref(tos),
                tos: *tos,
            })
            .collect();
        assert_eq!(a.send_batch(&items).unwrap(), 4);
        let got = recv_n(&b, 4, 8);
        assert_eq!(got.len(), 4);
        assert!(got.iter().all(|g| g.tos == g.data[0]));
    }

    #[test]
    fn an_ipv4_mapped_destination_goes_over_ipv4() {
        let a = loopback_pair();
        let b = loopback_pair();
        let mapped = SocketAddr::new(V4.to_ipv6_mapped().into(), b.port());
        a.send_to(mapped, b"mapped", 0).unwrap();
        let got = recv_n(&b, 1, 1);
        assert_eq!(got[0].src, to(&a, false));
    }

    #[test]
    fn a_family_not_bound_is_refused() {
        let a = UdpEncap::bind_addrs(Some(SocketAddrV4::new(V4, 0)), None).unwrap();
        let err = a.send_to("[::1]:9".parse().unwrap(), b"x", 0).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EAFNOSUPPORT));
        assert!(a.send_batch(&[]).is_ok());
    }

    #[test]
    fn recv_times_out_with_nothing() {
        let a = loopback_pair();
        let mut batch = RecvBatch::new(4);
        let start = Instant::now();
        assert_eq!(
            a.recv_batch(&mut batch, Some(Duration::from_millis(50)))
                .unwrap(),
            0
        );
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(50), "{waited:?}");
        assert!(waited < Duration::from_secs(1), "{waited:?}");
        assert!(batch.is_empty());
        assert_eq!(a.recv_batch(&mut batch, Some(Duration::ZERO)).unwrap(), 0);
        assert!(!a.is_shut_down());
    }

    #[test]
    fn the_waker_unblocks_a_blocked_receive() {
        let a = loopback_pair();
        let waker = a.waker().clone();
        std::thread::scope(|s| {
            let receiver = s.spawn(|| {
                let mut batch = RecvBatch::new(4);
                let n = a.recv_batch(&mut batch, None).unwrap();
                (n, Instant::now())
            });
            std::thread::sleep(Duration::from_millis(100));
            let woke = Instant::now();
            waker.wake();
            let (n, returned) = receiver.join().unwrap();
            assert_eq!(n, 0);
            let latency = returned.saturating_duration_since(woke);
            assert!(latency < Duration::from_millis(100), "{latency:?}");
        });
        assert!(a.is_shut_down());
        // Later receives return at once, even with data queued.
        a.send_to(to(&a, false), b"late", 0).unwrap();
        let mut batch = RecvBatch::new(1);
        let start = Instant::now();
        assert_eq!(a.recv_batch(&mut batch, None).unwrap(), 0);
        assert!(start.elapsed() < Duration::from_millis(100));
    }

    #[test]
    fn one_waker_stops_several_sockets() {
        let waker = Waker::new().unwrap();
        let a = loopback_pair().with_waker(waker.clone());
        let b = UdpEncap::bind_addrs(None, Some(SocketAddrV6::new(V6, 0, 0, 0)))
            .unwrap()
            .with_waker(waker.clone());
        std::thread::scope(|s| {
            let ta = s.spawn(|| a.recv_batch(&mut RecvBatch::new(1), None).unwrap());
            let tb = s.spawn(|| b.recv_batch(&mut RecvBatch::new(1), None).unwrap());
            std::thread::sleep(Duration::from_millis(50));
            waker.wake();
            assert_eq!(ta.join().unwrap(), 0);
            assert_eq!(tb.join().unwrap(), 0);
        });
    }

    #[test]
    fn a_busy_port_gives_eaddrinuse() {
        let a = UdpEncap::bind(0, true, true).unwrap();
        for (v4, v6) in [(true, false), (false, true), (true, true)] {
            let err = UdpEncap::bind(a.port(), v4, v6).unwrap_err();
            assert_eq!(
                err.raw_os_error(),
                Some(libc::EADDRINUSE),
                "v4 {v4} v6 {v6}"
            );
            assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        }
        let err = UdpEncap::bind_addrs(
            Some(SocketAddrV4::new(V4, 1000)),
            Some(SocketAddrV6::new(V6, 1001, 0, 0)),
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn odd_datagrams_are_received_whole() {
        let a = loopback_pair();
        let b = loopback_pair();
        a.send_to(to(&b, false), &[], 0).unwrap();
        a.send_to(to(&b, true), &[], 0).unwrap();
        let got = recv_n(&b, 2, 2);
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|g| g.data.is_empty()));
    }
}
