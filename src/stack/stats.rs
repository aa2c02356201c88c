//! Statistics of the whole stack (`usrsctp_get_stat`): the counters of the live endpoints, plus
//! an accumulator for what no live endpoint holds any more: endpoints that are gone, and
//! packets that never reached an endpoint (too short, or for a port nobody bound).
//!
//! The accumulator starts from zero at every `init`, as libusrsctp's statistics do.

use parking_lot::Mutex;

use crate::assoc::Counters;
use crate::wire::header::HEADER_LEN;

static ACCUMULATED: Mutex<Counters> = Mutex::new(Counters::ZERO);

/// Shortest packet that can hold a chunk: a common header and a chunk header.
const MIN_PACKET: usize = HEADER_LEN + 4;

/// Counts a packet the stack received but handed to no endpoint: shorter than a common header,
/// or for a port no endpoint is bound to. Counted as an endpoint would count it: a header
/// error, a checksum error, or no port.
pub fn count_unrouted(bytes: &[u8]) {
    let mut c = ACCUMULATED.lock();
    c.inpackets += 1;
    c.recvpackets += 1;
    if bytes.len() < MIN_PACKET {
        c.hdrops += 1;
        return;
    }
    c.recvdatagrams += 1;
    c.recvswcrc += 1;
    if !crate::wire::crc::verify(bytes) {
        c.badsum += 1;
        c.checksumerrors += 1;
    } else if bytes[2..4] == [0, 0] {
        c.hdrops += 1;
    } else {
        c.noport += 1;
    }
}

/// Keeps the counters of an endpoint that is going away (its group left the registry).
pub fn retire(counters: &Counters) {
    let mut gone = *counters;
    // A gauge: whatever was established is not any more.
    gone.currestab = 0;
    ACCUMULATED.lock().add(&gone);
}

/// The stack's statistics: the counters of every live endpoint (`live`) plus the accumulated
/// ones.
pub fn snapshot(live: impl IntoIterator<Item = Counters>) -> Counters {
    let mut total = Counters::ZERO;
    for c in live {
        total.add(&c);
    }
    total.add(&ACCUMULATED.lock());
    total
}

/// Forgets the accumulated counters (`usrsctp_init`).
pub fn reset() {
    *ACCUMULATED.lock() = Counters::ZERO;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test, since the accumulator is process-wide.
    #[test]
    fn unrouted_and_retired_counters_add_up() {
        reset();
        count_unrouted(&[0; 5]);
        let c = snapshot([]);
        assert_eq!((c.recvpackets, c.inpackets, c.hdrops), (1, 1, 1));

        // A well-formed packet to port 5001 with a correct checksum, then a wrong one.
        let mut p = vec![0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0, 0, 0, 0, 0];
        p.extend([1, 0, 0, 4]);
        crate::wire::crc::set_checksum(&mut p);
        count_unrouted(&p);
        p[8] ^= 0xff;
        count_unrouted(&p);
        let c = snapshot([]);
        assert_eq!((c.recvdatagrams, c.noport, c.badsum), (2, 1, 1));
        assert_eq!(c.checksumerrors, 1);

        let mut gone = Counters::ZERO;
        gone.currestab = 3;
        gone.activeestab = 2;
        retire(&gone);
        let mut live = Counters::ZERO;
        live.currestab = 1;
        live.activeestab = 5;
        let c = snapshot([live]);
        assert_eq!((c.currestab, c.activeestab, c.recvpackets), (1, 7, 3));

        reset();
        assert_eq!(snapshot([]), Counters::ZERO);
    }
}
