//! Sources → articles.
//!
//! INTERFACE (to be implemented by the readers work):
//! - `discover(paths, on_error) -> Vec<SourceFile>` walks files and folders.
//! - `read_source(&SourceFile, &ReadOptions, on_event)` streams articles, warnings, skips.

use crate::model::Article;
use std::path::PathBuf;

/// Input format; `Auto` picks by extension.
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

/// Field-name overrides for JSON and CSV records.
#[derive(Debug, Clone, Default)]
pub struct FieldMap {
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: Format,
    pub fields: FieldMap,
}

/// One input to read: a file found under a root, or standard input (`path == "-"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: PathBuf,
    /// Path relative to the root it was found under (the article id for one-article files).
    pub rel: String,
    /// Size in bytes (0 for stdin), for progress.
    pub len: u64,
}

/// A problem with one file or record; the run goes on.
#[derive(Debug, thiserror::Error)]
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

/// Finds the files to read under `paths`.
pub fn discover(paths: &[PathBuf], on_error: &mut dyn FnMut(ReadError)) -> Vec<SourceFile> {
    let _ = on_error;
    paths
        .iter()
        .map(|p| SourceFile {
            path: p.clone(),
            rel: p.display().to_string(),
            len: 0,
        })
        .collect()
}

/// What reading a source yields, one at a time.
#[derive(Debug)]
pub enum ReadEvent {
    /// An article to index.
    Article(Article),
    /// Something was off but the data was kept (e.g. invalid UTF-8 decoded lossily).
    Warning(ReadError),
    /// A record (or the whole file) was skipped.
    Skipped(ReadError),
}

/// Reads one source, calling `on_event` for each article, warning or skipped record.
/// An `Err` means the whole source could not be read (counts as one skipped file).
pub fn read_source(
    file: &SourceFile,
    opts: &ReadOptions,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let _ = opts;
    let body = std::fs::read_to_string(&file.path).map_err(|e| ReadError::File {
        path: file.path.display().to_string(),
        reason: e.to_string(),
    })?;
    on_event(ReadEvent::Article(Article {
        id: file.rel.clone(),
        source: file.rel.clone(),
        body,
        ..Default::default()
    }));
    Ok(())
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "auto" => Format::Auto,
            "text" | "txt" => Format::Text,
            "markdown" | "md" => Format::Markdown,
            "jsonl" | "ndjson" => Format::Jsonl,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "tsv" => Format::Tsv,
            "html" | "htm" => Format::Html,
            other => {
                return Err(format!(
                    "unknown format '{other}'; use auto, text, markdown, jsonl, json, csv, tsv or html"
                ));
            }
        })
    }
}
