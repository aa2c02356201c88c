//! ECN-Echo chunk (RFC 9260 Appendix A).
//!
//! RFC 9260 defines an 8-byte chunk carrying the Lowest TSN Number. libusrsctp (following the
//! FreeBSD stack) sends 12 bytes, adding the number of packets that arrived with the CE mark
//! since the last CWR. Both forms are read and written.

use super::checked_value;
use crate::types::Tsn;
use crate::wire::tlv::{put_chunk_header, RawChunk};
use crate::wire::{be32, put32, Result};

/// An ECN-Echo (ECNE) chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EcneChunk {
    /// The lowest TSN of a packet that arrived with the CE mark.
    pub lowest_tsn: Tsn,
    /// The CE-marked packet count of the 12-byte form, `None` for the 8-byte form of RFC 9260.
    pub packets_since_cwr: Option<u32>,
}

impl EcneChunk {
    pub const TYPE: u8 = 12;

    pub fn parse(raw: &RawChunk<'_>) -> Result<Self> {
        let value = checked_value(raw, Self::TYPE, 4)?;
        let packets_since_cwr = if value.len() >= 8 {
            Some(be32(value, 4))
        } else {
            None
        };
        Ok(EcneChunk {
            lowest_tsn: Tsn(be32(value, 0)),
            packets_since_cwr,
        })
    }

    pub fn buffer_len(&self) -> usize {
        if self.packets_since_cwr.is_some() {
            12
        } else {
            8
        }
    }

    pub fn emit(&self, buf: &mut [u8]) -> Result<usize> {
        let total = put_chunk_header(buf, Self::TYPE, 0, self.buffer_len())?;
        put32(buf, 4, self.lowest_tsn.0);
        if let Some(n) = self.packets_since_cwr {
            put32(buf, 8, n);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::chunk::testing::{raw, round_trip};
    use crate::wire::Error;

    /// An ECNE as libusrsctp sends it (12 bytes, one marked packet).
    const ECNE: [u8; 12] = [
        0x0c, 0x00, 0x00, 0x0c, 0xd4, 0x5e, 0xe9, 0x57, 0x00, 0x00, 0x00, 0x01,
    ];
    /// The RFC 9260 form.
    const ECNE_RFC: [u8; 8] = [0x0c, 0x00, 0x00, 0x08, 0xd4, 0x5e, 0xe9, 0x57];

    #[test]
    fn parse_capture() {
        let c = EcneChunk::parse(&raw(&ECNE)).unwrap();
        assert_eq!(c.lowest_tsn, Tsn(0xd45e_e957));
        assert_eq!(c.packets_since_cwr, Some(1));
        round_trip(&ECNE);
        let r = EcneChunk::parse(&raw(&ECNE_RFC)).unwrap();
        assert_eq!(r.lowest_tsn, Tsn(0xd45e_e957));
        assert_eq!(r.packets_since_cwr, None);
        round_trip(&ECNE_RFC);
    }

    #[test]
    fn build_then_parse() {
        for c in [
            EcneChunk {
                lowest_tsn: Tsn(5),
                packets_since_cwr: None,
            },
            EcneChunk {
                lowest_tsn: Tsn(5),
                packets_since_cwr: Some(3),
            },
        ] {
            let mut buf = [0u8; 12];
            let n = c.emit(&mut buf).unwrap();
            assert_eq!(n, c.buffer_len());
            assert_eq!(EcneChunk::parse(&raw(&buf[..n])).unwrap(), c);
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            EcneChunk::parse(&raw(&[12, 0, 0, 4])),
            Err(Error::BadLength)
        );
        assert_eq!(
            EcneChunk::parse(&raw(&[13, 0, 0, 8, 0, 0, 0, 0])),
            Err(Error::WrongType)
        );
    }
}
