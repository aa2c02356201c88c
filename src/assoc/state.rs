//! The association states of RFC 9260 §4.

/// Where an association is in its life (RFC 9260 §4, figure 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// INIT sent, waiting for INIT-ACK.
    CookieWait,
    /// COOKIE-ECHO sent, waiting for COOKIE-ACK.
    CookieEchoed,
    Established,
    /// The user asked to shut down; outstanding data is still being sent.
    ShutdownPending,
    /// SHUTDOWN sent, waiting for SHUTDOWN-ACK.
    ShutdownSent,
    /// SHUTDOWN received; outstanding data is still being sent.
    ShutdownReceived,
    /// SHUTDOWN-ACK sent, waiting for SHUTDOWN-COMPLETE.
    ShutdownAckSent,
    /// Ended: gracefully, by ABORT, or by too many retransmissions.
    Closed,
}

impl State {
    /// True while user data may be queued for sending.
    pub fn accepts_user_data(self) -> bool {
        matches!(
            self,
            State::CookieWait | State::CookieEchoed | State::Established
        )
    }

    /// True in the states of the shutdown sequence.
    pub fn is_shutting_down(self) -> bool {
        matches!(
            self,
            State::ShutdownPending
                | State::ShutdownSent
                | State::ShutdownReceived
                | State::ShutdownAckSent
        )
    }
}
