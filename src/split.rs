//! Article → paragraphs: the unit newsdex indexes and returns.
//!
//! Rules, in order:
//! 1. Blank lines separate blocks; the lines of a block are joined (hard wraps undone).
//! 2. A block that is a Markdown heading (`## …`) becomes a `title` paragraph.
//! 3. A block ending in a photo credit (`… in Paris (Michel Euler/AP)`) is a `caption`.
//! 4. A block that breaks off mid-sentence is joined to the next one: news copy often
//!    splits a quotation (`Mr Rutte said that` / `“we have to make sure …”`).
//! 5. A block longer than [`MAX_PARAGRAPH_BYTES`] is cut at sentence boundaries.

use crate::model::{Article, Paragraph, ParagraphKind};

/// Paragraphs longer than this are cut at sentence boundaries, so that a hit points at a
/// readable passage and BM25 length normalisation stays meaningful. Set high enough that
/// ordinary long news paragraphs (BBC copy runs to ~1,500 bytes) stay whole: a cut moves
/// text away from the paragraph a reader knows it by.
pub const MAX_PARAGRAPH_BYTES: usize = 2000;

/// A block shorter than this with no sentence punctuation, followed by a capitalised
/// block, reads as a subheading rather than a sentence broken in two.
const HEADING_MAX_BYTES: usize = 60;

/// Splits an article's body into numbered paragraphs (the title is not a paragraph).
pub fn split(article: &Article) -> Vec<Paragraph> {
    split_text(&article.body)
}

/// Splits text into numbered paragraphs; see the module docs for the rules.
pub fn split_text(body: &str) -> Vec<Paragraph> {
    let blocks = blocks(body);
    let mut merged: Vec<(ParagraphKind, String)> = Vec::with_capacity(blocks.len());
    let mut pending: Option<String> = None;

    let mut iter = blocks.into_iter().peekable();
    while let Some(block) = iter.next() {
        if let Some(heading) = heading_text(&block) {
            if let Some(p) = pending.take() {
                merged.push((ParagraphKind::Paragraph, p));
            }
            if !heading.is_empty() {
                merged.push((ParagraphKind::Title, heading.to_string()));
            }
            continue;
        }
        let text = match pending.take() {
            Some(mut p) => {
                p.push(' ');
                p.push_str(&block);
                p
            }
            None => block,
        };
        if is_caption(&text) {
            merged.push((ParagraphKind::Caption, text));
            continue;
        }
        let next = iter.peek();
        let next_is_text = next.is_some_and(|n| heading_text(n).is_none());
        if next_is_text && !ends_sentence(&text) {
            let next = next.expect("checked above");
            if continues(next) || text.len() > HEADING_MAX_BYTES {
                pending = Some(text);
                continue;
            }
            // A short unpunctuated line before a capitalised block: a subheading.
            merged.push((ParagraphKind::Title, text));
            continue;
        }
        merged.push((ParagraphKind::Paragraph, text));
    }
    if let Some(p) = pending {
        merged.push((ParagraphKind::Paragraph, p));
    }

    let mut out = Vec::with_capacity(merged.len());
    for (kind, text) in merged {
        if text.len() > MAX_PARAGRAPH_BYTES && kind == ParagraphKind::Paragraph {
            for piece in cut_long(&text, MAX_PARAGRAPH_BYTES) {
                out.push((kind, piece.to_string()));
            }
        } else {
            out.push((kind, text));
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, (kind, text))| Paragraph {
            para: i as u32 + 1,
            kind,
            text,
        })
        .collect()
}

/// Blank-line separated blocks, each with its lines joined and whitespace collapsed.
fn blocks(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        // A heading line stands alone even without a blank line after it.
        if line.starts_with('#') && heading_text(line).is_some() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(collapse_ws(line));
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        push_collapsed(&mut cur, line);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s);
    out
}

/// Bytes that may start whitespace: ASCII whitespace, and the lead bytes of U+0085,
/// U+00A0, U+1680, U+2000–U+205F and U+3000.
static SPACE_START: [bool; 256] = {
    let mut t = [false; 256];
    let starts = [
        b' ', b'\t', b'\n', 0x0B, 0x0C, b'\r', 0xC2, 0xE1, 0xE2, 0xE3,
    ];
    let mut k = 0;
    while k < starts.len() {
        t[starts[k] as usize] = true;
        k += 1;
    }
    t
};

/// Appends `s` with every run of whitespace as one space. Text is copied in runs: a
/// single space between words needs no change, and this sees every byte of every article.
fn push_collapsed(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last_space = out.ends_with(' ');
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // Skip a run of bytes that are neither whitespace nor the lead byte of a
        // possible Unicode space: a table lookup each, most of every text.
        if !SPACE_START[bytes[i] as usize] {
            while i < bytes.len() && !SPACE_START[bytes[i] as usize] {
                i += 1;
            }
            last_space = false;
            continue;
        }
        let b = bytes[i];
        let (space, len) = match b {
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
            // Lead bytes of the non-ASCII whitespace characters (U+0085, U+00A0,
            // U+1680, U+2000–U+205F, U+3000).
            0xC2 | 0xE1 | 0xE2 | 0xE3 => {
                let c = s[i..].chars().next().unwrap_or_default();
                (c.is_whitespace(), c.len_utf8())
            }
            _ => (false, 1),
        };
        if !space {
            last_space = false;
        } else if b == b' ' && !last_space {
            last_space = true;
        } else {
            out.push_str(&s[start..i]);
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            start = i + len;
        }
        i += len;
    }
    out.push_str(&s[start..]);
}

/// The text of a Markdown ATX heading (`## Text`), or None.
fn heading_text(block: &str) -> Option<&str> {
    let rest = block.trim_start_matches('#');
    let hashes = block.len() - rest.len();
    if (1..=6).contains(&hashes) && (rest.is_empty() || rest.starts_with(' ')) {
        let text = rest.trim();
        // A closing run of `#` counts only after a space (`## A ##`, not `## C#`).
        let closed = text.trim_end_matches('#');
        if closed.is_empty() || closed.ends_with(' ') {
            Some(closed.trim())
        } else {
            Some(text)
        }
    } else {
        None
    }
}

/// Whether the text ends a sentence: terminal punctuation, possibly inside closing
/// quotes or brackets (`… he said.”`, `(see below.)`).
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '*', '_', ' ']);
    // A closing quote alone also ends a quoted paragraph (`… devastating”`).
    let closes_quote = text.ends_with(['”', '"']) && !text.ends_with(":\"");
    trimmed.ends_with(['.', '!', '?', '…', ';']) || closes_quote
}

/// Whether a block reads as the continuation of an unfinished sentence.
fn continues(next: &str) -> bool {
    match next.chars().next() {
        Some(c) if c.is_lowercase() => true,
        Some('“' | '"' | '‘' | '\'' | '—' | '–' | '-' | '(' | '…') => true,
        Some(c) if c.is_ascii_digit() => true,
        _ => false,
    }
}

/// Agencies and words that mark a trailing parenthesis as a photo credit.
const CREDIT_MARKERS: &[&str] = &[
    "/",
    "photo",
    "getty",
    "reuters",
    "afp",
    "ap",
    "pa",
    "epa",
    "shutterstock",
    "credit",
    "images",
    "pool",
    "courtesy",
    "handout",
];

/// A photo caption ends in a credit: `(Michel Euler/AP)`, `(Getty Images)`,
/// or carries one after a `Photograph:` / `Photo:` label.
pub fn is_caption(text: &str) -> bool {
    credit_span(text).is_some()
        || ["Photograph:", "Photo:", "Photo credit:", "Picture:"]
            .iter()
            .any(|l| text.contains(l) && text.len() < 600)
}

/// Byte range of a trailing photo credit in parentheses, if the text ends with one.
pub fn credit_span(text: &str) -> Option<std::ops::Range<usize>> {
    let t = text.trim_end();
    if !t.ends_with(')') {
        return None;
    }
    let open = t.rfind('(')?;
    let inner = &t[open + 1..t.len() - 1];
    if inner.is_empty() || inner.len() > 80 || inner.contains(['.', ',']) && !inner.contains('/') {
        return None;
    }
    let lower = inner.to_lowercase();
    let marked = CREDIT_MARKERS.iter().any(|m| {
        if *m == "/" {
            return lower.contains('/');
        }
        lower.split(|c: char| !c.is_alphanumeric()).any(|w| w == *m)
    });
    // The text before the credit is a description, not a sentence that carries on.
    (marked && open > 0).then_some(open..t.len())
}

/// Cuts text at sentence boundaries into pieces of at most `max` bytes where possible
/// (a single sentence longer than `max` stays whole).
fn cut_long(text: &str, max: usize) -> Vec<&str> {
    let bounds = sentence_ends(text);
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_ok = None;
    for b in bounds {
        if b - start > max
            && let Some(cut) = last_ok
        {
            out.push(text[start..cut].trim());
            start = cut;
        }
        last_ok = Some(b);
    }
    if text.len() - start > max
        && let Some(cut) = last_ok.filter(|&c| c > start)
    {
        out.push(text[start..cut].trim());
        start = cut;
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "lt", "sgt", "capt", "gov",
    "sen", "rep", "no", "vs", "etc", "inc", "co", "corp", "ltd", "mt", "ft", "rev", "hon", "u.s",
    "u.k", "e.g", "i.e", "jan", "feb", "aug", "sept", "oct", "nov", "dec",
];

/// Byte offsets just after each sentence end (after closing quotes), not including the end.
pub fn sentence_ends(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for (i, c) in text.char_indices() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = i + c.len_utf8();
        // Swallow closing quotes and brackets.
        while let Some(n) = text[end..].chars().next() {
            if matches!(n, '"' | '”' | '’' | '\'' | ')') {
                end += n.len_utf8();
            } else {
                break;
            }
        }
        if end >= text.len() || bytes[end] != b' ' {
            continue;
        }
        let next = text[end + 1..].chars().next();
        if !next.is_some_and(|n| n.is_uppercase() || matches!(n, '“' | '"' | '‘')) {
            continue;
        }
        if c == '.' {
            let word_start = text[..i]
                .rfind(|ch: char| ch.is_whitespace() || ch == '(')
                .map_or(0, |p| p + 1);
            let word = text[word_start..i].to_lowercase();
            let single_initial = word.chars().count() == 1;
            if single_initial || ABBREVIATIONS.contains(&word.as_str()) {
                continue;
            }
        }
        out.push(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The run-skipping [`push_collapsed`] against the rule it implements, char by
        /// char: every run of whitespace is one space, also across calls.
        #[test]
        fn collapsing_matches_char_by_char(
            before in "[a ]{0,2}",
            s in "[a-z \t\r\n\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{3000}é€]{0,40}",
        ) {
            let mut fast = before.clone();
            push_collapsed(&mut fast, &s);
            let mut slow = before.clone();
            let mut last_space = slow.ends_with(' ');
            for c in s.chars() {
                if c.is_whitespace() {
                    if !last_space {
                        slow.push(' ');
                    }
                    last_space = true;
                } else {
                    slow.push(c);
                    last_space = false;
                }
            }
            prop_assert_eq!(fast, slow);
        }
    }

    fn kinds(ps: &[Paragraph]) -> Vec<ParagraphKind> {
        ps.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let ps = split_text("One sentence here.\n\nAnother one there.\n");
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].text, "One sentence here.");
        assert_eq!(ps[1].para, 2);
    }

    #[test]
    fn hard_wrapped_lines_are_joined() {
        let ps = split_text("The minister said on\nTuesday that talks\n  would resume.\n");
        assert_eq!(ps.len(), 1);
        assert_eq!(
            ps[0].text,
            "The minister said on Tuesday that talks would resume."
        );
    }

    #[test]
    fn photo_caption_with_credit_is_a_caption() {
        let text = "The port of Valdora at dawn on Monday.\n\n\
                    Fishing boats leave the harbour at Valdora (Ana Lisboa/AP)\n\n\
                    Officials said the fleet was smaller this year.";
        let ps = split_text(text);
        assert_eq!(
            kinds(&ps),
            vec![
                ParagraphKind::Paragraph,
                ParagraphKind::Caption,
                ParagraphKind::Paragraph
            ]
        );
    }

    #[test]
    fn pool_photo_credit_is_a_caption() {
        assert!(is_caption(
            "Delegates arrive for the summit (Tom Reed/Pool Photo via AP)"
        ));
        assert!(is_caption("A crowd gathers in the square (Getty Images)"));
    }

    #[test]
    fn parenthetical_aside_is_not_a_caption() {
        assert!(!is_caption(
            "The bill passed with a large majority (312 votes to 104)"
        ));
        assert!(!is_caption("He thanked the committee (and its chair)."));
    }

    #[test]
    fn quote_split_over_paragraphs_is_joined() {
        // The shape of the seed article: an attribution that ends in "said that",
        // then the quotation as its own block.
        let text = "Citing officials who warned of further attacks, Ms Varga said that\n\n\
                    “we must be ready for whatever comes next”.\n\n\
                    The meeting ended at noon.";
        let ps = split_text(text);
        assert_eq!(ps.len(), 2);
        assert!(ps[0].text.starts_with("Citing officials"));
        assert!(ps[0].text.ends_with("whatever comes next”."));
        assert_eq!(ps[1].para, 2);
    }

    #[test]
    fn lowercase_continuation_is_joined() {
        let ps = split_text("The report, which the board published\n\nlate on Thursday, was long.");
        assert_eq!(ps.len(), 1);
    }

    #[test]
    fn closing_quote_ends_a_paragraph() {
        let ps = split_text("“We will not give up,” she said, “not now”\n\nLater, she left.");
        assert_eq!(ps.len(), 2);
    }

    #[test]
    fn markdown_heading_is_a_title_paragraph() {
        let ps = split_text("## Background\nThe dispute began in May.\n");
        assert_eq!(
            kinds(&ps),
            vec![ParagraphKind::Title, ParagraphKind::Paragraph]
        );
        assert_eq!(ps[0].text, "Background");
    }

    #[test]
    fn short_unpunctuated_line_before_capital_is_a_heading() {
        let ps = split_text("What happens next\n\nThe council meets again in June.");
        assert_eq!(
            kinds(&ps),
            vec![ParagraphKind::Title, ParagraphKind::Paragraph]
        );
    }

    #[test]
    fn overlong_paragraph_is_cut_at_sentence_boundaries() {
        let sentence = "The committee heard evidence from Mr. Hale about the budget for the year. ";
        let text = sentence.repeat(40);
        let ps = split_text(&text);
        assert!(ps.len() > 1);
        for p in &ps {
            assert!(p.text.len() <= MAX_PARAGRAPH_BYTES, "{}", p.text.len());
            assert!(p.text.ends_with("year."), "cut mid-sentence: {}", p.text);
        }
        let total: usize = ps.iter().map(|p| p.text.len() + 1).sum();
        assert_eq!(total, text.trim().len() + 1);
    }

    #[test]
    fn abbreviation_is_not_a_sentence_end() {
        assert!(sentence_ends("Mr. Hale spoke. Then Dr. Ode replied.").len() == 1);
    }

    #[test]
    fn empty_text_has_no_paragraphs() {
        assert!(split_text("\n\n  \n").is_empty());
    }
}
