//! A whole SCTP packet (RFC 9260 §3): the common header followed by chunks.
//!
//! [`Packet::parse`] frames the packet without checking its CRC32c (that is
//! [`crc::verify`], which the receive path runs first, and which AF_CONN
//! users may skip as libusrsctp allows). [`PacketBuilder`] and [`emit_packet`] write a header and
//! chunks into a caller's buffer and set the checksum.

use super::chunk::Chunk;
use super::header::{CommonHeader, HEADER_LEN, MAX_PACKET_LEN};
use super::tlv::ChunkIter;
use super::{crc, Error, Result};

/// A parsed packet borrowing its chunk bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet<'a> {
    pub header: CommonHeader,
    /// Everything after the common header: the chunks.
    pub body: &'a [u8],
}

impl<'a> Packet<'a> {
    /// Splits `bytes` into header and body. Fails with `Oversized` above 65,535 bytes and with
    /// `Truncated` below 12; the chunks are framed lazily by [`Packet::chunks`].
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let header = CommonHeader::parse(bytes)?;
        Ok(Packet {
            header,
            body: &bytes[HEADER_LEN..],
        })
    }

    /// The chunks as raw TLVs.
    pub fn raw_chunks(&self) -> ChunkIter<'a> {
        ChunkIter::new(self.body)
    }

    /// The chunks, each parsed by type.
    ///
    /// A framing error (a chunk length below 4 or past the end) is yielded once and ends the
    /// iteration, since nothing after it can be located. A chunk that is framed correctly but
    /// whose value is invalid is yielded as an error and the iteration goes on; the association
    /// decides whether the rest of the packet still counts.
    pub fn chunks(&self) -> Chunks<'a> {
        Chunks {
            raw: self.raw_chunks(),
        }
    }
}

/// Iterator over the typed chunks of a packet; see [`Packet::chunks`].
#[derive(Debug, Clone)]
pub struct Chunks<'a> {
    raw: ChunkIter<'a>,
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Result<Chunk<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        Some(self.raw.next()?.and_then(|raw| Chunk::parse(&raw)))
    }
}

/// The length of a packet holding `chunks`.
pub fn packet_len(chunks: &[Chunk<'_>]) -> usize {
    HEADER_LEN + chunks.iter().map(Chunk::buffer_len).sum::<usize>()
}

/// Writes `header` (its checksum field is ignored) and `chunks` into `buf`, sets the CRC32c and
/// returns the packet length. Fails with `Oversized` when the packet would exceed 65,535
/// bytes and with `BufferTooSmall` when `buf` is too short.
pub fn emit_packet(header: &CommonHeader, chunks: &[Chunk<'_>], buf: &mut [u8]) -> Result<usize> {
    if packet_len(chunks) > MAX_PACKET_LEN {
        return Err(Error::Oversized);
    }
    let mut builder = PacketBuilder::new(buf, header)?;
    for chunk in chunks {
        builder.push(chunk)?;
    }
    Ok(builder.finish())
}

/// Writes a packet chunk by chunk, for bundling up to a size limit (the path MTU).
///
/// ```
/// # use usrsctp::wire::{CommonHeader, chunk::{Chunk, CookieAckChunk}, packet::PacketBuilder};
/// let mut buf = [0u8; 1200];
/// let mut b = PacketBuilder::new(&mut buf, &CommonHeader::default()).unwrap();
/// b.push(&Chunk::CookieAck(CookieAckChunk)).unwrap();
/// assert_eq!(b.finish(), 16);
/// ```
#[derive(Debug)]
pub struct PacketBuilder<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl<'b> PacketBuilder<'b> {
    /// Starts a packet with `header` (checksum zeroed) in `buf`; the packet may grow up to
    /// `buf.len()`, capped at 65,535 bytes.
    pub fn new(buf: &'b mut [u8], header: &CommonHeader) -> Result<Self> {
        let limit = buf.len().min(MAX_PACKET_LEN);
        let buf = &mut buf[..limit];
        let header = CommonHeader {
            checksum: 0,
            ..*header
        };
        let len = header.emit(buf)?;
        Ok(PacketBuilder { buf, len })
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no chunk has been added yet.
    pub fn is_empty(&self) -> bool {
        self.len == HEADER_LEN
    }

    /// Room left for chunks.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.len
    }

    /// Appends `chunk`; on `BufferTooSmall` nothing is written and the packet is unchanged.
    pub fn push(&mut self, chunk: &Chunk<'_>) -> Result<()> {
        if chunk.buffer_len() > self.remaining() {
            return Err(Error::BufferTooSmall);
        }
        let n = chunk.emit(&mut self.buf[self.len..])?;
        self.len += n;
        Ok(())
    }

    /// Sets the checksum and returns the packet length.
    pub fn finish(self) -> usize {
        crc::set_checksum(&mut self.buf[..self.len]);
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Ppid, Ssn, StreamId, Tsn};
    use crate::wire::chunk::{CookieAckChunk, DataChunk, SackChunk, WireList};

    /// A packet from libusrsctp carrying a SACK bundled with a DATA chunk ("Hallo Channel!"),
    /// ports 5000 -> 5000, verification tag 0x8ee5d72e, checksum cleared.
    const PACKET: [u8; 60] = [
        0x13, 0x88, 0x13, 0x88, 0x8e, 0xe5, 0xd7, 0x2e, 0x00, 0x00, 0x00, 0x00, // header
        0x03, 0x00, 0x00, 0x10, 0x64, 0x77, 0x8d, 0x95, 0x00, 0x1c, 0x70, 0xc1, 0x00, 0x00, 0x00,
        0x00, // SACK
        0x00, 0x07, 0x00, 0x1e, 0xe3, 0x84, 0x4d, 0x0e, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x33, b'H', b'a', b'l', b'l', b'o', b' ', b'C', b'h', b'a', b'n', b'n', b'e', b'l', b'!',
        0x00, 0x00, // DATA
    ];

    #[test]
    fn parse_capture() {
        let p = Packet::parse(&PACKET).unwrap();
        assert_eq!(p.header.src_port, 5000);
        assert_eq!(p.header.verification_tag, 0x8ee5_d72e);
        let chunks: Vec<_> = p.chunks().collect::<Result<_>>().unwrap();
        assert_eq!(chunks.len(), 2);
        let Chunk::Sack(s) = chunks[0] else {
            panic!("{:?}", chunks[0])
        };
        assert_eq!(s.cum_tsn_ack, Tsn(0x6477_8d95));
        let Chunk::Data(d) = chunks[1] else {
            panic!("{:?}", chunks[1])
        };
        assert_eq!(d.payload, b"Hallo Channel!");

        let mut out = [0u8; 60];
        assert_eq!(emit_packet(&p.header, &chunks, &mut out), Ok(60));
        assert_eq!(&out[12..], &PACKET[12..]);
        assert_eq!(&out[..8], &PACKET[..8]);
        assert!(crc::verify(&out));
    }

    #[test]
    fn build_then_parse() {
        let gaps = [crate::wire::chunk::GapAckBlock::new(2, 3)];
        let chunks = [
            Chunk::Sack(SackChunk {
                cum_tsn_ack: Tsn(1),
                a_rwnd: 1000,
                gap_ack_blocks: WireList::Items(&gaps),
                duplicate_tsns: WireList::EMPTY,
            }),
            Chunk::Data(DataChunk {
                tsn: Tsn(2),
                stream_id: StreamId(0),
                ssn: Ssn(0),
                ppid: Ppid(0),
                unordered: false,
                beginning: true,
                ending: true,
                immediate: false,
                payload: b"x",
            }),
        ];
        let header = CommonHeader {
            src_port: 1,
            dst_port: 2,
            verification_tag: 3,
            checksum: 0xdead,
        };
        let mut buf = [0u8; 64];
        let n = emit_packet(&header, &chunks, &mut buf).unwrap();
        assert_eq!(n, packet_len(&chunks));
        assert_eq!(n, 12 + 20 + 20);
        assert!(crc::verify(&buf[..n]));
        let p = Packet::parse(&buf[..n]).unwrap();
        assert_eq!(p.header.verification_tag, 3);
        let back: Vec<_> = p.chunks().collect::<Result<_>>().unwrap();
        assert_eq!(back, chunks);
        assert_eq!(
            emit_packet(&header, &chunks, &mut buf[..n - 1]),
            Err(Error::BufferTooSmall)
        );
    }

    #[test]
    fn builder_respects_its_limit() {
        let mut buf = [0u8; 20];
        let mut b = PacketBuilder::new(&mut buf, &CommonHeader::default()).unwrap();
        assert!(b.is_empty());
        b.push(&Chunk::CookieAck(CookieAckChunk)).unwrap();
        b.push(&Chunk::CookieAck(CookieAckChunk)).unwrap();
        assert_eq!(b.remaining(), 0);
        assert_eq!(
            b.push(&Chunk::CookieAck(CookieAckChunk)),
            Err(Error::BufferTooSmall)
        );
        assert_eq!(b.finish(), 20);
        assert!(crc::verify(&buf));
        assert_eq!(
            PacketBuilder::new(&mut [0u8; 11], &CommonHeader::default()).map(|b| b.len()),
            Err(Error::BufferTooSmall)
        );
    }

    #[test]
    fn size_limits() {
        assert_eq!(Packet::parse(&[0; 11]), Err(Error::Truncated));
        assert_eq!(Packet::parse(&vec![0; 65_536]), Err(Error::Oversized));
        let empty = Packet::parse(&[0; 12]).unwrap();
        assert_eq!(empty.chunks().count(), 0);
        let big = [0u8; 65_000];
        let pad = Chunk::Pad(crate::wire::chunk::PadChunk { padding: &big });
        let mut buf = vec![0u8; 140_000];
        assert_eq!(
            emit_packet(&CommonHeader::default(), &[pad, pad], &mut buf),
            Err(Error::Oversized)
        );
    }

    #[test]
    fn framing_errors_end_iteration_but_value_errors_do_not() {
        let mut bytes = PACKET[..28].to_vec();
        // A SHUTDOWN too short for its TSN, then a COOKIE ACK, then a bad length.
        bytes.extend_from_slice(&[7, 0, 0, 4, 11, 0, 0, 4, 1, 0, 0, 2]);
        let p = Packet::parse(&bytes).unwrap();
        let r: Vec<_> = p.chunks().collect();
        assert_eq!(r.len(), 4);
        assert!(r[0].is_ok());
        assert_eq!(r[1], Err(Error::BadLength));
        assert_eq!(r[2], Ok(Chunk::CookieAck(CookieAckChunk)));
        assert_eq!(r[3], Err(Error::BadLength));
    }
}
