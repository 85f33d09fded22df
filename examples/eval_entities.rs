//! Measures the entity extractor against hand-labelled data and CoNLL-2003, and times it.
//!
//! ```text
//! cargo run --release --example eval_entities -- ../shared/data [--show]
//! ```
//!
//! - `labelled/*.json`: micro precision/recall/F1 over (paragraph, entity) pairs and over
//!   article sets, persons and countries apart, as `labelled/README.md` describes.
//!   Paragraphs come from newsdex's splitter; one is matched to a label by `starts_with`
//!   (whitespace and curly quotes folded). A piece the splitter cut from a longer block
//!   belongs to the label of that block. Paragraphs with no label count every prediction
//!   as a false positive.
//! - `conll2003/{dev,test}.txt`: PER names per sentence (a prediction resolved to a fuller
//!   name of the same person counts as right), and LOC spans that name a country or a
//!   city newsdex maps, compared as country codes per sentence (MISC spans that map to a
//!   country, such as demonyms, are optional). Tune on train/dev only.
//! - `bbc/`: microseconds per paragraph for extraction alone (files read beforehand).
//!
//! `--labelled DIR` scores the labels in DIR instead of `DATA/labelled` (their `source`
//! paths stay relative to the data directory); `--labelled-only` skips CoNLL and timing;
//! `--no-test` leaves out CoNLL test (for tuning runs).
//! `--show` prints every labelled paragraph's misses and extras; `--speed` only times;
//! `--show-conll` prints CoNLL dev errors; `--dump FILE...` (after the data directory) prints the entities of articles.

use newsdex::entities::{extractor, lookup_country, normalize_name, strip_person_title};
use newsdex::model::Paragraph;
use newsdex::split::split_text;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Default, Clone, Copy)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    fn prf(&self) -> (f64, f64, f64) {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f)
    }
    fn line(&self, label: &str) -> String {
        let (p, r, f) = self.prf();
        format!(
            "  {label:<28} P {p:.3}  R {r:.3}  F1 {f:.3}   (tp {} fp {} fn {})",
            self.tp, self.fp, self.fn_
        )
    }
}

/// Gold items (each a set of acceptable keys), optional keys, predictions → score, and
/// the keys missed and extra (for `--show`).
fn compare(
    gold: &[BTreeSet<String>],
    optional: &BTreeSet<String>,
    pred: &BTreeSet<String>,
) -> (Score, Vec<String>, Vec<String>) {
    let mut s = Score::default();
    let mut used = BTreeSet::new();
    let mut missed = Vec::new();
    for g in gold {
        match g.iter().find(|k| pred.contains(*k) && !used.contains(*k)) {
            Some(k) => {
                s.tp += 1;
                used.insert(k.clone());
            }
            None => {
                s.fn_ += 1;
                missed.push(g.iter().next().cloned().unwrap_or_default());
            }
        }
    }
    let gold_keys: BTreeSet<&String> = gold.iter().flatten().collect();
    let mut extra = Vec::new();
    for p in pred {
        if !used.contains(p) && !optional.contains(p) && !gold_keys.contains(p) {
            s.fp += 1;
            extra.push(p.clone());
        }
    }
    (s, missed, extra)
}

fn person_key(name: &str) -> String {
    normalize_name(strip_person_title(name))
}

fn fold_ws(s: &str) -> String {
    let s = s
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201C}', '\u{201D}'], "\"");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn gold_persons(v: &Value) -> (Vec<BTreeSet<String>>, BTreeSet<String>) {
    let gold = strings(v, "persons")
        .iter()
        .map(|g| g.split('|').map(person_key).collect())
        .collect();
    let opt = strings(v, "optional_persons")
        .iter()
        .flat_map(|g| g.split('|').map(person_key).collect::<Vec<_>>())
        .collect();
    (gold, opt)
}

fn gold_countries(v: &Value) -> (Vec<BTreeSet<String>>, BTreeSet<String>) {
    let gold = strings(v, "countries")
        .into_iter()
        .map(|c| BTreeSet::from([c]))
        .collect();
    let opt = strings(v, "optional_countries").into_iter().collect();
    (gold, opt)
}

struct Labelled {
    para_persons: Score,
    para_countries: Score,
    art_persons: Score,
    art_countries: Score,
}

fn read_article(path: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(path).ok()?;
    let (title, body) = text.split_once('\n').unwrap_or((&text, ""));
    Some((title.trim().to_string(), body.to_string()))
}

fn eval_labelled(data: &Path, labelled: &Path, show: bool) -> Labelled {
    let mut out = Labelled {
        para_persons: Score::default(),
        para_countries: Score::default(),
        art_persons: Score::default(),
        art_countries: Score::default(),
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(labelled)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let Ok(json) = std::fs::read_to_string(f) else {
            continue;
        };
        let Ok(label): Result<Value, _> = serde_json::from_str(&json) else {
            eprintln!("skipping {}: not valid JSON", f.display());
            continue;
        };
        let source = label["source"].as_str().unwrap_or("");
        let Some((title, body)) = read_article(&data.join(source)) else {
            eprintln!("skipping {}: cannot read {source}", f.display());
            continue;
        };
        let paragraphs = split_text(&body);
        let ents = extractor().extract(Some(&title), &paragraphs);
        let labels: Vec<&Value> = label["paragraphs"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let starts: Vec<String> = labels
            .iter()
            .map(|l| fold_ws(l["starts_with"].as_str().unwrap_or("")))
            .collect();
        let blocks: Vec<String> = body
            .split("\n\n")
            .map(fold_ws)
            .filter(|b| !b.is_empty())
            .collect();
        // Predictions grouped by label (None: unlabelled paragraph).
        let mut groups: Vec<(Option<usize>, BTreeSet<String>, BTreeSet<String>)> = Vec::new();
        let mut art_p = BTreeSet::new();
        let mut art_c = BTreeSet::new();
        for (p, e) in paragraphs.iter().zip(&ents) {
            let text = fold_ws(&p.text);
            let head: String = text.chars().take(60).collect();
            let li = starts
                .iter()
                .position(|s| text.starts_with(s.as_str()))
                .or_else(|| {
                    let block = blocks.iter().find(|b| b.contains(head.as_str()))?;
                    starts.iter().position(|s| block.starts_with(s.as_str()))
                });
            let ps: BTreeSet<String> = e.persons.iter().map(|n| person_key(n)).collect();
            let cs: BTreeSet<String> = e.countries.iter().map(|c| c.code.to_string()).collect();
            art_p.extend(ps.iter().cloned());
            art_c.extend(cs.iter().cloned());
            match groups.iter_mut().find(|g| g.0.is_some() && g.0 == li) {
                Some(g) => {
                    g.1.extend(ps);
                    g.2.extend(cs);
                }
                None => groups.push((li, ps, cs)),
            }
        }
        for (i, l) in labels.iter().enumerate() {
            if !groups.iter().any(|g| g.0 == Some(i)) {
                groups.push((Some(i), BTreeSet::new(), BTreeSet::new()));
                eprintln!("{}: no paragraph starts with {:?}", f.display(), starts[i]);
            }
            let _ = l;
        }
        for (li, ps, cs) in &groups {
            let empty = Value::Null;
            let l = li.map(|i| labels[i]).unwrap_or(&empty);
            let (gp, op) = gold_persons(l);
            let (gc, oc) = gold_countries(l);
            let (sp, mp, xp) = compare(&gp, &op, ps);
            let (sc, mc, xc) = compare(&gc, &oc, cs);
            out.para_persons.add(sp);
            out.para_countries.add(sc);
            if show && (!mp.is_empty() || !xp.is_empty() || !mc.is_empty() || !xc.is_empty()) {
                let name = li.map(|i| starts[i].as_str()).unwrap_or("(unlabelled)");
                println!("  {source} [{name}]");
                println!("    persons missed {mp:?} extra {xp:?}");
                println!("    countries missed {mc:?} extra {xc:?}");
            }
        }
        let (gp, op) = gold_persons(&label["article"]);
        let (gc, oc) = gold_countries(&label["article"]);
        out.art_persons.add(compare(&gp, &op, &art_p).0);
        out.art_countries.add(compare(&gc, &oc, &art_c).0);
    }
    out
}

/// CoNLL sentences of one document: tokens and IOB tags.
type Sentence = Vec<(String, String)>;

fn read_conll(path: &Path) -> Option<Vec<Vec<Sentence>>> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut docs: Vec<Vec<Sentence>> = vec![Vec::new()];
    let mut sent: Sentence = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !sent.is_empty() {
                docs.last_mut()
                    .expect("one doc")
                    .push(std::mem::take(&mut sent));
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            if !docs.last().expect("one doc").is_empty() {
                docs.push(Vec::new());
            }
            continue;
        }
        let mut f = line.split(' ');
        let w = f.next().unwrap_or("").to_string();
        let tag = f.next_back().unwrap_or("O").to_string();
        sent.push((w, tag));
    }
    if !sent.is_empty() {
        docs.last_mut().expect("one doc").push(sent);
    }
    Some(docs)
}

/// Joins CoNLL tokens back into prose ("Blair 's" → "Blair's", "( UK )" → "(UK)").
fn detokenize(tokens: &[&str]) -> String {
    let mut s = String::new();
    let mut no_space_next = true;
    for t in tokens {
        let attach = matches!(
            *t,
            "," | "." | ";" | ":" | ")" | "'s" | "'S" | "'" | "n't" | "?" | "!" | "%"
        );
        if !s.is_empty() && !attach && !no_space_next {
            s.push(' ');
        }
        s.push_str(t);
        no_space_next = *t == "(";
    }
    s
}

fn spans(sent: &Sentence, kind: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    for (w, tag) in sent {
        let inside = tag.len() > 2 && &tag[2..] == kind;
        if inside && (tag.starts_with("B-") || cur.is_empty()) {
            if !cur.is_empty() {
                out.push(detokenize(&cur));
            }
            cur = vec![w];
        } else if inside {
            cur.push(w);
        } else if !cur.is_empty() {
            out.push(detokenize(&cur));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(detokenize(&cur));
    }
    out
}

fn eval_conll(path: &Path, show: bool) -> Option<(Score, Score)> {
    let docs = read_conll(path)?;
    let mut per = Score::default();
    let mut loc = Score::default();
    for doc in &docs {
        let paragraphs: Vec<Paragraph> = doc
            .iter()
            .enumerate()
            .map(|(i, s)| Paragraph {
                para: i as u32 + 1,
                kind: newsdex::model::ParagraphKind::Paragraph,
                text: detokenize(&s.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>()),
            })
            .collect();
        let ents = extractor().extract(None, &paragraphs);
        for (sent, e) in doc.iter().zip(&ents) {
            // Persons: a prediction that resolved "Blair" or "Tony" to "Tony Blair", or
            // "M. Waugh" to "Mark Waugh" (the fullest name the document gives), is right.
            let gold: Vec<String> = spans(sent, "PER").iter().map(|g| person_key(g)).collect();
            let mut used = vec![false; gold.len()];
            let mut s = Score::default();
            let preds: BTreeSet<String> = e.persons.iter().map(|p| person_key(p)).collect();
            for p in &preds {
                let hit = gold.iter().enumerate().find(|(i, g)| {
                    !used[*i]
                        && (p == *g
                            || p.ends_with(&format!(" {g}"))
                            || initial_expanded(g, p)
                            || (!g.contains(' ') && p.starts_with(&format!("{g} "))))
                });
                match hit {
                    Some((i, _)) => {
                        used[i] = true;
                        s.tp += 1;
                    }
                    None => s.fp += 1,
                }
            }
            s.fn_ += used.iter().filter(|u| !**u).count();
            per.add(s);
            if show && (s.fp > 0 || s.fn_ > 0) {
                let missed: Vec<&String> = gold
                    .iter()
                    .zip(&used)
                    .filter(|(_, u)| !**u)
                    .map(|(g, _)| g)
                    .collect();
                println!(
                    "PER {:?}\n    missed {missed:?} predicted {preds:?}",
                    paragraphs_text(sent)
                );
            }

            let gold: BTreeSet<String> = spans(sent, "LOC")
                .iter()
                .filter_map(|l| lookup_country(l))
                .map(|c| c.code.to_string())
                .collect();
            let optional: BTreeSet<String> = spans(sent, "MISC")
                .iter()
                .filter_map(|l| lookup_country(l))
                .map(|c| c.code.to_string())
                .collect();
            let pred: BTreeSet<String> = e.countries.iter().map(|c| c.code.to_string()).collect();
            let gold: Vec<BTreeSet<String>> =
                gold.into_iter().map(|g| BTreeSet::from([g])).collect();
            let (sc, missed, extra) = compare(&gold, &optional, &pred);
            loc.add(sc);
            if show && (!missed.is_empty() || !extra.is_empty()) {
                println!(
                    "LOC {:?}\n    missed {missed:?} extra {extra:?}",
                    paragraphs_text(sent)
                );
            }
        }
    }
    Some((per, loc))
}

fn paragraphs_text(sent: &Sentence) -> String {
    detokenize(&sent.iter().map(|(w, _)| w.as_str()).collect::<Vec<_>>())
}

fn bench_bbc(data: &Path) -> Option<(usize, usize, f64)> {
    let mut articles = Vec::new();
    for entry in walk(&data.join("bbc")) {
        if let Some((title, body)) = read_article(&entry) {
            let paragraphs: Vec<Paragraph> = split_text(&body);
            articles.push((title, paragraphs));
        }
    }
    if articles.is_empty() {
        return None;
    }
    let n: usize = articles.iter().map(|a| a.1.len()).sum();
    let bytes: usize = articles
        .iter()
        .flat_map(|a| a.1.iter().map(|p| p.text.len()))
        .sum();
    let ex = extractor();
    let mut best = f64::MAX;
    for _ in 0..if std::env::var_os("EVAL_REPEAT").is_some() {
        20
    } else {
        3
    } {
        let t = Instant::now();
        let mut count = 0usize;
        for (title, paragraphs) in &articles {
            count += ex.extract(Some(title), paragraphs).len();
        }
        assert_eq!(count, n);
        best = best.min(t.elapsed().as_secs_f64());
    }
    Some((n, bytes / n.max(1), best * 1e6 / n as f64))
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "txt") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show = args.iter().any(|a| a == "--show");
    // `--labelled DIR`: score the labels in DIR (sources still relative to the data dir).
    let labelled_arg = args
        .iter()
        .position(|a| a == "--labelled")
        .map(|i| match args.get(i + 1) {
            Some(d) => PathBuf::from(d),
            None => {
                eprintln!("eval_entities: --labelled needs a directory");
                std::process::exit(2);
            }
        });
    let positional: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--labelled"))
        .map(|(_, a)| a)
        .collect();
    let data = positional
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data"));
    let labelled = labelled_arg.unwrap_or_else(|| data.join("labelled"));
    if !labelled.is_dir() {
        eprintln!(
            "eval_entities: no labelled data in {}; pass the data directory, e.g. \
             `cargo run --release --example eval_entities -- ../shared/data`",
            labelled.display()
        );
        std::process::exit(2);
    }

    // `--dump FILE...`: print each paragraph's entities (title line, blank, body).
    if args.iter().any(|a| a == "--dump") {
        for f in positional.iter().skip(1) {
            let Some((title, body)) = read_article(Path::new(f)) else {
                eprintln!("cannot read {f}");
                continue;
            };
            let paragraphs = split_text(&body);
            for (p, e) in paragraphs
                .iter()
                .zip(extractor().extract(Some(&title), &paragraphs))
            {
                let cs: Vec<&str> = e.countries.iter().map(|c| c.code).collect();
                println!("{f}:{} {:?} {:?} {:?}", p.para, e.persons, cs, e.orgs);
            }
        }
        return;
    }
    if args.iter().any(|a| a == "--speed") {
        if let Some((n, avg, us)) = bench_bbc(&data) {
            println!("speed: {us:.2} µs/paragraph over {n} BBC paragraphs (mean {avg} bytes)");
        }
        return;
    }
    let l = eval_labelled(&data, &labelled, show);
    println!("labelled articles ({})", labelled.display());
    println!("{}", l.para_persons.line("persons, per paragraph"));
    println!("{}", l.para_countries.line("countries, per paragraph"));
    println!("{}", l.art_persons.line("persons, per article"));
    println!("{}", l.art_countries.line("countries, per article"));

    if args.iter().any(|a| a == "--labelled-only") {
        return;
    }
    let splits: &[&str] = if args.iter().any(|a| a == "--no-test") {
        &["dev"]
    } else {
        &["dev", "test"]
    };
    for &split in splits {
        let path = data.join("conll2003").join(format!("{split}.txt"));
        let show_conll = split == "dev" && args.iter().any(|a| a == "--show-conll");
        match eval_conll(&path, show_conll) {
            Some((per, loc)) => {
                println!("CoNLL-2003 {split}");
                println!("{}", per.line("PER (names per sentence)"));
                println!("{}", loc.line("LOC→country per sentence"));
            }
            None => println!("CoNLL-2003 {split}: {} not found", path.display()),
        }
    }

    match bench_bbc(&data) {
        Some((n, avg, us)) => println!(
            "speed: {us:.2} µs/paragraph over {n} BBC paragraphs (mean {avg} bytes), extraction only"
        ),
        None => println!(
            "speed: no BBC articles under {}",
            data.join("bbc").display()
        ),
    }
}

/// Whether `pred` is `gold` with its initial written out: "m waugh" -> "mark waugh".
fn initial_expanded(gold: &str, pred: &str) -> bool {
    let Some((first, rest)) = gold.split_once(' ') else {
        return false;
    };
    first.chars().count() == 1
        && pred.len() > gold.len()
        && pred.starts_with(first)
        && pred.ends_with(&format!(" {rest}"))
}
