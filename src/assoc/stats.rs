//! Protocol statistics: plain counters that the association and the endpoint bump where things
//! happen, summed by the stack into `struct sctpstat` (`usrsctp_get_stat`).
//!
//! The names are those of `struct sctpstat` without the `sctps_` prefix, and the meanings those
//! of the SCTP MIB (RFC 3873, `sctpStats`) where it defines them. Counting never changes what the
//! protocol does. Only the counters listed here are kept; the other fields of `struct sctpstat`
//! stay zero.

use crate::wire::tlv::ChunkIter;

/// Declares [`Counters`] with one `u64` per name, [`Counters::add`] and [`Counters::iter`].
macro_rules! counters {
    ($($(#[doc = $doc:expr])+ $name:ident,)+) => {
        /// Event counters of an association, an endpoint or the whole stack.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct Counters {
            $($(#[doc = $doc])+ pub $name: u64,)+
        }

        impl Counters {
            /// All counters at zero.
            pub const ZERO: Counters = Counters { $($name: 0,)+ };

            /// Adds every counter of `other` to this one.
            pub fn add(&mut self, other: &Counters) {
                $(self.$name = self.$name.wrapping_add(other.$name);)+
            }

            /// Every counter with its name, in declaration order.
            pub fn iter(&self) -> impl Iterator<Item = (&'static str, u64)> {
                [$((stringify!($name), self.$name),)+].into_iter()
            }

            /// The counter called `name`, to change it (tests, and statistics by name).
            pub fn get_mut(&mut self, name: &str) -> Option<&mut u64> {
                match name {
                    $(stringify!($name) => Some(&mut self.$name),)+
                    _ => None,
                }
            }
        }
    };
}

counters! {
    /// Associations now in ESTABLISHED, SHUTDOWN-PENDING or SHUTDOWN-RECEIVED (a gauge: the
    /// endpoint computes it when asked).
    currestab,
    /// Associations we initiated that reached ESTABLISHED (from COOKIE-ECHOED).
    activeestab,
    /// Associations restarted by the peer (RFC 9260 §5.2.4 A).
    restartestab,
    /// Associations established through an INIT collision while in COOKIE-WAIT.
    collisionestab,
    /// Associations the peer initiated that reached ESTABLISHED.
    passiveestab,
    /// Associations ended by an ABORT, sent or received.
    aborted,
    /// Associations ended by a graceful shutdown.
    shutdown,
    /// Well-formed packets with a valid checksum that belong to no association (RFC 9260 §8.4).
    outoftheblue,
    /// Packets with a wrong checksum.
    checksumerrors,
    /// Control chunks sent, retransmissions included.
    outcontrolchunks,
    /// Ordered DATA and I-DATA chunks sent, retransmissions included.
    outorderchunks,
    /// Unordered DATA and I-DATA chunks sent, retransmissions included.
    outunorderchunks,
    /// Control chunks received.
    incontrolchunks,
    /// Ordered DATA and I-DATA chunks received, duplicates included.
    inorderchunks,
    /// Unordered DATA and I-DATA chunks received, duplicates included.
    inunorderchunks,
    /// User messages sent in more than one chunk.
    fragusrmsgs,
    /// Received user messages put together from more than one chunk.
    reasmusrmsgs,
    /// Packets sent.
    outpackets,
    /// Packets received.
    inpackets,
    /// Packets received (as `inpackets`).
    recvpackets,
    /// Packets long enough to hold a common header and a chunk header.
    recvdatagrams,
    /// Packets that carried DATA or I-DATA the association processed.
    recvpktwithdata,
    /// SACK and NR-SACK chunks received.
    recvsacks,
    /// DATA and I-DATA chunks received for the first time.
    recvdata,
    /// DATA and I-DATA chunks received again (already acknowledged or buffered).
    recvdupdata,
    /// HEARTBEAT chunks received.
    recvheartbeat,
    /// HEARTBEAT-ACK chunks received.
    recvheartbeatack,
    /// ECNE chunks received.
    recvecne,
    /// ECNEs that reduced a congestion window (once per window of data).
    ecnereducedcwnd,
    /// Packets whose checksum was computed in software on receipt.
    recvswcrc,
    /// Packets sent (as `outpackets`).
    sendpackets,
    /// SACK and NR-SACK chunks sent.
    sendsacks,
    /// DATA and I-DATA chunks sent for the first time.
    senddata,
    /// DATA and I-DATA chunks retransmitted (after T3-rtx or fast retransmit).
    sendretransdata,
    /// DATA and I-DATA chunks fast-retransmitted.
    sendfastretrans,
    /// HEARTBEAT chunks sent.
    sendheartbeat,
    /// ECNE chunks sent.
    sendecne,
    /// Packets sent with a checksum computed in software.
    sendswcrc,
    /// T3-rtx expirations.
    timodata,
    /// T1-init expirations.
    timoinit,
    /// Delayed SACK timer expirations.
    timosack,
    /// T2-shutdown expirations while SHUTDOWN was outstanding.
    timoshutdown,
    /// Heartbeat timer expirations.
    timoheartbeat,
    /// T1-cookie expirations.
    timocookie,
    /// Cookie secret changes.
    timosecret,
    /// T2-shutdown expirations while SHUTDOWN-ACK was outstanding.
    timoshutdownack,
    /// T5-shutdown-guard expirations.
    timoshutdownguard,
    /// Stream reconfiguration timer expirations.
    timostrmrst,
    /// Autoclose timer expirations.
    timoautoclose,
    /// Packets dropped for a bad header: too short, or destination port 0.
    hdrops,
    /// Packets dropped for a wrong checksum.
    badsum,
    /// Packets for a port no endpoint is bound to.
    noport,
    /// Packets dropped for a wrong verification tag.
    badvtag,
    /// DATA or I-DATA chunks for a stream that does not exist.
    badsid,
    /// DATA chunks marked for retransmission by T3-rtx.
    markedretrans,
    /// DATA and I-DATA chunks dropped for lack of room in the receive buffer.
    datadroprwnd,
    /// AUTH chunks received while AUTH is in use (RFC 4895).
    recvauth,
    /// Chunks dropped for want of the AUTH their type requires.
    recvauthmissing,
    /// AUTH chunks with an HMAC identifier we did not offer.
    recvivalhmacid,
    /// AUTH chunks with a key id we have no key for.
    recvivalkeyid,
    /// AUTH chunks whose HMAC was wrong.
    recvauthfailed,
    /// AUTH chunks sent.
    sendauth,
    /// T-4 RTO (ASCONF retransmission) expirations.
    timoasconf,
}

/// Chunk types that the counters tell apart.
const DATA: u8 = 0;
const SACK: u8 = 3;
const HEARTBEAT: u8 = 4;
const HEARTBEAT_ACK: u8 = 5;
const ECNE: u8 = 12;
const NR_SACK: u8 = 16;
const IDATA: u8 = 64;
/// The U bit of DATA and I-DATA.
const UNORDERED: u8 = 0x04;

impl Counters {
    /// Counts a packet about to be sent: the packet, and each of its chunks by kind.
    pub fn count_sent_packet(&mut self, packet: &[u8]) {
        self.outpackets += 1;
        self.sendpackets += 1;
        if packet.get(8..12).is_some_and(|c| c != [0, 0, 0, 0]) {
            self.sendswcrc += 1;
        }
        let body = packet.get(crate::wire::header::HEADER_LEN..).unwrap_or(&[]);
        for chunk in ChunkIter::new(body).flatten() {
            match chunk.chunk_type {
                DATA | IDATA if chunk.flags & UNORDERED != 0 => self.outunorderchunks += 1,
                DATA | IDATA => self.outorderchunks += 1,
                t => {
                    self.outcontrolchunks += 1;
                    match t {
                        SACK | NR_SACK => self.sendsacks += 1,
                        HEARTBEAT => self.sendheartbeat += 1,
                        ECNE => self.sendecne += 1,
                        _ => {}
                    }
                }
            }
        }
    }

    /// Counts a received chunk by kind (`unordered`: the U bit of DATA and I-DATA).
    pub fn count_received_chunk(&mut self, chunk_type: u8, unordered: bool) {
        match chunk_type {
            DATA | IDATA if unordered => self.inunorderchunks += 1,
            DATA | IDATA => self.inorderchunks += 1,
            t => {
                self.incontrolchunks += 1;
                match t {
                    SACK | NR_SACK => self.recvsacks += 1,
                    HEARTBEAT => self.recvheartbeat += 1,
                    HEARTBEAT_ACK => self.recvheartbeatack += 1,
                    ECNE => self.recvecne += 1,
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_sums_every_counter() {
        let mut a = Counters::ZERO;
        for (i, name) in Counters::ZERO
            .iter()
            .map(|(n, _)| n)
            .collect::<Vec<_>>()
            .into_iter()
            .enumerate()
        {
            *a.get_mut(name).unwrap() = i as u64 + 1;
        }
        let mut b = a;
        b.add(&a);
        for ((_, x), (_, y)) in a.iter().zip(b.iter()) {
            assert_eq!(y, 2 * x);
        }
        assert!(a.get_mut("no_such_counter").is_none());
    }

    #[test]
    fn sent_packets_are_counted_by_chunk_kind() {
        // Header with a checksum, then SACK (16 bytes), HEARTBEAT (8), unordered DATA (20),
        // ordered I-DATA (24).
        let mut p = vec![0, 1, 0, 2, 0, 0, 0, 9, 1, 2, 3, 4];
        p.extend([SACK, 0, 0, 16]);
        p.extend([0; 12]);
        p.extend([HEARTBEAT, 0, 0, 8, 0, 1, 0, 4]);
        p.extend([DATA, UNORDERED | 3, 0, 17]);
        p.extend([0; 16]);
        p.extend([IDATA, 3, 0, 21]);
        p.extend([0; 20]);
        let mut c = Counters::ZERO;
        c.count_sent_packet(&p);
        assert_eq!((c.outpackets, c.sendpackets, c.sendswcrc), (1, 1, 1));
        assert_eq!(
            (c.outcontrolchunks, c.sendsacks, c.sendheartbeat),
            (2, 1, 1)
        );
        assert_eq!((c.outorderchunks, c.outunorderchunks), (1, 1));
    }

    #[test]
    fn received_chunks_are_counted_by_kind() {
        let mut c = Counters::ZERO;
        c.count_received_chunk(DATA, false);
        c.count_received_chunk(IDATA, true);
        c.count_received_chunk(NR_SACK, false);
        c.count_received_chunk(5, false);
        c.count_received_chunk(0x80, false);
        assert_eq!((c.inorderchunks, c.inunorderchunks), (1, 1));
        assert_eq!(
            (c.incontrolchunks, c.recvsacks, c.recvheartbeatack),
            (3, 1, 1)
        );
    }
}
