//! Delete IP Address parameter (type 0xc002), RFC 5061 §4.2.2: asks the peer to remove an address from the association.

crate::wire::param::asconf_address_param!(
    /// Delete IP Address (RFC 5061 §4.2.2): an ASCONF-Request Correlation ID and an address parameter.
    DeleteIpAddress = 0xc002
);
