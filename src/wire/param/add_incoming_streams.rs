//! Add Incoming Streams parameter (type 18), RFC 6525 §4.6: asks the peer to add outgoing streams, that is incoming streams of the sender.

crate::wire::param::add_streams_param!(
    /// Add Incoming Streams (RFC 6525 §4.6).
    AddIncomingStreams = 18
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 18, 0, 12, 0x10, 0x20, 0x30, 0x40, 0x00, 0x20, 0, 0];
        let p = AddIncomingStreams::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 0x1020_3040);
        assert_eq!(p.new_streams, 32);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
        assert_eq!(
            AddIncomingStreams::parse(&raw(&[0, 18, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            AddIncomingStreams::parse(&raw(&[0, 16, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
