//! Invalid Mandatory Parameter cause (code 7), RFC 9260 §3.3.10.7: a mandatory parameter of INIT or INIT ACK has an invalid value.

crate::wire::element::empty_element!(
    /// Invalid Mandatory Parameter (RFC 9260 §3.3.10.7), no value.
    InvalidMandatoryParameter = 7
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0x00, 0x07, 0, 4];
        assert_eq!(
            InvalidMandatoryParameter::parse(&raw(&bytes)),
            Ok(InvalidMandatoryParameter)
        );
        assert_eq!(emitted(4, |b| InvalidMandatoryParameter.emit(b)), bytes);
        let long = [0x00, 0x07, 0, 8, 0, 0, 0, 0];
        assert_eq!(
            InvalidMandatoryParameter::parse(&raw(&long)),
            Err(Error::BadLength)
        );
        assert_eq!(
            InvalidMandatoryParameter::parse(&raw(&[0x7f, 0xff, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
