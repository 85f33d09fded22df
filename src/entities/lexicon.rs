//! The data files under `data/`, parsed once: the country table, the phrase automaton
//! (countries, organisations, blocked phrases) and the word lexicon used by the person rules.

use super::Country;
use super::text::Folded;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind, StartKind};
use rustc_hash::FxHashMap;

const COUNTRIES: &str = include_str!("data/countries.tsv");
const BLOCKED: &str = include_str!("data/blocked.tsv");
const ORGS: &str = include_str!("data/orgs.tsv");
const TITLES: &str = include_str!("data/titles.tsv");
const GIVEN_NAMES: &str = include_str!("data/given_names.txt");
const NON_NAMES: &str = include_str!("data/non_names.tsv");
const SPEECH_VERBS: &str = include_str!("data/speech_verbs.txt");

/// Lines of a data file without comments and blank lines.
fn rows(data: &'static str) -> impl Iterator<Item = &'static str> {
    data.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

/// Just the code and name of every country in the table: what displaying a country needs,
/// without building the automata (search prints country names; it must not pay for
/// the extractor).
pub(crate) fn country_table() -> &'static [Country] {
    static TABLE: std::sync::OnceLock<Vec<Country>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        rows(COUNTRIES)
            .filter_map(|row| {
                let mut f = row.split('\t');
                Some(Country {
                    code: f.next()?.trim(),
                    name: f.next()?.trim(),
                })
            })
            .collect()
    })
}

fn list(field: Option<&'static str>) -> impl Iterator<Item = &'static str> {
    field
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// How a phrase names a country; all count the same, the kind settles ambiguity rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AliasKind {
    Name,
    Demonym,
    City,
    Metonym,
}

/// What a phrase in the automaton stands for. One phrase can be both an organisation and a
/// country (`the Pentagon`); a phrase with neither is blocked (`South China Sea`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Phrase {
    pub country: Option<(u16, AliasKind)>,
    pub org: Option<u16>,
}

/// Word classes for the person rules, keyed by the lower-cased word.
pub(crate) mod word {
    pub const GIVEN: u16 = 1;
    /// Never part of a name (function words, weekdays, months, `Government`).
    pub const STOP: u16 = 2;
    /// A capitalised run ending in it is a place or body (`Booker Prize`).
    pub const HEAD: u16 = 4;
    /// `Mr`, `Sir`, `Dr`: written before a name, never part of it.
    pub const HONORIFIC: u16 = 8;
    /// Last word of a title or role (`President`, `spokesman`, `Prime Minister`).
    pub const PRE_NAME: u16 = 16;
    pub const SPEECH: u16 = 32;
    /// `Sir`, `Dame`, `Lord`, `Lady`: may stand before a given name alone (`Sir Keir`).
    pub const FIRST_NAME_HONORIFIC: u16 = 64;
    /// Lower-case name particles: `von`, `der`, `bin`, `de`.
    pub const PARTICLE: u16 = 128;
    /// The phrase ending in this word has more words: check [`super::Lexicon::titles`].
    pub const PRE_NAME_PHRASE: u16 = 256;
    /// Organisation suffix: a capitalised run ending in it is a company (`Acme Ltd`).
    pub const ORG_SUFFIX: u16 = 512;
}

const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das", "la", "le",
    "bin", "ibn", "ben", "al", "el", "ter", "ten", "zu", "y",
];

const ORG_SUFFIXES: &[&str] = &[
    "inc",
    "plc",
    "ltd",
    "llc",
    "corp",
    "corporation",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "co",
];

pub(crate) struct Lexicon {
    pub countries: Vec<Country>,
    pub orgs: Vec<&'static str>,
    pub automaton: AhoCorasick,
    pub phrases: Vec<Phrase>,
    /// Whether some phrase starts with this byte (others need no search).
    pub first_bytes: [bool; 256],
    pub words: FxHashMap<Box<[u8]>, u16>,
    /// Multi-word titles by their last word: the words before it, lower-cased.
    pub titles: FxHashMap<Box<str>, Vec<Vec<Box<str>>>>,
    /// Everything a user may type for a country, lower-cased and folded.
    pub lookup: FxHashMap<Box<str>, u16>,
}

fn fold_key(s: &str) -> String {
    let f = Folded::new(s);
    f.text.to_string()
}

/// `Israeli` → `Israelis`; `Swiss`, `Dutch`, `Chinese` stay as they are.
fn plural(demonym: &str) -> Option<String> {
    let l = demonym.to_ascii_lowercase();
    if l.ends_with('s')
        || l.ends_with("sh")
        || l.ends_with("ch")
        || l.ends_with("ese")
        || l.ends_with('x')
        || l.ends_with('z')
        || l.ends_with("man")
        || l.ends_with("men")
    {
        return None;
    }
    Some(format!("{demonym}s"))
}

impl Lexicon {
    pub fn new() -> Self {
        let mut countries = Vec::new();
        let mut lookup: FxHashMap<Box<str>, u16> = FxHashMap::default();
        let mut entries: Vec<(String, Phrase)> = Vec::new();
        let mut index: FxHashMap<String, usize> = FxHashMap::default();

        let mut add = |entries: &mut Vec<(String, Phrase)>,
                       alias: &str,
                       country: Option<(u16, AliasKind)>,
                       org: Option<u16>| {
            let alias = alias.strip_prefix("the ").unwrap_or(alias);
            let key = fold_key(alias);
            if key.len() < 2 {
                return;
            }
            // Matching is case-sensitive, so "turkey" and "us" are not countries; an
            // all-capitals spelling (headlines: "JAPAN") is added beside each phrase.
            let upper = key.to_ascii_uppercase();
            for k in [key.clone(), upper] {
                match index.get(&k) {
                    Some(&i) => {
                        let p = &mut entries[i].1;
                        p.country = p.country.or(country);
                        p.org = p.org.or(org);
                    }
                    None => {
                        index.insert(k.clone(), entries.len());
                        entries.push((k, Phrase { country, org }));
                    }
                }
            }
        };

        for row in rows(COUNTRIES) {
            let mut f = row.split('\t');
            let code = f.next().expect("country code").trim();
            let name = f.next().expect("country name").trim();
            let idx = countries.len() as u16;
            countries.push(Country { code, name });
            lookup.insert(code.to_ascii_lowercase().into(), idx);
            let names = f.next();
            let demonyms = f.next();
            let cities = f.next();
            let metonyms = f.next();
            let user = |lookup: &mut FxHashMap<Box<str>, u16>, s: &str| {
                let k = fold_key(s.strip_prefix("the ").unwrap_or(s)).to_ascii_lowercase();
                lookup.entry(k.into()).or_insert(idx);
            };
            for n in std::iter::once(name).chain(list(names)) {
                add(&mut entries, n, Some((idx, AliasKind::Name)), None);
                user(&mut lookup, n);
            }
            for d in list(demonyms) {
                add(&mut entries, d, Some((idx, AliasKind::Demonym)), None);
                user(&mut lookup, d);
                if let Some(p) = plural(d) {
                    add(&mut entries, &p, Some((idx, AliasKind::Demonym)), None);
                    user(&mut lookup, &p);
                }
            }
            for c in list(cities) {
                add(&mut entries, c, Some((idx, AliasKind::City)), None);
                user(&mut lookup, c);
            }
            for m in list(metonyms) {
                add(&mut entries, m, Some((idx, AliasKind::Metonym)), None);
                user(&mut lookup, m);
            }
        }

        let mut orgs = Vec::new();
        for row in rows(ORGS) {
            let mut f = row.split('\t');
            let name = f.next().expect("org name").trim();
            let aliases = f.next();
            let country = f
                .next()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .and_then(|c| countries.iter().position(|k| k.code == c))
                .map(|i| (i as u16, AliasKind::Metonym));
            let idx = orgs.len() as u16;
            orgs.push(name);
            for a in std::iter::once(name).chain(list(aliases)) {
                add(&mut entries, a, country, Some(idx));
            }
        }
        for row in rows(BLOCKED) {
            add(&mut entries, row.trim(), None, None);
        }

        let patterns: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
        let phrases: Vec<Phrase> = entries.into_iter().map(|(_, p)| p).collect();
        let mut first_bytes = [false; 256];
        for p in &patterns {
            first_bytes[p.as_bytes()[0] as usize] = true;
        }
        // Searched anchored at word starts only, which is much cheaper than a scan of
        // every byte: phrases always begin a word. A contiguous NFA rather than a DFA:
        // the DFA's searches took 30% fewer instructions, but it cost 7 MB of every
        // indexing run's memory and more instructions to build than it saved on 1x BBC.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&patterns)
            .expect("the gazetteer patterns build an automaton");

        let mut words: FxHashMap<Box<[u8]>, u16> = FxHashMap::default();
        let mut set = |w: &str, f: u16| {
            *words
                .entry(w.to_ascii_lowercase().into_bytes().into())
                .or_insert(0) |= f;
        };
        for w in rows(GIVEN_NAMES) {
            set(&fold_key(w.trim()), word::GIVEN);
        }
        for row in rows(NON_NAMES) {
            let mut f = row.split('\t');
            let w = f.next().unwrap_or("").trim();
            match f.next().map(str::trim) {
                Some("stop") => set(w, word::STOP),
                Some("head") => set(w, word::HEAD),
                _ => {}
            }
        }
        for w in rows(SPEECH_VERBS) {
            set(w.trim(), word::SPEECH);
        }
        for p in PARTICLES {
            set(p, word::PARTICLE);
        }
        for s in ORG_SUFFIXES {
            set(s, word::ORG_SUFFIX);
        }
        let mut titles: FxHashMap<Box<str>, Vec<Vec<Box<str>>>> = FxHashMap::default();
        for row in rows(TITLES) {
            let mut f = row.split('\t');
            let phrase = f.next().unwrap_or("").trim().trim_end_matches('.');
            let kind = f.next().map(str::trim).unwrap_or("");
            let parts: Vec<&str> = phrase.split(' ').collect();
            let last = parts[parts.len() - 1];
            let mut fl = if parts.len() > 1 {
                word::PRE_NAME_PHRASE
            } else {
                word::PRE_NAME
            };
            if kind == "honorific" {
                fl |= word::HONORIFIC;
                if matches!(phrase, "Sir" | "Dame" | "Lord" | "Lady") {
                    fl |= word::FIRST_NAME_HONORIFIC;
                }
            }
            set(last, fl);
            if parts.len() > 1 {
                titles
                    .entry(last.to_ascii_lowercase().into())
                    .or_default()
                    .push(
                        parts[..parts.len() - 1]
                            .iter()
                            .map(|w| w.to_ascii_lowercase().into())
                            .collect(),
                    );
            }
        }

        Lexicon {
            countries,
            orgs,
            automaton,
            phrases,
            first_bytes,
            words,
            titles,
            lookup,
        }
    }

    /// The word classes of a (folded) word, case-insensitively.
    pub fn word(&self, w: &str) -> u16 {
        let w = w.as_bytes();
        let mut buf = [0u8; 32];
        if w.len() > buf.len() {
            return 0;
        }
        buf[..w.len()].copy_from_slice(w);
        // The whole fixed-size buffer, not just the word: that compiles to a few vector
        // instructions instead of a loop over bytes.
        buf.make_ascii_lowercase();
        let f = self.words.get(&buf[..w.len()]).copied().unwrap_or(0);
        // "Jean-Baptiste": a hyphenated name whose first part is a given name is one too;
        // "writer-director", "co-star": a hyphenated role whose last part is one.
        if f == 0
            && let Some(h) = buf[..w.len()].iter().position(|&b| b == b'-')
            && h > 0
        {
            let last = buf[..w.len()].iter().rposition(|&b| b == b'-').unwrap_or(h);
            let given = self.words.get(&buf[..h]).copied().unwrap_or(0) & word::GIVEN;
            let role = self
                .words
                .get(&buf[last + 1..w.len()])
                .copied()
                .unwrap_or(0)
                & word::PRE_NAME;
            return given | role;
        }
        f
    }
}
