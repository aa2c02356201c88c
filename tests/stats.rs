//! The statistics counters (`usrsctp_get_stat`) of two of our endpoints in the simulator: what
//! one side counts as sent the other counts as received on a clean link; handshakes, shutdowns,
//! fragmentation, retransmissions and heartbeats are counted; and the endpoint counts the
//! packets it drops.

mod support;

use std::time::Duration;

use support::sctp_node::{established, net, Established as Pair, SctpNode};
use support::sim::*;
use usrsctp::assoc::{Counters, SendOptions};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::SeededRandom;

impl Pair {
    fn counters(&self, node: NodeId) -> Counters {
        self.net.node::<SctpNode>(node).endpoint.counters()
    }

    fn server_assoc(&self) -> AssocId {
        self.net.node::<SctpNode>(self.server).accepted[0]
    }

    /// Sends `(length, unordered)` messages from the client and runs until the server has
    /// read them all.
    fn transfer(&mut self, messages: &[(usize, bool)], limit: Instant) {
        let now = self.net.now();
        let id = self.id;
        let client = self.net.node_mut::<SctpNode>(self.client);
        for &(len, unordered) in messages {
            let opts = SendOptions {
                unordered,
                ..Default::default()
            };
            client
                .association_mut(id)
                .send(now, &opts, &vec![7; len])
                .unwrap();
        }
        let sid = self.server_assoc();
        let mut received = 0;
        while received < messages.len() {
            assert!(self.net.now() < limit, "{received} of {}", messages.len());
            self.net.step();
            let server = self.net.node_mut::<SctpNode>(self.server);
            while server.association_mut(sid).recv().is_some() {
                received += 1;
            }
        }
    }
}

/// What `a` sent, `b` received: packets and chunks of every kind.
fn sent_equals_received(a: &Counters, b: &Counters) {
    assert_eq!(a.outpackets, b.inpackets, "packets");
    assert_eq!(a.outcontrolchunks, b.incontrolchunks, "control chunks");
    assert_eq!(a.outorderchunks, b.inorderchunks, "ordered chunks");
    assert_eq!(a.outunorderchunks, b.inunorderchunks, "unordered chunks");
    assert_eq!(a.sendsacks, b.recvsacks, "SACKs");
    assert_eq!(a.sendheartbeat, b.recvheartbeat, "heartbeats");
    assert_eq!(a.senddata, b.recvdata, "new DATA");
}

#[test]
fn both_sides_agree_on_a_clean_link_and_removal_keeps_the_counts() {
    let mut p = established(1, LinkConfig::with_delay(ms(10)), EndpointConfig::default());
    let (client, server) = (p.counters(p.client), p.counters(p.server));
    assert_eq!((client.activeestab, client.passiveestab), (1, 0));
    assert_eq!((server.activeestab, server.passiveestab), (0, 1));
    assert_eq!((client.currestab, server.currestab), (1, 1));
    // INIT, COOKIE-ECHO from the client; INIT-ACK, COOKIE-ACK from the server.
    assert_eq!((client.outcontrolchunks, server.outcontrolchunks), (2, 2));

    // Three small ordered messages, one that needs four chunks, two unordered ones.
    let messages = [
        (100, false),
        (100, false),
        (100, false),
        (4000, false),
        (50, true),
        (50, true),
    ];
    let end = p.net.now() + Duration::from_secs(30);
    p.transfer(&messages, end);
    p.net.run_for(Duration::from_secs(1));

    let (client, server) = (p.counters(p.client), p.counters(p.server));
    sent_equals_received(&client, &server);
    sent_equals_received(&server, &client);
    assert_eq!(client.fragusrmsgs, 1);
    assert_eq!(server.reasmusrmsgs, 1);
    assert_eq!(client.senddata, 9);
    assert_eq!((client.outorderchunks, client.outunorderchunks), (7, 2));
    assert_eq!((client.sendretransdata, server.recvdupdata), (0, 0));
    assert!(server.recvpktwithdata >= 1 && server.recvpktwithdata <= 9);
    assert!(server.sendsacks >= 1);
    assert_eq!(
        client.outpackets,
        p.net.link_stats(p.c, p.s).delivered,
        "every packet the client counted went over the link"
    );
    for c in [&client, &server] {
        assert_eq!(c.outpackets, c.sendpackets);
        assert_eq!(c.inpackets, c.recvpackets);
        assert_eq!(c.inpackets, c.recvdatagrams);
        assert_eq!(c.recvswcrc, c.inpackets);
        assert_eq!(c.sendswcrc, c.outpackets);
        assert_eq!(
            c.badsum + c.hdrops + c.badvtag + c.outoftheblue + c.noport,
            0
        );
    }

    // A graceful shutdown.
    let now = p.net.now();
    let id = p.id;
    p.net
        .node_mut::<SctpNode>(p.client)
        .association_mut(id)
        .shutdown(now);
    p.net.run_for(Duration::from_secs(2));
    let (client, server) = (p.counters(p.client), p.counters(p.server));
    assert_eq!((client.shutdown, server.shutdown), (1, 1));
    assert_eq!((client.aborted, server.aborted), (0, 0));
    assert_eq!((client.currestab, server.currestab), (0, 0));
    sent_equals_received(&client, &server);
    sent_equals_received(&server, &client);

    // Removing the associations keeps what they counted in the endpoints.
    let sid = p.server_assoc();
    let before = p.counters(p.server);
    assert!(p
        .net
        .node_mut::<SctpNode>(p.server)
        .endpoint
        .remove(sid)
        .is_some());
    assert_eq!(p.counters(p.server), before);
}

#[test]
fn retransmissions_and_heartbeats_are_counted() {
    let mut config = EndpointConfig::default();
    config.association.nodelay = true;
    config.association.heartbeat_interval = Some(Duration::from_secs(5));
    let mut p = established(2, LinkConfig::with_delay(ms(10)), config);

    // The first DATA packet is lost, the next ones arrive: SACKs with gaps make the client
    // retransmit it fast.
    let mut dropped = 0;
    p.net.set_drop_filter(move |_, d| {
        let data = d.bytes.get(12) == Some(&0);
        if data && dropped == 0 {
            dropped += 1;
            return true;
        }
        false
    });
    let messages = [(1000, false); 8];
    let end = p.net.now() + Duration::from_secs(30);
    p.transfer(&messages, end);
    let client = p.counters(p.client);
    assert!(client.sendfastretrans >= 1, "{client:?}");
    assert!(client.sendretransdata >= client.sendfastretrans);

    // A lone message that is lost: only T3-rtx brings it back.
    let mut dropped = 0;
    p.net.set_drop_filter(move |_, d| {
        let data = d.bytes.get(12) == Some(&0);
        if data && dropped == 0 {
            dropped += 1;
            return true;
        }
        false
    });
    let end = p.net.now() + Duration::from_secs(30);
    p.transfer(&[(100, false)], end);
    p.net.clear_drop_filter();
    let before = client;
    let client = p.counters(p.client);
    assert!(client.timodata > before.timodata, "{client:?}");
    assert!(client.markedretrans > before.markedretrans);
    assert!(client.sendretransdata > before.sendretransdata);

    // Idle: heartbeats on both sides, each answered.
    p.net.run_for(Duration::from_secs(60));
    let (client, server) = (p.counters(p.client), p.counters(p.server));
    assert!(client.sendheartbeat >= 5 && server.sendheartbeat >= 5);
    assert!(client.timoheartbeat >= client.sendheartbeat);
    // At most one heartbeat or its answer is still on the way.
    assert!(client.sendheartbeat - server.recvheartbeat <= 1);
    assert!(server.sendheartbeat - client.recvheartbeat <= 1);
    assert!(client.sendheartbeat - client.recvheartbeatack <= 1);
    assert!(
        server.timosack >= 1,
        "the last DATA was acknowledged after the delay"
    );
}

/// A packet from port 5000 to `dst_port` with `tag`, `chunks` and a correct checksum.
fn packet(dst_port: u16, tag: u32, chunks: &[u8]) -> Vec<u8> {
    let mut p = vec![0x13, 0x88];
    p.extend(dst_port.to_be_bytes());
    p.extend(tag.to_be_bytes());
    p.extend([0; 4]);
    p.extend(chunks);
    usrsctp::wire::crc::set_checksum(&mut p);
    p
}

#[test]
fn the_endpoint_counts_what_it_drops() {
    let mut e = Endpoint::new(
        EndpointConfig::default(),
        5001,
        Instant::ZERO,
        Box::new(SeededRandom::new(3)),
    );
    e.listen(true);
    let from = net(v4([10, 0, 0, 1], 5000));
    let now = Instant::ZERO;

    e.handle_datagram(now, from, &[1, 2, 3, 4, 5]);
    let c = e.counters();
    assert_eq!((c.recvpackets, c.inpackets, c.hdrops), (1, 1, 1));
    assert_eq!(c.recvdatagrams, 0);

    // COOKIE-ACK (type 11) with a broken checksum.
    let mut bad = packet(5001, 7, &[11, 0, 0, 4]);
    bad[8] ^= 1;
    e.handle_datagram(now, from, &bad);
    let c = e.counters();
    assert_eq!((c.badsum, c.checksumerrors, c.recvdatagrams), (1, 1, 1));

    e.handle_datagram(now, from, &packet(5002, 7, &[11, 0, 0, 4]));
    e.handle_datagram(now, from, &packet(0, 7, &[11, 0, 0, 4]));
    let c = e.counters();
    assert_eq!((c.noport, c.hdrops), (1, 2));

    // HEARTBEAT out of the blue: answered with an ABORT.
    e.handle_datagram(now, from, &packet(5001, 7, &[4, 0, 0, 4]));
    let c = e.counters();
    assert_eq!(c.outoftheblue, 1);
    assert!(e.poll_transmit(now).is_some());
    let c = e.counters();
    assert_eq!((c.outpackets, c.outcontrolchunks), (1, 1));

    // INIT with a verification tag: dropped (RFC 9260 §8.5.1 A), but counted as received.
    let mut init = vec![1, 0, 0, 20];
    init.extend(1234u32.to_be_bytes());
    init.extend(65535u32.to_be_bytes());
    init.extend([0, 10, 0, 10]);
    init.extend(1u32.to_be_bytes());
    e.handle_datagram(now, from, &packet(5001, 99, &init));
    let c = e.counters();
    assert_eq!((c.badvtag, c.incontrolchunks), (1, 1));
    assert!(e.poll_transmit(now).is_none());

    // The same INIT with tag 0: answered with an INIT-ACK.
    e.handle_datagram(now, from, &packet(5001, 0, &init));
    assert!(e.poll_transmit(now).is_some());
    let c = e.counters();
    assert_eq!(
        (c.incontrolchunks, c.outcontrolchunks, c.outpackets),
        (2, 2, 2)
    );
    assert_eq!(c.recvpackets, 7);
}
