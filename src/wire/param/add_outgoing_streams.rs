//! Add Outgoing Streams parameter (type 17), RFC 6525 §4.5: adds outgoing streams to the association.

crate::wire::param::add_streams_param!(
    /// Add Outgoing Streams (RFC 6525 §4.5).
    AddOutgoingStreams = 17
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 17, 0, 12, 0x10, 0x20, 0x30, 0x40, 0x00, 0x20, 0, 0];
        let p = AddOutgoingStreams::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 0x1020_3040);
        assert_eq!(p.new_streams, 32);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
        assert_eq!(
            AddOutgoingStreams::parse(&raw(&[0, 17, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            AddOutgoingStreams::parse(&raw(&[0, 16, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
