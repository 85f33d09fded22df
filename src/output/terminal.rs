//! Human-readable output with colour where the terminal supports it.

use super::{FacetListing, ParagraphRecord, Printer, Stats};
use crate::index::IndexSummary;
use crate::search::{CountryRef, Hit, SearchResults};
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

const MATCH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const MENTION: Style = Style::new()
    .underline()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const TITLE: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const LABEL: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

/// Writes for people. Give it an `anstream::AutoStream` so that colour codes are
/// stripped where colour is off (pipe, `NO_COLOR`, `--color never`).
pub struct TerminalPrinter<W: Write> {
    out: W,
}

impl<W: Write> TerminalPrinter<W> {
    pub fn new(out: W) -> Self {
        TerminalPrinter { out }
    }

    fn entities_line(
        &mut self,
        persons: &[String],
        countries: &[CountryRef],
        orgs: &[String],
    ) -> io::Result<()> {
        let mut parts = Vec::new();
        if !persons.is_empty() {
            parts.push(format!("{LABEL}persons:{LABEL:#} {}", persons.join(", ")));
        }
        if !countries.is_empty() {
            let cs: Vec<String> = countries
                .iter()
                .map(|c| format!("{} ({})", c.name, c.code))
                .collect();
            parts.push(format!("{LABEL}countries:{LABEL:#} {}", cs.join(", ")));
        }
        if !orgs.is_empty() {
            parts.push(format!("{LABEL}orgs:{LABEL:#} {}", orgs.join(", ")));
        }
        if !parts.is_empty() {
            writeln!(self.out, "   {}", parts.join("  "))?;
        }
        Ok(())
    }
}

/// Writes `text` with the `matches` ranges in the match style and `mentions` ranges
/// (not overlapping a match) in the mention style.
fn styled(text: &str, matches: &[[usize; 2]], mentions: &[[usize; 2]]) -> String {
    let mut marks: Vec<([usize; 2], Style)> = matches.iter().map(|r| (*r, MATCH)).collect();
    for m in mentions {
        if !matches.iter().any(|r| r[0] < m[1] && m[0] < r[1]) {
            marks.push((*m, MENTION));
        }
    }
    marks.sort_by_key(|(r, _)| r[0]);
    let mut out = String::with_capacity(text.len() + marks.len() * 10);
    let mut pos = 0;
    for ([a, b], style) in marks {
        if a < pos || b > text.len() {
            continue;
        }
        out.push_str(&text[pos..a]);
        out.push_str(&format!("{style}{}{style:#}", &text[a..b]));
        pos = b;
    }
    out.push_str(&text[pos..]);
    out
}

/// Byte ranges in `text` where a person is mentioned: the full name or the surname,
/// as whole words.
pub fn mention_ranges(text: &str, persons: &[String]) -> Vec<[usize; 2]> {
    let mut out = Vec::new();
    for name in persons {
        let surname = name.rsplit(' ').next().unwrap_or(name);
        for needle in [name.as_str(), surname] {
            if needle.len() < 2 {
                continue;
            }
            for (i, _) in text.match_indices(needle) {
                let end = i + needle.len();
                let before_ok = !text[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric);
                let after_ok = !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
                if before_ok
                    && after_ok
                    && !out.iter().any(|r: &[usize; 2]| r[0] <= i && end <= r[1])
                {
                    out.push([i, end]);
                }
            }
        }
    }
    out
}

/// Byte ranges in `text` where one of the `codes` countries is named: runs of one to
/// three capitalised words that resolve to the country (`Paris`, `French`, `the UK`).
pub fn country_mention_ranges(text: &str, codes: &[String]) -> Vec<[usize; 2]> {
    let mut out: Vec<[usize; 2]> = Vec::new();
    if codes.is_empty() {
        return out;
    }
    let words: Vec<(usize, usize)> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + w.len())
        })
        .collect();
    let mut i = 0;
    while i < words.len() {
        let mut matched = None;
        for n in (1..=3).rev() {
            let Some(&(_, end)) = words.get(i + n - 1) else {
                continue;
            };
            let start = words[i].0;
            let phrase = &text[start..end];
            if !phrase.starts_with(char::is_uppercase) {
                continue;
            }
            if crate::entities::lookup_country(phrase)
                .is_some_and(|c| codes.iter().any(|code| code == c.code))
            {
                matched = Some((n, [start, end]));
                break;
            }
        }
        match matched {
            Some((n, range)) => {
                out.push(range);
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

impl<W: Write> Printer for TerminalPrinter<W> {
    fn search(&mut self, r: &SearchResults) -> io::Result<()> {
        for hit in &r.hits {
            let title = hit.title.as_deref().unwrap_or("(untitled)");
            let group = hit
                .article_hits
                .map(|n| format!(", {n} matching paragraph{}", if n == 1 { "" } else { "s" }))
                .unwrap_or_default();
            let date = hit
                .date
                .as_deref()
                .map(|d| format!("{d}  "))
                .unwrap_or_default();
            writeln!(
                self.out,
                "{:>2}. {TITLE}{title}{TITLE:#}  {DIM}{date}{} ¶{} {}{group}  score {:.2}{DIM:#}",
                hit.rank, hit.article_id, hit.para, hit.kind, hit.score
            )?;
            let mut mentions = mention_ranges(&hit.snippet.text, &r.filter_persons);
            mentions.extend(country_mention_ranges(
                &hit.snippet.text,
                &r.filter_countries,
            ));
            writeln!(
                self.out,
                "   {}",
                styled(&hit.snippet.text, &hit.snippet.highlights, &mentions)
            )?;
            self.entities_line(&hit.persons, &hit.countries, &hit.orgs)?;
            writeln!(self.out)?;
        }
        let shown = r.hits.len();
        let total = match r.total_articles {
            Some(a) => format!("{} paragraphs in {a} articles", r.total_hits),
            None => format!("{} paragraphs", r.total_hits),
        };
        writeln!(
            self.out,
            "{DIM}{shown} shown of {total} ({:.1} ms){DIM:#}",
            r.took_ms
        )?;
        if let Some(f) = &r.facets {
            writeln!(self.out)?;
            let persons: Vec<String> = f
                .person
                .iter()
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            let countries: Vec<String> = f
                .country
                .iter()
                .map(|v| format!("{} [{}] ({})", v.name, v.code, v.count))
                .collect();
            let orgs: Vec<String> = f
                .org
                .iter()
                .map(|v| format!("{} ({})", v.value, v.count))
                .collect();
            writeln!(
                self.out,
                "{LABEL}persons:{LABEL:#}   {}",
                persons.join(", ")
            )?;
            writeln!(
                self.out,
                "{LABEL}countries:{LABEL:#} {}",
                countries.join(", ")
            )?;
            writeln!(self.out, "{LABEL}orgs:{LABEL:#}      {}", orgs.join(", "))?;
        }
        Ok(())
    }

    fn paragraph(&mut self, r: &ParagraphRecord) -> io::Result<()> {
        writeln!(
            self.out,
            "{DIM}{} ¶{} {}{DIM:#}  {}",
            r.article_id,
            r.para,
            r.kind.as_str(),
            r.text
        )?;
        self.entities_line(r.persons, &r.countries, r.orgs)
    }

    fn article(&mut self, id: &str, paragraphs: &[Hit]) -> io::Result<()> {
        let first = paragraphs.first();
        let title = first
            .and_then(|h| h.title.as_deref())
            .unwrap_or("(untitled)");
        writeln!(self.out, "{TITLE}{title}{TITLE:#}")?;
        let date = first.and_then(|h| h.date.as_deref()).unwrap_or("");
        writeln!(
            self.out,
            "{DIM}{id}  {}  {date}{DIM:#}\n",
            first.map_or("", |h| h.source.as_str())
        )?;
        for p in paragraphs {
            let kind = if p.kind == "paragraph" {
                String::new()
            } else {
                format!(" [{}]", p.kind)
            };
            writeln!(self.out, "{DIM}¶{}{kind}{DIM:#} {}", p.para, p.text)?;
            self.entities_line(&p.persons, &p.countries, &p.orgs)?;
            writeln!(self.out)?;
        }
        Ok(())
    }

    fn facet_listing(&mut self, l: &FacetListing) -> io::Result<()> {
        for v in &l.values {
            match &v.name {
                Some(name) => {
                    writeln!(self.out, "{:>7}  {} {DIM}{}{DIM:#}", v.count, name, v.value)?
                }
                None => writeln!(self.out, "{:>7}  {}", v.count, v.value)?,
            }
        }
        writeln!(
            self.out,
            "{DIM}{} {} over {} matching paragraphs{DIM:#}",
            l.values.len(),
            l.facet,
            l.total_hits
        )
    }

    fn stats(&mut self, s: &Stats) -> io::Result<()> {
        writeln!(self.out, "index:       {}", s.index)?;
        writeln!(self.out, "articles:    {}", s.articles)?;
        writeln!(self.out, "paragraphs:  {}", s.paragraphs)?;
        writeln!(self.out, "size:        {:.1} MB", s.size_bytes as f64 / 1e6)?;
        writeln!(self.out, "segments:    {}", s.segments)?;
        if let (Some(a), Some(b)) = (&s.first_date, &s.last_date) {
            writeln!(self.out, "dates:       {a} to {b}")?;
        }
        let persons: Vec<String> = s
            .top
            .person
            .iter()
            .map(|v| format!("{} ({})", v.value, v.count))
            .collect();
        let countries: Vec<String> = s
            .top
            .country
            .iter()
            .map(|v| format!("{} ({})", v.name, v.count))
            .collect();
        let orgs: Vec<String> = s
            .top
            .org
            .iter()
            .map(|v| format!("{} ({})", v.value, v.count))
            .collect();
        writeln!(self.out, "top persons:   {}", persons.join(", "))?;
        writeln!(self.out, "top countries: {}", countries.join(", "))?;
        writeln!(self.out, "top orgs:      {}", orgs.join(", "))
    }

    fn index_summary(&mut self, s: &IndexSummary) -> io::Result<()> {
        let _ = s;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styled_marks_matches_and_mentions() {
        let s = styled("Mr Macron met allies", &[[14, 20]], &[[3, 9]]);
        assert!(s.contains(&format!("{MATCH}allies{MATCH:#}")));
        assert!(s.contains(&format!("{MENTION}Macron{MENTION:#}")));
    }

    #[test]
    fn country_mentions_by_name_demonym_and_city() {
        let text = "French officials met in Paris; France said no.";
        let r = country_mention_ranges(text, &["FR".to_string()]);
        let found: Vec<&str> = r.iter().map(|[a, b]| &text[*a..*b]).collect();
        assert_eq!(found, vec!["French", "Paris", "France"]);
    }

    #[test]
    fn mention_ranges_find_surname_as_whole_word() {
        let r = mention_ranges("Mr Macron and Macronism", &["Emmanuel Macron".to_string()]);
        assert_eq!(r, vec![[3, 9]]);
    }
}
