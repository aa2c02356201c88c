//! Starting and stopping the stack, timers, statistics and CRC offload switches.

use core::ffi::{c_char, c_int, c_void};

use super::boundary::guard;
use super::types::sctpstat;
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
        let _ = debug_printf;
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
        let _ = debug_printf;
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
        // SAFETY: the caller passes a pointer to a `struct sctpstat`; every field is an
        // integer, so zero is a valid value for all of them.
        unsafe {
            core::ptr::write_bytes(stat, 0, 1);
            (*stat).sctps_discontinuitytime.tv_sec = started.as_secs() as u32;
            (*stat).sctps_discontinuitytime.tv_usec = started.subsec_micros();
        }
    })
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
