//! Parameters of INIT, INIT-ACK, HEARTBEAT, ASCONF, ASCONF-ACK and RE-CONFIG. One file per
//! parameter (RFC 9260 §3.3.2-3.3.6, RFC 3758, RFC 4820, RFC 4895, RFC 5061, RFC 6525,
//! RFC 9653).
//!
//! Every parameter is a struct (borrowing the input for variable-length data) with `TYPE`,
//! `parse(&RawParam)`, `buffer_len()` and `emit(&mut [u8])`; [`Param`] gathers them, with
//! [`Param::Unknown`] for types we do not understand (their fate is decided by the two high bits
//! of the type, see [`crate::wire::tlv::UnrecognizedAction`]).

/// Defines an ASCONF parameter made of an ASCONF-Request Correlation ID and an encapsulated
/// address parameter (RFC 5061 §4.2.1, §4.2.2, §4.2.4). The address TLV is kept as borrowed
/// bytes; `address()` parses it.
macro_rules! asconf_address_param {
    ($(#[$doc:meta])* $name:ident = $code:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name<'a> {
            /// ASCONF-Request Correlation ID, echoed in the ASCONF-ACK.
            pub correlation_id: u32,
            /// The encapsulated address parameter (IPv4 or IPv6 TLV), as received.
            pub address_param: &'a [u8],
        }

        impl<'a> $name<'a> {
            /// The parameter type.
            pub const TYPE: u16 = $code;

            /// Parses the parameter; the value must hold the correlation id and at least a TLV
            /// header (`BadLength` otherwise). The address itself is parsed by `address()`.
            pub fn parse(raw: &$crate::wire::tlv::RawParam<'a>) -> $crate::wire::Result<Self> {
                let value = $crate::wire::element::element_value(raw, Self::TYPE)?;
                $crate::wire::element::min_len(value, 8)?;
                Ok($name {
                    correlation_id: $crate::wire::be32(value, 0),
                    address_param: &value[4..],
                })
            }

            /// The encapsulated address.
            pub fn address(&self) -> $crate::wire::Result<$crate::wire::param::Address> {
                $crate::wire::param::Address::parse_tlv(self.address_param)
            }

            /// The length on the wire, padding included.
            pub fn buffer_len(&self) -> usize {
                $crate::wire::padded(
                    $crate::wire::element::TLV_HEADER_LEN + 4 + self.address_param.len(),
                )
            }

            /// Writes the parameter and its padding; returns `buffer_len`.
            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                $crate::wire::element::emit_tlv(
                    buf,
                    Self::TYPE,
                    &self.correlation_id.to_be_bytes(),
                    self.address_param,
                )
            }
        }
    };
}
pub(crate) use asconf_address_param;

/// Defines a stream-adding RE-CONFIG parameter (RFC 6525 §4.5, §4.6): a request sequence number,
/// the number of new streams and a 16-bit reserved field (length 12).
macro_rules! add_streams_param {
    ($(#[$doc:meta])* $name:ident = $code:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name {
            /// Re-configuration Request Sequence Number.
            pub request_seq: u32,
            /// Number of new streams.
            pub new_streams: u16,
        }

        impl $name {
            /// The parameter type.
            pub const TYPE: u16 = $code;

            /// Parses the parameter; its length must be exactly 12. The reserved field is ignored.
            pub fn parse(raw: &$crate::wire::tlv::RawParam<'_>) -> $crate::wire::Result<Self> {
                use $crate::wire::{be16, be32};
                let value = $crate::wire::element::element_value(raw, Self::TYPE)?;
                $crate::wire::element::exact_len(value, 8)?;
                Ok($name {
                    request_seq: be32(value, 0),
                    new_streams: be16(value, 4),
                })
            }

            /// The length on the wire.
            pub fn buffer_len(&self) -> usize {
                12
            }

            /// Writes the parameter (reserved field zero); returns `buffer_len`.
            pub fn emit(&self, buf: &mut [u8]) -> $crate::wire::Result<usize> {
                use $crate::wire::{put16, put32};
                $crate::wire::element::emit_with(buf, Self::TYPE, 8, |v| {
                    put32(v, 0, self.request_seq);
                    put16(v, 4, self.new_streams);
                    put16(v, 6, 0);
                })
            }
        }
    };
}
pub(crate) use add_streams_param;

mod adaptation_layer_indication;
mod add_incoming_streams;
mod add_ip_address;
mod add_outgoing_streams;
mod address;
mod chunk_list;
mod cookie_preservative;
mod delete_ip_address;
mod ecn_capable;
mod error_cause_indication;
mod forward_tsn_supported;
mod heartbeat_info;
mod host_name_address;
mod incoming_ssn_reset_request;
mod ipv4_address;
mod ipv6_address;
mod outgoing_ssn_reset_request;
mod padding;
mod random;
mod reconfiguration_response;
mod requested_hmac_algorithm;
mod set_primary_address;
mod ssn_tsn_reset_request;
mod state_cookie;
mod success_indication;
mod supported_address_types;
mod supported_extensions;
mod unrecognized_parameter;
mod zero_checksum_acceptable;

pub use adaptation_layer_indication::AdaptationLayerIndication;
pub use add_incoming_streams::AddIncomingStreams;
pub use add_ip_address::AddIpAddress;
pub use add_outgoing_streams::AddOutgoingStreams;
pub use address::Address;
pub use chunk_list::ChunkList;
pub use cookie_preservative::CookiePreservative;
pub use delete_ip_address::DeleteIpAddress;
pub use ecn_capable::EcnCapable;
pub use error_cause_indication::ErrorCauseIndication;
pub use forward_tsn_supported::ForwardTsnSupported;
pub use heartbeat_info::HeartbeatInfo;
pub use host_name_address::HostNameAddress;
pub use incoming_ssn_reset_request::IncomingSsnResetRequest;
pub use ipv4_address::Ipv4Address;
pub use ipv6_address::Ipv6Address;
pub use outgoing_ssn_reset_request::OutgoingSsnResetRequest;
pub use padding::Padding;
pub use random::Random;
pub use reconfiguration_response::{ReconfigNextTsns, ReconfigResult, ReconfigurationResponse};
pub use requested_hmac_algorithm::RequestedHmacAlgorithm;
pub use set_primary_address::SetPrimaryAddress;
pub use ssn_tsn_reset_request::SsnTsnResetRequest;
pub use state_cookie::StateCookie;
pub use success_indication::SuccessIndication;
pub use supported_address_types::SupportedAddressTypes;
pub use supported_extensions::SupportedExtensions;
pub use unrecognized_parameter::UnrecognizedParameter;
pub use zero_checksum_acceptable::ZeroChecksumAcceptable;

pub use crate::wire::element::{U16Iter, U16List};

use crate::wire::element::{emit_tlv, TLV_HEADER_LEN};
use crate::wire::tlv::{ParamIter, RawParam};
use crate::wire::{padded, Error, Result};

/// Calls `$body` with the struct inside any known variant of `$self` bound to `$p`, or
/// evaluates `$unknown` with the raw parameter bound to `$raw`.
macro_rules! each_param {
    ($self:expr, $p:ident => $body:expr, $raw:ident => $unknown:expr) => {
        match $self {
            Param::HeartbeatInfo($p) => $body,
            Param::Ipv4Address($p) => $body,
            Param::Ipv6Address($p) => $body,
            Param::StateCookie($p) => $body,
            Param::UnrecognizedParameter($p) => $body,
            Param::CookiePreservative($p) => $body,
            Param::HostNameAddress($p) => $body,
            Param::SupportedAddressTypes($p) => $body,
            Param::OutgoingSsnResetRequest($p) => $body,
            Param::IncomingSsnResetRequest($p) => $body,
            Param::SsnTsnResetRequest($p) => $body,
            Param::ReconfigurationResponse($p) => $body,
            Param::AddOutgoingStreams($p) => $body,
            Param::AddIncomingStreams($p) => $body,
            Param::EcnCapable($p) => $body,
            Param::ZeroChecksumAcceptable($p) => $body,
            Param::Random($p) => $body,
            Param::ChunkList($p) => $body,
            Param::RequestedHmacAlgorithm($p) => $body,
            Param::Padding($p) => $body,
            Param::SupportedExtensions($p) => $body,
            Param::ForwardTsnSupported($p) => $body,
            Param::AddIpAddress($p) => $body,
            Param::DeleteIpAddress($p) => $body,
            Param::ErrorCauseIndication($p) => $body,
            Param::SetPrimaryAddress($p) => $body,
            Param::SuccessIndication($p) => $body,
            Param::AdaptationLayerIndication($p) => $body,
            Param::Unknown($raw) => $unknown,
        }
    };
}

/// Any parameter, one variant per type we know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param<'a> {
    HeartbeatInfo(HeartbeatInfo<'a>),
    Ipv4Address(Ipv4Address),
    Ipv6Address(Ipv6Address),
    StateCookie(StateCookie<'a>),
    UnrecognizedParameter(UnrecognizedParameter<'a>),
    CookiePreservative(CookiePreservative),
    HostNameAddress(HostNameAddress<'a>),
    SupportedAddressTypes(SupportedAddressTypes<'a>),
    OutgoingSsnResetRequest(OutgoingSsnResetRequest<'a>),
    IncomingSsnResetRequest(IncomingSsnResetRequest<'a>),
    SsnTsnResetRequest(SsnTsnResetRequest),
    ReconfigurationResponse(ReconfigurationResponse),
    AddOutgoingStreams(AddOutgoingStreams),
    AddIncomingStreams(AddIncomingStreams),
    EcnCapable(EcnCapable),
    ZeroChecksumAcceptable(ZeroChecksumAcceptable),
    Random(Random<'a>),
    ChunkList(ChunkList<'a>),
    RequestedHmacAlgorithm(RequestedHmacAlgorithm<'a>),
    Padding(Padding<'a>),
    SupportedExtensions(SupportedExtensions<'a>),
    ForwardTsnSupported(ForwardTsnSupported),
    AddIpAddress(AddIpAddress<'a>),
    DeleteIpAddress(DeleteIpAddress<'a>),
    ErrorCauseIndication(ErrorCauseIndication<'a>),
    SetPrimaryAddress(SetPrimaryAddress<'a>),
    SuccessIndication(SuccessIndication),
    AdaptationLayerIndication(AdaptationLayerIndication),
    /// A type we do not understand, kept whole (header included) so it can be skipped,
    /// reported in an Unrecognized Parameter, or forwarded.
    Unknown(RawParam<'a>),
}

impl<'a> Param<'a> {
    /// Parses a framed parameter according to its type; unknown types become
    /// [`Param::Unknown`] and never fail.
    pub fn parse(raw: &RawParam<'a>) -> Result<Self> {
        Ok(match raw.param_type {
            HeartbeatInfo::TYPE => Param::HeartbeatInfo(HeartbeatInfo::parse(raw)?),
            Ipv4Address::TYPE => Param::Ipv4Address(Ipv4Address::parse(raw)?),
            Ipv6Address::TYPE => Param::Ipv6Address(Ipv6Address::parse(raw)?),
            StateCookie::TYPE => Param::StateCookie(StateCookie::parse(raw)?),
            UnrecognizedParameter::TYPE => {
                Param::UnrecognizedParameter(UnrecognizedParameter::parse(raw)?)
            }
            CookiePreservative::TYPE => Param::CookiePreservative(CookiePreservative::parse(raw)?),
            HostNameAddress::TYPE => Param::HostNameAddress(HostNameAddress::parse(raw)?),
            SupportedAddressTypes::TYPE => {
                Param::SupportedAddressTypes(SupportedAddressTypes::parse(raw)?)
            }
            OutgoingSsnResetRequest::TYPE => {
                Param::OutgoingSsnResetRequest(OutgoingSsnResetRequest::parse(raw)?)
            }
            IncomingSsnResetRequest::TYPE => {
                Param::IncomingSsnResetRequest(IncomingSsnResetRequest::parse(raw)?)
            }
            SsnTsnResetRequest::TYPE => Param::SsnTsnResetRequest(SsnTsnResetRequest::parse(raw)?),
            ReconfigurationResponse::TYPE => {
                Param::ReconfigurationResponse(ReconfigurationResponse::parse(raw)?)
            }
            AddOutgoingStreams::TYPE => Param::AddOutgoingStreams(AddOutgoingStreams::parse(raw)?),
            AddIncomingStreams::TYPE => Param::AddIncomingStreams(AddIncomingStreams::parse(raw)?),
            EcnCapable::TYPE => Param::EcnCapable(EcnCapable::parse(raw)?),
            ZeroChecksumAcceptable::TYPE => {
                Param::ZeroChecksumAcceptable(ZeroChecksumAcceptable::parse(raw)?)
            }
            Random::TYPE => Param::Random(Random::parse(raw)?),
            ChunkList::TYPE => Param::ChunkList(ChunkList::parse(raw)?),
            RequestedHmacAlgorithm::TYPE => {
                Param::RequestedHmacAlgorithm(RequestedHmacAlgorithm::parse(raw)?)
            }
            Padding::TYPE => Param::Padding(Padding::parse(raw)?),
            SupportedExtensions::TYPE => {
                Param::SupportedExtensions(SupportedExtensions::parse(raw)?)
            }
            ForwardTsnSupported::TYPE => {
                Param::ForwardTsnSupported(ForwardTsnSupported::parse(raw)?)
            }
            AddIpAddress::TYPE => Param::AddIpAddress(AddIpAddress::parse(raw)?),
            DeleteIpAddress::TYPE => Param::DeleteIpAddress(DeleteIpAddress::parse(raw)?),
            ErrorCauseIndication::TYPE => {
                Param::ErrorCauseIndication(ErrorCauseIndication::parse(raw)?)
            }
            SetPrimaryAddress::TYPE => Param::SetPrimaryAddress(SetPrimaryAddress::parse(raw)?),
            SuccessIndication::TYPE => Param::SuccessIndication(SuccessIndication::parse(raw)?),
            AdaptationLayerIndication::TYPE => {
                Param::AdaptationLayerIndication(AdaptationLayerIndication::parse(raw)?)
            }
            _ => Param::Unknown(*raw),
        })
    }

    /// The parameter type code.
    pub fn param_type(&self) -> u16 {
        // Every struct's TYPE through one match; `p` is used only for its type.
        fn code_of<T: HasType>(_: &T) -> u16 {
            T::CODE
        }
        each_param!(self, p => code_of(p), raw => raw.param_type)
    }

    /// The length on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        each_param!(self, p => p.buffer_len(), raw => padded(raw.bytes.len().max(TLV_HEADER_LEN)))
    }

    /// Writes the parameter and its padding; returns `buffer_len`. An unknown parameter is
    /// written back as received (type and value; the length is recomputed from the bytes).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        each_param!(self, p => p.emit(buf), raw => emit_raw(raw, buf))
    }
}

/// Writes a raw parameter or cause: its type, a length computed from its bytes, its value and
/// padding. `BadLength` when the bytes cannot even hold a header.
pub(crate) fn emit_raw(raw: &RawParam<'_>, buf: &mut [u8]) -> Result<usize> {
    let value = raw.bytes.get(TLV_HEADER_LEN..).ok_or(Error::BadLength)?;
    emit_tlv(buf, raw.param_type, &[], value)
}

/// Ties each parameter struct to its type code, for [`Param::param_type`].
trait HasType {
    const CODE: u16;
}

macro_rules! has_type {
    ($($t:ty),* $(,)?) => {
        $(impl HasType for $t {
            const CODE: u16 = <$t>::TYPE;
        })*
    };
}

has_type!(
    HeartbeatInfo<'_>,
    Ipv4Address,
    Ipv6Address,
    StateCookie<'_>,
    UnrecognizedParameter<'_>,
    CookiePreservative,
    HostNameAddress<'_>,
    SupportedAddressTypes<'_>,
    OutgoingSsnResetRequest<'_>,
    IncomingSsnResetRequest<'_>,
    SsnTsnResetRequest,
    ReconfigurationResponse,
    AddOutgoingStreams,
    AddIncomingStreams,
    EcnCapable,
    ZeroChecksumAcceptable,
    Random<'_>,
    ChunkList<'_>,
    RequestedHmacAlgorithm<'_>,
    Padding<'_>,
    SupportedExtensions<'_>,
    ForwardTsnSupported,
    AddIpAddress<'_>,
    DeleteIpAddress<'_>,
    ErrorCauseIndication<'_>,
    SetPrimaryAddress<'_>,
    SuccessIndication,
    AdaptationLayerIndication,
);

/// Parses a sequence of parameters (for example the tail of an INIT). A framing error (a length
/// below 4 or past the end) is yielded once and ends the sequence; an element that is framed
/// correctly but malformed yields its error and the iteration goes on.
pub fn parse_all(bytes: &[u8]) -> impl Iterator<Item = Result<Param<'_>>> {
    ParamIter::new(bytes).map(|raw| raw.and_then(|raw| Param::parse(&raw)))
}

/// Writes `params` one after another, each padded; returns the total length.
pub fn emit_all(params: &[Param<'_>], buf: &mut [u8]) -> Result<usize> {
    let mut at = 0;
    for p in params {
        let rest = buf.get_mut(at..).ok_or(Error::BufferTooSmall)?;
        at += p.emit(rest)?;
    }
    Ok(at)
}

/// The total length of `params` on the wire.
pub fn buffer_len_all(params: &[Param<'_>]) -> usize {
    params.iter().map(Param::buffer_len).sum()
}

#[cfg(test)]
mod tests {

    /// The three ASCONF parameters made of a correlation id and an address parameter
    /// (RFC 5061 §4.2.1, §4.2.2, §4.2.4): parse, emit, and their errors.
    macro_rules! asconf_address_case {
        ($name:ident, $ty:ident, $low:expr) => {
            #[test]
            fn $name() {
                use crate::wire::element::testing::{emitted, raw};
                use crate::wire::Error;
                let bytes = [
                    0xc0, $low, 0x00, 0x10, 0x00, 0x00, 0x00, 0x2a, 0x00, 0x05, 0x00, 0x08, 10, 1,
                    2, 3,
                ];
                let p = $ty::parse(&raw(&bytes)).unwrap();
                assert_eq!(p.correlation_id, 42);
                assert_eq!(p.address_param, &bytes[8..]);
                assert_eq!(
                    p.address(),
                    Ok(Address::V4(std::net::Ipv4Addr::new(10, 1, 2, 3)))
                );
                assert_eq!(emitted(16, |b| p.emit(b)), bytes);

                let short = [0xc0, $low, 0x00, 0x08, 0, 0, 0, 1];
                assert_eq!($ty::parse(&raw(&short)), Err(Error::BadLength));
                let wrong = [0xc0, 0x05, 0x00, 0x08, 0, 0, 0, 1];
                assert_eq!($ty::parse(&raw(&wrong)), Err(Error::WrongType));
                // A nested TLV that is not an address parses, but the accessor reports it.
                let nested = [0xc0, $low, 0x00, 0x0c, 0, 0, 0, 1, 0x00, 0x0b, 0x00, 0x04];
                let p = $ty::parse(&raw(&nested)).unwrap();
                assert_eq!(p.address(), Err(Error::WrongType));
            }
        };
    }

    asconf_address_case!(add_ip_address_parse_emit_and_errors, AddIpAddress, 0x01);
    asconf_address_case!(
        delete_ip_address_parse_emit_and_errors,
        DeleteIpAddress,
        0x02
    );
    asconf_address_case!(
        set_primary_address_parse_emit_and_errors,
        SetPrimaryAddress,
        0x04
    );
    use super::*;
    use crate::types::Tsn;
    use proptest::prelude::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    /// The parameters after the fixed part of a libusrsctp INIT (AF_CONN, all extensions on).
    fn libusrsctp_init_params() -> Vec<u8> {
        let mut b = vec![
            0x80, 0x00, 0x00, 0x04, // ECN Capable
            0xc0, 0x00, 0x00, 0x04, // Forward-TSN-Supported
            0x80, 0x08, 0x00, 0x0a, 0x82, 0xc0, 0xc1, 0x80, 0x81, 0x0f, 0x00,
            0x00, // Extensions
            0x80, 0x02, 0x00, 0x24, // Random, 32 bytes follow
        ];
        b.extend((0..32u8).map(|i| i.wrapping_mul(37) ^ 0xa5));
        b.extend([
            0x80, 0x04, 0x00, 0x08, 0x00, 0x01, 0x00, 0x03, // Requested HMAC Algorithm
            0x80, 0x03, 0x00, 0x07, 0xc1, 0x80, 0x81, 0x00, // Chunk List
            0x00, 0x0c, 0x00, 0x06, 0x00, 0x05, 0x00, 0x00, // Supported Address Types: IPv4
            0xc0, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, // Adaptation Layer Indication
            0x4f, 0xaa, 0x00, 0x05, 0x99, 0x00, 0x00,
            0x00, // an unknown type, stop and report
        ]);
        b
    }

    #[test]
    fn libusrsctp_init_sequence() {
        let bytes = libusrsctp_init_params();
        let params: Vec<Param<'_>> = parse_all(&bytes).collect::<Result<_>>().unwrap();
        let types: Vec<u16> = params.iter().map(Param::param_type).collect();
        assert_eq!(
            types,
            [0x8000, 0xc000, 0x8008, 0x8002, 0x8004, 0x8003, 12, 0xc006, 0x4faa]
        );
        assert_eq!(params[0], Param::EcnCapable(EcnCapable));
        assert_eq!(params[1], Param::ForwardTsnSupported(ForwardTsnSupported));
        let Param::SupportedExtensions(ext) = params[2] else {
            panic!("{:?}", params[2]);
        };
        assert_eq!(ext.chunk_types, [0x82, 0xc0, 0xc1, 0x80, 0x81, 0x0f]);
        let Param::Random(random) = params[3] else {
            panic!("{:?}", params[3]);
        };
        assert_eq!(random.random.len(), 32);
        assert_eq!(
            params[4],
            Param::RequestedHmacAlgorithm(RequestedHmacAlgorithm {
                hmac_ids: U16List::Values(&[1, 3])
            })
        );
        assert_eq!(
            params[5],
            Param::ChunkList(ChunkList {
                chunk_types: &[0xc1, 0x80, 0x81]
            })
        );
        assert_eq!(
            params[7],
            Param::AdaptationLayerIndication(AdaptationLayerIndication {
                adaptation_code_point: 1
            })
        );
        let Param::Unknown(unknown) = params[8] else {
            panic!("{:?}", params[8]);
        };
        assert_eq!(unknown.value(), [0x99]);
        assert_eq!(buffer_len_all(&params), bytes.len());
        let mut out = vec![0xee; bytes.len()];
        assert_eq!(emit_all(&params, &mut out), Ok(bytes.len()));
        assert_eq!(out, bytes);
        assert_eq!(
            emit_all(&params, &mut out[..bytes.len() - 1]),
            Err(Error::BufferTooSmall)
        );
    }

    #[test]
    fn malformed_elements_and_framing() {
        // A bad Cookie Preservative, then a good ECN Capable, then a length running past the end.
        let bytes = [0, 9, 0, 6, 0, 0, 0, 0, 0x80, 0, 0, 4, 0, 7, 0, 40];
        let got: Vec<_> = parse_all(&bytes).collect();
        assert_eq!(
            got,
            [
                Err(Error::BadLength),
                Ok(Param::EcnCapable(EcnCapable)),
                Err(Error::Truncated)
            ]
        );
        let unknown = Param::Unknown(RawParam {
            param_type: 0x4001,
            bytes: &[0, 1],
        });
        assert_eq!(unknown.emit(&mut [0; 8]), Err(Error::BadLength));
    }

    /// Inputs for one random parameter; `build` borrows from them.
    #[derive(Debug, Clone)]
    struct Seed {
        kind: usize,
        a: u32,
        b: u32,
        c: u32,
        bytes: Vec<u8>,
        words: Vec<u16>,
        v6: [u8; 16],
        flag: bool,
    }

    const KINDS: usize = 29;

    fn seed() -> impl Strategy<Value = Seed> {
        (
            0..KINDS,
            any::<u32>(),
            any::<u32>(),
            any::<u32>(),
            proptest::collection::vec(any::<u8>(), 0..70),
            proptest::collection::vec(any::<u16>(), 0..20),
            any::<[u8; 16]>(),
            any::<bool>(),
        )
            .prop_map(|(kind, a, b, c, bytes, words, v6, flag)| Seed {
                kind,
                a,
                b,
                c,
                bytes,
                words,
                v6,
                flag,
            })
    }

    /// Builds parameter number `s.kind`; `nested` holds an address TLV and `unknown` a whole
    /// parameter of an unknown type.
    fn build<'a>(s: &'a Seed, nested: &'a [u8], unknown: &'a [u8]) -> Param<'a> {
        let (a, b, c, bytes, words) = (s.a, s.b, s.c, &s.bytes[..], &s.words[..]);
        match s.kind {
            0 => Param::HeartbeatInfo(HeartbeatInfo { info: bytes }),
            1 => Param::Ipv4Address(Ipv4Address {
                addr: Ipv4Addr::from(a),
            }),
            2 => Param::Ipv6Address(Ipv6Address {
                addr: Ipv6Addr::from(s.v6),
            }),
            3 => Param::StateCookie(StateCookie { cookie: bytes }),
            4 => Param::UnrecognizedParameter(UnrecognizedParameter {
                unrecognized: unknown,
            }),
            5 => Param::CookiePreservative(CookiePreservative {
                life_span_increment_ms: a,
            }),
            6 => Param::HostNameAddress(HostNameAddress { host_name: bytes }),
            7 => Param::SupportedAddressTypes(SupportedAddressTypes {
                address_types: U16List::Values(words),
            }),
            8 => Param::OutgoingSsnResetRequest(OutgoingSsnResetRequest {
                request_seq: a,
                response_seq: b,
                last_tsn: Tsn(c),
                streams: U16List::Values(words),
            }),
            9 => Param::IncomingSsnResetRequest(IncomingSsnResetRequest {
                request_seq: a,
                streams: U16List::Values(words),
            }),
            10 => Param::SsnTsnResetRequest(SsnTsnResetRequest { request_seq: a }),
            11 => Param::ReconfigurationResponse(ReconfigurationResponse {
                response_seq: a,
                result: ReconfigResult::from(b % 9),
                next_tsns: s.flag.then_some(ReconfigNextTsns {
                    sender_next_tsn: Tsn(c),
                    receiver_next_tsn: Tsn(a ^ c),
                }),
            }),
            12 => Param::AddOutgoingStreams(AddOutgoingStreams {
                request_seq: a,
                new_streams: b as u16,
            }),
            13 => Param::AddIncomingStreams(AddIncomingStreams {
                request_seq: a,
                new_streams: b as u16,
            }),
            14 => Param::EcnCapable(EcnCapable),
            15 => Param::ZeroChecksumAcceptable(ZeroChecksumAcceptable { edmid: a }),
            16 => Param::Random(Random { random: bytes }),
            17 => Param::ChunkList(ChunkList { chunk_types: bytes }),
            18 => Param::RequestedHmacAlgorithm(RequestedHmacAlgorithm {
                hmac_ids: U16List::Values(words),
            }),
            19 => Param::Padding(Padding { padding: bytes }),
            20 => Param::SupportedExtensions(SupportedExtensions { chunk_types: bytes }),
            21 => Param::ForwardTsnSupported(ForwardTsnSupported),
            22 => Param::AddIpAddress(AddIpAddress {
                correlation_id: a,
                address_param: nested,
            }),
            23 => Param::DeleteIpAddress(DeleteIpAddress {
                correlation_id: a,
                address_param: nested,
            }),
            24 => Param::ErrorCauseIndication(ErrorCauseIndication {
                correlation_id: a,
                cause_bytes: bytes,
            }),
            25 => Param::SetPrimaryAddress(SetPrimaryAddress {
                correlation_id: a,
                address_param: nested,
            }),
            26 => Param::SuccessIndication(SuccessIndication { correlation_id: a }),
            27 => Param::AdaptationLayerIndication(AdaptationLayerIndication {
                adaptation_code_point: a,
            }),
            _ => Param::Unknown(RawParam {
                param_type: crate::wire::be16(unknown, 0),
                bytes: unknown,
            }),
        }
    }

    proptest! {
        #[test]
        fn every_param_round_trips(s in seed()) {
            let addr = if s.flag {
                Address::V6(Ipv6Addr::from(s.v6))
            } else {
                Address::V4(Ipv4Addr::from(s.b))
            };
            let mut nested = [0u8; 20];
            let n = addr.emit(&mut nested).unwrap();
            // An unknown type: 0x4000-0x7fff holds no type we know.
            let unknown_type = 0x4000 | (s.c as u16 & 0x3fff);
            let mut unknown = unknown_type.to_be_bytes().to_vec();
            unknown.extend(((4 + s.bytes.len()) as u16).to_be_bytes());
            unknown.extend(&s.bytes);

            let p = build(&s, &nested[..n], &unknown);
            let len = p.buffer_len();
            prop_assert_eq!(len % 4, 0);
            let mut buf = vec![0xee; len + 3];
            prop_assert_eq!(p.emit(&mut buf), Ok(len));
            let parsed: Vec<_> = parse_all(&buf[..len]).collect();
            prop_assert_eq!(parsed.len(), 1);
            let q = parsed[0].unwrap();
            prop_assert_eq!(q, p);
            prop_assert_eq!(q.param_type(), p.param_type());
            let mut again = vec![0u8; len];
            prop_assert_eq!(q.emit(&mut again), Ok(len));
            prop_assert_eq!(&again[..], &buf[..len]);
            prop_assert_eq!(p.emit(&mut vec![0; len - 1]), Err(Error::BufferTooSmall));
            let carried = match q {
                Param::AddIpAddress(a) => Some(a.address()),
                Param::DeleteIpAddress(a) => Some(a.address()),
                Param::SetPrimaryAddress(a) => Some(a.address()),
                _ => None,
            };
            if let Some(carried) = carried {
                prop_assert_eq!(carried, Ok(addr));
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            for p in parse_all(&bytes).flatten() {
                let mut out = vec![0u8; p.buffer_len()];
                prop_assert_eq!(p.emit(&mut out), Ok(out.len()));
            }
        }
    }
}
