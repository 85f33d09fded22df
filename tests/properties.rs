//! Property tests: the splitter, the snippet cutter and the query checks hold their
//! contracts on arbitrary text, not just on the examples we thought of.

use newsdex::search::check_syntax;
use newsdex::snippet::Highlighter;
use newsdex::split::split_text;
use proptest::prelude::*;

/// Text shaped like news: words, punctuation, quotes, blank lines, odd Unicode.
fn newsish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        "[A-Za-z]{1,12}",
        Just(" ".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("“".to_string()),
        Just("” ".to_string()),
        Just("(Ann Lee/AP)".to_string()),
        Just("Mr. ".to_string()),
        Just("## ".to_string()),
        "\\PC{1,3}",
    ];
    prop::collection::vec(token, 0..200).prop_map(|v| v.concat())
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| w.trim_start_matches('#').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

proptest! {
    #[test]
    fn split_keeps_every_word_in_order(text in newsish()) {
        let paragraphs = split_text(&text);
        let joined: Vec<String> = paragraphs.iter().flat_map(|p| words(&p.text)).collect();
        prop_assert_eq!(joined, words(&text));
        for (i, p) in paragraphs.iter().enumerate() {
            prop_assert_eq!(p.para as usize, i + 1);
            prop_assert!(!p.text.trim().is_empty());
        }
    }

    #[test]
    fn snippet_highlights_lie_on_char_boundaries_inside_the_text(
        text in newsish(),
        max in 20usize..400,
    ) {
        let h = Highlighter::new(
            vec!["the".to_string(), "forc".to_string(), "a".to_string()],
            vec!["re".to_string()],
        );
        let s = h.snippet(&text, max);
        let mut last_end = 0;
        for [a, b] in &s.highlights {
            prop_assert!(a < b && *b <= s.text.len());
            prop_assert!(s.text.is_char_boundary(*a) && s.text.is_char_boundary(*b));
            prop_assert!(*a >= last_end, "sorted, not overlapping");
            last_end = *b;
        }
    }

    #[test]
    fn query_check_never_panics(query in "\\PC{0,40}") {
        let _ = check_syntax(&query);
    }
}
