//! The receive side of an association: which TSNs arrived and what to acknowledge (SACK and
//! NR-SACK generation, delayed SACK), and reassembly of DATA and I-DATA fragments into
//! messages delivered in order per stream or unordered. Depends on `types` and `wire` only.
