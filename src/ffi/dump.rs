//! Packet dumps in the text format of libusrsctp (readable by `text2pcap`), and CRC32c.
//!
//! A dump is one line between newlines: direction (`I` inbound, `O` outbound), local time of
//! day with microseconds, the offset `0000`, the bytes as lower-case hex pairs each followed by
//! a space, and the marker `# SCTP_PACKET`. `text2pcap -t '%H:%M:%S.' -i 132` turns a file of
//! them into a capture of SCTP over IP.

use core::ffi::{c_char, c_int, c_void};
use std::fmt::Write;

use libc::size_t;

use super::boundary::guard;

/// The time of day stamped on a dump line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOfDay {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub micros: u32,
}

/// Formats `packet` as one dump line.
pub fn format_dump(packet: &[u8], outbound: bool, at: TimeOfDay) -> String {
    let mut text = String::with_capacity(20 + 5 + 3 * packet.len() + 15);
    let _ = write!(
        text,
        "\n{} {:02}:{:02}:{:02}.{:06} 0000 ",
        if outbound { 'O' } else { 'I' },
        at.hour,
        at.minute,
        at.second,
        at.micros
    );
    for byte in packet {
        let _ = write!(text, "{byte:02x} ");
    }
    text.push_str("# SCTP_PACKET\n");
    text
}

/// The local time of day now.
fn local_time_of_day() -> TimeOfDay {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as libc::time_t;
    // SAFETY: `tm` is plain data; localtime_r writes it and reads only `secs`.
    let tm = unsafe {
        let mut tm: libc::tm = core::mem::zeroed();
        if libc::localtime_r(&secs, &mut tm).is_null() {
            return TimeOfDay {
                hour: 0,
                minute: 0,
                second: 0,
                micros: now.subsec_micros(),
            };
        }
        tm
    };
    TimeOfDay {
        hour: tm.tm_hour as u32,
        minute: tm.tm_min as u32,
        second: tm.tm_sec as u32,
        micros: now.subsec_micros(),
    }
}

/// Returns a NUL-terminated dump of `buf[..len]` to free with `usrsctp_freedumpbuffer`, or NULL
/// when `buf` is NULL, `len` is 0 or memory runs out. `outbound` is `SCTP_DUMP_OUTBOUND` (any
/// non-zero value) or `SCTP_DUMP_INBOUND`.
#[no_mangle]
pub extern "C" fn usrsctp_dumppacket(
    buf: *const c_void,
    len: size_t,
    outbound: c_int,
) -> *mut c_char {
    guard(core::ptr::null_mut(), || {
        if buf.is_null() || len == 0 {
            return core::ptr::null_mut();
        }
        // SAFETY: the caller passes `len` readable bytes at `buf`.
        let packet = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) };
        let text = format_dump(packet, outbound != 0, local_time_of_day());
        // The C allocator, so that a program that calls free() instead of
        // usrsctp_freedumpbuffer() stays correct.
        // SAFETY: malloc returns NULL or text.len() + 1 writable bytes.
        unsafe {
            let out = libc::malloc(text.len() + 1).cast::<u8>();
            if out.is_null() {
                return core::ptr::null_mut();
            }
            core::ptr::copy_nonoverlapping(text.as_ptr(), out, text.len());
            *out.add(text.len()) = 0;
            out.cast()
        }
    })
}

/// Frees a dump returned by `usrsctp_dumppacket`; NULL is allowed.
#[no_mangle]
pub extern "C" fn usrsctp_freedumpbuffer(buf: *mut c_char) {
    // SAFETY: `buf` is NULL or came from malloc in usrsctp_dumppacket.
    unsafe { libc::free(buf.cast()) }
}

/// CRC32c (Castagnoli) of `len` bytes at `buf`, as SCTP computes it (RFC 9260 Appendix A).
#[no_mangle]
pub extern "C" fn usrsctp_crc32c(buf: *mut c_void, len: size_t) -> u32 {
    guard(0, || {
        if buf.is_null() || len == 0 {
            return crate::wire::crc::crc32c(&[]);
        }
        // SAFETY: the caller passes `len` readable bytes at `buf`.
        let bytes = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) };
        crate::wire::crc::crc32c(bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dump_line_matches_libusrsctp_format() {
        let at = TimeOfDay {
            hour: 3,
            minute: 6,
            second: 42,
            micros: 26610,
        };
        let packet = [
            0x13, 0x88, 0x13, 0x89, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0, 0x0b, 0, 0, 4,
        ];
        assert_eq!(
            format_dump(&packet, true, at),
            "\nO 03:06:42.026610 0000 13 88 13 89 de ad be ef 00 00 00 00 0b 00 00 04 # SCTP_PACKET\n"
        );
        assert_eq!(
            format_dump(&[0xff], false, at),
            "\nI 03:06:42.026610 0000 ff # SCTP_PACKET\n"
        );
    }
}
