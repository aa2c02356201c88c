//! Error Cause Indication parameter (type 0xC003), RFC 5061 §4.2.3: in an ASCONF-ACK, reports
//! why the request with this correlation id failed.

use crate::wire::cause::Cause;
use crate::wire::element::{element_value, emit_tlv, min_len, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, padded, Result};

/// Error Cause Indication (RFC 5061 §4.2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ErrorCauseIndication<'a> {
    /// ASCONF-Response Correlation ID, copied from the request.
    pub correlation_id: u32,
    /// The error causes (RFC 9260 §3.3.10 format), kept as received.
    pub cause_bytes: &'a [u8],
}

impl<'a> ErrorCauseIndication<'a> {
    /// The parameter type.
    pub const TYPE: u16 = 0xc003;

    /// Parses the parameter; the causes are checked only when read with [`Self::causes`].
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        min_len(value, 4)?;
        Ok(ErrorCauseIndication {
            correlation_id: be32(value, 0),
            cause_bytes: &value[4..],
        })
    }

    /// The error causes, parsed one by one.
    pub fn causes(&self) -> impl Iterator<Item = Result<Cause<'a>>> + 'a {
        crate::wire::cause::parse_all(self.cause_bytes)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        padded(TLV_HEADER_LEN + 4 + self.cause_bytes.len())
    }

    /// Writes the parameter and its padding; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_tlv(
            buf,
            Self::TYPE,
            &self.correlation_id.to_be_bytes(),
            self.cause_bytes,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::cause::RequestToDeleteLastRemainingIpAddress;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn carries_a_cause_quoting_the_request() {
        // Delete of the last address refused: cause 0xA0 quoting the Delete IP Address TLV.
        let bytes = [
            0xc0, 0x03, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x07, 0x00, 0xa0, 0x00, 0x14, 0xc0, 0x02,
            0x00, 0x10, 0x00, 0x00, 0x00, 0x07, 0x00, 0x05, 0x00, 0x08, 10, 0, 0, 9,
        ];
        let p = ErrorCauseIndication::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.correlation_id, 7);
        let causes: Vec<_> = p.causes().collect::<Result<_>>().unwrap();
        assert_eq!(
            causes,
            [Cause::RequestToDeleteLastRemainingIpAddress(
                RequestToDeleteLastRemainingIpAddress {
                    asconf_param: &bytes[12..]
                }
            )]
        );
        assert_eq!(emitted(28, |b| p.emit(b)), bytes);
    }

    #[test]
    fn errors() {
        assert_eq!(
            ErrorCauseIndication::parse(&raw(&[0xc0, 0x03, 0, 6, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            ErrorCauseIndication::parse(&raw(&[0xc0, 0x05, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
