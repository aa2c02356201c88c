//! What an association offers in its INIT or INIT-ACK, and what both ends agree on once the
//! peer's parameters are known (RFC 9260 §5.1, RFC 3758 §3.1, RFC 5061 §4.2.7, RFC 6525 §3,
//! RFC 8260 §2.2.1, RFC 9653 §5).

use std::net::IpAddr;
use std::time::Duration;

use crate::wire::param::{
    AdaptationLayerIndication, EcnCapable, ForwardTsnSupported, Ipv4Address, Ipv6Address, Param,
    SupportedExtensions, ZeroChecksumAcceptable,
};
use crate::wire::tlv::{ParamIter, UnrecognizedAction};

/// Chunk types named in the Supported Extensions parameter.
mod chunk_type {
    pub const AUTH: u8 = 0x0f;
    pub const ASCONF: u8 = 0xc1;
    pub const ASCONF_ACK: u8 = 0x80;
    pub const NR_SACK: u8 = 0x10;
    pub const I_DATA: u8 = 0x40;
    pub const RE_CONFIG: u8 = 0x82;
    pub const FORWARD_TSN: u8 = 0xc0;
    pub const I_FORWARD_TSN: u8 = 0xc2;
}

/// The zero-checksum error detection method "DTLS" (RFC 9653 §7).
pub const EDMID_DTLS: u32 = 1;

/// Extensions in use on an association: each is on only when both ends support it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    /// PR-SCTP, FORWARD-TSN (RFC 3758).
    pub partial_reliability: bool,
    /// I-DATA and I-FORWARD-TSN instead of DATA and FORWARD-TSN (RFC 8260).
    pub interleaving: bool,
    /// Stream reconfiguration, RE-CONFIG (RFC 6525).
    pub reconfig: bool,
    /// Explicit congestion notification (RFC 9260 Appendix A).
    pub ecn: bool,
    /// NR-SACK instead of SACK.
    pub nr_sack: bool,
    /// Packets to the peer may carry a zero checksum (RFC 9653).
    pub zero_checksum: bool,
    /// Authenticated chunks, AUTH (RFC 4895).
    pub auth: bool,
    /// Dynamic address reconfiguration, ASCONF and ASCONF-ACK (RFC 5061); only with AUTH.
    pub asconf: bool,
}

/// What we offer in INIT or INIT-ACK.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offer {
    capabilities: Capabilities,
    /// Adaptation Layer Indication to announce (RFC 5061 §4.2.6).
    adaptation: Option<u32>,
    /// The chunk types of our Supported Extensions parameter.
    extensions: Vec<u8>,
    /// Our addresses, listed so that the peer can use all of them (RFC 9260 §5.1.2).
    addresses: Vec<IpAddr>,
    /// Our RANDOM, CHUNKS and HMAC-ALGO (RFC 4895 §3), when AUTH is offered.
    auth: Option<super::auth::AuthOffer>,
}

/// What the peer's INIT or INIT-ACK parameters say, checked against our offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerParams {
    /// The extensions both ends support.
    pub agreed: Capabilities,
    pub adaptation: Option<u32>,
    /// IP addresses the peer listed (RFC 9260 §5.1.2); the source address comes on top.
    pub addresses: Vec<IpAddr>,
    /// The cookie life the peer asked us to add (Cookie Preservative).
    pub cookie_preservative: Option<Duration>,
    /// The State Cookie of an INIT-ACK.
    pub state_cookie: Option<Vec<u8>>,
    /// The peer's RANDOM, CHUNKS and HMAC-ALGO parameters (RFC 4895 §3).
    pub auth: super::auth::PeerAuthParams,
    /// Parameters to report back as unrecognised (whole TLVs, padded).
    pub unrecognized: Vec<Vec<u8>>,
    /// A parameter that failed to parse or whose type said to stop: the rest was not read.
    pub stopped_early: bool,
}

impl Offer {
    pub fn new(capabilities: Capabilities, adaptation: Option<u32>) -> Self {
        let caps = capabilities;
        let mut extensions = Vec::new();
        if caps.partial_reliability {
            extensions.push(chunk_type::FORWARD_TSN);
        }
        if caps.auth {
            extensions.push(chunk_type::AUTH);
            // RFC 5061 §4.1.1: ASCONF only behind AUTH.
            if caps.asconf {
                extensions.push(chunk_type::ASCONF);
                extensions.push(chunk_type::ASCONF_ACK);
            }
        }
        if caps.reconfig {
            extensions.push(chunk_type::RE_CONFIG);
        }
        if caps.interleaving {
            extensions.push(chunk_type::I_DATA);
            if caps.partial_reliability {
                extensions.push(chunk_type::I_FORWARD_TSN);
            }
        }
        if caps.nr_sack {
            extensions.push(chunk_type::NR_SACK);
        }
        Offer {
            capabilities,
            adaptation,
            extensions,
            addresses: Vec::new(),
            auth: None,
        }
    }

    /// Adds AUTH's parameters (only when AUTH is among the capabilities offered).
    pub fn with_auth(mut self, auth: super::auth::AuthOffer) -> Self {
        if self.capabilities.auth {
            self.auth = Some(auth);
        }
        self
    }

    /// AUTH's parameters as offered.
    pub fn auth(&self) -> Option<&super::auth::AuthOffer> {
        self.auth.as_ref()
    }

    /// Lists `addresses` as IPv4/IPv6 Address parameters.
    pub fn with_addresses(mut self, addresses: Vec<IpAddr>) -> Self {
        self.addresses = addresses;
        self
    }

    /// The extensions offered.
    pub fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    /// The parameters of our INIT or INIT-ACK (without the state cookie).
    pub fn params(&self) -> Vec<Param<'_>> {
        let caps = self.capabilities;
        let mut params: Vec<Param<'_>> = self
            .addresses
            .iter()
            .map(|ip| match ip {
                IpAddr::V4(addr) => Param::Ipv4Address(Ipv4Address { addr: *addr }),
                IpAddr::V6(addr) => Param::Ipv6Address(Ipv6Address { addr: *addr }),
            })
            .collect();
        if caps.ecn {
            params.push(Param::EcnCapable(EcnCapable));
        }
        if caps.partial_reliability {
            params.push(Param::ForwardTsnSupported(ForwardTsnSupported));
        }
        if !self.extensions.is_empty() {
            params.push(Param::SupportedExtensions(SupportedExtensions {
                chunk_types: &self.extensions,
            }));
        }
        if let Some(auth) = &self.auth {
            params.extend(auth.params());
        }
        if caps.zero_checksum {
            params.push(Param::ZeroChecksumAcceptable(ZeroChecksumAcceptable {
                edmid: EDMID_DTLS,
            }));
        }
        if let Some(code) = self.adaptation {
            params.push(Param::AdaptationLayerIndication(
                AdaptationLayerIndication {
                    adaptation_code_point: code,
                },
            ));
        }
        params
    }

    /// Reads the peer's parameters (the bytes after the fixed part of INIT or INIT-ACK).
    pub fn negotiate(&self, peer: &[u8]) -> PeerParams {
        let mut out = PeerParams::default();
        let mut forward_tsn = false;
        let mut extensions: &[u8] = &[];
        for raw in ParamIter::new(peer) {
            let Ok(raw) = raw else {
                out.stopped_early = true;
                break;
            };
            match Param::parse(&raw) {
                Ok(Param::Ipv4Address(Ipv4Address { addr })) => {
                    out.addresses.push(IpAddr::V4(addr))
                }
                Ok(Param::Ipv6Address(Ipv6Address { addr })) => {
                    out.addresses.push(IpAddr::V6(addr))
                }
                Ok(Param::EcnCapable(_)) => out.agreed.ecn = self.capabilities.ecn,
                Ok(Param::ForwardTsnSupported(_)) => forward_tsn = true,
                Ok(Param::SupportedExtensions(p)) => extensions = p.chunk_types,
                Ok(Param::ZeroChecksumAcceptable(p)) => {
                    out.agreed.zero_checksum =
                        self.capabilities.zero_checksum && p.edmid == EDMID_DTLS
                }
                Ok(Param::AdaptationLayerIndication(p)) => {
                    out.adaptation = Some(p.adaptation_code_point)
                }
                Ok(Param::CookiePreservative(p)) => {
                    out.cookie_preservative =
                        Some(Duration::from_millis(u64::from(p.life_span_increment_ms)))
                }
                Ok(Param::StateCookie(p)) => out.state_cookie = Some(p.cookie.to_vec()),
                Ok(Param::Random(_) | Param::ChunkList(_) | Param::RequestedHmacAlgorithm(_)) => {
                    out.auth.take(&raw)
                }
                Ok(Param::Unknown(raw)) => {
                    let action = UnrecognizedAction::of_param_type(raw.param_type);
                    if action.reports() {
                        let mut tlv = raw.bytes.to_vec();
                        tlv.resize(crate::wire::padded(tlv.len()), 0);
                        out.unrecognized.push(tlv);
                    }
                    if !action.continues() {
                        out.stopped_early = true;
                        break;
                    }
                }
                // Known parameters that do not belong in INIT (or that later issues use:
                // Supported Address Types, Host Name).
                Ok(_) => {}
                Err(_) => {
                    out.stopped_early = true;
                    break;
                }
            }
        }
        let has = |t: u8| extensions.contains(&t);
        let ours = self.capabilities;
        out.agreed.partial_reliability =
            ours.partial_reliability && (forward_tsn || has(chunk_type::FORWARD_TSN));
        out.agreed.reconfig = ours.reconfig && has(chunk_type::RE_CONFIG);
        out.agreed.interleaving = ours.interleaving
            && has(chunk_type::I_DATA)
            && (!out.agreed.partial_reliability || has(chunk_type::I_FORWARD_TSN));
        out.agreed.nr_sack = ours.nr_sack && has(chunk_type::NR_SACK);
        out.agreed.auth = ours.auth && has(chunk_type::AUTH) && out.auth.is_complete();
        out.agreed.asconf = ours.asconf
            && out.agreed.auth
            && has(chunk_type::ASCONF)
            && has(chunk_type::ASCONF_ACK);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::param::emit_all;

    fn bytes_of(params: &[Param]) -> Vec<u8> {
        let mut buf = vec![0u8; 512];
        let n = emit_all(params, &mut buf).unwrap();
        buf.truncate(n);
        buf
    }

    fn everything() -> Offer {
        let all = Capabilities {
            partial_reliability: true,
            interleaving: true,
            reconfig: true,
            ecn: true,
            nr_sack: true,
            zero_checksum: true,
            auth: false,
            asconf: false,
        };
        Offer::new(all, Some(7))
    }

    #[test]
    fn two_full_offers_agree_on_everything() {
        let offer = everything();
        let peer = offer.negotiate(&bytes_of(&offer.params()));
        assert_eq!(peer.agreed, offer.capabilities());
        assert_eq!(peer.adaptation, Some(7));
        assert!(!peer.stopped_early);
    }

    #[test]
    fn an_extension_needs_both_ends() {
        let ours = everything();
        let plain = Offer::default();
        assert_eq!(
            ours.negotiate(&bytes_of(&plain.params())).agreed,
            Capabilities::default()
        );
        assert_eq!(
            plain.negotiate(&bytes_of(&ours.params())).agreed,
            Capabilities::default()
        );
    }

    #[test]
    fn libusrsctp_init_parameters() {
        // The parameters of the INIT in tests/captures/libusrsctp-0.9.5-data.txt: ECN, FORWARD-TSN
        // supported, supported extensions (0xc0 0x82 0xc1 0x80 0x81 0x0f), RANDOM, HMAC-ALGO,
        // CHUNKS.
        let init = [
            0x80, 0x00, 0x00, 0x04, 0xc0, 0x00, 0x00, 0x04, 0x80, 0x08, 0x00, 0x0a, 0xc0, 0x82,
            0xc1, 0x80, 0x81, 0x0f, 0x00, 0x00, 0x80, 0x02, 0x00, 0x24, 1, 2, 3, 4, 5, 6, 7, 8, 9,
            10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
            32, 0x80, 0x04, 0x00, 0x06, 0x00, 0x01, 0x00, 0x00, 0x80, 0x03, 0x00, 0x06, 0x80, 0xc1,
            0x00, 0x00,
        ];
        let peer = everything().negotiate(&init);
        assert!(peer.agreed.partial_reliability && peer.agreed.reconfig && peer.agreed.ecn);
        assert!(!peer.agreed.interleaving && !peer.agreed.nr_sack && !peer.agreed.zero_checksum);
        assert!(peer.unrecognized.is_empty() && !peer.stopped_early);
    }

    #[test]
    fn unknown_parameters_follow_their_high_bits() {
        // 0xc123 (skip and report), then 0x4567 (stop and report), then ECN that is never read.
        let params = [
            0xc1, 0x23, 0x00, 0x05, 0xaa, 0, 0, 0, 0x45, 0x67, 0x00, 0x04, 0x80, 0x00, 0x00, 0x04,
        ];
        let peer = everything().negotiate(&params);
        assert_eq!(
            peer.unrecognized,
            vec![
                vec![0xc1, 0x23, 0x00, 0x05, 0xaa, 0, 0, 0],
                vec![0x45, 0x67, 0, 4]
            ]
        );
        assert!(peer.stopped_early);
        assert!(!peer.agreed.ecn);
        // 0x8123: skip silently.
        let quiet = everything().negotiate(&[0x81, 0x23, 0x00, 0x04, 0x80, 0x00, 0x00, 0x04]);
        assert!(quiet.unrecognized.is_empty() && quiet.agreed.ecn);
    }

    #[test]
    fn addresses_cookie_and_preservative() {
        let params = [
            0x00, 0x05, 0x00, 0x08, 10, 0, 0, 2, // IPv4 10.0.0.2
            0x00, 0x09, 0x00, 0x08, 0, 0, 0x03, 0xe8, // preservative 1000 ms
            0x00, 0x07, 0x00, 0x07, 9, 8, 7, 0, // cookie 9 8 7
        ];
        let peer = Offer::default().negotiate(&params);
        assert_eq!(peer.addresses, vec![IpAddr::from([10, 0, 0, 2])]);
        assert_eq!(peer.cookie_preservative, Some(Duration::from_secs(1)));
        assert_eq!(peer.state_cookie, Some(vec![9, 8, 7]));
    }
}
