//! The send queue's part in stream scheduling and PR-SCTP: choosing and switching the
//! scheduler, its per-stream values, packet boundaries, and the priority-policy messages that
//! may make room in the send buffer.

use super::{head_of, Head, SchedulerKind, SendQueue};
use crate::tx::{MessageId, PrPolicy};
use crate::types::StreamId;

impl SendQueue {
    /// Queued messages of the priority policy with a priority value above `priority`: (stream,
    /// message, priority, queued bytes). For [`RetransmissionQueue::make_room`].
    ///
    /// [`RetransmissionQueue::make_room`]: super::RetransmissionQueue::make_room
    pub fn queued_by_priority(&self, priority: u32) -> Vec<(StreamId, MessageId, u32, usize)> {
        if !self.config.partial_reliability || self.buffered_bytes == 0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (&id, s) in &self.streams {
            for m in &s.queue {
                if let PrPolicy::Buf { priority: p } = m.opts.pr {
                    if p > priority {
                        out.push((StreamId(id), m.id, p, m.available));
                    }
                }
            }
        }
        out
    }

    /// Whether PR-SCTP was agreed: without it policies are ignored and messages go reliably.
    pub fn set_partial_reliability(&mut self, on: bool) {
        self.config.partial_reliability = on;
    }

    /// The stream scheduling module in use.
    pub fn scheduler(&self) -> SchedulerKind {
        self.sched.kind()
    }

    /// Changes the stream scheduling module (SCTP_PLUGGABLE_SS); a message under way keeps
    /// its place.
    pub fn set_scheduler(&mut self, kind: SchedulerKind) {
        self.config.scheduler = kind;
        let active: Vec<(u16, Head)> = self
            .streams
            .iter()
            .filter_map(|(&id, s)| s.queue.front().map(|m| (id, head_of(m))))
            .collect();
        self.sched.set_kind(kind, active);
    }

    /// The per-stream value of the scheduler (SCTP_SS_VALUE): priority or weight.
    pub fn stream_value(&self, stream: StreamId) -> u16 {
        self.sched.value(stream.0)
    }

    pub fn set_stream_value(&mut self, stream: StreamId, value: u16) {
        let head = self.head(stream.0).map(head_of);
        self.sched.set_value(stream.0, value, head);
    }

    /// The packet being filled is complete (for round robin per packet).
    pub fn end_packet(&mut self) {
        self.sched.end_packet();
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{drain, opts, q, t};
    use super::super::SendQueueConfig;
    use super::*;
    use crate::tx::MessageOptions;

    /// With I-DATA the scheduler chooses for every chunk: a large message on stream 1 does not
    /// hold back the small ones of stream 2.
    #[test]
    fn idata_round_robin_interleaves_a_large_message_with_small_ones() {
        let mut q = SendQueue::new(SendQueueConfig {
            interleaving: true,
            scheduler: SchedulerKind::RoundRobin,
            ..SendQueueConfig::default()
        });
        q.enqueue(StreamId(1), vec![1u8; 500], opts(), true)
            .unwrap();
        for _ in 0..3 {
            q.enqueue(StreamId(2), vec![2u8; 50], opts(), true).unwrap();
        }
        let order: Vec<(u16, bool)> = drain(&mut q, 100)
            .iter()
            .map(|c| (c.stream_id.0, c.ending))
            .collect();
        assert_eq!(
            order,
            [
                (1, false),
                (2, true),
                (1, false),
                (2, true),
                (1, false),
                (2, true),
                (1, false),
                (1, true)
            ]
        );
        // With DATA the started message keeps its stream.
        let mut d = SendQueue::new(SendQueueConfig {
            scheduler: SchedulerKind::RoundRobin,
            ..SendQueueConfig::default()
        });
        d.enqueue(StreamId(1), vec![1u8; 300], opts(), true)
            .unwrap();
        d.enqueue(StreamId(2), vec![2u8; 50], opts(), true).unwrap();
        let order: Vec<u16> = drain(&mut d, 100).iter().map(|c| c.stream_id.0).collect();
        assert_eq!(order, [1, 1, 1, 2]);
    }

    /// Without PR-SCTP agreed, policies are dropped: nothing expires, chunks go reliably.
    #[test]
    fn policies_need_partial_reliability() {
        let mut q = q();
        q.set_partial_reliability(false);
        let ttl = MessageOptions {
            pr: PrPolicy::Ttl { expires: t(10) },
            ..opts()
        };
        q.enqueue(StreamId(0), vec![1], ttl, true).unwrap();
        let c = q.next_chunk(t(50), 100).unwrap();
        assert_eq!(c.pr, PrPolicy::Reliable);
        assert!(q.drain_discarded().is_empty());
    }
}
