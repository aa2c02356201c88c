//! Assembling packets: control chunks first, then data, within the path MTU (RFC 9260 §6.10
//! bundling rules), behind a common header with the right verification tag.

use std::collections::VecDeque;

use crate::types::{Ecn, NetAddr};
use crate::wire::header::{CommonHeader, HEADER_LEN};

/// A packet to send to `dst`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    pub dst: NetAddr,
    pub bytes: Vec<u8>,
    /// The ECN codepoint for the IP header: ECT(0) on packets with DATA of an association that
    /// agreed on ECN (RFC 9260 Appendix A), Not-ECT otherwise.
    pub ecn: Ecn,
}

impl Transmit {
    /// A packet without an ECN mark.
    pub fn new(dst: NetAddr, bytes: Vec<u8>) -> Self {
        Transmit {
            dst,
            bytes,
            ecn: Ecn::NotEct,
        }
    }
}

/// A control chunk waiting to be sent, already serialised with its padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedChunk {
    pub bytes: Vec<u8>,
    /// Send on this path rather than the current one (HEARTBEAT, replies to a path).
    pub path: Option<usize>,
    /// Must go alone in its packet with this verification tag (INIT: 0; ABORT or
    /// SHUTDOWN-COMPLETE with the T bit: our own tag).
    pub own_packet_tag: Option<u32>,
}

impl QueuedChunk {
    pub fn new(bytes: Vec<u8>) -> Self {
        QueuedChunk {
            bytes,
            path: None,
            own_packet_tag: None,
        }
    }

    pub fn on_path(mut self, path: usize) -> Self {
        self.path = Some(path);
        self
    }

    pub fn alone_with_tag(mut self, tag: u32) -> Self {
        self.own_packet_tag = Some(tag);
        self
    }
}

/// Builds one packet: a header, then chunks while they fit in `mtu`.
pub struct PacketBuffer {
    bytes: Vec<u8>,
    mtu: usize,
}

impl PacketBuffer {
    pub fn new(src_port: u16, dst_port: u16, tag: u32, mtu: usize) -> Self {
        let mut bytes = vec![0u8; HEADER_LEN];
        let header = CommonHeader {
            src_port,
            dst_port,
            verification_tag: tag,
            checksum: 0,
        };
        let _ = header.emit(&mut bytes);
        PacketBuffer {
            bytes,
            mtu: mtu.max(HEADER_LEN + 4),
        }
    }

    /// Room left for chunks.
    pub fn remaining(&self) -> usize {
        self.mtu.saturating_sub(self.bytes.len())
    }

    /// The bytes of the packet so far, header included.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.len() == HEADER_LEN
    }

    /// Appends a serialised chunk if it fits (an oversized chunk alone in an empty packet is
    /// allowed: the lower layer fragments or drops it).
    pub fn push(&mut self, chunk: &[u8]) -> bool {
        if chunk.len() <= self.remaining() || self.is_empty() {
            self.bytes.extend_from_slice(chunk);
            true
        } else {
            false
        }
    }

    /// Moves queued chunks that may share a packet into this one, in order, while they fit.
    pub fn fill_from(&mut self, queue: &mut VecDeque<QueuedChunk>, path: usize, current: usize) {
        while let Some(next) = queue.front() {
            if next.own_packet_tag.is_some() || next.path.unwrap_or(current) != path {
                break;
            }
            if !self.push(&next.bytes) {
                break;
            }
            queue.pop_front();
        }
    }

    /// True when the packet holds a DATA or I-DATA chunk.
    pub fn has_data(&self) -> bool {
        crate::wire::tlv::ChunkIter::new(&self.bytes[HEADER_LEN..])
            .flatten()
            .any(|c| matches!(c.chunk_type, 0 | 64))
    }

    /// The packet so far, common header first (to add an AUTH chunk before finishing).
    pub fn bytes_mut(&mut self) -> &mut Vec<u8> {
        &mut self.bytes
    }

    /// Finishes the packet, computing its checksum unless `zero_checksum` (RFC 9653).
    pub fn finish(mut self, zero_checksum: bool) -> Vec<u8> {
        if !zero_checksum {
            crate::wire::crc::set_checksum(&mut self.bytes);
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::packet::Packet;

    #[test]
    fn bundles_until_the_mtu() {
        let mut queue: VecDeque<QueuedChunk> = (0..4)
            .map(|_| QueuedChunk::new(vec![11, 0, 0, 4]))
            .collect();
        queue.push_back(QueuedChunk::new(vec![14, 0, 0, 4]).alone_with_tag(7));
        let mut p = PacketBuffer::new(1, 2, 99, 12 + 8);
        p.fill_from(&mut queue, 0, 0);
        assert_eq!(queue.len(), 3);
        let bytes = p.finish(false);
        assert!(crate::wire::crc::verify(&bytes));
        let packet = Packet::parse(&bytes).unwrap();
        assert_eq!(packet.header.verification_tag, 99);
        assert_eq!(packet.chunks().count(), 2);
    }

    #[test]
    fn stops_at_chunks_that_need_their_own_packet_or_path() {
        let mut queue = VecDeque::new();
        queue.push_back(QueuedChunk::new(vec![4, 0, 0, 4]).on_path(1));
        let mut p = PacketBuffer::new(1, 2, 3, 1200);
        p.fill_from(&mut queue, 0, 0);
        assert!(p.is_empty());
        p.fill_from(&mut queue, 1, 0);
        assert!(!p.is_empty());
        assert_eq!(p.finish(true)[8..12], [0, 0, 0, 0]);
    }
}
