//! One paragraph, one pass: gazetteer phrases (countries, organisations) with their
//! context rules, then capitalised runs that may be persons, with the evidence for each.

use super::lexicon::{AliasKind, Lexicon, word};
use super::text::{Folded, Token, flag, gap, tokenize};
use rustc_hash::FxHashMap;
use std::borrow::Cow;

/// A run of capitalised words that may name a person, before article-wide resolution.
#[derive(Debug, Clone)]
pub(crate) struct Mention {
    /// The words as the article wrote them (accents kept), titles and possessives removed,
    /// joined by spaces: the name as it is shown.
    pub name: String,
    /// Length of the first word in `name`.
    first_len: usize,
    /// The same words folded and lower-cased, as numbers from the article's [`Keys`]:
    /// mentions are compared word by word across the article.
    pub keys: Vec<u32>,
    /// Title, honorific, speech verb or given name: this is a person on its own.
    pub strong: bool,
    /// Two or more capitalised words mid-sentence, nothing against them.
    pub weak: bool,
    /// Written after `Sir`/`Dame`/`Lord`/`Lady`, which may take a given name alone.
    pub first_name_honorific: bool,
    /// Token position inside the paragraph, for "last introduced" ordering.
    pub pos: u32,
    /// The name starts with a one-letter initial ("M Cueto"), lower-cased: it is the
    /// full name in the article with that surname and a given name of that letter.
    pub initial: Option<u8>,
    /// The first word is a known given name.
    pub given: bool,
    /// Named as a film, book or show ("the film Vera Drake"): the words are a title
    /// throughout the article, not a person.
    pub work: bool,
}

impl Mention {
    /// The words `s..e` as a mention with no evidence yet: its shown name, keys, position
    /// and initial; the caller says what stands for it.
    fn of_words(
        t: &str,
        folded: &Folded,
        toks: &[Token],
        keys: &mut Keys,
        s: usize,
        e: usize,
    ) -> Mention {
        let first = &toks[s];
        Mention {
            name: display(folded, toks, s, e),
            first_len: folded
                .original(first.start as usize, first.end as usize)
                .len(),
            keys: toks[s..e].iter().map(|tk| keys.id(tk.text(t))).collect(),
            strong: false,
            weak: false,
            first_name_honorific: false,
            pos: s as u32,
            initial: (e - s >= 2 && first.is(flag::INITIAL) && first.end - first.start == 1)
                .then(|| t.as_bytes()[first.start as usize].to_ascii_lowercase()),
            given: false,
            work: false,
        }
    }
}

/// What one paragraph contributes before persons are resolved across the article.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub countries: Vec<u16>,
    /// Gazetteer names borrow the lexicon; only companies found by suffix are built.
    pub orgs: Vec<Cow<'static, str>>,
    pub mentions: Vec<Mention>,
    /// "Georgia" here is the US state ("the US state of Georgia"): the article is about
    /// the state, so a bare "Georgia" elsewhere in it is the state too.
    pub georgia_is_state: bool,
    /// The country Georgia came only from the bare word "Georgia" (no Tbilisi, Georgian).
    pub georgia_bare: Option<u16>,
    /// Countries named here only by a word that is also a given name ("Jordan"), with
    /// that word lower-cased: if the article has a person of that first name ("Jordan
    /// Henderson"), the word is that person, not the country.
    pub given_name_countries: Vec<(u16, u32)>,
    /// The paragraph is shaped as a line of a team sheet: `Some(true)` when surely one
    /// (see [`team_sheet`]).
    pub sheet: Option<bool>,
    /// The names on that line, to count only when the article has a sure team sheet.
    pub sheet_mentions: Vec<Mention>,
}

impl Scan {
    /// The names the paragraph calls a film, book or show.
    pub fn works(&self) -> impl Iterator<Item = &[u32]> {
        self.mentions
            .iter()
            .filter(|m| m.work)
            .map(|m| m.keys.as_slice())
    }
}

/// Numbers for the folded, lower-cased words of an article's names, so that comparing
/// names across the article compares numbers and a mention allocates no string per word.
#[derive(Default)]
pub(crate) struct Keys {
    ids: FxHashMap<Box<[u8]>, u32>,
    buf: Vec<u8>,
}

impl Keys {
    /// The number for `word`, compared case-insensitively.
    pub fn id(&mut self, word: &str) -> u32 {
        self.buf.clear();
        self.buf
            .extend(word.bytes().map(|b| b.to_ascii_lowercase()));
        if let Some(&id) = self.ids.get(self.buf.as_slice()) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(self.buf.as_slice().into(), id);
        id
    }
}

const COV_COUNTRY: u8 = 1;
const COV_ORG: u8 = 2;
const COV_BLOCKED: u8 = 4;
const COV_CREDIT: u8 = 8;

struct Hit {
    first: usize,
    last: usize, // exclusive
    phrase: usize,
}

/// Buffers reused from one paragraph to the next, so a scan allocates little; and the
/// article's name keys, which must be the same for all its paragraphs.
#[derive(Default)]
pub(crate) struct Scratch {
    tokens: Vec<Token>,
    words: Vec<u16>,
    cover: Vec<u8>,
    hits: Vec<Hit>,
    keep: Vec<bool>,
    person_tokens: Vec<bool>,
    runs: Vec<(usize, usize)>,
    keys: Keys,
}

impl Scratch {
    /// Key numbers are compared within one article only; starting afresh keeps the
    /// table small.
    pub fn start_article(&mut self) {
        self.keys.ids.clear();
    }
}

pub(crate) fn scan(lex: &Lexicon, text: &str, scratch: &mut Scratch) -> Scan {
    let folded = Folded::new(text);
    let t: &str = &folded.text;
    let Scratch {
        tokens,
        words,
        cover,
        hits,
        keep,
        person_tokens,
        runs,
        keys,
    } = scratch;
    hits.clear();
    tokenize(t, tokens);
    let toks: &[Token] = tokens;
    let n = toks.len();
    let mut out = Scan::default();
    if n == 0 {
        return out;
    }
    cover.clear();
    cover.resize(n, 0);
    let cover: &mut [u8] = cover;

    // A trailing photo credit names photographers and agencies, not news subjects.
    if t.trim_end().ends_with(')')
        && let Some(credit) = crate::split::credit_span(t)
    {
        for (c, tok) in cover.iter_mut().zip(toks) {
            if tok.start as usize >= credit.start {
                *c |= COV_CREDIT;
            }
        }
    }
    // A byline ("By Jane Smith") is not a news subject either.
    let byline = t.len() < 60 && t.starts_with("By ");

    // Word classes, looked up only where the rules can use them: capitalised words and
    // their neighbours (titles, speech verbs, particles, company suffixes).
    words.clear();
    words.resize(n, 0);
    for k in 0..n {
        let near_cap = toks[k].is(flag::CAP)
            || (k > 0 && toks[k - 1].is(flag::CAP))
            || (k + 1 < n && toks[k + 1].is(flag::CAP));
        if near_cap {
            words[k] = word_of(lex, &toks[k], t);
        }
    }
    let words: &[u16] = words;

    // Gazetteer phrases: an anchored, case-sensitive, longest match at each word start,
    // kept only if it ends on a word boundary.
    let bytes = t.as_bytes();
    let mut k = 0;
    while k < n {
        let s = toks[k].start as usize;
        // Every phrase starts with a capital (or a particle before one: "al-Qaeda").
        if !toks[k].is(flag::CAP)
            || !lex.first_bytes[bytes[s] as usize]
            || cover[k] & COV_CREDIT != 0
        {
            k += 1;
            continue;
        }
        let input = aho_corasick::Input::new(t)
            .range(s..)
            .anchored(aho_corasick::Anchored::Yes);
        let Some(m) = lex.automaton.find(input) else {
            k += 1;
            continue;
        };
        let e = m.end();
        if e < bytes.len() && bytes[e].is_ascii_alphanumeric() {
            k += 1;
            continue;
        }
        let last = k + toks[k..].partition_point(|tk| (tk.start as usize) < e);
        hits.push(Hit {
            first: k,
            last,
            phrase: m.pattern().as_usize(),
        });
        k = last.max(k + 1);
    }
    // Countries joined by hyphens inside one word: "Israeli-Palestinian", "US-China",
    // "pro-Russian". Only countries count here; the word as a whole was handled above.
    for (tk, _) in toks
        .iter()
        .zip(cover.iter())
        .filter(|(tk, c)| tk.is(flag::HYPHEN) && **c & COV_CREDIT == 0)
    {
        let (ts, te) = (tk.start as usize, tk.end as usize);
        let mut j = ts;
        while let Some(h) = t[j..te].find('-') {
            let p = j + h + 1;
            j = p;
            if p >= te || !bytes[p].is_ascii_uppercase() {
                continue;
            }
            let input = aho_corasick::Input::new(&t[..te])
                .range(p..)
                .anchored(aho_corasick::Anchored::Yes);
            if let Some(m) = lex.automaton.find(input)
                && (m.end() == te || bytes[m.end()] == b'-')
                && let Some((idx, _)) = lex.phrases[m.pattern().as_usize()].country
            {
                out.countries.push(idx);
            }
        }
    }

    let named_after_a_country = |h: &Hit| {
        if h.last >= n || !toks[h.last].joined() {
            return false;
        }
        let next = toks[h.last].text(t);
        NAMED_AFTER_A_COUNTRY.contains(&next)
            || (lex.phrases[h.phrase]
                .country
                .is_some_and(|(_, kind)| kind == AliasKind::City)
                && NAMED_AFTER_A_CITY.iter().any(|w| {
                    if w.starts_with(|c: char| c.is_ascii_uppercase()) {
                        *w == next
                    } else {
                        w.eq_ignore_ascii_case(next)
                    }
                }))
    };
    // Context rules that turn a country word into something else.
    let covered_by_hit = |k: usize, hits: &[Hit]| hits.iter().any(|h| h.first <= k && k < h.last);
    keep.clear();
    keep.resize(hits.len(), true);
    let hits: &[Hit] = hits;
    for (hi, h) in hits.iter().enumerate() {
        let phrase = &lex.phrases[h.phrase];
        // Countries and blocked places ("Virginia Woolf"); organisations stay as they are.
        if phrase.org.is_some() && phrase.country.is_none() {
            continue;
        }
        let kind = phrase.country.map_or(AliasKind::Name, |c| c.1);
        let single = h.last == h.first + 1;
        let w = words[h.first];
        let is = |k: usize, w: &str| toks[k].text(t).eq_ignore_ascii_case(w);
        // "the US state of Georgia", "Atlanta, Georgia": the American state.
        if single && is(h.first, "georgia") {
            let before = h.first.saturating_sub(3)..h.first;
            let state_before = before
                .into_iter()
                .any(|k| is(k, "state") || is(k, "atlanta"));
            let state_after = h.last < n && is(h.last, "state");
            if state_before || state_after {
                keep[hi] = false;
                out.georgia_is_state = true;
                continue;
            }
        }
        // "north America", "Latin America", "the Indian ocean": the continent, region
        // or sea, also written in lower case (the gazetteer's blocked names are matched
        // as written).
        let region_of_america = is(h.first, "america")
            && h.first > 0
            && toks[h.first].joined()
            && REGIONS_OF_AMERICA.iter().any(|w| is(h.first - 1, w));
        let sea = h.last < n && toks[h.last].joined() && (is(h.last, "ocean") || is(h.last, "sea"));
        if single && (region_of_america || sea) {
            keep[hi] = false;
            continue;
        }
        // "speaks English", "in French.", "the Spanish version": a language, not the
        // country.
        if single && kind == AliasKind::Demonym && language_use(toks, t, h.first) {
            keep[hi] = false;
            continue;
        }
        // "the US Open", "UK Online", "Scottish Power", "Canadian Broadcasting
        // Corporation": a tournament or a company, not the country.
        if named_after_a_country(h) {
            keep[hi] = false;
            continue;
        }
        // "Jordan Henderson", "Paris Hilton", "Denzel Washington": a place word that is
        // also a given name, next to a capitalised word that can be a name, is a person.
        if single && kind != AliasKind::Demonym && phrase.org.is_none() {
            let name_like = |k: usize| {
                let tk = &toks[k];
                tk.is(flag::CAP)
                    && !tk.is(flag::UPPER)
                    && !tk.is(flag::DIGIT)
                    && words[k] & (word::STOP | word::HEAD | word::PRE_NAME) == 0
                    && !covered_by_hit(k, hits)
            };
            let next_is_name = w & word::GIVEN != 0
                && !toks[h.first].is(flag::POSS)
                && h.last < n
                && toks[h.last].joined()
                && name_like(h.last);
            let prev_is_given = h.first > 0
                && toks[h.first].joined()
                && !toks[h.first - 1].is(flag::POSS)
                && words[h.first - 1] & word::GIVEN != 0
                && name_like(h.first - 1);
            if next_is_name || prev_is_given {
                keep[hi] = false;
                continue;
            }
        }
    }
    for (h, k) in hits.iter().zip(keep.iter()) {
        let phrase = &lex.phrases[h.phrase];
        let c = if !*k {
            // A dropped place word stays coverable by a person run only when it was
            // dropped for being part of a name; the Georgia rule and the names of
            // tournaments and companies ("France Telecom") block it instead.
            if toks[h.first].text(t).eq_ignore_ascii_case("georgia") || named_after_a_country(h) {
                COV_BLOCKED
            } else {
                0
            }
        } else if phrase.country.is_some() {
            COV_COUNTRY
        } else if phrase.org.is_some() {
            COV_ORG
        } else {
            COV_BLOCKED
        };
        for cv in &mut cover[h.first..h.last] {
            *cv |= c;
        }
        if *k && let Some((idx, _)) = phrase.country {
            out.countries.push(idx);
        }
    }
    for (h, k) in hits.iter().zip(keep.iter()) {
        let Some((idx, kind)) = lex.phrases[h.phrase].country else {
            continue;
        };
        if !*k || kind == AliasKind::Demonym || h.last != h.first + 1 {
            continue;
        }
        if words[h.first] & word::GIVEN == 0 {
            continue;
        }
        let other = hits.iter().zip(keep.iter()).any(|(o, ok)| {
            *ok && o.first != h.first
                && lex.phrases[o.phrase].country.map(|c| c.0) == Some(idx)
                && (o.last != o.first + 1 || words[o.first] & word::GIVEN == 0)
        });
        if !other {
            out.given_name_countries
                .push((idx, keys.id(toks[h.first].text(t))));
        }
    }
    let bare_georgia = |h: &Hit| toks[h.first].text(t) == "Georgia" && h.last == h.first + 1;
    let ge = hits
        .iter()
        .zip(keep.iter())
        .filter(|(_, k)| **k)
        .filter_map(|(h, _)| Some((h, lex.phrases[h.phrase].country?.0)))
        .filter(|(_, idx)| lex.countries[*idx as usize].code == "GE")
        .collect::<Vec<_>>();
    if !ge.is_empty() && ge.iter().all(|(h, _)| bare_georgia(h)) {
        out.georgia_bare = Some(ge[0].1);
    }

    // Persons: runs of capitalised words.
    let shape_ok = |k: usize| {
        let tk = &toks[k];
        tk.is(flag::CAP)
            && !tk.is(flag::LOWER_TAIL)
            && !tk.is(flag::DIGIT)
            && (!tk.is(flag::UPPER) || tk.is(flag::INITIAL))
            && cover[k] & (COV_COUNTRY | COV_BLOCKED | COV_CREDIT) == 0
    };
    // "West began rapping" after "Kanye West": a word that is a name only as a surname
    // stands alone for the article's person of that surname (never for a new person:
    // see `evaluate`), unless it is the region or a place's first word ("the West",
    // "West Ham") or, for "Given", the sentence's opening conjunction.
    let bare_surname = |k: usize| {
        let w = toks[k].text(t);
        BARE_SURNAMES.contains(&w)
            && !(k > 0
                && toks[k].joined()
                && (toks[k - 1].is(flag::CAP)
                    || ARTICLES
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(toks[k - 1].text(t)))))
            && !(k + 1 < n
                && toks[k + 1].joined()
                && (toks[k + 1].is(flag::CAP) || toks[k + 1].is(flag::DIGIT)))
            && !(w == "Given" && toks[k].is(flag::SENT_START))
    };
    let plain_name_word = |k: usize| {
        shape_ok(k)
            && (words[k] & word::STOP == 0
                || surname_after_name(toks, words, t, k)
                || bare_surname(k))
    };
    // A given name that is also a common word ("Will") is a name only mid-sentence and
    // right before another name word ("Will Young").
    let name_word = |k: usize| {
        plain_name_word(k)
            || (shape_ok(k)
                && words[k] & word::GIVEN != 0
                && !toks[k].is(flag::SENT_START)
                && k + 1 < n
                && toks[k + 1].joined()
                && plain_name_word(k + 1))
    };
    // "Ms King", "Mr Bishop": a title word right after an honorific is the surname,
    // unless a name follows it ("Mr Justice Eady") or it is a form of address.
    let surname_after_honorific = |k: usize| {
        k > 0
            && words[k] & word::PRE_NAME != 0
            && words[k] & word::HONORIFIC == 0
            && words[k - 1] & word::HONORIFIC != 0
            && toks[k - 1].is(flag::CAP)
            && toks[k].gap == 0
            && !(k + 1 < n && toks[k + 1].joined() && name_word(k + 1))
            && !ADDRESS_FORMS.contains(&toks[k].text(t).to_ascii_lowercase().as_str())
    };
    let can_start = |k: usize| {
        name_word(k)
            && cover[k] & COV_ORG == 0
            && (words[k] & (word::HONORIFIC | word::PRE_NAME) == 0 || surname_after_honorific(k))
    };
    person_tokens.clear();
    person_tokens.resize(n, false);
    let mut k = 0;
    while k < n && !byline {
        // A name starts with a capital; the flag alone settles most words, cheaply.
        if !toks[k].is(flag::CAP) || !can_start(k) {
            k += 1;
            continue;
        }
        let s = k;
        let mut e = k + 1;
        loop {
            if toks[e - 1].is(flag::POSS) || e >= n {
                break;
            }
            let nt = &toks[e];
            let initial_dot = nt.gap == gap::STOP
                && toks[e - 1].is(flag::INITIAL)
                && toks[e - 1].end - toks[e - 1].start == 1;
            if (nt.joined() || initial_dot) && name_word(e) {
                // "Kelvin MP", "John Smith QC": capitals after a name are post-nominals,
                // not initials (those come first: "JD Vance").
                let roman = nt.text(t).bytes().all(|b| matches!(b, b'I' | b'V' | b'X'));
                let name_follows = e + 1 < n && toks[e + 1].joined() && name_word(e + 1);
                let post_nominal =
                    nt.is(flag::UPPER) && !toks[e - 1].is(flag::INITIAL) && !roman && !name_follows;
                if post_nominal {
                    break;
                }
                e += 1;
                continue;
            }
            // Particles: "Ursula von der Leyen", "Osama bin Laden".
            if nt.joined() && !nt.is(flag::CAP) && words[e] & word::PARTICLE != 0 {
                let mut p = e;
                while p < n && toks[p].joined() && words[p] & word::PARTICLE != 0 {
                    p += 1;
                }
                if p < n && p > e && toks[p].joined() && name_word(p) {
                    e = p + 1;
                    continue;
                }
            }
            // "(Russian President Vladimir) Putin": a given name closed off by a bracket.
            if nt.gap == gap::CLOSE && e - s == 1 && words[s] & word::GIVEN != 0 && name_word(e) {
                e += 1;
                continue;
            }
            break;
        }
        split_long(words, s, e, runs);
        for &(a, b) in runs.iter() {
            if let Some(m) = evaluate(lex, t, &folded, toks, words, cover, keys, a, b) {
                for p in &mut person_tokens[a..b] {
                    *p = m.strong || m.weak;
                }
                out.mentions.push(m);
            }
        }
        k = e;
    }

    // Names joined by "and" (or ", and"): "Kostas Kenteris and Katerina Thanou" — one
    // known person vouches for a full name beside it; "David and Victoria Beckham" — a
    // lone given name shares the surname of the name after it.
    let is_and = |k: usize| k < n && toks[k].text(t) == "and" && toks[k].gap & !gap::COMMA == 0;
    for i in 1..out.mentions.len() {
        let (head, tail) = out.mentions.split_at_mut(i);
        let (a, b) = (&mut head[i - 1], &mut tail[0]);
        let a_end = a.pos as usize + a.keys.len();
        if !(is_and(a_end) && b.pos as usize == a_end + 1 && toks[b.pos as usize].gap == 0) {
            continue;
        }
        if a.keys.len() == 1
            && b.keys.len() >= 2
            && b.strong
            && words[a.pos as usize] & word::GIVEN != 0
            && words[b.pos as usize] & word::GIVEN != 0
            && !toks[a.pos as usize].is(flag::POSS)
            // "Jay-Z and Alicia Keys": a stage name has no family name to share.
            && !toks[a.pos as usize].is(flag::HYPHEN)
            // "Mr Blair and John Major": after an honorific the word is a surname.
            && !(a.pos > 0 && words[a.pos as usize - 1] & word::HONORIFIC != 0)
        {
            a.name.push_str(&b.name[b.first_len..]);
            a.keys.extend_from_slice(&b.keys[1..]);
            a.strong = true;
            a.weak = true;
            continue;
        }
        // Not a title's words after an article ("Eternal Sunshine of the Spotless Mind
        // and Marc Forster").
        let after_article = |m: &Mention| {
            m.pos > 0
                && toks[m.pos as usize].gap == 0
                && ARTICLES.contains(&toks[m.pos as usize - 1].text(t))
        };
        if a.keys.len() >= 2 && b.keys.len() >= 2 && (a.strong || b.strong) && !a.work && !b.work {
            a.strong = a.strong || !after_article(a);
            b.strong = b.strong || !after_article(b);
        }
    }

    out.sheet = team_sheet(toks, words, cover, t, runs);
    if out.sheet.is_some() {
        for &(a, b) in runs.iter() {
            out.sheet_mentions
                .push(sheet_mention(t, &folded, toks, words, keys, a, b));
        }
    }

    // Organisations from the gazetteer, unless inside a person's name (Harrison Ford).
    for (h, k) in hits.iter().zip(keep.iter()) {
        if !*k {
            continue;
        }
        if let Some(o) = lex.phrases[h.phrase].org
            && !person_tokens[h.first..h.last].iter().any(|p| *p)
        {
            out.orgs.push(Cow::Borrowed(lex.orgs[o as usize]));
        }
    }
    // Companies by suffix: "Acme Widgets Ltd", "Sainsbury plc".
    for k in 1..n {
        if words[k] & word::ORG_SUFFIX == 0 || !toks[k].joined() || cover[k] != 0 {
            continue;
        }
        let word_text = toks[k].text(t);
        if word_text.len() < 2 || word_text == "co" || word_text == "sa" || word_text == "ag" {
            continue;
        }
        let mut s = k;
        while s > 0
            && toks[s].joined()
            && toks[s - 1].is(flag::CAP)
            && words[s - 1] & (word::STOP | word::ORG_SUFFIX) == 0
            && cover[s - 1] == 0
            && !person_tokens[s - 1]
        {
            s -= 1;
            if toks[s].is(flag::SENT_START) {
                break;
            }
        }
        if s < k {
            out.orgs.push(Cow::Owned(display(&folded, toks, s, k + 1)));
        }
    }
    out
}

/// Roles that stand before companies and clubs as often as before people.
const ROLES_OF_BODIES_TOO: &[&str] = &[
    "producer",
    "owner",
    "host",
    "hosts",
    "rival",
    "rivals",
    "investor",
    "leader",
    "buyer",
    "sponsor",
    "backer",
    "bidder",
    "suitor",
    "retailer",
    "bookmaker",
    "maker",
    "supplier",
    "distributor",
    "publisher",
    "broadcaster",
    "operator",
    "insurer",
    "lender",
    "carrier",
    "developer",
];

/// Words after a country word that make the two a tournament's or company's name.
const NAMED_AFTER_A_COUNTRY: &[&str] = &[
    "Open",
    "Online",
    "Power",
    "Broadcasting",
    "Telecom",
    "Airways",
    "Airlines",
    "Premiership",
    "Petroleum",
    "Holdings",
    "Insurance",
    "Steel",
    "Gas",
    "Award",
    "Awards",
];

/// Of [`ROLES_OF_BODIES_TOO`], those before companies far more often than before people.
const ROLES_OF_BODIES_MOSTLY: &[&str] = &[
    "rival",
    "rivals",
    "bidder",
    "suitor",
    "sponsor",
    "backer",
    "buyer",
    "retailer",
    "bookmaker",
    "maker",
    "supplier",
    "distributor",
    "insurer",
    "lender",
    "carrier",
    "operator",
];

/// Labels that open a line of a team sheet: "Subs not used: Hamann, Harrison."
const SHEET_LABELS: &[&str] = &[
    "Subs not used:",
    "Subs:",
    "Substitutes:",
    "Replacements:",
    "Booked:",
    "Sent off:",
    "Dismissed:",
    "Goals:",
    "Scorers:",
    "Scorer:",
    "Tries:",
    "Cons:",
    "Pens:",
];

/// The names on a line of a team sheet ("Dudek, Finnan, Luis Garcia (Nunez 73),
/// Gerrard.", "Bramble 35 og, Mellor 38.", "Subs not used: Harper."), as token ranges
/// in `out`. Each item is one to four capitalised words, maybe followed by minutes or a
/// bracketed substitute with a minute; nothing else is on the line. `Some(true)` when
/// the line is surely a team sheet's: it has a label, a substitute or minutes beside two
/// names or more, or eight names or more; `Some(false)` when it is only shaped like one
/// ("Bowyer, Elliott, Bernard."). Reports name players by surname alone, so these
/// lines are the only evidence that those words are persons.
fn team_sheet(
    toks: &[Token],
    words: &[u16],
    cover: &[u8],
    t: &str,
    out: &mut Vec<(usize, usize)>,
) -> Option<bool> {
    out.clear();
    let n = toks.len();
    let label = SHEET_LABELS.iter().find(|l| {
        t.get(..l.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(l))
    });
    // Else a team's name as the label ("Liverpool: Dudek, ..."): a few capitalised words
    // before a colon. It says nothing of what follows.
    let team = || {
        let colon = t.get(..40.min(t.len()))?.find(':')?;
        let k = toks.partition_point(|tk| (tk.start as usize) < colon);
        (1..=4)
            .contains(&k)
            .then_some(k)
            .filter(|&k| toks[..k].iter().all(|tk| tk.is(flag::CAP)))
    };
    let mut k = match label {
        Some(l) => toks.partition_point(|tk| (tk.start as usize) < l.len()),
        None => team().unwrap_or(0),
    };
    let (mut items, mut places, mut timed) = (0usize, 0usize, false);
    // Capitalised, not a number, not a word in capitals (a headline's).
    let is_name = |k: usize| {
        let tk = &toks[k];
        tk.is(flag::CAP) && !tk.is(flag::DIGIT) && (!tk.is(flag::UPPER) || tk.is(flag::INITIAL))
    };
    // A placeholder ("TBC") holds a place on the sheet but names no one.
    let placeholder = |k: usize| toks[k].is(flag::UPPER) && !toks[k].is(flag::INITIAL);
    while k < n {
        // The item's name: capitalised words, or particles before one ("van Persie").
        let s = k;
        if placeholder(k) {
            k += 1;
        }
        while k < n
            && k - s < 4
            && (k == s || toks[k].joined())
            && (is_name(k)
                || words[k] & word::PARTICLE != 0
                    && k + 1 < n
                    && toks[k + 1].joined()
                    && is_name(k + 1))
        {
            k += 1;
        }
        let held = k == s + 1 && placeholder(s);
        // A name ends in a word, not an initial ("W D L").
        if k == s || !held && (!is_name(k - 1) || toks[k - 1].is(flag::INITIAL)) {
            return None;
        }
        if cover[s..k]
            .iter()
            .any(|c| c & (COV_COUNTRY | COV_ORG | COV_BLOCKED) != 0)
        {
            places += 1;
        } else if !held {
            out.push((s, k));
        }
        items += 1;
        // Minutes ("35", "35 og"), or a bracket with a minute or a substitute ("(77)",
        // "(Nunez 73)").
        if k < n && toks[k].gap & gap::OPEN != 0 {
            let b = k;
            while k < n && (k == b || toks[k].joined()) && is_name(k) && k - b < 4 {
                k += 1;
            }
            if k > b {
                out.push((b, k));
            }
            if k >= n || !toks[k].is(flag::DIGIT) || (k > b && !toks[k].joined()) {
                return None;
            }
            k += 1;
            timed = true;
        } else {
            // One minute at most: "Puchon 3 1 0 6 1 10" is a league table's row.
            if k < n && toks[k].joined() && toks[k].is(flag::DIGIT) {
                k += 1;
                timed = true;
            }
            while k < n && toks[k].joined() && matches!(toks[k].text(t), "og" | "pen") {
                k += 1;
            }
        }
        // Items are separated by commas or semicolons, nothing else.
        if k < n && !t[toks[k - 1].end as usize..toks[k].start as usize].contains([',', ';']) {
            return None;
        }
    }
    // "Lansdowne Road, Dublin": a venue and its city.
    if items == 0 || places * 2 >= items || (items == 1 && !timed && label.is_none()) {
        return None;
    }
    Some(label.is_some() || (timed && items >= 2) || items >= 8)
}

/// A name on a team sheet as a mention: a person whatever its words, resolved to the
/// article's full name of that surname when there is one.
fn sheet_mention(
    t: &str,
    folded: &Folded,
    toks: &[Token],
    words: &[u16],
    keys: &mut Keys,
    s: usize,
    e: usize,
) -> Mention {
    let len = e - s;
    Mention {
        strong: true,
        weak: len >= 2,
        given: len >= 2 && words[s] & word::GIVEN != 0,
        ..Mention::of_words(t, folded, toks, keys, s, e)
    }
}

/// Words before "America" that make it a region: "north America", "Latin America".
const REGIONS_OF_AMERICA: &[&str] = &["north", "south", "central", "latin"];

/// Royal titles, which also begin the names of places and things ("the Queen Vic").
const ROYAL_TITLES: &[&str] = &["King", "Queen", "Prince", "Princess"];

/// Lower-case articles: a run right after one is a title's words more often than a name.
const ARTICLES: &[&str] = &["the", "a", "an"];

/// Nouns for works whose titles look like names: "the film Vera Drake".
const WORK_NOUNS: &[&str] = &[
    "film",
    "films",
    "movie",
    "album",
    "song",
    "novel",
    "musical",
    "opera",
    "sitcom",
    "drama",
    "documentary",
    "series",
];

/// Letters after a name that only a person has: "Guy Mansfield QC".
const POST_NOMINALS: &[&str] = &[
    "QC", "KC", "MP", "MEP", "MSP", "AM", "OBE", "MBE", "CBE", "KBE", "DBE",
];

/// Words after a capital or city that make the two the name of a treaty, programme or
/// body: "the Lisbon agenda", "the Paris Club", "the Geneva Conventions". A capitalised
/// entry must be written so ("the London club" is a club in London).
const NAMED_AFTER_A_CITY: &[&str] = &[
    "agenda",
    "targets",
    "treaty",
    "Club",
    "County",
    "consensus",
    "convention",
    "conventions",
    "agreement",
    "accord",
    "accords",
    "protocol",
    "strategy",
    "process",
    "declaration",
    "statute",
];

/// Words before a demonym that make it a language: "speaks English".
const LANGUAGE_BEFORE: &[&str] = &[
    "speak",
    "speaks",
    "speaking",
    "spoke",
    "spoken",
    "learn",
    "learns",
    "learning",
    "learned",
    "learnt",
    "study",
    "studies",
    "studying",
    "studied",
    "teach",
    "teaches",
    "teaching",
    "taught",
    "fluent",
    "translated",
    "translate",
    "dubbed",
    "subtitled",
    "written",
];

/// Words after a demonym that make it a language: "English literature".
const LANGUAGE_AFTER: &[&str] = &[
    "language",
    "languages",
    "literature",
    "teacher",
    "teachers",
    "lesson",
    "lessons",
    "class",
    "classes",
    "course",
    "courses",
    "grammar",
    "dictionary",
    "translation",
    "translations",
    "subtitles",
    "speaker",
    "speakers",
    "speaking",
    "version",
    "versions",
    "words",
    "word",
    "text",
    "accent",
    "spelling",
    "skills",
    "tuition",
];

/// Words that may follow a language after "in": "written in English and French".
const AFTER_IN_LANGUAGE: &[&str] = &["and", "or", "by", "as", "but", "rather", "only"];

/// Whether the demonym at `k` names a language where it stands.
fn language_use(toks: &[Token], t: &str, k: usize) -> bool {
    let n = toks.len();
    let is_in = |i: usize, list: &[&str]| {
        let w = toks[i].text(t);
        list.iter().any(|l| l.eq_ignore_ascii_case(w))
    };
    if k + 1 < n && toks[k + 1].joined() && is_in(k + 1, LANGUAGE_AFTER) {
        return true;
    }
    if k == 0 || !toks[k].joined() {
        return false;
    }
    if is_in(k - 1, LANGUAGE_BEFORE) {
        return true;
    }
    // "in English." but not "in English football".
    is_in(k - 1, &["in"])
        && (k + 1 >= n || !toks[k + 1].joined() || is_in(k + 1, AFTER_IN_LANGUAGE))
}

/// Nouns that, heading an apposition after a name, say it names a body, not a person.
/// Nouns that are as often people ("a senior broadcaster", "the film's producer") are
/// left out.
const ORG_NOUNS: &[&str] = &[
    "bank",
    "banks",
    "company",
    "firm",
    "group",
    "giant",
    "retailer",
    "carrier",
    "airline",
    "provider",
    "insurer",
    "chain",
    "network",
    "agency",
    "organisation",
    "organization",
    "watchdog",
    "regulator",
    "fund",
    "manufacturer",
    "supplier",
    "studio",
    "studios",
    "label",
    "band",
    "club",
    "charity",
    "think-tank",
    "consultancy",
    "conglomerate",
    "corporation",
    "business",
    "brand",
    "website",
    "newspaper",
    "magazine",
    "channel",
    "station",
    "university",
    "school",
    "party",
    "union",
    "team",
    "side",
    "distributor",
    "subsidiary",
    "unit",
    "venture",
    "exchange",
    "association",
    "foundation",
    "institute",
    "trust",
];

/// Whether the one-word name at `k` stands as a person's given name, not as part of
/// a title or place: "Lawrence of Arabia", "Henry VIII", "St Louis".
fn bare_given_name(toks: &[Token], t: &str, k: usize) -> bool {
    let n = toks.len();
    if k + 1 < n && toks[k + 1].joined() {
        let next = toks[k + 1].text(t);
        let roman = next.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'));
        if next == "of" || roman {
            return false;
        }
    }
    !(k > 0
        && toks[k].gap & !gap::STOP == 0
        && matches!(
            toks[k - 1].text(t),
            "St" | "Saint" | "San" | "Santa" | "Sao" | "Fort" | "Port" | "Mount" | "Cape" | "Lake"
        ))
}

/// Words that end the noun phrase of an apposition.
const APPOSITION_ENDS: &[&str] = &[
    "who", "which", "that", "whose", "of", "with", "at", "for", "in", "on", "from", "behind", "to",
    "and", "or", "but", "by", "as", "than", "since", "after", "before", "under", "over", "into",
    "based", "owned", "run", "led",
];

/// Whether the words after a name at `e` are an apposition headed by an organisation
/// noun: ", the investment bank," / ", a US software firm which".
fn appositive_org(toks: &[Token], t: &str, e: usize) -> bool {
    let n = toks.len();
    if e >= n || toks[e].gap & gap::COMMA == 0 || toks[e].gap & gap::STOP != 0 {
        return false;
    }
    if !ARTICLES.contains(&toks[e].text(t)) {
        return false;
    }
    // The head noun comes before any clause or prepositional phrase: "the chairman of
    // Spain's biggest bank" is a chairman.
    let head = toks[e + 1..n.min(e + 8)]
        .iter()
        .take_while(|tk| tk.joined() && !APPOSITION_ENDS.contains(&tk.text(t)))
        .last();
    head.is_some_and(|tk| !tk.is(flag::CAP) && ORG_NOUNS.contains(&tk.text(t)))
}

/// Words that are surnames only after a given name or an honorific.
const SURNAMES_AFTER_NAME: &[&str] = &[
    "North", "South", "East", "West", "May", "Hill", "Lake", "Given",
];

/// Of [`SURNAMES_AFTER_NAME`], those that stand alone for the article's person of that
/// surname ("May" alone is the month).
const BARE_SURNAMES: &[&str] = &["North", "South", "East", "West", "Hill", "Lake", "Given"];

/// "Kanye West", "Mr West", "Theresa May", "Damon Hill": a word that is never a name
/// word on its own ("West Ham", "in May", "Notting Hill") is a surname right after a
/// given name or an honorific, when no capitalised word or number follows ("Jordan
/// West Bank", "Paris May 3").
fn surname_after_name(toks: &[Token], words: &[u16], t: &str, k: usize) -> bool {
    let n = toks.len();
    k > 0
        && toks[k].joined()
        && toks[k - 1].is(flag::CAP)
        && !toks[k - 1].is(flag::POSS)
        && words[k - 1] & (word::GIVEN | word::HONORIFIC) != 0
        && SURNAMES_AFTER_NAME.contains(&toks[k].text(t))
        && !(k + 1 < n
            && toks[k + 1].joined()
            && (toks[k + 1].is(flag::CAP) || toks[k + 1].is(flag::DIGIT)))
}

/// Titles that stay forms of address after an honorific ("Mr President"), not surnames.
const ADDRESS_FORMS: &[&str] = &[
    "president",
    "speaker",
    "chairman",
    "chairwoman",
    "secretary",
    "minister",
    "justice",
    "ambassador",
    "mayor",
    "deputy",
    "chancellor",
    "commissioner",
];

/// Words that may follow a name after "said": "said Murray on Monday".
const AFTER_SPEECH_NAME: &[&str] = &[
    "on",
    "in",
    "at",
    "after",
    "before",
    "during",
    "yesterday",
    "today",
    "tonight",
    "last",
    "this",
    "when",
    "while",
    "as",
    "adding",
    "and",
    "but",
    "who",
    "whose",
    "of",
    "from",
];

fn word_of(lex: &Lexicon, tk: &Token, t: &str) -> u16 {
    lex.word(tk.text(t))
}

/// Cuts an overlong run at given names ("Saul Bellow Milan Kundera"); a run of more
/// than four words with no given name inside (a Title Case heading) is dropped.
fn split_long(words: &[u16], s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    out.clear();
    // Particles do not count: "Luiz Inacio Lula da Silva" is one name.
    let names = (s..e).filter(|&k| words[k] & word::PARTICLE == 0).count();
    if names <= 4 {
        out.push((s, e));
        return;
    }
    let mut a = s;
    for p in s + 1..e {
        if words[p] & word::GIVEN != 0 && words[p - 1] & word::PARTICLE == 0 && p - a >= 2 {
            out.push((a, p));
            a = p;
        }
    }
    out.push((a, e));
    out.retain(|(a, b)| b - a <= 4);
}

/// The words `s..e` as the article wrote them, joined by spaces.
fn display(folded: &Folded, toks: &[Token], s: usize, e: usize) -> String {
    // The span from the first word to the last holds the words and what is between them.
    let span = folded.original(toks[s].start as usize, toks[e - 1].end as usize);
    let mut out = String::with_capacity(span.len());
    for (i, tk) in toks[s..e].iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(folded.original(tk.start as usize, tk.end as usize));
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    lex: &Lexicon,
    t: &str,
    folded: &Folded,
    toks: &[Token],
    words: &[u16],
    cover: &[u8],
    keys: &mut Keys,
    mut s: usize,
    e: usize,
) -> Option<Mention> {
    let n = toks.len();
    // A capitalised sentence opener before a given name is not part of it ("Meanwhile
    // Tony Blair"); one before a surname may be ("McEwan and ...") and stays a candidate.
    while e - s >= 2
        && toks[s].is(flag::SENT_START)
        && words[s] & word::GIVEN == 0
        && (words[s + 1] & word::GIVEN != 0 || toks[s + 1].is(flag::INITIAL))
    {
        s += 1;
    }
    // "Beatle George Harrison", "Tory MP John Smith", "Lib Dem Menzies Campbell":
    // capitalised words before a given name inside a run describe the person; the name
    // starts at the given name.
    if e - s >= 3 && words[e - 1] & word::PRE_NAME == 0 {
        // A title counts even when it looks like initials ("Fellow DJ Zane Lowe").
        let describes = |k: usize| {
            words[k] & word::PRE_NAME != 0
                || (words[k] & (word::GIVEN | word::PARTICLE) == 0 && !toks[k].is(flag::INITIAL))
        };
        if let Some(g) = (s + 1..e - 1)
            .take_while(|&k| describes(k - 1))
            .find(|&k| words[k] & word::GIVEN != 0)
        {
            s = g;
        }
    }
    // "Bookmaker William Hill": what is left after the descriptor is an organisation.
    if cover[s..e].iter().all(|c| c & COV_ORG != 0) {
        return None;
    }
    // "Bookmakers Ladbrokes says": a word before a company's name that is no given name
    // describes the company ("Harrison Ford" is a person).
    if e - s >= 2
        && cover[e - 1] & COV_ORG != 0
        && words[s] & word::GIVEN == 0
        && !toks[s].is(flag::INITIAL)
    {
        return None;
    }
    let len = e - s;
    // Initials alone ("W D L") or a trailing initial ("Cofinec S.A.") are not names.
    let single_letter = |k: usize| toks[k].is(flag::INITIAL) && toks[k].end - toks[k].start == 1;
    if single_letter(e - 1) || toks[s..e].iter().all(|tk| tk.is(flag::INITIAL)) {
        return None;
    }
    let lower = |k: usize| toks[k].text(t).to_ascii_lowercase();

    // What stands before the run: an honorific, a title or role, a speech verb.
    let mut strong = false;
    let mut first_name_honorific = false;
    let mut titled = false;
    let before_ok = toks[s].gap & !gap::STOP == 0;
    if s > 0 && before_ok {
        let pw = words[s - 1];
        let prev = &toks[s - 1];
        if pw & word::HONORIFIC != 0 && prev.is(flag::CAP) {
            strong = true;
            titled = true;
            first_name_honorific = pw & word::FIRST_NAME_HONORIFIC != 0;
        } else if pw & word::PRE_NAME != 0 && toks[s].gap == 0 {
            // "producer Endemol", "host Dundee", "market leader Nintendo": after a role
            // that describes companies and clubs as often as people, one word needs the
            // article to name that person in full ("Tory leader Howard").
            // "rival Deutsche Boerse": after a role that describes companies more often
            // than people, more words need a given name too.
            // "DHL-owner Deutsche Post": a hyphenated role is its last part.
            let prev = lower(s - 1);
            let role = prev.rsplit('-').next().unwrap_or(&prev);
            let ambiguous = (ROLES_OF_BODIES_TOO.contains(&role)
                && (len == 1
                    || ROLES_OF_BODIES_MOSTLY.contains(&role)
                        && words[s] & word::GIVEN == 0
                        && !toks[s].is(flag::INITIAL)))
                // "Star Trek", "Star Wars": the role word written as a name's.
                || (len == 1 && toks[s - 1].text(t) == "Star")
                // "the Queen Vic", "the King George hospital": a royal title after "the"
                // names a pub, a ship or a building.
                || (s > 1
                    && toks[s - 1].joined()
                    && ARTICLES.contains(&toks[s - 2].text(t))
                    && ROYAL_TITLES.contains(&toks[s - 1].text(t)));
            strong = !ambiguous;
            titled = !ambiguous;
        } else if pw & word::PRE_NAME_PHRASE != 0
            && toks[s].gap == 0
            && let Some(phrases) = lex.titles.get(lower(s - 1).as_str())
        {
            titled = phrases.iter().any(|p| {
                p.len() < s
                    && p.iter().rev().enumerate().all(|(i, w)| {
                        let k = s - 2 - i;
                        toks[k + 1].gap == 0 && toks[k].text(t).eq_ignore_ascii_case(w)
                    })
            });
            strong = titled;
        }
        // "said Murray." / "said Murray on Monday", but not "said Northwind would", nor
        // the next sentence's opener ("she says. Consequently, ...").
        let ends_clause = e >= n
            || toks[e].gap != 0
            || toks[e].is(flag::CAP)
            || AFTER_SPEECH_NAME.contains(&toks[e].text(t));
        if !strong
            && pw & word::SPEECH != 0
            && !prev.is(flag::CAP)
            && toks[s].joined()
            && ends_clause
        {
            strong = true;
        }
    }
    // "the pair's former coach, Christos Tzekos, has": a full name set off by commas
    // after a lower-case role word.
    if !strong
        && s > 0
        && len >= 2
        && toks[s].gap == gap::COMMA
        && words[s - 1] & word::PRE_NAME != 0
        && !toks[s - 1].is(flag::CAP)
        && (e >= n || toks[e].gap & (gap::COMMA | gap::STOP) != 0)
    {
        strong = true;
    }
    let is = |k: usize, w: &str| toks[k].text(t).eq_ignore_ascii_case(w);
    // One word is as often a company ("according to Gartner"): it needs the article's
    // full name.
    if len >= 2 && s > 1 && before_ok && is(s - 1, "to") && is(s - 2, "according") {
        strong = true;
    }
    // "the so-called Blair Babes": a nickname, not a name.
    if s > 0 && is(s - 1, "so-called") {
        return None;
    }
    // "the film Vera Drake": a title, here and everywhere in the article.
    let work = !titled
        && s > 0
        && toks[s].gap == 0
        && !toks[s - 1].is(flag::CAP)
        && WORK_NOUNS.contains(&toks[s - 1].text(t));
    // A common word alone ("West", "Given") is only ever the article's person of that
    // surname, whatever stands before it.
    if len == 1 && words[s] & word::STOP != 0 && !titled {
        strong = false;
    }
    // "Guy Mansfield QC": letters only a person has after the name.
    if len >= 2 && e < n && toks[e].joined() && POST_NOMINALS.contains(&toks[e].text(t)) {
        strong = true;
    }
    // "X Y said". One word before "said" is as often "Analysts" or a company ("…,
    // Nintendo said") as a surname: alone it must be resolved to a full name elsewhere
    // in the article.
    if len >= 2
        && e < n
        && (toks[e].gap == 0 || toks[e].gap == gap::COMMA)
        && words[e] & word::SPEECH != 0
        && !toks[e].is(flag::CAP)
    {
        strong = true;
    }
    // "Booker Prize", "Downing Street": a run ending in such a word is not a person,
    // nor is one followed by a company suffix ("Northwind Traders plc").
    // The same when the run was cut short by such a word that is never a name word
    // ("according to Bristol University").
    let org_next = e < n
        && toks[e].joined()
        && (words[e] & word::ORG_SUFFIX != 0
            || (toks[e].is(flag::CAP)
                && words[e] & word::HEAD != 0
                && !toks[e - 1].is(flag::POSS)));
    // "Damon Hill": a place word that is a surname after a given name is one here.
    let head_surname = e - s >= 2 && surname_after_name(toks, words, t, e - 1);
    if (words[e - 1] & word::HEAD != 0 && !head_surname || org_next) && !titled {
        return None;
    }
    // "NM Rothschild, the investment bank, ...": what the apposition says it is.
    if !titled && appositive_org(toks, t, e) {
        return None;
    }
    if len >= 2 && (words[s] & word::GIVEN != 0 || toks[s].is(flag::INITIAL)) {
        strong = true;
    }
    // "Margaret Atwood (Canada)": a name followed by a bracketed country, as in lists.
    if len >= 2 && e < n && toks[e].gap & gap::OPEN != 0 && cover[e] & COV_COUNTRY != 0 {
        strong = true;
    }
    // Needs confirming by the article (see `Extractor::extract`), so a sentence opener
    // ("Giorgi Kapanadze, the director, said") can be one too.
    Some(Mention {
        strong,
        weak: len >= 2,
        first_name_honorific,
        given: words[s] & word::GIVEN != 0 && (len > 1 || bare_given_name(toks, t, s)),
        work,
        ..Mention::of_words(t, folded, toks, keys, s, e)
    })
}
