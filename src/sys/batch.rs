//! Buffers for batched receive and the description of a datagram to send.

use std::net::{IpAddr, SocketAddr};

use super::addr::RawAddr;

/// The largest IP datagram, hence the largest UDP payload or raw IP packet.
pub const MAX_DATAGRAM: usize = 65_535;

/// Room for one received datagram: any IP packet plus slack, so that a datagram is never cut
/// (a cut one is reported with [`Datagram::truncated`]).
pub const RECV_BUFFER_LEN: usize = 64 * 1024 + 512;

/// The most datagrams one receive or send call moves; larger batches are clamped.
pub const MAX_BATCH: usize = 64;

/// Room for the control messages of one received datagram: the TOS/traffic class and the
/// packet-info with the destination address, with margin.
pub(crate) const CMSG_BUFFER_LEN: usize = 128;

/// A control-message buffer aligned for `cmsghdr`.
#[derive(Clone, Copy)]
#[repr(C, align(8))]
pub(crate) struct CmsgBuffer(pub [u8; CMSG_BUFFER_LEN]);

/// One datagram to send.
#[derive(Debug, Clone, Copy)]
pub struct Transmit<'a> {
    /// Where to: for UDP the peer's address and port; for raw IP the port is ignored.
    pub dst: SocketAddr,
    /// The UDP payload, or for raw IP the packet after the IP header (the SCTP packet).
    pub packet: &'a [u8],
    /// The IPv4 TOS or IPv6 traffic-class byte: DSCP in the upper six bits, ECN in the lower two.
    pub tos: u8,
}

/// One received datagram, borrowed from a [`RecvBatch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Datagram<'a> {
    /// The sender: for UDP its address and port; for raw IP its address with port 0.
    pub src: SocketAddr,
    /// The destination address of the IP header when the platform reports it.
    pub dst: Option<IpAddr>,
    /// The UDP payload, or for raw IP the packet after the IP header.
    pub data: &'a [u8],
    /// The IPv4 TOS or IPv6 traffic-class byte as received (0 when the platform did not say).
    pub tos: u8,
    /// The datagram did not fit its buffer and `data` is cut; the stack should drop it.
    pub truncated: bool,
}

#[derive(Debug, Clone, Copy)]
struct Received {
    src: SocketAddr,
    dst: Option<IpAddr>,
    slot: usize,
    start: usize,
    len: usize,
    tos: u8,
    truncated: bool,
}

/// Reusable buffers for [`recv_batch`](super::UdpEncap::recv_batch): one
/// [`RECV_BUFFER_LEN`]-byte buffer per slot, allocated once. After a receive, `len()` datagrams
/// are available through [`get`](Self::get) and [`iter`](Self::iter) until the next receive.
pub struct RecvBatch {
    data: Vec<u8>,
    pub(crate) names: Vec<RawAddr>,
    pub(crate) cmsgs: Vec<CmsgBuffer>,
    received: Vec<Received>,
    /// Slots handed to the kernel in the current receive (dropped datagrams use one too).
    used: usize,
    /// Which socket is read first, alternated so that one family cannot starve the other.
    pub(crate) turn: usize,
}

impl RecvBatch {
    /// Buffers for `slots` datagrams, clamped to `1..=MAX_BATCH`.
    pub fn new(slots: usize) -> Self {
        let slots = slots.clamp(1, MAX_BATCH);
        RecvBatch {
            data: vec![0; slots * RECV_BUFFER_LEN],
            names: vec![RawAddr::empty(); slots],
            cmsgs: vec![CmsgBuffer([0; CMSG_BUFFER_LEN]); slots],
            received: Vec::with_capacity(slots),
            used: 0,
            turn: 0,
        }
    }

    /// How many datagrams one receive can return.
    pub fn capacity(&self) -> usize {
        self.names.len()
    }

    /// How many datagrams the last receive returned.
    pub fn len(&self) -> usize {
        self.received.len()
    }

    /// Whether the last receive returned nothing.
    pub fn is_empty(&self) -> bool {
        self.received.is_empty()
    }

    /// The `index`th datagram of the last receive.
    pub fn get(&self, index: usize) -> Option<Datagram<'_>> {
        let r = self.received.get(index)?;
        let base = r.slot * RECV_BUFFER_LEN;
        Some(Datagram {
            src: r.src,
            dst: r.dst,
            data: &self.data[base + r.start..base + r.start + r.len],
            tos: r.tos,
            truncated: r.truncated,
        })
    }

    /// The datagrams of the last receive, in order.
    pub fn iter(&self) -> impl Iterator<Item = Datagram<'_>> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    pub(crate) fn clear(&mut self) {
        self.received.clear();
        self.used = 0;
    }

    /// Slots not yet handed to the kernel in this receive.
    pub(crate) fn free_slots(&self) -> std::ops::Range<usize> {
        self.used..self.capacity()
    }

    /// Marks the next `count` slots as used.
    pub(crate) fn take_slots(&mut self, count: usize) {
        self.used = (self.used + count).min(self.capacity());
    }

    /// Base pointers of the data, address and control buffers, for the kernel to write into.
    /// Slot `i` is at `data + i * RECV_BUFFER_LEN`, `names + i` and `cmsgs + i`.
    pub(crate) fn kernel_parts(&mut self) -> (*mut u8, *mut RawAddr, *mut CmsgBuffer) {
        (
            self.data.as_mut_ptr(),
            self.names.as_mut_ptr(),
            self.cmsgs.as_mut_ptr(),
        )
    }

    /// The bytes the kernel wrote into `slot`, up to `len`.
    pub(crate) fn slot_bytes(&self, slot: usize, len: usize) -> &[u8] {
        let base = slot * RECV_BUFFER_LEN;
        &self.data[base..base + len.min(RECV_BUFFER_LEN)]
    }

    /// Records a datagram of `slot` whose payload is `len` bytes from `start`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        slot: usize,
        start: usize,
        len: usize,
        src: SocketAddr,
        dst: Option<IpAddr>,
        tos: u8,
        truncated: bool,
    ) {
        let start = start.min(RECV_BUFFER_LEN);
        let len = len.min(RECV_BUFFER_LEN - start);
        self.received.push(Received {
            src,
            dst,
            slot,
            start,
            len,
            tos,
            truncated,
        });
    }
}

impl std::fmt::Debug for RecvBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecvBatch")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_clamped_and_empty_batches_yield_nothing() {
        assert_eq!(RecvBatch::new(0).capacity(), 1);
        assert_eq!(RecvBatch::new(1000).capacity(), MAX_BATCH);
        let batch = RecvBatch::new(4);
        assert!(batch.is_empty());
        assert_eq!(batch.get(0), None);
        assert_eq!(batch.iter().count(), 0);
    }

    #[test]
    fn odd_offsets_never_panic() {
        let mut batch = RecvBatch::new(2);
        let src: SocketAddr = "127.0.0.1:1".parse().unwrap();
        batch.push(1, usize::MAX, usize::MAX, src, None, 0, true);
        batch.push(0, 10, 5, src, None, 3, false);
        assert_eq!(batch.get(0).unwrap().data.len(), 0);
        assert_eq!(batch.get(1).unwrap().data.len(), 5);
        assert_eq!(batch.slot_bytes(1, usize::MAX).len(), RECV_BUFFER_LEN);
    }
}
