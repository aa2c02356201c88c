//! Serial-number arithmetic (RFC 1982) for TSN (32 bits), SSN (16 bits) and MID (32 bits).

use core::cmp::Ordering;

macro_rules! serial_number {
    ($(#[$doc:meta])* $name:ident, $int:ty, $signed:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub $int);

        impl $name {
            /// The number `n` steps ahead, wrapping.
            #[allow(clippy::should_implement_trait)] // serial addition is not `Add` (RFC 1982)
            pub fn add(self, n: $int) -> Self {
                $name(self.0.wrapping_add(n))
            }

            /// The next number, wrapping.
            pub fn next(self) -> Self {
                self.add(1)
            }

            /// The signed distance from `other` to `self` (positive when `self` is ahead).
            pub fn distance_from(self, other: Self) -> $signed {
                self.0.wrapping_sub(other.0) as $signed
            }
        }

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                // RFC 1982 §3.2: exactly half the space apart is undefined.
                let d = self.distance_from(*other);
                if d == 0 {
                    Some(Ordering::Equal)
                } else if d == <$signed>::MIN {
                    None
                } else if d > 0 {
                    Some(Ordering::Greater)
                } else {
                    Some(Ordering::Less)
                }
            }
        }
    };
}

serial_number!(
    /// A transmission sequence number (RFC 9260 §3.3.1).
    Tsn, u32, i32
);
serial_number!(
    /// A stream sequence number (RFC 9260 §3.3.1).
    Ssn, u16, i16
);
serial_number!(
    /// A message identifier of I-DATA (RFC 8260 §2.1).
    Mid, u32, i32
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsn_wraps_around() {
        assert!(Tsn(u32::MAX) < Tsn(0));
        assert!(Tsn(0) > Tsn(u32::MAX - 10));
        assert_eq!(Tsn(u32::MAX).next(), Tsn(0));
        assert_eq!(Tsn(2).distance_from(Tsn(u32::MAX)), 3);
    }

    #[test]
    fn half_space_is_unordered() {
        assert_eq!(Tsn(0).partial_cmp(&Tsn(1 << 31)), None);
        assert_eq!(Ssn(0).partial_cmp(&Ssn(1 << 15)), None);
    }

    #[test]
    fn ssn_is_sixteen_bits() {
        assert!(Ssn(65535) < Ssn(3));
        assert_eq!(Ssn(65535).add(2), Ssn(1));
        assert!(Mid(5) > Mid(4));
    }
}
