//! Parses arbitrary bytes as an SCTP packet: header, every chunk, and the parameters or error
//! causes of the chunks that carry them. Every chunk that parses is emitted again, and the
//! emitted bytes must parse to an equal value. A packet that parses completely must also
//! re-emit as a whole with a valid checksum.

#![no_main]

use libfuzzer_sys::fuzz_target;
use usrsctp::wire::chunk::Chunk;
use usrsctp::wire::packet::{emit_packet, packet_len, Packet};
use usrsctp::wire::tlv::{ChunkIter, ParamIter};
use usrsctp::wire::{crc, Error};

fn lists<'a>(chunk: &Chunk<'a>) -> [&'a [u8]; 2] {
    match chunk {
        Chunk::Init(c) => [c.params, &[]],
        Chunk::InitAck(c) => [c.params, &[]],
        Chunk::Heartbeat(c) => [c.params, &[]],
        Chunk::HeartbeatAck(c) => [c.params, &[]],
        Chunk::Abort(c) => [c.causes, &[]],
        Chunk::Error(c) => [c.causes, &[]],
        Chunk::Asconf(c) => [c.address, c.params],
        Chunk::AsconfAck(c) => [c.params, &[]],
        Chunk::Reconfig(c) => [c.params, &[]],
        _ => [&[], &[]],
    }
}

fuzz_target!(|data: &[u8]| {
    let packet = match Packet::parse(data) {
        Ok(p) => p,
        Err(e) => {
            assert!(matches!(e, Error::Truncated | Error::Oversized));
            return;
        }
    };
    let _ = crc::verify(data);
    let mut parsed = Vec::new();
    let mut complete = true;
    for chunk in packet.chunks() {
        let Ok(chunk) = chunk else {
            complete = false;
            continue;
        };
        for list in lists(&chunk) {
            for p in ParamIter::new(list).flatten() {
                assert!(p.bytes.len() >= 4);
                let _ = p.value();
            }
        }
        let len = chunk.buffer_len();
        let mut buf = vec![0u8; len];
        assert_eq!(chunk.emit(&mut buf), Ok(len));
        let raw = ChunkIter::new(&buf)
            .next()
            .expect("one chunk")
            .expect("emitted chunk frames");
        assert_eq!(Chunk::parse(&raw).expect("emitted chunk parses"), chunk);
        parsed.push(chunk);
    }
    if complete {
        let len = packet_len(&parsed);
        let mut buf = vec![0u8; len];
        match emit_packet(&packet.header, &parsed, &mut buf) {
            Ok(n) => {
                assert_eq!(n, len);
                assert!(crc::verify(&buf));
                let again = Packet::parse(&buf).expect("emitted packet parses");
                let back: Vec<_> = again
                    .chunks()
                    .collect::<Result<_, _>>()
                    .expect("emitted chunks parse");
                assert_eq!(back, parsed);
            }
            // Padding a last chunk that arrived unpadded can push a maximal packet over the limit.
            Err(Error::Oversized) => assert!(len > 65_535),
            Err(e) => panic!("{e}"),
        }
    }
});
