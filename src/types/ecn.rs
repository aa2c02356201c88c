//! The two ECN bits of the IP header (RFC 3168 §5), as a packet carries them in and out.

/// An ECN codepoint: the low two bits of the IPv4 TOS byte or the IPv6 traffic class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Ecn {
    /// Not-ECT (00): the transport does not take part in ECN.
    #[default]
    NotEct,
    /// ECT(1) (01).
    Ect1,
    /// ECT(0) (10): what an ECN-capable SCTP sender marks (RFC 9260 Appendix A).
    Ect0,
    /// CE (11): a router on the way signalled congestion.
    Ce,
}

impl Ecn {
    /// The codepoint in the low two bits of `bits` (a TOS or traffic class byte).
    pub fn from_bits(bits: u8) -> Self {
        match bits & 0b11 {
            0b01 => Ecn::Ect1,
            0b10 => Ecn::Ect0,
            0b11 => Ecn::Ce,
            _ => Ecn::NotEct,
        }
    }

    /// The two bits, to put into a TOS or traffic class byte.
    pub fn bits(self) -> u8 {
        match self {
            Ecn::NotEct => 0b00,
            Ecn::Ect1 => 0b01,
            Ecn::Ect0 => 0b10,
            Ecn::Ce => 0b11,
        }
    }

    /// True for the Congestion Experienced mark.
    pub fn is_ce(self) -> bool {
        self == Ecn::Ce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_round_trip_and_ignore_the_dscp() {
        for bits in 0..4u8 {
            assert_eq!(Ecn::from_bits(bits).bits(), bits);
            assert_eq!(Ecn::from_bits(0xb8 | bits), Ecn::from_bits(bits));
        }
        assert!(Ecn::from_bits(3).is_ce());
        assert_eq!(Ecn::from_bits(2), Ecn::Ect0);
    }
}
