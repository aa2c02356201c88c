//! Association Aborted Due to Illegal ASCONF-ACK cause (code 0x00a3), RFC 5061 §4.3.4: the peer sent an ASCONF-ACK that does not match any outstanding ASCONF.

crate::wire::element::empty_element!(
    /// Association Aborted Due to Illegal ASCONF-ACK (RFC 5061 §4.3.4), no value.
    AssociationAbortedDueToIllegalAsconfAck = 0x00a3
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x00, 0xa3, 0, 4];
        assert_eq!(
            AssociationAbortedDueToIllegalAsconfAck::parse(&raw(&bytes)),
            Ok(AssociationAbortedDueToIllegalAsconfAck)
        );
        assert_eq!(
            emitted(4, |b| AssociationAbortedDueToIllegalAsconfAck.emit(b)),
            bytes
        );
        let long = [0x00, 0xa3, 0, 8, 0, 0, 0, 0];
        assert_eq!(
            AssociationAbortedDueToIllegalAsconfAck::parse(&raw(&long)),
            Err(Error::BadLength)
        );
        assert_eq!(
            AssociationAbortedDueToIllegalAsconfAck::parse(&raw(&[0x7f, 0xff, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
