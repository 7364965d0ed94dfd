//! Mutations of the seed inputs in `fuzz/corpus/`, for the fuzz tests of the crates that read
//! what users send (each includes this file by path). proptest draws the edits and, on a
//! failure, shrinks them to the fewest that still break the parser.

#![allow(dead_code)]

use proptest::prelude::*;

/// The seeds of one folder of the corpus, by file name.
pub fn seeds(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(kind);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {}: {e}", dir.display()))
        .map(|f| {
            let path = f.expect("a corpus file").path();
            (path.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&path).expect("a corpus file"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "the corpus {} is empty", dir.display());
    out
}

/// The cases each fuzz test runs: `FUZZ_CASES`, else 200.
pub fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(200)
}

/// One edit of an input; positions are taken modulo its length.
#[derive(Debug, Clone)]
pub enum Edit {
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize, usize),
    Repeat(usize, usize),
}

/// Bytes that mean something to the formats read here.
const SYNTAX: &[u8] = b"\",;\n\r\t=[]{}:'\\#.-+@ \x00\xff\xc3\xa0";

pub fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let edit = prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Flip(p, b)),
        (any::<usize>(), prop::sample::select(SYNTAX)).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Edit::Remove(p, n)),
        (any::<usize>(), 1usize..256).prop_map(|(p, n)| Edit::Repeat(p, n)),
    ];
    prop::collection::vec(edit, 0..12)
}

/// The seed with the edits made, in order.
pub fn apply(seed: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for e in edits {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % len };
        match *e {
            Edit::Flip(p, b) if !out.is_empty() => {
                let i = at(p, out.len());
                out[i] ^= b;
            }
            Edit::Flip(..) => {}
            Edit::Insert(p, b) => {
                let i = at(p, out.len() + 1);
                out.insert(i, b);
            }
            Edit::Remove(p, n) => {
                let i = at(p, out.len());
                let end = (i + n).min(out.len());
                out.drain(i..end);
            }
            Edit::Repeat(p, n) => {
                let i = at(p, out.len());
                let end = (i + n).min(out.len());
                let piece = out[i..end].to_vec();
                out.splice(end..end, piece.iter().copied().chain(piece.iter().copied()));
            }
        }
    }
    out
}
