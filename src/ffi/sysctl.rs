//! `usrsctp_sysctl_set_*`, `usrsctp_sysctl_get_*` and `usrsctp_tunable_set_*`, generated from
//! the settings table of [`crate::stack::sysctl`].
//!
//! Setters return 0, or -1 with `errno` EINVAL for a value outside the range (the setting stays
//! as it was). Getters return the current value.

use core::ffi::c_int;

use super::boundary::{guard, set_errno};
use crate::stack::sysctl::{with_settings, Setting};

fn set(setting: Setting, value: u32) -> c_int {
    guard(-1, || match setting.set(value) {
        Ok(()) => 0,
        Err(_) => {
            set_errno(libc::EINVAL);
            -1
        }
    })
}

fn get(setting: Setting) -> u32 {
    guard(0, || setting.get())
}

macro_rules! define_c_functions {
    ($($kind:ident $name:ident = $default:expr, $min:literal..=$max:expr;)*) => {
        $(define_c_functions!(@one $kind $name);)*
    };
    (@one Tunable $name:ident) => {
        define_c_functions!(@pair "usrsctp_tunable_set_", $name);
    };
    (@one $kind:ident $name:ident) => {
        define_c_functions!(@pair "usrsctp_sysctl_set_", $name);
    };
    // The getter is `usrsctp_sysctl_get_X` for tunables too.
    (@pair $setter:literal, $name:ident) => {
        #[allow(non_snake_case)]
        mod $name {
            use super::*;
            #[export_name = concat!($setter, stringify!($name))]
            pub extern "C" fn set_value(value: u32) -> c_int {
                set(Setting::$name, value)
            }
            #[export_name = concat!("usrsctp_sysctl_get_", stringify!($name))]
            pub extern "C" fn get_value() -> u32 {
                get(Setting::$name)
            }
        }
    };
}

with_settings!(define_c_functions);

/// The C declarations of these functions, for the generated header: cbindgen does not expand
/// macros, so the header generator appends these lines, written the way the original header
/// declares them.
pub fn c_declarations() -> String {
    use crate::stack::sysctl::{Kind, TABLE};
    let mut out = String::new();
    out.push_str("#define USRSCTP_TUNABLE_DECL(__field) \\\n");
    out.push_str("int usrsctp_tunable_set_ ## __field(uint32_t value); \\\n");
    out.push_str("uint32_t usrsctp_sysctl_get_ ## __field(void);\n\n");
    for spec in TABLE.iter().filter(|s| s.kind == Kind::Tunable) {
        out.push_str(&format!("USRSCTP_TUNABLE_DECL({})\n", spec.name));
    }
    out.push_str("\n#define USRSCTP_SYSCTL_DECL(__field) \\\n");
    out.push_str("int usrsctp_sysctl_set_ ## __field(uint32_t value); \\\n");
    out.push_str("uint32_t usrsctp_sysctl_get_ ## __field(void);\n\n");
    for spec in TABLE.iter().filter(|s| s.kind == Kind::Sysctl) {
        out.push_str(&format!("USRSCTP_SYSCTL_DECL({})\n", spec.name));
    }
    out.push_str("\n#ifdef SCTP_DEBUG\n");
    for spec in TABLE.iter().filter(|s| s.kind == Kind::Debug) {
        out.push_str(&format!("USRSCTP_SYSCTL_DECL({})\n", spec.name));
    }
    out.push_str("#define SCTP_DEBUG_NONE 0x00000000\n#define SCTP_DEBUG_ALL 0xffffffff\n#endif\n");
    out.push_str("#undef USRSCTP_SYSCTL_DECL\n");
    out
}
