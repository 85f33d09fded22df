//! One JSON object or CSV row → an [`Article`], finding fields by their common names.
//!
//! Names match case-insensitively and ignoring `_`, `-` and spaces, so `published_at`,
//! `publishedAt` and `Published At` are the same field. [`FieldMap`] overrides win.

use super::FieldMap;
use super::date::parse_date;
use super::normalize::record_body;
use crate::model::Article;
use serde_json::{Map, Value};

const ID: &[&str] = &["id", "guid", "uuid", "_id", "articleid", "docid"];
const URL: &[&str] = &["url", "link", "permalink", "canonicalurl", "href"];
const TITLE: &[&str] = &["title", "headline", "name", "heading", "subject"];
/// The main text fields; when several are present the longest wins (a `text` teaser next
/// to a full `body`, or the other way round).
const BODY_MAIN: &[&str] = &[
    "body",
    "text",
    "content",
    "articlebody",
    "fulltext",
    "maintext",
    "bodytext",
];
const BODY_OTHER: &[&str] = &["article", "story"];
/// Summaries: used only when there is nothing better.
const BODY_SUMMARY: &[&str] = &["description", "summary", "abstract", "lead", "excerpt"];
const DATE: &[&str] = &[
    "date",
    "published",
    "publishedat",
    "pubdate",
    "datetime",
    "createdat",
    "datepublished",
    "publicationdate",
    "publishdate",
    "publishedtime",
    "timestamp",
    "time",
    "created",
];
const AUTHOR: &[&str] = &["author", "byline", "authors", "creator", "writer", "by"];

/// Where a record sits in its file, for ids, sources and messages.
pub(crate) struct RecordPlace<'a> {
    pub rel: &'a str,
    /// 1-based line the record starts on.
    pub line: u64,
    /// 1-based record number in the file.
    pub number: u64,
}

/// The key normalisation used for matching.
fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

struct Fields<'a> {
    map: &'a Map<String, Value>,
    keys: Vec<(String, &'a Value)>,
}

impl<'a> Fields<'a> {
    fn new(map: &'a Map<String, Value>) -> Self {
        let keys = map.iter().map(|(k, v)| (norm(k), v)).collect();
        Fields { map, keys }
    }

    /// The value of the first of `names` present with a usable value.
    fn first(&self, names: &[&str]) -> Option<String> {
        names
            .iter()
            .find_map(|n| self.get_norm(n).and_then(text_of))
    }

    fn get_norm(&self, name: &str) -> Option<&'a Value> {
        self.keys.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    /// A user-named field: exact name first, then normalised, then a dotted path.
    fn named(&self, name: &str) -> Option<&'a Value> {
        if let Some(v) = self.map.get(name) {
            return Some(v);
        }
        if let Some(v) = self.get_norm(&norm(name)) {
            return Some(v);
        }
        let mut parts = name.split('.');
        let first = parts.next()?;
        let mut v = self.map.get(first)?;
        for p in parts {
            v = v.as_object()?.get(p)?;
        }
        Some(v)
    }
}

/// The text of a value: strings trimmed, numbers printed, arrays of strings as
/// paragraphs, objects by their `name`/`text`/`value`/`rendered` member.
fn text_of(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n"),
        Value::Object(o) => ["name", "text", "value", "rendered", "#text"]
            .iter()
            .find_map(|k| o.get(*k).and_then(text_of))?,
        Value::Bool(_) | Value::Null => return None,
    };
    (!s.is_empty()).then_some(s)
}

/// Authors: a string, or an array of strings/objects joined with ", ".
fn author_of(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(author_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        other => text_of(other),
    }
}

fn date_of(v: &Value) -> Option<chrono::DateTime<chrono::Utc>> {
    match v {
        Value::Number(n) => parse_date(&n.to_string()),
        other => text_of(other).as_deref().and_then(parse_date),
    }
}

/// HTML in a record's body (some exports keep the page markup): text is taken the way the
/// HTML reader takes it.
fn looks_like_html(s: &str) -> bool {
    let lower = s.get(..s.len().min(4096)).unwrap_or(s).to_ascii_lowercase();
    ["<p>", "<p ", "</p>", "<br>", "<br/>", "<br />", "<div"]
        .iter()
        .any(|t| lower.contains(t))
}

/// Builds an article from a record, or says why the record must be skipped.
pub(crate) fn to_article(
    map: &Map<String, Value>,
    fields: &FieldMap,
    place: &RecordPlace<'_>,
) -> Result<Article, String> {
    let f = Fields::new(map);

    let body = match &fields.body {
        Some(name) => match f.named(name) {
            Some(v) => text_of(v).ok_or_else(|| {
                format!("the body field \"{name}\" is empty; skipped this record")
            })?,
            None => {
                return Err(format!(
                    "has no field \"{name}\" (the body field asked for); check --body-field"
                ));
            }
        },
        None => find_body(&f).ok_or_else(|| {
            "record has no body (looked for body, text, content, article, story, description); pass --body-field NAME if it is called something else".to_string()
        })?,
    };
    let body = if looks_like_html(&body) {
        super::html::fragment_text(&body)
    } else {
        record_body(&body)
    };
    if body.is_empty() {
        return Err("record's body is empty; skipped this record".to_string());
    }

    let pick = |over: &Option<String>, names: &[&str]| -> Option<String> {
        match over {
            Some(name) => f.named(name).and_then(text_of),
            None => f.first(names),
        }
    };
    let id = pick(&fields.id, ID)
        .or_else(|| f.first(URL))
        .unwrap_or_else(|| format!("{}#{}", place.rel, place.number));
    let title = pick(&fields.title, TITLE).map(|t| super::html::collapse_ws(&t));
    let date = match &fields.date {
        Some(name) => f.named(name).and_then(date_of),
        None => DATE.iter().find_map(|n| f.get_norm(n).and_then(date_of)),
    };
    let author = match &fields.author {
        Some(name) => f.named(name).and_then(author_of),
        None => AUTHOR
            .iter()
            .find_map(|n| f.get_norm(n).and_then(author_of)),
    };

    Ok(Article {
        id,
        source: format!("{}:{}", place.rel, place.line),
        title: title.filter(|t| !t.is_empty()),
        body,
        date,
        author,
    })
}

fn find_body(f: &Fields<'_>) -> Option<String> {
    let longest = BODY_MAIN
        .iter()
        .filter_map(|n| f.get_norm(n).and_then(text_of))
        .max_by_key(|s| s.len());
    longest
        .or_else(|| f.first(BODY_OTHER))
        .or_else(|| f.first(BODY_SUMMARY))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn article(v: Value, fields: &FieldMap) -> Result<Article, String> {
        let place = RecordPlace {
            rel: "dump.jsonl",
            line: 7,
            number: 3,
        };
        to_article(v.as_object().expect("object"), fields, &place)
    }

    #[test]
    fn fields_are_found_by_common_names_case_insensitively() {
        let a = article(
            json!({"GUID": "g-1", "Headline": "Ferry strike ends", "Story": "Crews returned.",
                   "publishedAt": "2024-02-01T08:00:00Z", "Byline": "Tom Reyes"}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.id, "g-1");
        assert_eq!(a.title.as_deref(), Some("Ferry strike ends"));
        assert_eq!(a.body, "Crews returned.");
        assert_eq!(a.author.as_deref(), Some("Tom Reyes"));
        assert_eq!(a.date.map(|d| d.timestamp()), Some(1706774400));
        assert_eq!(a.source, "dump.jsonl:7");
    }

    #[test]
    fn longest_of_body_text_content_wins() {
        let a = article(
            json!({"text": "Teaser.", "content": "The full story, much longer than the teaser."}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.body, "The full story, much longer than the teaser.");
    }

    #[test]
    fn description_is_used_only_without_a_body() {
        let a = article(
            json!({"description": "Summary.", "body": "Real body."}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.body, "Real body.");
    }

    #[test]
    fn id_falls_back_to_url_then_position() {
        let a = article(
            json!({"link": "https://ex.org/a", "body": "B."}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.id, "https://ex.org/a");
        let a = article(json!({"body": "B."}), &FieldMap::default()).expect("article");
        assert_eq!(a.id, "dump.jsonl#3");
    }

    #[test]
    fn body_array_is_paragraphs_and_authors_are_joined() {
        let a = article(
            json!({"body": ["First para.", "Second para."], "authors": ["A. One", {"name": "B. Two"}]}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.body, "First para.\n\nSecond para.");
        assert_eq!(a.author.as_deref(), Some("A. One, B. Two"));
    }

    #[test]
    fn field_map_overrides_names_and_reaches_nested() {
        let fields = FieldMap {
            id: Some("ref".into()),
            title: Some("meta.hed".into()),
            body: Some("copy".into()),
            date: Some("when".into()),
            author: None,
        };
        let a = article(
            json!({"ref": 42, "meta": {"hed": "Nested title"}, "copy": "Text.", "body": "Ignored.",
                   "when": "5 March 2023"}),
            &fields,
        )
        .expect("article");
        assert_eq!(a.id, "42");
        assert_eq!(a.title.as_deref(), Some("Nested title"));
        assert_eq!(a.body, "Text.");
        assert!(a.date.is_some());
    }

    #[test]
    fn record_without_body_is_refused_with_reason() {
        let err = article(json!({"title": "Only a title"}), &FieldMap::default()).unwrap_err();
        assert!(err.contains("no body"), "{err}");
        let fields = FieldMap {
            body: Some("copy".into()),
            ..Default::default()
        };
        let err = article(json!({"body": "x"}), &fields).unwrap_err();
        assert!(err.contains("\"copy\""), "{err}");
    }

    #[test]
    fn html_body_is_turned_into_paragraphs() {
        let a = article(
            json!({"body": "<p>One &amp; two.</p><p>Three<br>four.</p>"}),
            &FieldMap::default(),
        )
        .expect("article");
        assert_eq!(a.body, "One & two.\n\nThree\nfour.");
    }
}
