//! Set Primary IP Address parameter (type 0xc004), RFC 5061 §4.2.4: asks the peer to make an address its primary path to the sender.

crate::wire::param::asconf_address_param!(
    /// Set Primary IP Address (RFC 5061 §4.2.4): an ASCONF-Request Correlation ID and an address parameter.
    SetPrimaryAddress = 0xc004
);
