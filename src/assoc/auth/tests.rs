//! RFC 4895 computations checked against a capture of two Debian libusrsctp 0.9.5 endpoints
//! (tests/captures/libusrsctp-0.9.5-data.txt): the server asked for DATA to be authenticated,
//! and the client's DATA packets carry AUTH chunks with key 0 (the null key) and HMAC-SHA-1.

use super::*;
use crate::wire::tlv::ParamIter;

const CAPTURE: &str = include_str!("../../../tests/captures/libusrsctp-0.9.5-data.txt");

/// The packets of the capture, in order, as (from client, bytes).
fn packets() -> Vec<(bool, Vec<u8>)> {
    CAPTURE
        .lines()
        .filter_map(|l| {
            let (dir, hex) = l.split_once(' ')?;
            if dir != "C>S" && dir != "S>C" {
                return None;
            }
            let bytes = hex
                .split_whitespace()
                .map(|b| u8::from_str_radix(b, 16).unwrap())
                .collect();
            match dir {
                "C>S" => Some((true, bytes)),
                "S>C" => Some((false, bytes)),
                _ => None,
            }
        })
        .collect()
}

/// The AUTH parameters of the INIT (client) or INIT-ACK (server) of the capture.
fn peer_params(bytes: &[u8]) -> PeerAuthParams {
    // Common header (12), chunk header and fixed INIT fields (20).
    let mut out = PeerAuthParams::default();
    let len = usize::from(u16::from_be_bytes([bytes[14], bytes[15]]));
    for raw in ParamIter::new(&bytes[32..12 + len]).flatten() {
        out.take(&raw);
    }
    out
}

fn offer_of(params: &PeerAuthParams) -> AuthOffer {
    let random = params.random.as_ref().unwrap()[4..].try_into().unwrap();
    AuthOffer {
        random,
        chunks: params.chunk_types().types(),
        hmac_ids: params.hmac_ids(),
    }
}

fn null_key_settings(chunks: &[u8]) -> AuthSettings {
    AuthSettings {
        chunks: ChunkSet::from_types(chunks),
        ..AuthSettings::default()
    }
}

#[test]
fn key_vectors_are_the_parameters_as_libusrsctp_sends_them() {
    let p = packets();
    let client = peer_params(&p[0].1);
    let server = peer_params(&p[1].1);
    assert!(client.is_complete() && server.is_complete());
    assert_eq!(client.chunk_types().types(), [0x80, 0xc1]);
    assert_eq!(server.chunk_types().types(), [0x00, 0x80, 0xc1]);
    assert_eq!(client.hmac_ids(), [HMAC_SHA1]);
    // Our own vector, built from our offer, has the bytes of the received one: RANDOM, then
    // CHUNKS, then HMAC-ALGO, whatever order the parameters had on the wire.
    assert_eq!(offer_of(&client).key_vector(), client.key_vector());
    assert_eq!(offer_of(&server).key_vector(), server.key_vector());
    // And our INIT lists them as libusrsctp does: RANDOM, HMAC-ALGO, CHUNKS.
    let params = crate::assoc::handshake::params_bytes(&offer_of(&client).params());
    let init = &p[0].1;
    let random_at = 12 + 20 + 4 + 4 + 12;
    assert_eq!(params, init[random_at..random_at + params.len()]);
}

#[test]
fn association_key_puts_the_smaller_vector_first() {
    assert_eq!(association_key(b"k", &[2, 0], &[1, 9]), [b'k', 1, 9, 2, 0]);
    assert_eq!(association_key(b"", &[1, 9], &[2, 0]), [1, 9, 2, 0]);
    // Numbers: [0, 5] (5) is smaller than [4] (4)? No: left-padded [0, 4] < [0, 5].
    assert_eq!(association_key(b"", &[0, 5], &[4]), [4, 0, 5]);
    // Equal values: the shorter first.
    assert_eq!(association_key(b"", &[0, 4], &[4]), [4, 0, 4]);
}

#[test]
fn data_packets_of_libusrsctp_verify_and_our_signature_matches_them() {
    let p = packets();
    let client = peer_params(&p[0].1);
    let server = peer_params(&p[1].1);
    let client_state = AuthState::new(
        &null_key_settings(&[0x80, 0xc1]),
        &offer_of(&client),
        &server,
    )
    .unwrap();
    let server_state = AuthState::new(
        &null_key_settings(&[0x00, 0x80, 0xc1]),
        &offer_of(&server),
        &client,
    )
    .unwrap();
    assert!(client_state.peer_requires(0x00) && !server_state.peer_requires(0x00));
    let data_packets: Vec<&Vec<u8>> = p
        .iter()
        .filter(|(c, b)| *c && b.len() > 12 && b[12] == AuthChunk::TYPE)
        .map(|(_, b)| b)
        .collect();
    assert!(data_packets.len() >= 5);
    for captured in data_packets {
        let chunks = &captured[12..];
        let raw = crate::wire::tlv::ChunkIter::new(chunks)
            .next()
            .unwrap()
            .unwrap();
        let Ok(Chunk::Auth(auth)) = Chunk::parse(&raw) else {
            panic!("AUTH first")
        };
        assert_eq!((auth.shared_key_id, auth.hmac_id), (0, HMAC_SHA1));
        assert_eq!(server_state.verify(chunks, 0, &auth), Ok(()));
        // The same packet without its AUTH chunk, signed by us as the client.
        let mut ours = captured[..12].to_vec();
        ours.extend_from_slice(&captured[12 + 28..]);
        assert!(client_state.sign(&mut ours));
        assert_eq!(ours[12..], captured[12..]);
        // One flipped bit anywhere after the AUTH chunk header fails.
        for i in [8, 30, chunks.len() - 1] {
            let mut bad = chunks.to_vec();
            bad[i] ^= 1;
            let raw = crate::wire::tlv::ChunkIter::new(&bad)
                .next()
                .unwrap()
                .unwrap();
            let Ok(Chunk::Auth(auth)) = Chunk::parse(&raw) else {
                panic!()
            };
            assert_eq!(server_state.verify(&bad, 0, &auth), Err(Failure::Invalid));
        }
    }
}

#[test]
fn keys_and_hmacs() {
    let p = packets();
    let client = peer_params(&p[0].1);
    let server = peer_params(&p[1].1);
    let mut settings = null_key_settings(&[0x00]);
    settings.hmac_ids = vec![HMAC_SHA256, HMAC_SHA1];
    let mut ours = offer_of(&server);
    ours.hmac_ids = settings.hmac_ids.clone();
    let mut state = AuthState::new(&settings, &ours, &client).unwrap();
    // The peer offers SHA-1 only: that is what we send with.
    assert_eq!(state.send_hmac(), HMAC_SHA1);
    assert_eq!(state.chunk_len(), 28);
    assert_eq!(state.set_active(5), Err(KeyError::Missing));
    state.add_key(5, b"secret");
    assert_eq!(state.set_active(5), Ok(()));
    assert_eq!(state.delete(5), Err(KeyError::Active));
    assert_eq!(state.deactivate(5), Err(KeyError::Active));
    assert_eq!(state.deactivate(0), Ok(()));
    assert_eq!(state.delete(0), Ok(()));
    assert_eq!(state.delete(0), Err(KeyError::Missing));
    // An AUTH with an HMAC we did not offer is refused as such.
    let hmac = [0u8; 32];
    let mut chunk = vec![0u8; 40];
    AuthChunk {
        shared_key_id: 5,
        hmac_id: 2,
        hmac: &hmac,
    }
    .emit(&mut chunk)
    .unwrap();
    let raw = crate::wire::tlv::ChunkIter::new(&chunk)
        .next()
        .unwrap()
        .unwrap();
    let Ok(Chunk::Auth(auth)) = Chunk::parse(&raw) else {
        panic!()
    };
    assert_eq!(
        state.verify(&chunk, 0, &auth),
        Err(Failure::UnsupportedHmac(2))
    );
    // HMAC-SHA-256 of RFC 4231 test case 2, to check the algorithm itself.
    let mac = compute_hmac(HMAC_SHA256, b"Jefe", b"what do ya want for nothing?").unwrap();
    assert_eq!(mac[..4], [0x5b, 0xdc, 0xc1, 0x46]);
    let mac = compute_hmac(HMAC_SHA1, b"Jefe", b"what do ya want for nothing?").unwrap();
    assert_eq!(mac[..4], [0xef, 0xfc, 0xdf, 0x6a]);
}

#[test]
fn chunk_lists_leave_out_what_may_not_be_authenticated() {
    let mut p = PeerAuthParams::default();
    let chunks = [0x80, 0x03, 0x00, 0x09, 0x01, 0x02, 0x0e, 0x0f, 0x00];
    p.take(&RawParam {
        param_type: ChunkList::TYPE,
        bytes: &chunks,
    });
    assert_eq!(p.chunk_types().types(), [0x00]);
    assert!(!p.is_complete());
}
