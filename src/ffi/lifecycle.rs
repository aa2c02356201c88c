//! Starting and stopping the stack, timers, statistics and CRC offload switches.

use core::ffi::{c_char, c_int, c_void};

use super::boundary::guard;
use super::types::sctpstat;
use crate::assoc::Counters;
use crate::stack;

/// Initialises the stack with its own timer thread. `port` is the local UDP port for SCTP over
/// UDP (RFC 6951), 0 for none; `conn_output` sends packets of AF_CONN associations.
#[no_mangle]
pub extern "C" fn usrsctp_init(
    port: u16,
    conn_output: Option<
        unsafe extern "C" fn(
            addr: *mut c_void,
            buffer: *mut c_void,
            length: usize,
            tos: u8,
            set_df: u8,
        ) -> c_int,
    >,
    debug_printf: Option<unsafe extern "C" fn(format: *const c_char, ...)>,
) {
    guard((), || {
        stack::log::set_sink(debug_printf.map(wrap_debug_printf));
        stack::init(port, stack::Threads::Own, conn_output.map(wrap_conn_output))
    })
}

/// Initialises the stack without threads: the application calls `usrsctp_handle_timers`.
#[no_mangle]
pub extern "C" fn usrsctp_init_nothreads(
    port: u16,
    conn_output: Option<
        unsafe extern "C" fn(
            addr: *mut c_void,
            buffer: *mut c_void,
            length: usize,
            tos: u8,
            set_df: u8,
        ) -> c_int,
    >,
    debug_printf: Option<unsafe extern "C" fn(format: *const c_char, ...)>,
) {
    guard((), || {
        stack::log::set_sink(debug_printf.map(wrap_debug_printf));
        stack::init(
            port,
            stack::Threads::Application,
            conn_output.map(wrap_conn_output),
        )
    })
}

/// The application's `conn_output`.
type ConnOutputFn = unsafe extern "C" fn(
    addr: *mut c_void,
    buffer: *mut c_void,
    length: usize,
    tos: u8,
    set_df: u8,
) -> c_int;

/// The application's `debug_printf`.
type DebugPrintfFn = unsafe extern "C" fn(format: *const c_char, ...);

/// Makes the log sink from the application's `debug_printf`: each line is passed as the
/// argument of a `"%s"` format, so that no `%` in it is interpreted.
fn wrap_debug_printf(f: DebugPrintfFn) -> stack::log::Sink {
    std::sync::Arc::new(move |line: &str| {
        let Ok(text) = std::ffi::CString::new(line.replace('\0', " ")) else {
            return;
        };
        // SAFETY: the application registered `f` as a printf-like function; "%s" with one
        // NUL-terminated string is a valid call.
        unsafe { f(c"%s".as_ptr(), text.as_ptr()) }
    })
}

/// Makes the stack's packet sink from the application's `conn_output`.
fn wrap_conn_output(f: ConnOutputFn) -> stack::io::ConnOutput {
    std::sync::Arc::new(move |addr: usize, packet: &mut [u8], tos: u8, set_df: u8| {
        // SAFETY: the application registered `f` as `conn_output`; it receives its own
        // address pointer back and a buffer valid for `length` bytes during the call.
        unsafe {
            f(
                addr as *mut c_void,
                packet.as_mut_ptr().cast(),
                packet.len(),
                tos,
                set_df,
            );
        }
    })
}

/// Shuts the stack down. Returns -1 while sockets exist, 0 otherwise (also when it was never
/// initialised).
#[no_mangle]
pub extern "C" fn usrsctp_finish() -> c_int {
    guard(-1, || match stack::finish() {
        Ok(()) => 0,
        Err(stack::SocketsOpen) => -1,
    })
}

/// Advances the timers by `elapsed_milliseconds` in the no-threads mode.
#[no_mangle]
pub extern "C" fn usrsctp_handle_timers(elapsed_milliseconds: u32) {
    guard((), || stack::handle_timers(elapsed_milliseconds))
}

/// Fills `stat` with the stack's counters.
#[no_mangle]
pub extern "C" fn usrsctp_get_stat(stat: *mut sctpstat) {
    guard((), || {
        if stat.is_null() {
            return;
        }
        let started = stack::discontinuity_time();
        let counters = stack::statistics();
        // SAFETY: the caller passes a pointer to a `struct sctpstat`; every field is an
        // integer, so zero is a valid value for all of them, and the zeroed struct may then be
        // borrowed.
        let stat = unsafe {
            core::ptr::write_bytes(stat, 0, 1);
            &mut *stat
        };
        stat.sctps_discontinuitytime.tv_sec = started.as_secs() as u32;
        stat.sctps_discontinuitytime.tv_usec = started.subsec_micros();
        fill_sctpstat(stat, &counters);
    })
}

/// Copies `$counter` of a [`Counters`] into `$field` of a `struct sctpstat`, keeping the low
/// 32 bits as libusrsctp's `uint32_t` counters wrap; `MAPPED` lists the pairs for the tests.
macro_rules! sctpstat_fields {
    ($($field:ident <- $counter:ident,)+) => {
        fn fill_sctpstat(stat: &mut sctpstat, c: &Counters) {
            $(stat.$field = c.$counter as u32;)+
        }

        #[cfg(test)]
        const MAPPED: &[(&str, &str)] = &[$((stringify!($field), stringify!($counter)),)+];
    };
}

// The fields of `struct sctpstat` not listed here are not counted and stay zero.
sctpstat_fields! {
    sctps_currestab <- currestab,
    sctps_activeestab <- activeestab,
    sctps_restartestab <- restartestab,
    sctps_collisionestab <- collisionestab,
    sctps_passiveestab <- passiveestab,
    sctps_aborted <- aborted,
    sctps_shutdown <- shutdown,
    sctps_outoftheblue <- outoftheblue,
    sctps_checksumerrors <- checksumerrors,
    sctps_outcontrolchunks <- outcontrolchunks,
    sctps_outorderchunks <- outorderchunks,
    sctps_outunorderchunks <- outunorderchunks,
    sctps_incontrolchunks <- incontrolchunks,
    sctps_inorderchunks <- inorderchunks,
    sctps_inunorderchunks <- inunorderchunks,
    sctps_fragusrmsgs <- fragusrmsgs,
    sctps_reasmusrmsgs <- reasmusrmsgs,
    sctps_outpackets <- outpackets,
    sctps_inpackets <- inpackets,
    sctps_recvpackets <- recvpackets,
    sctps_recvdatagrams <- recvdatagrams,
    sctps_recvpktwithdata <- recvpktwithdata,
    sctps_recvsacks <- recvsacks,
    sctps_recvdata <- recvdata,
    sctps_recvdupdata <- recvdupdata,
    sctps_recvheartbeat <- recvheartbeat,
    sctps_recvheartbeatack <- recvheartbeatack,
    sctps_recvecne <- recvecne,
    sctps_ecnereducedcwnd <- ecnereducedcwnd,
    sctps_recvswcrc <- recvswcrc,
    sctps_sendpackets <- sendpackets,
    sctps_sendsacks <- sendsacks,
    sctps_senddata <- senddata,
    sctps_sendretransdata <- sendretransdata,
    sctps_sendfastretrans <- sendfastretrans,
    sctps_sendheartbeat <- sendheartbeat,
    sctps_sendecne <- sendecne,
    sctps_sendswcrc <- sendswcrc,
    sctps_timodata <- timodata,
    sctps_timoinit <- timoinit,
    sctps_timosack <- timosack,
    sctps_timoshutdown <- timoshutdown,
    sctps_timoheartbeat <- timoheartbeat,
    sctps_timocookie <- timocookie,
    sctps_timosecret <- timosecret,
    sctps_timoshutdownack <- timoshutdownack,
    sctps_timoshutdownguard <- timoshutdownguard,
    sctps_timostrmrst <- timostrmrst,
    sctps_timoautoclose <- timoautoclose,
    sctps_hdrops <- hdrops,
    sctps_badsum <- badsum,
    sctps_noport <- noport,
    sctps_badvtag <- badvtag,
    sctps_badsid <- badsid,
    sctps_markedretrans <- markedretrans,
    sctps_datadroprwnd <- datadroprwnd,
    sctps_recvauth <- recvauth,
    sctps_recvauthmissing <- recvauthmissing,
    sctps_recvivalhmacid <- recvivalhmacid,
    sctps_recvivalkeyid <- recvivalkeyid,
    sctps_recvauthfailed <- recvauthfailed,
    sctps_sendauth <- sendauth,
    sctps_timoasconf <- timoasconf,
}

/// Lets the stack skip computing CRC32c on packets it sends (the lower layer computes it).
#[no_mangle]
pub extern "C" fn usrsctp_enable_crc32c_offload() {
    guard((), || stack::set_crc32c_offload(true))
}

/// The stack computes CRC32c on every packet it sends (the default).
#[no_mangle]
pub extern "C" fn usrsctp_disable_crc32c_offload() {
    guard((), || stack::set_crc32c_offload(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_counter_goes_to_the_field_of_its_name() {
        let mut counters: Vec<&str> = Counters::ZERO.iter().map(|(n, _)| n).collect();
        let mut mapped: Vec<&str> = MAPPED.iter().map(|&(_, c)| c).collect();
        counters.sort_unstable();
        mapped.sort_unstable();
        assert_eq!(counters, mapped);
        for &(field, counter) in MAPPED {
            assert_eq!(field.strip_prefix("sctps_"), Some(counter));
        }
    }

    #[test]
    fn counters_wrap_at_32_bits() {
        let mut c = Counters::ZERO;
        c.recvpackets = 7;
        c.badsum = (1 << 32) + 5;
        // SAFETY: `struct sctpstat` holds integers only; all zeros is a valid value.
        let mut stat: sctpstat = unsafe { core::mem::zeroed() };
        fill_sctpstat(&mut stat, &c);
        assert_eq!((stat.sctps_recvpackets, stat.sctps_badsum), (7, 5));
        assert_eq!(stat.sctps_hdrops, 0);
    }
}
