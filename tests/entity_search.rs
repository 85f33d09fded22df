//! End-to-end tests of entity-aware search on the sample archive in examples/articles.

mod common;

use common::newsdex;

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tempfile::TempDir;

/// One index of the sample archive, shared by the tests (they only read it).
fn index() -> &'static Path {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let tmp = TempDir::new().unwrap();
        let index = tmp.path().join("index");
        let archive = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
        newsdex(&index).arg("index").arg(archive).assert().success();
        (tmp, index)
    });
    path
}

fn run_json(args: &[&str]) -> (Value, i32, String) {
    let out = newsdex(index()).args(args).arg("--json").output().unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        v,
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// (article id, paragraph) of every hit of a search.
fn hit_set(args: &[&str]) -> BTreeSet<(String, u64)> {
    let mut full = vec!["search"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--limit", "1000"]);
    let (v, code, err) = run_json(&full);
    assert!(code == 0 || code == 1, "{err}");
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["article_id"].as_str().unwrap().to_string(),
                h["para"].as_u64().unwrap(),
            )
        })
        .collect()
}

// A match report's team sheet names its players by surname: they are found under the
// full names the report gives, the sheet's lines included.
#[test]
fn players_on_a_team_sheet_are_found_by_their_full_names() {
    let report = "2025-05-24-millbrook-rovers-promotion.txt";
    let paras = |person: &str| -> BTreeSet<u64> {
        hit_set(&["--person", person])
            .into_iter()
            .filter(|(id, _)| id.ends_with(report))
            .map(|(_, para)| para)
            .collect()
    };
    // "Reid" on Rovers' line-up (¶11), after "Rovers captain Callum Reid" (¶8).
    assert_eq!(paras("Callum Reid"), BTreeSet::from([8, 11]));
    // "Nowak" on Castleford Vale's (¶13).
    assert_eq!(paras("Tomasz Nowak"), BTreeSet::from([8, 13]));
    // A substitute the report names nowhere else, by surname.
    assert_eq!(paras("Nowell"), BTreeSet::from([11]));
}

#[test]
fn person_search_in_any_spelling_finds_the_same_paragraphs() {
    let base = hit_set(&["--person", "Emmanuel Macron"]);
    assert!(!base.is_empty(), "{base:?}");
    for spelling in [
        "Macron",
        "emmanuel macron",
        "Mr Macron",
        "MACRON",
        "President Macron",
    ] {
        assert_eq!(hit_set(&["--person", spelling]), base, "{spelling}");
    }
    assert_eq!(hit_set(&["person:macron"]), base);
    assert_eq!(hit_set(&["person:\"Emmanuel Macron\""]), base);
}

#[test]
fn country_filter_by_name_demonym_code_and_city_agree() {
    let base = hit_set(&["--country", "France"]);
    assert!(!base.is_empty());
    for form in ["French", "FR", "fr", "Paris", "france"] {
        assert_eq!(hit_set(&["--country", form]), base, "{form}");
    }
    assert_eq!(hit_set(&["country:france"]), base);
}

#[test]
fn repeated_filters_require_all_and_commas_mean_any() {
    let fr = hit_set(&["--country", "FR"]);
    let ua = hit_set(&["--country", "UA"]);
    let both = hit_set(&["--country", "FR", "--country", "UA"]);
    let either = hit_set(&["--country", "FR,UA"]);
    assert_eq!(both, fr.intersection(&ua).cloned().collect());
    assert_eq!(either, fr.union(&ua).cloned().collect());
    assert!(!both.is_empty());
}

#[test]
fn filters_combine_with_words() {
    let words = hit_set(&["ceasefire"]);
    let ee = hit_set(&["--country", "Estonia"]);
    let combined = hit_set(&["ceasefire", "--country", "Estonia"]);
    assert_eq!(combined, words.intersection(&ee).cloned().collect());
    assert_eq!(hit_set(&["ceasefire country:estonia"]), combined);
}

#[test]
fn jordan_henderson_is_a_person_not_the_country() {
    let persons = hit_set(&["--person", "Jordan Henderson"]);
    assert!(!persons.is_empty());
    let jordan = hit_set(&["--country", "Jordan"]);
    for hit in &persons {
        assert!(!jordan.contains(hit), "{hit:?} tagged JO");
    }
}

#[test]
fn us_state_of_georgia_is_not_the_country() {
    let ge = hit_set(&["--country", "Georgia"]);
    assert!(!ge.is_empty(), "Tbilisi stories are tagged GE");
    assert!(
        ge.iter().all(|(id, _)| !id.contains("georgia-peach")),
        "{ge:?}"
    );
}

#[test]
fn filter_only_search_lists_newest_articles_first_in_paragraph_order() {
    let (v, code, _) = run_json(&["search", "--country", "KR", "--limit", "100"]);
    assert_eq!(code, 0);
    let hits = v["hits"].as_array().unwrap();
    let dates: Vec<&str> = hits.iter().filter_map(|h| h["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    // Within an article, paragraphs in order.
    for w in hits.windows(2) {
        if w[0]["article_id"] == w[1]["article_id"] {
            assert!(w[0]["para"].as_u64() < w[1]["para"].as_u64());
        }
    }
}

#[test]
fn since_and_until_select_by_article_date() {
    let (v, _, err) = run_json(&[
        "search",
        "--since",
        "2025-04-01",
        "--until",
        "2025-07-10",
        "the",
        "--group",
        "--limit",
        "50",
    ]);
    let ids: BTreeSet<&str> = v["hits"]
        .as_array()
        .unwrap_or_else(|| panic!("{err}"))
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from(["wire-2025-0002", "wire-2025-0003"]));
}

#[test]
fn dates_beyond_what_the_index_holds_bound_the_range_at_its_ends() {
    let ids = |since: &str, until: &str| {
        let (v, code, err) = run_json(&[
            "search", "--since", since, "--until", until, "the", "--group", "--limit", "100",
        ]);
        assert_ne!(code, 2, "{since}..{until}: {err}");
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["article_id"].as_str().unwrap().to_string())
            .collect::<BTreeSet<String>>()
    };
    let dated = ids("1900-01-01", "2200-01-01");
    assert!(dated.len() >= 2, "{dated:?}");
    assert_eq!(ids("0001-01-01", "9999-12-31"), dated);
    assert!(ids("9000-01-01", "9999-12-31").is_empty());
}

#[test]
fn group_gives_one_hit_per_article_with_its_match_count() {
    let (v, _, _) = run_json(&["search", "Ukraine", "--group", "--limit", "100"]);
    let hits = v["hits"].as_array().unwrap();
    let ids: BTreeSet<&str> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), hits.len());
    assert_eq!(v["total_articles"].as_u64().unwrap() as usize, hits.len());
    let sum: u64 = hits
        .iter()
        .map(|h| h["article_hits"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, v["total_hits"].as_u64().unwrap());
}

#[test]
fn facet_counts_agree_with_the_hits() {
    let (v, _, _) = run_json(&[
        "search",
        "ceasefire OR talks",
        "--facets",
        "--limit",
        "1000",
    ]);
    let hits = v["hits"].as_array().unwrap();
    assert_eq!(hits.len() as u64, v["total_hits"].as_u64().unwrap());
    let facets = &v["facets"];
    for p in facets["person"].as_array().unwrap() {
        let name = p["value"].as_str().unwrap();
        let n = hits
            .iter()
            .filter(|h| h["persons"].as_array().unwrap().iter().any(|x| x == name))
            .count() as u64;
        assert_eq!(p["count"].as_u64().unwrap(), n, "{name}");
    }
    for c in facets["country"].as_array().unwrap() {
        let code = c["code"].as_str().unwrap();
        let n = hits
            .iter()
            .filter(|h| {
                h["countries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|x| x["code"] == code)
            })
            .count() as u64;
        assert_eq!(c["count"].as_u64().unwrap(), n, "{code}");
        assert!(c["name"].as_str().is_some_and(|s| !s.is_empty()));
    }
    assert!(!facets["country"].as_array().unwrap().is_empty());
}

#[test]
fn persons_listing_answers_who_is_mentioned_alongside() {
    let (v, code, err) = run_json(&["persons", "--country", "Ukraine"]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<&str> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["value"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Volodymyr Zelensky"), "{names:?}");
    assert!(names.contains(&"Keir Starmer"), "{names:?}");
    // Counts are over the paragraphs matching the filter, most mentioned first.
    let counts: Vec<u64> = v["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
}

#[test]
fn countries_listing_names_codes() {
    let (v, code, _) = run_json(&["countries", "--limit", "5"]);
    assert_eq!(code, 0);
    let first = &v["values"][0];
    assert!(first["value"].as_str().unwrap().len() == 2);
    assert!(first["name"].as_str().is_some());
    assert_eq!(v["values"].as_array().unwrap().len(), 5);
}

#[test]
fn unknown_person_or_country_says_so_and_exits_1() {
    let (_, code, err) = run_json(&["search", "--person", "Zebulon Quark"]);
    assert_eq!(code, 1);
    assert!(err.contains("no person called 'Zebulon Quark'"), "{err}");
    let (_, code, err) = run_json(&["search", "--country", "Atlantis"]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown country 'Atlantis'"), "{err}");
}

#[test]
fn ambiguous_surname_matches_everyone_of_that_name_and_says_who() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("a.txt"),
        "Council vote\n\nCouncillor Anna Kessler said on Monday the vote would go ahead.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b.txt"),
        "Harbour report\n\nHarbour master Paul Kessler said the pier would reopen.\n",
    )
    .unwrap();
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    let out = newsdex(&index)
        .args(["search", "--person", "Kessler", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total_hits"], 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Anna Kessler") && err.contains("Paul Kessler"),
        "{err}"
    );
}

#[test]
fn hits_carry_their_entities() {
    let (v, _, _) = run_json(&["search", "reassurance force"]);
    let hit = &v["hits"][0];
    assert!(hit["persons"].is_array());
    assert!(hit["orgs"].is_array());
    let codes: Vec<&str> = hit["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"UA"), "{codes:?}");
}

#[test]
fn show_prints_the_article_a_hit_came_from() {
    let (v, _, _) = run_json(&["search", "--person", "Jordan Henderson"]);
    let id = v["hits"][0]["article_id"].as_str().unwrap().to_string();
    let (article, code, _) = run_json(&["show", &id]);
    assert_eq!(code, 0);
    assert_eq!(article["article_id"], id.as_str());
    assert!(article["paragraphs"].as_array().unwrap().len() > 3);
}

#[test]
fn stats_count_the_sample_archive() {
    let (v, code, _) = run_json(&["stats"]);
    assert_eq!(code, 0);
    // 14 text/Markdown articles and 4 JSON Lines records; the folder's README is not news.
    assert_eq!(v["articles"], 18);
    assert_eq!(v["first_date"], "2025-01-21");
}
