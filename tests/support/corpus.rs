//! The hostile-input corpus of `../shared/corpus/` (see its README): reading its files.

use std::fs;
use std::path::{Path, PathBuf};

/// Where the corpus folders are.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/usrsctp-fuzz")
}

pub fn files(folder: &str) -> Option<Vec<(String, Vec<u8>)>> {
    let dir = corpus_dir().join(folder);
    if !dir.is_dir() {
        println!("corpus not found at {}: skipped", dir.display());
        return None;
    }
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    Some(out)
}

/// The chunk TLVs of `bytes`, each with its padding (the last one as far as the bytes go).
pub fn split_chunks(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while bytes.len() >= 4 {
        let len = usize::from(u16::from_be_bytes([bytes[2], bytes[3]]));
        if len < 4 {
            out.push(bytes);
            break;
        }
        let end = len.next_multiple_of(4).min(bytes.len());
        out.push(&bytes[..end]);
        bytes = &bytes[end..];
    }
    out
}

/// `xxd` output (one file of CORPUS_LISTEN is a hex dump, not the packet): the bytes it shows.
pub fn undump(bytes: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(bytes).ok()?;
    if !text.starts_with("00000000: ") {
        return None;
    }
    let mut out = Vec::new();
    for line in text.lines() {
        let hex = line.split_once(": ")?.1;
        // The hex columns end where two spaces start the ASCII column.
        let hex = hex.split("  ").next()?;
        for group in hex.split_whitespace() {
            for i in (0..group.len()).step_by(2) {
                out.push(u8::from_str_radix(group.get(i..i + 2)?, 16).ok()?);
            }
        }
    }
    Some(out)
}
