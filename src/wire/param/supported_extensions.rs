//! Supported Extensions parameter (type 0x8008), RFC 5061 §4.2.7: the extension chunk types the
//! sender understands.

crate::wire::element::bytes_element!(
    /// Supported Extensions (RFC 5061 §4.2.7), one byte per chunk type.
    SupportedExtensions = 0x8008,
    /// The supported chunk types.
    chunk_types
);

impl SupportedExtensions<'_> {
    /// True when `chunk_type` is listed.
    pub fn supports(&self, chunk_type: u8) -> bool {
        self.chunk_types.contains(&chunk_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn libusrsctp_init_supported_extensions() {
        // RE-CONFIG, FORWARD-TSN, ASCONF, ASCONF-ACK, PKTDROP, AUTH, as in a libusrsctp INIT.
        let bytes = [
            0x80, 0x08, 0x00, 0x0a, 0x82, 0xc0, 0xc1, 0x80, 0x81, 0x0f, 0x00, 0x00,
        ];
        let p = SupportedExtensions::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.chunk_types, &[0x82, 0xc0, 0xc1, 0x80, 0x81, 0x0f]);
        assert!(p.supports(0x82));
        assert!(!p.supports(0x40));
        assert_eq!(emitted(12, |b| p.emit(b)), bytes);
    }
}
