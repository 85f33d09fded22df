//! Printers: the only code that writes results to stdout.
//!
//! One [`Printer`] trait, two implementations: [`terminal::TerminalPrinter`] (colour,
//! layout; colour decisions made by `anstream`, so `--color`, `NO_COLOR` and pipes are
//! handled in one place) and [`json::JsonPrinter`] (stable machine formats).

pub mod json;
pub mod progress;
pub mod terminal;

use crate::entities::Entities;
use crate::index::IndexSummary;
use crate::model::{Article, Paragraph, ParagraphKind};
use crate::search::{CountryRef, Facets, Hit, SearchResults};
use serde::Serialize;
use std::io;

/// One line of `newsdex extract --json`: a paragraph and its entities.
/// Other tools consume this format; keep it stable.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphRecord<'a> {
    pub article_id: &'a str,
    pub source: &'a str,
    pub title: Option<&'a str>,
    pub para: u32,
    pub kind: ParagraphKind,
    pub text: &'a str,
    pub persons: &'a [String],
    pub countries: Vec<CountryRef>,
    pub orgs: &'a [String],
}

impl<'a> ParagraphRecord<'a> {
    pub fn new(article: &'a Article, p: &'a Paragraph, e: &'a Entities) -> Self {
        ParagraphRecord {
            article_id: &article.id,
            source: &article.source,
            title: article.title.as_deref(),
            para: p.para,
            kind: p.kind,
            text: &p.text,
            persons: &e.persons,
            countries: e
                .countries
                .iter()
                .map(|c| CountryRef {
                    code: c.code.to_string(),
                    name: c.name.to_string(),
                })
                .collect(),
            orgs: &e.orgs,
        }
    }
}

/// Index-wide figures for `newsdex stats`.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub index: String,
    pub articles: usize,
    pub paragraphs: u64,
    pub size_bytes: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub segments: usize,
    pub top: Facets,
}

/// A facet listing (`newsdex persons`, `countries`, `orgs`).
#[derive(Debug, Clone, Serialize)]
pub struct FacetListing {
    pub facet: String,
    pub total_hits: usize,
    pub values: Vec<FacetValue>,
}

/// One row of a facet listing.
#[derive(Debug, Clone, Serialize)]
pub struct FacetValue {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub count: u64,
}

/// Everything newsdex prints as results goes through one of these.
pub trait Printer {
    fn search(&mut self, results: &SearchResults) -> io::Result<()>;
    fn paragraph(&mut self, record: &ParagraphRecord) -> io::Result<()>;
    fn article(&mut self, id: &str, paragraphs: &[Hit]) -> io::Result<()>;
    fn facet_listing(&mut self, listing: &FacetListing) -> io::Result<()>;
    fn stats(&mut self, stats: &Stats) -> io::Result<()>;
    fn index_summary(&mut self, summary: &IndexSummary) -> io::Result<()>;
}
