//! Chunk List parameter (type 0x8003), RFC 4895 §3.2: the chunk types the sender requires the
//! peer to authenticate.

crate::wire::element::bytes_element!(
    /// Chunk List (RFC 4895 §3.2), one byte per chunk type.
    ChunkList = 0x8003,
    /// The chunk types that must arrive inside an AUTH-protected packet.
    chunk_types
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use crate::wire::Error;

    #[test]
    fn libusrsctp_init_chunk_list() {
        // ASCONF (0xc1), ASCONF-ACK (0x80) and PKTDROP (0x81), as libusrsctp's INIT lists them.
        let bytes = [0x80, 0x03, 0x00, 0x07, 0xc1, 0x80, 0x81, 0x00];
        let p = ChunkList::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.chunk_types, &[0xc1, 0x80, 0x81]);
        assert_eq!(p.buffer_len(), 8);
        assert_eq!(emitted(8, |b| p.emit(b)), bytes);
        assert_eq!(
            ChunkList::parse(&raw(&[0x80, 0x02, 0, 4])),
            Err(Error::WrongType)
        );
    }
}
