//! The entity extractor over the splitter's paragraphs, and the name helpers, on any
//! text: never a panic, and the documented shape of their results.
#![no_main]
use libfuzzer_sys::fuzz_target;
use newsdex::entities::{self, extractor, lookup_country, normalize_name, strip_person_title};
use newsdex::split::split_text;

fn sorted_unique<T: Ord + std::fmt::Debug>(v: &[T]) -> bool {
    v.windows(2).all(|w| w[0] < w[1])
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A first line starting with '#' is the article's title; the rest is the body.
    let (title, body) = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with('#') => (Some(&first[1..]), rest),
        _ => (None, text),
    };
    let paragraphs = split_text(body);
    let found = extractor().extract(title, &paragraphs);
    assert_eq!(found.len(), paragraphs.len(), "one Entities per paragraph");
    for e in &found {
        for name in e.persons.iter().chain(&e.orgs) {
            assert!(!name.trim().is_empty(), "empty name in {e:?}");
        }
        for c in &e.countries {
            assert!(
                c.code.len() == 2 && c.code.bytes().all(|b| b.is_ascii_uppercase()),
                "bad country code in {e:?}"
            );
            assert!(!c.name.is_empty(), "country without a name in {e:?}");
        }
        assert!(
            sorted_unique(&e.persons),
            "persons not sorted/unique: {e:?}"
        );
        assert!(sorted_unique(&e.orgs), "orgs not sorted/unique: {e:?}");
        assert!(
            sorted_unique(&e.countries),
            "countries not sorted/unique: {e:?}"
        );
    }

    // The helpers, on the whole input and on each line.
    for s in std::iter::once(text).chain(text.lines().take(8)) {
        if let Some(c) = lookup_country(s) {
            assert_eq!(c.code.len(), 2, "lookup_country({s:?}) = {c:?}");
        }
        let stripped = strip_person_title(s);
        assert!(
            s.contains(stripped),
            "strip_person_title({s:?}) = {stripped:?} is not part of its input"
        );
        let n = normalize_name(s);
        assert_eq!(
            n,
            n.trim(),
            "normalize_name({s:?}) = {n:?} has outer spaces"
        );
        assert!(
            !n.contains("  "),
            "normalize_name({s:?}) = {n:?} has double spaces"
        );
        assert_eq!(
            normalize_name(&n),
            n,
            "normalize_name is not idempotent on {s:?}"
        );
        let _ = entities::person_matches(s, &n);
    }
});
