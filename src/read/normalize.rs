//! The one shape every reader gives a body: LF line endings, no trailing spaces,
//! paragraphs separated by exactly one blank line, no blank lines at either end.

/// Normalises article text: strips BOMs (anywhere: concatenated files carry them
/// mid-text, and one left behind by dropped control characters made a body of one
/// invisible character), turns CRLF/CR and Unicode line/paragraph separators into LF
/// (form feeds and paragraph separators into a blank line), drops control characters
/// other than tab, trims line ends, collapses runs of blank lines into one and trims blank
/// lines at both ends. Lines are not joined.
pub fn normalize_body(text: &str) -> String {
    let cleaned = clean_characters(text);
    let mut out = String::with_capacity(cleaned.len());
    let mut pending_blank = false;
    for line in cleaned.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if pending_blank {
                out.push('\n');
            }
        }
        pending_blank = false;
        out.push_str(line);
    }
    out
}

/// Bytes that may start a character [`clean_characters`] changes: ASCII controls but
/// tab and LF, DEL, and the lead bytes of C1 controls, U+2028/U+2029 and the BOM.
static SUSPECT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\n' as usize && b != b'\t' as usize;
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t[0xEF] = true;
    t
};

/// The character pass of [`normalize_body`]. Text is copied in runs between the few
/// bytes that can start a character to change (ASCII controls, and the lead bytes of
/// C1 controls, U+2028/U+2029 and the BOM): this pass sees every byte of every article.
fn clean_characters(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut cleaned = String::with_capacity(text.len());
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // A table lookup per byte: the test written out cost twice the instructions.
        if !SUSPECT[bytes[i] as usize] {
            i += 1;
            continue;
        }
        // `i` is on a character boundary: suspects are ASCII or UTF-8 lead bytes.
        let c = text[i..].chars().next().unwrap_or_default();
        let mut len = c.len_utf8();
        let replacement = match c {
            '\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    len += 1;
                }
                "\n"
            }
            '\u{2028}' | '\u{85}' => "\n",
            '\u{2029}' | '\u{0C}' => "\n\n",
            '\u{FEFF}' => "",
            c if c.is_control() => "",
            _ => {
                i += len;
                continue;
            }
        };
        cleaned.push_str(&text[start..i]);
        cleaned.push_str(replacement);
        i += len;
        start = i;
    }
    cleaned.push_str(&text[start..]);
    cleaned
}

/// For record bodies (JSON, CSV): when the text has no blank line at all, each line is
/// taken as its own paragraph. Nobody hard-wraps a JSON string; dumps that keep
/// paragraphs use one `\n` between them, and the splitter would otherwise join them.
pub(crate) fn record_body(text: &str) -> String {
    let body = normalize_body(text);
    if body.contains("\n\n") || !body.contains('\n') {
        body
    } else {
        body.replace('\n', "\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspect_table_is_the_rule() {
        for b in 0..=255u8 {
            let rule =
                (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF);
            assert_eq!(SUSPECT[b as usize], rule, "byte {b:#x}");
        }
    }

    #[test]
    fn crlf_and_blank_runs_are_normalised() {
        assert_eq!(
            normalize_body("\r\n\r\nOne\r\ntwo  \r\n\r\n \r\n\r\nThree\rfour\n\n"),
            "One\ntwo\n\nThree\nfour"
        );
    }

    // Found by the `read_delimited` fuzz target: a TSV body of control characters and a
    // BOM came out as "\u{FEFF}" and was indexed as a paragraph.
    #[test]
    fn a_bom_after_dropped_control_characters_or_mid_text_is_dropped() {
        assert_eq!(normalize_body("\u{1e}\u{1e}\u{FEFF}"), "");
        assert_eq!(normalize_body("One.\n\u{FEFF}Two."), "One.\nTwo.");
        assert_eq!(normalize_body("\u{FEFF}One."), "One.");
    }

    #[test]
    fn control_characters_are_dropped_and_form_feed_breaks_paragraphs() {
        assert_eq!(normalize_body("a\u{7}b\u{0C}c"), "ab\n\nc");
    }

    #[test]
    fn record_body_without_blank_lines_gets_one_paragraph_per_line() {
        assert_eq!(record_body("First.\nSecond."), "First.\n\nSecond.");
        assert_eq!(
            record_body("First\nwrapped.\n\nSecond."),
            "First\nwrapped.\n\nSecond."
        );
    }
}
