//! Plain text and Markdown: one article per file.
//!
//! Title rule (SPEC step 1): a short first line followed by a blank line is the title.
//! "Short" means at most [`MAX_TITLE_CHARS`] characters and not ending like a sentence
//! (`.`, `,`, `;`, `:` — but `...` and `?`/`!` are fine, headlines use them). A first
//! line that is a long sentence is the first paragraph, not a title.
//!
//! Markdown is turned into the same plain shape: emphasis and link syntax dropped,
//! headings kept as `## Heading` lines, list items as paragraphs of their own, YAML
//! front matter read for title, date and author.

use super::input::Ctx;
use super::normalize::normalize_body;
use super::{ReadError, ReadEvent, parse_date};
use crate::model::Article;

/// The longest first line that can still be a title.
pub(crate) const MAX_TITLE_CHARS: usize = 200;

/// Whether `line` reads like a headline rather than the first sentence of the text.
pub(crate) fn is_title_line(line: &str) -> bool {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > MAX_TITLE_CHARS {
        return false;
    }
    // Look past closing quotes and brackets: `He said "no."` ends a sentence.
    let core = t.trim_end_matches(['"', '\'', '”', '’', '»', ')', ']']);
    if core.ends_with("...") || core.ends_with('…') {
        return true;
    }
    !matches!(core.chars().last(), Some('.' | ',' | ';' | ':') | None)
}

/// Splits a normalised body into (title, rest) when its first line is a title.
fn split_title(body: &str) -> (Option<String>, String) {
    if let Some((first, rest)) = body.split_once("\n\n")
        && !first.contains('\n')
        && is_title_line(first)
    {
        return (Some(first.trim().to_string()), rest.to_string());
    }
    (None, body.to_string())
}

/// Hands over a one-article file, or refuses it when nothing is left for the body.
fn emit(
    ctx: &Ctx<'_>,
    article: Article,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    if article.body.trim().is_empty() {
        return Err(ctx.file_error("has a title but no text; skipped"));
    }
    on_event(ReadEvent::Article(article));
    Ok(())
}

fn new_article(ctx: &Ctx<'_>, title: Option<String>, body: String) -> Article {
    Article {
        id: ctx.file.rel.clone(),
        source: ctx.file.rel.clone(),
        title,
        body,
        date: None,
        author: None,
    }
}

/// Reads a plain-text article.
pub(crate) fn read_text(
    ctx: &Ctx<'_>,
    text: &str,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let (title, body) = split_title(&normalize_body(text));
    emit(ctx, new_article(ctx, title, body), on_event)
}

/// Reads a Markdown article.
pub(crate) fn read_markdown(
    ctx: &Ctx<'_>,
    text: &str,
    on_event: &mut dyn FnMut(ReadEvent),
) -> Result<(), ReadError> {
    let text = normalize_body(text);
    let (front, text) = front_matter(&text);
    let (h1, body) = markdown_to_text(text);
    let (title, body) = match (front.title.clone(), h1) {
        (Some(t), Some(h1)) if h1 != t => (Some(t), format!("## {h1}\n\n{body}")),
        (Some(t), _) => (Some(t), body),
        (None, Some(h1)) => (Some(h1), body),
        (None, None) => split_title(&body),
    };
    let mut article = new_article(ctx, title, normalize_body(&body));
    article.date = front.date.as_deref().and_then(parse_date);
    article.author = front.author;
    emit(ctx, article, on_event)
}

#[derive(Debug, Default)]
struct FrontMatter {
    title: Option<String>,
    date: Option<String>,
    author: Option<String>,
}

/// Splits off YAML front matter (`---` … `---` at the very start) and reads the simple
/// `key: value` lines of it; anything fancier in it is ignored.
fn front_matter(text: &str) -> (FrontMatter, &str) {
    let mut fm = FrontMatter::default();
    let Some(rest) = text.strip_prefix("---\n") else {
        return (fm, text);
    };
    let mut offset = 0;
    let mut end = None;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            end = Some(offset + line.len());
            break;
        }
        offset += line.len();
    }
    let Some(end) = end else {
        return (fm, text);
    };
    let mut authors = Vec::new();
    let mut in_authors = false;
    for line in rest[..end].lines() {
        if in_authors && let Some(item) = line.trim_start().strip_prefix("- ") {
            authors.push(unquote(item));
            continue;
        }
        in_authors = false;
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if key.starts_with(' ') {
            continue;
        }
        let value = unquote(value);
        match key.trim().to_ascii_lowercase().as_str() {
            "title" | "headline" if !value.is_empty() => fm.title = Some(value),
            "date" | "published" | "pubdate" | "published_at" if !value.is_empty() => {
                fm.date = Some(value)
            }
            "author" | "authors" | "byline" => {
                if value.is_empty() {
                    in_authors = true;
                } else {
                    let v = value.trim_start_matches('[').trim_end_matches(']');
                    authors.extend(v.split(',').map(unquote));
                }
            }
            _ => {}
        }
    }
    authors.retain(|a| !a.is_empty());
    if !authors.is_empty() {
        fm.author = Some(authors.join(", "));
    }
    (fm, &rest[end..])
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(s);
    s.trim().to_string()
}

/// Markdown to the plain paragraph shape. Returns the text of a level-1 heading on the
/// first line (the title) separately.
fn markdown_to_text(text: &str) -> (Option<String>, String) {
    let mut lines: Vec<String> = Vec::new();
    let mut title = None;
    let mut in_fence: Option<&str> = None;
    let mut in_comment = false;
    let mut first_content = true;

    for raw in text.lines() {
        let trimmed = raw.trim_start();
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
                lines.push(String::new());
            } else {
                lines.push(raw.to_string());
            }
            continue;
        }
        if in_comment {
            if raw.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(&trimmed[..3]);
            lines.push(String::new());
            continue;
        }
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            lines.push(String::new());
            continue;
        }
        let is_first = std::mem::take(&mut first_content);

        if let Some((level, heading)) = atx_heading(trimmed) {
            let heading = inline(heading);
            if is_first && level == 1 && title.is_none() {
                title = Some(heading);
            } else if !heading.is_empty() {
                push_heading(&mut lines, &heading);
            }
            continue;
        }
        // Setext headings: a text line underlined with `===` or `---`.
        if is_setext_underline(trimmed)
            && let Some(prev) = lines.last()
            && !prev.is_empty()
            && !prev.starts_with("## ")
        {
            let heading = lines.pop().unwrap_or_default();
            let first_line = lines.iter().all(|l| l.is_empty());
            if first_line && trimmed.starts_with('=') && title.is_none() {
                title = Some(heading);
            } else {
                push_heading(&mut lines, &heading);
            }
            continue;
        }
        if is_rule(trimmed) || is_table_separator(trimmed) || is_link_definition(trimmed) {
            lines.push(String::new());
            continue;
        }

        let mut line = trimmed;
        while let Some(rest) = line.strip_prefix('>') {
            line = rest.strip_prefix(' ').unwrap_or(rest);
        }
        if let Some(item) = list_item(line) {
            lines.push(String::new());
            line = item;
        }
        let cleaned = inline(line);
        // An image alone on its line leaves nothing; do not let it glue paragraphs.
        if cleaned.trim().is_empty() {
            lines.push(String::new());
        } else {
            lines.push(cleaned);
        }
    }
    (title, lines.join("\n"))
}

fn push_heading(lines: &mut Vec<String>, heading: &str) {
    lines.push(String::new());
    lines.push(format!("## {heading}"));
    lines.push(String::new());
}

/// `## Heading ##` → (2, "Heading").
fn atx_heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let rest = rest.trim();
    let rest = match rest.trim_end_matches('#') {
        r if r.ends_with(' ') || r.is_empty() => r.trim_end(),
        _ => rest,
    };
    Some((level, rest))
}

fn is_setext_underline(line: &str) -> bool {
    let l = line.trim_end();
    l.len() >= 2 && (l.chars().all(|c| c == '=') || l.chars().all(|c| c == '-'))
}

/// `***`, `- - -`, `___`: a thematic break.
fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ['*', '-', '_']
            .iter()
            .any(|&m| compact.chars().all(|c| c == m))
}

/// `|---|:---:|` under a table header.
fn is_table_separator(line: &str) -> bool {
    line.contains('-')
        && line.contains('|')
        && line
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// `[ref]: https://…` reference-link definitions carry no text.
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .find("]:")
            .is_some_and(|i| !line[1..i].contains(']') && i > 1)
}

/// `- item`, `* item`, `+ item`, `1. item`, `2) item` → the item's text.
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &line[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r.trim_start());
        }
    }
    None
}

/// Drops inline Markdown: `**x**`/`_x_`/`~~x~~` → x, `[text](url)` → text, images and
/// inline HTML tags removed, `` `code` `` → code, `\*` → `*`, `<https://…>` → the URL.
pub(crate) fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' if chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 2;
            }
            '`' => {
                let run = count_run(&chars, i, '`');
                match find_run(&chars, i + run, '`', run) {
                    Some(end) => {
                        let code: String = chars[i + run..end].iter().collect();
                        out.push_str(code.trim());
                        i = end + run;
                    }
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            '!' if chars.get(i + 1) == Some(&'[') => match link_at(&chars, i + 1) {
                Some((_, end)) => i = end,
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link_at(&chars, i) {
                Some((text, end)) => {
                    out.push_str(&inline(&text));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '<' => match angle_at(&chars, i) {
                Some((keep, end)) => {
                    out.push_str(&keep);
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '*' | '_' | '~' => {
                let run = count_run(&chars, i, c);
                let prev = if i > 0 { chars.get(i - 1) } else { None };
                let next = chars.get(i + run);
                let left = next.is_some_and(|n| !n.is_whitespace());
                let right = prev.is_some_and(|p| !p.is_whitespace());
                let intraword = prev.is_some_and(|p| p.is_alphanumeric())
                    && next.is_some_and(|n| n.is_alphanumeric());
                let literal = (c == '_' && intraword) || (c == '~' && run < 2) || !(left || right);
                if literal {
                    out.extend(&chars[i..i + run]);
                }
                i += run;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn count_run(chars: &[char], i: usize, c: char) -> usize {
    chars[i..].iter().take_while(|&&x| x == c).count()
}

/// The start of the next run of exactly `n` `c`s at or after `from`.
fn find_run(chars: &[char], from: usize, c: char, n: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == c {
            let run = count_run(chars, j, c);
            if run == n {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
    }
    None
}

/// The index of the bracket closing the one at `open`, allowing nesting.
fn matching(chars: &[char], open: usize, o: char, c: char) -> Option<usize> {
    let mut depth = 0usize;
    for (j, &ch) in chars.iter().enumerate().skip(open) {
        if ch == o {
            depth += 1;
        } else if ch == c {
            depth -= 1;
            if depth == 0 {
                return Some(j);
            }
        }
    }
    None
}

/// `[text](url)` or `[text][ref]` starting at `i`: (text, index after the link).
fn link_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let close = matching(chars, i, '[', ']')?;
    let text: String = chars[i + 1..close].iter().collect();
    match chars.get(close + 1) {
        Some('(') => matching(chars, close + 1, '(', ')').map(|end| (text, end + 1)),
        Some('[') => matching(chars, close + 1, '[', ']').map(|end| (text, end + 1)),
        _ => None,
    }
}

/// `<https://…>` autolinks keep the URL; `<b>`, `</span>`, `<br/>` tags go.
fn angle_at(chars: &[char], i: usize) -> Option<(String, usize)> {
    let limit = (i + 300).min(chars.len());
    let close = (i + 1..limit).find(|&j| chars[j] == '>' || chars[j] == '<')?;
    if chars[close] != '>' {
        return None;
    }
    let inner: String = chars[i + 1..close].iter().collect();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| inner.starts_with(p))
        && !inner.contains(' ')
    {
        return Some((inner.trim_start_matches("mailto:").to_string(), close + 1));
    }
    let tag = inner.strip_prefix('/').unwrap_or(&inner);
    if tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) {
        return Some((String::new(), close + 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::testutil::*;

    #[test]
    fn short_first_line_before_blank_is_title() {
        let a = one_article(
            "story.txt",
            "Council approves new ferry timetable\n\nThe council voted on Monday to add two\nevening crossings.\n\nThe change starts in May.\n",
        );
        assert_eq!(
            a.title.as_deref(),
            Some("Council approves new ferry timetable")
        );
        assert_eq!(
            a.body,
            "The council voted on Monday to add two\nevening crossings.\n\nThe change starts in May."
        );
        assert_eq!(a.id, "story.txt");
        assert_eq!(a.source, "story.txt");
    }

    #[test]
    fn long_first_sentence_is_not_a_title() {
        let first = "The regional water board said on Wednesday that reservoir levels had fallen to their lowest point in a decade, and that households should expect restrictions on garden hoses until the autumn rains arrive.";
        let text = format!("{first}\n\nOfficials urged patience.\n");
        let a = one_article("water.txt", &text);
        assert_eq!(a.title, None);
        assert!(a.body.starts_with(first));
    }

    #[test]
    fn first_line_ending_in_full_stop_is_not_a_title() {
        let a = one_article("short.txt", "Rain fell.\n\nThen it stopped.\n");
        assert_eq!(a.title, None);
        assert_eq!(a.body, "Rain fell.\n\nThen it stopped.");
    }

    #[test]
    fn question_and_ellipsis_headlines_are_titles() {
        assert!(is_title_line("What next for the harbour?"));
        assert!(is_title_line("Rivals of the new tablet..."));
        assert!(is_title_line("'Memories of the harbour...'"));
        assert!(is_title_line("Mayor says 'no' to tower"));
        assert!(!is_title_line("He said \"no.\""));
        assert!(!is_title_line("Dear readers,"));
    }

    #[test]
    fn first_line_without_blank_after_is_not_a_title() {
        let a = one_article("wrap.txt", "Short line\nwrapped onward.\n\nMore.\n");
        assert_eq!(a.title, None);
    }

    #[test]
    fn one_line_file_is_body_not_title() {
        let a = one_article("only.txt", "Just a headline\n\n");
        assert_eq!(a.title, None);
        assert_eq!(a.body, "Just a headline");
    }

    #[test]
    fn crlf_text_is_normalised() {
        let a = one_article(
            "win.txt",
            "Title here\r\n\r\nLine one\r\nline two\r\n\r\n\r\nNext.\r\n",
        );
        assert_eq!(a.title.as_deref(), Some("Title here"));
        assert_eq!(a.body, "Line one\nline two\n\nNext.");
    }

    #[test]
    fn markdown_hash_title_and_headings() {
        let a = one_article(
            "post.md",
            "# Storm closes **coastal** roads\n\nHigh winds [closed](https://example.org/roads) the road.\n\n## Travel advice\nDrivers should _avoid_ the pass.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Storm closes coastal roads"));
        assert_eq!(
            a.body,
            "High winds closed the road.\n\n## Travel advice\n\nDrivers should avoid the pass."
        );
    }

    #[test]
    fn markdown_front_matter_gives_title_date_author() {
        let a = one_article(
            "fm.md",
            "---\ntitle: \"Library extends hours\"\ndate: 2024-03-05\nauthor: Ana Pereira\ntags: [local]\n---\n\nThe library will open until nine.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Library extends hours"));
        assert_eq!(a.author.as_deref(), Some("Ana Pereira"));
        assert_eq!(
            a.date.map(|d| d.to_rfc3339()),
            Some("2024-03-05T00:00:00+00:00".to_string())
        );
        assert_eq!(a.body, "The library will open until nine.");
    }

    #[test]
    fn markdown_lists_quotes_images_and_code_become_plain_paragraphs() {
        let a = one_article(
            "list.md",
            "Intro line.\n\n- first point\n- second `point`\n\n> A quoted\n> remark.\n\n![a photo](x.jpg)\n\nsnake_case stays, 5 * 3 stays, \\*literal\\*.\n\n[ref]: https://example.org\n",
        );
        assert_eq!(
            a.body,
            "Intro line.\n\nfirst point\n\nsecond point\n\nA quoted\nremark.\n\nsnake_case stays, 5 * 3 stays, *literal*."
        );
    }

    #[test]
    fn markdown_setext_headings() {
        let a = one_article(
            "setext.md",
            "Big title\n=========\n\nText.\n\nPart two\n--------\n\nMore text.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Big title"));
        assert_eq!(a.body, "Text.\n\n## Part two\n\nMore text.");
    }

    #[test]
    fn markdown_without_heading_uses_first_line_rule() {
        let a = one_article(
            "plain.md",
            "Quiet week in the valley\n\nNothing *much* happened.\n",
        );
        assert_eq!(a.title.as_deref(), Some("Quiet week in the valley"));
        assert_eq!(a.body, "Nothing much happened.");
    }
}
