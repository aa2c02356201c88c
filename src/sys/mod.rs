//! OS I/O: the sockets that carry SCTP packets between this process and the network.
//!
//! - [`UdpEncap`]: SCTP over UDP (RFC 6951), one UDP port on IPv4 and/or IPv6.
//! - [`RawIp`]: SCTP directly over IPv4/IPv6 through raw sockets for protocol 132, which
//!   needs CAP_NET_RAW.
//!
//! Both send one datagram or a batch (`sendmmsg` on Linux) with a TOS/traffic-class byte per
//! datagram, so that ECN (RFC 3168) and DSCP reach the wire, and receive a batch
//! (`recvmmsg` on Linux) into a reusable [`RecvBatch`] that reports per datagram its source,
//! destination address, TOS/traffic class and payload. A receive blocks in `poll(2)` on the
//! sockets and a [`Waker`]; waking it (at `usrsctp_finish`) makes every receive return at once,
//! so a receive thread can always be joined.
//!
//! This is the only place with platform specifics. Linux is the tested platform; other Unix
//! systems use `recvmsg`/`sendmsg` loops, a self-pipe instead of an eventfd, and setsockopt
//! for the IPv4 TOS.

mod addr;
mod batch;
mod raw;
mod sock;
mod udp;
mod waker;

pub use batch::{Datagram, RecvBatch, Transmit, MAX_BATCH, MAX_DATAGRAM, RECV_BUFFER_LEN};
pub use raw::{RawIp, IPPROTO_SCTP};
pub use udp::UdpEncap;
pub use waker::Waker;

#[cfg(test)]
mod tests {
    use super::*;

    /// The stack moves batches into receive threads and shares sockets between threads.
    #[test]
    fn sockets_and_batches_cross_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<UdpEncap>();
        send_sync::<RawIp>();
        send_sync::<Waker>();
        send_sync::<RecvBatch>();
    }
}
