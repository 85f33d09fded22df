//! The tantivy schema and its field handles, in one place.
//!
//! One tantivy document per paragraph. Text fields use [`ANALYZER`] (lower-case, ASCII
//! folding, English stemming) with positions, so phrases work and `Ukrainian` finds
//! `ukrainians`. Entities are facets: `/person/Emmanuel Macron`, `/country/FR`,
//! `/org/Nato`.

use tantivy::Index;
use tantivy::schema::{DateOptions, DateTimePrecision};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// Name under which the text analyzer is registered on every index.
pub const ANALYZER: &str = "newsdex_en";

/// Bumped whenever the schema changes in a way old indexes cannot serve.
pub const SCHEMA_VERSION: u32 = 1;

/// File in the index folder that marks it as a newsdex index and records its version.
pub const MARKER_FILE: &str = "newsdex.json";

/// Field handles for the paragraph documents.
#[derive(Debug, Clone)]
pub struct Fields {
    pub schema: Schema,
    /// Article id (raw, exact): deletes and replaces go through it.
    pub id: Field,
    pub title: Field,
    pub body: Field,
    /// 1-based paragraph number within the article.
    pub para: Field,
    /// `paragraph`, `caption` or `title`.
    pub kind: Field,
    pub source: Field,
    pub date: Field,
    pub author: Field,
    /// Hash of the whole article's content, for skipping unchanged articles.
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
        let text = TextOptions::default()
            .set_indexing_options(text_indexing)
            .set_stored();
        let id = b.add_text_field("id", STRING | STORED | tantivy::schema::FAST);
        let title = b.add_text_field("title", text.clone());
        let body = b.add_text_field("body", text);
        let para = b.add_u64_field(
            "para",
            tantivy::schema::INDEXED | STORED | tantivy::schema::FAST,
        );
        let kind = b.add_text_field("kind", STRING | STORED);
        let source = b.add_text_field("source", STRING | STORED | tantivy::schema::FAST);
        let date = b.add_date_field(
            "date",
            DateOptions::from(tantivy::schema::INDEXED | STORED | tantivy::schema::FAST)
                .set_precision(DateTimePrecision::Seconds),
        );
        let author = b.add_text_field("author", STORED);
        let hash = b.add_u64_field("hash", tantivy::schema::FAST);
        let facet = FacetOptions::default().set_stored();
        let person = b.add_facet_field("person", facet.clone());
        let country = b.add_facet_field("country", facet.clone());
        let org = b.add_facet_field("org", facet);
        Fields {
            schema: b.build(),
            id,
            title,
            body,
            para,
            kind,
            source,
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
            para: f("para"),
            kind: f("kind"),
            source: f("source"),
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
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Registers newsdex's analyzer on an index (needed after every open).
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}
