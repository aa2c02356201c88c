//! The receive side of an association: which TSNs arrived and what to acknowledge (SACK and
//! NR-SACK generation, delayed SACK), and reassembly of DATA and I-DATA fragments into
//! messages delivered in order per stream or unordered. Depends on `types` and `wire` only.
//!
//! - [`tracker`]: [`DataTracker`], received TSNs, gap blocks, duplicates, the delayed-SACK
//!   decision and FORWARD-TSN's cumulative TSN.
//! - [`reassembly`]: [`ReassemblyQueue`], fragments to messages, ordered and unordered delivery,
//!   partial delivery, FORWARD-TSN / I-FORWARD-TSN skipping and stream reset.

mod ranges;
pub mod reassembly;
pub mod tracker;

pub use reassembly::{
    DataMode, PartialDeliveryAborted, ReassemblyConfig, ReassemblyError, ReassemblyQueue,
    ReceivedMessage,
};
pub use tracker::{DataTracker, NrSackInfo, Observed, SackInfo, TrackerConfig};
