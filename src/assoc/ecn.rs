//! Explicit Congestion Notification (RFC 9260 Appendix A, RFC 3168), as libusrsctp does it.
//!
//! Once both ends listed the ECN-capable parameter, packets that carry DATA leave with ECT(0).
//! Receiver: a DATA packet that arrives with the CE mark starts an ECN-Echo (ECNE) holding the
//! lowest TSN marked; the ECNE rides in every packet we send until the peer's CWR covers it.
//! Sender: an ECNE for a TSN sent after the last reduction halves the window of the path (at
//! most once per window of data, so once per round trip) and is answered by a CWR; an ECNE
//! within the window already reduced is answered by a CWR alone.

use super::association::Association;
use super::output::PacketBuffer;
use crate::tx::PathId;
use crate::types::{Ecn, Tsn};
use crate::wire::chunk::{Chunk, CwrChunk, EcneChunk};
use crate::wire::packet::Packet;

/// The ECN state of one association.
#[derive(Debug, Clone, Default)]
pub(super) struct EcnState {
    /// Receiver: CE marks the peer has not yet acknowledged with a CWR.
    echo: Option<Echo>,
    /// A CE mark arrived that no packet of ours has echoed yet: send one even with nothing else.
    echo_fresh: bool,
    /// Sender: the highest TSN sent when the window was last reduced. ECNEs for TSNs up to it
    /// belong to the same window.
    window_end: Option<Tsn>,
    /// Sender: the CWR to send next.
    cwr: Option<CwrChunk>,
}

/// What an ECNE we send reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Echo {
    lowest_tsn: Tsn,
    /// CE-marked packets since the last CWR (the 12-byte ECNE of libusrsctp).
    packets: u32,
}

impl EcnState {
    /// True when a packet must go out for ECN's sake (a fresh echo or a CWR).
    pub(super) fn wants_packet(&self) -> bool {
        self.echo_fresh || self.cwr.is_some()
    }
}

impl Association {
    /// Notes the ECN codepoint a packet of this association arrived with. Only a CE mark on a
    /// packet with DATA counts (RFC 9260 Appendix A), and only once ECN was agreed.
    pub(super) fn ecn_on_packet(&mut self, ecn: Ecn, packet: &Packet<'_>) {
        if !ecn.is_ce() || !self.agreed.ecn {
            return;
        }
        let lowest = packet
            .chunks()
            .flatten()
            .filter_map(|c| match c {
                Chunk::Data(d) => Some(d.tsn),
                Chunk::IData(d) => Some(d.tsn),
                _ => None,
            })
            .reduce(|a, b| if b < a { b } else { a });
        let Some(tsn) = lowest else {
            return;
        };
        let echo = self.ecn.echo.get_or_insert(Echo {
            lowest_tsn: tsn,
            packets: 0,
        });
        if tsn < echo.lowest_tsn {
            echo.lowest_tsn = tsn;
        }
        echo.packets = echo.packets.saturating_add(1);
        self.ecn.echo_fresh = true;
    }

    /// The peer saw CE marks on our DATA (RFC 9260 Appendix A): reduce the window unless it was
    /// reduced for this window already, and say so with a CWR.
    pub(super) fn handle_ecne(&mut self, c: &EcneChunk) {
        if !self.agreed.ecn {
            return;
        }
        let path = PathId(self.data_path() as u16);
        let Some(flight) = self.flight.as_mut() else {
            return;
        };
        let highest_sent = flight.highest_tsn_sent();
        // An ECNE for a TSN we never sent is bogus: ignore it.
        if c.lowest_tsn > highest_sent {
            return;
        }
        let new_window = self.ecn.window_end.is_none_or(|end| c.lowest_tsn > end);
        if new_window {
            if let Some(cc) = flight.congestion_mut(path) {
                cc.on_ecn_echo();
                self.counters.ecnereducedcwnd += 1;
            }
            self.ecn.window_end = Some(highest_sent);
        }
        self.ecn.cwr = Some(CwrChunk {
            lowest_tsn: c.lowest_tsn,
            reduce_override: false,
            in_same_window: !new_window,
        });
    }

    /// The peer reduced its window for the ECNE up to `c.lowest_tsn`: stop echoing.
    pub(super) fn handle_cwr(&mut self, c: &CwrChunk) {
        if self
            .ecn
            .echo
            .is_some_and(|echo| echo.lowest_tsn <= c.lowest_tsn)
        {
            self.ecn.echo = None;
            self.ecn.echo_fresh = false;
        }
    }

    /// Adds the CWR and the ECNE that are due to a packet being built (before anything else,
    /// so that they always fit).
    pub(super) fn add_ecn_chunks(&mut self, packet: &mut PacketBuffer) {
        if let Some(cwr) = self.ecn.cwr {
            if packet.push(&super::handshake::chunk_bytes(&Chunk::Cwr(cwr))) {
                self.ecn.cwr = None;
            }
        }
        if let Some(echo) = self.ecn.echo {
            let chunk = Chunk::Ecne(EcneChunk {
                lowest_tsn: echo.lowest_tsn,
                packets_since_cwr: Some(echo.packets),
            });
            if packet.push(&super::handshake::chunk_bytes(&chunk)) {
                self.ecn.echo_fresh = false;
            }
        }
    }

    /// The ECN codepoint of a packet: ECT(0) when it carries DATA of an ECN association.
    pub(super) fn ecn_mark(&self, packet: &PacketBuffer) -> Ecn {
        if self.agreed.ecn && packet.has_data() {
            Ecn::Ect0
        } else {
            Ecn::NotEct
        }
    }
}
