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

    #[derive(Debug, Clone)]
    enum Op {
        Send(u16, usize),
        Take(usize),
        Switch(u32),
        Value(u16, u16),
        EndPacket,
    }

    fn op() -> impl proptest::strategy::Strategy<Value = Op> {
        use proptest::prelude::*;
        prop_oneof![
            (0u16..6, 1usize..700).prop_map(|(s, l)| Op::Send(s, l)),
            (1usize..300).prop_map(Op::Take),
            (0u32..7).prop_map(Op::Switch),
            (0u16..6, 0u16..1000).prop_map(|(s, v)| Op::Value(s, v)),
            Just(Op::EndPacket),
        ]
    }

    proptest::proptest! {
        /// Whatever the module, its switches and values, every message comes out exactly
        /// once, whole, its fragments in order (B first, E last), and DATA never interleaves.
        #[test]
        fn every_module_delivers_every_message_once(
            interleaving in proptest::bool::ANY,
            start in 0u32..7,
            ops in proptest::collection::vec(op(), 1..120),
        ) {
            let mut q = SendQueue::new(SendQueueConfig {
                interleaving,
                scheduler: SchedulerKind::from_ss_module(start).unwrap(),
                max_buffered_bytes: usize::MAX,
                ..SendQueueConfig::default()
            });
            let mut sent: Vec<(MessageId, usize)> = Vec::new();
            let mut got: std::collections::BTreeMap<MessageId, usize> = Default::default();
            let mut open: Option<MessageId> = None;
            let mut drain_one = |q: &mut SendQueue, max: usize, open: &mut Option<MessageId>| -> Result<bool, proptest::test_runner::TestCaseError> {
                let Some(c) = q.next_chunk(t(0), max) else { return Ok(false) };
                let so_far = got.entry(c.message_id).or_default();
                proptest::prop_assert_eq!(c.beginning, *so_far == 0);
                *so_far += c.payload.len();
                if !interleaving {
                    proptest::prop_assert!(open.is_none_or(|o| o == c.message_id));
                    *open = (!c.ending).then_some(c.message_id);
                }
                Ok(true)
            };
            for op in ops {
                match op {
                    Op::Send(s, len) => {
                        let id = q.enqueue(StreamId(s), vec![1u8; len], opts(), true).unwrap();
                        sent.push((id, len));
                    }
                    Op::Take(max) => {
                        drain_one(&mut q, max, &mut open)?;
                    }
                    Op::Switch(m) => q.set_scheduler(SchedulerKind::from_ss_module(m).unwrap()),
                    Op::Value(s, v) => q.set_stream_value(StreamId(s), v),
                    Op::EndPacket => q.end_packet(),
                }
            }
            // Round robin per packet may hold a packet to one stream: end packets as needed.
            for _ in 0..100_000 {
                if !drain_one(&mut q, 250, &mut open)? {
                    if q.is_empty() {
                        break;
                    }
                    q.end_packet();
                }
            }
            proptest::prop_assert!(q.is_empty());
            proptest::prop_assert_eq!(q.queued_bytes(), 0);
            for (id, len) in sent {
                proptest::prop_assert_eq!(got.get(&id).copied(), Some(len));
            }
        }
    }
}
