//! ECN Capable parameter (type 0x8000), RFC 9260 Appendix A: the sender supports Explicit
//! Congestion Notification.

crate::wire::element::empty_element!(
    /// ECN Capable (RFC 9260 Appendix A), no value.
    EcnCapable = 0x8000
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x80, 0, 0, 4];
        assert_eq!(EcnCapable::parse(&raw(&bytes)), Ok(EcnCapable));
        assert_eq!(emitted(4, |b| EcnCapable.emit(b)), bytes);
        assert_eq!(
            EcnCapable::parse(&raw(&[0x80, 0, 0, 5, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            EcnCapable::parse(&raw(&[0xc0, 0, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
