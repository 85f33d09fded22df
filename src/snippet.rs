//! Highlighted fragments of a hit's text, with byte offsets.
//!
//! The text is tokenized with the index's own analyzer, so a highlight marks exactly the
//! words that matched: `forces` for the query `force`, both words of a phrase, the words
//! a prefix `reassur*` expands to. Only the hit's own text is touched.

use crate::schema;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use tantivy::tokenizer::TextAnalyzer;

/// A fragment and the byte ranges within it to highlight (sorted, not overlapping).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

/// What to highlight: analysed terms (as in the index) and prefixes (already analysed
/// forms, lower-case and folded, not stemmed).
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    terms: HashSet<String>,
    prefixes: Vec<String>,
    /// Phrases as sequences of analysed terms: highlighted only where they occur whole.
    phrases: Vec<Vec<String>>,
    /// Phrase prefixes (`"tony bla"*`): analysed terms, then the start of the word that
    /// follows them, lower-case and folded, not stemmed.
    phrase_prefixes: Vec<(Vec<String>, String)>,
}

const ELLIPSIS: &str = "…";

impl Highlighter {
    pub fn new(terms: impl IntoIterator<Item = String>, prefixes: Vec<String>) -> Self {
        Highlighter {
            terms: terms.into_iter().collect(),
            prefixes,
            phrases: Vec::new(),
            phrase_prefixes: Vec::new(),
        }
    }

    /// Adds phrases (each a sequence of analysed terms).
    pub fn with_phrases(mut self, phrases: Vec<Vec<String>>) -> Self {
        self.phrases = phrases.into_iter().filter(|p| !p.is_empty()).collect();
        self
    }

    /// Adds phrase prefixes: each the analysed terms of a phrase and the folded start of
    /// its last word, as in `"tony bla"*`.
    pub fn with_phrase_prefixes(mut self, phrases: Vec<(Vec<String>, String)>) -> Self {
        self.phrase_prefixes = phrases.into_iter().filter(|p| !p.1.is_empty()).collect();
        self
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
            && self.prefixes.is_empty()
            && self.phrases.is_empty()
            && self.phrase_prefixes.is_empty()
    }

    /// Byte ranges of the matching words in `text`, in order.
    pub fn matches(&self, analyzer: &mut TextAnalyzer, text: &str) -> Vec<(Range<usize>, usize)> {
        let mut out = Vec::new();
        if self.is_empty() {
            return out;
        }
        let mut stream = analyzer.token_stream(text);
        let mut tokens: Vec<(String, Range<usize>)> = Vec::new();
        while let Some(tok) = stream.next() {
            if !self.phrases.is_empty() || !self.phrase_prefixes.is_empty() {
                tokens.push((tok.text.clone(), tok.offset_from..tok.offset_to));
            }
            let term_id = if self.terms.contains(&tok.text) {
                Some(term_index(&self.terms, &tok.text))
            } else {
                // Prefixes match the unstemmed word.
                let raw = &text[tok.offset_from..tok.offset_to];
                let folded = fold(raw);
                self.prefixes
                    .iter()
                    .position(|p| folded.starts_with(p.as_str()))
                    .map(|i| self.terms.len() + i)
            };
            if let Some(id) = term_id {
                out.push((tok.offset_from..tok.offset_to, id));
            }
        }
        let mut push_window = |window: &[(String, Range<usize>)], id: usize| {
            for (_, r) in window {
                if !out.iter().any(|(o, _)| o == r) {
                    out.push((r.clone(), id));
                }
            }
        };
        let base = self.terms.len() + self.prefixes.len();
        for (pi, phrase) in self.phrases.iter().enumerate() {
            for start in 0..tokens.len().saturating_sub(phrase.len() - 1) {
                let window = &tokens[start..start + phrase.len()];
                if window.iter().zip(phrase).all(|((t, _), p)| t == p) {
                    push_window(window, base + pi);
                }
            }
        }
        let base = base + self.phrases.len();
        for (pi, (phrase, last)) in self.phrase_prefixes.iter().enumerate() {
            for start in 0..tokens.len().saturating_sub(phrase.len()) {
                let window = &tokens[start..=start + phrase.len()];
                let (whole, end) = window.split_at(phrase.len());
                if whole.iter().zip(phrase).all(|((t, _), p)| t == p)
                    && fold(&text[end[0].1.clone()]).starts_with(last.as_str())
                {
                    push_window(window, base + pi);
                }
            }
        }
        out.sort_by_key(|(r, _)| r.start);
        out
    }

    /// The best fragment of at most about `max_bytes` of `text`, with highlights.
    /// Text that fits is returned whole.
    pub fn snippet(&self, text: &str, max_bytes: usize) -> Snippet {
        // One analyzer per thread, kept: building it for every hit showed in profiles.
        thread_local! {
            static ANALYZER: std::cell::RefCell<TextAnalyzer> =
                std::cell::RefCell::new(schema::analyzer());
        }
        let matches = ANALYZER.with(|a| self.matches(&mut a.borrow_mut(), text));
        fragment(text, &matches, max_bytes)
    }
}

/// A stable small number for a term, to count distinct terms in a window.
fn term_index(terms: &HashSet<String>, term: &str) -> usize {
    // HashSet iteration order is fixed for a given set, which is all we need here.
    terms.iter().position(|t| t == term).unwrap_or(0)
}

/// Lower-cases and folds accents, as the analyzer does before stemming.
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Cuts the window of `text` with the most distinct matched terms (then most matches),
/// aligned to word boundaries, with `…` where text was cut.
pub fn fragment(text: &str, matches: &[(Range<usize>, usize)], max_bytes: usize) -> Snippet {
    let text = text.trim_end();
    if text.len() <= max_bytes {
        return Snippet {
            text: text.to_string(),
            highlights: matches
                .iter()
                .filter(|(r, _)| r.end <= text.len())
                .map(|(r, _)| [r.start, r.end])
                .collect(),
        };
    }
    // Choose the start match: the window beginning at match i covers matches i..j.
    let mut best = (0usize, 0usize, 0usize); // (distinct, count, index of first match)
    for i in 0..matches.len() {
        let start = matches[i].0.start;
        let mut distinct = HashSet::new();
        let mut count = 0;
        for (r, id) in &matches[i..] {
            if r.end > start + max_bytes {
                break;
            }
            distinct.insert(*id);
            count += 1;
        }
        if (distinct.len(), count) > (best.0, best.1) {
            best = (distinct.len(), count, i);
        }
    }
    let (mut start, mut end) = if matches.is_empty() {
        (0, max_bytes)
    } else {
        let first = matches[best.2].0.start;
        let last_end = matches[best.2..]
            .iter()
            .take_while(|(r, _)| r.end <= first + max_bytes)
            .map(|(r, _)| r.end)
            .last()
            .unwrap_or(matches[best.2].0.end);
        // Centre the matched span in the window, with some context before it.
        let slack = max_bytes.saturating_sub(last_end - first);
        let start = first.saturating_sub((slack / 3).min(first));
        (start, (start + max_bytes).min(text.len()))
    };
    if end == text.len() {
        start = text.len().saturating_sub(max_bytes);
    }
    let (cut_start, cut_end) = (start, end);
    start = word_start(text, start);
    end = word_end(text, end);
    if start >= end {
        // The window lies inside one word longer than itself (a long URL, text without
        // spaces): there is no word boundary to align to, so cut mid-word.
        (start, end) = (cut_start, cut_end.max(cut_start));
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        while !text.is_char_boundary(end) {
            end += 1;
        }
    }
    let prefix = if start > 0 { ELLIPSIS } else { "" };
    let suffix = if end < text.len() { ELLIPSIS } else { "" };
    let body = text[start..end].trim();
    let lead = text[start..end].len() - text[start..end].trim_start().len();
    let base = start + lead;
    let mut out = String::with_capacity(body.len() + 6);
    out.push_str(prefix);
    out.push_str(body);
    out.push_str(suffix);
    let highlights = matches
        .iter()
        .filter(|(r, _)| r.start >= base && r.end <= base + body.len())
        .map(|(r, _)| [r.start - base + prefix.len(), r.end - base + prefix.len()])
        .collect();
    Snippet {
        text: out,
        highlights,
    }
}

/// Moves `i` forward to the start of a word (or keeps it at 0).
fn word_start(text: &str, i: usize) -> usize {
    if i == 0 {
        return 0;
    }
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    match text[i..].char_indices().find(|(_, c)| c.is_whitespace()) {
        // Past the whitespace character, which may be wider than a byte (U+00A0).
        Some((off, c)) if !text[..i].ends_with(char::is_whitespace) => i + off + c.len_utf8(),
        _ => i,
    }
}

/// Moves `i` back to the end of a word (or keeps it at the end of the text).
fn word_end(text: &str, i: usize) -> usize {
    if i >= text.len() {
        return text.len();
    }
    let mut i = i;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    if text[i..].starts_with(char::is_whitespace) {
        return i;
    }
    text[..i].rfind(char::is_whitespace).unwrap_or(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Found by the snippet property test: a window starting just before a no-break
    // space (two bytes) was moved to the middle of it.
    #[test]
    fn a_window_next_to_a_wide_space_starts_on_a_char_boundary() {
        assert_eq!(word_start("ab\u{a0}cd", 1), 4);
        assert_eq!(word_start("ab\u{3000}cd", 1), 5);
        let text = "0\u{a0}B\n(Ann Lee/AP)Mr. ” Ⱥ. ” “” aAaaAaAAaAa““aAAAAA“Aaaaaa\n\n“";
        let hl = Highlighter::new(
            vec!["the".to_string(), "forc".to_string(), "a".to_string()],
            vec!["re".to_string()],
        );
        for max in 1..text.len() + 2 {
            let s = hl.snippet(text, max);
            for [a, b] in s.highlights {
                assert!(s.text.is_char_boundary(a) && s.text.is_char_boundary(b));
            }
        }
    }

    fn hl(terms: &[&str]) -> Highlighter {
        Highlighter::new(terms.iter().map(|t| t.to_string()), vec![])
    }

    fn marked(s: &Snippet) -> Vec<&str> {
        s.highlights.iter().map(|[a, b]| &s.text[*a..*b]).collect()
    }

    // Found by the `query` fuzz target: a match inside a word longer than the window
    // moved the window's start past its end.
    #[test]
    fn match_inside_a_word_longer_than_the_window_is_cut_mid_word() {
        let url = format!(
            "https://e.com/{}/ferry/{}",
            "a".repeat(200),
            "b".repeat(300)
        );
        let text = format!("{} see {url} now", "Lead words here.".repeat(5));
        let s = hl(&["ferri"]).snippet(&text, 240);
        assert_eq!(marked(&s), vec!["ferry"]);
        assert!(s.text.len() <= 240 + 2 * ELLIPSIS.len(), "{}", s.text);

        let zh = format!(
            "Start {}ferry{} end",
            "中文，".repeat(60),
            "，中文".repeat(60)
        );
        let s = hl(&["ferri"]).snippet(&zh, 240);
        assert_eq!(marked(&s), vec!["ferry"]);
        for max in 0..12 {
            hl(&["ferri"]).snippet(&zh, max);
        }
    }

    #[test]
    fn short_text_is_whole_with_offsets() {
        let s = hl(&["forc"]).snippet("Allies pledged a reassurance force.", 200);
        assert_eq!(s.text, "Allies pledged a reassurance force.");
        assert_eq!(marked(&s), vec!["force"]);
    }

    #[test]
    fn stemmed_variants_are_highlighted() {
        let s = hl(&["forc"]).snippet("Forces and a force, forced.", 200);
        assert_eq!(marked(&s), vec!["Forces", "force", "forced"]);
    }

    #[test]
    fn accented_text_highlights_by_folded_term() {
        let s = hl(&["elysé", "elyse"]).snippet("They met at the Élysée.", 200);
        assert_eq!(marked(&s), vec!["Élysée"]);
    }

    #[test]
    fn long_text_is_cut_around_best_window_with_ellipses() {
        let filler = "Nothing of note happened in the town that week at all. ".repeat(10);
        let text = format!("{filler}The ceasefire talks resumed in Geneva. {filler}");
        let s = hl(&["ceasefir", "talk"]).snippet(&text, 120);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert_eq!(marked(&s), vec!["ceasefire", "talks"]);
        assert!(s.text.len() <= 120 + 2 * '…'.len_utf8() + 20);
    }

    #[test]
    fn window_prefers_more_distinct_terms() {
        let filler = "x ".repeat(200);
        let text = format!("talks talks talks {filler} ceasefire talks {filler}");
        let s = hl(&["ceasefir", "talk"]).snippet(&text, 60);
        assert!(marked(&s).contains(&"ceasefire"), "{}", s.text);
    }

    #[test]
    fn phrase_words_are_highlighted_only_inside_the_phrase() {
        let h = Highlighter::new(vec![], vec![]).with_phrases(vec![vec![
            "coalit".into(),
            "of".into(),
            "the".into(),
            "will".into(),
        ]]);
        let s = h.snippet("The meeting of the coalition of the willing ended.", 200);
        assert_eq!(marked(&s), vec!["coalition", "of", "the", "willing"]);
    }

    #[test]
    fn a_phrase_prefix_highlights_the_phrase_whose_last_word_starts_with_it() {
        let h = Highlighter::new(vec![], vec![])
            .with_phrase_prefixes(vec![(vec!["toni".into()], "bla".into())]);
        let s = h.snippet(
            "Tony Hall met Tony Blair; Blake and Tony Blackburn left.",
            200,
        );
        assert_eq!(marked(&s), vec!["Tony", "Blair", "Tony", "Blackburn"]);
        // The prefix is of the word as written, not of its stem.
        let h = Highlighter::new(vec![], vec![])
            .with_phrase_prefixes(vec![(vec!["prime".into()], "ministers".into())]);
        assert!(marked(&h.snippet("The Prime Minister spoke.", 200)).is_empty());
    }

    #[test]
    fn prefix_highlights_words_that_start_with_it() {
        let h = Highlighter::new(vec![], vec!["reassur".into()]);
        let s = h.snippet("A reassurance force, reassuring allies.", 200);
        assert_eq!(marked(&s), vec!["reassurance", "reassuring"]);
    }

    #[test]
    fn offsets_are_bytes_after_a_multibyte_ellipsis() {
        let text = format!("{} Kyiv’s mayor spoke.", "word ".repeat(100));
        let s = hl(&["mayor"]).snippet(&text, 40);
        assert_eq!(marked(&s), vec!["mayor"]);
    }

    #[test]
    fn phrase_offsets_survive_a_cut_window() {
        let h = Highlighter::new(vec![], vec![]).with_phrases(vec![vec![
            "coalit".into(),
            "of".into(),
            "the".into(),
            "will".into(),
        ]]);
        let text = "Speaking after a meeting of the so-called “coalition of the willing” in Paris, Mr Macron said the countries had committed to deploying troops in Ukraine — or to maintaining a presence on land, at sea, or in the air — to help guarantee the country’s security the day after a ceasefire or peace is achieved.";
        let s = h.snippet(text, 240);
        let m: Vec<&str> = s.highlights.iter().map(|[a, b]| &s.text[*a..*b]).collect();
        assert_eq!(m, vec!["coalition", "of", "the", "willing"], "{}", s.text);
    }
}
