//! The CRC32c checksum of RFC 9260 §6.8 and Appendix A, with hardware acceleration from the
//! `crc32c` crate.
//!
//! The checksum covers the whole packet with the checksum field taken as zero. It is stored in
//! the header in the byte order the CRC's reflected arithmetic produces, which is little-endian
//! when the value is read as a u32.

use super::header::HEADER_LEN;

const CHECKSUM_AT: usize = 8;

/// CRC32c of `bytes` as it is, with the SCTP conventions (initial value and final xor).
pub fn crc32c(bytes: &[u8]) -> u32 {
    crc32c::crc32c(bytes)
}

/// The checksum of an SCTP packet, computed as if its checksum field were zero.
pub fn packet_checksum(packet: &[u8]) -> u32 {
    if packet.len() < HEADER_LEN {
        return crc32c(packet);
    }
    let c = crc32c::crc32c(&packet[..CHECKSUM_AT]);
    let c = crc32c::crc32c_append(c, &[0; 4]);
    crc32c::crc32c_append(c, &packet[HEADER_LEN..])
}

/// Computes the checksum of `packet` and stores it in the header.
pub fn set_checksum(packet: &mut [u8]) {
    if packet.len() >= HEADER_LEN {
        let c = packet_checksum(packet);
        packet[CHECKSUM_AT..HEADER_LEN].copy_from_slice(&c.to_le_bytes());
    }
}

/// The checksum stored in the packet's header, in the same convention as [`packet_checksum`].
pub fn stored_checksum(packet: &[u8]) -> Option<u32> {
    let raw = packet.get(CHECKSUM_AT..HEADER_LEN)?;
    Some(u32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]))
}

/// True when the packet's stored checksum matches its contents.
pub fn verify(packet: &[u8]) -> bool {
    stored_checksum(packet) == Some(packet_checksum(packet)) && packet.len() >= HEADER_LEN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_3720_test_vectors() {
        // iSCSI uses the same CRC32c; RFC 3720 B.4 lists these.
        assert_eq!(crc32c(&[0u8; 32]), 0x8a9136aa);
        assert_eq!(crc32c(&[0xffu8; 32]), 0x62a8ab43);
        let ascending: Vec<u8> = (0..32).collect();
        assert_eq!(crc32c(&ascending), 0x46dd794e);
    }

    #[test]
    fn set_then_verify() {
        // An INIT captured on loopback (ports 5000 -> 5001), checksum field cleared.
        let mut pkt = vec![
            0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, // common header
            0x01, 0x00, 0x00, 0x14, 0x12, 0x34, 0x56, 0x78, 0x00, 0x01, 0x00, 0x00, //
            0x00, 0x0a, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
        ];
        assert!(!verify(&pkt) || packet_checksum(&pkt) == 0);
        set_checksum(&mut pkt);
        assert!(verify(&pkt));
        pkt[20] ^= 1;
        assert!(!verify(&pkt));
    }
}
