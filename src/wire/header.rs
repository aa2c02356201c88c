//! The SCTP common header (RFC 9260 §3.1).

use super::{be16, be32, need, put16, put32, Error, Result};

/// Length of the common header.
pub const HEADER_LEN: usize = 12;

/// The largest packet we accept: the 16-bit length of an IP datagram bounds any SCTP packet.
pub const MAX_PACKET_LEN: usize = 65_535;

/// Field offsets of the common header.
mod field {
    pub const SRC_PORT: usize = 0;
    pub const DST_PORT: usize = 2;
    pub const VTAG: usize = 4;
    pub const CHECKSUM: usize = 8;
}

/// The common header of every SCTP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommonHeader {
    pub src_port: u16,
    pub dst_port: u16,
    pub verification_tag: u32,
    pub checksum: u32,
}

impl CommonHeader {
    /// Parses the first 12 bytes of `packet`; the rest is the chunks.
    pub fn parse(packet: &[u8]) -> Result<Self> {
        if packet.len() > MAX_PACKET_LEN {
            return Err(Error::Oversized);
        }
        if packet.len() < HEADER_LEN {
            return Err(Error::Truncated);
        }
        Ok(CommonHeader {
            src_port: be16(packet, field::SRC_PORT),
            dst_port: be16(packet, field::DST_PORT),
            verification_tag: be32(packet, field::VTAG),
            checksum: be32(packet, field::CHECKSUM),
        })
    }

    /// Writes the header into the first 12 bytes of `buf`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        need(buf, HEADER_LEN)?;
        put16(buf, field::SRC_PORT, self.src_port);
        put16(buf, field::DST_PORT, self.dst_port);
        put32(buf, field::VTAG, self.verification_tag);
        put32(buf, field::CHECKSUM, self.checksum);
        Ok(HEADER_LEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let h = CommonHeader {
            src_port: 5000,
            dst_port: 5001,
            verification_tag: 0xdeadbeef,
            checksum: 7,
        };
        let mut buf = [0u8; 12];
        h.emit(&mut buf).unwrap();
        assert_eq!(
            buf,
            [0x13, 0x88, 0x13, 0x89, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 7]
        );
        assert_eq!(CommonHeader::parse(&buf).unwrap(), h);
    }

    #[test]
    fn limits() {
        assert_eq!(CommonHeader::parse(&[0; 11]), Err(Error::Truncated));
        assert_eq!(CommonHeader::parse(&vec![0; 65_536]), Err(Error::Oversized));
        assert_eq!(
            CommonHeader::default().emit(&mut [0; 4]),
            Err(Error::BufferTooSmall)
        );
    }
}
