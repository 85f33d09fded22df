//! Criterion micro-benchmarks of the pipeline stages: splitter, entity extractor, text
//! analyzer and snippet generator.
//!
//! `cargo bench --bench pipeline`. Self-contained: the article below is invented for this
//! benchmark (no file under `../shared` is read), written in the style of the archives
//! newsdex indexes: titles and roles, demonyms, capitals, organisations, a photo caption,
//! a quotation broken over two blocks, hard-wrapped lines and one overlong paragraph. The
//! analyzer benchmark also reads the repository's own `examples/articles/*.txt`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use newsdex::entities::extractor;
use newsdex::schema;
use newsdex::snippet::Highlighter;
use newsdex::split::split_text;
use std::hint::black_box;

const TITLE: &str = "Ministers weigh a reassurance force as talks resume in Geneva";

const ARTICLE: &str = "\
Foreign ministers from France, Germany and Poland met in Geneva on Tuesday to weigh a
reassurance force for the region, as talks between Kyiv and Moscow resumed after a
three-week pause.

Prime Minister Helena Marsh told reporters that the United Kingdom would \"play its full
part\" but that any deployment needed the backing of Nato and the European Union.

Mrs Marsh said the plan was

\"not a peacekeeping mission in the old sense, but a promise that we will not look away\".

The French President, Emmanuel Laurent, called the meeting \"serious and useful\". Mr Laurent
added that Paris had already offered two battalions and air cover from bases in Romania.

German Chancellor Otto Brenner was more cautious. Berlin, he said, would wait for the
Bundestag, and for a clear mandate from the United Nations Security Council, before
committing troops. A spokesman for the chancellor, Jens Falk, said the government was
\"in listening mode\".

Ukrainian officials welcomed the talks. Deputy Foreign Minister Olena Hrytsenko said Kyiv
wanted guarantees \"with teeth\", not statements. The Kremlin did not comment.

Delegates arrive at the Palais des Nations in Geneva on Tuesday (Pierre Duval/Reuters)

Markets reacted calmly. The euro rose 0.3% against the dollar and shares in defence firms
such as Nordhaven Systems Ltd and Baltic Shipyards AG edged higher in Frankfurt and London,
while oil prices slipped on hopes of calmer shipping lanes in the Black Sea.

Analysts at the International Monetary Fund said a lasting ceasefire would lift growth in
eastern Europe by as much as a percentage point next year. Sir Michael Ross, a former
ambassador to Washington, said the United States remained the decisive voice. \"Without
Washington, this is a conversation, not a force,\" he said. Officials in Warsaw and Vilnius
were said to share that view. Lithuanian and Estonian diplomats pressed for air defence to
be part of any package. The Estonian prime minister, Kadri Sepp, said Tallinn stood ready
to host a headquarters. Finland and Sweden, both now members of Nato, sent observers.
Turkey's foreign minister called for the Black Sea to be kept open to grain shipments.
China urged restraint on all sides and offered to host a follow-up meeting in Beijing.
The next round of talks is expected in Istanbul later this month, officials said.

Mr Laurent and Mrs Marsh are due to speak again on Thursday. Mr Brenner will travel to
Warsaw at the weekend to meet Polish President Tomasz Wojcik.
";

/// Analysed forms of the words, as the index stores them (lower-cased, folded, stemmed).
fn analysed(words: &str) -> Vec<String> {
    let mut analyzer = schema::analyzer();
    let mut stream = analyzer.token_stream(words);
    let mut out = Vec::new();
    while let Some(tok) = stream.next() {
        out.push(tok.text.clone());
    }
    out
}

fn bench_split(c: &mut Criterion) {
    let mut g = c.benchmark_group("split");
    g.throughput(Throughput::Bytes(ARTICLE.len() as u64));
    g.bench_function("article", |b| b.iter(|| split_text(black_box(ARTICLE))));
    g.finish();
}

fn bench_entities(c: &mut Criterion) {
    let paragraphs = split_text(ARTICLE);
    let ex = extractor();
    let mut g = c.benchmark_group("entities");
    // Per paragraph: criterion reports elements/s, i.e. the inverse of µs/paragraph.
    g.throughput(Throughput::Elements(paragraphs.len() as u64));
    g.bench_function("extract_article", |b| {
        b.iter(|| ex.extract(black_box(Some(TITLE)), black_box(&paragraphs)))
    });
    g.finish();

    // Building the gazetteers once: paid by every process that extracts or looks up.
    let mut g = c.benchmark_group("entities");
    g.sample_size(10);
    g.bench_function("new_extractor", |b| {
        b.iter(newsdex::entities::Extractor::new)
    });
    g.finish();
}

/// The repository's sample articles (`examples/articles/*.txt`), in name order.
fn sample_articles() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/articles is in the repository")
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("readable sample article"))
        .collect()
}

fn bench_analyzer(c: &mut Criterion) {
    let texts = sample_articles();
    let mut analyzer = schema::analyzer();
    let count = |analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
        let mut n = 0u64;
        for text in &texts {
            let mut stream = analyzer.token_stream(black_box(text));
            while stream.advance() {
                n += 1;
            }
        }
        n
    };
    let tokens = count(&mut analyzer);
    let mut g = c.benchmark_group("analyzer");
    // Per token: criterion reports elements/s, i.e. tokens per second. The analyzer is
    // reused across iterations, as an indexing thread reuses its own (warm stem cache).
    g.throughput(Throughput::Elements(tokens));
    g.bench_function("sample_articles", |b| b.iter(|| count(&mut analyzer)));
    g.finish();
}

fn bench_snippet(c: &mut Criterion) {
    // The longest paragraph: the worst case for windowing.
    let long = split_text(ARTICLE)
        .into_iter()
        .map(|p| p.text)
        .max_by_key(|t| t.len())
        .expect("the article has paragraphs");
    let cases: Vec<(&str, Highlighter)> = vec![
        ("one_term", Highlighter::new(analysed("ceasefire"), vec![])),
        (
            "three_terms",
            Highlighter::new(analysed("Washington force officials"), vec![]),
        ),
        (
            "prefix",
            Highlighter::new(vec![], vec!["minist".to_string(), "est".to_string()]),
        ),
        (
            "phrase",
            Highlighter::new(analysed("Black Sea"), vec![])
                .with_phrases(vec![analysed("Black Sea")]),
        ),
        ("no_match", Highlighter::new(analysed("zeppelin"), vec![])),
    ];
    let mut g = c.benchmark_group("snippet");
    g.throughput(Throughput::Bytes(long.len() as u64));
    for (name, h) in &cases {
        g.bench_with_input(
            BenchmarkId::new("long_paragraph", name),
            &long,
            |b, text| b.iter(|| h.snippet(black_box(text), 240)),
        );
    }
    g.finish();
}

criterion_group!(
    benches,
    bench_split,
    bench_entities,
    bench_analyzer,
    bench_snippet
);
criterion_main!(benches);
