//! Building and checking the chunks of the four-way handshake (RFC 9260 §5.1): what both the
//! association (the side that connects) and the endpoint (the side that answers INIT without
//! keeping state) need.

use crate::types::{Tsn, VerificationTag};
use crate::wire::chunk::{Chunk, InitAckChunk, InitChunk};
use crate::wire::param::{emit_all, Param};

/// The fixed fields of an INIT or INIT-ACK we send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitFields {
    pub tag: u32,
    pub a_rwnd: u32,
    pub outbound_streams: u16,
    pub inbound_streams: u16,
    pub initial_tsn: u32,
}

/// Serialises parameters one after another.
pub fn params_bytes(params: &[Param<'_>]) -> Vec<u8> {
    let len = crate::wire::param::buffer_len_all(params);
    let mut out = vec![0u8; len];
    let written = emit_all(params, &mut out).unwrap_or(0);
    out.truncate(written);
    out
}

/// Serialises one chunk with its padding.
pub fn chunk_bytes(chunk: &Chunk<'_>) -> Vec<u8> {
    let mut out = vec![0u8; chunk.buffer_len()];
    let written = chunk.emit(&mut out).unwrap_or(0);
    out.truncate(written);
    out
}

/// An INIT chunk.
pub fn init_chunk(fields: InitFields, params: &[u8]) -> Vec<u8> {
    chunk_bytes(&Chunk::Init(InitChunk {
        initiate_tag: VerificationTag(fields.tag),
        a_rwnd: fields.a_rwnd,
        outbound_streams: fields.outbound_streams,
        inbound_streams: fields.inbound_streams,
        initial_tsn: Tsn(fields.initial_tsn),
        params,
    }))
}

/// An INIT-ACK chunk; `params` include the State Cookie.
pub fn init_ack_chunk(fields: InitFields, params: &[u8]) -> Vec<u8> {
    chunk_bytes(&Chunk::InitAck(InitAckChunk {
        initiate_tag: VerificationTag(fields.tag),
        a_rwnd: fields.a_rwnd,
        outbound_streams: fields.outbound_streams,
        inbound_streams: fields.inbound_streams,
        initial_tsn: Tsn(fields.initial_tsn),
        params,
    }))
}

/// What is wrong with a received INIT or INIT-ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InitProblem {
    /// Initiate Tag 0: the packet is discarded silently (RFC 9260 §3.3.2).
    ZeroTag,
    /// No outbound or no inbound streams: answered with ABORT and an Invalid Mandatory
    /// Parameter cause (RFC 9260 §3.3.2).
    ZeroStreams,
}

/// Checks the fixed fields of an INIT or INIT-ACK.
pub fn check_init_fields(
    tag: u32,
    outbound_streams: u16,
    inbound_streams: u16,
) -> Result<(), InitProblem> {
    if tag == 0 {
        Err(InitProblem::ZeroTag)
    } else if outbound_streams == 0 || inbound_streams == 0 {
        Err(InitProblem::ZeroStreams)
    } else {
        Ok(())
    }
}

/// The stream counts in force: we send on at most as many streams as the peer accepts and
/// receive on at most as many as we accept (RFC 9260 §5.1.1).
pub fn negotiated_streams(
    our_outbound: u16,
    our_max_inbound: u16,
    peer_outbound: u16,
    peer_max_inbound: u16,
) -> (u16, u16) {
    (
        our_outbound.min(peer_max_inbound),
        peer_outbound.min(our_max_inbound),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::tlv::RawChunk;

    #[test]
    fn init_round_trip() {
        let fields = InitFields {
            tag: 9,
            a_rwnd: 1000,
            outbound_streams: 10,
            inbound_streams: 20,
            initial_tsn: 5,
        };
        let bytes = init_chunk(fields, &[0x80, 0x00, 0x00, 0x04]);
        assert_eq!(bytes.len(), 24);
        let raw = RawChunk {
            chunk_type: bytes[0],
            flags: bytes[1],
            bytes: &bytes,
        };
        let Ok(Chunk::Init(init)) = Chunk::parse(&raw) else {
            panic!()
        };
        assert_eq!(
            (
                init.initiate_tag.0,
                init.outbound_streams,
                init.initial_tsn.0
            ),
            (9, 10, Tsn(5).0)
        );
        assert_eq!(init.params, [0x80, 0, 0, 4]);
        assert_eq!(init_ack_chunk(fields, &[])[0], 2);
    }

    #[test]
    fn fixed_field_rules() {
        assert_eq!(check_init_fields(0, 1, 1), Err(InitProblem::ZeroTag));
        assert_eq!(check_init_fields(1, 0, 1), Err(InitProblem::ZeroStreams));
        assert_eq!(check_init_fields(1, 1, 0), Err(InitProblem::ZeroStreams));
        assert_eq!(check_init_fields(1, 1, 1), Ok(()));
        assert_eq!(negotiated_streams(10, 2048, 65535, 5), (5, 2048));
    }
}
