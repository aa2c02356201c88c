//! Our endpoint as a simulator node: datagrams in and out, events collected for the test.

use usrsctp::assoc::{Association, Event};
use usrsctp::endpoint::{AssocId, Endpoint, EndpointConfig};
use usrsctp::types::{Instant, NetAddr, SeededRandom};

use super::sim::{Addr, Datagram, Node};

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
        self.endpoint
            .handle_datagram(now, net(datagram.src), &datagram.bytes);
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
        Some(Datagram::new(self.source, dst, transmit.bytes))
    }

    fn poll_timeout(&self) -> Option<Instant> {
        self.endpoint.poll_timeout()
    }
}
