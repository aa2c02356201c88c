//! Hostile-input corpus (`../shared/corpus/`, see its README): every file goes through the
//! packet parser, the chunk parsers and the parameter iterator without panicking; oversized
//! datagrams are rejected; what parses re-emits to an equal value.

use std::fs;
use std::path::{Path, PathBuf};

use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::header::MAX_PACKET_LEN;
use usrsctp::wire::packet::Packet;
use usrsctp::wire::tlv::{ChunkIter, ParamIter};
use usrsctp::wire::{crc, Error};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/usrsctp-fuzz")
}

fn files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(corpus_dir().join(folder))
        .unwrap_or_else(|e| panic!("{folder}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[derive(Debug, Default)]
struct Tally {
    chunks_ok: usize,
    chunks_err: usize,
    unknown: usize,
    params_ok: usize,
    params_err: usize,
}

impl Tally {
    /// Walks a parsed chunk's parameters or causes and checks that it re-emits to an equal value.
    fn chunk(&mut self, chunk: &Chunk<'_>) {
        if matches!(chunk, Chunk::Unknown(_)) {
            self.unknown += 1;
        }
        let lists: Vec<&[u8]> = match chunk {
            Chunk::Init(c) => vec![c.params],
            Chunk::InitAck(c) => vec![c.params],
            Chunk::Heartbeat(c) => vec![c.params],
            Chunk::HeartbeatAck(c) => vec![c.params],
            Chunk::Abort(c) => vec![c.causes],
            Chunk::Error(c) => vec![c.causes],
            Chunk::Asconf(c) => vec![c.address, c.params],
            Chunk::AsconfAck(c) => vec![c.params],
            Chunk::Reconfig(c) => vec![c.params],
            _ => vec![],
        };
        for list in lists {
            for p in ParamIter::new(list) {
                match p {
                    Ok(p) => {
                        assert!(p.bytes.len() >= 4);
                        self.params_ok += 1;
                    }
                    Err(_) => self.params_err += 1,
                }
            }
        }
        let mut buf = vec![0u8; chunk.buffer_len()];
        assert_eq!(chunk.emit(&mut buf), Ok(buf.len()));
        let raw = ChunkIter::new(&buf).next().unwrap().unwrap();
        assert_eq!(&Chunk::parse(&raw).unwrap(), chunk);
    }

    fn packet(&mut self, packet: &Packet<'_>) -> bool {
        let mut clean = true;
        for c in packet.chunks() {
            match c {
                Ok(c) => {
                    self.chunks_ok += 1;
                    self.chunk(&c);
                }
                Err(_) => {
                    self.chunks_err += 1;
                    clean = false;
                }
            }
        }
        clean
    }
}

/// Builds the packet a CORPUS_CONNECT file stands for: a common header from port 5001 to 5000
/// with a valid CRC32c, then the chunk bytes.
fn connect_packet(chunks: &[u8]) -> Vec<u8> {
    let mut p = vec![0x13, 0x89, 0x13, 0x88, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0];
    p.extend_from_slice(chunks);
    crc::set_checksum(&mut p);
    p
}

#[test]
fn corpus() {
    if !corpus_dir().is_dir() {
        println!("corpus not found at {}: skipped", corpus_dir().display());
        return;
    }

    // Whole packets.
    let mut listen = Tally::default();
    let mut listen_packets = 0;
    for (name, bytes) in files("CORPUS_LISTEN") {
        match Packet::parse(&bytes) {
            Ok(p) => {
                listen_packets += 1;
                listen.packet(&p);
            }
            Err(e) => {
                assert!(
                    bytes.len() < 12 || bytes.len() > MAX_PACKET_LEN,
                    "{name}: {e}"
                );
            }
        }
    }
    println!("CORPUS_LISTEN: {listen_packets} packets, {listen:?}");
    assert_eq!(listen_packets, 2);

    // Chunk bytes behind a built header.
    let mut connect = Tally::default();
    let (mut clean, mut dirty, mut oversized) = (0, 0, 0);
    let mut seeds_first_chunk_ok = 0;
    for (name, bytes) in files("CORPUS_CONNECT") {
        let Some(chunks) = bytes.get(1..) else {
            continue;
        };
        let packet = connect_packet(chunks);
        assert!(crc::verify(&packet), "{name}");
        match Packet::parse(&packet) {
            Err(Error::Oversized) => {
                assert!(packet.len() > MAX_PACKET_LEN, "{name}");
                oversized += 1;
            }
            Err(e) => panic!("{name}: {e}"),
            Ok(p) => {
                assert!(packet.len() <= MAX_PACKET_LEN, "{name}");
                assert_eq!(p.header.src_port, 5001);
                if connect.packet(&p) {
                    clean += 1;
                } else {
                    dirty += 1;
                }
                // Seeds recorded from real associations start with a well-formed chunk.
                if name.starts_with("rtcweb-") || name.starts_with("tsctp-") {
                    assert!(
                        matches!(p.chunks().next(), Some(Ok(_))),
                        "{name}: {:?}",
                        p.chunks().next()
                    );
                    seeds_first_chunk_ok += 1;
                }
            }
        }
    }
    println!(
        "CORPUS_CONNECT: {clean} clean, {dirty} with errors, {oversized} oversized, {connect:?}"
    );
    // The two files of about 1 MB the README names, and any whose chunks do not fit behind a
    // 12-byte header in 65,535 bytes.
    assert!(oversized >= 2);
    assert!(seeds_first_chunk_ok >= 40);

    // Sequences of chunks, each delivered alone. The README puts a flag byte first, but the
    // seed files begin directly with a chunk (their sizes are whole multiples of the chunk
    // lengths), so both readings are exercised; the direct one must parse cleanly.
    let mut after_flags = Tally::default();
    let mut direct = Tally::default();
    for (name, bytes) in files("CORPUS_FRAGMENT") {
        for (tally, body) in [
            (&mut after_flags, bytes.get(1..).unwrap_or(&[])),
            (&mut direct, &bytes[..]),
        ] {
            for raw in ChunkIter::new(body) {
                match raw.and_then(|r| Chunk::parse(&r)) {
                    Ok(c) => {
                        tally.chunks_ok += 1;
                        tally.chunk(&c);
                    }
                    Err(_) => tally.chunks_err += 1,
                }
            }
        }
        let all_ok = ChunkIter::new(&bytes).all(|r| r.and_then(|r| Chunk::parse(&r)).is_ok());
        assert!(all_ok, "{name}");
    }
    println!("CORPUS_FRAGMENT after a flag byte: {after_flags:?}");
    println!("CORPUS_FRAGMENT from byte 0: {direct:?}");
    assert_eq!(direct.chunks_err, 0);
}
