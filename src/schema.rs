//! The tantivy schema and its field handles, in one place.
//!
//! One tantivy document per paragraph. Text fields use [`ANALYZER`] (lower-case, ASCII
//! folding, English stemming) with positions, so phrases work and `Ukrainian` finds
//! `ukrainians`. Entities are facets: `/person/Emmanuel Macron`, `/country/FR`,
//! `/org/Nato`.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::schema::{DateOptions, DateTimePrecision};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// Name under which the text analyzer is registered on every index.
pub const ANALYZER: &str = "newsdex_en";

/// Bumped whenever the schema changes in a way old indexes cannot serve.
pub const SCHEMA_VERSION: u32 = 4;

/// File in the index folder that marks it as a newsdex index and records its version.
pub const MARKER_FILE: &str = "newsdex.json";

/// Field handles for the paragraph documents.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// Article id (raw, exact): deletes and replaces go through it.
    pub id: Field,
    /// The headline, on every paragraph of its article (`title:` queries).
    pub title: Field,
    /// What plain words search: the headline and the paragraph, indexed as one field
    /// (not stored). One field per word makes a multi-word query an intersection of
    /// plain term lists; a title-or-body union per word made it two to three times
    /// slower.
    pub body: Field,
    /// The paragraph's text, stored for display (not indexed: `body` is).
    pub text: Field,
    /// 1-based paragraph number within the article.
    pub para: Field,
    /// `paragraph`, `caption` or `title`.
    pub kind: Field,
    /// Where the article came from, stored only when it differs from the id.
    pub source: Field,
    /// The indexed folder (or file) an article came from, on its first paragraph.
    pub root: Field,
    pub date: Field,
    pub author: Field,
    /// Hash of the whole article's content, for skipping unchanged articles (stored on
    /// the article's first paragraph only).
    pub hash: Field,
    pub person: Field,
    pub country: Field,
    pub org: Field,
}

impl Fields {
    /// Builds the schema from scratch.
    pub fn build() -> Fields {
        let mut b = Schema::builder();
        let text_indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(text_indexing);
        // Id and title repeat on every paragraph of an article: they live in columns (a
        // dictionary of distinct values plus an ordinal per paragraph) instead of the doc
        // store, which keeps the index smaller than the archive.
        let id = b.add_text_field("id", STRING | tantivy::schema::FAST);
        // The headline repeats on every paragraph; `title:` takes words, so it is kept
        // without positions (those in `body` serve phrases).
        let title_indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let title = b.add_text_field(
            "title",
            TextOptions::default()
                .set_indexing_options(title_indexing)
                .set_fast("raw"),
        );
        let body = b.add_text_field("body", text);
        let text = b.add_text_field("text", STORED);
        let para = b.add_u64_field("para", tantivy::schema::INDEXED | tantivy::schema::FAST);
        let kind = b.add_text_field("kind", STRING | tantivy::schema::FAST);
        // The source is stored only where it differs from the id (records: `file:line`);
        // the root folder it came from is a column on first paragraphs, for --prune.
        let source = b.add_text_field("source", STORED);
        let root = b.add_text_field("root", STRING | tantivy::schema::FAST);
        let date = b.add_date_field(
            "date",
            DateOptions::from(tantivy::schema::INDEXED | tantivy::schema::FAST)
                .set_precision(DateTimePrecision::Seconds),
        );
        let author = b.add_text_field("author", STORED);
        let hash = b.add_u64_field("hash", tantivy::schema::FAST);
        let facet = FacetOptions::default();
        let person = b.add_facet_field("person", facet.clone());
        let country = b.add_facet_field("country", facet.clone());
        let org = b.add_facet_field("org", facet);
        Fields {
            schema: b.build(),
            id,
            title,
            body,
            text,
            para,
            kind,
            source,
            root,
            date,
            author,
            hash,
            person,
            country,
            org,
        }
    }

    /// Field handles for an opened index, checking it has the fields we need.
    pub fn of(index: &Index) -> Option<Fields> {
        let expected = Fields::build();
        let schema = index.schema();
        for (field, entry) in expected.schema.fields() {
            let _ = field;
            let found = schema.get_field(entry.name()).ok()?;
            if schema.get_field_entry(found).field_type().value_type()
                != entry.field_type().value_type()
            {
                return None;
            }
        }
        let f = |name: &str| schema.get_field(name).expect("checked above");
        Some(Fields {
            id: f("id"),
            title: f("title"),
            body: f("body"),
            text: f("text"),
            para: f("para"),
            kind: f("kind"),
            source: f("source"),
            root: f("root"),
            date: f("date"),
            author: f("author"),
            hash: f("hash"),
            person: f("person"),
            country: f("country"),
            org: f("org"),
            schema,
        })
    }
}

/// The analyzer for title and body; also used by the snippet highlighter so that
/// highlights agree with what matched.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// English Snowball stemming (the same algorithm as tantivy's `Stemmer`) behind a cache.
///
/// News repeats its vocabulary: a few thousand word forms make most of any archive, and
/// stemming each occurrence afresh was a tenth of indexing time. Each analyzer clone
/// (one per indexing thread) keeps its own cache, so there is no locking.
#[derive(Clone, Copy)]
pub struct CachedStemmer;

/// Entries kept before the cache is emptied, bounding its memory (a few MB).
const STEM_CACHE_MAX: usize = 50_000;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner: tokenizer,
            cache: FxHashMap::default(),
        }
    }
}

/// The tokenizer [`CachedStemmer`] wraps around the rest of the chain.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    cache: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.cache.len() > STEM_CACHE_MAX {
            self.cache.clear();
        }
        CachedStemmerStream {
            tail: self.inner.token_stream(text),
            cache: &mut self.cache,
        }
    }
}

/// Token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, T> {
    tail: T,
    cache: &'a mut FxHashMap<String, String>,
}

fn english_stemmer() -> &'static frostem::Stemmer {
    static STEMMER: std::sync::OnceLock<frostem::Stemmer> = std::sync::OnceLock::new();
    STEMMER.get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::English))
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.cache.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
        } else {
            let stem = english_stemmer().stem(&token.text).into_owned();
            self.cache
                .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Registers newsdex's analyzer on an index (needed after every open).
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyse(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn cached_stemming_agrees_with_tantivys_english_stemmer() {
        let text = "Forces forced the talks; talking, the forces were reassured. Élysée";
        let mut reference = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(tantivy::tokenizer::Stemmer::new(
                tantivy::tokenizer::Language::English,
            ))
            .build();
        let mut s = reference.token_stream(text);
        let mut expected = Vec::new();
        while let Some(t) = s.next() {
            expected.push(t.text.clone());
        }
        // Twice: the second pass is served from the cache.
        assert_eq!(analyse(text), expected);
        let mut a = analyzer();
        for _ in 0..2 {
            let mut s = a.token_stream(text);
            let mut got = Vec::new();
            while let Some(t) = s.next() {
                got.push(t.text.clone());
            }
            assert_eq!(got, expected);
        }
    }
}
