//! End-to-end tests: the real binary against the small archive in tests/fixtures/news.

mod common;

use common::{newsdex, stats};

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/news")
}

/// A fresh index of the fixture archive.
fn indexed() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let index = tmp.path().join("index");
    newsdex(&index)
        .arg("index")
        .arg(fixtures())
        .assert()
        .success();
    (tmp, index)
}

fn search_json(index: &Path, args: &[&str]) -> (Value, i32) {
    let out = newsdex(index)
        .arg("search")
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (v, code)
}

/// The highlighted substrings of a hit's snippet.
fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["snippet"]["text"].as_str().unwrap();
    hit["snippet"]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            text[a..b].to_string()
        })
        .collect()
}

#[test]
fn keyword_search_ranks_the_lead_paragraph_first_and_highlights_both_words() {
    let (_tmp, index) = indexed();
    let (v, code) = search_json(&index, &["reassurance force"]);
    assert_eq!(code, 0);
    let first = &v["hits"][0];
    assert_eq!(first["article_id"], "news/summit-reassurance.txt");
    assert_eq!(first["para"], 1);
    assert_eq!(first["rank"], 1);
    let hl = highlighted(first);
    assert!(hl.contains(&"reassurance".to_string()), "{hl:?}");
    assert!(hl.contains(&"force".to_string()), "{hl:?}");
}

#[test]
fn json_output_carries_every_documented_field() {
    let (_tmp, index) = indexed();
    let (v, _) = search_json(&index, &["strike"]);
    for key in ["query", "total_hits", "took_ms", "hits"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let hit = &v["hits"][0];
    for key in [
        "rank",
        "score",
        "article_id",
        "title",
        "para",
        "kind",
        "source",
        "text",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "missing hits[].{key}");
    }
    assert_eq!(hit["title"], "Dock workers end strike at Valdora harbour");
}

#[test]
fn stemmed_variants_match_and_are_highlighted() {
    let (_tmp, index) = indexed();
    let (v, _) = search_json(&index, &["force", "--limit", "20"]);
    let ferry = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["article_id"] == "news/ferry-forces.txt" && h["para"] == 1)
        .expect("'force' finds 'forces'");
    assert!(highlighted(ferry).contains(&"forces".to_string()));
}

#[test]
fn phrase_query_matches_adjacent_words_only() {
    let (_tmp, index) = indexed();
    // The headline says "join forces" too, and every paragraph carries its headline,
    // so all hits are from that article; the paragraph that says it ranks first.
    let (v, _) = search_json(&index, &["\"join forces\""]);
    for hit in v["hits"].as_array().unwrap() {
        assert_eq!(hit["article_id"], "news/ferry-forces.txt");
    }
    assert_eq!(v["hits"][0]["para"], 1);
    assert_eq!(highlighted(&v["hits"][0]), vec!["join", "forces"]);
    let (v, code) = search_json(&index, &["\"forces join\""]);
    assert_eq!((code, v["total_hits"].as_u64()), (1, Some(0)));
}

#[test]
fn excluded_word_removes_hits() {
    let (_tmp, index) = indexed();
    let (all, _) = search_json(&index, &["force"]);
    let (v, _) = search_json(&index, &["force -ferry"]);
    assert!(v["total_hits"].as_u64() < all["total_hits"].as_u64());
    for h in v["hits"].as_array().unwrap() {
        assert_ne!(h["article_id"], "news/ferry-forces.txt");
    }
}

#[test]
fn no_hits_exits_1() {
    let (_tmp, index) = indexed();
    let (v, code) = search_json(&index, &["zeppelin"]);
    assert_eq!(code, 1);
    assert_eq!(v["total_hits"], 0);
}

#[test]
fn syntax_error_exits_2_with_one_line_naming_the_column() {
    let (_tmp, index) = indexed();
    let out = newsdex(&index)
        .args(["search", "strike \"harbour"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("column 8"), "{err}");
    assert!(!err.contains("SyntaxError"), "{err}");
}

#[test]
fn unknown_field_is_a_query_error() {
    let (_tmp, index) = indexed();
    newsdex(&index)
        .args(["search", "colour:red"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown field 'colour'"));
}

#[test]
fn title_field_matches_headline_words_only() {
    let (_tmp, index) = indexed();
    // `strike` is in one headline; `workers` is in the same article's headline and text.
    let (v, code) = search_json(&index, &["title:strike"]);
    assert_eq!(code, 0);
    let hits = v["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    for h in hits {
        assert_eq!(h["article_id"], "news/harbour-strike.txt", "{h}");
    }
    // Every paragraph of that article carries its headline.
    assert_eq!(
        v["total_hits"],
        stats_paragraphs_of(&index, "news/harbour-strike.txt")
    );
    // `ferry` is in a headline and text, but not in this one.
    let (_, code) = search_json(&index, &["title:strike ferry"]);
    assert_eq!(code, 1);
    // A phrase needs positions, which only plain words have: one clear sentence.
    newsdex(&index)
        .args(["search", "title:\"dock workers\""])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("takes words, not phrases"));
}

fn stats_paragraphs_of(index: &Path, id: &str) -> usize {
    let out = newsdex(index)
        .args(["show", id, "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["paragraphs"].as_array().unwrap().len()
}

#[test]
fn reindexing_the_same_input_adds_nothing() {
    let (_tmp, index) = indexed();
    let before = stats(&index);
    newsdex(&index)
        .arg("index")
        .arg(fixtures())
        .assert()
        .success()
        .stderr(predicates::str::contains("3 unchanged"));
    let after = stats(&index);
    assert_eq!(before["paragraphs"], after["paragraphs"]);
    assert_eq!(after["articles"], 3);
}

#[test]
fn changed_article_is_replaced_not_duplicated() {
    let tmp = TempDir::new().unwrap();
    let archive = tmp.path().join("news");
    std::fs::create_dir(&archive).unwrap();
    for f in ["ferry-forces.txt", "harbour-strike.txt"] {
        std::fs::copy(fixtures().join(f), archive.join(f)).unwrap();
    }
    let index = tmp.path().join("index");
    newsdex(&index)
        .arg("index")
        .arg(&archive)
        .assert()
        .success();
    std::fs::write(
        archive.join("ferry-forces.txt"),
        "Ferry operators cancel merger\n\nThe two ferry operators called off their merger on Friday.\n",
    )
    .unwrap();
    newsdex(&index)
        .arg("index")
        .arg(&archive)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 updated"));
    let (v, code) = search_json(&index, &["timetable"]);
    assert_eq!(code, 1, "old paragraphs are gone: {v}");
    let (v, _) = search_json(&index, &["merger"]);
    assert_eq!(v["total_hits"], 1);
    assert_eq!(stats(&index)["articles"], 2);
}

#[test]
fn the_same_id_twice_in_one_run_keeps_the_last_version_only() {
    let tmp = TempDir::new().unwrap();
    let feed = tmp.path().join("feed.jsonl");
    // The two versions of `a` usually travel in one batch to the writer: the
    // replacement's delete must come after the first version's paragraphs.
    std::fs::write(
        &feed,
        concat!(
            r#"{"id": "a", "title": "Draft", "body": "The tram line opens in May.\n\nTickets go on sale."}"#,
            "\n",
            r#"{"id": "b", "title": "Other", "body": "The ferry sails at noon."}"#,
            "\n",
            r#"{"id": "a", "title": "Final", "body": "The tram line opens in June."}"#,
            "\n",
        ),
    )
    .unwrap();
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&feed).assert().success();
    let (_, code) = search_json(&index, &["may"]);
    assert_eq!(code, 1, "the first version of 'a' is gone");
    let (v, _) = search_json(&index, &["tram"]);
    assert_eq!(v["total_hits"], 1);
    assert_eq!(v["hits"][0]["title"], "Final");
    let s = stats(&index);
    assert_eq!(s["articles"], 2);
    assert_eq!(s["paragraphs"], 2);
}

#[test]
fn quote_split_over_two_paragraphs_is_one_hit() {
    let (_tmp, index) = indexed();
    let (v, _) = search_json(&index, &["backlog"]);
    let text = v["hits"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("Harbour director Tomas Reinholt said that"),
        "{text}"
    );
    assert!(text.contains("backlog will be cleared"), "{text}");
}

#[test]
fn photo_caption_is_marked_caption() {
    let (_tmp, index) = indexed();
    let (v, _) = search_json(&index, &["cranes"]);
    assert_eq!(v["hits"][0]["kind"], "caption");
}

#[test]
fn hard_wrapped_lines_are_joined_for_phrases() {
    let (_tmp, index) = indexed();
    // "after" ends one line of the file and "the harbour authority" starts the next.
    let (v, code) = search_json(&index, &["\"after the harbour authority\""]);
    assert_eq!(code, 0);
    assert_eq!(v["hits"][0]["para"], 1);
}

#[test]
fn limit_and_offset_page_through_hits() {
    let (_tmp, index) = indexed();
    let (all, _) = search_json(&index, &["the", "--limit", "50"]);
    let (page, _) = search_json(&index, &["the", "--limit", "2", "--offset", "1"]);
    let hits = page["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0]["rank"], 2);
    assert_eq!(hits[0]["text"], all["hits"][1]["text"]);
    assert_eq!(hits[1]["text"], all["hits"][2]["text"]);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (_tmp, index) = indexed();
    let plain = newsdex(&index).args(["search", "strike"]).output().unwrap();
    assert!(!plain.stdout.contains(&0x1b), "escape codes on a pipe");
    let coloured = newsdex(&index)
        .env_remove("NO_COLOR")
        .args(["--color", "always", "search", "strike"])
        .output()
        .unwrap();
    assert!(coloured.stdout.contains(&0x1b));
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(text.contains("Dock workers end strike at Valdora harbour"));
}

#[test]
fn search_without_an_index_says_how_to_build_one() {
    let tmp = TempDir::new().unwrap();
    newsdex(&tmp.path().join("nothing"))
        .args(["search", "strike"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("newsdex index"));
}

#[test]
fn extract_json_prints_one_paragraph_per_line() {
    let out = Command::cargo_bin("newsdex")
        .unwrap()
        .args(["extract", "--json"])
        .arg(fixtures().join("harbour-strike.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    for (i, l) in lines.iter().enumerate() {
        for key in [
            "article_id",
            "source",
            "title",
            "para",
            "kind",
            "text",
            "persons",
            "countries",
            "orgs",
        ] {
            assert!(l.get(key).is_some(), "missing {key}");
        }
        assert_eq!(l["para"], i + 1);
    }
    assert_eq!(lines[2]["kind"], "caption");
}

#[test]
fn show_prints_the_whole_article() {
    let (_tmp, index) = indexed();
    newsdex(&index)
        .args(["show", "news/harbour-strike.txt"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Dock workers end strike"))
        .stdout(predicates::str::contains("¶5"));
    newsdex(&index)
        .args(["show", "news/none.txt"])
        .assert()
        .code(1);
}

#[test]
fn prefix_matches_words_that_start_with_it_and_highlights_them() {
    let (_tmp, index) = indexed();
    for query in ["reassur*", "reassuranc*", "REASSUR*"] {
        let (v, code) = search_json(&index, &[query]);
        assert_eq!(code, 0, "{query}");
        assert_eq!(v["hits"][0]["article_id"], "news/summit-reassurance.txt");
        assert!(
            highlighted(&v["hits"][0]).contains(&"reassurance".to_string()),
            "{query}"
        );
    }
    // A phrase ending in a prefix highlights the phrase it found, whole.
    let (v, code) = search_json(&index, &[r#""reassurance fo"*"#]);
    assert_eq!(code, 0);
    assert_eq!(v["hits"][0]["article_id"], "news/summit-reassurance.txt");
    assert_eq!(highlighted(&v["hits"][0]), ["reassurance", "force"]);
    // A prefix with excluded plain words: the words exclude, the prefix matches.
    let (v, code) = search_json(&index, &["ferr* -winter"]);
    assert_eq!(code, 0, "{v}");
    for hit in v["hits"].as_array().unwrap() {
        assert!(!hit["text"].as_str().unwrap().contains("winter"), "{hit}");
    }
    assert_eq!(v["total_hits"], 1);
    let (v, _) = search_json(&index, &["ferr* -cancel*"]);
    for hit in v["hits"].as_array().unwrap() {
        assert!(!hit["text"].as_str().unwrap().contains("cancel"));
    }
    assert_eq!(v["total_hits"], 2);
}

#[test]
fn an_excluded_phrase_leaves_out_exactly_the_paragraphs_that_hold_it() {
    let (_tmp, index) = indexed();
    let hits = |query: &str| {
        let (v, code) = search_json(&index, &[query, "--limit", "100"]);
        assert!(code == 0 || code == 1, "{query}: exit {code}, {v}");
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["text"].as_str().unwrap().to_string(), h["para"].clone()))
            .collect::<Vec<_>>()
    };
    // A phrase no paragraph holds excludes nothing; debug builds used to stop on it in
    // tantivy's phrase scorer.
    assert_eq!(hits(r#"ap -"on ap""#), hits("ap"));
    // One that some paragraphs hold excludes those and only those.
    let all = hits("the -a");
    let kept = hits(r#"the -"on the" -a"#);
    let expected: Vec<_> = all
        .iter()
        .filter(|(text, _)| !text.to_lowercase().contains("on the"))
        .cloned()
        .collect();
    assert!(kept.len() < all.len(), "some paragraphs hold \"on the\"");
    let mut kept_sorted = kept.clone();
    kept_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut expected_sorted = expected;
    expected_sorted.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(kept_sorted, expected_sorted);
}
