//! JSON output: one document per search, one line per paragraph for `extract`.

use super::{FacetListing, ParagraphRecord, Printer, Stats};
use crate::index::IndexSummary;
use crate::search::{Hit, SearchResults};
use serde::Serialize;
use std::io::{self, Write};

/// Writes JSON to any writer (stdout in the binary, a buffer in tests).
pub struct JsonPrinter<W: Write> {
    out: W,
}

impl<W: Write> JsonPrinter<W> {
    pub fn new(out: W) -> Self {
        JsonPrinter { out }
    }

    fn line<T: Serialize>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }
}

#[derive(Serialize)]
struct ArticleJson<'a> {
    article_id: &'a str,
    title: Option<&'a str>,
    source: Option<&'a str>,
    date: Option<&'a str>,
    paragraphs: &'a [Hit],
}

impl<W: Write> Printer for JsonPrinter<W> {
    fn search(&mut self, results: &SearchResults) -> io::Result<()> {
        self.line(results)
    }

    fn paragraph(&mut self, record: &ParagraphRecord) -> io::Result<()> {
        self.line(record)
    }

    fn article(&mut self, id: &str, paragraphs: &[Hit]) -> io::Result<()> {
        let first = paragraphs.first();
        self.line(&ArticleJson {
            article_id: id,
            title: first.and_then(|h| h.title.as_deref()),
            source: first.map(|h| h.source.as_str()),
            date: first.and_then(|h| h.date.as_deref()),
            paragraphs,
        })
    }

    fn facet_listing(&mut self, listing: &FacetListing) -> io::Result<()> {
        self.line(listing)
    }

    fn stats(&mut self, stats: &Stats) -> io::Result<()> {
        self.line(stats)
    }

    fn index_summary(&mut self, summary: &IndexSummary) -> io::Result<()> {
        self.line(summary)
    }
}
