//! Add IP Address parameter (type 0xc001), RFC 5061 §4.2.1: asks the peer to add an address to the association.

crate::wire::param::asconf_address_param!(
    /// Add IP Address (RFC 5061 §4.2.1): an ASCONF-Request Correlation ID and an address parameter.
    AddIpAddress = 0xc001
);
