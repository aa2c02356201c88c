//! The PR-SCTP priority policy on the sender (RFC 7496 §4.2; libusrsctp's SCTP_PR_SCTP_BUF):
//! when a new message does not fit the send buffer, messages of a lower priority are abandoned
//! to make room for it.
//!
//! The rule, as libusrsctp's `sctp_prune_prsctp` intends it (its 0.9.5 never runs it: the count
//! of removable chunks that guards it is never raised, so Debian's library answers EWOULDBLOCK
//! or blocks instead):
//! - only messages sent with the priority policy are candidates, and only those whose priority
//!   value is greater (a lower priority) than the new message's; a new message without the
//!   policy counts as priority 0, the highest;
//! - the lowest priority goes first, and among equals the oldest;
//! - messages are taken until the bytes they hold in the send buffer cover what is missing;
//!   if all candidates together cannot, nothing is abandoned.
//!
//! Abandoned messages are reported and forwarded like any PR-SCTP abandonment (FORWARD-TSN
//! for what was sent), and their bytes leave the send buffer at once.

use std::collections::BTreeMap;

use super::{RetransmissionQueue, State};
use crate::tx::{MessageId, PrPolicy, SendQueue};
use crate::types::StreamId;

impl RetransmissionQueue {
    /// Abandons lower-priority messages until `len` more bytes fit the send buffer. Returns
    /// whether they fit now.
    pub fn make_room(&mut self, len: usize, priority: u32, send_queue: &mut SendQueue) -> bool {
        let available = send_queue.available_buffer();
        if len <= available {
            return true;
        }
        let missing = len - available;
        // Message → (priority, stream, bytes held, has outstanding chunks).
        let mut candidates: BTreeMap<MessageId, (u32, StreamId, usize, bool)> = BTreeMap::new();
        for e in &self.entries {
            if let PrPolicy::Buf { priority: p } = e.chunk.pr {
                if p > priority && e.state != State::Abandoned {
                    let c = candidates.entry(e.chunk.message_id).or_insert((
                        p,
                        e.chunk.stream_id,
                        0,
                        true,
                    ));
                    c.2 += e.len();
                }
            }
        }
        for (stream, id, p, bytes) in send_queue.queued_by_priority(priority) {
            let c = candidates.entry(id).or_insert((p, stream, 0, false));
            c.2 += bytes;
        }
        let total: usize = candidates.values().map(|c| c.2).sum();
        if total < missing {
            return false;
        }
        let mut order: Vec<(u32, MessageId, StreamId, usize, bool)> = candidates
            .into_iter()
            .map(|(id, (p, s, b, out))| (p, id, s, b, out))
            .collect();
        // Highest value (lowest priority) first, oldest first among equals.
        order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut freed = 0;
        for (_, id, stream, bytes, outstanding) in order {
            if freed >= missing {
                break;
            }
            if outstanding {
                self.abandon_message(stream, id, send_queue);
            } else {
                send_queue.abandon_message(stream, id);
            }
            freed += bytes;
        }
        len <= send_queue.available_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{flush, msg, plain, setup_with, t, P0};
    use super::*;
    use crate::tx::MessageOptions;

    fn prio(p: u32) -> MessageOptions {
        MessageOptions {
            pr: PrPolicy::Buf { priority: p },
            ..plain()
        }
    }

    #[test]
    fn lower_priority_messages_make_room() {
        let (mut rq, mut sq) = setup_with(0, |_| {});
        sq.set_max_buffered_bytes(5000);
        let sent_low = msg(&mut sq, 1, 1000, prio(7));
        flush(&mut rq, &mut sq, t(0), P0);
        let queued_low = msg(&mut sq, 1, 1000, prio(7));
        msg(&mut sq, 2, 1000, prio(5));
        msg(&mut sq, 2, 1000, prio(9));
        msg(&mut sq, 3, 1000, plain());
        assert_eq!(sq.available_buffer(), 0);
        // Priority 9 is the lowest: it goes first; then the oldest of priority 7, the one
        // already sent. Priority 5 and the reliable message stay.
        assert!(rq.make_room(1500, 5, &mut sq));
        let gone = rq.drain_abandoned(&mut sq);
        let ids: Vec<(MessageId, bool)> = gone.iter().map(|m| (m.message_id, m.sent)).collect();
        assert_eq!(ids.len(), 2);
        assert!(ids.contains(&(sent_low, true)));
        assert!(gone
            .iter()
            .any(|m| !m.sent && m.pr == PrPolicy::Buf { priority: 9 }));
        assert!(!ids.iter().any(|&(id, _)| id == queued_low));
        assert_eq!(sq.available_buffer(), 2000);
        assert!(rq.forward_tsn().is_some(), "the sent message is forwarded");
        rq.check_invariants();
    }

    #[test]
    fn nothing_is_abandoned_when_it_would_not_be_enough() {
        let (mut rq, mut sq) = setup_with(0, |_| {});
        sq.set_max_buffered_bytes(3000);
        msg(&mut sq, 1, 1000, prio(7));
        msg(&mut sq, 1, 2000, plain());
        assert!(!rq.make_room(1500, 0, &mut sq));
        assert!(rq.drain_abandoned(&mut sq).is_empty());
        // Equal priority is not lower priority.
        assert!(!rq.make_room(500, 7, &mut sq));
        assert!(rq.make_room(500, 6, &mut sq));
        assert_eq!(rq.drain_abandoned(&mut sq).len(), 1);
    }
}
