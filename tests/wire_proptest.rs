//! Random valid packets survive emit -> parse unchanged, with a valid CRC32c.

use proptest::collection::vec;
use proptest::prelude::*;
use usrsctp::types::{Mid, Ppid, Ssn, StreamId, Tsn, VerificationTag};
use usrsctp::wire::chunk::*;
use usrsctp::wire::packet::{emit_packet, packet_len, Packet};
use usrsctp::wire::tlv::RawChunk;
use usrsctp::wire::{crc, CommonHeader};

/// Chunk types with a parser; anything else must come back as `Chunk::Unknown`.
const KNOWN: [u8; 25] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 64, 0x80, 0x81, 130, 132, 192, 0xc1,
    194,
];

/// An owned description of a chunk, from which a borrowed `Chunk` is built.
#[derive(Debug, Clone)]
enum Spec {
    Data {
        tsn: u32,
        sid: u16,
        ssn: u16,
        ppid: u32,
        flags: [bool; 4],
        payload: Vec<u8>,
    },
    IData {
        tsn: u32,
        sid: u16,
        mid: u32,
        word: u32,
        flags: [bool; 4],
        payload: Vec<u8>,
    },
    Init {
        ack: bool,
        tag: u32,
        rwnd: u32,
        os: u16,
        is: u16,
        tsn: u32,
        params: Vec<u8>,
    },
    Sack {
        cum: u32,
        rwnd: u32,
        gaps: Vec<GapAckBlock>,
        nr_gaps: Option<Vec<GapAckBlock>>,
        dups: Vec<Tsn>,
    },
    /// HEARTBEAT, HEARTBEAT-ACK, ERROR, ABORT (with T), RE-CONFIG, COOKIE-ECHO or PAD.
    Bytes {
        kind: u8,
        t: bool,
        bytes: Vec<u8>,
    },
    Fixed {
        kind: u8,
        tsn: u32,
        extra: Option<u32>,
        t: bool,
        t2: bool,
    },
    PktDrop {
        flags: [bool; 3],
        words: (u32, u32, u16),
        dropped: Vec<u8>,
    },
    Auth {
        key: u16,
        hmac_id: u16,
        hmac: Vec<u8>,
    },
    Asconf {
        ack: bool,
        serial: u32,
        address: Vec<u8>,
        params: Vec<u8>,
    },
    ForwardTsn {
        cum: u32,
        streams: Vec<ForwardTsnStream>,
    },
    IForwardTsn {
        cum: u32,
        streams: Vec<IForwardTsnStream>,
    },
    Unknown {
        bytes: Vec<u8>,
    },
}

fn flags4(f: [bool; 4]) -> (bool, bool, bool, bool) {
    (f[0], f[1], f[2], f[3])
}

impl Spec {
    fn chunk(&self) -> Chunk<'_> {
        match self {
            Spec::Data {
                tsn,
                sid,
                ssn,
                ppid,
                flags,
                payload,
            } => {
                let (unordered, beginning, ending, immediate) = flags4(*flags);
                Chunk::Data(DataChunk {
                    tsn: Tsn(*tsn),
                    stream_id: StreamId(*sid),
                    ssn: Ssn(*ssn),
                    ppid: Ppid(*ppid),
                    unordered,
                    beginning,
                    ending,
                    immediate,
                    payload,
                })
            }
            Spec::IData {
                tsn,
                sid,
                mid,
                word,
                flags,
                payload,
            } => {
                let (unordered, beginning, ending, immediate) = flags4(*flags);
                let (ppid, fsn) = if beginning {
                    (Ppid(*word), 0)
                } else {
                    (Ppid(0), *word)
                };
                Chunk::IData(IDataChunk {
                    tsn: Tsn(*tsn),
                    stream_id: StreamId(*sid),
                    mid: Mid(*mid),
                    ppid,
                    fsn,
                    unordered,
                    beginning,
                    ending,
                    immediate,
                    payload,
                })
            }
            Spec::Init {
                ack,
                tag,
                rwnd,
                os,
                is,
                tsn,
                params,
            } => {
                if *ack {
                    Chunk::InitAck(InitAckChunk {
                        initiate_tag: VerificationTag(*tag),
                        a_rwnd: *rwnd,
                        outbound_streams: *os,
                        inbound_streams: *is,
                        initial_tsn: Tsn(*tsn),
                        params,
                    })
                } else {
                    Chunk::Init(InitChunk {
                        initiate_tag: VerificationTag(*tag),
                        a_rwnd: *rwnd,
                        outbound_streams: *os,
                        inbound_streams: *is,
                        initial_tsn: Tsn(*tsn),
                        params,
                    })
                }
            }
            Spec::Sack {
                cum,
                rwnd,
                gaps,
                nr_gaps,
                dups,
            } => match nr_gaps {
                None => Chunk::Sack(SackChunk {
                    cum_tsn_ack: Tsn(*cum),
                    a_rwnd: *rwnd,
                    gap_ack_blocks: WireList::Items(gaps),
                    duplicate_tsns: WireList::Items(dups),
                }),
                Some(nr) => Chunk::NrSack(NrSackChunk {
                    cum_tsn_ack: Tsn(*cum),
                    a_rwnd: *rwnd,
                    gap_ack_blocks: WireList::Items(gaps),
                    nr_gap_ack_blocks: WireList::Items(nr),
                    duplicate_tsns: WireList::Items(dups),
                }),
            },
            Spec::Bytes { kind, t, bytes } => match kind {
                0 => Chunk::Heartbeat(HeartbeatChunk { params: bytes }),
                1 => Chunk::HeartbeatAck(HeartbeatAckChunk { params: bytes }),
                2 => Chunk::Error(ErrorChunk { causes: bytes }),
                3 => Chunk::Abort(AbortChunk {
                    tag_reflected: *t,
                    causes: bytes,
                }),
                4 => Chunk::Reconfig(ReconfigChunk { params: bytes }),
                5 => Chunk::CookieEcho(CookieEchoChunk { cookie: bytes }),
                _ => Chunk::Pad(PadChunk { padding: bytes }),
            },
            Spec::Fixed {
                kind,
                tsn,
                extra,
                t,
                t2,
            } => match kind {
                0 => Chunk::Shutdown(ShutdownChunk {
                    cum_tsn_ack: Tsn(*tsn),
                }),
                1 => Chunk::ShutdownAck(ShutdownAckChunk),
                2 => Chunk::CookieAck(CookieAckChunk),
                3 => Chunk::Ecne(EcneChunk {
                    lowest_tsn: Tsn(*tsn),
                    packets_since_cwr: *extra,
                }),
                4 => Chunk::Cwr(CwrChunk {
                    lowest_tsn: Tsn(*tsn),
                    reduce_override: *t,
                    in_same_window: *t2,
                }),
                _ => Chunk::ShutdownComplete(ShutdownCompleteChunk { tag_reflected: *t }),
            },
            Spec::PktDrop {
                flags,
                words,
                dropped,
            } => Chunk::PktDrop(PktDropChunk {
                from_middle_box: flags[0],
                bad_crc: flags[1],
                truncated: flags[2],
                bottleneck_bandwidth: words.0,
                current_queue_size: words.1,
                truncated_length: words.2,
                dropped,
            }),
            Spec::Auth { key, hmac_id, hmac } => Chunk::Auth(AuthChunk {
                shared_key_id: *key,
                hmac_id: *hmac_id,
                hmac,
            }),
            Spec::Asconf {
                ack,
                serial,
                address,
                params,
            } => {
                if *ack {
                    Chunk::AsconfAck(AsconfAckChunk {
                        serial_number: *serial,
                        params,
                    })
                } else {
                    Chunk::Asconf(AsconfChunk {
                        serial_number: *serial,
                        address,
                        params,
                    })
                }
            }
            Spec::ForwardTsn { cum, streams } => Chunk::ForwardTsn(ForwardTsnChunk {
                new_cum_tsn: Tsn(*cum),
                streams: WireList::Items(streams),
            }),
            Spec::IForwardTsn { cum, streams } => Chunk::IForwardTsn(IForwardTsnChunk {
                new_cum_tsn: Tsn(*cum),
                streams: WireList::Items(streams),
            }),
            Spec::Unknown { bytes } => Chunk::Unknown(RawChunk {
                chunk_type: bytes[0],
                flags: bytes[1],
                bytes,
            }),
        }
    }
}

/// A sequence of well-formed TLVs (parameters or causes), each padded.
fn tlvs() -> impl Strategy<Value = Vec<u8>> {
    vec((any::<u16>(), vec(any::<u8>(), 0..24)), 0..5).prop_map(|list| {
        let mut out = Vec::new();
        for (t, value) in list {
            out.extend_from_slice(&t.to_be_bytes());
            out.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
            out.extend_from_slice(&value);
            while out.len() % 4 != 0 {
                out.push(0);
            }
        }
        out
    })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..64)
}

fn gaps() -> impl Strategy<Value = Vec<GapAckBlock>> {
    vec(
        (any::<u16>(), any::<u16>()).prop_map(|(s, e)| GapAckBlock::new(s, e)),
        0..6,
    )
}

fn address() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|a| [&[0, 5, 0, 8][..], &a[..]].concat()),
        any::<[u8; 16]>().prop_map(|a| [&[0, 6, 0, 20][..], &a[..]].concat()),
    ]
}

fn spec() -> impl Strategy<Value = Spec> {
    prop_oneof![
        (any::<(u32, u16, u16, u32)>(), any::<[bool; 4]>(), payload()).prop_map(
            |((tsn, sid, ssn, ppid), flags, payload)| Spec::Data {
                tsn,
                sid,
                ssn,
                ppid,
                flags,
                payload
            }
        ),
        (any::<(u32, u16, u32, u32)>(), any::<[bool; 4]>(), payload()).prop_map(
            |((tsn, sid, mid, word), flags, payload)| Spec::IData {
                tsn,
                sid,
                mid,
                word,
                flags,
                payload
            }
        ),
        (any::<(bool, u32, u32, u16, u16, u32)>(), tlvs()).prop_map(
            |((ack, tag, rwnd, os, is, tsn), params)| Spec::Init {
                ack,
                tag,
                rwnd,
                os,
                is,
                tsn,
                params
            }
        ),
        (
            any::<(u32, u32)>(),
            gaps(),
            proptest::option::of(gaps()),
            vec(any::<u32>().prop_map(Tsn), 0..6)
        )
            .prop_map(|((cum, rwnd), gaps, nr_gaps, dups)| Spec::Sack {
                cum,
                rwnd,
                gaps,
                nr_gaps,
                dups
            }),
        (0u8..7, any::<bool>(), tlvs()).prop_map(|(kind, t, bytes)| Spec::Bytes { kind, t, bytes }),
        (0u8..7, any::<bool>(), payload()).prop_map(|(kind, t, bytes)| Spec::Bytes {
            // Cookies and padding are opaque bytes of any length.
            kind: if kind % 2 == 0 { 5 } else { 6 },
            t,
            bytes
        }),
        (
            0u8..6,
            any::<u32>(),
            proptest::option::of(any::<u32>()),
            any::<(bool, bool)>()
        )
            .prop_map(|(kind, tsn, extra, (t, t2))| Spec::Fixed {
                kind,
                tsn,
                extra,
                t,
                t2
            }),
        (any::<[bool; 3]>(), any::<(u32, u32, u16)>(), payload()).prop_map(
            |(flags, words, dropped)| Spec::PktDrop {
                flags,
                words,
                dropped
            }
        ),
        (any::<u16>(), any::<u16>(), vec(any::<u8>(), 0..40))
            .prop_map(|(key, hmac_id, hmac)| { Spec::Auth { key, hmac_id, hmac } }),
        (any::<bool>(), any::<u32>(), address(), tlvs()).prop_map(
            |(ack, serial, address, params)| Spec::Asconf {
                ack,
                serial,
                address,
                params
            }
        ),
        (
            any::<u32>(),
            vec(
                any::<(u16, u16)>().prop_map(|(s, n)| ForwardTsnStream {
                    stream_id: StreamId(s),
                    ssn: Ssn(n)
                }),
                0..6
            )
        )
            .prop_map(|(cum, streams)| Spec::ForwardTsn { cum, streams }),
        (
            any::<u32>(),
            vec(
                any::<(u16, bool, u32)>().prop_map(|(s, u, m)| IForwardTsnStream {
                    stream_id: StreamId(s),
                    unordered: u,
                    mid: Mid(m)
                }),
                0..6
            )
        )
            .prop_map(|(cum, streams)| Spec::IForwardTsn { cum, streams }),
        (
            any::<u8>().prop_filter("unknown type", |t| !KNOWN.contains(t)),
            any::<u8>(),
            vec(any::<u8>(), 0..32)
        )
            .prop_map(|(t, f, value)| {
                let mut bytes = vec![t, f];
                bytes.extend_from_slice(&((4 + value.len()) as u16).to_be_bytes());
                bytes.extend_from_slice(&value);
                Spec::Unknown { bytes }
            }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn emit_then_parse_is_identity(
        ports in any::<(u16, u16)>(),
        vtag in any::<u32>(),
        specs in vec(spec(), 0..8),
    ) {
        let header = CommonHeader {
            src_port: ports.0,
            dst_port: ports.1,
            verification_tag: vtag,
            checksum: 0,
        };
        let chunks: Vec<Chunk<'_>> = specs.iter().map(Spec::chunk).collect();
        let len = packet_len(&chunks);
        let mut buf = vec![0u8; len];
        prop_assert_eq!(emit_packet(&header, &chunks, &mut buf), Ok(len));
        prop_assert!(crc::verify(&buf));

        let packet = Packet::parse(&buf).unwrap();
        prop_assert_eq!(packet.header.src_port, ports.0);
        prop_assert_eq!(packet.header.dst_port, ports.1);
        prop_assert_eq!(packet.header.verification_tag, vtag);
        let parsed: Vec<Chunk<'_>> = packet.chunks().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(&parsed, &chunks);

        // Parsed chunks emit the very same bytes.
        let mut again = vec![0u8; len];
        prop_assert_eq!(emit_packet(&header, &parsed, &mut again), Ok(len));
        prop_assert_eq!(again, buf);
    }
}
