//! Paragraph → persons, countries and organisations, with no model and no network.
//!
//! - **Countries** come from a gazetteer ([`data/countries.tsv`](data/countries.tsv)) of
//!   names, codes, demonyms, capitals and major cities and metonyms, normalised to ISO
//!   3166-1 alpha-2 and an English short name. The code list is checked against the
//!   `celes` crate. Phrases that only contain a country word (`South China Sea`) are in
//!   `data/blocked.tsv`; context rules settle `Jordan Henderson`, `the US state of
//!   Georgia` and lower-case `turkey`.
//! - **Persons** are runs of capitalised words with evidence: a title or role before them
//!   (`Mr`, `Sir`, `President`, `spokesman`), a given name (`data/given_names.txt`), a
//!   speech verb (`said X`, `X told`), a known person joined to it by `and`, commas after
//!   a role (`coach, Christos Tzekos,`), or a surname already introduced in the article.
//!   Descriptors before a given name (`Beatle George Harrison`) and post-nominals
//!   (`Kelvin MP`) are not part of a name; `Ms King` is a surname despite `King`.
//!   Photo credits and bylines are skipped. Names are then resolved across the article:
//!   `Mr Macron` and `Macron` become `Emmanuel Macron`, `Sir Keir` becomes `Keir
//!   Starmer`; a surname shared by two people goes to the one introduced last.
//! - **Organisations** come from `data/orgs.tsv` and company suffixes (`Ltd`, `plc`).
//!
//! All data files are compiled in with `include_str!` and parsed once into an
//! Aho-Corasick automaton and hash maps; extraction is one pass per paragraph.

mod lexicon;
mod scan;
mod text;

use crate::model::{Paragraph, ParagraphKind};
use lexicon::{Lexicon, word};
use scan::Mention;
use serde::Serialize;
use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::OnceLock;

/// A country, normalised to ISO 3166-1 alpha-2 and an English short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Country {
    pub code: &'static str,
    pub name: &'static str,
}

/// The entities of one paragraph, each list sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Entities {
    pub persons: Vec<String>,
    pub countries: Vec<Country>,
    pub orgs: Vec<String>,
}

thread_local! {
    /// Scan buffers, kept from one article to the next so they are allocated once per
    /// thread rather than grown again for every article.
    static SCRATCH: RefCell<scan::Scratch> = RefCell::default();
}

/// Compiled gazetteers and rules; build once, share across threads.
pub struct Extractor {
    lex: Lexicon,
}

impl Extractor {
    /// Parses the data files and builds the automata (a few milliseconds); prefer the
    /// shared [`extractor()`].
    pub fn new() -> Self {
        Extractor {
            lex: Lexicon::new(),
        }
    }

    /// One `Entities` per paragraph, in order; persons resolved across the whole article.
    ///
    /// The title is not a paragraph, but the names it gives help resolution.
    pub fn extract(&self, title: Option<&str>, paragraphs: &[Paragraph]) -> Vec<Entities> {
        // Headlines and headings are often in Title Case ("Zelensky Meets Trump"), so
        // a capitalised run there is no evidence of a name without something more.
        let heading = |mut s: scan::Scan| {
            for m in &mut s.mentions {
                m.weak = false;
            }
            s
        };
        let (mut title_scan, mut scans) = SCRATCH.with_borrow_mut(|scratch| {
            scratch.start_article();
            let title_scan = title.map(|t| heading(scan::scan(&self.lex, t, scratch)));
            let scans: Vec<scan::Scan> = paragraphs
                .iter()
                .map(|p| {
                    let s = scan::scan(&self.lex, &p.text, scratch);
                    if p.kind == ParagraphKind::Title {
                        heading(s)
                    } else {
                        s
                    }
                })
                .collect();
            (title_scan, scans)
        });

        // The names on team-sheet lines count when the article surely has a team sheet;
        // a line only shaped like one ("Bowyer, Elliott, Bernard.") counts beside it.
        let sheet = title_scan
            .iter()
            .chain(scans.iter())
            .any(|s| s.sheet == Some(true));
        if sheet {
            for s in &mut scans {
                let names = std::mem::take(&mut s.sheet_mentions);
                s.mentions.extend(names);
            }
        }

        // Names the article calls a film, book or show are titles in all its paragraphs
        // ("the film Vera Drake" ... "best director for Vera Drake").
        let works: Vec<Vec<u32>> = title_scan
            .iter()
            .chain(scans.iter())
            .flat_map(scan::Scan::works)
            .map(<[u32]>::to_vec)
            .collect();
        if !works.is_empty() {
            for s in title_scan.iter_mut().chain(scans.iter_mut()) {
                s.mentions.retain(|m| !works.contains(&m.keys));
            }
        }

        // Full names (two words or more, with evidence), in order of appearance; the
        // title counts as coming first.
        let mut full: Vec<(usize, u32, &Mention)> = Vec::new();
        for (order, s) in title_scan.iter().chain(scans.iter()).enumerate() {
            for m in &s.mentions {
                if m.keys.len() >= 2 && (m.strong || m.weak) {
                    full.push((order, m.pos, m));
                }
            }
        }
        let offset = usize::from(title_scan.is_some());
        // Surnames the article names with evidence ("Mr Iwata", "Iwata said"): a run of
        // capitalised words with no evidence of its own ("Satoru Iwata") counts as a
        // person only if the article also names it so; "Foreign Corrupt Practices" does not.
        let mut surnames: rustc_hash::FxHashSet<u32> = Default::default();
        for s in title_scan.iter().chain(scans.iter()) {
            for m in s.mentions.iter().filter(|m| m.strong) {
                if let Some(&last) = m.keys.last() {
                    surnames.insert(last);
                }
            }
        }
        let confirmed =
            |m: &Mention| m.strong || m.keys.last().is_some_and(|l| surnames.contains(l));
        full.retain(|(_, _, m)| confirmed(m));

        // First names of the article's people: "Jordan" alone then means Jordan Henderson.
        let first_names: rustc_hash::FxHashSet<u32> =
            full.iter().map(|(_, _, m)| m.keys[0]).collect();
        let georgia_is_state = title_scan
            .iter()
            .chain(scans.iter())
            .any(|s| s.georgia_is_state);

        scans
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let order = i + offset;
                let mut persons: Vec<String> = s
                    .mentions
                    .iter()
                    .filter_map(|m| resolve(m, (order, m.pos), &full, confirmed(m)))
                    // A name has letters (the `entities` fuzz target found a blank one
                    // from text in a script the tokenizer does not split).
                    .filter(|name| name.chars().any(char::is_alphabetic))
                    .collect();
                persons.sort();
                persons.dedup();
                let mut countries: Vec<Country> = s
                    .countries
                    .iter()
                    .map(|&c| self.lex.countries[c as usize])
                    .collect();
                for (idx, w) in &s.given_name_countries {
                    if first_names.contains(w) {
                        let c = self.lex.countries[*idx as usize];
                        countries.retain(|x| *x != c);
                    }
                }
                if georgia_is_state && let Some(ge) = s.georgia_bare {
                    let ge = self.lex.countries[ge as usize];
                    countries.retain(|c| *c != ge);
                }
                countries.sort();
                countries.dedup();
                let mut orgs = s.orgs.clone();
                orgs.sort();
                orgs.dedup();
                let orgs = orgs.into_iter().map(Cow::into_owned).collect();
                Entities {
                    persons,
                    countries,
                    orgs,
                }
            })
            .collect()
    }
}

/// The canonical name for a mention: the fullest name in the article it refers to.
fn resolve(
    m: &Mention,
    at: (usize, u32),
    full: &[(usize, u32, &Mention)],
    confirmed: bool,
) -> Option<String> {
    let last = m.keys.last()?;
    let matches = |f: &Mention| -> bool {
        // "M Cueto" (a team sheet) is the article's "Mark Cueto".
        if let Some(i) = m.initial
            && m.keys.len() == 2
            && f.keys.len() >= 2
            && f.keys.last() == Some(last)
            && f.initial.is_none()
            && f.name.as_bytes()[0].to_ascii_lowercase() == i
        {
            return true;
        }
        if f.keys.len() <= m.keys.len() {
            return false;
        }
        if m.keys.len() == 1 {
            f.keys.last() == Some(last) || (m.first_name_honorific && f.keys[0] == m.keys[0])
        } else {
            // "Garcia Marquez" in "Gabriel Garcia Marquez"; "George Bush" in "George W Bush".
            f.keys.ends_with(&m.keys) || (f.keys[0] == m.keys[0] && f.keys.last() == Some(last))
        }
    };
    // The last one introduced at or before this mention, else the first one after.
    let before = full
        .iter()
        .filter(|(o, p, f)| (*o, *p) <= at && matches(f))
        .max_by_key(|(o, p, f)| (*o, *p, f.keys.len()));
    let mut chosen = before.or_else(|| full.iter().find(|(_, _, f)| matches(f)));
    // "President Xi", "Mr Kim", "President Lula": a titled single name that is no one's
    // last name may be the family name written first ("Xi Jinping") or the name a person
    // goes by ("Luiz Inacio Lula da Silva").
    if chosen.is_none() && m.strong && m.keys.len() == 1 {
        chosen = full
            .iter()
            .rev()
            .find(|(o, p, f)| (*o, *p) <= at && f.keys.contains(last));
    }
    // "Stewart has tweaked a hamstring" after "Stewart Downing": a given name alone is
    // the person the article introduced by it, when it is no one's surname.
    if chosen.is_none() && m.given && m.keys.len() == 1 {
        chosen = full
            .iter()
            .filter(|(o, p, f)| (*o, *p) <= at && f.keys[0] == *last && f.given)
            .max_by_key(|(o, p, _)| (*o, *p));
    }
    if let Some((_, _, f)) = chosen {
        return Some(f.name.clone());
    }
    if m.strong || (m.weak && confirmed && m.keys.len() >= 2) {
        return Some(m.name.clone());
    }
    None
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

/// The process-wide extractor.
pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(Extractor::new)
}

/// Resolves what a user types for a country, case- and accent-insensitively: a name
/// (`France`, `the Netherlands`), demonym (`french`), alpha-2 code (`FR`, `fr`), capital
/// or major city (`Paris`, `Kyiv`), or metonym (`the Kremlin`).
pub fn lookup_country(text: &str) -> Option<Country> {
    let lex = &extractor().lex;
    let t = text.trim();
    let t = t
        .strip_prefix("the ")
        .or_else(|| t.strip_prefix("The "))
        .unwrap_or(t);
    let key = normalize_name(t);
    if let Some(&i) = lex.lookup.get(key.as_str()) {
        return Some(lex.countries[i as usize]);
    }
    let key = key.replace(['.', ' '], "");
    if key.len() == 2 {
        return lookup_country_code(&key);
    }
    lex.lookup
        .get(key.as_str())
        .map(|&i| lex.countries[i as usize])
}

/// The country for an ISO 3166-1 alpha-2 code, case-insensitively (`fr` → France).
/// Codes missing from newsdex's table fall back to the `celes` crate's official name.
pub fn lookup_country_code(code: &str) -> Option<Country> {
    let code = code.trim();
    if code.len() != 2 {
        return None;
    }
    if let Some(c) = lexicon::country_table()
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code))
    {
        return Some(*c);
    }
    celes::Country::from_alpha2(code.to_ascii_uppercase())
        .ok()
        .map(|c| Country {
            code: c.alpha2,
            name: c.long_name,
        })
}

/// The key used to compare person and organisation names: accents folded (deunicode),
/// lower-cased, punctuation other than `'` and `-` dropped, spaces collapsed.
/// `"Hervé  Gaymard"`, `"herve gaymard"` and `"HERVE GAYMARD"` all give `"herve gaymard"`;
/// `"George W. Bush"` gives `"george w bush"`.
pub fn normalize_name(s: &str) -> String {
    let folded = deunicode::deunicode(s);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() || c == '\'' || c == '-' {
            out.push(c.to_ascii_lowercase());
        } else if c == '.' {
            continue;
        } else if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Strips leading titles, honorifics and roles, and a trailing possessive, from a name as
/// a user or an article writes it: `"Prime Minister Sir Keir Starmer"` → `"Keir
/// Starmer"`, `"Mr Macron"` → `"Macron"`, `"President Trump's"` → `"Trump"`. Returns the
/// input trimmed if there is nothing to strip; never returns an empty string for a
/// non-empty name (`"Mr"` stays `"Mr"`).
pub fn strip_person_title(s: &str) -> &str {
    let lex = &extractor().lex;
    let mut rest = s.trim();
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(r) = rest.strip_suffix(suffix) {
            rest = r;
            break;
        }
    }
    loop {
        let Some((first, tail)) = rest.split_once(char::is_whitespace) else {
            return rest;
        };
        let w = lex.word(first.trim_end_matches('.'));
        let is_title = w & (word::HONORIFIC | word::PRE_NAME) != 0
            || (w & word::PRE_NAME_PHRASE != 0)
            || matches!(
                first.to_ascii_lowercase().as_str(),
                "prime" | "vice" | "deputy"
            );
        if !is_title || tail.trim().is_empty() {
            return rest;
        }
        rest = tail.trim_start();
    }
}

/// Whether what a user typed for `--person` names the indexed person `name`: equal after
/// [`strip_person_title`] and [`normalize_name`], or the query is the surname or the
/// trailing words of the name (`Macron`, `Mr Macron` and `emmanuel macron` all match
/// `Emmanuel Macron`; `Garcia Marquez` matches `Gabriel Garcia Marquez`).
pub fn person_matches(query: &str, name: &str) -> bool {
    let q = normalize_name(strip_person_title(query));
    let n = normalize_name(name);
    if q.is_empty() {
        return false;
    }
    n == q || n.ends_with(&format!(" {q}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_name_is_never_blank() {
        let paragraphs = crate::split::split_text("i \u{8019}\u{8019}");
        for e in extractor().extract(None, &paragraphs) {
            assert!(
                e.persons.iter().all(|p| !p.trim().is_empty()),
                "{:?}",
                e.persons
            );
        }
    }

    fn paras(texts: &[&str]) -> Vec<Paragraph> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Paragraph {
                para: i as u32 + 1,
                kind: ParagraphKind::Paragraph,
                text: t.to_string(),
            })
            .collect()
    }

    fn run(texts: &[&str]) -> Vec<Entities> {
        extractor().extract(None, &paras(texts))
    }

    fn persons(text: &str) -> Vec<String> {
        run(&[text]).remove(0).persons
    }

    fn codes(text: &str) -> Vec<&'static str> {
        run(&[text])
            .remove(0)
            .countries
            .iter()
            .map(|c| c.code)
            .collect()
    }

    #[test]
    fn country_name_demonym_capital_and_metonym() {
        assert_eq!(codes("Talks in Kyiv angered the Kremlin."), ["RU", "UA"]);
        assert_eq!(codes("French officials met Dutch diplomats."), ["FR", "NL"]);
        assert_eq!(codes("A statement from Downing Street."), ["GB"]);
    }

    #[test]
    fn possessive_country_counts() {
        assert_eq!(
            codes("It backed Ukraine's bid and Belarus' neighbour."),
            ["BY", "UA"]
        );
        assert_eq!(codes("Ukraine’s allies gathered."), ["UA"]);
    }

    #[test]
    fn plural_demonyms_count() {
        assert_eq!(codes("Israelis and Palestinians voted."), ["IL", "PS"]);
    }

    #[test]
    fn code_inside_word_is_not_a_country() {
        assert!(codes("The USB stick and the UKIP leaflet.").is_empty());
        assert!(codes("Let us go; it is in the bag.").is_empty());
        assert_eq!(
            codes("The US and the UK agreed, as did the UAE."),
            ["AE", "GB", "US"]
        );
    }

    #[test]
    fn europe_is_not_a_country() {
        assert!(codes("Europe and the European Union met the Middle East envoy.").is_empty());
    }

    #[test]
    fn south_china_sea_is_not_china() {
        assert!(codes("Ships crossed the South China Sea.").is_empty());
    }

    #[test]
    fn lowercase_turkey_is_food() {
        assert!(codes("They ate roast turkey with chilli.").is_empty());
        assert_eq!(codes("Turkey said no."), ["TR"]);
    }

    #[test]
    fn us_state_of_georgia_is_not_the_country() {
        assert_eq!(codes("Voters in the US state of Georgia queued."), ["US"]);
        assert_eq!(codes("Russia sent troops into Georgia."), ["GE", "RU"]);
    }

    #[test]
    fn jordan_henderson_is_a_person_not_jordan() {
        let e = run(&["Liverpool captain Jordan Henderson scored."]).remove(0);
        assert!(e.countries.is_empty());
        assert_eq!(e.persons, ["Jordan Henderson"]);
        assert_eq!(codes("King Abdullah of Jordan spoke."), ["JO"]);
    }

    #[test]
    fn paris_hilton_is_not_paris() {
        let e = run(&["The heiress Paris Hilton arrived."]).remove(0);
        assert!(e.countries.is_empty());
        assert_eq!(e.persons, ["Paris Hilton"]);
    }

    #[test]
    fn washington_as_metonym_is_us_but_denzel_washington_is_a_person() {
        assert_eq!(codes("Washington imposed sanctions."), ["US"]);
        let e = run(&["The actor Denzel Washington won."]).remove(0);
        assert!(e.countries.is_empty());
        assert_eq!(e.persons, ["Denzel Washington"]);
    }

    #[test]
    fn england_scotland_wales_are_gb_and_palestinian_is_ps() {
        assert_eq!(codes("England, Scotland and Wales played."), ["GB"]);
        assert_eq!(codes("A Palestinian official spoke."), ["PS"]);
    }

    #[test]
    fn photo_credit_is_not_a_person() {
        let e = run(&["Leaders meet at the palace in Paris (Jane Doe/AP)"]).remove(0);
        assert!(e.persons.is_empty());
        assert_eq!(e.countries[0].code, "FR");
        let e = run(&["Anna Berg, left, joined the talks (John Roe/Pool Photo via AP)"]);
        assert_eq!(e[0].persons, ["Anna Berg"]);
    }

    #[test]
    fn mr_macron_resolves_to_full_name() {
        let e = run(&[
            "French President Emmanuel Macron spoke in Lyon.",
            "Later Mr Macron's aides said Macron was tired.",
        ]);
        assert_eq!(e[0].persons, ["Emmanuel Macron"]);
        assert_eq!(e[1].persons, ["Emmanuel Macron"]);
    }

    #[test]
    fn sir_keir_resolves_to_keir_starmer() {
        let e = run(&[
            "Prime Minister Sir Keir Starmer arrived.",
            "Sir Keir's office said the talks went well.",
        ]);
        assert_eq!(e[1].persons, ["Keir Starmer"]);
    }

    #[test]
    fn shared_surname_goes_to_the_last_introduced() {
        let e = run(&[
            "Alan Reid has been picked.",
            "Reid said he was happy. Then Colin Reid joined.",
            "Reid scored twice.",
        ]);
        assert_eq!(e[1].persons, ["Alan Reid", "Colin Reid"]);
        assert_eq!(e[2].persons, ["Colin Reid"]);
    }

    #[test]
    fn titles_and_roles_mark_persons() {
        assert_eq!(
            persons("Government spokesman Kornel Vasko said it was over."),
            ["Kornel Vasko"]
        );
        assert_eq!(persons("Mr Ostrowski declined to comment."), ["Ostrowski"]);
        // "DJ" is a title, not part of the name ("DJ John Peel" was a person of its own).
        assert_eq!(
            persons("The station said Radio 1 DJ Wendell Marsh would host the show."),
            ["Wendell Marsh"]
        );
    }

    #[test]
    fn speech_verbs_mark_persons() {
        assert_eq!(persons("\"We will win,\" said Quarshie."), ["Quarshie"]);
        // One word before the verb is a person when the article names them in full.
        assert_eq!(
            persons(
                "Minister Ngozi Ekwueme spoke first. Later, Ekwueme told reporters it was over."
            ),
            ["Ngozi Ekwueme"]
        );
        // Alone it is as often a company.
        assert!(persons("Sales rose in March, Nintendo said.").is_empty());
        // A sentence-initial word before "said" is as often a noun or a company.
        assert!(persons("Analysts said prices would rise. Vexcorp said so too.").is_empty());
    }

    #[test]
    fn capitalised_phrase_without_evidence_is_not_a_person() {
        assert!(persons("It broke the Foreign Corrupt Practices rules.").is_empty());
        let e = run(&["The talks with Satoru Iwata ended.", "Mr Iwata left."]);
        assert_eq!(e[0].persons, ["Satoru Iwata"]);
    }

    #[test]
    fn name_particles_are_kept() {
        assert_eq!(
            persons("Commission chief Ursula von der Leyen met Abdel Fattah al-Sisi."),
            ["Abdel Fattah al-Sisi", "Ursula von der Leyen"]
        );
    }

    #[test]
    fn bracketed_given_name_joins_the_surname() {
        let e = run(&[
            "Pressure on (Russian President Vladimir) Putin grew.",
            "He said Putin would not stop.",
        ]);
        assert_eq!(e[0].persons, ["Vladimir Putin"]);
        assert_eq!(e[1].persons, ["Vladimir Putin"]);
    }

    #[test]
    fn weekdays_months_places_and_orgs_are_not_persons() {
        let e = run(&["On Thursday in March the Booker Prize jury met Nato in London."]);
        assert!(e[0].persons.is_empty());
        assert_eq!(e[0].orgs, ["Booker Prize", "Nato"]);
    }

    #[test]
    fn sentence_opener_is_not_part_of_a_name() {
        assert_eq!(persons("Meanwhile Tony Blair flew home."), ["Tony Blair"]);
        assert!(persons("Speaking after the meeting, officials left.").is_empty());
    }

    #[test]
    fn accents_are_kept_in_names_and_folded_for_matching() {
        let e = run(&["Minister Hervé Gaymard spoke.", "Mr Gaymard left."]);
        assert_eq!(e[1].persons, ["Hervé Gaymard"]);
    }

    #[test]
    fn companies_by_suffix_and_gazetteer() {
        let e = run(&["Shares in Northwind Traders plc rose, Reuters reported."]);
        assert_eq!(e[0].orgs, ["Northwind Traders plc", "Reuters"]);
    }

    #[test]
    fn real_madrid_is_a_club_not_spain() {
        let e = run(&["Real Madrid beat Dynamo Kiev."]);
        assert!(e[0].countries.is_empty());
    }

    #[test]
    fn lookup_country_accepts_what_users_type() {
        for q in ["France", "french", "FR", "fr", "Paris", "the French"] {
            assert_eq!(lookup_country(q).map(|c| c.code), Some("FR"), "{q}");
        }
        assert_eq!(lookup_country("Kyiv").map(|c| c.code), Some("UA"));
        assert_eq!(lookup_country("U.S.").map(|c| c.code), Some("US"));
        assert_eq!(lookup_country("the Kremlin").map(|c| c.code), Some("RU"));
        assert_eq!(lookup_country("Côte d'Ivoire").map(|c| c.code), Some("CI"));
        assert_eq!(lookup_country("Narnia"), None);
    }

    #[test]
    fn lookup_country_code_covers_every_iso_code() {
        assert_eq!(
            lookup_country_code("gb").map(|c| c.name),
            Some("United Kingdom")
        );
        for c in celes::Country::get_countries() {
            assert!(lookup_country_code(c.alpha2).is_some(), "{}", c.alpha2);
        }
    }

    #[test]
    fn country_table_codes_are_iso_3166() {
        for c in &extractor().lex.countries {
            assert!(celes::Country::from_alpha2(c.code).is_ok(), "{}", c.code);
        }
    }

    #[test]
    fn normalize_and_strip_titles_for_search() {
        assert_eq!(normalize_name("  Hervé   GAYMARD "), "herve gaymard");
        assert_eq!(normalize_name("George W. Bush"), "george w bush");
        assert_eq!(
            strip_person_title("Prime Minister Sir Keir Starmer"),
            "Keir Starmer"
        );
        assert_eq!(strip_person_title("Mr Macron's"), "Macron");
        assert_eq!(strip_person_title("Mr"), "Mr");
        assert!(person_matches("Mr Macron", "Emmanuel Macron"));
        assert!(person_matches("emmanuel macron", "Emmanuel Macron"));
        assert!(!person_matches("Emma", "Emmanuel Macron"));
    }

    #[test]
    fn tournament_named_for_a_country_is_not_the_country() {
        assert!(codes("She won the US Open and the French Open.").is_empty());
    }

    #[test]
    fn titled_family_name_first_resolves_to_full_name() {
        let e = run(&[
            "Chinese President Xi Jinping arrived.",
            "President Xi said little.",
        ]);
        assert_eq!(e[1].persons, ["Xi Jinping"]);
    }

    #[test]
    fn modern_wire_copy() {
        let e = run(&[
            "Israeli Prime Minister Benjamin Netanyahu spoke to Hamas mediators in Doha.",
            "UN Secretary-General Antonio Guterres and Vice President JD Vance met in Gaza.",
            "Russia's foreign minister Sergei Lavrov said Moscow was ready.",
            "Mr Netanyahu's office said Mr Lavrov had called.",
        ]);
        assert_eq!(e[0].persons, ["Benjamin Netanyahu"]);
        let c: Vec<&str> = e[0].countries.iter().map(|c| c.code).collect();
        assert_eq!(c, ["IL", "QA"]);
        assert_eq!(e[1].persons, ["Antonio Guterres", "JD Vance"]);
        assert_eq!(e[1].countries[0].code, "PS");
        assert_eq!(e[2].persons, ["Sergei Lavrov"]);
        assert_eq!(e[3].persons, ["Benjamin Netanyahu", "Sergei Lavrov"]);
    }

    #[test]
    fn us_state_is_a_place_but_virginia_woolf_is_a_person() {
        let e = run(&["Voters in Texas and Ohio read Virginia Woolf."]).remove(0);
        assert!(e.countries.is_empty());
        assert_eq!(e.persons, ["Virginia Woolf"]);
    }

    #[test]
    fn hyphenated_countries_each_count() {
        assert_eq!(
            codes("Israeli-Palestinian talks and the Russia-Ukraine war."),
            ["IL", "PS", "RU", "UA"]
        );
        assert_eq!(codes("Pro-Russian and pro-American groups."), ["RU", "US"]);
        assert!(codes("An Ontario-based firm made war-torn toys.").is_empty());
    }

    #[test]
    fn article_about_the_us_state_keeps_georgia_the_state() {
        let e = run(&[
            "Farmers in the US state of Georgia met.",
            "Georgia, which grows peaches, is hot.",
            "Talks in Tbilisi went on.",
        ]);
        assert!(e[1].countries.is_empty());
        assert_eq!(e[2].countries[0].code, "GE");
    }

    #[test]
    fn first_name_alone_is_the_person_not_the_country() {
        let e = run(&[
            "Jordan Henderson scored the winner.",
            "\"Jordan has been brilliant,\" the manager said.",
            "The team flies to Jordan next week for a friendly in Amman.",
        ]);
        assert!(e[1].countries.is_empty());
        assert_eq!(e[2].countries[0].code, "JO");
    }

    #[test]
    fn title_case_headline_is_not_a_name() {
        let e = extractor().extract(
            Some("Zelensky Meets Trump"),
            &paras(&[
                "Mr Trump met Mr Zelensky.",
                "Donald Trump and Volodymyr Zelensky spoke.",
            ]),
        );
        assert_eq!(e[0].persons, ["Donald Trump", "Volodymyr Zelensky"]);
    }

    #[test]
    fn hyphenated_given_name_counts_as_given() {
        assert_eq!(
            persons("It was Jean-Baptiste Lemoyne."),
            ["Jean-Baptiste Lemoyne"]
        );
    }

    #[test]
    fn title_word_after_honorific_is_a_surname() {
        let e = run(&[
            "Labour MP Oona Quill spoke.",
            "Ms King said so. Mr Justice Eady agreed.",
        ]);
        assert_eq!(e[1].persons, ["Eady", "King"]);
        let e = run(&["Ella King won.", "Ms King said she was delighted."]);
        assert_eq!(e[1].persons, ["Ella King"]);
    }

    #[test]
    fn post_nominal_is_not_part_of_a_name() {
        assert!(persons("The Glasgow Kelvin MP was expelled.").is_empty());
        assert_eq!(
            persons("The treaty of Emperor Charles VI was signed."),
            ["Charles VI"]
        );
    }

    #[test]
    fn names_joined_by_and_vouch_for_each_other() {
        assert_eq!(
            persons("Sprinters Kostas Kenteris and Xelia Thanou were cleared."),
            ["Kostas Kenteris", "Xelia Thanou"]
        );
        assert_eq!(
            persons("The list features David and Victoria Beckham."),
            ["David Beckham", "Victoria Beckham"]
        );
        assert_eq!(
            persons("It split Mr Blair and John Major."),
            ["Blair", "John Major"]
        );
    }

    #[test]
    fn descriptor_before_a_given_name_is_not_part_of_it() {
        let e = run(&["It is Xani Harrison, son of the late Beatle George Harrison."]);
        assert_eq!(e[0].persons, ["George Harrison", "Xani Harrison"]);
    }

    #[test]
    fn name_set_off_by_commas_after_a_role() {
        assert_eq!(
            persons("Their former coach, Xristo Tzekos, was banned."),
            ["Xristo Tzekos"]
        );
    }

    #[test]
    fn will_is_a_name_only_before_a_surname() {
        assert_eq!(persons("It features Will Young."), ["Will Young"]);
        assert!(persons("Will Parliament agree? It will.").is_empty());
    }

    #[test]
    fn a_speech_verb_does_not_reach_into_the_next_sentence() {
        assert!(persons("\"It is bad,\" she says. Consequently, the plan failed.").is_empty());
        assert!(persons("It hurt, she said. Praising Celtic for it, she left.").is_empty());
        assert_eq!(persons("\"Yes,\" said Murray."), ["Murray"]);
    }

    #[test]
    fn compass_words_and_may_are_surnames_only_after_a_name() {
        assert_eq!(
            persons("Alicia Keys and Kanye West sang. Mr West bowed."),
            ["Alicia Keys", "Kanye West"]
        );
        assert_eq!(persons("Theresa May said no."), ["Theresa May"]);
        assert!(persons("Fans of West Ham met in the North in May.").is_empty());
        assert!(persons("Jordan West Bank talks resumed.").is_empty());
    }

    #[test]
    fn english_is_gb_except_as_a_language() {
        assert_eq!(
            codes("The English game and English clubs are rich."),
            ["GB"]
        );
        assert_eq!(codes("It is big in English football."), ["GB"]);
        assert!(codes("She speaks English and the book is in English.").is_empty());
        assert!(codes("He studied English literature and the French version.").is_empty());
        assert!(codes("The English Channel was calm.").is_empty());
    }

    #[test]
    fn a_city_named_like_another_countrys_city_goes_by_the_longer_name() {
        assert_eq!(codes("The forum met in Porto Alegre."), ["BR"]);
        assert_eq!(codes("The final is in Porto."), ["PT"]);
    }

    #[test]
    fn descriptors_and_titles_before_a_given_name_are_not_part_of_it() {
        assert_eq!(
            persons("Lib Dem Menzies Campbell said it was wrong."),
            ["Menzies Campbell"]
        );
        assert_eq!(
            persons("Fellow DJ Zane Lowe and Trade Commissioner Peter Mandelson met."),
            ["Peter Mandelson", "Zane Lowe"]
        );
    }

    #[test]
    fn a_name_cut_short_by_a_place_or_body_word_is_not_a_person() {
        assert_eq!(
            persons("It matters, according to Bristol University scientist Anne Alexander."),
            ["Anne Alexander"]
        );
        // A possessive ends the name: what follows is the person's.
        assert_eq!(
            persons("It is an adaptation of Bill Cosby's TV cartoon."),
            ["Bill Cosby"]
        );
    }

    #[test]
    fn an_apposition_naming_a_body_is_not_a_person() {
        assert!(persons("NM Rothschild, the investment bank, is advising.").is_empty());
        assert_eq!(
            persons("Emilio Botin, the chairman of Spain's biggest bank, spoke."),
            ["Emilio Botin"]
        );
        assert_eq!(
            persons("Jo Flaherty, a senior broadcaster with CBS, spoke."),
            ["Jo Flaherty"]
        );
    }

    #[test]
    fn companies_and_tournaments_named_after_a_country_are_not_it() {
        assert!(codes("UK Online, Scottish Power and France Telecom gained.").is_empty());
        assert!(persons("France Telecom gained.").is_empty());
        assert!(codes("Gloucester top the Zurich Premiership.").is_empty());
        assert_eq!(
            codes("The British Army and Anglo-Dutch talks."),
            ["GB", "NL"]
        );
        assert_eq!(codes("A Saudi Arabian prince bought it."), ["SA"]);
    }

    #[test]
    fn a_title_named_as_a_film_is_no_person_anywhere_in_the_article() {
        let e = run(&[
            "The British film Vera Drake leads the nominations.",
            "Mike Leigh is up for best director for Vera Drake.",
        ]);
        assert!(e[0].persons.is_empty(), "{:?}", e[0].persons);
        assert_eq!(e[1].persons, ["Mike Leigh"]);
        // A verb is no work noun: "will play Cyril Saulnier".
        assert_eq!(
            persons("Andy Roddick will play Cyril Saulnier in the final."),
            ["Andy Roddick", "Cyril Saulnier"]
        );
    }

    #[test]
    fn nicknames_titles_and_companies_beside_names_are_not_persons() {
        assert!(persons("One of the so-called \"Blair Babes\" elected in 1997.").is_empty());
        assert_eq!(
            persons("Michel Gondry for Eternal Sunshine of the Spotless Mind and Marc Forster."),
            ["Marc Forster", "Michel Gondry"]
        );
        // "Star" written as a name's first word is no role; "star" before one name is.
        assert!(persons("Star Trek fans have taken out an advert.").is_empty());
        // A royal title after "the" begins a pub's, ship's or theatre's name.
        assert!(persons("Den died in the Queen Vic, near the Prince Edward Theatre.").is_empty());
        assert_eq!(persons("It was opened by Queen Elizabeth."), ["Elizabeth"]);
        assert_eq!(
            persons("Rap star Jay-Z is to become a label boss."),
            ["Jay-Z"]
        );
        // After a role that mostly describes companies, more words need a given name.
        assert!(persons("A day after rival Deutsche Boerse put forward its case.").is_empty());
        assert_eq!(
            persons("That meant ejecting host Wes Butters."),
            ["Wes Butters"]
        );
        // A word before a company's name describes it, unless it is a given name.
        assert!(persons("Bookmakers Ladbrokes says the odds are even.").is_empty());
        assert_eq!(persons("Harrison Ford said it."), ["Harrison Ford"]);
    }

    #[test]
    fn team_sheet_names_are_persons_when_the_article_has_a_team_sheet() {
        let e = run(&[
            "Steven Gerrard scored after Milan Baros ran clear.",
            "Dudek, Finnan, Carragher, Riise, Gerrard, Alonso, Kewell (Traore 85), Baros.",
            "Subs not used: Hamann, Harrison.",
            "Bowyer, Elliott.",
            "Lansdowne Road, Dublin.",
            "Murphy, Horgan, TBC, Hickie.",
        ]);
        let sheet = [
            "Alonso",
            "Carragher",
            "Dudek",
            "Finnan",
            "Kewell",
            "Milan Baros",
            "Riise",
            "Steven Gerrard",
            "Traore",
        ];
        assert_eq!(e[1].persons, sheet);
        assert_eq!(e[2].persons, ["Hamann", "Harrison"]);
        // Only shaped like a sheet's line, but beside one.
        assert_eq!(e[3].persons, ["Bowyer", "Elliott"]);
        // A venue and its city, and a placeholder, are no players.
        assert!(e[4].persons.is_empty(), "{:?}", e[4].persons);
        assert_eq!(e[5].persons, ["Hickie", "Horgan", "Murphy"]);
        // A team's name before the colon is no player.
        assert_eq!(
            persons("Castleford Vale: Hartigan, Boyce, Thorne (Lusk 70), Abbott."),
            ["Abbott", "Boyce", "Hartigan", "Lusk", "Thorne"]
        );
        // Without a sure team sheet, a list of surnames is no evidence.
        assert!(persons("Bowyer, Elliott, Bernard.").is_empty());
        assert!(persons("Chelsea, Arsenal and Liverpool, Everton.").is_empty());
        // Beside one, still not: a league table's row, a headline in capitals, initials.
        let e = run(&[
            "Subs not used: Hamann, Harrison.",
            "Puchon 3 1 0 6 1 10",
            "SOCCER - LEAGUE RESULTS.",
            "W D L G / F G / A P",
        ]);
        assert!(e[1..].iter().all(|p| p.persons.is_empty()), "{e:?}");
    }

    #[test]
    fn a_surname_that_is_a_common_word_stands_for_the_articles_person() {
        let e = run(&[
            "Kanye West leads the race.",
            "A crash left West with his jaw wired shut; the West Coast and the West noticed.",
            "Shay Given was beaten. Given the score, fans left.",
        ]);
        assert_eq!(e[1].persons, ["Kanye West"]);
        assert_eq!(e[2].persons, ["Shay Given"]);
        // Alone, it is no one.
        assert!(persons("A crash left West with his jaw wired shut.").is_empty());
    }

    #[test]
    fn cues_that_describe_companies_too_need_more() {
        assert!(persons("Sales grew, according to Gartner, in Europe.").is_empty());
        assert_eq!(
            persons("Sales grew, according to Jane Marsh, in Europe."),
            ["Jane Marsh"]
        );
        // A hyphenated role is a role: of a person, or of a company.
        assert_eq!(
            persons("British writer-director Xelia Asante won."),
            ["Xelia Asante"]
        );
        assert!(persons("Buyers include DHL-owner Deutsche Post.").is_empty());
        // A stage name shares no family name ("Jay-Z and Alicia Keys").
        assert_eq!(
            persons("He made songs for Jay-Z and Alicia Keys."),
            ["Alicia Keys"]
        );
        assert!(codes("It is where north America and Latin America meet.").is_empty());
        assert!(codes("Islands in the Indian ocean and the Irish sea.").is_empty());
    }

    #[test]
    fn letters_after_a_name_only_a_person_has_are_evidence() {
        assert_eq!(
            persons("The chairman of the Bar Council, Xelia Mansfield QC warned."),
            ["Xelia Mansfield"]
        );
    }

    #[test]
    fn treaties_and_bodies_named_after_a_city_are_not_its_country() {
        assert!(codes("Meeting the Lisbon targets and the Lisbon agenda is hard.").is_empty());
        assert!(codes("The Paris Club of creditor nations agreed.").is_empty());
        assert!(codes("It breaches the Geneva Conventions.").is_empty());
        assert!(codes("A jail in Washington County, Oregon.").is_empty());
        // The city itself still is.
        assert_eq!(codes("EU leaders met in Lisbon in 2000."), ["PT"]);
        assert_eq!(codes("The Lisbon summit set targets."), ["PT"]);
        assert_eq!(codes("He left the London club last season."), ["GB"]);
    }

    #[test]
    fn an_initial_and_surname_is_the_articles_full_name() {
        let e = run(&[
            "Mark Cueto and Martin Corry scored.",
            "England: J Robinson; M Cueto, M Corry.",
        ]);
        assert_eq!(e[1].persons, ["J Robinson", "Mark Cueto", "Martin Corry"]);
        // Another letter is another person.
        assert_eq!(
            run(&["Mark Cueto scored.", "Wales: P Cueto."])[1].persons,
            ["P Cueto"]
        );
    }

    #[test]
    fn a_given_name_alone_is_the_person_the_article_introduced_by_it() {
        let e = run(&[
            "Stewart Downing was hurt.",
            "\"Stewart has tweaked a hamstring,\" the manager said.",
        ]);
        assert_eq!(e[1].persons, ["Stewart Downing"]);
        // Not before the full name, and not as a title or a place.
        let e = run(&["Stewart has a cold.", "Stewart Downing was hurt."]);
        assert!(e[0].persons.is_empty());
        let e = run(&[
            "Lawrence Dallaglio and Henry Paul played in St Louis.",
            "They starred in Lawrence of Arabia and Henry VIII.",
        ]);
        assert!(e[1].persons.is_empty(), "{:?}", e[1].persons);
    }

    #[test]
    fn a_role_that_describes_companies_too_needs_a_full_name() {
        assert!(
            persons("Big Brother producer Endemol and market leader Nintendo agreed.").is_empty()
        );
        // The article naming the person in full settles it.
        assert_eq!(
            persons("Michael Howard spoke. Tory leader Howard said no."),
            ["Michael Howard"]
        );
        assert!(persons("Bookmaker William Hill cut the odds.").is_empty());
    }

    #[test]
    fn hill_and_lake_are_surnames_after_a_given_name() {
        assert_eq!(
            persons("Damon Hill met Mike Lake."),
            ["Damon Hill", "Mike Lake"]
        );
        assert!(persons("They met at Notting Hill and Capitol Hill.").is_empty());
    }

    #[test]
    fn capital_demonyms_award_names_and_agency_spellings() {
        assert_eq!(
            codes("The 25-year-old Dubliner and a Parisian."),
            ["FR", "IE"]
        );
        assert!(codes("They won two Brit Awards.").is_empty());
        let e = run(&["Agence France Press reported it."]).remove(0);
        assert!(e.persons.is_empty() && e.countries.is_empty());
        assert_eq!(e.orgs, ["Agence France-Presse"]);
    }

    #[test]
    fn given_names_from_sport_and_film_news_are_known() {
        assert_eq!(
            persons("Teenager Sania Mirza beat Alyona Bondarenko."),
            ["Alyona Bondarenko", "Sania Mirza"]
        );
    }

    #[test]
    fn prisons_and_institutions_are_not_persons() {
        assert!(persons("A detainee in Woodhill Prison said: \"No.\"").is_empty());
        assert!(persons("The think-tank The Brookings Institution says so.").is_empty());
    }
}
