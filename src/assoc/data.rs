//! The data path of the association: DATA/I-DATA in, SACK out, user messages out, SACKs in.
//! Placeholder while the rx and tx layers land: no data is carried yet.

use std::time::Duration;

use super::association::{Association, PeerInit};
use super::output::PacketBuffer;
use super::timer::Timer;
use crate::types::{Instant, Tsn};
use crate::wire::chunk::Chunk;

impl Association {
    pub(super) fn data_on_handshake(&mut self, _peer: &PeerInit) {}

    pub(super) fn data_on_close(&mut self) {}

    pub(super) fn fill_data(&mut self, _now: Instant, _packet: &mut PacketBuffer) {}

    pub(super) fn handle_data_chunk(
        &mut self,
        _now: Instant,
        _path: Option<usize>,
        _chunk: &Chunk<'_>,
    ) -> bool {
        true
    }

    pub(super) fn on_data_timer(&mut self, _now: Instant, _timer: Timer) {}

    pub(super) fn after_packet(&mut self, now: Instant) {
        self.progress_shutdown(now);
    }

    pub(super) fn all_data_acked(&self) -> bool {
        true
    }

    pub(super) fn cumulative_tsn_ack(&self) -> u32 {
        0
    }

    pub(super) fn data_on_shutdown_cum_ack(&mut self, _now: Instant, _cum: Tsn) {}

    pub(super) fn on_rtt_sample(&mut self, _path: usize, _rtt: Duration) {}

    pub(super) fn data_path_rto(&self, _path: usize) -> Duration {
        self.config.rto_initial
    }
}
