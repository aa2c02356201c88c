//! What PR-SCTP and the stream schedulers show of an association through socket options: the
//! abandoned-message counters (SCTP_PR_ASSOC_STATUS, SCTP_PR_STREAM_STATUS, RFC 7496 §5) and
//! the scheduler with its per-stream values (SCTP_PLUGGABLE_SS, SCTP_SS_VALUE).

use std::collections::BTreeMap;

use super::association::Association;
use crate::tx::{AbandonedMessage, SchedulerKind};
use crate::types::StreamId;

/// Abandoned messages, counted as libusrsctp counts them: once per message, as unsent when no
/// fragment of it had been put on the wire. Index 0 of a policy table holds the total.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AbandonedCounters {
    /// Per policy number (0: all, 1: TTL, 2: BUF, 3: RTX): (unsent, sent).
    by_policy: [(u64, u64); 4],
    /// Per stream, all policies: (unsent, sent).
    by_stream: BTreeMap<u16, (u64, u64)>,
}

impl AbandonedCounters {
    /// Counts a message that PR-SCTP abandoned.
    pub fn count(&mut self, m: &AbandonedMessage) {
        let add = |c: &mut (u64, u64)| {
            if m.sent {
                c.1 += 1;
            } else {
                c.0 += 1;
            }
        };
        add(&mut self.by_policy[0]);
        if let Some(c) = self.by_policy.get_mut(usize::from(m.pr.number())) {
            if m.pr.number() != 0 {
                add(c);
            }
        }
        add(self.by_stream.entry(m.stream_id.0).or_default());
    }

    /// (unsent, sent) for policy number `policy` (0: all).
    pub fn policy(&self, policy: u16) -> (u64, u64) {
        self.by_policy
            .get(usize::from(policy))
            .copied()
            .unwrap_or_default()
    }

    /// (unsent, sent) of all policies on `stream`.
    pub fn stream(&self, stream: u16) -> (u64, u64) {
        self.by_stream.get(&stream).copied().unwrap_or_default()
    }
}

impl Association {
    /// The PR-SCTP abandoned-message counters.
    pub fn abandoned(&self) -> &AbandonedCounters {
        &self.pr_counters
    }

    /// The stream scheduler in use.
    pub fn scheduler(&self) -> SchedulerKind {
        self.send_queue.scheduler()
    }

    /// Changes the stream scheduler (SCTP_PLUGGABLE_SS on a live association).
    pub fn set_scheduler(&mut self, kind: SchedulerKind) {
        self.config.scheduler = kind;
        self.send_queue.set_scheduler(kind);
    }

    /// SCTP_SS_VALUE of `stream`.
    pub fn stream_value(&self, stream: u16) -> u16 {
        self.send_queue.stream_value(StreamId(stream))
    }

    pub fn set_stream_value(&mut self, stream: u16, value: u16) {
        self.send_queue.set_stream_value(StreamId(stream), value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tx::{MessageId, PrPolicy};
    use crate::types::Ppid;

    fn abandoned(stream: u16, pr: PrPolicy, sent: bool) -> AbandonedMessage {
        AbandonedMessage {
            message_id: MessageId(0),
            stream_id: StreamId(stream),
            ppid: Ppid(0),
            unordered: false,
            sent,
            pr,
            context: 0,
            data: Vec::new(),
        }
    }

    #[test]
    fn counts_per_policy_and_stream() {
        let mut c = AbandonedCounters::default();
        c.count(&abandoned(
            1,
            PrPolicy::Rtx {
                max_retransmissions: 0,
            },
            true,
        ));
        c.count(&abandoned(1, PrPolicy::Buf { priority: 3 }, false));
        c.count(&abandoned(2, PrPolicy::Buf { priority: 3 }, false));
        assert_eq!(c.policy(0), (2, 1));
        assert_eq!(c.policy(1), (0, 0));
        assert_eq!(c.policy(2), (2, 0));
        assert_eq!(c.policy(3), (0, 1));
        assert_eq!(c.policy(9), (0, 0));
        assert_eq!(c.stream(1), (1, 1));
        assert_eq!(c.stream(2), (1, 0));
        assert_eq!(c.stream(3), (0, 0));
    }
}
