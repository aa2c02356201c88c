//! Forward-TSN-Supported parameter (type 0xC000), RFC 3758 §3.1: the sender supports partial
//! reliability (PR-SCTP) and the FORWARD TSN chunk.

crate::wire::element::empty_element!(
    /// Forward-TSN-Supported (RFC 3758 §3.1), no value.
    ForwardTsnSupported = 0xc000
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0xc0, 0, 0, 4];
        assert_eq!(
            ForwardTsnSupported::parse(&raw(&bytes)),
            Ok(ForwardTsnSupported)
        );
        assert_eq!(emitted(4, |b| ForwardTsnSupported.emit(b)), bytes);
        assert_eq!(
            ForwardTsnSupported::parse(&raw(&[0xc0, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
    }
}
