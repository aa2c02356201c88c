//! Re-configuration Response parameter (type 16), RFC 6525 §4.4: the result of a
//! re-configuration request, with the next TSNs after an SSN/TSN reset.

use crate::types::Tsn;
use crate::wire::element::{element_value, emit_with, TLV_HEADER_LEN};
use crate::wire::tlv::RawParam;
use crate::wire::{be32, put32, Error, Result};

/// The Result field of a Re-configuration Response (RFC 6525 §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReconfigResult {
    /// 0: Success - Nothing to do.
    SuccessNothingToDo,
    /// 1: Success - Performed.
    SuccessPerformed,
    /// 2: Denied.
    Denied,
    /// 3: Error - Wrong SSN.
    ErrorWrongSsn,
    /// 4: Error - Request already in progress.
    ErrorRequestAlreadyInProgress,
    /// 5: Error - Bad Sequence Number.
    ErrorBadSequenceNumber,
    /// 6: In progress.
    InProgress,
    /// Any other value, kept as received.
    Other(u32),
}

impl ReconfigResult {
    /// The value on the wire.
    pub fn code(self) -> u32 {
        match self {
            ReconfigResult::SuccessNothingToDo => 0,
            ReconfigResult::SuccessPerformed => 1,
            ReconfigResult::Denied => 2,
            ReconfigResult::ErrorWrongSsn => 3,
            ReconfigResult::ErrorRequestAlreadyInProgress => 4,
            ReconfigResult::ErrorBadSequenceNumber => 5,
            ReconfigResult::InProgress => 6,
            ReconfigResult::Other(v) => v,
        }
    }
}

impl From<u32> for ReconfigResult {
    fn from(v: u32) -> Self {
        match v {
            0 => ReconfigResult::SuccessNothingToDo,
            1 => ReconfigResult::SuccessPerformed,
            2 => ReconfigResult::Denied,
            3 => ReconfigResult::ErrorWrongSsn,
            4 => ReconfigResult::ErrorRequestAlreadyInProgress,
            5 => ReconfigResult::ErrorBadSequenceNumber,
            6 => ReconfigResult::InProgress,
            other => ReconfigResult::Other(other),
        }
    }
}

impl From<ReconfigResult> for u32 {
    fn from(r: ReconfigResult) -> Self {
        r.code()
    }
}

/// The optional pair of TSNs that ends a Re-configuration Response to an SSN/TSN Reset Request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReconfigNextTsns {
    /// Sender's Next TSN.
    pub sender_next_tsn: Tsn,
    /// Receiver's Next TSN.
    pub receiver_next_tsn: Tsn,
}

/// Re-configuration Response (RFC 6525 §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReconfigurationResponse {
    /// Re-configuration Response Sequence Number: the request answered.
    pub response_seq: u32,
    pub result: ReconfigResult,
    /// Present (both TSNs together) only in answer to an SSN/TSN Reset Request.
    pub next_tsns: Option<ReconfigNextTsns>,
}

impl ReconfigurationResponse {
    /// The parameter type.
    pub const TYPE: u16 = 16;

    /// Parses the parameter: length 12, or 20 with both next TSNs (`BadLength` otherwise).
    pub fn parse(raw: &RawParam<'_>) -> Result<Self> {
        let value = element_value(raw, Self::TYPE)?;
        let next_tsns = match value.len() {
            8 => None,
            16 => Some(ReconfigNextTsns {
                sender_next_tsn: Tsn(be32(value, 8)),
                receiver_next_tsn: Tsn(be32(value, 12)),
            }),
            _ => return Err(Error::BadLength),
        };
        Ok(ReconfigurationResponse {
            response_seq: be32(value, 0),
            result: ReconfigResult::from(be32(value, 4)),
            next_tsns,
        })
    }

    fn value_len(&self) -> usize {
        if self.next_tsns.is_some() {
            16
        } else {
            8
        }
    }

    /// The length on the wire: 12 or 20.
    pub fn buffer_len(&self) -> usize {
        TLV_HEADER_LEN + self.value_len()
    }

    /// Writes the parameter; returns `buffer_len`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        emit_with(buf, Self::TYPE, self.value_len(), |v| {
            put32(v, 0, self.response_seq);
            put32(v, 4, self.result.code());
            if let Some(t) = self.next_tsns {
                put32(v, 8, t.sender_next_tsn.0);
                put32(v, 12, t.receiver_next_tsn.0);
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn plain_response() {
        let bytes = [0, 16, 0, 12, 0x5f, 0x3a, 0x11, 0x02, 0, 0, 0, 1];
        let p = ReconfigurationResponse::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.response_seq, 0x5f3a_1102);
        assert_eq!(p.result, ReconfigResult::SuccessPerformed);
        assert_eq!(p.next_tsns, None);
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
    }

    #[test]
    fn response_with_next_tsns() {
        let bytes = [
            0, 16, 0, 20, 0, 0, 0, 9, 0, 0, 0, 6, 0, 0, 0x10, 0, 0xff, 0xff, 0xff, 0xff,
        ];
        let p = ReconfigurationResponse::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.result, ReconfigResult::InProgress);
        assert_eq!(
            p.next_tsns,
            Some(ReconfigNextTsns {
                sender_next_tsn: Tsn(0x1000),
                receiver_next_tsn: Tsn(u32::MAX),
            })
        );
        assert_eq!(emitted(20, |b| p.emit(b)), bytes);
    }

    #[test]
    fn result_codes() {
        for v in 0..10 {
            assert_eq!(ReconfigResult::from(v).code(), v);
        }
        assert_eq!(ReconfigResult::from(3), ReconfigResult::ErrorWrongSsn);
        assert_eq!(ReconfigResult::from(99), ReconfigResult::Other(99));
    }

    #[test]
    fn errors() {
        assert_eq!(
            ReconfigurationResponse::parse(&raw(&[
                0, 16, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
            ])),
            Err(Error::BadLength)
        );
        assert_eq!(
            ReconfigurationResponse::parse(&raw(&[0, 16, 0, 8, 0, 0, 0, 0])),
            Err(Error::BadLength)
        );
        assert_eq!(
            ReconfigurationResponse::parse(&raw(&[0, 15, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
