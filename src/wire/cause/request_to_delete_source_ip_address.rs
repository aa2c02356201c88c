//! Request to Delete Source IP Address cause (code 0x00a2), RFC 5061 §4.3.3: an ASCONF tried to delete the source address of its own packet.

crate::wire::element::tlv_element!(
    /// Request to Delete Source IP Address (RFC 5061 §4.3.3).
    RequestToDeleteSourceIpAddress = 0x00a2,
    /// TLV-Copied-From-ASCONF: the ASCONF parameter the error is about, as received.
    asconf_param
);
