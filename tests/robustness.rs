//! End-to-end tests for bad input, locking, interruption and keeping the index in step.

mod common;

use common::{newsdex, stats};

use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use tempfile::TempDir;

/// An archive folder `news/` with `n` three-paragraph articles.
fn archive(tmp: &TempDir, n: usize) -> PathBuf {
    let dir = tmp.path().join("news");
    std::fs::create_dir_all(&dir).unwrap();
    for i in 0..n {
        std::fs::write(
            dir.join(format!("a{i:05}.txt")),
            format!(
                "Report number {i}\n\nThe council of Ardmore met on day {i} to discuss the harbour.\n\n\
                 Members voted on the budget for the lighthouse and the pier.\n\n\
                 The next meeting is planned for the spring.\n"
            ),
        )
        .unwrap();
    }
    dir
}

#[test]
fn bad_files_are_skipped_with_a_message_and_the_rest_is_indexed() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 2);
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("binary.txt"), b"\x00\x01\x02binary\x00data").unwrap();
    std::fs::write(
        dir.join("feed.jsonl"),
        "{\"id\": \"r1\", \"title\": \"Pier\", \"body\": \"The pier reopened.\"}\n{not json\n{\"id\": \"r3\", \"title\": \"No body\"}\n",
    )
    .unwrap();
    let index = tmp.path().join("index");
    let out = newsdex(&index).arg("index").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt"), "{err}");
    assert!(err.contains("binary.txt"), "{err}");
    assert!(err.contains("feed.jsonl, line 2"), "{err}");
    assert!(err.contains("feed.jsonl, line 3"), "{err}");
    assert_eq!(stats(&index)["articles"], 3);
}

#[test]
fn strict_makes_bad_input_fatal_and_keeps_the_index() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 2);
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    std::fs::write(dir.join("empty.txt"), "").unwrap();
    std::fs::write(dir.join("new.txt"), "New report\n\nA new report arrived.\n").unwrap();
    newsdex(&index)
        .args(["index", "--strict"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("empty.txt"));
    assert_eq!(
        stats(&index)["articles"],
        2,
        "nothing of the failed run lands"
    );
}

#[test]
fn strict_makes_a_missing_path_fatal_though_reading_had_started() {
    // Files are read while the paths are still being walked: a path found bad after
    // some articles were read must still leave nothing of the run behind.
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 3);
    let index = tmp.path().join("index");
    newsdex(&index)
        .args(["index", "--strict"])
        .arg(&dir)
        .arg(tmp.path().join("no-such-folder"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no-such-folder"));
    // Nothing of the failed run lands.
    newsdex(&index)
        .args(["search", "report"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("0 paragraphs"));
}

#[test]
fn missing_path_is_reported_and_the_run_goes_on() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 1);
    let index = tmp.path().join("index");
    newsdex(&index)
        .arg("index")
        .arg(&dir)
        .arg(tmp.path().join("no-such-folder"))
        .assert()
        .success()
        .stderr(predicates::str::contains("no-such-folder"));
    assert_eq!(stats(&index)["articles"], 1);
}

#[test]
fn a_folder_that_is_not_an_index_is_refused() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 1);
    let not_index = tmp.path().join("docs");
    std::fs::create_dir(&not_index).unwrap();
    std::fs::write(not_index.join("notes.txt"), "my notes").unwrap();
    newsdex(&not_index)
        .arg("index")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a newsdex index"));
    assert_eq!(
        std::fs::read_to_string(not_index.join("notes.txt")).unwrap(),
        "my notes"
    );
}

#[test]
fn an_index_from_an_older_schema_says_how_to_rebuild() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 1);
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    std::fs::write(
        index.join("newsdex.json"),
        r#"{"newsdex": true, "schema_version": 0}"#,
    )
    .unwrap();
    newsdex(&index)
        .args(["search", "harbour"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("older newsdex"))
        .stderr(predicates::str::contains("delete the folder"));
}

#[test]
fn a_damaged_index_is_named_with_the_file_and_how_to_rebuild() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 2);
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    let with_ext = |ext: &str| {
        std::fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("a .{ext} file in the index"))
    };
    let says = |what: &str| {
        predicates::str::contains("is damaged")
            .and(predicates::str::contains(what.to_string()))
            .and(predicates::str::contains("run `newsdex index` again"))
    };
    use predicates::prelude::PredicateBooleanExt;

    // A segment file cut short: search and index both say which file and what to do.
    let term = with_ext("term");
    let bytes = std::fs::read(&term).unwrap();
    std::fs::write(&term, &bytes[..bytes.len() / 2]).unwrap();
    let name = term.file_name().unwrap().to_string_lossy().into_owned();
    newsdex(&index)
        .args(["search", "council"])
        .assert()
        .code(2)
        .stderr(says(&format!("{name} is corrupt")));
    newsdex(&index)
        .arg("index")
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(says(&format!("{name} is corrupt")));

    // A segment file gone.
    std::fs::write(&term, &bytes).unwrap();
    let store = with_ext("store");
    std::fs::remove_file(&store).unwrap();
    let name = store.file_name().unwrap().to_string_lossy().into_owned();
    newsdex(&index)
        .args(["search", "council"])
        .assert()
        .code(2)
        .stderr(says(&format!("{name} is missing")));

    // meta.json cut short: the message leaves out the file's content.
    std::fs::write(index.join("meta.json"), "{\"index_settings\": {\n").unwrap();
    newsdex(&index)
        .args(["search", "council"])
        .assert()
        .code(2)
        .stderr(says("meta.json is corrupt").and(predicates::str::contains("Content").not()));
}

#[test]
fn second_indexer_on_the_same_index_is_told_it_is_locked() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 3000);
    let index = tmp.path().join("index");
    newsdex(&index)
        .arg("index")
        .arg(archive(&tmp, 1))
        .assert()
        .success();
    let mut first = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .arg("--index")
        .arg(&index)
        .args(["index", "--threads", "1"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let second = newsdex(&index).arg("index").arg(&dir).output().unwrap();
    let still_running = first.try_wait().unwrap().is_none();
    // Searching works while the index is being written.
    newsdex(&index)
        .args(["search", "harbour"])
        .assert()
        .success();
    first.wait().unwrap();
    if still_running {
        assert_eq!(second.status.code(), Some(2));
        let err = String::from_utf8_lossy(&second.stderr);
        assert!(err.contains("locked by another newsdex process"), "{err}");
    }
}

#[test]
fn killed_indexer_leaves_a_consistent_index_and_the_next_run_finishes() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 4000);
    let index = tmp.path().join("index");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("newsdex"))
        .arg("--index")
        .arg(&index)
        .args(["index", "--commit-every", "0.05", "--threads", "1"])
        .arg(&dir)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();

    // Whatever was committed opens, and holds whole articles only.
    if index.join("meta.json").exists() {
        let s = stats(&index);
        let articles = s["articles"].as_u64().unwrap();
        assert_eq!(s["paragraphs"].as_u64().unwrap(), articles * 3);
        assert!(articles <= 4000);
    }
    let out = newsdex(&index).arg("index").arg(&dir).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = stats(&index);
    assert_eq!(s["articles"], 4000);
    assert_eq!(s["paragraphs"], 12000);
}

#[test]
fn prune_removes_articles_whose_files_are_gone() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 3);
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    std::fs::remove_file(dir.join("a00001.txt")).unwrap();
    newsdex(&index).arg("index").arg(&dir).assert().success();
    assert_eq!(
        stats(&index)["articles"],
        3,
        "without --prune nothing is removed"
    );
    newsdex(&index)
        .args(["index", "--prune"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicates::str::contains("1 pruned"));
    assert_eq!(stats(&index)["articles"], 2);
    newsdex(&index)
        .args(["show", "news/a00001.txt"])
        .assert()
        .code(1);
}

#[test]
fn delete_removes_an_article_by_id() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 2);
    let index = tmp.path().join("index");
    newsdex(&index).arg("index").arg(&dir).assert().success();
    newsdex(&index)
        .args(["delete", "news/a00000.txt", "news/nope.txt"])
        .assert()
        .success()
        .stderr(predicates::str::contains("no article 'news/nope.txt'"));
    assert_eq!(stats(&index)["articles"], 1);
}

#[test]
fn gzipped_and_jsonl_and_stdin_read_the_same_article() {
    let tmp = TempDir::new().unwrap();
    let index = tmp.path().join("index");
    let body = "The lighthouse keeper retired after forty years.\n\nHe said the sea had been kind.";
    let record = serde_json::json!({"id": "keeper", "title": "Keeper retires", "body": body});
    newsdex(&index)
        .args(["index", "--format", "jsonl", "-"])
        .write_stdin(format!("{record}\n"))
        .assert()
        .success();
    let out = newsdex(&index)
        .args(["search", "lighthouse", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["hits"][0]["article_id"], "keeper");
    assert_eq!(v["hits"][0]["title"], "Keeper retires");
}

#[test]
fn a_memory_below_what_a_run_needs_is_raised_with_a_warning_and_indexes_everything() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 50);
    let index = tmp.path().join("index");
    newsdex(&index)
        .args(["index", "--memory", "16", "--threads", "4"])
        .arg(&dir)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "--memory 16 is less than a run needs; using 103 MB",
        ));
    assert_eq!(stats(&index)["paragraphs"], 150);
}

#[test]
fn segments_of_a_run_are_merged_to_one_per_thread_and_later_runs_too() {
    let tmp = TempDir::new().unwrap();
    let dir = archive(&tmp, 600);
    let index = tmp.path().join("index");
    // A commit every ~8 KB of text makes dozens of segments.
    newsdex(&index)
        .args(["index", "--threads", "2", "--commit-every", "0.008"])
        .arg(&dir)
        .assert()
        .success();
    let s = stats(&index);
    assert_eq!(s["paragraphs"], 1800);
    assert!(s["segments"].as_u64().unwrap() <= 2, "{s}");
    // A second run adds its own segments, merged again while they are small.
    let more = tmp.path().join("more");
    std::fs::create_dir_all(&more).unwrap();
    for i in 0..5 {
        std::fs::write(
            more.join(format!("b{i}.txt")),
            format!("Late report {i}\n\nThe lighthouse keeper of Ardmore wrote on day {i}.\n"),
        )
        .unwrap();
    }
    newsdex(&index)
        .args(["index", "--threads", "2", "--commit-every", "0.008"])
        .arg(&more)
        .assert()
        .success();
    let s = stats(&index);
    assert_eq!(s["paragraphs"], 1805);
    assert!(s["segments"].as_u64().unwrap() <= 3, "{s}");
}
