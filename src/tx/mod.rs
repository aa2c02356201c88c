//! The send side of an association: the send queue and stream scheduling, fragmentation into
//! chunks, data in flight and its retransmission, the RTO estimator and congestion control.
//! Depends on `types` and `wire` only.
//!
//! How the association drives it:
//! - one [`RtoEstimator`] per path, fed with the RTT samples that [`SackOutcome`] reports;
//! - one [`SendQueue`] for user messages (`enqueue`), fragmented on demand;
//! - one [`RetransmissionQueue`], which owns a [`CongestionControl`] per path (added with
//!   `add_path`), assigns TSNs, processes SACKs (`handle_sack`), T3-rtx expiry
//!   (`on_t3_timeout`), fills packets (`next_packet`) and computes FORWARD-TSN content.
//!
//! Payload bytes are counted against the send buffer from `enqueue` until they are acknowledged
//! or abandoned, as SO_SNDBUF counts them in libusrsctp.

pub mod congestion;
pub mod retransmission;
pub mod rto;
pub mod scheduler;
pub mod send_queue;

pub use congestion::{CongestionConfig, CongestionControl};
pub use retransmission::{
    ForwardTsnContent, RetransmissionConfig, RetransmissionQueue, SackError, SackOutcome,
    SentChunk, T3Action, T3Outcome,
};
pub use rto::{RtoConfig, RtoEstimator};
pub use scheduler::SchedulerKind;
pub use send_queue::{
    EnqueueError, MessageOptions, OutgoingChunk, SendQueue, SendQueueConfig, StreamSeq,
};

use crate::types::{Instant, Ppid, StreamId};
use std::fmt;
use std::sync::Arc;

/// A destination transport address of the association, named by the association layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PathId(pub u16);

/// Identifies one user message from `enqueue` until it is acknowledged or abandoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MessageId(pub u64);

/// Partial reliability policy of one message (RFC 3758, RFC 7496).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrPolicy {
    /// Fully reliable.
    #[default]
    Reliable,
    /// Timed reliability: abandon the message once `expires` has passed.
    Ttl { expires: Instant },
    /// Limited retransmissions: abandon a chunk that would be retransmitted more than
    /// `max_retransmissions` times (0: never retransmit).
    Rtx { max_retransmissions: u32 },
    /// Priority (RFC 7496 §4.2, libusrsctp's SCTP_PR_SCTP_BUF): when the send buffer has no
    /// room for a new message, queued messages of a lower priority (a higher value) may be
    /// abandoned for it.
    Buf { priority: u32 },
}

impl PrPolicy {
    /// The policy's number in `sctp_prinfo` (SCTP_PR_SCTP_NONE, _TTL, _BUF, _RTX).
    pub fn number(self) -> u16 {
        match self {
            PrPolicy::Reliable => 0,
            PrPolicy::Ttl { .. } => 1,
            PrPolicy::Buf { .. } => 2,
            PrPolicy::Rtx { .. } => 3,
        }
    }
}

/// A shared, immutable slice of a user message. Cloning it does not copy the bytes.
#[derive(Clone)]
pub struct Payload {
    data: Arc<[u8]>,
    start: usize,
    end: usize,
}

impl Payload {
    /// The whole of `data`.
    pub fn new(data: Arc<[u8]>) -> Self {
        let end = data.len();
        Payload {
            data,
            start: 0,
            end,
        }
    }

    /// The bytes `start..end` of this payload (clamped to its length).
    pub fn slice(&self, start: usize, end: usize) -> Payload {
        let len = self.len();
        let end = end.min(len);
        let start = start.min(end);
        Payload {
            data: self.data.clone(),
            start: self.start + start,
            end: self.start + end,
        }
    }

    pub fn as_slice(&self) -> &[u8] {
        &self.data[self.start..self.end]
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl From<Vec<u8>> for Payload {
    fn from(v: Vec<u8>) -> Self {
        Payload::new(v.into())
    }
}

impl From<&[u8]> for Payload {
    fn from(v: &[u8]) -> Self {
        Payload::new(v.into())
    }
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Payload {}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Payload({} bytes)", self.len())
    }
}

/// A message given up before it was fully acknowledged: PR-SCTP abandonment, an expired
/// lifetime, or a stream or association torn down. The association turns it into an
/// SCTP_SEND_FAILED_EVENT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbandonedMessage {
    pub message_id: MessageId,
    pub stream_id: StreamId,
    pub ppid: Ppid,
    pub unordered: bool,
    /// True when at least one fragment had been put on the wire (SCTP_DATA_SENT), false when
    /// none had (SCTP_DATA_UNSENT).
    pub sent: bool,
    /// The message's policy.
    pub pr: PrPolicy,
    /// The `snd_context` the user gave the message.
    pub context: u32,
    /// The bytes not known to be delivered: unacknowledged fragments then the unsent rest.
    pub data: Vec<Payload>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_slices_share_bytes() {
        let p = Payload::from(vec![1, 2, 3, 4, 5]);
        let s = p.slice(1, 4);
        assert_eq!(s.as_slice(), &[2, 3, 4]);
        assert_eq!(s.slice(1, 10).as_slice(), &[3, 4]);
        assert_eq!(s.slice(5, 2).len(), 0);
        assert!(p.slice(5, 5).is_empty());
    }
}
