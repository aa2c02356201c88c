//! A listening endpoint under random packets: it never panics, never creates an association
//! without a cookie it signed, and answers each packet with at most one packet (no
//! amplification beyond the INIT-ACK an INIT may earn).

use proptest::prelude::*;
use usrsctp::endpoint::{Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};

/// A chunk: a known type with random flags and value, or anything.
fn chunk() -> impl Strategy<Value = Vec<u8>> {
    let types = prop_oneof![
        Just(0u8),
        Just(1),
        Just(2),
        Just(3),
        Just(4),
        Just(6),
        Just(7),
        Just(8),
        Just(9),
        Just(10),
        Just(11),
        Just(14),
        Just(64),
        Just(130),
        Just(192),
        any::<u8>()
    ];
    (
        types,
        any::<u8>(),
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(t, flags, value)| {
            let len = 4 + value.len();
            let mut c = vec![t, flags, (len >> 8) as u8, len as u8];
            c.extend(value);
            c.resize((len + 3) & !3, 0);
            c
        })
}

fn packet() -> impl Strategy<Value = (u32, Vec<Vec<u8>>)> {
    (
        prop_oneof![Just(0u32), any::<u32>()],
        proptest::collection::vec(chunk(), 1..4),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_packets_to_a_listening_endpoint(packets in proptest::collection::vec(packet(), 1..20)) {
        let mut endpoint = Endpoint::new(EndpointConfig::default(), 5001, Instant::ZERO, Box::new(SeededRandom::new(7)));
        endpoint.listen(true);
        let peer = NetAddr::Conn(1);
        let mut now = Instant::ZERO;
        for (tag, chunks) in packets {
            let mut bytes = vec![0x13, 0x88, 0x13, 0x89];
            bytes.extend(tag.to_be_bytes());
            bytes.extend([0; 4]);
            for c in chunks {
                bytes.extend(c);
            }
            usrsctp::wire::crc::set_checksum(&mut bytes);
            endpoint.handle_datagram(now, peer, &bytes);
            let mut replies = 0;
            while endpoint.poll_transmit(now).is_some() {
                replies += 1;
            }
            prop_assert!(replies <= 1, "{replies} replies to one packet");
            now += std::time::Duration::from_millis(100);
            endpoint.handle_timeout(now);
            while endpoint.poll_transmit(now).is_some() {}
            while endpoint.poll_event().is_some() {}
        }
        prop_assert_eq!(endpoint.association_ids().count(), 0, "an association without a valid cookie");
        prop_assert!(endpoint.poll_accept().is_none());
    }
}
