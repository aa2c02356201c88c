//! Request Refused - No Authorization cause (code 0x00a4), RFC 5061 §4.3.5: the ASCONF was not authenticated as required.

crate::wire::element::tlv_element!(
    /// Request Refused - No Authorization (RFC 5061 §4.3.5).
    RequestRefusedNoAuthorization = 0x00a4,
    /// TLV-Copied-From-ASCONF: the ASCONF parameter the error is about, as received.
    asconf_param
);
