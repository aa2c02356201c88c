//! The stream reconfiguration notifications (RFC 6458 §6.1.9 - §6.1.11) as libusrsctp 0.9.5
//! delivers them: SCTP_STREAM_RESET_EVENT, SCTP_ASSOC_RESET_EVENT, SCTP_STREAM_CHANGE_EVENT.
//!
//! Recorded from Debian's libusrsctp (c-tests/test_stream_reset.c checks the same on ours): the
//! stream list is in host order and empty when all streams were reset; a refused Incoming SSN
//! reset is INCOMING_SSN | DENIED with the streams asked for; an association reset is preceded
//! by two stream reset events (OUTGOING_SSN, then INCOMING_SSN, empty lists) on both sides; a
//! refused stream addition reports the stream counts unchanged with SCTP_STREAM_CHANGE_DENIED.

use crate::assoc::event::{Event, ReconfigOutcome};

use super::notification::{
    SCTP_ASSOC_RESET_EVENT, SCTP_STREAM_CHANGE_EVENT, SCTP_STREAM_RESET_EVENT,
};

pub const SCTP_STREAM_RESET_INCOMING_SSN: u16 = 0x0001;
pub const SCTP_STREAM_RESET_OUTGOING_SSN: u16 = 0x0002;
pub const SCTP_STREAM_RESET_DENIED: u16 = 0x0004;
pub const SCTP_STREAM_RESET_FAILED: u16 = 0x0008;
/// `assocreset_flags` and `strchange_flags` use the same two bits.
pub const SCTP_RECONFIG_DENIED: u16 = 0x0004;
pub const SCTP_RECONFIG_FAILED: u16 = 0x0008;

/// Byte offsets of the three structures (after the common 8-byte header).
pub mod layout {
    /// `struct sctp_stream_reset_event`, followed by `uint16_t strreset_stream_list[]`.
    pub mod stream_reset_event {
        pub const ASSOC_ID: usize = 8;
        pub const LIST: usize = 12;
        pub const LEN: usize = 12;
    }
    /// `struct sctp_assoc_reset_event`.
    pub mod assoc_reset_event {
        pub const ASSOC_ID: usize = 8;
        pub const LOCAL_TSN: usize = 12;
        pub const REMOTE_TSN: usize = 16;
        pub const LEN: usize = 20;
    }
    /// `struct sctp_stream_change_event`.
    pub mod stream_change_event {
        pub const ASSOC_ID: usize = 8;
        pub const INSTRMS: usize = 12;
        pub const OUTSTRMS: usize = 14;
        pub const LEN: usize = 16;
    }
}

fn outcome_flags(outcome: ReconfigOutcome) -> u16 {
    match outcome {
        ReconfigOutcome::Performed => 0,
        ReconfigOutcome::Denied => SCTP_RECONFIG_DENIED,
        ReconfigOutcome::Failed => SCTP_RECONFIG_FAILED,
    }
}

fn start(sn_type: u16, flags: u16, fixed: usize, total: usize) -> Vec<u8> {
    let mut b = vec![0u8; fixed];
    b[0..2].copy_from_slice(&sn_type.to_ne_bytes());
    b[2..4].copy_from_slice(&flags.to_ne_bytes());
    b[4..8].copy_from_slice(&(total as u32).to_ne_bytes());
    b
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_ne_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_ne_bytes());
}

/// The notification of a reconfiguration event; `None` for other events.
pub fn encode(event: &Event, assoc_id: u32) -> Option<Vec<u8>> {
    Some(match event {
        Event::StreamReset {
            incoming,
            outgoing,
            outcome,
            streams,
        } => {
            use layout::stream_reset_event as f;
            let mut flags = outcome_flags(*outcome);
            if *incoming {
                flags |= SCTP_STREAM_RESET_INCOMING_SSN;
            }
            if *outgoing {
                flags |= SCTP_STREAM_RESET_OUTGOING_SSN;
            }
            let total = f::LEN + 2 * streams.len();
            let mut b = start(SCTP_STREAM_RESET_EVENT, flags, f::LEN, total);
            put_u32(&mut b, f::ASSOC_ID, assoc_id);
            for s in streams {
                b.extend_from_slice(&s.0.to_ne_bytes());
            }
            b
        }
        Event::AssocReset {
            outcome,
            local_tsn,
            remote_tsn,
        } => {
            use layout::assoc_reset_event as f;
            let mut b = start(
                SCTP_ASSOC_RESET_EVENT,
                outcome_flags(*outcome),
                f::LEN,
                f::LEN,
            );
            put_u32(&mut b, f::ASSOC_ID, assoc_id);
            put_u32(&mut b, f::LOCAL_TSN, *local_tsn);
            put_u32(&mut b, f::REMOTE_TSN, *remote_tsn);
            b
        }
        Event::StreamChange {
            outcome,
            inbound_streams,
            outbound_streams,
        } => {
            use layout::stream_change_event as f;
            let flags = outcome_flags(*outcome);
            let mut b = start(SCTP_STREAM_CHANGE_EVENT, flags, f::LEN, f::LEN);
            put_u32(&mut b, f::ASSOC_ID, assoc_id);
            put_u16(&mut b, f::INSTRMS, *inbound_streams);
            put_u16(&mut b, f::OUTSTRMS, *outbound_streams);
            b
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::StreamId;

    #[test]
    fn layouts_as_recorded_from_libusrsctp() {
        // "cli notif type 0x9 flags 0x5 len 14 : 03 00 00 00 01 00" (a refused incoming reset).
        let e = Event::StreamReset {
            incoming: true,
            outgoing: false,
            outcome: ReconfigOutcome::Denied,
            streams: vec![StreamId(1)],
        };
        let b = encode(&e, 3).unwrap();
        assert_eq!(b.len(), 14);
        assert_eq!(u16::from_ne_bytes([b[0], b[1]]), 9);
        assert_eq!(u16::from_ne_bytes([b[2], b[3]]), 5);
        assert_eq!(u32::from_ne_bytes(b[4..8].try_into().unwrap()), 14);
        assert_eq!(&b[8..], &[3, 0, 0, 0, 1, 0][..]);
        // "acc notif type 0xd flags 0 len 16 : 03 00 00 00 0f 00 0a 00".
        let c = Event::StreamChange {
            outcome: ReconfigOutcome::Performed,
            inbound_streams: 15,
            outbound_streams: 10,
        };
        assert_eq!(
            &encode(&c, 3).unwrap()[4..],
            &[16, 0, 0, 0, 3, 0, 0, 0, 15, 0, 10, 0]
        );
        let a = Event::AssocReset {
            outcome: ReconfigOutcome::Failed,
            local_tsn: 7,
            remote_tsn: 9,
        };
        let b = encode(&a, 3).unwrap();
        assert_eq!(b.len(), 20);
        assert_eq!(u16::from_ne_bytes([b[2], b[3]]), 8);
        assert_eq!(&b[12..], &[7, 0, 0, 0, 9, 0, 0, 0]);
        assert_eq!(encode(&Event::SenderDry, 3), None);
    }
}
