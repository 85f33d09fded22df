//! The plain data types that flow through the pipeline: read → split → entities.

use serde::Serialize;

/// One article as read from a source, before splitting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    /// Stable identity: the record's id or url, or the path relative to the indexed root.
    /// Re-indexing an article with the same id replaces it.
    pub id: String,
    /// Where it came from, for display: a path, `path:line` for a JSON Lines record, or `-`.
    pub source: String,
    pub title: Option<String>,
    /// The article text; paragraphs separated by blank lines (readers normalise to this).
    pub body: String,
    /// Publication time when the source gives one (UTC).
    pub date: Option<chrono::DateTime<chrono::Utc>>,
    pub author: Option<String>,
}

/// What a paragraph is, for ranking and display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    /// Running text.
    Paragraph,
    /// A photo caption, usually ending in a credit such as `(Michel Euler/AP)`.
    Caption,
    /// A heading inside the article body (the article's own title is not a paragraph).
    Title,
}

impl ParagraphKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ParagraphKind::Paragraph => "paragraph",
            ParagraphKind::Caption => "caption",
            ParagraphKind::Title => "title",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "paragraph" => Some(ParagraphKind::Paragraph),
            "caption" => Some(ParagraphKind::Caption),
            "title" => Some(ParagraphKind::Title),
            _ => None,
        }
    }
}

/// One paragraph of an article: the unit that is indexed and returned as a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based position in the article body.
    pub para: u32,
    pub kind: ParagraphKind,
    pub text: String,
}
