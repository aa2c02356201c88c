//! Unrecognized Parameter (type 8), RFC 9260 §3.3.3.1: carried by INIT ACK, it returns a
//! parameter of the INIT that the receiver did not understand and whose type asked for a report.

use crate::wire::tlv::ParamIter;

crate::wire::element::bytes_element!(
    /// Unrecognized Parameter (RFC 9260 §3.3.3.1).
    UnrecognizedParameter = 8,
    /// The unrecognized parameter, header included, as it came in the INIT.
    unrecognized
);

impl<'a> UnrecognizedParameter<'a> {
    /// The wrapped parameter(s), framed as TLVs.
    pub fn params(&self) -> ParamIter<'a> {
        ParamIter::new(self.unrecognized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn wraps_an_unknown_param() {
        let bytes = [0, 8, 0, 0x0c, 0xc0, 0x33, 0, 8, 1, 2, 3, 4];
        let p = UnrecognizedParameter::parse(&raw(&bytes)).unwrap();
        let inner = p.params().next().unwrap().unwrap();
        assert_eq!(inner.param_type, 0xc033);
        assert_eq!(inner.value(), &[1, 2, 3, 4]);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
    }
}
