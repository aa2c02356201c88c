//! Error causes carried by ABORT, ERROR and the Error Cause Indication of ASCONF-ACK
//! (RFC 9260 §3.3.10, RFC 5061 §4.3, RFC 4895 §4.1). One file per cause.
//!
//! Causes share the parameter format (16-bit code, 16-bit length, padded value), so they are
//! framed by [`crate::wire::tlv::ParamIter`] and parsed from a [`RawParam`] like parameters.

mod association_aborted_due_to_illegal_asconf_ack;
mod cookie_received_while_shutting_down;
mod invalid_mandatory_parameter;
mod invalid_stream_identifier;
mod missing_mandatory_parameter;
mod no_user_data;
mod operation_refused_due_to_resource_shortage;
mod out_of_resource;
mod protocol_violation;
mod request_refused_no_authorization;
mod request_to_delete_last_remaining_ip_address;
mod request_to_delete_source_ip_address;
mod restart_of_an_association_with_new_addresses;
mod stale_cookie;
mod unrecognized_chunk_type;
mod unrecognized_parameters;
mod unresolvable_address;
mod unsupported_hmac_identifier;
mod user_initiated_abort;

pub use association_aborted_due_to_illegal_asconf_ack::AssociationAbortedDueToIllegalAsconfAck;
pub use cookie_received_while_shutting_down::CookieReceivedWhileShuttingDown;
pub use invalid_mandatory_parameter::InvalidMandatoryParameter;
pub use invalid_stream_identifier::InvalidStreamIdentifier;
pub use missing_mandatory_parameter::MissingMandatoryParameter;
pub use no_user_data::NoUserData;
pub use operation_refused_due_to_resource_shortage::OperationRefusedDueToResourceShortage;
pub use out_of_resource::OutOfResource;
pub use protocol_violation::ProtocolViolation;
pub use request_refused_no_authorization::RequestRefusedNoAuthorization;
pub use request_to_delete_last_remaining_ip_address::RequestToDeleteLastRemainingIpAddress;
pub use request_to_delete_source_ip_address::RequestToDeleteSourceIpAddress;
pub use restart_of_an_association_with_new_addresses::RestartOfAnAssociationWithNewAddresses;
pub use stale_cookie::StaleCookie;
pub use unrecognized_chunk_type::UnrecognizedChunkType;
pub use unrecognized_parameters::UnrecognizedParameters;
pub use unresolvable_address::UnresolvableAddress;
pub use unsupported_hmac_identifier::UnsupportedHmacIdentifier;
pub use user_initiated_abort::UserInitiatedAbort;

use crate::wire::element::TLV_HEADER_LEN;
use crate::wire::param::emit_raw;
use crate::wire::tlv::{ParamIter, RawParam};
use crate::wire::{padded, Error, Result};

/// Expands `$body` for the struct inside any known variant (bound to `$c`), or `$unknown` for
/// [`Cause::Unknown`] (its raw cause bound to `$raw`).
macro_rules! each_cause {
    ($self:expr, $c:ident => $body:expr, $raw:ident => $unknown:expr) => {
        match $self {
            Cause::InvalidStreamIdentifier($c) => $body,
            Cause::MissingMandatoryParameter($c) => $body,
            Cause::StaleCookie($c) => $body,
            Cause::OutOfResource($c) => $body,
            Cause::UnresolvableAddress($c) => $body,
            Cause::UnrecognizedChunkType($c) => $body,
            Cause::InvalidMandatoryParameter($c) => $body,
            Cause::UnrecognizedParameters($c) => $body,
            Cause::NoUserData($c) => $body,
            Cause::CookieReceivedWhileShuttingDown($c) => $body,
            Cause::RestartOfAnAssociationWithNewAddresses($c) => $body,
            Cause::UserInitiatedAbort($c) => $body,
            Cause::ProtocolViolation($c) => $body,
            Cause::RequestToDeleteLastRemainingIpAddress($c) => $body,
            Cause::OperationRefusedDueToResourceShortage($c) => $body,
            Cause::RequestToDeleteSourceIpAddress($c) => $body,
            Cause::AssociationAbortedDueToIllegalAsconfAck($c) => $body,
            Cause::RequestRefusedNoAuthorization($c) => $body,
            Cause::UnsupportedHmacIdentifier($c) => $body,
            Cause::Unknown($raw) => $unknown,
        }
    };
}

/// Any error cause, one variant per code we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause<'a> {
    InvalidStreamIdentifier(InvalidStreamIdentifier),
    MissingMandatoryParameter(MissingMandatoryParameter<'a>),
    StaleCookie(StaleCookie),
    OutOfResource(OutOfResource),
    UnresolvableAddress(UnresolvableAddress<'a>),
    UnrecognizedChunkType(UnrecognizedChunkType<'a>),
    InvalidMandatoryParameter(InvalidMandatoryParameter),
    UnrecognizedParameters(UnrecognizedParameters<'a>),
    NoUserData(NoUserData),
    CookieReceivedWhileShuttingDown(CookieReceivedWhileShuttingDown),
    RestartOfAnAssociationWithNewAddresses(RestartOfAnAssociationWithNewAddresses<'a>),
    UserInitiatedAbort(UserInitiatedAbort<'a>),
    ProtocolViolation(ProtocolViolation<'a>),
    RequestToDeleteLastRemainingIpAddress(RequestToDeleteLastRemainingIpAddress<'a>),
    OperationRefusedDueToResourceShortage(OperationRefusedDueToResourceShortage<'a>),
    RequestToDeleteSourceIpAddress(RequestToDeleteSourceIpAddress<'a>),
    AssociationAbortedDueToIllegalAsconfAck(AssociationAbortedDueToIllegalAsconfAck),
    RequestRefusedNoAuthorization(RequestRefusedNoAuthorization<'a>),
    UnsupportedHmacIdentifier(UnsupportedHmacIdentifier),
    /// A code we do not know, kept whole (header included).
    Unknown(RawParam<'a>),
}

impl<'a> Cause<'a> {
    /// Parses a framed cause according to its code; unknown codes become [`Cause::Unknown`].
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        use Cause as C;
        Ok(match raw.param_type {
            InvalidStreamIdentifier::TYPE => {
                C::InvalidStreamIdentifier(InvalidStreamIdentifier::parse(raw)?)
            }
            MissingMandatoryParameter::TYPE => {
                C::MissingMandatoryParameter(MissingMandatoryParameter::parse(raw)?)
            }
            StaleCookie::TYPE => C::StaleCookie(StaleCookie::parse(raw)?),
            OutOfResource::TYPE => C::OutOfResource(OutOfResource::parse(raw)?),
            UnresolvableAddress::TYPE => C::UnresolvableAddress(UnresolvableAddress::parse(raw)?),
            UnrecognizedChunkType::TYPE => {
                C::UnrecognizedChunkType(UnrecognizedChunkType::parse(raw)?)
            }
            InvalidMandatoryParameter::TYPE => {
                C::InvalidMandatoryParameter(InvalidMandatoryParameter::parse(raw)?)
            }
            UnrecognizedParameters::TYPE => {
                C::UnrecognizedParameters(UnrecognizedParameters::parse(raw)?)
            }
            NoUserData::TYPE => C::NoUserData(NoUserData::parse(raw)?),
            CookieReceivedWhileShuttingDown::TYPE => {
                C::CookieReceivedWhileShuttingDown(CookieReceivedWhileShuttingDown::parse(raw)?)
            }
            RestartOfAnAssociationWithNewAddresses::TYPE => {
                C::RestartOfAnAssociationWithNewAddresses(
                    RestartOfAnAssociationWithNewAddresses::parse(raw)?,
                )
            }
            UserInitiatedAbort::TYPE => C::UserInitiatedAbort(UserInitiatedAbort::parse(raw)?),
            ProtocolViolation::TYPE => C::ProtocolViolation(ProtocolViolation::parse(raw)?),
            RequestToDeleteLastRemainingIpAddress::TYPE => {
                C::RequestToDeleteLastRemainingIpAddress(
                    RequestToDeleteLastRemainingIpAddress::parse(raw)?,
                )
            }
            OperationRefusedDueToResourceShortage::TYPE => {
                C::OperationRefusedDueToResourceShortage(
                    OperationRefusedDueToResourceShortage::parse(raw)?,
                )
            }
            RequestToDeleteSourceIpAddress::TYPE => {
                C::RequestToDeleteSourceIpAddress(RequestToDeleteSourceIpAddress::parse(raw)?)
            }
            AssociationAbortedDueToIllegalAsconfAck::TYPE => {
                C::AssociationAbortedDueToIllegalAsconfAck(
                    AssociationAbortedDueToIllegalAsconfAck::parse(raw)?,
                )
            }
            RequestRefusedNoAuthorization::TYPE => {
                C::RequestRefusedNoAuthorization(RequestRefusedNoAuthorization::parse(raw)?)
            }
            UnsupportedHmacIdentifier::TYPE => {
                C::UnsupportedHmacIdentifier(UnsupportedHmacIdentifier::parse(raw)?)
            }
            _ => C::Unknown(*raw),
        })
    }

    /// The cause code.
    pub fn cause_code(&self) -> u16 {
        fn code_of<T: HasCode>(_: &T) -> u16 {
            T::CODE
        }
        each_cause!(self, c => code_of(c), raw => raw.param_type)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        each_cause!(self, c => c.buffer_len(), raw => padded(raw.bytes.len().max(TLV_HEADER_LEN)))
    }

    /// Writes the cause and its padding; returns `buffer_len`. An unknown cause is written back
    /// as received (code and value; the length is recomputed from the bytes).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        each_cause!(self, c => c.emit(buf), raw => emit_raw(raw, buf))
    }
}

/// Ties each cause struct to its code, for [`Cause::cause_code`].
trait HasCode {
    const CODE: u16;
}

macro_rules! has_code {
    ($($t:ty),* $(,)?) => {
        $(impl HasCode for $t {
            const CODE: u16 = <$t>::TYPE;
        })*
    };
}

has_code!(
    InvalidStreamIdentifier,
    MissingMandatoryParameter<'_>,
    StaleCookie,
    OutOfResource,
    UnresolvableAddress<'_>,
    UnrecognizedChunkType<'_>,
    InvalidMandatoryParameter,
    UnrecognizedParameters<'_>,
    NoUserData,
    CookieReceivedWhileShuttingDown,
    RestartOfAnAssociationWithNewAddresses<'_>,
    UserInitiatedAbort<'_>,
    ProtocolViolation<'_>,
    RequestToDeleteLastRemainingIpAddress<'_>,
    OperationRefusedDueToResourceShortage<'_>,
    RequestToDeleteSourceIpAddress<'_>,
    AssociationAbortedDueToIllegalAsconfAck,
    RequestRefusedNoAuthorization<'_>,
    UnsupportedHmacIdentifier,
);

/// Parses a sequence of causes (the body of an ABORT or ERROR). A framing error is yielded
/// once and ends the sequence; a framed but malformed cause yields its error and the iteration
/// goes on.
pub fn parse_all(bytes: &[u8]) -> impl Iterator<Item = Result<Cause<'_>>> {
    ParamIter::new(bytes).map(|raw| raw.and_then(|raw| Cause::parse(&raw)))
}

/// Writes `causes` one after another, each padded; returns the total length.
pub fn emit_all(causes: &[Cause<'_>], buf: &mut [u8]) -> Result<usize> {
    let mut at = 0;
    for c in causes {
        let rest = buf.get_mut(at..).ok_or(Error::BufferTooSmall)?;
        at += c.emit(rest)?;
    }
    Ok(at)
}

/// The total length of `causes` on the wire.
pub fn buffer_len_all(causes: &[Cause<'_>]) -> usize {
    causes.iter().map(Cause::buffer_len).sum()
}

#[cfg(test)]
mod tests {

    /// The four RFC 5061 causes that quote an ASCONF parameter (§4.3): a Delete IP Address
    /// request for 192.0.2.1 with correlation id 3, quoted whole, parses and re-emits.
    macro_rules! asconf_quote_case {
        ($name:ident, $ty:ident, $code:expr) => {
            #[test]
            fn $name() {
                use crate::wire::element::testing::{emitted, raw};
                use crate::wire::param::{Address, DeleteIpAddress, Param};
                let bytes = [
                    0x00, $code, 0x00, 0x14, 0xc0, 0x02, 0x00, 0x10, 0x00, 0x00, 0x00, 0x03, 0x00,
                    0x05, 0x00, 0x08, 192, 0, 2, 1,
                ];
                let c = $ty::parse(&raw(&bytes)).unwrap();
                let Ok(Param::DeleteIpAddress(p)) = c.param() else {
                    panic!("not a Delete IP Address: {:?}", c.param());
                };
                assert_eq!(p.correlation_id, 3);
                assert_eq!(
                    p.address(),
                    Ok(Address::V4(std::net::Ipv4Addr::new(192, 0, 2, 1)))
                );
                assert_eq!(
                    p,
                    DeleteIpAddress {
                        correlation_id: 3,
                        address_param: &bytes[12..]
                    }
                );
                assert_eq!(emitted(20, |b| c.emit(b)), bytes);
                assert_eq!($ty::default().param(), Err(crate::wire::Error::Truncated));
            }
        };
    }

    asconf_quote_case!(
        delete_last_address_quotes_the_request,
        RequestToDeleteLastRemainingIpAddress,
        0xa0
    );
    asconf_quote_case!(
        resource_shortage_quotes_the_request,
        OperationRefusedDueToResourceShortage,
        0xa1
    );
    asconf_quote_case!(
        delete_source_address_quotes_the_request,
        RequestToDeleteSourceIpAddress,
        0xa2
    );
    asconf_quote_case!(
        no_authorization_quotes_the_request,
        RequestRefusedNoAuthorization,
        0xa4
    );
    use super::*;
    use crate::types::{StreamId, Tsn};
    use crate::wire::element::U16List;
    use crate::wire::param::{Address, Param};
    use proptest::prelude::*;
    use std::net::Ipv4Addr;

    #[test]
    fn abort_body_with_user_initiated_abort() {
        // The body of an ABORT from usrsctp: a User-Initiated Abort with a 6-byte reason, then
        // an Invalid Stream Identifier and an unknown cause.
        let bytes = [
            0x00, 0x0c, 0x00, 0x0a, b'b', b'y', b'e', b' ', b'n', b'w', 0x00, 0x00, // UIA
            0x00, 0x01, 0x00, 0x08, 0x00, 0x11, 0x00, 0x00, // Invalid Stream Identifier
            0x01, 0x99, 0x00, 0x04, // unknown code
        ];
        let causes: Vec<Cause<'_>> = parse_all(&bytes).collect::<Result<_>>().unwrap();
        assert_eq!(
            causes,
            [
                Cause::UserInitiatedAbort(UserInitiatedAbort {
                    upper_layer_reason: b"bye nw"
                }),
                Cause::InvalidStreamIdentifier(InvalidStreamIdentifier {
                    stream_id: StreamId(17)
                }),
                Cause::Unknown(RawParam {
                    param_type: 0x0199,
                    bytes: &bytes[20..]
                }),
            ]
        );
        let codes: Vec<u16> = causes.iter().map(Cause::cause_code).collect();
        assert_eq!(codes, [12, 1, 0x0199]);
        assert_eq!(buffer_len_all(&causes), bytes.len());
        let mut out = vec![0xee; bytes.len()];
        assert_eq!(emit_all(&causes, &mut out), Ok(bytes.len()));
        assert_eq!(out, bytes);
        assert_eq!(
            emit_all(&causes, &mut out[..20]),
            Err(Error::BufferTooSmall)
        );
    }

    #[test]
    fn framing_errors_end_the_sequence() {
        let bytes = [0, 3, 0, 8, 0, 0, 0, 1, 0, 4, 0, 2];
        let got: Vec<_> = parse_all(&bytes).collect();
        assert_eq!(
            got,
            [
                Ok(Cause::StaleCookie(StaleCookie { staleness_us: 1 })),
                Err(Error::BadLength)
            ]
        );
    }

    /// Inputs for one random cause; `build` borrows from them.
    #[derive(Debug, Clone)]
    struct Seed {
        kind: usize,
        a: u32,
        bytes: Vec<u8>,
        words: Vec<u16>,
    }

    const KINDS: usize = 20;

    fn seed() -> impl Strategy<Value = Seed> {
        (
            0..KINDS,
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..70),
            proptest::collection::vec(any::<u16>(), 0..20),
        )
            .prop_map(|(kind, a, bytes, words)| Seed {
                kind,
                a,
                bytes,
                words,
            })
    }

    /// Builds cause number `s.kind`; `tlv` holds an encapsulated parameter, `unknown` a whole
    /// cause of an unknown code.
    fn build<'a>(s: &'a Seed, tlv: &'a [u8], unknown: &'a [u8]) -> Cause<'a> {
        let (a, bytes) = (s.a, &s.bytes[..]);
        match s.kind {
            0 => Cause::InvalidStreamIdentifier(InvalidStreamIdentifier {
                stream_id: StreamId(a as u16),
            }),
            1 => Cause::MissingMandatoryParameter(MissingMandatoryParameter {
                missing_types: U16List::Values(&s.words),
            }),
            2 => Cause::StaleCookie(StaleCookie { staleness_us: a }),
            3 => Cause::OutOfResource(OutOfResource),
            4 => Cause::UnresolvableAddress(UnresolvableAddress { address_param: tlv }),
            5 => Cause::UnrecognizedChunkType(UnrecognizedChunkType { chunk: bytes }),
            6 => Cause::InvalidMandatoryParameter(InvalidMandatoryParameter),
            7 => Cause::UnrecognizedParameters(UnrecognizedParameters { params: bytes }),
            8 => Cause::NoUserData(NoUserData { tsn: Tsn(a) }),
            9 => Cause::CookieReceivedWhileShuttingDown(CookieReceivedWhileShuttingDown),
            10 => Cause::RestartOfAnAssociationWithNewAddresses(
                RestartOfAnAssociationWithNewAddresses {
                    address_params: tlv,
                },
            ),
            11 => Cause::UserInitiatedAbort(UserInitiatedAbort {
                upper_layer_reason: bytes,
            }),
            12 => Cause::ProtocolViolation(ProtocolViolation {
                additional_information: bytes,
            }),
            13 => Cause::RequestToDeleteLastRemainingIpAddress(
                RequestToDeleteLastRemainingIpAddress { asconf_param: tlv },
            ),
            14 => Cause::OperationRefusedDueToResourceShortage(
                OperationRefusedDueToResourceShortage { asconf_param: tlv },
            ),
            15 => Cause::RequestToDeleteSourceIpAddress(RequestToDeleteSourceIpAddress {
                asconf_param: tlv,
            }),
            16 => Cause::AssociationAbortedDueToIllegalAsconfAck(
                AssociationAbortedDueToIllegalAsconfAck,
            ),
            17 => Cause::RequestRefusedNoAuthorization(RequestRefusedNoAuthorization {
                asconf_param: tlv,
            }),
            18 => Cause::UnsupportedHmacIdentifier(UnsupportedHmacIdentifier { hmac_id: a as u16 }),
            _ => Cause::Unknown(RawParam {
                param_type: crate::wire::be16(unknown, 0),
                bytes: unknown,
            }),
        }
    }

    proptest! {
        #[test]
        fn every_cause_round_trips(s in seed()) {
            let addr = Address::V4(Ipv4Addr::from(s.a));
            let mut tlv = [0u8; 8];
            addr.emit(&mut tlv).unwrap();
            // Codes 0x1000-0x1fff hold no cause we know.
            let unknown_code = 0x1000 | (s.a as u16 & 0x0fff);
            let mut unknown = unknown_code.to_be_bytes().to_vec();
            unknown.extend(((4 + s.bytes.len()) as u16).to_be_bytes());
            unknown.extend(&s.bytes);

            let c = build(&s, &tlv, &unknown);
            let len = c.buffer_len();
            prop_assert_eq!(len % 4, 0);
            let mut buf = vec![0xee; len];
            prop_assert_eq!(c.emit(&mut buf), Ok(len));
            let parsed: Vec<_> = parse_all(&buf).collect();
            prop_assert_eq!(parsed.len(), 1);
            let d = parsed[0].unwrap();
            prop_assert_eq!(d, c);
            prop_assert_eq!(d.cause_code(), c.cause_code());
            let mut again = vec![0u8; len];
            prop_assert_eq!(d.emit(&mut again), Ok(len));
            prop_assert_eq!(&again, &buf);
            prop_assert_eq!(c.emit(&mut vec![0; len - 1]), Err(Error::BufferTooSmall));
            if let Cause::UnresolvableAddress(u) = d {
                prop_assert_eq!(u.param(), Ok(Param::Ipv4Address(crate::wire::param::Ipv4Address {
                    addr: Ipv4Addr::from(s.a),
                })));
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            for c in parse_all(&bytes).flatten() {
                let mut out = vec![0u8; c.buffer_len()];
                prop_assert_eq!(c.emit(&mut out), Ok(out.len()));
            }
        }
    }
}
