//! State cookies (RFC 9260 §5.1.3): everything needed to build an association from a
//! COOKIE-ECHO, so that answering an INIT allocates nothing.
//!
//! The cookie is opaque to the peer. Ours is
//!
//! ```text
//! version (1) | secret generation (4) | created, µs (8) | lifetime, ms (4)
//! local tag (4) | peer tag (4) | local initial TSN (4) | local port (2) | peer port (2)
//! local tie tag (4) | peer tie tag (4) | local outbound streams (2) | local inbound streams (2)
//! local a_rwnd (4) | our AUTH RANDOM length (1) | our AUTH RANDOM (0 or 32)
//! peer INIT chunk length (2) | peer INIT chunk (n)
//! HMAC-SHA256 of all the above (32)
//! ```
//!
//! The MAC key is a secret that rotates every `sctp_secret_lifetime_default` seconds; a cookie
//! signed with the previous secret stays valid, so a rotation never breaks a handshake in flight.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::types::{Instant, RandomSource};

const VERSION: u8 = 2;
const MAC_LEN: usize = 32;
const FIXED_LEN: usize = 1 + 4 + 8 + 4 + 4 * 3 + 2 * 2 + 4 * 2 + 2 * 2 + 4 + 1 + 2;
const RANDOM_LEN: usize = crate::assoc::auth::RANDOM_LEN;

/// The largest peer INIT a cookie carries; longer INITs are refused (a normal INIT is well under
/// 200 bytes), which bounds what a peer can make us sign and echo.
pub const MAX_PEER_INIT_LEN: usize = 1024;

/// What a state cookie remembers of the handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieContents {
    /// When the INIT-ACK carrying the cookie was built.
    pub created: Instant,
    /// How long the cookie is valid (`valid_cookie_life`, possibly extended by the peer's
    /// cookie preservative).
    pub lifetime: Duration,
    pub local_tag: u32,
    pub peer_tag: u32,
    pub local_initial_tsn: u32,
    pub local_port: u16,
    pub peer_port: u16,
    /// Tie-tags of an existing association with this peer (RFC 9260 §5.2.2), else 0.
    pub local_tie_tag: u32,
    pub peer_tie_tag: u32,
    /// The stream counts our INIT-ACK announced.
    pub local_outbound_streams: u16,
    pub local_inbound_streams: u16,
    /// The receiver window our INIT-ACK announced.
    pub local_a_rwnd: u32,
    /// The RANDOM our INIT-ACK carried (RFC 4895), which the association must use again.
    pub local_random: Option<[u8; RANDOM_LEN]>,
    /// The peer's INIT chunk, header included, as received.
    pub peer_init: Vec<u8>,
}

/// Why a cookie was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CookieError {
    /// Too short, wrong version, or inconsistent lengths.
    Malformed,
    /// The MAC does not verify under the current or the previous secret.
    BadMac,
    /// The cookie expired `staleness` ago (reported in a Stale Cookie error, RFC 9260 §5.1.5,
    /// sent with the peer's tag the cookie holds).
    Stale { staleness: Duration, peer_tag: u32 },
}

/// The rotating secrets that sign and verify cookies.
pub struct CookieSigner {
    current: [u8; 32],
    previous: [u8; 32],
    generation: u32,
    rotated_at: Instant,
    rotation: Duration,
}

impl core::fmt::Debug for CookieSigner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CookieSigner")
            .field("generation", &self.generation)
            .field("rotated_at", &self.rotated_at)
            .finish_non_exhaustive()
    }
}

impl CookieSigner {
    /// A signer with a fresh secret, rotated every `rotation` (at least one second).
    pub fn new(now: Instant, rotation: Duration, random: &mut dyn RandomSource) -> Self {
        let mut current = [0u8; 32];
        random.fill(&mut current);
        CookieSigner {
            current,
            previous: current,
            generation: 0,
            rotated_at: now,
            rotation: rotation.max(Duration::from_secs(1)),
        }
    }

    /// Replaces the secret when it has lived its time; the old one still verifies. True when it
    /// did.
    pub fn maybe_rotate(&mut self, now: Instant, random: &mut dyn RandomSource) -> bool {
        if now - self.rotated_at < self.rotation {
            return false;
        }
        self.previous = self.current;
        random.fill(&mut self.current);
        self.generation = self.generation.wrapping_add(1);
        self.rotated_at = now;
        true
    }

    /// When the next rotation is due.
    pub fn next_rotation(&self) -> Instant {
        self.rotated_at + self.rotation
    }

    /// Serialises and signs `contents`. `None` when the peer's INIT is too long to carry.
    pub fn seal(&self, contents: &CookieContents) -> Option<Vec<u8>> {
        if contents.peer_init.len() > MAX_PEER_INIT_LEN {
            return None;
        }
        let mut out =
            Vec::with_capacity(FIXED_LEN + RANDOM_LEN + contents.peer_init.len() + MAC_LEN);
        out.push(VERSION);
        out.extend_from_slice(&self.generation.to_be_bytes());
        out.extend_from_slice(&contents.created.as_micros().to_be_bytes());
        let lifetime_ms = u32::try_from(contents.lifetime.as_millis()).unwrap_or(u32::MAX);
        out.extend_from_slice(&lifetime_ms.to_be_bytes());
        for v in [
            contents.local_tag,
            contents.peer_tag,
            contents.local_initial_tsn,
        ] {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&contents.local_port.to_be_bytes());
        out.extend_from_slice(&contents.peer_port.to_be_bytes());
        out.extend_from_slice(&contents.local_tie_tag.to_be_bytes());
        out.extend_from_slice(&contents.peer_tie_tag.to_be_bytes());
        out.extend_from_slice(&contents.local_outbound_streams.to_be_bytes());
        out.extend_from_slice(&contents.local_inbound_streams.to_be_bytes());
        out.extend_from_slice(&contents.local_a_rwnd.to_be_bytes());
        match &contents.local_random {
            Some(r) => {
                out.push(RANDOM_LEN as u8);
                out.extend_from_slice(r);
            }
            None => out.push(0),
        }
        out.extend_from_slice(&(contents.peer_init.len() as u16).to_be_bytes());
        out.extend_from_slice(&contents.peer_init);
        let tag = mac(&self.current, &out);
        out.extend_from_slice(&tag);
        Some(out)
    }

    /// Verifies and opens a cookie received in a COOKIE-ECHO at `now`.
    pub fn open(&self, cookie: &[u8], now: Instant) -> Result<CookieContents, CookieError> {
        let contents = self.open_any_age(cookie)?;
        let expires = contents.created + contents.lifetime;
        if now > expires {
            return Err(CookieError::Stale {
                staleness: now - expires,
                peer_tag: contents.peer_tag,
            });
        }
        Ok(contents)
    }

    /// Verifies and opens a cookie without looking at its age: for a COOKIE-ECHO that repeats
    /// the one of an existing association, which is acknowledged however old (RFC 9260 §5.2.4 D).
    pub fn open_any_age(&self, cookie: &[u8]) -> Result<CookieContents, CookieError> {
        if cookie.len() < FIXED_LEN + MAC_LEN || cookie[0] != VERSION {
            return Err(CookieError::Malformed);
        }
        let (body, tag) = cookie.split_at(cookie.len() - MAC_LEN);
        let generation = u32::from_be_bytes([body[1], body[2], body[3], body[4]]);
        let secret = if generation == self.generation {
            &self.current
        } else if generation == self.generation.wrapping_sub(1) {
            &self.previous
        } else {
            return Err(CookieError::BadMac);
        };
        verify(secret, body, tag)?;

        let mut r = Reader { bytes: body, at: 5 };
        let created = Instant::from_micros(r.u64());
        let lifetime = Duration::from_millis(u64::from(r.u32()));
        let local_tag = r.u32();
        let peer_tag = r.u32();
        let local_initial_tsn = r.u32();
        let local_port = r.u16();
        let peer_port = r.u16();
        let local_tie_tag = r.u32();
        let peer_tie_tag = r.u32();
        let local_outbound_streams = r.u16();
        let local_inbound_streams = r.u16();
        let local_a_rwnd = r.u32();
        let local_random = match r.u8() {
            0 => None,
            n if usize::from(n) == RANDOM_LEN && r.at + RANDOM_LEN + 2 <= body.len() => {
                Some(r.take::<RANDOM_LEN>())
            }
            _ => return Err(CookieError::Malformed),
        };
        let init_len = usize::from(r.u16());
        if r.at + init_len != body.len() {
            return Err(CookieError::Malformed);
        }
        let peer_init = body[r.at..].to_vec();
        Ok(CookieContents {
            created,
            lifetime,
            local_tag,
            peer_tag,
            local_initial_tsn,
            local_port,
            peer_port,
            local_tie_tag,
            peer_tie_tag,
            local_outbound_streams,
            local_inbound_streams,
            local_a_rwnd,
            local_random,
            peer_init,
        })
    }
}

fn mac(secret: &[u8; 32], body: &[u8]) -> [u8; MAC_LEN] {
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(body);
    m.finalize().into_bytes().into()
}

fn verify(secret: &[u8; 32], body: &[u8], tag: &[u8]) -> Result<(), CookieError> {
    let mut m =
        <Hmac<Sha256> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    m.update(body);
    m.verify_slice(tag).map_err(|_| CookieError::BadMac)
}

/// Reads the fixed fields; `open` checked the length first.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.copy_from_slice(&self.bytes[self.at..self.at + N]);
        self.at += N;
        out
    }
    fn u8(&mut self) -> u8 {
        u8::from_be_bytes(self.take())
    }
    fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_be_bytes(self.take())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SeededRandom;

    fn contents(created: Instant) -> CookieContents {
        CookieContents {
            created,
            lifetime: Duration::from_secs(60),
            local_tag: 0x1111_2222,
            peer_tag: 0x3333_4444,
            local_initial_tsn: 77,
            local_port: 5001,
            peer_port: 5000,
            local_tie_tag: 0,
            peer_tie_tag: 0,
            local_outbound_streams: 10,
            local_inbound_streams: 2048,
            local_a_rwnd: 131_072,
            local_random: Some([7; RANDOM_LEN]),
            peer_init: vec![1, 0, 0, 20, 1, 2, 3, 4, 0, 1, 0, 0, 0, 10, 8, 0, 0, 0, 0, 1],
        }
    }

    #[test]
    fn seal_then_open() {
        let mut rng = SeededRandom::new(1);
        let signer = CookieSigner::new(Instant::ZERO, Duration::from_secs(3600), &mut rng);
        let c = contents(Instant::from_millis(10));
        let sealed = signer.seal(&c).unwrap();
        assert_eq!(
            sealed.len(),
            FIXED_LEN + RANDOM_LEN + c.peer_init.len() + MAC_LEN
        );
        assert_eq!(
            signer.open(&sealed, Instant::from_millis(20)),
            Ok(c.clone())
        );
        let without_auth = CookieContents {
            local_random: None,
            ..c
        };
        let sealed = signer.seal(&without_auth).unwrap();
        assert_eq!(
            signer.open(&sealed, Instant::from_millis(20)),
            Ok(without_auth)
        );
    }

    #[test]
    fn any_flipped_bit_is_refused() {
        let mut rng = SeededRandom::new(2);
        let signer = CookieSigner::new(Instant::ZERO, Duration::from_secs(3600), &mut rng);
        let sealed = signer.seal(&contents(Instant::ZERO)).unwrap();
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 0x10;
            assert!(signer.open(&bad, Instant::ZERO).is_err(), "byte {i}");
        }
        assert_eq!(
            signer.open(&sealed[..40], Instant::ZERO),
            Err(CookieError::Malformed)
        );
        assert_eq!(signer.open(&[], Instant::ZERO), Err(CookieError::Malformed));
    }

    #[test]
    fn stale_cookie_reports_its_staleness() {
        let mut rng = SeededRandom::new(3);
        let signer = CookieSigner::new(Instant::ZERO, Duration::from_secs(3600), &mut rng);
        let sealed = signer.seal(&contents(Instant::ZERO)).unwrap();
        let late = Instant::ZERO + Duration::from_secs(61);
        let stale = CookieError::Stale {
            staleness: Duration::from_secs(1),
            peer_tag: 0x3333_4444,
        };
        assert_eq!(signer.open(&sealed, late), Err(stale));
    }

    #[test]
    fn rotation_keeps_the_previous_secret_only() {
        let mut rng = SeededRandom::new(4);
        let mut signer = CookieSigner::new(Instant::ZERO, Duration::from_secs(10), &mut rng);
        let old = signer.seal(&contents(Instant::ZERO)).unwrap();
        assert!(!signer.maybe_rotate(Instant::from_millis(5_000), &mut rng));
        assert_eq!(signer.generation, 0, "not yet due");
        let t = Instant::from_millis(10_000);
        assert!(signer.maybe_rotate(t, &mut rng));
        assert_eq!(signer.generation, 1);
        assert!(
            signer.open(&old, t).is_ok(),
            "previous secret still verifies"
        );
        let newer = signer.seal(&contents(t)).unwrap();
        signer.maybe_rotate(Instant::from_millis(20_000), &mut rng);
        assert_eq!(
            signer.open(&old, Instant::from_millis(20_000)),
            Err(CookieError::BadMac)
        );
        assert!(signer.open(&newer, Instant::from_millis(20_000)).is_ok());
    }

    #[test]
    fn oversized_init_is_not_sealed() {
        let mut rng = SeededRandom::new(5);
        let signer = CookieSigner::new(Instant::ZERO, Duration::from_secs(10), &mut rng);
        let mut c = contents(Instant::ZERO);
        c.peer_init = vec![0; MAX_PEER_INIT_LEN + 1];
        assert_eq!(signer.seal(&c), None);
    }
}
