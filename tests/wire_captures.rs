//! Real packets, recorded from Debian's libusrsctp 0.9.5 by `tests/captures/capture.c`: every
//! packet parses, every chunk, parameter and error cause is recognised, re-emitting each gives
//! the captured bytes back, and the fields hold what the recording program did.

use std::collections::BTreeSet;
use std::path::Path;

use usrsctp::wire::cause::Cause;
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::packet::{emit_packet, Packet};
use usrsctp::wire::param::Param;
use usrsctp::wire::tlv::ParamIter;
use usrsctp::wire::{crc, padded};

/// One recorded packet: who sent it (`C>S` or `S>C`) and its bytes.
struct Captured {
    from_client: bool,
    bytes: Vec<u8>,
}

fn load(name: &str) -> Vec<Captured> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/captures")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let mut words = line.split_whitespace();
            let from_client = words.next() == Some("C>S");
            let bytes = words
                .map(|h| u8::from_str_radix(h, 16).expect("hex byte"))
                .collect();
            Captured { from_client, bytes }
        })
        .collect()
}

#[derive(Default)]
struct Seen {
    chunks: BTreeSet<u8>,
    params: BTreeSet<u16>,
    causes: BTreeSet<u16>,
}

/// Parses every parameter of `bytes`, checks each re-emits to its own bytes, records its type.
fn check_params(bytes: &[u8], seen: &mut Seen) {
    for raw in ParamIter::new(bytes) {
        let raw = raw.expect("parameter framing");
        let param =
            Param::parse(&raw).unwrap_or_else(|e| panic!("param {:#06x}: {e}", raw.param_type));
        assert!(
            !matches!(param, Param::Unknown(_)),
            "unrecognised parameter {:#06x}",
            raw.param_type
        );
        let mut out = vec![0u8; param.buffer_len()];
        assert_eq!(param.emit(&mut out), Ok(out.len()));
        assert_eq!(
            &out[..raw.bytes.len()],
            raw.bytes,
            "param {:#06x} re-emitted",
            raw.param_type
        );
        seen.params.insert(raw.param_type);
    }
}

fn check_causes(bytes: &[u8], seen: &mut Seen) {
    for raw in ParamIter::new(bytes) {
        let raw = raw.expect("cause framing");
        let cause = Cause::parse(&raw).unwrap_or_else(|e| panic!("cause {}: {e}", raw.param_type));
        assert!(
            !matches!(cause, Cause::Unknown(_)),
            "unrecognised cause {}",
            raw.param_type
        );
        let mut out = vec![0u8; cause.buffer_len()];
        assert_eq!(cause.emit(&mut out), Ok(out.len()));
        assert_eq!(&out[..raw.bytes.len()], raw.bytes);
        seen.causes.insert(raw.param_type);
    }
}

/// Parses and re-emits every packet of a capture; returns what it saw.
fn check_capture(name: &str) -> (Vec<Captured>, Seen) {
    let packets = load(name);
    assert!(packets.len() > 20, "{name} holds {} packets", packets.len());
    let mut seen = Seen::default();
    for (i, captured) in packets.iter().enumerate() {
        let bytes = &captured.bytes;
        assert!(crc::verify(bytes), "{name} packet {i}: checksum");
        let packet = Packet::parse(bytes).unwrap_or_else(|e| panic!("{name} packet {i}: {e}"));
        let (src, dst) = if captured.from_client {
            (5000, 5001)
        } else {
            (5001, 5000)
        };
        assert_eq!((packet.header.src_port, packet.header.dst_port), (src, dst));
        let mut chunks = Vec::new();
        for (raw, chunk) in packet.raw_chunks().zip(packet.chunks()) {
            let raw = raw.expect("chunk framing");
            let chunk = chunk
                .unwrap_or_else(|e| panic!("{name} packet {i} chunk {:#04x}: {e}", raw.chunk_type));
            seen.chunks.insert(chunk.chunk_type());
            match &chunk {
                Chunk::Init(c) => check_params(c.params, &mut seen),
                Chunk::InitAck(c) => check_params(c.params, &mut seen),
                Chunk::Reconfig(c) => check_params(c.params, &mut seen),
                Chunk::Abort(c) => check_causes(c.causes, &mut seen),
                Chunk::Error(c) => check_causes(c.causes, &mut seen),
                Chunk::Unknown(raw) => {
                    assert_eq!(raw.chunk_type, 0x7f, "{name} packet {i}: unknown chunk")
                }
                _ => {}
            }
            let mut out = vec![0u8; chunk.buffer_len()];
            assert_eq!(chunk.emit(&mut out), Ok(out.len()));
            assert_eq!(
                &out[..raw.bytes.len()],
                raw.bytes,
                "{name} packet {i}: chunk {:#04x}",
                raw.chunk_type
            );
            assert_eq!(out.len(), padded(raw.bytes.len()));
            chunks.push(chunk);
        }
        let mut out = vec![0u8; bytes.len() + 3];
        let len = emit_packet(&packet.header, &chunks, &mut out).expect("emit packet");
        assert_eq!(&out[..len], &bytes[..], "{name} packet {i} re-emitted");
    }
    (packets, seen)
}

fn first<'a, T>(packets: &'a [Captured], pick: impl Fn(Chunk<'a>) -> Option<T>) -> T {
    packets
        .iter()
        .flat_map(|p| {
            Packet::parse(&p.bytes)
                .unwrap()
                .chunks()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
        })
        .find_map(pick)
        .expect("a chunk of that kind")
}

#[test]
fn data_capture_parses_and_round_trips() {
    let (packets, seen) = check_capture("libusrsctp-0.9.5-data.txt");
    // INIT, INIT-ACK, COOKIE-ECHO/ACK, DATA, SACK, HEARTBEAT(-ACK), ERROR, ECNE, CWR, AUTH,
    // RE-CONFIG, FORWARD-TSN, SHUTDOWN, SHUTDOWN-ACK, SHUTDOWN-COMPLETE.
    for t in [
        0x01, 0x02, 0x0a, 0x0b, 0x00, 0x03, 0x04, 0x05, 0x09, 0x0c, 0x0d, 0x0f, 0x82, 0xc0, 0x07,
        0x08, 0x0e,
    ] {
        assert!(seen.chunks.contains(&t), "no chunk {t:#04x} in the capture");
    }
    // State cookie, ECN, random, chunk list, HMAC algorithms, supported extensions, FORWARD-TSN
    // supported, outgoing SSN reset, re-configuration response, add outgoing streams.
    for t in [
        7, 0x8000, 0x8002, 0x8003, 0x8004, 0x8008, 0xc000, 13, 16, 17,
    ] {
        assert!(
            seen.params.contains(&t),
            "no parameter {t:#06x} in the capture"
        );
    }
    assert!(
        seen.causes.contains(&6),
        "the ERROR reports an unrecognised chunk type"
    );

    let init = first(&packets, |c| {
        if let Chunk::Init(i) = c {
            Some(i)
        } else {
            None
        }
    });
    assert_eq!((init.outbound_streams, init.inbound_streams), (10, 2048));
    assert_ne!(init.initiate_tag.0, 0);
    let data = first(&packets, |c| {
        if let Chunk::Data(d) = c {
            Some(d)
        } else {
            None
        }
    });
    assert_eq!(data.ppid.0, 51);
    assert_eq!(data.payload.len(), 100);
    assert!(data.beginning && data.ending && !data.unordered);
    let unordered = first(&packets, |c| match c {
        Chunk::Data(d) if d.unordered => Some(d),
        _ => None,
    });
    assert_eq!((unordered.stream_id.0, unordered.payload.len()), (1, 10));
    let error = first(&packets, |c| {
        if let Chunk::Error(e) = c {
            Some(e)
        } else {
            None
        }
    });
    let cause = Cause::parse(&ParamIter::new(error.causes).next().unwrap().unwrap()).unwrap();
    let Cause::UnrecognizedChunkType(unrecognized) = cause else {
        panic!("{cause:?}")
    };
    assert_eq!(unrecognized.chunk, [0x7f, 0, 0, 8, 0xca, 0xfe, 0, 0]);
}

#[test]
fn idata_capture_parses_and_round_trips() {
    let (packets, seen) = check_capture("libusrsctp-0.9.5-idata.txt");
    // I-DATA, NR-SACK, I-FORWARD-TSN and ABORT.
    for t in [0x40, 0x10, 0xc2, 0x06] {
        assert!(seen.chunks.contains(&t), "no chunk {t:#04x} in the capture");
    }
    assert!(
        !seen.chunks.contains(&0x00) && !seen.chunks.contains(&0x03),
        "DATA or SACK despite I-DATA"
    );
    assert!(
        seen.causes.contains(&12),
        "the ABORT carries a user-initiated abort cause"
    );

    let idata = first(&packets, |c| match c {
        Chunk::IData(d) if d.payload.len() > 1000 => Some(d),
        _ => None,
    });
    assert_eq!(idata.stream_id.0, 2);
    assert!(
        idata.beginning && !idata.ending,
        "the 5000-byte message is fragmented"
    );
    let forward = first(&packets, |c| {
        if let Chunk::IForwardTsn(f) = c {
            Some(f)
        } else {
            None
        }
    });
    assert!(
        forward.streams.iter().any(|s| s.stream_id.0 == 3),
        "{forward:?}"
    );
    let abort = first(&packets, |c| {
        if let Chunk::Abort(a) = c {
            Some(a)
        } else {
            None
        }
    });
    let cause = Cause::parse(&ParamIter::new(abort.causes).next().unwrap().unwrap()).unwrap();
    let Cause::UserInitiatedAbort(reason) = cause else {
        panic!("{cause:?}")
    };
    assert_eq!(reason.upper_layer_reason, b"bye");
}
