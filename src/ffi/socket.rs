//! The socket functions of the C API.
//!
//! The socket layer arrives with a later issue. Until then each function that needs it answers
//! as an unsupported operation (-1 or NULL, `errno` EOPNOTSUPP) through
//! [`unsupported`]. Functions that need no socket (address
//! registration, freeing address lists) are real already.

use core::ffi::{c_int, c_uint, c_void};

use libc::{size_t, sockaddr, socklen_t, ssize_t};

use super::boundary::{guard, unsupported};
use super::types::{sctp_assoc_t, sctp_rcvinfo, sctp_sockstore, socket};
use crate::stack;

/// Creates a socket of `domain` (AF_INET, AF_INET6, AF_CONN) and `type` (SOCK_STREAM or
/// SOCK_SEQPACKET); with `receive_cb` set, received data is delivered by callback.
#[no_mangle]
pub extern "C" fn usrsctp_socket(
    domain: c_int,
    r#type: c_int,
    protocol: c_int,
    receive_cb: Option<
        unsafe extern "C" fn(
            sock: *mut socket,
            addr: sctp_sockstore,
            data: *mut c_void,
            datalen: size_t,
            rcv: sctp_rcvinfo,
            flags: c_int,
            ulp_info: *mut c_void,
        ) -> c_int,
    >,
    send_cb: Option<
        unsafe extern "C" fn(sock: *mut socket, sb_free: u32, ulp_info: *mut c_void) -> c_int,
    >,
    sb_threshold: u32,
    ulp_info: *mut c_void,
) -> *mut socket {
    let _ = (
        domain,
        r#type,
        protocol,
        receive_cb,
        send_cb,
        sb_threshold,
        ulp_info,
    );
    guard(core::ptr::null_mut(), || unsupported(core::ptr::null_mut()))
}

/// Sets a socket option.
#[no_mangle]
pub extern "C" fn usrsctp_setsockopt(
    so: *mut socket,
    level: c_int,
    option_name: c_int,
    option_value: *const c_void,
    option_len: socklen_t,
) -> c_int {
    let _ = (so, level, option_name, option_value, option_len);
    guard(-1, || unsupported(-1))
}

/// Reads a socket option.
#[no_mangle]
pub extern "C" fn usrsctp_getsockopt(
    so: *mut socket,
    level: c_int,
    option_name: c_int,
    option_value: *mut c_void,
    option_len: *mut socklen_t,
) -> c_int {
    let _ = (so, level, option_name, option_value, option_len);
    guard(-1, || unsupported(-1))
}

/// Reads an SCTP socket option for association `id` (RFC 6458 §9.7).
#[no_mangle]
pub extern "C" fn usrsctp_opt_info(
    so: *mut socket,
    id: sctp_assoc_t,
    opt: c_int,
    arg: *mut c_void,
    size: *mut socklen_t,
) -> c_int {
    let _ = (so, id, opt, arg, size);
    guard(-1, || unsupported(-1))
}

/// Returns the peer's addresses of association `id` in a buffer freed by `usrsctp_freepaddrs`.
#[no_mangle]
pub extern "C" fn usrsctp_getpaddrs(
    so: *mut socket,
    id: sctp_assoc_t,
    raddrs: *mut *mut sockaddr,
) -> c_int {
    let _ = (so, id, raddrs);
    guard(-1, || unsupported(-1))
}

/// Frees a list returned by `usrsctp_getpaddrs`.
#[no_mangle]
pub extern "C" fn usrsctp_freepaddrs(addrs: *mut sockaddr) {
    free_address_list(addrs)
}

/// Returns the local addresses of association `id` in a buffer freed by `usrsctp_freeladdrs`.
#[no_mangle]
pub extern "C" fn usrsctp_getladdrs(
    so: *mut socket,
    id: sctp_assoc_t,
    raddrs: *mut *mut sockaddr,
) -> c_int {
    let _ = (so, id, raddrs);
    guard(-1, || unsupported(-1))
}

/// Frees a list returned by `usrsctp_getladdrs`.
#[no_mangle]
pub extern "C" fn usrsctp_freeladdrs(addrs: *mut sockaddr) {
    free_address_list(addrs)
}

/// Address lists are allocated with the C allocator, as libusrsctp does, so that `free` works.
fn free_address_list(addrs: *mut sockaddr) {
    // SAFETY: `addrs` is NULL or a list this library allocated with malloc.
    unsafe { libc::free(addrs.cast()) }
}

/// Sends a message (RFC 6458 §9.12).
#[no_mangle]
pub extern "C" fn usrsctp_sendv(
    so: *mut socket,
    data: *const c_void,
    len: size_t,
    to: *mut sockaddr,
    addrcnt: c_int,
    info: *mut c_void,
    infolen: socklen_t,
    infotype: c_uint,
    flags: c_int,
) -> ssize_t {
    let _ = (so, data, len, to, addrcnt, info, infolen, infotype, flags);
    guard(-1, || unsupported(-1))
}

/// Receives a message or notification (RFC 6458 §9.13).
#[no_mangle]
pub extern "C" fn usrsctp_recvv(
    so: *mut socket,
    dbuf: *mut c_void,
    len: size_t,
    from: *mut sockaddr,
    fromlen: *mut socklen_t,
    info: *mut c_void,
    infolen: *mut socklen_t,
    infotype: *mut c_uint,
    msg_flags: *mut c_int,
) -> ssize_t {
    let _ = (
        so, dbuf, len, from, fromlen, info, infolen, infotype, msg_flags,
    );
    guard(-1, || unsupported(-1))
}

/// Binds a socket to a local address and port.
#[no_mangle]
pub extern "C" fn usrsctp_bind(so: *mut socket, name: *mut sockaddr, namelen: socklen_t) -> c_int {
    let _ = (so, name, namelen);
    guard(-1, || unsupported(-1))
}

/// Adds or removes local addresses (`SCTP_BINDX_ADD_ADDR`, `SCTP_BINDX_REM_ADDR`).
#[no_mangle]
pub extern "C" fn usrsctp_bindx(
    so: *mut socket,
    addrs: *mut sockaddr,
    addrcnt: c_int,
    flags: c_int,
) -> c_int {
    let _ = (so, addrs, addrcnt, flags);
    guard(-1, || unsupported(-1))
}

/// Accepts associations on a socket.
#[no_mangle]
pub extern "C" fn usrsctp_listen(so: *mut socket, backlog: c_int) -> c_int {
    let _ = (so, backlog);
    guard(-1, || unsupported(-1))
}

/// Returns a one-to-one socket for the next established association of a listening socket.
#[no_mangle]
pub extern "C" fn usrsctp_accept(
    so: *mut socket,
    aname: *mut sockaddr,
    anamelen: *mut socklen_t,
) -> *mut socket {
    let _ = (so, aname, anamelen);
    guard(core::ptr::null_mut(), || unsupported(core::ptr::null_mut()))
}

/// Branches association `id` off a one-to-many socket into a one-to-one socket.
#[no_mangle]
pub extern "C" fn usrsctp_peeloff(so: *mut socket, id: sctp_assoc_t) -> *mut socket {
    let _ = (so, id);
    guard(core::ptr::null_mut(), || unsupported(core::ptr::null_mut()))
}

/// Starts an association to `name`.
#[no_mangle]
pub extern "C" fn usrsctp_connect(
    so: *mut socket,
    name: *mut sockaddr,
    namelen: socklen_t,
) -> c_int {
    let _ = (so, name, namelen);
    guard(-1, || unsupported(-1))
}

/// Starts an association to one of several addresses of the same peer.
#[no_mangle]
pub extern "C" fn usrsctp_connectx(
    so: *mut socket,
    addrs: *const sockaddr,
    addrcnt: c_int,
    id: *mut sctp_assoc_t,
) -> c_int {
    let _ = (so, addrs, addrcnt, id);
    guard(-1, || unsupported(-1))
}

/// Closes a socket, aborting or shutting down its associations as SO_LINGER says.
#[no_mangle]
pub extern "C" fn usrsctp_close(so: *mut socket) {
    let _ = so;
    guard((), || unsupported(()))
}

/// Returns the association id of the peer address `sa`, 0 when there is none.
#[no_mangle]
pub extern "C" fn usrsctp_getassocid(so: *mut socket, sa: *mut sockaddr) -> sctp_assoc_t {
    let _ = (so, sa);
    guard(0, || unsupported(0))
}

/// Shuts down reading, writing or both (`SHUT_RD`, `SHUT_WR`, `SHUT_RDWR`).
#[no_mangle]
pub extern "C" fn usrsctp_shutdown(so: *mut socket, how: c_int) -> c_int {
    let _ = (so, how);
    guard(-1, || unsupported(-1))
}

/// Hands the stack a packet received for the AF_CONN address `addr`.
#[no_mangle]
pub extern "C" fn usrsctp_conninput(
    addr: *mut c_void,
    buffer: *const c_void,
    length: size_t,
    ecn_bits: u8,
) {
    let _ = (addr, buffer, length, ecn_bits);
    guard((), || unsupported(()))
}

/// Makes a socket non-blocking (`onoff` != 0) or blocking.
#[no_mangle]
pub extern "C" fn usrsctp_set_non_blocking(so: *mut socket, onoff: c_int) -> c_int {
    let _ = (so, onoff);
    guard(-1, || unsupported(-1))
}

/// Returns 1 when a socket is non-blocking, 0 when blocking.
#[no_mangle]
pub extern "C" fn usrsctp_get_non_blocking(so: *mut socket) -> c_int {
    let _ = so;
    guard(-1, || unsupported(-1))
}

/// Registers an AF_CONN address: the opaque pointer that identifies a lower-layer connection.
#[no_mangle]
pub extern "C" fn usrsctp_register_address(addr: *mut c_void) {
    guard((), || stack::register_conn_address(addr as usize))
}

/// Forgets an AF_CONN address.
#[no_mangle]
pub extern "C" fn usrsctp_deregister_address(addr: *mut c_void) {
    guard((), || stack::deregister_conn_address(addr as usize))
}

/// Replaces the `ulp_info` pointer passed to a socket's callbacks.
#[no_mangle]
pub extern "C" fn usrsctp_set_ulpinfo(so: *mut socket, ulp_info: *mut c_void) -> c_int {
    let _ = (so, ulp_info);
    guard(-1, || unsupported(-1))
}

/// Reads a socket's `ulp_info` pointer.
#[no_mangle]
pub extern "C" fn usrsctp_get_ulpinfo(so: *mut socket, pulp_info: *mut *mut c_void) -> c_int {
    let _ = (so, pulp_info);
    guard(-1, || unsupported(-1))
}

/// Installs the function called when the socket's readiness changes.
#[no_mangle]
pub extern "C" fn usrsctp_set_upcall(
    so: *mut socket,
    upcall: Option<unsafe extern "C" fn(sock: *mut socket, arg: *mut c_void, events: c_int)>,
    arg: *mut c_void,
) -> c_int {
    let _ = (so, upcall, arg);
    guard(-1, || unsupported(-1))
}

/// Returns the socket's current readiness as `SCTP_EVENT_*` bits.
#[no_mangle]
pub extern "C" fn usrsctp_get_events(so: *mut socket) -> c_int {
    let _ = so;
    guard(-1, || unsupported(-1))
}
