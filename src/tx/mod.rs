//! The send side of an association: the send queue and stream scheduling, fragmentation into
//! chunks, data in flight and its retransmission, the RTO estimator and congestion control.
//! Depends on `types` and `wire` only.
