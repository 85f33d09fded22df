//! HTML pages: the article's text, title, date and author.
//!
//! The text comes from the `<article>` (the one with the most paragraph text when there
//! are several), else `<main>`, else the element holding the most `<p>` text, else the
//! whole body. Inside it, paragraphs (`p`, `li`, `blockquote`, `figcaption`, `dd`) and
//! headings (`h1`–`h6`, written `## Heading`) are taken in document order, each as its own
//! paragraph; scripts, styles, navigation, page headers and footers, asides, forms and
//! hidden elements are dropped. A container without any such elements gives its text
//! split at block elements and `<br>`s instead.

use super::input::Ctx;
use super::normalize::normalize_body;
use super::{ReadError, ReadEvent, parse_date};
use crate::model::Article;
use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Elements whose content is never article text.
const DROPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "form", "noscript", "svg", "button",
    "iframe", "template", "select", "textarea", "object", "canvas", "audio", "video", "dialog",
];

/// Elements whose text is a paragraph of the article.
const CONTENT: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "figcaption",
    "dd",
    "pre",
];

/// Elements besides [`CONTENT`] that end one paragraph and start another (for the
/// fallback without `<p>`s).
const BLOCK_ONLY: &[&str] = &[
    "dt", "div", "section", "article", "main", "ul", "ol", "dl", "table", "tr", "td", "th",
    "figure", "hr", "address", "body",
];

/// Whether an element ends one paragraph and starts another.
fn is_block(name: &str) -> bool {
    CONTENT.contains(&name) || BLOCK_ONLY.contains(&name)
}

/// Stands for `<br>` inside a paragraph until whitespace is collapsed (a private-use
/// character, removed from the page's own text first).
const BR: char = '\u{E000}';

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a selector written in this file parses")
}

static ARTICLE: LazyLock<Selector> = LazyLock::new(|| sel("article"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| sel("main, [role=main]"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static P: LazyLock<Selector> = LazyLock::new(|| sel("p"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time[datetime]"));
static LD_JSON: LazyLock<Selector> = LazyLock::new(|| sel("script[type=\"application/ld+json\"]"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
static AUTHOR_EL: LazyLock<Selector> =
    LazyLock::new(|| sel("[rel=author], [itemprop=author] [itemprop=name], [itemprop=author]"));

/// Meta tags (by `property`, `name` or `itemprop`) that give the publication date, best
/// first.
const DATE_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publication_date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
];
const TITLE_META: &[&str] = &["og:title", "twitter:title"];
const AUTHOR_META: &[&str] = &[
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
];

/// Reads an HTML page as one article.
pub(crate) fn read(
    ctx: &Ctx<'_>,
    text: &str,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let doc = Html::parse_document(text);
    let metas = meta_tags(&doc);
    let ld = json_ld(&doc);
    let container = find_container(&doc);

    let title = page_title(&doc, &metas, container, ld.as_ref());
    let mut body = extract(container, title.as_deref());
    if body.is_empty()
        && let Some(ld_body) = ld.as_ref().and_then(|l| l.body.clone())
    {
        body = normalize_body(&ld_body);
    }
    if body.is_empty() {
        return Err(ctx.file_error("has no article text (no paragraphs found); skipped"));
    }
    let date = DATE_META
        .iter()
        .filter_map(|k| metas.get(*k))
        .find_map(|v| parse_date(v))
        .or_else(|| {
            container
                .select(&TIME)
                .chain(doc.select(&TIME))
                .filter_map(|t| t.attr("datetime"))
                .find_map(parse_date)
        })
        .or_else(|| {
            ld.as_ref()
                .and_then(|l| l.date.as_deref())
                .and_then(parse_date)
        });
    let author = AUTHOR_META
        .iter()
        .filter_map(|k| metas.get(*k))
        .map(|a| clean_author(a))
        .find(|a| !a.is_empty() && !a.starts_with("http"))
        .or_else(|| ld.as_ref().and_then(|l| l.author.clone()))
        .or_else(|| {
            doc.select(&AUTHOR_EL)
                .map(|e| clean_author(&e.text().collect::<String>()))
                .find(|a| !a.is_empty() && a.chars().count() < 100)
        });

    on_event(ReadEvent::Article(Article {
        id: ctx.file.rel.clone(),
        source: ctx.file.rel.clone(),
        title,
        body,
        date,
        author,
    }));
    Ok(())
}

/// The text of an HTML fragment (a record body that holds markup), as paragraphs.
pub(crate) fn fragment_text(s: &str) -> String {
    let doc = Html::parse_fragment(s);
    extract(doc.root_element(), None)
}

/// Collapses runs of whitespace into single spaces and trims.
pub(crate) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clean_author(s: &str) -> String {
    let s = collapse_ws(s);
    let lower = s.to_lowercase();
    match lower.strip_prefix("by ") {
        Some(_) => s[3..].trim().to_string(),
        None => s,
    }
}

/// `<meta>` contents keyed by lower-cased `property`, `name` or `itemprop`; first wins.
fn meta_tags(doc: &Html) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for m in doc.select(&META) {
        let Some(content) = m.attr("content") else {
            continue;
        };
        for key in ["property", "name", "itemprop"] {
            if let Some(k) = m.attr(key) {
                out.entry(k.trim().to_ascii_lowercase())
                    .or_insert_with(|| content.trim().to_string());
            }
        }
    }
    out
}

/// What schema.org JSON-LD says about the article.
#[derive(Debug, Default)]
struct LinkedData {
    headline: Option<String>,
    date: Option<String>,
    author: Option<String>,
    body: Option<String>,
}

fn json_ld(doc: &Html) -> Option<LinkedData> {
    for script in doc.select(&LD_JSON) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
            continue;
        };
        if let Some(found) = find_article_ld(&value, 0) {
            return Some(found);
        }
    }
    None
}

fn find_article_ld(v: &serde_json::Value, depth: usize) -> Option<LinkedData> {
    use serde_json::Value;
    if depth > 4 {
        return None;
    }
    match v {
        Value::Array(items) => items.iter().find_map(|i| find_article_ld(i, depth + 1)),
        Value::Object(o) => {
            if let Some(graph) = o.get("@graph") {
                return find_article_ld(graph, depth + 1);
            }
            let types = match o.get("@type") {
                Some(Value::String(s)) => vec![s.as_str()],
                Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            if !types
                .iter()
                .any(|t| t.ends_with("Article") || *t == "BlogPosting" || *t == "Report")
            {
                return None;
            }
            let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
            let author = match o.get("author") {
                Some(Value::String(a)) => Some(a.clone()),
                Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).map(str::to_string),
                Some(Value::Array(list)) => {
                    let names: Vec<&str> = list
                        .iter()
                        .filter_map(|a| a.as_str().or_else(|| a.get("name")?.as_str()))
                        .collect();
                    (!names.is_empty()).then(|| names.join(", "))
                }
                _ => None,
            };
            Some(LinkedData {
                headline: s("headline").or_else(|| s("name")),
                date: s("datePublished").or_else(|| s("dateCreated")),
                author,
                body: s("articleBody"),
            })
        }
        _ => None,
    }
}

/// The page's title: og:title, the `<h1>` of the article, JSON-LD headline, `<title>`
/// without its " - Site name" tail, any `<h1>`.
fn page_title(
    doc: &Html,
    metas: &HashMap<String, String>,
    container: ElementRef<'_>,
    ld: Option<&LinkedData>,
) -> Option<String> {
    let site = metas.get("og:site_name").map(|s| s.to_lowercase());
    let from_meta = TITLE_META
        .iter()
        .filter_map(|k| metas.get(*k))
        .find_map(|t| {
            let t = collapse_ws(t);
            // Strip a site-name tail only when the page says that is the site's name.
            let t = match (&site, split_site_suffix(&t)) {
                (Some(site), Some((head, tail))) if tail.to_lowercase() == *site => {
                    head.to_string()
                }
                _ => t,
            };
            (!t.is_empty()).then_some(t)
        });
    let element_text = |e: ElementRef<'_>| {
        let t = collapse_ws(&e.text().collect::<String>());
        (!t.is_empty()).then_some(t)
    };
    from_meta
        .or_else(|| container.select(&H1).find_map(element_text))
        .or_else(|| ld.and_then(|l| l.headline.as_deref()).map(collapse_ws))
        .or_else(|| {
            doc.select(&TITLE)
                .find_map(element_text)
                .map(|t| match split_site_suffix(&t) {
                    Some((head, _)) => head.to_string(),
                    None => t,
                })
        })
        .or_else(|| doc.select(&H1).find_map(element_text))
}

/// `Storm hits coast - The Daily Example` → ("Storm hits coast", "The Daily Example"),
/// when the tail is short (a site name, ≤ 4 words, ≤ 40 characters) and the head is
/// longer than it.
fn split_site_suffix(title: &str) -> Option<(&str, &str)> {
    let (i, sep) = [" | ", " - ", " – ", " — ", " :: ", " · "]
        .iter()
        .filter_map(|sep| title.rfind(sep).map(|i| (i, *sep)))
        .max_by_key(|(i, _)| *i)?;
    let (head, tail) = (title[..i].trim(), title[i + sep.len()..].trim());
    let short = tail.split_whitespace().count() <= 4 && tail.chars().count() <= 40;
    (short && !tail.is_empty() && head.chars().count() > tail.chars().count())
        .then_some((head, tail))
}

fn element_name<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

/// Whether an element's whole subtree is left out of the text.
fn is_dropped(node: &NodeRef<'_, Node>) -> bool {
    match node.value() {
        Node::Element(e) => {
            DROPPED.contains(&e.name())
                || e.attr("hidden").is_some()
                || e.attr("aria-hidden") == Some("true")
        }
        Node::Comment(_) | Node::ProcessingInstruction(_) | Node::Doctype(_) => true,
        _ => false,
    }
}

fn inside_dropped(e: ElementRef<'_>) -> bool {
    e.ancestors().any(|a| is_dropped(&a))
}

/// Total length of the `<p>` text under `e`, outside dropped elements.
fn paragraph_text_len(e: ElementRef<'_>) -> usize {
    e.select(&P)
        .filter(|p| !inside_dropped(*p))
        .map(|p| p.text().map(str::len).sum::<usize>())
        .sum()
}

/// The element the article's text is in.
fn find_container(doc: &Html) -> ElementRef<'_> {
    let articles: Vec<ElementRef<'_>> = doc
        .select(&ARTICLE)
        .filter(|a| !inside_dropped(*a))
        .collect();
    if let Some(best) = articles.iter().max_by_key(|a| paragraph_text_len(**a))
        && (paragraph_text_len(*best) > 0 || articles.len() == 1)
    {
        return *best;
    }
    if let Some(main) = doc.select(&MAIN).find(|m| !inside_dropped(*m)) {
        return main;
    }
    // The element holding the most paragraph text: each `<p>` counts fully for its
    // parent and three quarters for its grandparent, so that paragraphs wrapped one per
    // `<div>` still elect their common container, while a container of bare `<p>`s beats
    // the `<body>` around it.
    let mut score: HashMap<ego_tree::NodeId, usize> = HashMap::new();
    for p in doc.select(&P).filter(|p| !inside_dropped(*p)) {
        let len: usize = p.text().map(str::len).sum();
        let mut up = p.ancestors();
        if let Some(parent) = up.next() {
            *score.entry(parent.id()).or_default() += len;
            if let Some(grand) = up.next() {
                *score.entry(grand.id()).or_default() += len * 3 / 4;
            }
        }
    }
    let best = score
        .into_iter()
        .max_by_key(|(id, s)| (*s, std::cmp::Reverse(*id)))
        .and_then(|(id, _)| doc.tree.get(id))
        .and_then(ElementRef::wrap);
    best.or_else(|| doc.select(&BODY).next())
        .unwrap_or_else(|| doc.root_element())
}

/// The text of `container` as normalised paragraphs: content elements only, or when
/// there are none, all text split at block elements.
fn extract(container: ElementRef<'_>, title: Option<&str>) -> String {
    let body = walk(container, title, true);
    if body.is_empty() {
        walk(container, title, false)
    } else {
        body
    }
}

fn walk(container: ElementRef<'_>, title: Option<&str>, content_only: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut heading = false;
    let mut content_depth = 0usize;
    let mut skipping: Option<ego_tree::NodeId> = None;

    let flush = |cur: &mut String, heading: &mut bool, out: &mut Vec<String>| {
        let lines: Vec<String> = cur.split(BR).map(collapse_ws).collect();
        let text = lines.join("\n");
        let text = text.trim();
        if !text.is_empty() {
            if *heading {
                let one_line = collapse_ws(text);
                // The article's own title is not a paragraph of it.
                if title != Some(one_line.as_str()) {
                    out.push(format!("## {one_line}"));
                }
            } else {
                out.push(text.to_string());
            }
        }
        cur.clear();
        *heading = false;
    };

    for edge in container.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                if is_dropped(&node) {
                    skipping = Some(node.id());
                    continue;
                }
                match node.value() {
                    Node::Text(t) if !content_only || content_depth > 0 => {
                        cur.extend(t.chars().filter(|&c| c != BR));
                    }
                    Node::Element(e) => {
                        let name = e.name();
                        if name == "br" {
                            cur.push(BR);
                        } else if is_block(name) {
                            flush(&mut cur, &mut heading, &mut out);
                            heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                        } else if matches!(name, "img" | "input") {
                            cur.push(' ');
                        }
                        if CONTENT.contains(&name) {
                            content_depth += 1;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Some(name) = element_name(&node) {
                    if is_block(name) {
                        flush(&mut cur, &mut heading, &mut out);
                    }
                    if CONTENT.contains(&name) {
                        content_depth = content_depth.saturating_sub(1);
                    }
                }
            }
        }
    }
    flush(&mut cur, &mut heading, &mut out);
    normalize_body(&out.join("\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::*;

    const PAGE: &str = r#"<!DOCTYPE html>
<html><head>
<title>Tram line approved for the old town | The Valley Courier</title>
<meta property="article:published_time" content="2024-04-09T07:15:00+02:00">
<meta name="author" content="By Lena Ortiz">
<style>p { color: red }</style>
<script>var tracking = "Do not index me";</script>
</head><body>
<header><nav><ul><li>Home</li><li>Sport</li></ul></nav></header>
<article>
  <header><h1>Tram line approved for the old town</h1><p class="byline">By Lena Ortiz</p></header>
  <p>The city council   approved a
     tram line on Tuesday, ending a &quot;decade&quot; of debate.</p>
  <figure><img src="tram.jpg"><figcaption>A tram on a test run (Ana Ruiz/Courier)</figcaption></figure>
  <h2>What happens next</h2>
  <p>Construction starts in spring.<br>Roads will close in stages.</p>
  <aside><p>Read more: unrelated story</p></aside>
  <blockquote><p>"It is a great day," the mayor said.</p></blockquote>
  <ul><li>Line length: 6 km</li></ul>
  <script>document.write("ad")</script>
</article>
<footer><p>Copyright The Valley Courier</p></footer>
</body></html>"#;

    #[test]
    fn html_article_text_title_date_author() {
        let a = one_article("tram.html", PAGE);
        assert_eq!(
            a.title.as_deref(),
            Some("Tram line approved for the old town")
        );
        assert_eq!(
            a.body,
            "The city council approved a tram line on Tuesday, ending a \"decade\" of debate.\n\n\
             A tram on a test run (Ana Ruiz/Courier)\n\n\
             ## What happens next\n\n\
             Construction starts in spring.\nRoads will close in stages.\n\n\
             \"It is a great day,\" the mayor said.\n\n\
             Line length: 6 km"
        );
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()),
            Some("2024-04-09T05:15:00+00:00".to_string())
        );
        assert_eq!(a.author.as_deref(), Some("Lena Ortiz"));
        assert_eq!(a.id, "tram.html");
    }

    #[test]
    fn html_drops_nav_and_script() {
        let a = one_article("tram.html", PAGE);
        for junk in [
            "Home",
            "Sport",
            "tracking",
            "document.write",
            "unrelated",
            "Copyright",
            "color",
        ] {
            assert!(!a.body.contains(junk), "{junk} leaked into {:?}", a.body);
        }
    }

    #[test]
    fn html_without_article_uses_densest_paragraphs() {
        let page = r#"<html><head><title>Orchard harvest</title></head><body>
            <div class="menu"><p>Menu</p></div>
            <div class="story">
              <div><p>Apple growers reported a record harvest this autumn across the valley.</p></div>
              <div><p>Prices at the market fell by a tenth compared with last year.</p></div>
            </div>
            <div class="side"><p>Weather</p></div>
            </body></html>"#;
        let a = one_article("orchard.htm", page);
        assert_eq!(a.title.as_deref(), Some("Orchard harvest"));
        assert_eq!(
            a.body,
            "Apple growers reported a record harvest this autumn across the valley.\n\n\
             Prices at the market fell by a tenth compared with last year."
        );
    }

    #[test]
    fn html_without_paragraph_elements_falls_back_to_block_text() {
        let page = "<html><body><div>First block of text.</div><div>Second<br><br>third.</div></body></html>";
        let a = one_article("plain.html", page);
        assert_eq!(a.body, "First block of text.\n\nSecond\n\nthird.");
    }

    #[test]
    fn html_title_suffix_and_time_element() {
        let page = r#"<html><head><title>Bridge reopens - Harbour News</title></head><body>
            <main><time datetime="2023-11-02">2 Nov</time><p>The bridge reopened.</p></main></body></html>"#;
        let a = one_article("bridge.html", page);
        assert_eq!(a.title.as_deref(), Some("Bridge reopens"));
        assert_eq!(
            a.date.map(|d| d.format("%Y-%m-%d").to_string()).as_deref(),
            Some("2023-11-02")
        );
        assert_eq!(a.body, "The bridge reopened.");
    }

    #[test]
    fn html_json_ld_gives_date_and_author() {
        let page = r#"<html><head><script type="application/ld+json">
            {"@context":"https://schema.org","@type":"NewsArticle","headline":"Dock strike",
             "datePublished":"2022-08-15T09:00:00Z","author":[{"@type":"Person","name":"Sam Lee"}]}
            </script></head><body><article><p>Dock workers walked out.</p></article></body></html>"#;
        let a = one_article("dock.html", page);
        assert_eq!(a.title.as_deref(), Some("Dock strike"));
        assert_eq!(a.author.as_deref(), Some("Sam Lee"));
        assert!(a.date.is_some());
    }

    #[test]
    fn html_page_without_text_is_skipped() {
        let out = read_bytes(
            "empty.html",
            b"<html><head><title>Nothing</title></head><body><nav>x</nav></body></html>",
        );
        assert!(out.err().contains("no article text"));
    }

    #[test]
    fn site_suffix_is_stripped_conservatively() {
        assert_eq!(
            split_site_suffix("Storm hits coast | BBC News"),
            Some(("Storm hits coast", "BBC News"))
        );
        assert_eq!(split_site_suffix("Left - right"), None);
        assert_eq!(
            split_site_suffix("Talks resume - but no deal in sight for the striking port workers"),
            None
        );
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        // html5ever's scope checks make parsing quadratic in nesting depth, so this stays
        // at a depth real pages never reach rather than an adversarial one.
        let page = format!(
            "{}<p>Deep text.</p>{}",
            "<div>".repeat(3_000),
            "</div>".repeat(3_000)
        );
        let a = one_article("deep.html", &page);
        assert_eq!(a.body, "Deep text.");
    }
}
