//! The C boundary: every `extern "C"` function and `#[repr(C)]` type of the libusrsctp ABI.
