//! Our endpoint as a simulator node: datagrams in and out, events collected for the test.

use usrsctp::assoc::{Association, Event};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::{Ecn, Instant, NetAddr, SeededRandom};

use super::sim::{v4, Addr, Datagram, LinkConfig, Network, Node, NodeId};

/// An [`Endpoint`] bound to one simulator address.
pub struct SctpNode {
    pub endpoint: Endpoint,
    pub addr: Addr,
    /// Every event of every association, in order.
    pub events: Vec<(AssocId, Event)>,
    /// Associations peers set up with us, in order.
    pub accepted: Vec<AssocId>,
    /// The local address packets go out from: the one the last datagram arrived on, as a host
    /// answers from the address it was reached at.
    pub source: Addr,
}

impl SctpNode {
    pub fn new(addr: Addr, config: EndpointConfig, seed: u64) -> Self {
        let endpoint = Endpoint::new(
            config,
            addr.port(),
            Instant::ZERO,
            Box::new(SeededRandom::new(seed)),
        );
        SctpNode {
            endpoint,
            addr,
            events: Vec::new(),
            accepted: Vec::new(),
            source: addr,
        }
    }

    pub fn listening(mut self) -> Self {
        self.endpoint.listen(true);
        self
    }

    pub fn association(&self, id: AssocId) -> &Association {
        self.endpoint.association(id).expect("no such association")
    }

    pub fn association_mut(&mut self, id: AssocId) -> &mut Association {
        self.endpoint
            .association_mut(id)
            .expect("no such association")
    }

    /// The events of one association.
    pub fn events_of(&self, id: AssocId) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, e)| e)
            .collect()
    }

    pub fn has_event(&self, id: AssocId, wanted: impl Fn(&Event) -> bool) -> bool {
        self.events.iter().any(|(i, e)| *i == id && wanted(e))
    }

    fn collect(&mut self) {
        while let Some(event) = self.endpoint.poll_event() {
            self.events.push(event);
        }
        while let Some(id) = self.endpoint.poll_accept() {
            self.accepted.push(id);
        }
    }
}

/// Map from the simulator's socket addresses to ours: UDP encapsulation style.
pub fn net(addr: Addr) -> NetAddr {
    NetAddr::Ip(addr)
}

impl Node for SctpNode {
    fn handle_datagram(&mut self, now: Instant, datagram: Datagram) {
        self.source = datagram.dst;
        let ecn = Ecn::from_bits(datagram.ecn);
        self.endpoint
            .handle_datagram_ecn(now, net(datagram.src), &datagram.bytes, ecn);
        self.collect();
    }

    fn handle_timeout(&mut self, now: Instant) {
        self.endpoint.handle_timeout(now);
        self.collect();
    }

    fn poll_transmit(&mut self, now: Instant) -> Option<Datagram> {
        let transmit = self.endpoint.poll_transmit(now)?;
        self.collect();
        let dst = match transmit.dst {
            NetAddr::Ip(a) => a,
            NetAddr::Conn(_) => unreachable!("the simulator uses IP addresses"),
        };
        let mut datagram = Datagram::new(self.source, dst, transmit.bytes);
        datagram.ecn = transmit.ecn.bits();
        Some(datagram)
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.endpoint.poll_timeout()
    }
}

/// A client (10.0.0.1:5000) and a listening server (10.0.0.2:5001), `SctpNode`s on one link,
/// with the client's association `id` established.
pub struct Established {
    pub net: Network,
    pub client: NodeId,
    pub server: NodeId,
    pub c: Addr,
    pub s: Addr,
    pub id: AssocId,
}

/// Builds the two nodes and runs the network until the client reports the association up (at
/// most ten simulated minutes).
pub fn established(seed: u64, link: LinkConfig, config: EndpointConfig) -> Established {
    let mut network = Network::new(seed);
    let (c, s) = (v4([10, 0, 0, 1], 5000), v4([10, 0, 0, 2], 5001));
    let client = network.add_node(SctpNode::new(c, config.clone(), seed ^ 1), &[c]);
    let server = network.add_node(SctpNode::new(s, config, seed ^ 2).listening(), &[s]);
    network.connect(c, s, link);
    let id = network
        .node_mut::<SctpNode>(client)
        .endpoint
        .connect(Instant::ZERO, net(s), 5001)
        .unwrap();
    network.run_while(
        |n| {
            !n.node::<SctpNode>(client)
                .has_event(id, |e| matches!(e, Event::Connected { .. }))
        },
        Instant::from_millis(600_000),
    );
    Established {
        net: network,
        client,
        server,
        c,
        s,
        id,
    }
}
