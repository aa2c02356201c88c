//! What an association reports to its user: the raw material of the RFC 6458 notifications.

use crate::types::{NetAddr, Ppid, StreamId};

/// Why an association ended without a graceful shutdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LossReason {
    /// The peer sent ABORT; its error causes, whole TLVs.
    PeerAborted { causes: Vec<u8> },
    /// Association.Max.Retrans consecutive retransmissions went unanswered.
    RetransmissionsExceeded,
    /// The handshake gave up after Max.Init.Retransmits.
    HandshakeFailed,
    /// We aborted: the user asked, or the peer violated the protocol.
    LocalAbort,
    /// The shutdown sequence ran past T5-shutdown-guard.
    ShutdownGuardExpired,
}

/// The state of a peer address, as SCTP_PEER_ADDR_CHANGE reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathState {
    Available,
    Unreachable,
    Confirmed,
    MadePrimary,
    /// The peer added the address (ASCONF).
    Added,
    /// The peer deleted the address (ASCONF).
    Removed,
    /// The peer asked for the address to be primary (ASCONF Set Primary): reported as
    /// SCTP_ADDR_MADE_PRIM with port 0, as libusrsctp does.
    MadePrimaryByPeer,
}

/// What an SCTP_AUTHENTICATION_EVENT reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthIndication {
    /// The peer started to use another key (SCTP_AUTH_NEW_KEY).
    NewKey,
    /// A deactivated key is no longer in use (SCTP_AUTH_FREE_KEY).
    FreeKey,
}

/// A message the association could not deliver to the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedMessage {
    pub stream_id: StreamId,
    pub ppid: Ppid,
    pub unordered: bool,
    /// True when some of it had been sent (SCTP_DATA_SENT), else SCTP_DATA_UNSENT.
    pub was_sent: bool,
    /// The `snd_context` the user gave the message.
    pub context: u32,
    pub data: Vec<u8>,
}

/// How a stream reconfiguration request ended (RFC 6525), as its notification flags it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconfigOutcome {
    /// Done (Success - Performed or Success - Nothing to do).
    Performed,
    /// The peer answered Denied.
    Denied,
    /// The peer answered with an error (wrong SSN, request in progress, bad sequence number).
    Failed,
}

/// An event for the user of the association.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The association is established (SCTP_COMM_UP).
    Connected {
        outbound_streams: u16,
        inbound_streams: u16,
    },
    /// The peer restarted the association (SCTP_RESTART).
    Restarted {
        outbound_streams: u16,
        inbound_streams: u16,
    },
    /// The association could not be set up (SCTP_CANT_STR_ASSOC).
    CannotStart,
    /// The association ended abnormally (SCTP_COMM_LOST).
    Lost(LossReason),
    /// The peer started a graceful shutdown (SCTP_SHUTDOWN_EVENT).
    PeerShutdown,
    /// The graceful shutdown completed (SCTP_SHUTDOWN_COMP).
    ShutdownComplete,
    /// A peer address changed state (SCTP_PEER_ADDR_CHANGE).
    PathChanged { addr: NetAddr, state: PathState },
    /// The peer reported an error in an ERROR chunk (SCTP_REMOTE_ERROR): one cause.
    RemoteError { cause_code: u16, info: Vec<u8> },
    /// A message was abandoned or could not be sent (SCTP_SEND_FAILED_EVENT).
    SendFailed(FailedMessage),
    /// The peer announced an adaptation layer (SCTP_ADAPTATION_INDICATION).
    Adaptation(u32),
    /// All user data has been acknowledged (SCTP_SENDER_DRY_EVENT).
    SenderDry,
    /// An AUTH key event (SCTP_AUTHENTICATION_EVENT): `key_id` is the key concerned,
    /// `alt_key_id` the one the peer used before (for a new key).
    Authentication {
        indication: AuthIndication,
        key_id: u16,
        alt_key_id: u16,
    },
    /// A message being delivered in pieces will not be completed: the peer abandoned the rest
    /// (SCTP_PARTIAL_DELIVERY_EVENT with SCTP_PARTIAL_DELIVERY_ABORTED).
    PartialDeliveryAborted {
        stream_id: StreamId,
        unordered: bool,
        ssn_or_mid: u32,
    },
    /// Streams were reset, or a reset was refused (SCTP_STREAM_RESET_EVENT): `incoming` for
    /// the peer's outgoing streams (our receive side), `outgoing` for ours. An empty list means
    /// all streams.
    StreamReset {
        incoming: bool,
        outgoing: bool,
        outcome: ReconfigOutcome,
        streams: Vec<StreamId>,
    },
    /// The association's TSNs and SSNs were reset (SCTP_ASSOC_RESET_EVENT). The TSNs are as
    /// libusrsctp reports them: our next TSN, and the peer's next TSN plus one.
    AssocReset {
        outcome: ReconfigOutcome,
        local_tsn: u32,
        remote_tsn: u32,
    },
    /// Streams were added, or adding them was refused (SCTP_STREAM_CHANGE_EVENT); the counts
    /// in force afterwards.
    StreamChange {
        outcome: ReconfigOutcome,
        inbound_streams: u16,
        outbound_streams: u16,
    },
}
