//! Random parameter (type 0x8002), RFC 4895 §3.1: the random number an endpoint contributes to
//! the AUTH shared key.

crate::wire::element::bytes_element!(
    /// Random (RFC 4895 §3.1). The RFC asks for 32 bytes; the check belongs to the association,
    /// so any length parses.
    Random = 0x8002,
    /// The random number.
    random
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn libusrsctp_init_random() {
        // As in a libusrsctp INIT: 32 random bytes, length 36.
        let mut bytes = vec![0x80, 0x02, 0x00, 0x24];
        bytes.extend([
            0x3c, 0x91, 0x0e, 0xa4, 0x57, 0x62, 0x19, 0xfd, 0x08, 0xbb, 0x4e, 0x71, 0xc2, 0x3a,
            0x90, 0x15, 0x6f, 0xd8, 0x21, 0x4c, 0xa7, 0x03, 0x5e, 0xe9, 0x12, 0x86, 0x7b, 0x30,
            0xcd, 0x44, 0xf1, 0x9a,
        ]);
        let p = Random::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.random.len(), 32);
        assert_eq!(p.random[31], 0x9a);
        assert_eq!(emitted(36, |b| p.emit(b)), bytes);
    }
}
