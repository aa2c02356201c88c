//! SSN/TSN Reset Request parameter (type 15), RFC 6525 §4.3: resets all streams and the TSNs
//! in both directions.

crate::wire::element::u32_element!(
    /// SSN/TSN Reset Request (RFC 6525 §4.3).
    SsnTsnResetRequest = 15,
    /// Re-configuration Request Sequence Number.
    request_seq
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn parse_emit_and_errors() {
        let bytes = [0, 15, 0, 8, 0, 0, 0x01, 0x02];
        let p = SsnTsnResetRequest::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.request_seq, 0x102);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            SsnTsnResetRequest::parse(&raw(&[0, 15, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
    }
}
