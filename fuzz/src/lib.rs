//! Helpers shared by the fuzz targets: reading fuzz bytes as a source file, and the
//! invariants every reader's output must hold.

use newsdex::read::{Format, ReadEvent, ReadOptions, SourceFile, normalize_body, read_source};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A folder for the one file each run writes; on tmpfs when there is one, so that a
/// million runs do not wear a disk.
fn scratch() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let builder = tempfile::Builder::new()
            .prefix("newsdex-fuzz-")
            .tempdir_in(shm);
        builder
            .or_else(|_| tempfile::tempdir())
            .expect("a temp dir")
    })
}

/// What one read produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub articles: Vec<newsdex::Article>,
    pub warnings: usize,
    pub skipped: usize,
    pub ok: bool,
}

/// Writes `bytes` to a file called `name` and reads it with `format`; `read_source` only
/// reads from paths (or stdin), so the file is the way in.
pub fn read_as(name: &str, bytes: &[u8], format: Format) -> Outcome {
    let path: PathBuf = scratch().path().join(name);
    std::fs::write(&path, bytes).expect("write the fuzz input");
    let file = SourceFile {
        path: path.clone(),
        rel: name.to_string(),
        len: bytes.len() as u64,
    };
    let opts = ReadOptions {
        format,
        ..ReadOptions::default()
    };
    let mut out = Outcome::default();
    let result = read_source(&file, &opts, &mut |ev| match ev {
        ReadEvent::Article(a) => out.articles.push(a),
        ReadEvent::Warning(_) => out.warnings += 1,
        ReadEvent::Skipped(e) => {
            // Every message names the file it is about.
            assert!(!e.path().is_empty(), "skip without a path: {e:?}");
            out.skipped += 1
        }
    });
    let _ = std::fs::remove_file(&path);
    out.ok = result.is_ok();
    check_articles(&out.articles);
    out
}

/// The contract of every reader (src/read/mod.rs): articles have an id and a non-empty
/// body, normalised the one way `normalize_body` does it.
pub fn check_articles(articles: &[newsdex::Article]) {
    for a in articles {
        assert!(!a.id.is_empty(), "article without an id: {a:?}");
        assert!(
            !a.body.trim().is_empty(),
            "article with an empty body: {a:?}"
        );
        assert_eq!(
            normalize_body(&a.body),
            a.body,
            "body is not normalised: {a:?}"
        );
    }
}

/// Splits off the first byte of an input as flags choosing how the rest is used (0 for
/// an empty input).
pub fn flags(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    }
}

/// Reads `data` once under each name in `names` (picked by the flags' low bits) and with
/// the format either fixed or left to the extension and sniffing (bit 7).
pub fn read_family(data: &[u8], family: &[(&str, Format)]) {
    let (f, rest) = flags(data);
    let (name, format) = family[f as usize % family.len()];
    let format = if f & 0x80 != 0 { Format::Auto } else { format };
    read_as(name, rest, format);
}
