//! User-Initiated Abort cause (code 12), RFC 9260 §3.3.10.12: the upper layer aborted the association.

crate::wire::element::bytes_element!(
    /// User-Initiated Abort (RFC 9260 §3.3.10.12).
    UserInitiatedAbort = 12,
    /// Upper Layer Abort Reason, opaque (may be empty).
    upper_layer_reason
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn abort_with_reason() {
        // From an ABORT sent after usrsctp_close with SO_LINGER 0 and a reason: length 9.
        let bytes = *b"\x00\x0c\x00\x09close\x00\x00\x00";
        let c = UserInitiatedAbort::parse(&raw(&bytes)).unwrap();
        assert_eq!(c.upper_layer_reason, b"close");
        assert_eq!(c.buffer_len(), 12);
        assert_eq!(emitted(12, |b| c.emit(b)), bytes);
        let empty = UserInitiatedAbort::default();
        assert_eq!(emitted(4, |b| empty.emit(b)), [0, 12, 0, 4]);
        assert_eq!(
            UserInitiatedAbort::parse(&raw(&[0, 13, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
