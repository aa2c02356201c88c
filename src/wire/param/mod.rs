//! Parameters of INIT, INIT-ACK, ASCONF, ASCONF-ACK and RE-CONFIG. One file per parameter.
