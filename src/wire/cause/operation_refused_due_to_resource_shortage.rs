//! Operation Refused Due to Resource Shortage cause (code 0x00a1), RFC 5061 §4.3.2: the receiver of an ASCONF lacks the resources for a request.

crate::wire::element::tlv_element!(
    /// Operation Refused Due to Resource Shortage (RFC 5061 §4.3.2).
    OperationRefusedDueToResourceShortage = 0x00a1,
    /// TLV-Copied-From-ASCONF: the ASCONF parameter the error is about, as received.
    asconf_param
);
