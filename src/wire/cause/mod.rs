//! Error causes carried by ABORT and ERROR (RFC 9260 §3.3.10 and extensions). One file per cause.
