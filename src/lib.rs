//! newsdex: a search engine for news-article archives.
//!
//! The pipeline is the architecture: [`read`] sources into articles, [`split`] them into
//! paragraphs, find their [`entities`], write them to a tantivy [`index`]; then [`search`]
//! it, cut [`snippet`]s and print through [`output`].

pub mod entities;
pub mod index;
pub mod model;
pub mod output;
pub mod read;
pub mod schema;
pub mod search;
pub mod snippet;
pub mod split;

pub use model::{Article, Paragraph, ParagraphKind};
