//! Out of Resource cause (code 4), RFC 9260 §3.3.10.4: the sender is out of resources.

crate::wire::element::empty_element!(
    /// Out of Resource (RFC 9260 §3.3.10.4), no value.
    OutOfResource = 4
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x00, 0x04, 0, 4];
        assert_eq!(OutOfResource::parse(&raw(&bytes)), Ok(OutOfResource));
        assert_eq!(emitted(4, |b| OutOfResource.emit(b)), bytes);
        let long = [0x00, 0x04, 0, 8, 0, 0, 0, 0];
        assert_eq!(OutOfResource::parse(&raw(&long)), Err(Error::BadLength));
        assert_eq!(
            OutOfResource::parse(&raw(&[0x7f, 0xff, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
