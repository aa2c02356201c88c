//! Unrecognized Parameters cause (code 8), RFC 9260 §3.3.10.8: parameters whose type asked for a report.

use crate::wire::tlv::ParamIter;

crate::wire::element::bytes_element!(
    /// Unrecognized Parameters (RFC 9260 §3.3.10.8).
    UnrecognizedParameters = 8,
    /// The unrecognized parameters, headers included, as received.
    params
);

impl<'a> UnrecognizedParameters<'a> {
    /// The unrecognized parameters, framed as TLVs.
    pub fn raw_params(&self) -> ParamIter<'a> {
        ParamIter::new(self.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn lists_two_params() {
        let bytes = [0, 8, 0, 16, 0x40, 0x01, 0, 4, 0x7f, 0xfe, 0, 6, 1, 2, 0, 0];
        let c = UnrecognizedParameters::parse(&raw(&bytes)).unwrap();
        let types: Vec<u16> = c.raw_params().map(|p| p.unwrap().param_type).collect();
        assert_eq!(types, [0x4001, 0x7ffe]);
        assert_eq!(emitted(16, |b| c.emit(b)), bytes);
    }
}
