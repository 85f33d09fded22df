//! Query parsing and a full search over a small index: any query and filters give Ok or
//! Err, never a panic.
//!
//! Input: a flags byte (group, facets, limit, offset, snippet length), then fields
//! separated by 0x1F: the query, then --person, --country, --org (each a comma-separated
//! "any of" list), --since and --until.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::index::{IndexOptions, NoProgress};
use newsdex::search::{Engine, Filters, SearchOptions, check_syntax};
use std::sync::OnceLock;
use std::sync::atomic::AtomicBool;

const ARTICLES: &str = r#"{"id": "a1", "title": "Macron meets Merkel in Berlin", "date": "2024-03-01", "author": "Ann Lee", "body": "French President Emmanuel Macron met German Chancellor Angela Merkel in Berlin on Friday.\n\nThe talks covered Ukraine, NATO and the European Union budget.\n\nMr Macron said that \u201cEurope must stand together\u201d.\n\nThe leaders in Berlin (Michel Euler/AP)"}
{"id": "a2", "title": "Floods in Pakistan", "date": "2023-08-15", "body": "Floods in Pakistan have displaced millions, the United Nations said.\n\n## Relief\n\nThe World Health Organization warned of cholera. Prime Minister Shehbaz Sharif visited Sindh."}
{"id": "a3", "title": "Markets", "body": "Shares in Apple rose 3% in New York. Google and Microsoft fell.\n\nAnalysts at Goldman Sachs expect rates to fall; the Fed disagreed."}
{"id": "a4", "date": "2021-01-20", "body": "Joe Biden was sworn in as president of the United States. Kamala Harris became vice-president.\n\nBiden spoke of unity. \"We will get through this together,\" he said."}
"#;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<(tempfile::TempDir, Engine)> = OnceLock::new();
    &ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let src = dir.path().join("news.jsonl");
            std::fs::write(&src, ARTICLES).expect("write fixture");
            let index_dir = dir.path().join("index");
            let opts = IndexOptions {
                threads: 1,
                memory_bytes: 15 << 20,
                ..IndexOptions::default()
            };
            let summary = newsdex::index::run(
                &index_dir,
                &[src],
                &opts,
                &NoProgress,
                &AtomicBool::new(false),
            )
            .expect("index the fixture");
            assert_eq!(summary.articles, 4, "{summary:?}");
            let (index, fields) = newsdex::index::open(&index_dir).expect("open the index");
            let engine = Engine::new(index, fields).expect("an engine");
            (dir, engine)
        })
        .1
}

fn any_of(s: &str) -> Vec<Vec<String>> {
    if s.is_empty() {
        Vec::new()
    } else {
        vec![s.split(',').map(str::to_string).collect()]
    }
}

fuzz_target!(|data: &[u8]| {
    let (f, rest) = newsdex_fuzz::flags(data);
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut parts = text.split('\u{1f}');
    let query = parts.next().unwrap_or("");
    let _ = check_syntax(query);
    let mut next = || parts.next().unwrap_or("");
    let filters = Filters {
        persons: any_of(next()),
        countries: any_of(next()),
        orgs: any_of(next()),
        since: Some(next()).filter(|s| !s.is_empty()).map(str::to_string),
        until: Some(next()).filter(|s| !s.is_empty()).map(str::to_string),
    };
    let opts = SearchOptions {
        query: query.to_string(),
        filters,
        group: f & 1 != 0,
        facets: f & 2 != 0,
        limit: [0, 1, 3, 10, usize::MAX][((f >> 2) % 5) as usize],
        // The CLI passes --offset through unchecked.
        offset: [0, 1, 5, usize::MAX][((f >> 5) & 3) as usize],
        facet_limit: (f >> 4) as usize & 3,
        snippet_bytes: [240, 0, 1, 17][((f >> 6) & 3) as usize],
    };
    let _ = engine().search(&opts);
});
