//! Request to Delete Last Remaining IP Address cause (code 0x00a0), RFC 5061 §4.3.1: an ASCONF tried to delete the last address of the association.

crate::wire::element::tlv_element!(
    /// Request to Delete Last Remaining IP Address (RFC 5061 §4.3.1).
    RequestToDeleteLastRemainingIpAddress = 0x00a0,
    /// TLV-Copied-From-ASCONF: the ASCONF parameter the error is about, as received.
    asconf_param
);
