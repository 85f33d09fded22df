//! JSON Lines (streamed, one article per line) and JSON documents (an array of articles,
//! an object holding such an array under `articles`/`items`/`data`…, or one article).

use super::input::Ctx;
use super::record::{RecordPlace, to_article};
use super::{ReadError, ReadEvent};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, BufRead};

/// Longer JSON Lines lines are skipped without being held in memory. A 50 MB line is
/// read; a runaway file with no newlines at all is not.
pub(crate) const MAX_LINE: usize = 256 * 1024 * 1024;

/// Keys under which JSON exports keep their array of articles.
const ARRAY_KEYS: &[&str] = &[
    "articles",
    "items",
    "data",
    "results",
    "records",
    "docs",
    "documents",
    "entries",
    "posts",
    "stories",
];

/// Reads a JSON Lines source line by line.
pub(crate) fn read_jsonl(
    ctx: &Ctx<'_>,
    mut reader: Box<dyn BufRead>,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    let mut number = 0u64;
    let mut warned_utf8 = false;
    loop {
        buf.clear();
        let (read, too_long) = read_line_capped(&mut reader, &mut buf, MAX_LINE)
            .map_err(|e| ctx.io_error(&e, Some(line_no)))?;
        if read == 0 {
            break;
        }
        line_no += 1;
        if too_long {
            number += 1;
            on_event(ReadEvent::Skipped(ctx.record_error(
                line_no,
                "line is longer than 256 MiB; skipped it (is this really JSON Lines?)",
            )));
            continue;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                if !warned_utf8 {
                    warned_utf8 = true;
                    on_event(ReadEvent::Warning(ctx.record_error(
                        line_no,
                        "is not valid UTF-8; decoded with replacement characters (later lines too)",
                    )));
                }
                String::from_utf8_lossy(&buf)
            }
        };
        let text = text.trim_start_matches('\u{FEFF}').trim();
        if text.is_empty() {
            continue;
        }
        number += 1;
        let place = RecordPlace {
            rel: &ctx.file.rel,
            line: line_no,
            number,
        };
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => emit_record(ctx, &map, &place, on_event),
            Ok(_) => on_event(ReadEvent::Skipped(ctx.record_error(
                line_no,
                "is not a JSON object; each line should be one article object",
            ))),
            Err(e) => on_event(ReadEvent::Skipped(ctx.record_error(
                line_no,
                format!(
                    "not valid JSON ({}); fix or remove the line",
                    json_reason(&e)
                ),
            ))),
        }
    }
    if number == 0 {
        return Err(ctx.file_error("is empty; skipped"));
    }
    Ok(())
}

fn emit_record(
    ctx: &Ctx<'_>,
    map: &Map<String, Value>,
    place: &RecordPlace<'_>,
    on_event: &mut dyn FnMut(ReadEvent),
) {
    match to_article(map, ctx.fields, place) {
        Ok(a) => on_event(ReadEvent::Article(a)),
        Err(reason) => on_event(ReadEvent::Skipped(ctx.record_error(place.line, reason))),
    }
}

/// Appends one line (without its `\n`/`\r\n`) to `buf`. Returns the bytes consumed
/// (0 at the end) and whether the line exceeded `max`, in which case it was consumed but
/// not kept.
pub(crate) fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if !too_long {
            if buf.len() + chunk.len() > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(chunk.len());
        reader.consume(used);
        consumed += used;
        if done.is_some() {
            break;
        }
    }
    if buf.last() == Some(&b'\r') {
        buf.pop();
    }
    Ok((consumed, too_long))
}

/// serde_json's message without its "at line 1 column 5" tail, plus the column.
fn json_reason(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => &msg,
    };
    if e.column() > 0 {
        format!("{msg} at column {}", e.column())
    } else {
        msg.to_string()
    }
}

/// Reads a whole JSON document.
pub(crate) fn read_json(
    ctx: &Ctx<'_>,
    text: &str,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let invalid = |e: serde_json::Error| {
        ctx.record_error(
            e.line() as u64,
            format!(
                "not valid JSON ({}); fix the file, or use JSON Lines so one bad record does not spoil the rest",
                json_reason(&e)
            ),
        )
    };
    let trimmed = text.trim_start();
    let elements: Vec<&RawValue> = if trimmed.starts_with('[') {
        serde_json::from_str(text).map_err(invalid)?
    } else {
        let top: HashMap<String, &RawValue> = serde_json::from_str(text).map_err(invalid)?;
        let key = top.keys().find(|k| {
            ARRAY_KEYS.contains(&k.to_ascii_lowercase().as_str())
                && top[*k].get().trim_start().starts_with('[')
        });
        match key {
            Some(k) => serde_json::from_str(top[k].get()).map_err(invalid)?,
            None => {
                // One article as a single object.
                let map: Map<String, Value> = serde_json::from_str(text).map_err(invalid)?;
                let line = 1 + text[..text.len() - trimmed.len()].matches('\n').count() as u64;
                let place = RecordPlace {
                    rel: &ctx.file.rel,
                    line,
                    number: 1,
                };
                return match to_article(&map, ctx.fields, &place) {
                    Ok(mut a) => {
                        // A one-article JSON file is identified like a text file when it
                        // names no id of its own.
                        if a.id == format!("{}#1", ctx.file.rel) {
                            a.id = ctx.file.rel.clone();
                        }
                        on_event(ReadEvent::Article(a));
                        Ok(())
                    }
                    Err(reason) => Err(ctx.record_error(line, reason)),
                };
            }
        }
    };
    if elements.is_empty() {
        return Err(ctx.file_error("holds no articles (an empty JSON array); skipped"));
    }

    // Line numbers from each element's position in the text (they borrow from it).
    let base = text.as_ptr() as usize;
    let (mut counted_to, mut line) = (0usize, 1u64);
    for (i, raw) in elements.iter().enumerate() {
        let offset = (raw.get().as_ptr() as usize)
            .saturating_sub(base)
            .min(text.len());
        if offset >= counted_to {
            line += text.as_bytes()[counted_to..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = offset;
        }
        let place = RecordPlace {
            rel: &ctx.file.rel,
            line,
            number: i as u64 + 1,
        };
        match serde_json::from_str::<Value>(raw.get()) {
            Ok(Value::Object(map)) => emit_record(ctx, &map, &place, on_event),
            Ok(_) => on_event(ReadEvent::Skipped(ctx.record_error(
                line,
                format!("record {} is not a JSON object; skipped it", i + 1),
            ))),
            Err(e) => on_event(ReadEvent::Skipped(ctx.record_error(
                line,
                format!(
                    "record {} is not valid JSON ({}); skipped it",
                    i + 1,
                    json_reason(&e)
                ),
            ))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::*;
    use crate::read::{Format, ReadOptions};
    use std::io::Write;

    const TWO: &str = "{\"id\": \"a1\", \"title\": \"Dam opens\", \"body\": \"The dam opened.\"}\n{\"url\": \"https://ex.org/b\", \"headline\": \"Road shut\", \"text\": \"The road shut.\", \"date\": \"2024-01-05\"}\n";

    #[test]
    fn jsonl_gives_one_article_per_line() {
        let out = read_bytes("dump.jsonl", TWO.as_bytes());
        assert!(matches!(out.result, Some(Ok(()))));
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[0].id, "a1");
        assert_eq!(out.articles[0].source, "dump.jsonl:1");
        assert_eq!(out.articles[1].id, "https://ex.org/b");
        assert_eq!(out.articles[1].title.as_deref(), Some("Road shut"));
        assert!(out.articles[1].date.is_some());
    }

    #[test]
    fn jsonl_broken_line_is_skipped_with_line_number() {
        let text =
            format!("{TWO}\n{{\"body\": \"unterminated\n{{\"body\": \"After the break.\"}}\n");
        let out = read_bytes("notes.jsonl", text.as_bytes());
        assert_eq!(out.articles.len(), 3);
        assert_eq!(out.skipped.len(), 1);
        let msg = out.skipped[0].to_string();
        assert!(
            msg.contains("notes.jsonl, line 4: not valid JSON (")
                && msg.ends_with("; fix or remove the line"),
            "{msg}"
        );
        // record numbers count the broken line, so later ids stay put when it is fixed
        assert_eq!(out.articles[2].id, "notes.jsonl#4");
        assert_eq!(out.articles[2].source, "notes.jsonl:5");
    }

    #[test]
    fn jsonl_record_without_body_is_skipped() {
        let out = read_bytes("t.jsonl", b"{\"title\": \"No body here\"}\n[1, 2]\n");
        assert!(out.articles.is_empty());
        assert_eq!(out.skipped.len(), 2);
        assert!(out.skipped[0].to_string().starts_with(&format!(
            "{}, line 1: record has no body",
            out.skipped[0].path()
        )));
        assert!(
            out.skipped[1]
                .to_string()
                .contains("line 2: is not a JSON object")
        );
    }

    #[test]
    fn jsonl_crlf_and_invalid_utf8_lines() {
        let out = read_bytes(
            "w.jsonl",
            b"{\"body\": \"caf\xe9 one\"}\r\n{\"body\": \"two\"}\r\n",
        );
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[0].body, "caf\u{FFFD} one");
        assert_eq!(out.warnings.len(), 1);
        assert!(
            out.warnings[0]
                .to_string()
                .contains("line 1: is not valid UTF-8")
        );
    }

    #[test]
    fn jsonl_huge_single_line_is_read_without_panic() {
        let big = "word ".repeat(10 * 1024 * 1024 / 5);
        let text = format!("{{\"body\": \"{big}\"}}\n{{\"body\": \"small\"}}\n");
        let out = read_bytes("big.jsonl", text.as_bytes());
        assert_eq!(out.articles.len(), 2);
        assert!(out.articles[0].body.len() > 10_000_000);
    }

    #[test]
    fn line_longer_than_cap_is_skipped_and_reading_goes_on() {
        let mut r: Box<dyn BufRead> = Box::new(io::Cursor::new(b"0123456789\nok\n".to_vec()));
        let mut buf = Vec::new();
        assert_eq!(
            read_line_capped(&mut r, &mut buf, 5).expect("read"),
            (11, true)
        );
        assert!(buf.is_empty());
        assert_eq!(
            read_line_capped(&mut r, &mut buf, 5).expect("read"),
            (3, false)
        );
        assert_eq!(buf, b"ok");
    }

    #[test]
    fn gzipped_jsonl_reads_like_plain() {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(TWO.as_bytes()).expect("gzip");
        let gz = enc.finish().expect("gzip");
        let plain = read_bytes("dump.jsonl", TWO.as_bytes());
        let out = read_bytes("dump.jsonl.gz", &gz);
        assert_eq!(out.articles.len(), 2);
        for (a, b) in out.articles.iter().zip(&plain.articles) {
            assert_eq!((&a.id, &a.body, &a.title), (&b.id, &b.body, &b.title));
        }
        assert_eq!(out.articles[1].source, "dump.jsonl.gz:2");
    }

    #[test]
    fn json_array_gives_one_article_per_element_with_lines() {
        let text = "[\n  {\"id\": \"x\", \"body\": \"First.\"},\n  {\"title\": \"no body\"},\n  {\"body\": \"Third.\"}\n]\n";
        let out = read_bytes("all.json", text.as_bytes());
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.articles[0].source, "all.json:2");
        assert_eq!(out.articles[1].id, "all.json#3");
        assert_eq!(out.articles[1].source, "all.json:4");
        assert_eq!(out.skipped.len(), 1);
        assert!(
            out.skipped[0]
                .to_string()
                .contains("line 3: record has no body")
        );
    }

    #[test]
    fn json_object_with_articles_array() {
        let text =
            "{\"meta\": {\"n\": 2}, \"Articles\": [{\"body\": \"One.\"}, {\"body\": \"Two.\"}]}";
        let out = read_bytes("export.json", text.as_bytes());
        assert_eq!(out.articles.len(), 2);
    }

    #[test]
    fn json_single_object_is_one_article_identified_by_path() {
        let text = "{\n  \"title\": \"Lone story\",\n  \"body\": \"Only one.\"\n}\n";
        let out = read_bytes("one.json", text.as_bytes());
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.articles[0].id, "one.json");
    }

    #[test]
    fn broken_json_document_is_skipped_naming_the_line() {
        let out = read_bytes("bad.json", b"[\n {\"body\": \"a\"},\n {\"body\": }\n]");
        assert!(out.articles.is_empty());
        let err = out.err();
        assert!(err.contains("bad.json, line 3: not valid JSON"), "{err}");
    }

    #[test]
    fn jsonl_named_json_and_array_named_jsonl_are_read_anyway() {
        let out = read_bytes("lines.json", TWO.as_bytes());
        assert_eq!(out.articles.len(), 2);
        let out = read_bytes("array.jsonl", b"[{\"body\": \"A.\"}, {\"body\": \"B.\"}]");
        assert_eq!(out.articles.len(), 2);
        let out = read_bytes_with(
            "x.txt",
            TWO.as_bytes(),
            &ReadOptions {
                format: Format::Jsonl,
                ..Default::default()
            },
        );
        assert_eq!(out.articles.len(), 2);
    }

    #[test]
    fn deeply_nested_json_does_not_overflow() {
        let deep = format!(
            "{{\"body\": \"x\", \"n\": {}{}}}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let out = read_bytes("deep.jsonl", deep.as_bytes());
        assert_eq!(out.skipped.len(), 1);
        let out = read_bytes("deep.json", format!("[{}]", &deep.trim()).as_bytes());
        assert!(out.articles.is_empty());
    }
}
