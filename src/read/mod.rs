//! Sources → articles.
//!
//! [`discover`] turns the paths a user gave (files, folders, `-`) into a sorted list of
//! [`SourceFile`]s; [`read_source`] reads one of them and streams [`ReadEvent`]s: articles,
//! warnings (data kept, something was off) and skipped records. One file per format:
//! `text` (plain text and Markdown), `json` (JSON Lines and JSON arrays), `delimited`
//! (CSV/TSV), `html`; `input` handles opening, gzip, binary sniffing and decoding, and
//! `record` maps JSON/CSV fields to an [`Article`].
//!
//! Every body is normalised the same way ([`normalize_body`]): LF line endings, no BOM,
//! paragraphs separated by exactly one blank line, headings as `## Heading` lines of their
//! own. Lines are never joined here; that is the splitter's job.

mod date;
mod delimited;
mod discover;
mod html;
mod input;
mod json;
mod normalize;
mod record;
mod text;

pub use date::{INDEXABLE_SECS, parse_date};
pub use discover::{count_files, discover, discover_each};
pub use normalize::normalize_body;

use crate::model::Article;
use std::path::PathBuf;

/// Input format; `Auto` picks by extension (the one under `.gz`), and sniffs the content of
/// files without a known extension and of standard input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Text,
    Markdown,
    Jsonl,
    Json,
    Csv,
    Tsv,
    Html,
}

impl Format {
    /// The canonical name, as accepted by [`str::parse`].
    pub fn name(self) -> &'static str {
        match self {
            Format::Auto => "auto",
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Jsonl => "jsonl",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Html => "html",
        }
    }

    /// The format a file extension (without the dot, any case) stands for, if any.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "tsv" => Some(Format::Tsv),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            _ => None,
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a `--format` value that names no format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown format \"{0}\"; use one of auto, text (txt), markdown (md), jsonl (ndjson), json, csv, tsv, html"
)]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Format::Auto),
            "text" | "txt" | "plain" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "jsonl" | "ndjson" | "jsonlines" => Ok(Format::Jsonl),
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            "tsv" => Ok(Format::Tsv),
            "html" | "htm" => Ok(Format::Html),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

/// Field-name overrides for JSON and CSV records. Names match case-insensitively; for
/// JSON a dotted name (`meta.title`) reaches into nested objects.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
}

/// How to read sources: the format (or `Auto`) and any field-name overrides.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: Format,
    pub fields: FieldMap,
}

/// One input to read: a file found under a root, or standard input (`path == "-"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the root it was found under, prefixed with the root folder's name
    /// (`bbc/politics/x.txt`), or the bare file name for a file given directly, or `-`.
    /// It is the article id of one-article files and the prefix of record sources.
    pub rel: String,
    /// Size in bytes (0 for stdin), for progress.
    pub len: u64,
}

impl SourceFile {
    /// The standard-input source, `-`.
    pub fn stdin() -> SourceFile {
        SourceFile {
            path: PathBuf::from("-"),
            rel: "-".to_string(),
            len: 0,
        }
    }

    /// Whether this source is standard input.
    pub fn is_stdin(&self) -> bool {
        self.path.as_os_str() == "-"
    }

    /// How messages name this source: the path as the user can open it.
    pub fn display_path(&self) -> String {
        if self.is_stdin() {
            "standard input".to_string()
        } else {
            self.path.display().to_string()
        }
    }
}

/// A problem with one file or record; the run goes on. `Display` is one plain sentence
/// naming the file (and line) and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: {reason}")]
    File { path: String, reason: String },
    #[error("{path}, line {line}: {reason}")]
    Record {
        path: String,
        line: u64,
        reason: String,
    },
}

impl ReadError {
    pub(crate) fn file(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ReadError::File {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn record(path: impl Into<String>, line: u64, reason: impl Into<String>) -> Self {
        ReadError::Record {
            path: path.into(),
            line,
            reason: reason.into(),
        }
    }

    /// The file the problem is in, as shown to the user.
    pub fn path(&self) -> &str {
        match self {
            ReadError::File { path, .. } | ReadError::Record { path, .. } => path,
        }
    }

    /// The 1-based line of the record, for record-level problems.
    pub fn line(&self) -> Option<u64> {
        match self {
            ReadError::File { .. } => None,
            ReadError::Record { line, .. } => Some(*line),
        }
    }

    /// What went wrong and what to do, without the location.
    pub fn reason(&self) -> &str {
        match self {
            ReadError::File { reason, .. } | ReadError::Record { reason, .. } => reason,
        }
    }
}

/// What reading a source yields, one at a time.
#[derive(Debug)]
pub enum ReadEvent {
    /// An article to index.
    Article(Article),
    /// Something was off but the data was kept (e.g. invalid UTF-8 decoded lossily).
    Warning(ReadError),
    /// One record was skipped (a broken JSON line, a CSV row with the wrong number of
    /// fields, a record without a body); the rest of the file is still read.
    Skipped(ReadError),
}

/// Reads one source, calling `on_event` for each article, warning or skipped record.
///
/// An `Err` means the whole source was skipped and counts as one skipped file: it could
/// not be opened, looks binary, is empty, is corrupt gzip, is not valid JSON as a whole…
/// For streamed formats (JSON Lines, CSV) an `Err` can also come after some articles were
/// already delivered, when the file breaks off midway (truncated gzip, I/O error); the
/// message then says from which line on it was skipped.
pub fn read_source(
    file: &SourceFile,
    opts: &ReadOptions,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    read_opened(file, input::open(file)?, opts, on_event)
}

fn read_opened(
    file: &SourceFile,
    opened: input::Opened,
    opts: &ReadOptions,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let format = match (
        input::resolve_format(opts.format, &opened),
        input::json_shape(&opened.head),
    ) {
        // JSON Lines saved as .json and JSON arrays saved as .jsonl are common; the first
        // bytes settle which one it really is.
        (Format::Json, input::JsonShape::Lines) => Format::Jsonl,
        (Format::Jsonl, input::JsonShape::Array) => Format::Json,
        (f, _) => f,
    };
    let ctx = input::Ctx {
        file,
        display: file.display_path(),
        fields: &opts.fields,
        gz: opened.gz,
        crlf: opened.head.windows(2).any(|w| w == b"\r\n"),
    };
    match format {
        Format::Jsonl => json::read_jsonl(&ctx, opened.reader, on_event),
        Format::Csv => delimited::read(&ctx, opened.reader, b',', on_event),
        Format::Tsv => delimited::read(&ctx, opened.reader, b'\t', on_event),
        Format::Json | Format::Text | Format::Markdown | Format::Html | Format::Auto => {
            let text = input::read_whole(&ctx, opened.reader, on_event)?;
            match format {
                Format::Json => json::read_json(&ctx, &text, on_event),
                Format::Html => html::read(&ctx, &text, on_event),
                Format::Markdown => text::read_markdown(&ctx, &text, on_event),
                _ => text::read_text(&ctx, &text, on_event),
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    //! Helpers shared by the readers' unit tests.
    use super::*;
    use std::path::Path;

    /// Everything one `read_source` call produced.
    #[derive(Debug, Default)]
    pub struct Outcome {
        pub articles: Vec<Article>,
        pub warnings: Vec<ReadError>,
        pub skipped: Vec<ReadError>,
        pub result: Option<Result<(), ReadError>>,
    }

    impl Outcome {
        pub fn err(&self) -> String {
            match &self.result {
                Some(Err(e)) => e.to_string(),
                other => panic!("expected the file to be skipped, got {other:?}"),
            }
        }
    }

    pub fn read_path(path: &Path, rel: &str, opts: &ReadOptions) -> Outcome {
        let file = SourceFile {
            path: path.to_path_buf(),
            rel: rel.to_string(),
            len: 0,
        };
        let mut out = Outcome::default();
        let result = read_source(&file, opts, &mut |ev| match ev {
            ReadEvent::Article(a) => out.articles.push(a),
            ReadEvent::Warning(w) => out.warnings.push(w),
            ReadEvent::Skipped(s) => out.skipped.push(s),
        });
        out.result = Some(result);
        out
    }

    /// Reads `bytes` as if they came from standard input.
    pub fn read_stdin(bytes: &[u8], opts: &ReadOptions) -> Outcome {
        let file = SourceFile::stdin();
        let mut out = Outcome::default();
        let reader: Box<dyn std::io::Read> = Box::new(std::io::Cursor::new(bytes.to_vec()));
        let result = input::open_reader(&file, reader).and_then(|opened| {
            read_opened(&file, opened, opts, &mut |ev| match ev {
                ReadEvent::Article(a) => out.articles.push(a),
                ReadEvent::Warning(w) => out.warnings.push(w),
                ReadEvent::Skipped(s) => out.skipped.push(s),
            })
        });
        out.result = Some(result);
        out
    }

    /// Writes `bytes` to `name` in a fresh temp dir and reads it with `opts`.
    pub fn read_bytes_with(name: &str, bytes: &[u8], opts: &ReadOptions) -> Outcome {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        read_path(&path, name, opts)
    }

    pub fn read_bytes(name: &str, bytes: &[u8]) -> Outcome {
        read_bytes_with(name, bytes, &ReadOptions::default())
    }

    /// Reads a file and insists on exactly one article and no complaints.
    pub fn one_article(name: &str, content: &str) -> Article {
        let mut out = read_bytes(name, content.as_bytes());
        assert!(
            matches!(out.result, Some(Ok(()))),
            "unexpected {:?}",
            out.result
        );
        assert!(out.warnings.is_empty(), "warnings: {:?}", out.warnings);
        assert!(out.skipped.is_empty(), "skipped: {:?}", out.skipped);
        assert_eq!(out.articles.len(), 1, "articles: {:?}", out.articles);
        out.articles.remove(0)
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::read_stdin;
    use super::*;

    #[test]
    fn format_names_parse_with_aliases() {
        assert_eq!("txt".parse::<Format>(), Ok(Format::Text));
        assert_eq!("MD".parse::<Format>(), Ok(Format::Markdown));
        assert_eq!("ndjson".parse::<Format>(), Ok(Format::Jsonl));
        assert_eq!("htm".parse::<Format>(), Ok(Format::Html));
        for f in [
            Format::Auto,
            Format::Text,
            Format::Markdown,
            Format::Jsonl,
            Format::Json,
            Format::Csv,
            Format::Tsv,
            Format::Html,
        ] {
            assert_eq!(f.name().parse::<Format>(), Ok(f));
        }
    }

    #[test]
    fn unknown_format_error_lists_the_choices() {
        let err = "xml".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("\"xml\""), "{err}");
        assert!(err.contains("jsonl") && err.contains("html"), "{err}");
    }

    #[test]
    fn stdin_is_sniffed_when_format_is_auto() {
        let auto = ReadOptions::default();
        let out = read_stdin(b"Ferry resumes\n\nThe ferry sailed again.\n", &auto);
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "-");
        assert_eq!(out.articles[0].title.as_deref(), Some("Ferry resumes"));

        let out = read_stdin(b"{\"body\": \"One.\"}\n{\"body\": \"Two.\"}\n", &auto);
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[1].id, "-#2");
        assert_eq!(out.articles[1].source, "-:2");

        let out = read_stdin(b"[{\"body\": \"One.\"}]", &auto);
        assert_eq!(out.articles.len(), 1);

        let out = read_stdin(b"<html><body><p>Paragraph.</p></body></html>", &auto);
        assert_eq!(out.articles[0].body, "Paragraph.");
    }

    #[test]
    fn stdin_with_explicit_format_and_gzip() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut enc, b"title,body\nA,Alpha text.\n").expect("gzip");
        let gz = enc.finish().expect("gzip");
        let csv = ReadOptions {
            format: Format::Csv,
            ..Default::default()
        };
        let out = read_stdin(&gz, &csv);
        assert_eq!(out.articles.len(), 1, "{out:?}");
        assert_eq!(out.articles[0].title.as_deref(), Some("A"));
    }

    #[test]
    fn stdin_errors_say_standard_input() {
        let out = read_stdin(b"", &ReadOptions::default());
        assert_eq!(out.err(), "standard input: is empty; skipped");
    }

    #[test]
    fn record_error_names_file_and_line() {
        let e = ReadError::record(
            "notes/x.jsonl",
            12,
            "not valid JSON; fix or remove the line",
        );
        assert_eq!(
            e.to_string(),
            "notes/x.jsonl, line 12: not valid JSON; fix or remove the line"
        );
        assert_eq!(e.line(), Some(12));
        assert_eq!(e.path(), "notes/x.jsonl");
    }
}
