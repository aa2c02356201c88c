//! Gives the shared library its SONAME and puts the `libusrsctp.so.2` name next to it.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" || target_os == "android" || target_os.ends_with("bsd") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libusrsctp.so.2");
        // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out: the library lands in <profile>.
        if let Some(profile_dir) = std::env::var_os("OUT_DIR")
            .map(PathBuf::from)
            .and_then(|out| out.ancestors().nth(3).map(PathBuf::from))
        {
            link_soname(&profile_dir);
        }
    }
}

#[cfg(unix)]
fn link_soname(dir: &std::path::Path) {
    let link = dir.join("libusrsctp.so.2");
    if std::fs::symlink_metadata(&link).is_err() {
        let _ = std::os::unix::fs::symlink("libusrsctp.so", &link);
    }
}

#[cfg(not(unix))]
fn link_soname(_dir: &std::path::Path) {}
