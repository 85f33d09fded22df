//! Query parsing, entity filters, ranking, grouping and facet counts.

use crate::entities;
use crate::model::ParagraphKind;
use crate::read::INDEXABLE_SECS;
use crate::schema::{self, Fields};
use crate::snippet::{self, Highlighter, Snippet};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::sync::OnceLock;
use std::time::Instant;
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query, QueryParser, QueryParserError, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, TantivyDocument, Value};
use tantivy::{DocAddress, DocId, Index, Searcher, Term};

/// A query the user got wrong, with the byte position it goes wrong at.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("query error at column {} of '{query}': {message}", .position + 1)]
    Syntax {
        query: String,
        position: usize,
        message: String,
    },
    #[error("query error: {0}")]
    Invalid(String),
    #[error(
        "unknown country '{0}'; try a name (France), demonym (French), code (FR) or capital (Paris)"
    )]
    UnknownCountry(String),
    #[error("bad date '{0}'; use YYYY-MM-DD")]
    BadDate(String),
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Entity and date filters. Each inner Vec is "any of"; the outer Vec is "all of".
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub persons: Vec<Vec<String>>,
    pub countries: Vec<Vec<String>>,
    pub orgs: Vec<Vec<String>>,
    pub since: Option<String>,
    pub until: Option<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
            && self.countries.is_empty()
            && self.orgs.is_empty()
            && self.since.is_none()
            && self.until.is_none()
    }
}

/// What to search for and how to present it.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub query: String,
    pub filters: Filters,
    pub limit: usize,
    pub offset: usize,
    /// One hit per article: its best paragraph, with the article's number of matches.
    pub group: bool,
    /// Count entities over all matching paragraphs.
    pub facets: bool,
    /// How many values per facet to report.
    pub facet_limit: usize,
    /// Target snippet length in bytes.
    pub snippet_bytes: usize,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            query: String::new(),
            filters: Filters::default(),
            limit: 10,
            offset: 0,
            group: false,
            facets: false,
            facet_limit: 10,
            snippet_bytes: 240,
        }
    }
}

/// A country as shown in results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountryRef {
    pub code: String,
    pub name: String,
}

impl CountryRef {
    pub fn from_code(code: &str) -> CountryRef {
        CountryRef {
            code: code.to_string(),
            name: entities::lookup_country_code(code)
                .map_or_else(|| code.to_string(), |c| c.name.to_string()),
        }
    }
}

/// One matching paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article_id: String,
    pub title: Option<String>,
    pub para: u32,
    pub kind: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    pub text: String,
    pub snippet: Snippet,
    pub persons: Vec<String>,
    pub countries: Vec<CountryRef>,
    pub orgs: Vec<String>,
    /// With `--group`: how many paragraphs of this article matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub article_hits: Option<usize>,
}

/// Facet value and count.
#[derive(Debug, Clone, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// Country facet with its display name.
#[derive(Debug, Clone, Serialize)]
pub struct CountryCount {
    pub code: String,
    pub name: String,
    pub count: u64,
}

/// Entity counts over all matching paragraphs.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub person: Vec<FacetCount>,
    pub country: Vec<CountryCount>,
    pub org: Vec<FacetCount>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    pub query: String,
    pub total_hits: usize,
    /// With `--group`: the number of matching articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_articles: Option<usize>,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Notes for the user, e.g. which people an ambiguous surname matched.
    #[serde(skip)]
    pub notices: Vec<String>,
    /// Person names the filters resolved to, for highlighting in the terminal.
    #[serde(skip)]
    pub filter_persons: Vec<String>,
    /// Country codes the filters resolved to, for highlighting in the terminal.
    #[serde(skip)]
    pub filter_countries: Vec<String>,
}

/// A ranked document: score, address, and (grouped) the article's number of matches.
type RankedDoc = (f32, DocAddress, Option<usize>);

/// A query ready to run, with what is needed to present its hits.
pub struct Prepared {
    pub query: Box<dyn Query>,
    pub has_text: bool,
    pub highlighter: Highlighter,
    /// Notes for the user (ambiguous or unknown names).
    pub notices: Vec<String>,
    /// Person names the filters resolved to.
    pub filter_persons: Vec<String>,
    /// Country codes the filters resolved to.
    pub filter_countries: Vec<String>,
}

/// An open index, ready to answer queries.
pub struct Engine {
    index: Index,
    fields: Fields,
    searcher: Searcher,
    /// Columns opened so far, by segment.
    /// (A mutex, not a RefCell: an engine is shared across threads by callers.)
    columns: std::sync::Mutex<HashMap<u32, std::sync::Arc<SegmentColumns>>>,
}

/// The columns a hit is displayed from, for one segment. Everything but the paragraph's
/// text (and the rare source or author) lives in columns: headline, id and entities
/// repeat across an article, and a column is read without decompressing a store block.
/// Each column is opened when first asked for: ranking needs `para` only, and opening
/// a column reads its metadata, pages that a short search process faults in.
struct SegmentColumns {
    fast: tantivy::fastfield::FastFieldReaders,
    strs: [OnceLock<Option<StrColumn>>; StrCol::NAMES.len()],
    para: OnceLock<Option<tantivy::columnar::Column<u64>>>,
    date: OnceLock<Option<tantivy::columnar::Column<tantivy::DateTime>>>,
}

/// The string columns of [`SegmentColumns`].
#[derive(Clone, Copy)]
enum StrCol {
    Id,
    Title,
    Kind,
    Person,
    Country,
    Org,
}

impl StrCol {
    /// Field names, in the order of the variants.
    const NAMES: [&'static str; 6] = ["id", "title", "kind", "person", "country", "org"];
}

impl SegmentColumns {
    fn open(seg: &tantivy::SegmentReader) -> SegmentColumns {
        SegmentColumns {
            fast: seg.fast_fields().clone(),
            strs: Default::default(),
            para: OnceLock::new(),
            date: OnceLock::new(),
        }
    }

    fn str(&self, col: StrCol) -> Result<&Option<StrColumn>, QueryError> {
        let cell = &self.strs[col as usize];
        if let Some(c) = cell.get() {
            return Ok(c);
        }
        let c = self.fast.str(StrCol::NAMES[col as usize])?;
        Ok(cell.get_or_init(|| c))
    }

    fn para(&self, doc: DocId) -> Option<u64> {
        self.para
            .get_or_init(|| self.fast.u64("para").ok())
            .as_ref()
            .and_then(|c| c.first(doc))
    }
    fn date(&self, doc: DocId) -> Option<tantivy::DateTime> {
        self.date
            .get_or_init(|| self.fast.date("date").ok())
            .as_ref()
            .and_then(|c| c.first(doc))
    }
}

/// The first value of a string column for a document.
fn first_str(col: &Option<StrColumn>, doc: DocId) -> Result<Option<String>, QueryError> {
    let Some(col) = col else {
        return Ok(None);
    };
    let Some(ord) = col.term_ords(doc).next() else {
        return Ok(None);
    };
    let mut s = String::new();
    col.ord_to_str(ord, &mut s)
        .map_err(tantivy::TantivyError::from)?;
    Ok(Some(s))
}

/// The leaves of a facet column for a document (`Tony Blair` of `/person/Tony Blair`),
/// in the column's (alphabetical) order.
fn facet_leaves(col: &Option<StrColumn>, doc: DocId) -> Result<Vec<String>, QueryError> {
    let Some(col) = col else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut s = String::new();
    for ord in col.term_ords(doc) {
        col.ord_to_str(ord, &mut s)
            .map_err(tantivy::TantivyError::from)?;
        // Facets are encoded with a NUL between path segments.
        if let Some((_, leaf)) = s.rsplit_once('\0')
            && !leaf.is_empty()
        {
            out.push(leaf.to_string());
        }
    }
    Ok(out)
}

/// Orders names by where the text first mentions them (the full name, else its last
/// word); names not found keep their order, after the others.
fn by_mention(mut names: Vec<String>, text: &str) -> Vec<String> {
    names.sort_by_cached_key(|n| {
        text.find(n.as_str())
            .or_else(|| n.rsplit(' ').next().and_then(|w| text.find(w)))
            .unwrap_or(usize::MAX)
    });
    names
}

/// Entity filter fields that can also be written in the query (`person:macron`).
const ENTITY_FIELDS: [&str; 3] = ["person", "country", "org"];

impl Engine {
    pub fn new(index: Index, fields: Fields) -> Result<Self, QueryError> {
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            // Hits are read in index order (see `docs`): one block is all the cache
            // that pays; each more block held is 16 KiB of fresh pages, page faults.
            .doc_store_cache_num_blocks(1)
            .try_into()?;
        let searcher = reader.searcher();
        Ok(Engine {
            index,
            fields,
            searcher,
            columns: Default::default(),
        })
    }

    pub fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Builds the tantivy query for a text query plus filters. With `match_all`, an
    /// empty query with no filters matches every paragraph (facet listings); otherwise
    /// it is an error.
    pub fn prepare(
        &self,
        query_text: &str,
        filters: &Filters,
        match_all: bool,
    ) -> Result<Prepared, QueryError> {
        let (text_query, mut filters) = split_entity_terms(query_text, filters)?;
        let mut notices = Vec::new();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut highlighter = Highlighter::default();
        let has_text = !text_query.trim().is_empty();
        if has_text {
            check_syntax(&text_query)?;
            // tantivy's grammar has no prefix for single words: `word*` clauses are
            // taken out here and searched as prefixes of the indexed terms.
            let (rest, prefixes) = split_prefixes(&text_query);
            if !rest.trim().is_empty() {
                // `body` holds the headline and the paragraph: the headline helps a
                // paragraph match, and counts as a few words more of it.
                let mut parser = QueryParser::for_index(&self.index, vec![self.fields.body]);
                parser.set_conjunction_by_default();
                let q = match parser.parse_query(&rest) {
                    // `sale* -loss`: what is left of the text only excludes, and the
                    // prefix is what matches. tantivy refuses a query of exclusions
                    // alone, so they are anchored on every paragraph (`*`), which the
                    // prefix clause then narrows; every hit's score moves by the same 1.
                    Err(QueryParserError::AllButQueryForbidden)
                        if prefixes.iter().any(|p| p.occur != Occur::MustNot) =>
                    {
                        parser
                            .parse_query(&format!("* {rest}"))
                            .map_err(|e| parser_error(&rest, e))?
                    }
                    parsed => parsed.map_err(|e| parser_error(&rest, e))?,
                };
                let q = exclusions_seek_plainly(q);
                highlighter = highlighter_for(&*q, &text_query, &self.fields);
                clauses.push((Occur::Must, q));
            } else if prefixes.iter().all(|p| p.occur == Occur::MustNot) {
                return Err(QueryError::Invalid(
                    "a query of only excluded words (-word) matches nothing; add a word to search for"
                        .into(),
                ));
            } else {
                highlighter =
                    highlighter_for(&tantivy::query::EmptyQuery, &text_query, &self.fields);
            }
            for p in prefixes {
                clauses.push((p.occur, self.prefix_query(&p)?));
            }
        }
        let mut filter_persons = Vec::new();
        let mut filter_countries = Vec::new();
        for group in std::mem::take(&mut filters.persons) {
            let names = self.resolve_persons(&group, &mut notices);
            filter_persons.extend(names.iter().cloned());
            clauses.push((Occur::Must, facet_any(self.fields.person, "person", &names)));
        }
        for group in std::mem::take(&mut filters.countries) {
            let mut codes = Vec::new();
            for c in &group {
                match entities::lookup_country(c) {
                    Some(country) => codes.push(country.code.to_string()),
                    // Like an unknown person: say so, and match nothing (exit 1).
                    None => notices.push(format!(
                        "unknown country '{c}'; try a name (France), demonym (French), code (FR) or capital (Paris)"
                    )),
                }
            }
            filter_countries.extend(codes.iter().cloned());
            clauses.push((
                Occur::Must,
                facet_any(self.fields.country, "country", &codes),
            ));
        }
        for group in std::mem::take(&mut filters.orgs) {
            let names = self.resolve_facet_values("org", self.fields.org, &group, &mut notices);
            clauses.push((Occur::Must, facet_any(self.fields.org, "org", &names)));
        }
        if filters.since.is_some() || filters.until.is_some() {
            let bound = |s: &Option<String>, end: bool| -> Result<Bound<Term>, QueryError> {
                match s {
                    None => Ok(Bound::Unbounded),
                    Some(s) => {
                        // A day past what dates can hold bounds the range at the end
                        // that they can (nothing is later than 2262 or earlier than 1677).
                        let secs = parse_day(s, end)?
                            .clamp(*INDEXABLE_SECS.start(), *INDEXABLE_SECS.end());
                        let t = Term::from_field_date(
                            self.fields.date,
                            tantivy::DateTime::from_timestamp_secs(secs),
                        );
                        Ok(if end {
                            Bound::Excluded(t)
                        } else {
                            Bound::Included(t)
                        })
                    }
                }
            };
            let lower = bound(&filters.since, false)?;
            let upper = bound(&filters.until, true)?;
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        let query: Box<dyn Query> = match clauses.len() {
            0 if match_all => Box::new(AllQuery),
            0 => {
                return Err(QueryError::Invalid(
                    "give words to search for, or a filter such as --person, --country or --org"
                        .into(),
                ));
            }
            1 => clauses.pop().expect("one clause").1,
            _ => Box::new(BooleanQuery::new(clauses)),
        };
        Ok(Prepared {
            query,
            has_text,
            highlighter,
            notices,
            filter_persons,
            filter_countries,
        })
    }

    /// Runs a search.
    pub fn search(&self, opts: &SearchOptions) -> Result<SearchResults, QueryError> {
        let started = Instant::now();
        let Prepared {
            query,
            has_text,
            highlighter,
            notices,
            filter_persons,
            filter_countries,
        } = self.prepare(&opts.query, &opts.filters, false)?;
        // A phrase is checked against positions for every candidate, and neither the
        // count nor the ranking can skip any: one pass does both. Otherwise counting
        // through the weight is O(1) for a term without deletions, and ranking prunes
        // (block-WAND), which a counting pass beside it would defeat.
        let one_pass = has_text && !opts.group && needs_positions(&*query);
        let (ranked, total_articles, counted) = if opts.group {
            let (r, n) = self.grouped(&*query, has_text, opts)?;
            (r, Some(n), None)
        } else if one_pass {
            let (n, ranked) = self.top_by_score_counted(&*query, opts.offset, opts.limit)?;
            (ranked, None, Some(n))
        } else if has_text {
            (
                self.top_by_score(&*query, opts.offset, opts.limit)?,
                None,
                None,
            )
        } else {
            let ranked = self.in_article_order(&*query, opts.offset, opts.limit)?;
            (ranked, None, None)
        };
        let total_hits = match counted {
            Some(n) => n,
            None => query.count(&self.searcher)?,
        };

        let docs = self.docs(ranked.iter().take(opts.limit).map(|r| r.1))?;
        let mut hits = Vec::with_capacity(docs.len());
        for (i, ((score, addr, article_hits), doc)) in ranked.into_iter().zip(docs).enumerate() {
            let mut hit = self.hit_from_doc(&doc, addr, &highlighter, opts.snippet_bytes)?;
            hit.rank = opts.offset + i + 1;
            hit.score = score;
            hit.article_hits = article_hits;
            hits.push(hit);
        }
        let facets = if opts.facets {
            Some(self.facet_counts(&*query, opts.facet_limit)?)
        } else {
            None
        };
        Ok(SearchResults {
            query: opts.query.clone(),
            total_hits,
            total_articles,
            took_ms: started.elapsed().as_secs_f64() * 1000.0,
            hits,
            facets,
            notices,
            filter_persons,
            filter_countries,
        })
    }

    /// All matches, best paragraph per article, articles ordered by their best score
    /// (or newest first without words).
    fn grouped(
        &self,
        query: &dyn Query,
        has_text: bool,
        opts: &SearchOptions,
    ) -> Result<(Vec<RankedDoc>, usize), QueryError> {
        let all: Vec<(f32, DocAddress)> = if has_text {
            let n = self.searcher.search(query, &Count)?.max(1);
            self.top_by_score(query, 0, n)?
                .into_iter()
                .map(|(s, a, _)| (s, a))
                .collect()
        } else {
            self.in_article_order(query, 0, usize::MAX)?
                .into_iter()
                .map(|(s, a, _)| (s, a))
                .collect()
        };
        let mut order: Vec<String> = Vec::new();
        let mut best: HashMap<String, (f32, DocAddress, usize)> = HashMap::new();
        for (score, addr) in all {
            let id = self.article_id_of(addr)?;
            match best.get_mut(&id) {
                Some(entry) => entry.2 += 1,
                None => {
                    order.push(id.clone());
                    best.insert(id, (score, addr, 1));
                }
            }
        }
        let total = order.len();
        let out = order
            .into_iter()
            .skip(opts.offset)
            .take(opts.limit)
            .map(|id| {
                let (s, a, n) = best[&id];
                (s, a, Some(n))
            })
            .collect();
        Ok((out, total))
    }

    /// The best hits by BM25 with the lead-paragraph boost. BM25's top documents come
    /// from tantivy's pruning collector (it skips blocks that cannot make the top), over a
    /// pool wide enough that the boost (at most x1.25) re-orders within it.
    fn top_by_score(
        &self,
        query: &dyn Query,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<RankedDoc>, QueryError> {
        let top = TopDocs::with_limit(self.pool(offset, limit)).order_by_score();
        self.boosted(self.searcher.search(query, &top)?, offset, limit)
    }

    /// [`Self::top_by_score`] and the number of matches, from one pass over them.
    fn top_by_score_counted(
        &self,
        query: &dyn Query,
        offset: usize,
        limit: usize,
    ) -> Result<(usize, Vec<RankedDoc>), QueryError> {
        let top = TopDocs::with_limit(self.pool(offset, limit)).order_by_score();
        let (count, docs) = self.searcher.search(query, &(Count, top))?;
        Ok((count, self.boosted(docs, offset, limit)?))
    }

    /// How many of the best BM25 hits to re-rank for a page of `limit` after `offset`.
    fn pool(&self, offset: usize, limit: usize) -> usize {
        let wanted = offset.saturating_add(limit).max(1);
        // A power of two, so paging through results reuses the same pool.
        wanted
            .saturating_mul(4)
            .max(64)
            .checked_next_power_of_two()
            .unwrap_or(usize::MAX)
            // tantivy reserves room for the whole pool: never more than there are docs.
            .min(self.searcher.num_docs() as usize)
            .max(1)
    }

    /// The page after `offset` of `docs` re-ordered with the lead-paragraph boost.
    fn boosted(
        &self,
        docs: Vec<(f32, DocAddress)>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<RankedDoc>, QueryError> {
        let mut boosted: Vec<RankedDoc> = Vec::with_capacity(docs.len());
        for (score, addr) in docs {
            let para = self
                .columns(addr.segment_ord)?
                .para(addr.doc_id)
                .unwrap_or(0);
            boosted.push((score * lead_boost(para), addr, None));
        }
        boosted.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(boosted.into_iter().skip(offset).take(limit).collect())
    }

    /// Matches indexed terms that start with the prefix, in `body` (headline and
    /// paragraph) or in `title` when the clause names it. Terms are stems, so the
    /// prefix's own stem is accepted as well: `reassuranc*` still finds `reassurance`
    /// (indexed as `reassur`).
    fn prefix_query(&self, p: &Prefix) -> Result<Box<dyn Query>, QueryError> {
        let stem = analyse(&p.text).pop().unwrap_or_else(|| p.text.clone());
        let mut pattern = format!("{}.*|{}", p.text, stem);
        // A long prefix may run into the suffix the stemmer strips (`reassuranc*`, whose
        // words are indexed as `reassur`): accept terms up to three letters shorter.
        let chars: Vec<char> = p.text.chars().collect();
        if chars.len() >= 8 {
            for cut in chars.len() - 3..chars.len() {
                pattern.push('|');
                pattern.extend(&chars[..cut]);
            }
        }
        let field = match p.field.as_deref() {
            Some("title") => self.fields.title,
            _ => self.fields.body,
        };
        Ok(Box::new(tantivy::query::RegexQuery::from_pattern(
            &pattern, field,
        )?))
    }

    fn article_id_of(&self, addr: DocAddress) -> Result<String, QueryError> {
        let cols = self.columns(addr.segment_ord)?;
        Ok(first_str(cols.str(StrCol::Id)?, addr.doc_id)?.unwrap_or_default())
    }

    /// Matches without a text query: newest articles first, then by article, then by
    /// paragraph number.
    fn in_article_order(
        &self,
        query: &dyn Query,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<RankedDoc>, QueryError> {
        let mut keyed = Vec::new();
        let docs = self
            .searcher
            .search(query, &tantivy::collector::DocSetCollector)?;
        for addr in docs {
            let cols = self.columns(addr.segment_ord)?;
            let id = first_str(cols.str(StrCol::Id)?, addr.doc_id)?.unwrap_or_default();
            let date = cols
                .date(addr.doc_id)
                .map_or(i64::MIN, |d| d.into_timestamp_secs());
            let para = cols.para(addr.doc_id).unwrap_or(0);
            keyed.push((std::cmp::Reverse(date), id, para, addr));
        }
        keyed.sort();
        Ok(keyed
            .into_iter()
            .skip(offset)
            .take(limit)
            .map(|(_, _, _, a)| (0.0, a, None))
            .collect())
    }

    /// The display columns of a segment, opened on first use.
    fn columns(&self, segment_ord: u32) -> Result<std::sync::Arc<SegmentColumns>, QueryError> {
        let mut columns = self
            .columns
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cols) = columns.get(&segment_ord) {
            return Ok(cols.clone());
        }
        let cols = std::sync::Arc::new(SegmentColumns::open(
            self.searcher.segment_reader(segment_ord),
        ));
        columns.insert(segment_ord, cols.clone());
        Ok(cols)
    }

    /// The stored documents at `addrs`, in that order. They are read in index order:
    /// with a one-block store cache, hits that share a compressed block (paragraphs of
    /// one article) decompress it once.
    fn docs(
        &self,
        addrs: impl Iterator<Item = DocAddress>,
    ) -> Result<Vec<TantivyDocument>, QueryError> {
        let mut order: Vec<(usize, DocAddress)> = addrs.enumerate().collect();
        order.sort_by_key(|&(_, addr)| addr);
        let mut docs: Vec<(usize, TantivyDocument)> = Vec::with_capacity(order.len());
        for (i, addr) in order {
            docs.push((i, self.searcher.doc(addr)?));
        }
        docs.sort_by_key(|&(i, _)| i);
        Ok(docs.into_iter().map(|(_, doc)| doc).collect())
    }

    fn hit_from_doc(
        &self,
        doc: &TantivyDocument,
        addr: DocAddress,
        hl: &Highlighter,
        snippet_bytes: usize,
    ) -> Result<Hit, QueryError> {
        let f = &self.fields;
        let cols = self.columns(addr.segment_ord)?;
        let d = addr.doc_id;
        let text_of = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let text = text_of(f.text).unwrap_or_default();
        let snippet = hl.snippet(&text, snippet_bytes);
        let article_id = first_str(cols.str(StrCol::Id)?, d)?.unwrap_or_default();
        let persons = by_mention(facet_leaves(cols.str(StrCol::Person)?, d)?, &text);
        let orgs = by_mention(facet_leaves(cols.str(StrCol::Org)?, d)?, &text);
        Ok(Hit {
            rank: 0,
            score: 0.0,
            article_id: article_id.clone(),
            title: first_str(cols.str(StrCol::Title)?, d)?,
            para: cols.para(d).unwrap_or(0) as u32,
            kind: first_str(cols.str(StrCol::Kind)?, d)?
                .unwrap_or_else(|| ParagraphKind::Paragraph.as_str().into()),
            source: match text_of(f.source) {
                Some(source) => source,
                None => article_id.clone(),
            },
            date: cols.date(d).and_then(|d| {
                chrono::DateTime::from_timestamp(d.into_timestamp_secs(), 0)
                    .map(|d| d.format("%Y-%m-%d").to_string())
            }),
            text,
            snippet,
            persons,
            countries: facet_leaves(cols.str(StrCol::Country)?, d)?
                .iter()
                .map(|c| CountryRef::from_code(c))
                .collect(),
            orgs,
            article_hits: None,
        })
    }

    /// Counts persons, countries and orgs over every paragraph matching `query`.
    pub fn facet_counts(&self, query: &dyn Query, limit: usize) -> Result<Facets, QueryError> {
        let mut person = FacetCollector::for_field("person");
        person.add_facet("/person");
        let mut country = FacetCollector::for_field("country");
        country.add_facet("/country");
        let mut org = FacetCollector::for_field("org");
        org.add_facet("/org");
        let (p, c, o) = self.searcher.search(query, &(person, country, org))?;
        let leaves = |counts: &tantivy::collector::FacetCounts, root: &str| {
            let mut v: Vec<(String, u64)> = counts
                .get(root)
                .map(|(f, n)| {
                    (
                        f.to_path().last().map_or(String::new(), |s| s.to_string()),
                        n,
                    )
                })
                .collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(limit);
            v
        };
        Ok(Facets {
            person: leaves(&p, "/person")
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
            country: leaves(&c, "/country")
                .into_iter()
                .map(|(code, count)| {
                    let r = CountryRef::from_code(&code);
                    CountryCount {
                        code: r.code,
                        name: r.name,
                        count,
                    }
                })
                .collect(),
            org: leaves(&o, "/org")
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect(),
        })
    }

    /// Every value of a facet field in the index (`person`, `country`, `org`).
    pub fn facet_values(&self, root: &str, field: tantivy::schema::Field) -> Vec<String> {
        let mut out = HashSet::new();
        for seg in self.searcher.segment_readers() {
            let Ok(inv) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inv.terms().stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(facet) = Facet::from_encoded(stream.key().to_vec()) else {
                    continue;
                };
                let path = facet.to_path();
                if path.len() == 2 && path[0] == root {
                    out.insert(path[1].to_string());
                }
            }
        }
        let mut v: Vec<String> = out.into_iter().collect();
        v.sort();
        v
    }

    /// Resolves what a user typed for a person to the indexed names: full name,
    /// surname, or given name + surname, ignoring case, accents and titles.
    pub fn resolve_persons(&self, wanted: &[String], notices: &mut Vec<String>) -> Vec<String> {
        self.resolve_facet_values("person", self.fields.person, wanted, notices)
    }

    fn resolve_facet_values(
        &self,
        root: &str,
        field: tantivy::schema::Field,
        wanted: &[String],
        notices: &mut Vec<String>,
    ) -> Vec<String> {
        let values = self.facet_values(root, field);
        let keyed: Vec<(String, &String)> = values
            .iter()
            .map(|v| (entities::normalize_name(v), v))
            .collect();
        let mut out = Vec::new();
        for w in wanted {
            let key = entities::normalize_name(entities::strip_person_title(w));
            if key.is_empty() {
                continue;
            }
            let words: Vec<&str> = key.split(' ').collect();
            let exact: Vec<&String> = keyed
                .iter()
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| *v)
                .collect();
            let found: Vec<&String> = if root == "person" && words.len() == 1 {
                // A surname alone (`Macron`, `Mr Blair`) means everyone of that surname.
                keyed
                    .iter()
                    .filter(|(k, _)| k.rsplit(' ').next() == Some(key.as_str()))
                    .map(|(_, v)| *v)
                    .collect()
            } else if !exact.is_empty() {
                exact
            } else {
                // Word-wise: every typed word is a word of the name, and (for persons) the
                // last typed word is the name's last word (`George Bush` finds
                // `George W Bush`).
                keyed
                    .iter()
                    .filter(|(k, _)| {
                        let name_words: Vec<&str> = k.split(' ').collect();
                        words.iter().all(|w| name_words.contains(w))
                            && (root != "person" || name_words.last() == words.last())
                    })
                    .map(|(_, v)| *v)
                    .collect()
            };
            if found.len() > 1 {
                notices.push(format!(
                    "'{w}' matches {} {root}s: {}",
                    found.len(),
                    found
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if found.is_empty() {
                notices.push(format!("no {root} called '{w}' in the index"));
            }
            out.extend(found.into_iter().cloned());
        }
        out.sort();
        out.dedup();
        out
    }

    /// The paragraphs of one article, in order.
    pub fn article(&self, id: &str) -> Result<Vec<Hit>, QueryError> {
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let docs = self
            .searcher
            .search(&q, &tantivy::collector::DocSetCollector)?;
        let mut hits = Vec::new();
        let addrs: Vec<DocAddress> = docs.into_iter().collect();
        for (addr, doc) in addrs.iter().zip(self.docs(addrs.iter().copied())?) {
            hits.push(self.hit_from_doc(&doc, *addr, &Highlighter::default(), usize::MAX)?);
        }
        hits.sort_by_key(|h| h.para);
        Ok(hits)
    }
}

/// A `word*` clause of the query.
#[derive(Debug, Clone, PartialEq)]
struct Prefix {
    occur: Occur,
    /// `title` or `body` when the clause named a field, else both.
    field: Option<String>,
    /// Lower-cased and accent-folded.
    text: String,
}

/// Takes the bare `word*` clauses (outside quotes) out of a query.
fn split_prefixes(query: &str) -> (String, Vec<Prefix>) {
    let mut rest = String::with_capacity(query.len());
    let mut prefixes = Vec::new();
    let mut in_quote = false;
    for (i, part) in query.split('"').enumerate() {
        if i > 0 {
            rest.push('"');
        }
        if in_quote {
            rest.push_str(part);
        } else {
            let mut kept = Vec::new();
            for word in part.split(' ') {
                let (occur, w) = match word.strip_prefix('-') {
                    Some(w) => (Occur::MustNot, w),
                    None => (Occur::Must, word.strip_prefix('+').unwrap_or(word)),
                };
                let (field, w) = match w.split_once(':') {
                    Some((f, w)) if f == "title" || f == "body" => (Some(f.to_string()), w),
                    _ => (None, w),
                };
                let stem = w.strip_suffix('*').map(snippet::fold);
                match stem {
                    Some(text) if !text.is_empty() && text.chars().all(|c| c.is_alphanumeric()) => {
                        prefixes.push(Prefix { occur, field, text });
                    }
                    _ => kept.push(word),
                }
            }
            rest.push_str(&kept.join(" "));
        }
        in_quote = !in_quote;
    }
    (rest, prefixes)
}

/// Whether `query` checks word positions (it has a phrase).
fn needs_positions(query: &dyn Query) -> bool {
    let mut positions = false;
    query.query_terms(&mut |_, needs| positions |= needs);
    positions
}

/// News is written lead first: the opening paragraphs state the story, later ones
/// elaborate. A mild boost for early paragraphs (x1.25 for the first, fading to 1)
/// breaks near-ties of BM25 in favour of the paragraph that is about the topic.
fn lead_boost(para: u64) -> f32 {
    if para == 0 {
        1.0
    } else {
        1.0 + 0.25 / para as f32
    }
}

/// A query matching documents with any of the given facet values (none: nothing).
fn facet_any(field: tantivy::schema::Field, root: &str, values: &[String]) -> Box<dyn Query> {
    let clauses: Vec<(Occur, Box<dyn Query>)> = values
        .iter()
        .map(|v| {
            let term = Term::from_facet(field, &Facet::from_path([root, v.as_str()]));
            (
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
            )
        })
        .collect();
    if clauses.is_empty() {
        return Box::new(tantivy::query::EmptyQuery);
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Start of day (or start of the next day, for an inclusive `until`) in unix seconds.
fn parse_day(s: &str, end: bool) -> Result<i64, QueryError> {
    let day = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(&format!("{}-01-01", s.trim()), "%Y-%m-%d"))
        .map_err(|_| QueryError::BadDate(s.to_string()))?;
    let day = if end {
        day.succ_opt().unwrap_or(day)
    } else {
        day
    };
    Ok(day
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp())
}

/// Moves `person:`, `country:` and `org:` clauses out of the query text into filters
/// (values may be quoted: `person:"Keir Starmer"`).
fn split_entity_terms(query: &str, base: &Filters) -> Result<(String, Filters), QueryError> {
    let mut filters = base.clone();
    let mut rest = String::with_capacity(query.len());
    let mut i = 0;
    let bytes = query.as_bytes();
    while i < query.len() {
        let at_word_start = i == 0 || bytes[i - 1].is_ascii_whitespace() || bytes[i - 1] == b'(';
        let field = ENTITY_FIELDS.iter().find(|f| {
            at_word_start
                && query[i..].len() > f.len()
                // `get`: the word may have a multi-byte character where the field name
                // would end (`Trump’s`).
                && query
                    .get(i..i + f.len())
                    .is_some_and(|w| w.eq_ignore_ascii_case(f))
                && bytes[i + f.len()] == b':'
        });
        if let Some(field) = field {
            let start = i + field.len() + 1;
            let (value, end) = if query[start..].starts_with('"') {
                match query[start + 1..].find('"') {
                    Some(close) => (&query[start + 1..start + 1 + close], start + close + 2),
                    None => {
                        return Err(QueryError::Syntax {
                            query: query.to_string(),
                            position: start,
                            message: "this quote is never closed".into(),
                        });
                    }
                }
            } else {
                let end = query[start..]
                    .find(|c: char| c.is_whitespace() || c == ')')
                    .map_or(query.len(), |e| start + e);
                (&query[start..end], end)
            };
            if value.is_empty() {
                return Err(QueryError::Syntax {
                    query: query.to_string(),
                    position: start,
                    message: format!("{field}: needs a value"),
                });
            }
            let any: Vec<String> = value.split(',').map(|v| v.trim().to_string()).collect();
            match *field {
                "person" => filters.persons.push(any),
                "country" => filters.countries.push(any),
                _ => filters.orgs.push(any),
            }
            i = end;
            continue;
        }
        let c = query[i..].chars().next().expect("in bounds");
        rest.push(c);
        i += c.len_utf8();
    }
    Ok((rest, filters))
}

/// Catches the mistakes tantivy's grammar would silently reinterpret, and says where.
pub fn check_syntax(query: &str) -> Result<(), QueryError> {
    let err = |position: usize, message: &str| QueryError::Syntax {
        query: query.to_string(),
        position,
        message: message.to_string(),
    };
    let mut open_quote: Option<usize> = None;
    let mut parens: Vec<usize> = Vec::new();
    for (i, c) in query.char_indices() {
        if let Some(_q) = open_quote {
            if c == '"' {
                open_quote = None;
            }
            continue;
        }
        match c {
            '"' => open_quote = Some(i),
            '(' => parens.push(i),
            ')' if parens.pop().is_none() => {
                return Err(err(i, "this ')' has no matching '('"));
            }
            _ => {}
        }
    }
    if let Some(q) = open_quote {
        return Err(err(q, "this quote is never closed"));
    }
    if let Some(p) = parens.pop() {
        return Err(err(p, "this '(' is never closed"));
    }
    // Operators need something on both sides.
    let words: Vec<(usize, &str)> = query
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - query.as_ptr() as usize, w))
        .collect();
    for (k, (pos, w)) in words.iter().enumerate() {
        if matches!(*w, "AND" | "OR") {
            let before = k > 0 && !matches!(words[k - 1].1, "AND" | "OR" | "NOT");
            let after = k + 1 < words.len() && !matches!(words[k + 1].1, "AND" | "OR");
            if !before || !after {
                return Err(err(*pos, &format!("'{w}' needs a word on each side")));
            }
        }
        if *w == "-" || *w == "+" {
            return Err(err(
                *pos,
                "a lone '-' or '+' must be attached to a word (-word)",
            ));
        }
        if let Some(colon) = w.find(':') {
            let field = w[..colon].trim_start_matches(['-', '+', '(']);
            if !field.is_empty()
                && !field.contains('"')
                && !matches!(field, "title" | "body" | "kind" | "id")
            {
                return Err(err(
                    *pos,
                    &format!(
                        "unknown field '{field}'; use title:, body:, kind:, id:, person:, country: or org:"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Turns tantivy's parser errors into a plain sentence.
fn parser_error(query: &str, e: QueryParserError) -> QueryError {
    let message = match e {
        QueryParserError::SyntaxError(s) => format!("cannot parse the query ({s})"),
        QueryParserError::AllButQueryForbidden => {
            "a query of only excluded words (-word) matches nothing; add a word to search for"
                .to_string()
        }
        QueryParserError::FieldDoesNotExist(f) => format!("unknown field '{f}'"),
        QueryParserError::FieldDoesNotHavePositionsIndexed(f) => format!(
            "{f}: takes words, not phrases; search the phrase without {f}: (headlines are searched too)"
        ),
        other => other.to_string(),
    };
    let _ = query;
    QueryError::Invalid(message)
}

/// Wraps the excluded clauses of a parsed query (other than single terms) in
/// [`PlainSeek`], at every level of nesting.
///
/// tantivy asks an excluded docset "is this doc in you?" with `seek_danger`, and its
/// phrase scorer asserts (in debug builds) that the doc is not before where it stands,
/// which it may be after an earlier miss: `ap -"on ap"` stopped debug builds and the
/// `query` fuzz target, though release builds answered right. Answering by plain
/// `seek` is correct in every build, and what an exclusion costs is unchanged.
fn exclusions_seek_plainly(query: Box<dyn Query>) -> Box<dyn Query> {
    rewrite_exclusions(&*query).unwrap_or(query)
}

/// The rewritten query, or `None` when it has no exclusion to wrap.
fn rewrite_exclusions(query: &dyn Query) -> Option<Box<dyn Query>> {
    let boolean = query.downcast_ref::<BooleanQuery>()?;
    let mut changed = false;
    let clauses = boolean
        .clauses()
        .iter()
        .map(|(occur, q)| {
            let inner = rewrite_exclusions(&**q);
            changed |= inner.is_some();
            let q = inner.unwrap_or_else(|| q.box_clone());
            if *occur == Occur::MustNot && !q.is::<TermQuery>() {
                changed = true;
                (*occur, Box::new(PlainSeek(q)) as Box<dyn Query>)
            } else {
                (*occur, q)
            }
        })
        .collect();
    changed.then(|| {
        Box::new(BooleanQuery::with_minimum_required_clauses(
            clauses,
            boolean.get_minimum_number_should_match(),
        )) as Box<dyn Query>
    })
}

/// A query whose scorers answer `seek_danger` by `seek` (see
/// [`exclusions_seek_plainly`]); it matches and scores as the query it wraps.
#[derive(Debug)]
struct PlainSeek(Box<dyn Query>);

impl Clone for PlainSeek {
    fn clone(&self) -> Self {
        PlainSeek(self.0.box_clone())
    }
}

impl Query for PlainSeek {
    fn weight(
        &self,
        scoring: tantivy::query::EnableScoring<'_>,
    ) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(PlainSeekWeight(self.0.weight(scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct PlainSeekWeight(Box<dyn tantivy::query::Weight>);

impl tantivy::query::Weight for PlainSeekWeight {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        let inner = self.0.scorer(reader, boost)?;
        // tantivy drops an empty exclusion by its type: keep that one as it is.
        if inner.is::<tantivy::query::EmptyScorer>() {
            return Ok(inner);
        }
        Ok(Box::new(PlainSeekScorer(inner)))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Forwards everything but `seek_danger`, which is left to the trait's own default
/// (built on `seek`, and never leaving the docset in an unusable state).
struct PlainSeekScorer(Box<dyn tantivy::query::Scorer>);

impl tantivy::DocSet for PlainSeekScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }
    fn seek(&mut self, target: DocId) -> DocId {
        self.0.seek(target)
    }
    fn doc(&self) -> DocId {
        self.0.doc()
    }
    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl tantivy::query::Scorer for PlainSeekScorer {
    fn score(&mut self) -> tantivy::Score {
        self.0.score()
    }
}

/// Collects the analysed terms a query matches on (positive clauses only) and the
/// prefixes of `word*` clauses, for highlighting.
fn highlighter_for(query: &dyn Query, text: &str, fields: &Fields) -> Highlighter {
    let excluded: HashSet<String> = text
        .split_whitespace()
        .filter_map(|w| w.strip_prefix('-'))
        .flat_map(analyse)
        .collect();
    // Terms that need positions belong to phrases, highlighted only as whole phrases.
    let mut terms = Vec::new();
    query.query_terms(&mut |term, needs_positions| {
        if !needs_positions
            && (term.field() == fields.body || term.field() == fields.title)
            && let Some(s) = term.value().as_str()
            && !excluded.contains(s)
        {
            terms.push(s.to_string());
        }
    });
    let mut phrases = Vec::new();
    let mut phrase_prefixes = Vec::new();
    let parts: Vec<&str> = text.split('"').collect();
    for (i, part) in parts.iter().enumerate() {
        // Odd parts are inside quotes; skip an excluded phrase (`-"…"`).
        if i % 2 == 0 || parts[i - 1].ends_with('-') {
            continue;
        }
        // `"tony bla"*`: the last word is a prefix of the word found there.
        if parts.get(i + 1).is_some_and(|after| after.starts_with('*')) {
            let words: Vec<&str> = part
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            if let Some((last, whole)) = words.split_last() {
                let whole = whole.iter().flat_map(|w| analyse(w)).collect();
                phrase_prefixes.push((whole, snippet::fold(last)));
            }
        } else {
            phrases.push(analyse(part));
        }
    }
    let prefixes = text
        .split_whitespace()
        // A word that closes a quote is a phrase's prefix (above).
        .filter(|w| !w.starts_with('-') && !w.contains('"'))
        .filter_map(|w| w.trim_start_matches(['+', '(']).strip_suffix('*'))
        .map(|w| w.rsplit(':').next().unwrap_or(w))
        .map(snippet::fold)
        .filter(|w| !w.is_empty())
        .collect();
    Highlighter::new(terms, prefixes)
        .with_phrases(phrases)
        .with_phrase_prefixes(phrase_prefixes)
}

/// Analyses a word as the index does.
fn analyse(word: &str) -> Vec<String> {
    let mut a = schema::analyzer();
    let mut s = a.token_stream(word);
    let mut out = Vec::new();
    while let Some(t) = s.next() {
        out.push(t.text.clone());
    }
    out
}

#[cfg(test)]
mod prefix_tests {
    use super::*;

    #[test]
    fn bare_star_words_become_prefixes_outside_quotes_only() {
        let (rest, prefixes) = split_prefixes(r#"tony bla* -ira* title:Econ* "big wo"*"#);
        assert_eq!(rest, r#"tony "big wo"*"#);
        let got: Vec<(Occur, Option<&str>, &str)> = prefixes
            .iter()
            .map(|p| (p.occur, p.field.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Occur::Must, None, "bla"),
                (Occur::MustNot, None, "ira"),
                (Occur::Must, Some("title"), "econ"),
            ]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{IndexOptions, NoProgress};
    use std::sync::atomic::AtomicBool;

    // The fuzz targets and any server keep one engine for many threads; its column
    // cache once made it neither (caught only by `cargo fuzz`, outside CI).
    #[test]
    fn an_engine_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Engine>();
    }

    fn engine_over(jsonl: &str) -> (tempfile::TempDir, Engine) {
        let dir = tempfile::tempdir().expect("temp dir");
        let src = dir.path().join("news.jsonl");
        std::fs::write(&src, jsonl).expect("write fixture");
        let index_dir = dir.path().join("index");
        let opts = IndexOptions {
            threads: 1,
            memory_bytes: 15 << 20,
            ..IndexOptions::default()
        };
        crate::index::run(
            &index_dir,
            &[src],
            &opts,
            &NoProgress,
            &AtomicBool::new(false),
        )
        .expect("index");
        let (index, fields) = crate::index::open(&index_dir).expect("open");
        (dir, Engine::new(index, fields).expect("engine"))
    }

    // Found by the `query` fuzz target: slicing the query at a field name's length cut
    // the typographic apostrophe in two.
    #[test]
    fn a_multibyte_character_where_a_field_name_would_end_is_not_a_crash() {
        for q in ["Trump’s wall", "Kyiv’s mayor", "     ’Oods", "countr€:x"] {
            let (rest, filters) = split_entity_terms(q, &Filters::default()).expect(q);
            assert_eq!(rest, q);
            assert!(filters.is_empty());
        }
        let (rest, filters) =
            split_entity_terms("Trump’s person:trump", &Filters::default()).expect("split");
        assert_eq!(rest, "Trump’s ");
        assert_eq!(filters.persons, vec![vec!["trump".to_string()]]);
    }

    // A phrase is counted by the pass that ranks it; the count must still cover every
    // match, not the page, and agree with counting through the weight.
    #[test]
    fn a_phrase_is_counted_in_the_pass_that_ranks_it() {
        let (_dir, engine) = engine_over(concat!(
            "{\"id\": \"a\", \"body\": \"The ferry sailed at dawn.\\n\\nNo ferry today.\"}\n",
            "{\"id\": \"b\", \"body\": \"A ferry sailed late.\\n\\nThe sailed ferry.\"}\n",
            "{\"id\": \"c\", \"body\": \"Once more the ferry sailed.\"}\n",
        ));
        let phrase = engine
            .prepare("\"ferry sailed\"", &Filters::default(), false)
            .expect("prepare");
        assert!(needs_positions(&*phrase.query));
        let words = engine
            .prepare("ferry sailed", &Filters::default(), false)
            .expect("prepare");
        assert!(!needs_positions(&*words.query));
        let found = engine
            .search(&SearchOptions {
                query: "\"ferry sailed\"".into(),
                limit: 1,
                ..SearchOptions::default()
            })
            .expect("search");
        assert_eq!(found.hits.len(), 1);
        assert_eq!(found.total_hits, 3);
        assert_eq!(
            found.total_hits,
            phrase.query.count(engine.searcher()).expect("count")
        );
    }

    // Found by the `query` fuzz target: tantivy allocated `limit + offset` slots.
    #[test]
    fn huge_limit_or_offset_is_not_a_crash() {
        let (_dir, engine) = engine_over(
            "{\"id\": \"a\", \"body\": \"The ferry sailed.\\n\\nThe ferry came back.\"}\n",
        );
        let search = |limit, offset| {
            engine
                .search(&SearchOptions {
                    query: "ferry".into(),
                    limit,
                    offset,
                    ..SearchOptions::default()
                })
                .expect("search")
        };
        let all = search(usize::MAX, 0);
        assert_eq!((all.total_hits, all.hits.len()), (2, 2));
        assert_eq!(search(usize::MAX, 1).hits.len(), 1);
        assert_eq!(search(1, 1).hits[0].rank, 2);
        assert!(search(10, usize::MAX).hits.is_empty());
        assert!(search(usize::MAX, usize::MAX).hits.is_empty());
    }
}
