//! The tantivy schema and its field handles, in one place.
//!
//! One tantivy document per paragraph. Text fields use [`ANALYZER`] (lower-case, ASCII
//! folding, English stemming), so `Ukrainian` finds `ukrainians`; `body` (headline and
//! paragraph) keeps positions for phrases. Entities are facets: `/person/Emmanuel
//! Macron`, `/country/FR`, `/org/Nato`; they, the id, the headline and the paragraph
//! number are columns, and only the paragraph's text is stored.

use rustc_hash::FxHashMap;
use tantivy::Index;
use tantivy::schema::{DateOptions, DateTimePrecision};
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
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
        let para = b.add_u64_field("para", tantivy::schema::FAST);
        let kind = b.add_text_field("kind", STRING | tantivy::schema::FAST);
        // The source is stored only where it differs from the id (records: `file:line`);
        // the root folder it came from is a column on first paragraphs, for --prune.
        let source = b.add_text_field("source", STORED);
        let root = b.add_text_field("root", STRING | tantivy::schema::FAST);
        let date = b.add_date_field(
            "date",
            DateOptions::from(tantivy::schema::FAST).set_precision(DateTimePrecision::Seconds),
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
///
/// Gives exactly the tokens of tantivy's
/// `SimpleTokenizer → RemoveLongFilter::limit(40) → LowerCaser → AsciiFoldingFilter`
/// followed by English Snowball stemming, in one pass: see [`NewsTokenizer`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(NewsTokenizer::default())
}

/// Tokens of this many bytes or more (as split, before lower-casing) are dropped, as
/// tantivy's `RemoveLongFilter::limit(40)` does; they still take a position.
const MAX_TOKEN_BYTES: usize = 40;

/// Entries kept in the stem cache before it is emptied, bounding its memory (a few MB).
const STEM_CACHE_MAX: usize = 50_000;

/// Lower-casing then ASCII folding of one token, by tantivy's own filters (their folding
/// table is private): the slow path, for tokens that are not all ASCII.
type FoldChain = <AsciiFoldingFilter as TokenFilter>::Tokenizer<
    <LowerCaser as TokenFilter>::Tokenizer<RawTokenizer>,
>;

/// [`ASCII_CLASS`] entry of a byte that starts or continues a multi-byte character.
const NON_ASCII: u8 = 0xFF;

/// Per byte: an ASCII letter or digit as lower-cased, 0 for any other ASCII byte,
/// [`NON_ASCII`] for the rest. Splitting and lower-casing in one look-up.
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c >= 0x80 {
            NON_ASCII
        } else if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else {
            0
        };
        b += 1;
    }
    table
};

/// A stem cache key: the lower-cased, folded token, zero-padded. A fixed-size key hashes
/// and compares in five word steps, without a call; every ASCII token that is kept fits.
#[derive(Clone, Copy)]
struct StemKey {
    bytes: [u8; MAX_TOKEN_BYTES],
    len: u8,
}

impl StemKey {
    const EMPTY: StemKey = StemKey {
        bytes: [0; MAX_TOKEN_BYTES],
        len: 0,
    };

    /// The key for `text`, if it fits.
    fn of(text: &str) -> Option<StemKey> {
        let mut key = StemKey::EMPTY;
        key.bytes
            .get_mut(..text.len())?
            .copy_from_slice(text.as_bytes());
        key.len = text.len() as u8;
        Some(key)
    }

    #[inline]
    fn words(&self) -> impl Iterator<Item = u64> + '_ {
        self.bytes
            .chunks_exact(8)
            .map(|word| u64::from_ne_bytes(word.try_into().expect("8 bytes")))
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..usize::from(self.len)])
            .expect("a key is made from a string or from ASCII bytes")
    }
}

impl PartialEq for StemKey {
    #[inline]
    fn eq(&self, other: &StemKey) -> bool {
        // Branch-free. The zero padding makes the length redundant: no token has a NUL.
        self.words()
            .zip(other.words())
            .fold(0, |diff, (a, b)| diff | (a ^ b))
            == 0
    }
}

impl Eq for StemKey {}

impl std::hash::Hash for StemKey {
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.words().for_each(|word| state.write_u64(word));
    }
}

/// newsdex's text analysis as one tokenizer: splitting into runs of alphanumeric
/// characters (`char::is_alphanumeric`, as tantivy's `SimpleTokenizer`), dropping tokens
/// of [`MAX_TOKEN_BYTES`] or more, lower-casing, ASCII folding and English Snowball
/// stemming (the same algorithm as tantivy's `Stemmer`) behind a cache.
///
/// The tantivy filter chain it replaces walked and copied every token once per stage.
/// Here one scan over the bytes finds an all-ASCII token and lower-cases it into a
/// fixed-size cache key, and the cached stem is the only copy. Tokens with other
/// characters go through tantivy's `LowerCaser` and `AsciiFoldingFilter` themselves, so
/// the two can never disagree.
///
/// News repeats its vocabulary: a few thousand word forms make most of any archive, and
/// stemming each occurrence afresh was a tenth of indexing time. The cache is per
/// thread, so there is no locking: see [`STEMS`].
///
/// A headline is indexed on every paragraph of its article, twice (in `title` and in
/// `body`): a tenth of all tokens. Each tokenizer keeps the tokens of the last short text
/// it analysed ([`Recent`]) and replays them when the same text comes again.
#[derive(Clone)]
pub struct NewsTokenizer {
    token: Token,
    fold: FoldChain,
    recent: Recent,
}

impl Default for NewsTokenizer {
    fn default() -> NewsTokenizer {
        NewsTokenizer {
            token: Token::default(),
            fold: AsciiFoldingFilter.transform(LowerCaser.transform(RawTokenizer::default())),
            recent: Recent::default(),
        }
    }
}

/// Texts up to this many bytes are remembered for replay: headlines, and not paragraphs,
/// whose tokens would cost more to copy than they are likely to be seen again.
const REPLAY_MAX_BYTES: usize = 200;

/// The last short text a tokenizer analysed and the tokens it gave, followed by the token
/// as the call that found no more left it. The slots are reused from text to text, so
/// recording allocates only while a text is longer than any before it.
#[derive(Clone, Default)]
struct Recent {
    text: String,
    /// `tokens[..len]` is the recording.
    tokens: Vec<Token>,
    len: usize,
    /// Whether the recording went to the end of the text (a stream can be dropped early).
    whole: bool,
}

impl Recent {
    fn record(&mut self, token: &Token) {
        if let Some(slot) = self.tokens.get_mut(self.len) {
            slot.clone_from(token);
        } else {
            self.tokens.push(token.clone());
        }
        self.len += 1;
    }
}

/// What a stream does with [`Recent`].
enum Replay {
    /// Analyses the text and does not record it.
    Off,
    /// Analyses the text and records its tokens.
    Record,
    /// Gives back the recorded tokens; the number given so far.
    From(usize),
}

type StemCache = FxHashMap<StemKey, Box<str>>;

thread_local! {
    /// The stem cache of this thread. tantivy clones the analyzer for each text field of
    /// each segment it writes; a cache in every clone held the same stems twice per
    /// indexing thread, about 5 MB each. A token stream takes the cache and puts it back
    /// when dropped.
    static STEMS: std::cell::Cell<StemCache> = std::cell::Cell::default();
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        // A second stream alive on the same thread (none is, today) would find the
        // cache empty: slower, still right.
        let mut cache = STEMS.try_with(std::cell::Cell::take).unwrap_or_default();
        if cache.len() > STEM_CACHE_MAX {
            cache.clear();
        }
        self.token.reset();
        let replay = if text.len() > REPLAY_MAX_BYTES {
            Replay::Off
        } else if self.recent.whole && self.recent.text == text {
            Replay::From(0)
        } else {
            self.recent.text.clear();
            self.recent.text.push_str(text);
            self.recent.len = 0;
            self.recent.whole = false;
            Replay::Record
        };
        NewsTokenStream {
            text,
            cursor: 0,
            key: StemKey::EMPTY,
            token: &mut self.token,
            cache,
            fold: &mut self.fold,
            recent: &mut self.recent,
            replay,
        }
    }
}

impl Drop for NewsTokenStream<'_> {
    fn drop(&mut self) {
        let cache = std::mem::take(&mut self.cache);
        // After the thread's locals are gone (a stream dropped during thread exit), the
        // cache just goes.
        let _ = STEMS.try_with(|stems| stems.set(cache));
    }
}

/// Token stream of [`NewsTokenizer`].
pub struct NewsTokenStream<'a> {
    text: &'a str,
    /// Byte offset where the search for the next token starts.
    cursor: usize,
    /// The current token lower-cased and folded: its key in the stem cache.
    key: StemKey,
    token: &'a mut Token,
    cache: StemCache,
    fold: &'a mut FoldChain,
    recent: &'a mut Recent,
    replay: Replay,
}

fn english_stemmer() -> &'static frostem::Stemmer {
    static STEMMER: std::sync::OnceLock<frostem::Stemmer> = std::sync::OnceLock::new();
    STEMMER.get_or_init(|| frostem::Stemmer::new(frostem::Algorithm::English))
}

/// The character starting at byte `at` of `text` (a character boundary).
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().expect("a character starts here")
}

impl NewsTokenStream<'_> {
    /// Finds the next run of alphanumeric characters from the cursor and moves the cursor
    /// past it. Returns its byte range and whether [`Self::key`] holds it lower-cased
    /// (all ASCII and shorter than [`MAX_TOKEN_BYTES`]); `None` at the end of the text.
    #[inline]
    fn next_run(&mut self) -> Option<(usize, usize, bool)> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut at = self.cursor;
        loop {
            let class = ASCII_CLASS[usize::from(*bytes.get(at)?)];
            if class == NON_ASCII {
                let c = char_at(text, at);
                if c.is_alphanumeric() {
                    break;
                }
                at += c.len_utf8();
            } else if class != 0 {
                break;
            } else {
                at += 1;
            }
        }
        let from = at;
        // Fast path: ASCII letters and digits, lower-cased into the key as they are read.
        self.key = StemKey::EMPTY;
        let window = &bytes[from..bytes.len().min(from + MAX_TOKEN_BYTES)];
        let mut ascii = true;
        for (slot, &b) in self.key.bytes.iter_mut().zip(window) {
            let class = ASCII_CLASS[usize::from(b)];
            if class == 0 || class == NON_ASCII {
                break;
            }
            *slot = class;
            at += 1;
        }
        // Slow path: anything else, up to the end of the run.
        while let Some(&b) = bytes.get(at) {
            let class = ASCII_CLASS[usize::from(b)];
            if class == NON_ASCII {
                let c = char_at(text, at);
                if !c.is_alphanumeric() {
                    break;
                }
                ascii = false;
                at += c.len_utf8();
            } else if class != 0 {
                at += 1;
            } else {
                break;
            }
        }
        self.cursor = at;
        let keyed = ascii && at - from < MAX_TOKEN_BYTES;
        if keyed {
            self.key.len = (at - from) as u8;
        }
        Some((from, at, keyed))
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        match self.replay {
            Replay::Off => self.analyse(),
            Replay::Record => {
                let more = self.analyse();
                self.recent.record(self.token);
                if !more {
                    // Recorded through to the end state: only now is it whole.
                    self.recent.whole = true;
                    self.replay = Replay::Off;
                }
                more
            }
            Replay::From(given) => {
                // The last recorded token is the end state.
                let last = self.recent.len - 1;
                self.token.clone_from(&self.recent.tokens[given.min(last)]);
                self.replay = Replay::From(given + 1);
                given < last
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl NewsTokenStream<'_> {
    /// The next token from the text itself.
    fn analyse(&mut self) -> bool {
        // Every run takes a position, even one dropped for its length, and so does the
        // final call that finds none: as in tantivy's chain.
        let (from, to, keyed) = loop {
            self.token.text.clear();
            self.token.position = self.token.position.wrapping_add(1);
            let Some((from, to, keyed)) = self.next_run() else {
                return false;
            };
            self.token.offset_from = from;
            self.token.offset_to = to;
            if to - from < MAX_TOKEN_BYTES {
                break (from, to, keyed);
            }
        };
        if !keyed {
            // Not all ASCII: tantivy's own lower-casing and folding.
            let mut folded = self.fold.token_stream(&self.text[from..to]);
            folded.advance();
            let folded = &folded.token().text;
            let Some(key) = StemKey::of(folded) else {
                // Too long a key to cache (rare): stemmed afresh each time.
                self.token.text.push_str(&english_stemmer().stem(folded));
                return true;
            };
            self.key = key;
        }
        if let Some(stem) = self.cache.get(&self.key) {
            self.token.text.push_str(stem);
        } else {
            let stem = english_stemmer().stem(self.key.as_str());
            self.token.text.push_str(&stem);
            self.cache.insert(self.key, stem.into());
        }
        true
    }
}

/// Registers newsdex's analyzer on an index (needed after every open).
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER, analyzer());
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::tokenizer::{RemoveLongFilter, SimpleTokenizer};

    /// The analyzer as it was before [`NewsTokenizer`]: tantivy's chain and a cached
    /// stemmer filter. The reference the fused tokenizer must match token for token.
    fn reference_analyzer() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(CachedStemmer)
            .build()
    }

    #[derive(Clone, Copy)]
    struct CachedStemmer;

    impl TokenFilter for CachedStemmer {
        type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

        fn transform<T: Tokenizer>(self, tokenizer: T) -> CachedStemmerFilter<T> {
            CachedStemmerFilter {
                inner: tokenizer,
                cache: FxHashMap::default(),
            }
        }
    }

    #[derive(Clone)]
    struct CachedStemmerFilter<T> {
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

    struct CachedStemmerStream<'a, T> {
        tail: T,
        cache: &'a mut FxHashMap<String, String>,
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

    /// Every token, then the token as left by the call that found no more.
    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.clone());
        }
        out.push(s.token().clone());
        out
    }

    fn analyse(text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = s.next() {
            out.push(t.text.clone());
        }
        out
    }

    // The stem cache is the thread's: a stream takes it and gives it back when dropped.
    // Two streams alive at once (two analyzers, interleaved) must still both be right,
    // and the cache must survive for the next stream.
    #[test]
    fn streams_alive_at_once_share_the_threads_stem_cache_safely() {
        let (one, two) = (
            "Forces forced the talks",
            "talking, the forces were reassured",
        );
        // `tokens` ends with the state after the last token; these loops stop before it.
        let expected = |text: &str| {
            let mut t = tokens(&mut reference_analyzer(), text);
            t.pop();
            t
        };
        let (mut a, mut b) = (analyzer(), analyzer());
        let mut first = a.token_stream(one);
        let mut second = b.token_stream(two);
        let (mut got_one, mut got_two) = (Vec::new(), Vec::new());
        loop {
            let more_one = first.advance();
            if more_one {
                got_one.push(first.token().clone());
            }
            let more_two = second.advance();
            if more_two {
                got_two.push(second.token().clone());
            }
            if !more_one && !more_two {
                break;
            }
        }
        drop((first, second));
        let texts = |t: &[Token]| t.iter().map(|t| t.text.clone()).collect::<Vec<_>>();
        assert_eq!(texts(&got_one), texts(&expected(one)));
        assert_eq!(texts(&got_two), texts(&expected(two)));
        let cached = STEMS.with(|stems| {
            let cache = stems.take();
            let n = cache.len();
            stems.set(cache);
            n
        });
        assert!(
            cached > 0,
            "the stems are kept for the thread's next stream"
        );
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

    #[test]
    fn long_tokens_are_dropped_but_keep_their_position() {
        let long = "a".repeat(40);
        let text = format!("one {long} {} three", "b".repeat(39));
        let got = tokens(&mut analyzer(), &text);
        let texts: Vec<_> = got.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["one", &"b".repeat(39), "three", ""]);
        let positions: Vec<_> = got.iter().map(|t| t.position).collect();
        assert_eq!(positions[..3], [0, 2, 3]);
        // Bytes, before lower-casing: 20 two-byte letters are too long.
        assert_eq!(analyse(&"é".repeat(20)), Vec::<String>::new());
        assert_eq!(analyse(&"é".repeat(19)), vec!["e".repeat(19)]);
    }

    #[test]
    fn matches_the_reference_on_awkward_text() {
        let mut fused = analyzer();
        let mut reference = reference_analyzer();
        for text in AWKWARD {
            assert_eq!(
                tokens(&mut fused, text),
                tokens(&mut reference, text),
                "{text:?}"
            );
        }
    }

    /// Sentences in the style of the archives, with the characters that take the slow path.
    const AWKWARD: &[&str] = &[
        "",
        "   ",
        "Foreign ministers from France, Germany and Poland met in Geneva on Tuesday.",
        "The euro rose 0.3% against the dollar; shares in Nordhaven Systems Ltd edged higher.",
        "President Macron spoke at the Élysée Palace in Paris, and in Zürich and São Paulo.",
        "Señor Muñoz, Ünal Ağaoğlu and Łukasz Wróbel met in Kraków's Rynek Główny.",
        "Владимир Путин встретился с Си Цзиньпином в Пекине (北京) — 東京 too.",
        "It cost £1.2bn (€1.4bn), ½ of the budget, at 30°C: a naïve café co-operation.",
        "ΣΊΣΥΦΟΣ and ΌΣΟΣ; İstanbul ıstakoz; the Kelvin sign K and STRASSE ẞ.",
        "ﬁnancial ﬂows, Æsir Œuvre, ①②③ Ⓐ Ｆｕｌｌｗｉｄｔｈ １２３ ＡＢＣ",
        "e\u{0301}le\u{0300}ve and n\u{0303}o with combining marks; a\u{20DD}",
        "emoji 🎉🇬🇧 party 👩‍👩‍👧 family ✈️ flight 1️⃣ keycap",
        "x²+y³ and ²³ alone; Ⅻ Roman twelve; ٣ Arabic-Indic three; ༣",
        "Supercalifragilisticexpialidociousness1 antidisestablishmentarianismmmmmmm",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "ééééééééééééééééééé éééééééééééééééééééé aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaé",
        "tab\tnew\nline\r\nnul\u{0}end\u{FEFF}bom\u{00A0}nbsp\u{200B}zwsp",
    ];

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => "[a-zA-Z]{1,12}",
            1 => "[0-9]{1,6}",
            3 => "[ ,.;:!?'\"()\\-\n\t]{1,3}",
            1 => "\\p{L}{1,8}",
            1 => "[a-zA-Z\u{00C0}-\u{024F}]{1,12}",
            1 => "[a-zA-Z][\u{0300}-\u{036F}\u{20D0}-\u{20FF}]{1,2}",
            1 => "\\p{M}{1,3}",
            1 => "\\p{N}{1,4}",
            1 => "[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{FE0F}\u{200D}]{1,4}",
            1 => "[\u{FF10}-\u{FF5A}\u{2460}-\u{24FF}\u{FB00}-\u{FB06}ÆæŒœßẞÞþΣσςİıK]{1,6}",
            1 => "[a-zA-Z]{36,44}",
            1 => "[a-zé]{18,24}",
            1 => "[a-zA-Z0-9]{30,38}\\p{L}{1,3}",
            1 => "\\PC{1,6}",
            1 => "\\PC{30,50}",
            2 => proptest::sample::select(AWKWARD).prop_map(String::from),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => proptest::collection::vec(piece(), 0..24).prop_map(|v| v.concat()),
            1 => any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Token for token, field for field, the fused tokenizer is the old chain; also
        /// on a second pass, when the stem cache is warm.
        #[test]
        fn fused_analyzer_matches_the_reference_chain(text in text()) {
            let expected = tokens(&mut reference_analyzer(), &text);
            let mut fused = analyzer();
            prop_assert_eq!(&tokens(&mut fused, &text), &expected);
            prop_assert_eq!(&tokens(&mut fused, &text), &expected);
        }

        /// A short text analysed again (a headline, on each paragraph) is replayed: the
        /// replay is the analysis, also between other texts and after a stream that was
        /// dropped part-way through recording.
        #[test]
        fn replayed_texts_match_the_reference_chain(
            head in text(),
            other in text(),
            stop in 0usize..6,
        ) {
            let mut fused = analyzer();
            {
                let mut cut_short = fused.token_stream(&head);
                for _ in 0..stop {
                    cut_short.advance();
                }
            }
            for t in [&head, &head, &other, &head, &head, &other] {
                prop_assert_eq!(&tokens(&mut fused, t), &tokens(&mut reference_analyzer(), t));
            }
        }
    }

    /// Token for token over the BBC archive, when it is beside the repository:
    /// `cargo test --release -- --ignored --nocapture bbc`.
    #[test]
    #[ignore = "reads the BBC archive in ../shared/data/bbc"]
    fn fused_analyzer_matches_the_reference_chain_on_bbc() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc");
        let mut fused = analyzer();
        let mut reference = reference_analyzer();
        let (mut files, mut count) = (0usize, 0usize);
        for entry in walkdir::WalkDir::new(&root).sort_by_file_name() {
            let entry = entry.expect("readable BBC folder");
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let bytes = std::fs::read(path).expect("readable article");
            let text = String::from_utf8_lossy(&bytes);
            let expected = tokens(&mut reference, &text);
            assert_eq!(tokens(&mut fused, &text), expected, "{}", path.display());
            files += 1;
            count += expected.len() - 1;
        }
        assert!(files > 0, "no article under {}", root.display());
        println!("bbc: {files} files, {count} tokens identical");
    }
}
