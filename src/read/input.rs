//! Opening a source: the file or stdin, gzip by magic bytes, the first bytes for sniffing
//! (binary? which format?), and turning bytes into text (BOM, invalid UTF-8).

use super::{FieldMap, Format, ReadError, ReadEvent, SourceFile};
use flate2::read::MultiGzDecoder;
use std::io::{self, BufRead, BufReader, Cursor, Read};

/// How much of the start of a source is looked at to sniff binary data and the format.
pub(crate) const SNIFF_LEN: usize = 8 * 1024;

/// Files read whole (text, Markdown, HTML, JSON arrays) larger than this are skipped:
/// past this size the data is almost certainly not one article, and JSON should be
/// converted to JSON Lines, which is streamed.
pub(crate) const MAX_WHOLE_FILE: u64 = 1024 * 1024 * 1024;

/// What every format reader needs to know about the source it reads.
pub(crate) struct Ctx<'a> {
    pub file: &'a SourceFile,
    /// The path as messages show it.
    pub display: String,
    pub fields: &'a FieldMap,
    /// The data is gzip-compressed (errors midway are then most likely corrupt gzip).
    pub gz: bool,
    /// The first bytes use CRLF line ends.
    pub crlf: bool,
}

impl Ctx<'_> {
    pub fn file_error(&self, reason: impl Into<String>) -> ReadError {
        ReadError::file(self.display.clone(), reason)
    }

    pub fn record_error(&self, line: u64, reason: impl Into<String>) -> ReadError {
        ReadError::record(self.display.clone(), line, reason)
    }

    /// The sentence for an I/O error met while reading, `after` saying how far we got.
    pub fn io_error(&self, e: &io::Error, after: Option<u64>) -> ReadError {
        let rest = match after {
            Some(line) if line > 0 => format!("; lines after {line} were skipped"),
            _ => "; skipped".to_string(),
        };
        let reason = if self.gz && !matches!(e.kind(), io::ErrorKind::PermissionDenied) {
            format!("gzip data is corrupt or truncated ({e}){rest}")
        } else {
            format!("could not be read ({e}){rest}")
        };
        self.file_error(reason)
    }
}

/// An opened source, decompressed, with its first bytes already looked at.
pub(crate) struct Opened {
    pub reader: Box<dyn BufRead>,
    /// Up to [`SNIFF_LEN`] bytes of the (decompressed) start, also still in `reader`.
    pub head: Vec<u8>,
    /// The file name with any `.gz` removed, lower-cased, for the extension.
    pub inner_name: String,
    pub gz: bool,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Opens `file`, decompresses gzip (recognised by its magic bytes, whatever the name),
/// and refuses binary data. Errors are whole-file skips.
pub(crate) fn open(file: &SourceFile) -> Result<Opened, ReadError> {
    let display = file.display_path();
    let raw: Box<dyn Read> = if file.is_stdin() {
        Box::new(io::stdin().lock())
    } else {
        // Opening a folder succeeds on Unix, and reading it fails: that failure is
        // reported below, which spares a `stat` of every file.
        match std::fs::File::open(&file.path) {
            Ok(f) => Box::new(f),
            Err(e) => return Err(ReadError::file(display, open_reason(&e))),
        }
    };
    open_reader(file, raw)
}

/// [`open`] for an already opened byte stream (stdin, or a test's buffer).
pub(crate) fn open_reader(file: &SourceFile, raw: Box<dyn Read>) -> Result<Opened, ReadError> {
    let display = file.display_path();
    let (raw_head, raw) = peek(raw, SNIFF_LEN).map_err(|e| {
        let reason = if e.kind() == io::ErrorKind::IsADirectory {
            "is a folder, not a file; give the folder itself to read what is in it".to_string()
        } else {
            format!("could not be read ({e}); skipped")
        };
        ReadError::file(display.clone(), reason)
    })?;

    let name = file
        .path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let named_gz = name.ends_with(".gz");
    let gz = raw_head.starts_with(&GZIP_MAGIC);
    if named_gz && !gz {
        return Err(ReadError::file(
            display,
            "has a .gz name but is not gzip data; rename or recompress it",
        ));
    }
    let inner_name = if named_gz {
        name[..name.len() - 3].to_string()
    } else {
        name
    };

    let (head, reader): (Vec<u8>, Box<dyn Read>) = if gz {
        let decoder: Box<dyn Read> = Box::new(MultiGzDecoder::new(raw));
        peek(decoder, SNIFF_LEN).map_err(|e| {
            ReadError::file(
                display.clone(),
                format!("is not valid gzip data ({e}); skipped"),
            )
        })?
    } else {
        (raw_head, raw)
    };

    if head.is_empty() {
        return Err(ReadError::file(display, "is empty; skipped"));
    }
    if looks_binary(&head) {
        return Err(ReadError::file(display, "looks binary; skipped"));
    }
    Ok(Opened {
        reader: Box::new(BufReader::with_capacity(64 * 1024, reader)),
        head,
        inner_name,
        gz,
    })
}

/// Reads up to `n` bytes and gives them back together with a reader that still yields
/// them first, so sniffing never loses data (stdin cannot seek).
fn peek(mut r: Box<dyn Read>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read>)> {
    let mut head = Vec::with_capacity(n.min(SNIFF_LEN));
    (&mut r).take(n as u64).read_to_end(&mut head)?;
    if head.len() < n {
        // The whole input is in `head` (most articles are): reading on would only hear
        // the end of the file again, one more system call per file.
        return Ok((head.clone(), Box::new(Cursor::new(head))));
    }
    let again = Cursor::new(head.clone()).chain(r);
    Ok((head, Box::new(again)))
}

/// The sentence for a file that could not be opened.
pub(crate) fn open_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "does not exist; check the path".to_string(),
        io::ErrorKind::PermissionDenied => {
            "cannot be read (permission denied); check its permissions".to_string()
        }
        _ => format!("could not be opened ({e}); skipped"),
    }
}

/// NUL bytes do not occur in text in any 8-bit or UTF-8 encoding; this is git's and
/// ripgrep's test too.
fn looks_binary(head: &[u8]) -> bool {
    head.contains(&0)
}

/// The format to read `opened` as: the user's choice, else the extension, else a sniff.
pub(crate) fn resolve_format(chosen: Format, opened: &Opened) -> Format {
    if chosen != Format::Auto {
        return chosen;
    }
    let ext = std::path::Path::new(&opened.inner_name)
        .extension()
        .map(|e| e.to_string_lossy().to_string());
    ext.as_deref()
        .and_then(Format::from_extension)
        .unwrap_or_else(|| sniff(&opened.head))
}

/// What the start of a JSON-looking source says about its layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonShape {
    /// Starts with `[`.
    Array,
    /// A complete first line that is a JSON value, and more lines after it.
    Lines,
    /// Starts with `{` and the first line runs past the sniffed bytes: a long JSON Lines
    /// record or a large minified document.
    LongFirstLine,
    /// Starts with `{`: a pretty-printed document, or a file that is one line.
    Document,
    /// Does not start like JSON.
    NotJson,
}

pub(crate) fn json_shape(head: &[u8]) -> JsonShape {
    let rest = skip_bom_and_space(head);
    match rest.first() {
        Some(b'[') => JsonShape::Array,
        Some(b'{') => match rest.iter().position(|&b| b == b'\n') {
            None if head.len() >= SNIFF_LEN => JsonShape::LongFirstLine,
            None => JsonShape::Document,
            Some(end) => {
                let first = String::from_utf8_lossy(&rest[..end]);
                let more = rest[end..].iter().any(|b| !b.is_ascii_whitespace());
                if more && serde_json::from_str::<serde_json::Value>(&first).is_ok() {
                    JsonShape::Lines
                } else {
                    JsonShape::Document
                }
            }
        },
        _ => JsonShape::NotJson,
    }
}

fn skip_bom_and_space(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    &head[start..]
}

/// Guesses the format from the first bytes: `{` JSON Lines (or a JSON document when the
/// first line is not a whole record), `[` JSON, `<` HTML, `# ` Markdown, else text.
pub(crate) fn sniff(head: &[u8]) -> Format {
    match json_shape(head) {
        JsonShape::Array | JsonShape::Document => return Format::Json,
        JsonShape::Lines | JsonShape::LongFirstLine => return Format::Jsonl,
        JsonShape::NotJson => {}
    }
    let rest = skip_bom_and_space(head);
    match rest.first() {
        Some(b'<') => Format::Html,
        Some(b'#') if rest.starts_with(b"# ") || rest.starts_with(b"## ") => Format::Markdown,
        _ => Format::Text,
    }
}

/// Reads the rest of a source into a string: refuses files over [`MAX_WHOLE_FILE`] and
/// whitespace-only files, decodes invalid UTF-8 lossily with a warning, strips a BOM.
pub(crate) fn read_whole(
    ctx: &Ctx<'_>,
    reader: Box<dyn BufRead>,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_WHOLE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ctx.io_error(&e, None))?;
    if bytes.len() as u64 > MAX_WHOLE_FILE {
        return Err(ctx.file_error(
            "is larger than 1 GiB, too big to read as one document; split it (JSON Lines is read line by line)",
        ));
    }
    let text = decode(bytes, |line| {
        on_event(ReadEvent::Warning(ctx.file_error(format!(
            "is not valid UTF-8 (first bad byte on line {line}); decoded with replacement characters"
        ))))
    });
    if text.trim().is_empty() {
        return Err(ctx.file_error("is empty; skipped"));
    }
    Ok(text)
}

/// Bytes to text: valid UTF-8 as is, otherwise lossily, calling `on_invalid` with the
/// 1-based line of the first bad byte. A leading BOM is removed.
pub(crate) fn decode(bytes: Vec<u8>, on_invalid: impl FnOnce(u64)) -> String {
    let mut text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let bad = std::str::from_utf8(&bytes)
                .err()
                .map(|u| u.valid_up_to())
                .unwrap_or(0);
            let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            on_invalid(line);
            String::from_utf8_lossy(&bytes).into_owned()
        }
    };
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(bytes).expect("gzip in memory");
        enc.finish().expect("gzip in memory")
    }

    // The folder is found by the failed read, not by a `stat` of every file.
    #[test]
    fn a_folder_opened_as_a_file_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        let source = SourceFile {
            path: dir.path().to_path_buf(),
            rel: "news".into(),
            len: 0,
        };
        let Err(err) = open(&source) else {
            panic!("a folder was read as a file");
        };
        assert!(
            err.to_string()
                .ends_with("is a folder, not a file; give the folder itself to read what is in it"),
            "{err}"
        );
    }

    // Inputs shorter than the sniffed head are not read again; longer ones go on after it.
    #[test]
    fn the_head_is_read_once_and_the_rest_follows_it() {
        for len in [
            0,
            10,
            SNIFF_LEN - 1,
            SNIFF_LEN,
            SNIFF_LEN + 1,
            3 * SNIFF_LEN,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            let (head, mut rest) =
                peek(Box::new(Cursor::new(bytes.clone())), SNIFF_LEN).expect("peek in memory");
            assert_eq!(head, bytes[..len.min(SNIFF_LEN)]);
            let mut all = Vec::new();
            rest.read_to_end(&mut all).expect("read in memory");
            assert_eq!(all, bytes, "{len} bytes");
        }
    }

    #[test]
    fn binary_file_is_skipped() {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[0, 0, 1, 2, 3, 0, 0xff]);
        let out = read_bytes("photo.txt", &bytes);
        assert!(out.articles.is_empty());
        let err = out.err();
        assert!(err.ends_with("photo.txt: looks binary; skipped"), "{err}");
    }

    #[test]
    fn empty_file_is_skipped() {
        let out = read_bytes("empty.txt", b"");
        assert!(out.err().ends_with("empty.txt: is empty; skipped"));
    }

    #[test]
    fn whitespace_only_file_is_skipped_as_empty() {
        let out = read_bytes("blank.md", b"  \n\r\n\t\n");
        assert!(out.err().ends_with("blank.md: is empty; skipped"));
        let out = read_bytes("blank.jsonl", b"\n\n  \n");
        assert!(out.err().ends_with("blank.jsonl: is empty; skipped"));
    }

    #[test]
    fn invalid_utf8_is_decoded_with_warning() {
        let out = read_bytes(
            "latin1.txt",
            b"Caf\xe9 owners protest\n\nThe caf\xe9 on the corner closed on Monday.\n",
        );
        assert_eq!(out.articles.len(), 1);
        let a = &out.articles[0];
        assert_eq!(a.title.as_deref(), Some("Caf\u{FFFD} owners protest"));
        assert_eq!(out.warnings.len(), 1);
        let w = out.warnings[0].to_string();
        assert!(w.contains("latin1.txt: is not valid UTF-8"), "{w}");
        assert!(w.contains("line 1"), "{w}");
    }

    #[test]
    fn missing_file_names_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = read_path(
            &dir.path().join("gone.txt"),
            "gone.txt",
            &Default::default(),
        );
        assert!(
            out.err()
                .ends_with("gone.txt: does not exist; check the path")
        );
    }

    #[cfg(unix)]
    #[test]
    fn permission_denied_is_skipped_naming_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("secret.txt");
        std::fs::write(&path, "Title\n\nBody text here.\n").expect("write");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        if std::fs::File::open(&path).is_ok() {
            return; // running as root: permissions are not enforced
        }
        let out = read_path(&path, "secret.txt", &Default::default());
        let err = out.err();
        assert!(
            err.contains("secret.txt: cannot be read (permission denied)"),
            "{err}"
        );
    }

    #[test]
    fn gzipped_text_reads_like_plain() {
        let text = "Harbour reopens\n\nThe harbour reopened on Tuesday after repairs.\n";
        let plain = one_article("story.txt", text);
        let gz = read_bytes("story.txt.gz", &gzip(text.as_bytes()));
        assert_eq!(gz.articles.len(), 1);
        assert_eq!(gz.articles[0].title, plain.title);
        assert_eq!(gz.articles[0].body, plain.body);
    }

    #[test]
    fn corrupt_gzip_is_skipped_with_message() {
        let mut bytes = gzip(b"Some article text that will be cut short by the corruption.");
        let n = bytes.len();
        for b in &mut bytes[10..n - 4] {
            *b = 0x5a;
        }
        let out = read_bytes("broken.txt.gz", &bytes);
        let err = out.err();
        assert!(
            err.contains("broken.txt.gz:") && err.contains("gzip"),
            "{err}"
        );
    }

    #[test]
    fn gz_name_without_gzip_data_is_skipped() {
        let out = read_bytes("plain.txt.gz", b"Not compressed at all\n\nReally.\n");
        assert!(out.err().contains("is not gzip data"));
    }

    #[test]
    fn bom_is_stripped() {
        let a = one_article(
            "bom.txt",
            "\u{FEFF}Bridge closes\n\nThe old bridge closed today.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Bridge closes"));
    }

    #[test]
    fn sniff_picks_formats_by_first_character() {
        assert_eq!(sniff(b"  {\"a\": 1}\n{\"a\": 2}\n"), Format::Jsonl);
        assert_eq!(sniff(b"{\n  \"articles\": []\n}"), Format::Json);
        assert_eq!(sniff(b"{\"articles\": []}\n"), Format::Json);
        let long = format!("{{\"body\": \"{}\"}}\n", "x".repeat(SNIFF_LEN));
        assert_eq!(sniff(&long.as_bytes()[..SNIFF_LEN]), Format::Jsonl);
        assert_eq!(sniff(b"[{}]"), Format::Json);
        assert_eq!(sniff(b"\xEF\xBB\xBF<!doctype html>"), Format::Html);
        assert_eq!(sniff(b"# Heading\n\ntext"), Format::Markdown);
        assert_eq!(sniff(b"Plain title\n\ntext"), Format::Text);
    }
}
