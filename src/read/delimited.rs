//! CSV and TSV with a header row; each row is a record, its fields found by the header
//! names as for JSON (see `record`).
//!
//! CSV follows RFC 4180 (quoted fields may hold commas, quotes and newlines). TSV is read
//! without quoting, as the IANA definition has it: news text often *starts* a field with
//! a quotation mark, which a quoting reader would take as the start of a quoted field
//! and run on past the end of the row. Tabs and newlines inside TSV fields are expected
//! as the escapes `\t`, `\n` (PostgreSQL and MySQL exports write them so).

use super::input::Ctx;
use super::record::{RecordPlace, to_article};
use super::{ReadError, ReadEvent};
use serde_json::{Map, Value};
use std::io::BufRead;

/// Reads a CSV (`delimiter == b','`) or TSV (`b'\t'`) source row by row.
pub(crate) fn read(
    ctx: &Ctx<'_>,
    reader: Box<dyn BufRead>,
    delimiter: u8,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let tsv = delimiter == b'\t';
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .quoting(!tsv)
        .from_reader(reader);

    let mut warned_utf8 = false;
    let mut warn_utf8 = |line: u64, on_event: &mut dyn FnMut(ReadEvent)| {
        if !warned_utf8 {
            warned_utf8 = true;
            on_event(ReadEvent::Warning(ctx.record_error(
                line,
                "is not valid UTF-8; decoded with replacement characters (later rows too)",
            )));
        }
    };

    let headers: Vec<String> = match rdr.byte_headers() {
        Ok(h) => h
            .iter()
            .map(|f| {
                let (s, bad) = field_text(f, false);
                if bad {
                    warn_utf8(1, on_event);
                }
                s.trim().trim_start_matches('\u{FEFF}').to_string()
            })
            .collect(),
        Err(e) => return Err(csv_file_error(ctx, &e)),
    };
    if headers.iter().all(|h| h.is_empty()) {
        return Err(ctx.file_error(
            "has no header row; the first line must name the columns (title, body, …)",
        ));
    }

    // csv counts a CRLF's `\n` only once the next row has started, so its positions are
    // one line short in CRLF files.
    let line_of = |pos: Option<&csv::Position>, fallback: u64| {
        pos.map(|p| p.line() + u64::from(ctx.crlf))
            .unwrap_or(fallback)
    };
    let mut row = csv::ByteRecord::new();
    let mut number = 0u64;
    let mut last_line = 1u64;
    loop {
        match rdr.read_byte_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = line_of(row.position(), last_line + 1);
                last_line = line;
                if row.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                number += 1;
                let mut map = Map::new();
                for (name, field) in headers.iter().zip(row.iter()) {
                    let (value, bad) = field_text(field, tsv);
                    if bad {
                        warn_utf8(line, on_event);
                    }
                    if !name.is_empty() {
                        map.insert(name.clone(), Value::String(value));
                    }
                }
                let place = RecordPlace {
                    rel: &ctx.file.rel,
                    line,
                    number,
                };
                match to_article(&map, ctx.fields, &place) {
                    Ok(a) => on_event(ReadEvent::Article(a)),
                    Err(reason) => on_event(ReadEvent::Skipped(ctx.record_error(line, reason))),
                }
            }
            Err(e) => {
                let line = line_of(e.position(), last_line + 1);
                last_line = line;
                match e.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        number += 1;
                        let hint = if tsv {
                            "fix the row (tabs inside a field must be written \\t)"
                        } else {
                            "fix the row (quote fields that contain commas)"
                        };
                        on_event(ReadEvent::Skipped(ctx.record_error(
                            line,
                            format!(
                                "row has {len} field{} but the header has {expected_len}; {hint}",
                                if *len == 1 { "" } else { "s" }
                            ),
                        )));
                    }
                    csv::ErrorKind::Io(io) => return Err(ctx.io_error(io, Some(last_line))),
                    _ => {
                        number += 1;
                        on_event(ReadEvent::Skipped(ctx.record_error(
                            line,
                            format!("row could not be read ({e}); fix the row"),
                        )));
                    }
                }
            }
        }
    }
    if number == 0 {
        return Err(ctx.file_error("has a header row but no rows; skipped"));
    }
    Ok(())
}

fn csv_file_error(ctx: &Ctx<'_>, e: &csv::Error) -> ReadError {
    match e.kind() {
        csv::ErrorKind::Io(io) => ctx.io_error(io, None),
        _ => ctx.file_error(format!("header row could not be read ({e}); fix it")),
    }
}

/// A field as text (lossily if needed; the flag says so), with TSV escapes undone.
fn field_text(bytes: &[u8], tsv_escapes: bool) -> (String, bool) {
    let (s, bad) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    };
    if !tsv_escapes || !s.contains('\\') {
        return (s, bad);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, bad)
}

#[cfg(test)]
mod tests {
    use crate::read::testutil::*;

    #[test]
    fn csv_rows_become_articles_by_header_names() {
        let out = read_bytes(
            "export.csv",
            b"\xEF\xBB\xBFID,Headline,Body,Published\r\n7,Quarry expands,\"The quarry, long closed, reopens.\n\nWork starts soon.\",2024-06-01\r\n8,Bakery wins,\"A \"\"best loaf\"\" prize.\",\r\n",
        );
        assert!(matches!(out.result, Some(Ok(()))), "{:?}", out.result);
        assert_eq!(out.articles.len(), 2);
        let a = &out.articles[0];
        assert_eq!(a.id, "7");
        assert_eq!(a.title.as_deref(), Some("Quarry expands"));
        assert_eq!(
            a.body,
            "The quarry, long closed, reopens.\n\nWork starts soon."
        );
        assert!(a.date.is_some());
        assert_eq!(a.source, "export.csv:2");
        assert_eq!(out.articles[1].body, "A \"best loaf\" prize.");
        assert_eq!(out.articles[1].source, "export.csv:5");
    }

    #[test]
    fn csv_row_with_wrong_field_count_is_skipped_with_line() {
        let out = read_bytes(
            "rows.csv",
            b"title,body\nFirst,One body.\nSecond,Two,extra\nThird,Three body.\n",
        );
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.skipped.len(), 1);
        let msg = out.skipped[0].to_string();
        assert!(
            msg.contains("rows.csv, line 3: row has 3 fields but the header has 2"),
            "{msg}"
        );
        assert_eq!(out.articles[1].id, "rows.csv#3");
    }

    #[test]
    fn csv_without_body_column_skips_rows() {
        let out = read_bytes("nobody.csv", b"title,tags\nA,x\n");
        assert!(out.articles.is_empty());
        assert!(
            out.skipped[0]
                .to_string()
                .contains("line 2: record has no body")
        );
    }

    #[test]
    fn csv_header_only_is_skipped() {
        let out = read_bytes("head.csv", b"title,body\n");
        assert!(out.err().contains("no rows"));
    }

    #[test]
    fn tsv_reads_unquoted_fields_and_escapes() {
        let out = read_bytes(
            "dump.tsv",
            b"title\ttext\nQuote leads\t\"We will rebuild,\" the mayor said.\\nShe spoke at noon.\n",
        );
        assert_eq!(out.articles.len(), 1, "{:?}", out);
        assert_eq!(
            out.articles[0].body,
            "\"We will rebuild,\" the mayor said.\n\nShe spoke at noon."
        );
    }

    #[test]
    fn csv_invalid_utf8_is_decoded_with_warning() {
        let out = read_bytes("l1.csv", b"title,body\nCaf\xe9,Text \xe9.\n");
        assert_eq!(out.articles.len(), 1);
        assert_eq!(out.warnings.len(), 1);
        assert!(
            out.warnings[0]
                .to_string()
                .contains("l1.csv, line 2: is not valid UTF-8")
        );
    }
}
