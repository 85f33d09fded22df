//! Text preparation for the extractor: accent and punctuation folding with a map back to
//! the original bytes, and a single-pass tokenizer that records what stands between words.

use std::borrow::Cow;

/// A paragraph folded to ASCII (accents stripped, curly quotes and dashes made plain) so
/// that the gazetteers and rules see one spelling; `orig` maps positions back, so names
/// are shown as the article wrote them (`Hervé`, not `Herve`).
pub(crate) struct Folded<'a> {
    pub text: Cow<'a, str>,
    orig: &'a str,
    /// For each byte of `text` (plus one past the end): the byte offset in `orig`.
    /// Empty when `text` borrows `orig` unchanged.
    map: Vec<u32>,
}

impl<'a> Folded<'a> {
    pub fn new(orig: &'a str) -> Self {
        if orig.is_ascii() {
            return Folded {
                text: Cow::Borrowed(orig),
                orig,
                map: Vec::new(),
            };
        }
        let mut text = String::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len() + 1);
        let mut i = 0;
        while i < orig.len() {
            // Runs of ASCII are copied whole, not a character at a time: most of a
            // paragraph is ASCII even when a pound sign or an accent is not.
            let run = orig.as_bytes()[i..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(orig.len() - i);
            text.push_str(&orig[i..i + run]);
            map.extend(i as u32..(i + run) as u32);
            i += run;
            let Some(c) = orig[i..].chars().next() else {
                break;
            };
            let before = text.len();
            match c {
                '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' => text.push('\''),
                '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => text.push('"'),
                '\u{2013}' | '\u{2014}' | '\u{2212}' => text.push('-'),
                '\u{00A0}' | '\u{2009}' | '\u{202F}' => text.push(' '),
                c => match deunicode::deunicode_char(c) {
                    Some(s) if !s.is_empty() && s.is_ascii() => text.push_str(s),
                    _ => text.push(' '),
                },
            }
            for _ in before..text.len() {
                map.push(i as u32);
            }
            i += c.len_utf8();
        }
        map.push(orig.len() as u32);
        Folded {
            text: Cow::Owned(text),
            orig,
            map,
        }
    }

    /// The original text for the folded byte range `start..end`.
    pub fn original(&self, start: usize, end: usize) -> &'a str {
        if self.map.is_empty() {
            return &self.orig[start..end];
        }
        let s = self.map[start] as usize;
        let e = self.map[end] as usize;
        &self.orig[s..e.max(s)]
    }
}

/// Punctuation seen between the previous word and this one.
pub(crate) mod gap {
    /// `.`, `!` or `?` — possibly a sentence end (see [`super::flag::SENT_START`]).
    pub const STOP: u8 = 1;
    pub const COMMA: u8 = 2;
    pub const OPEN: u8 = 4;
    pub const CLOSE: u8 = 8;
    pub const QUOTE: u8 = 16;
    /// Any other punctuation (`:`, `;`, `-`, `/`, `&` …).
    pub const OTHER: u8 = 32;
    /// No whitespace at all between the words (`Euler/AP`).
    pub const TIGHT: u8 = 64;
}

/// What a word looks like.
pub(crate) mod flag {
    /// Starts with a capital (or a particle prefix before one: `al-Sisi`, `d'Estaing`).
    pub const CAP: u8 = 1;
    /// Two or more letters, all capitals (`BBC`, `JAPAN`).
    pub const UPPER: u8 = 2;
    /// Was followed by a possessive `'s` (or a bare `'` after an `s`), not part of the word.
    pub const POSS: u8 = 4;
    /// A single capital letter (`W`, `W.`) or two capitals (`JM`): a name initial.
    pub const INITIAL: u8 = 8;
    /// First word of a sentence, capitalised by position rather than by being a name.
    pub const SENT_START: u8 = 16;
    pub const DIGIT: u8 = 32;
    /// Hyphenated with a lower-case last part (`Ontario-based`, `war-torn`).
    pub const LOWER_TAIL: u8 = 64;
    /// Has a hyphen inside (`Israeli-Palestinian`): the only words worth searching for
    /// countries joined by hyphens.
    pub const HYPHEN: u8 = 128;
}

/// One word: byte range in the folded text, the punctuation before it and its shape.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub start: u32,
    pub end: u32,
    pub gap: u8,
    pub flags: u8,
}

impl Token {
    pub fn is(&self, f: u8) -> bool {
        self.flags & f != 0
    }
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start as usize..self.end as usize]
    }
    /// Only whitespace separates this word from the previous one.
    pub fn joined(&self) -> bool {
        self.gap == 0
    }
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Prof", "Gen", "Lt", "Col", "Sgt", "Capt", "Gov",
    "Sen", "Rep", "Rev", "No", "Mt", "Ft", "Inc", "Corp", "Co", "Ltd", "vs",
];

/// Lower-case particles written before a capital inside one word: `al-Sisi`, `d'Estaing`.
const PREFIXES: &[&str] = &[
    "al-", "el-", "ad-", "as-", "ash-", "at-", "an-", "d'", "l'", "O'",
];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Byte classes of word characters (0 for any other byte): the per-byte loop below is one
/// table load, and it was the largest single cost of extraction.
const UPPER_BYTE: u8 = 1;
const LOWER_BYTE: u8 = 2;
const DIGIT_BYTE: u8 = 4;
const WORD_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_uppercase() {
            UPPER_BYTE
        } else if b.is_ascii_lowercase() {
            LOWER_BYTE
        } else if b.is_ascii_digit() {
            DIGIT_BYTE
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Splits folded text into words in one pass; possessives are cut off and flagged.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut gap_flags = 0u8;
    let mut saw_space = true;
    while i < n {
        let c = b[i];
        if WORD_CLASS[c as usize] == 0 {
            match c {
                b'.' | b'!' | b'?' => gap_flags |= gap::STOP,
                b',' => gap_flags |= gap::COMMA,
                b'(' | b'[' | b'{' => gap_flags |= gap::OPEN,
                b')' | b']' | b'}' => gap_flags |= gap::CLOSE,
                b'"' | b'\'' | b'`' => gap_flags |= gap::QUOTE,
                b' ' | b'\t' | b'\n' | b'\r' => saw_space = true,
                _ => gap_flags |= gap::OTHER,
            }
            i += 1;
            continue;
        }
        let start = i;
        let mut poss = false;
        let end;
        // The classes of all the word's bytes; capitals are counted afterwards, only for
        // the few words without a lower-case letter.
        let (mut seen, mut inner, mut hyphen) = (0u8, false, false);
        loop {
            while i < n {
                let class = WORD_CLASS[b[i] as usize];
                if class == 0 {
                    break;
                }
                seen |= class;
                i += 1;
            }
            if i + 1 < n && (b[i] == b'-' || b[i] == b'\'') && is_word_byte(b[i + 1]) {
                if b[i] == b'\''
                    && (b[i + 1] == b's' || b[i + 1] == b'S')
                    && (i + 2 >= n || !is_word_byte(b[i + 2]))
                {
                    poss = true;
                    end = i;
                    i += 2;
                    break;
                }
                inner = true;
                hyphen |= b[i] == b'-';
                i += 1;
                continue;
            }
            end = i;
            // "Yukos' core": a bare apostrophe after a final s is a plural possessive.
            if i < n
                && b[i] == b'\''
                && i > start
                && (b[i - 1] == b's' || b[i - 1] == b'S')
                && (i + 1 >= n || !is_word_byte(b[i + 1]))
            {
                poss = true;
                i += 1;
            }
            break;
        }
        let word = &b[start..end];
        let mut flags = 0u8;
        let first = b[start];
        if first.is_ascii_uppercase()
            || (inner
                && PREFIXES.iter().any(|p| {
                    word.len() > p.len()
                        && word.starts_with(p.as_bytes())
                        && word[p.len()].is_ascii_uppercase()
                }))
        {
            flags |= flag::CAP;
        }
        let all_caps = seen & LOWER_BYTE == 0 && seen & UPPER_BYTE != 0;
        if all_caps && word.iter().filter(|c| c.is_ascii_uppercase()).count() >= 2 {
            flags |= flag::UPPER;
        }
        if seen & DIGIT_BYTE != 0 {
            flags |= flag::DIGIT;
        }
        if hyphen {
            flags |= flag::HYPHEN;
        }
        if hyphen
            && let Some(h) = word.iter().rposition(|&c| c == b'-')
            && word.get(h + 1).is_some_and(u8::is_ascii_lowercase)
        {
            flags |= flag::LOWER_TAIL;
        }
        if (word.len() == 1 && first.is_ascii_uppercase())
            || (word.len() == 2 && word.iter().all(u8::is_ascii_uppercase))
        {
            flags |= flag::INITIAL;
        }
        if poss {
            flags |= flag::POSS;
        }
        let mut g = gap_flags;
        if !saw_space && !out.is_empty() {
            g |= gap::TIGHT;
        }
        // A full stop after an initial or an abbreviation does not end a sentence.
        let sentence_start = match out.last() {
            None => true,
            Some(prev) => {
                g & gap::STOP != 0 && {
                    let p = prev.text(text);
                    !(prev.is(flag::INITIAL) && p.len() == 1 || ABBREVIATIONS.contains(&p))
                }
            }
        };
        if sentence_start {
            flags |= flag::SENT_START;
        }
        out.push(Token {
            start: start as u32,
            end: end as u32,
            gap: g,
            flags,
        });
        gap_flags = 0;
        saw_space = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut v = Vec::new();
        tokenize(text, &mut v);
        v.iter().map(|t| t.text(text).to_string()).collect()
    }

    #[test]
    fn possessive_is_cut_from_the_word() {
        let text = "Ukraine's allies and Yukos' shares, O'Brien's view";
        assert_eq!(
            words(text),
            [
                "Ukraine", "allies", "and", "Yukos", "shares", "O'Brien", "view"
            ]
        );
        let mut v = Vec::new();
        tokenize(text, &mut v);
        assert!(v[0].is(flag::POSS) && v[3].is(flag::POSS) && v[5].is(flag::POSS));
    }

    #[test]
    fn folding_keeps_a_map_to_the_original() {
        let f = Folded::new("Hervé Gaymard’s view");
        assert_eq!(f.text, "Herve Gaymard's view");
        assert_eq!(f.original(0, 5), "Hervé");
        assert_eq!(f.original(6, 13), "Gaymard");
    }

    #[test]
    fn full_stop_after_mr_does_not_start_a_sentence() {
        let text = "Mr. Blair met George W. Bush. Then he left.";
        let mut v = Vec::new();
        tokenize(text, &mut v);
        let starts: Vec<&str> = v
            .iter()
            .filter(|t| t.is(flag::SENT_START))
            .map(|t| t.text(text))
            .collect();
        assert_eq!(starts, ["Mr", "Then"]);
    }
}
