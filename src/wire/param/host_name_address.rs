//! Host Name Address parameter (type 11), RFC 9260 §3.3.2.1. Deprecated: a sender MUST NOT
//! send it and a receiver answers an INIT carrying it with an Unresolvable Address ABORT; we
//! still parse it so that the ABORT can quote it.

crate::wire::element::bytes_element!(
    /// Host Name Address (RFC 9260 §3.3.2.1).
    HostNameAddress = 11,
    /// The host name, NUL-terminated on the wire.
    host_name
);

impl<'a> HostNameAddress<'a> {
    /// The host name without the terminating NUL and anything after it.
    pub fn name(&self) -> &'a [u8] {
        match self.host_name.iter().position(|&b| b == 0) {
            Some(end) => &self.host_name[..end],
            None => self.host_name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};

    #[test]
    fn parse_emit_round_trip() {
        let bytes = *b"\x00\x0b\x00\x0eexample.c\x00\x00\x00";
        let p = HostNameAddress::parse(&raw(&bytes)).unwrap();
        assert_eq!(p.host_name, b"example.c\0");
        assert_eq!(p.name(), b"example.c");
        assert_eq!(emitted(16, |b| p.emit(b)), bytes);
    }
}
