//! The paragraph splitter on any text: never a panic; paragraphs numbered 1..n, none
//! empty; every word of the input (heading marks aside) kept, in order.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::split::split_text;

/// Whitespace-separated words, with Markdown heading marks (`##`) dropped: the splitter
/// turns `## Heading` into a title paragraph without them.
fn words(s: &str) -> Vec<&str> {
    s.split_whitespace()
        .map(|w| w.trim_start_matches('#'))
        .filter(|w| !w.is_empty())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let paragraphs = split_text(text);
    for (i, p) in paragraphs.iter().enumerate() {
        assert_eq!(p.para as usize, i + 1, "numbering: {paragraphs:?}");
        assert!(!p.text.trim().is_empty(), "empty paragraph: {paragraphs:?}");
    }
    let out: Vec<&str> = paragraphs.iter().flat_map(|p| words(&p.text)).collect();
    assert_eq!(out, words(text), "words lost, added or reordered");
});
