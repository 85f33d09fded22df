//! Glue between the command line and the library: turn flags into the library's option
//! types, run, print through a printer. Returns whether anything was found.

use crate::cli::{self, Cli, ColorWhen, Command};
use anyhow::{Context, Result, bail};
use newsdex::entities;
use newsdex::index::{self, IndexOptions};
use newsdex::output::json::JsonPrinter;
use newsdex::output::progress::BarProgress;
use newsdex::output::terminal::TerminalPrinter;
use newsdex::output::{FacetListing, FacetValue, ParagraphRecord, Printer, Stats};
use newsdex::read::{self, FieldMap, ReadEvent, ReadOptions};
use newsdex::search::{Engine, Filters, QueryError, SearchOptions};
use newsdex::split;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by Ctrl-C; indexing stops at the next article and commits what it has.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub fn run(cli: Cli) -> Result<bool> {
    let choice = match cli.color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    let index_dir = cli.index.clone();
    match cli.command {
        Command::Index(args) => {
            crate::alloc::use_mimalloc();
            run_index(&index_dir, args)
        }
        Command::Search(args) => run_search(&index_dir, args),
        Command::Extract(args) => run_extract(args),
        Command::Stats(args) => run_stats(&index_dir, args.json),
        Command::Show(args) => run_show(&index_dir, args),
        Command::Persons(args) => run_facet(&index_dir, "person", args),
        Command::Countries(args) => run_facet(&index_dir, "country", args),
        Command::Orgs(args) => run_facet(&index_dir, "org", args),
        Command::Delete(args) => run_delete(&index_dir, args),
    }
}

/// The printer for this run: JSON or terminal, to a locked, buffered stdout.
fn printer(json: bool) -> Box<dyn Printer> {
    if json {
        Box::new(JsonPrinter::new(std::io::BufWriter::new(
            std::io::stdout().lock(),
        )))
    } else {
        // Buffer beneath the colour stripper: it writes each run of text separately,
        // which would be a system call per run on the line-buffered stdout.
        let choice = anstream::AutoStream::choice(&std::io::stdout());
        let buffered: Box<dyn Write> = Box::new(std::io::BufWriter::new(std::io::stdout().lock()));
        Box::new(TerminalPrinter::new(anstream::AutoStream::new(
            buffered, choice,
        )))
    }
}

fn read_options(args: &cli::ReadArgs) -> Result<ReadOptions> {
    let format = args
        .format
        .parse::<read::Format>()
        .map_err(|e| anyhow::anyhow!(e))?;
    Ok(ReadOptions {
        format,
        fields: FieldMap {
            id: args.id_field.clone(),
            title: args.title_field.clone(),
            body: args.body_field.clone(),
            date: args.date_field.clone(),
            author: args.author_field.clone(),
        },
    })
}

fn filters(args: &cli::FilterArgs) -> Filters {
    let groups = |v: &[String]| -> Vec<Vec<String>> {
        v.iter()
            .map(|s| {
                s.split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .collect()
    };
    Filters {
        persons: groups(&args.person),
        countries: groups(&args.country),
        orgs: groups(&args.org),
        since: args.since.clone(),
        until: args.until.clone(),
    }
}

fn run_index(dir: &std::path::Path, args: cli::IndexArgs) -> Result<bool> {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            // Second Ctrl-C: leave now; the last commit is intact.
            std::process::exit(130);
        }
        eprintln!(
            "newsdex: interrupted; finishing the current articles and committing (Ctrl-C again to quit now)"
        );
    });
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let min_mb = index::min_memory() >> 20;
    if args.memory < min_mb {
        eprintln!(
            "newsdex: warning: --memory {} is less than a run needs; using {min_mb} MB, the least it can keep to",
            args.memory
        );
    }
    let opts = IndexOptions {
        read: read_options(&args.read)?,
        memory_bytes: args.memory.max(min_mb) << 20,
        threads,
        prune: args.prune,
        strict: args.strict,
        commit_every_bytes: (args.commit_every.max(0.001) * 1048576.0) as u64,
    };
    let progress = BarProgress::new();
    let summary = index::run(dir, &args.read.paths, &opts, &progress, &INTERRUPTED)?;
    if args.json {
        printer(true).index_summary(&summary)?;
    }
    let skipped = summary.skipped_files + summary.skipped_records;
    eprintln!(
        "newsdex: {} articles ({} added, {} updated, {} unchanged{}) as {} new paragraphs; {} skipped{}; {:.1} s",
        summary.articles,
        summary.added,
        summary.updated,
        summary.unchanged,
        if summary.pruned > 0 {
            format!(", {} pruned", summary.pruned)
        } else {
            String::new()
        },
        summary.paragraphs,
        skipped,
        if summary.warnings > 0 {
            format!(", {} warnings", summary.warnings)
        } else {
            String::new()
        },
        summary.seconds
    );
    if summary.interrupted {
        eprintln!(
            "newsdex: stopped early; what was read is committed. Run the same command again to finish."
        );
        std::process::exit(130);
    }
    if summary.articles == 0 && skipped > 0 {
        bail!("nothing was indexed: every input was skipped (see the messages above)");
    }
    Ok(summary.articles > 0)
}

/// Opens the index for one command and keeps it open until the process exits. The
/// kernel unmaps the segment files at exit in one go; unmapping them one by one first,
/// when the engine was dropped, was 7% of a whole-process search (0.2 ms at 500,000
/// paragraphs).
fn open_engine(dir: &std::path::Path) -> Result<&'static Engine> {
    let (index, fields) = index::open(dir)?;
    let engine = Engine::new(index, fields).map_err(|e| damaged(dir, e))?;
    Ok(Box::leak(Box::new(engine)))
}

/// A search error caused by missing or unreadable index files, told as a damaged index.
fn damaged(dir: &std::path::Path, e: QueryError) -> anyhow::Error {
    match e {
        QueryError::Tantivy(t) => match index::damage(dir, t) {
            Ok(damage) => damage.into(),
            Err(t) => QueryError::Tantivy(t).into(),
        },
        other => other.into(),
    }
}

fn run_search(dir: &std::path::Path, args: cli::SearchArgs) -> Result<bool> {
    let engine = open_engine(dir)?;
    let opts = SearchOptions {
        query: args.query.clone().unwrap_or_default(),
        filters: filters(&args.filters),
        limit: args.limit,
        offset: args.offset,
        group: args.group,
        facets: args.facets,
        ..SearchOptions::default()
    };
    let results = engine.search(&opts).map_err(|e| damaged(dir, e))?;
    for n in &results.notices {
        eprintln!("newsdex: {n}");
    }
    printer(args.json).search(&results)?;
    Ok(results.total_hits > 0)
}

fn run_extract(args: cli::ExtractArgs) -> Result<bool> {
    let opts = read_options(&args.read)?;
    let mut problems = 0usize;
    let sources = read::discover(&args.read.paths, &mut |e| {
        problems += 1;
        eprintln!("newsdex: skipped: {e}");
    });
    let extractor = entities::extractor();
    let mut out = printer(args.json);
    let mut printed = 0usize;
    let mut io_error: Option<std::io::Error> = None;
    for source in &sources {
        let result = read::read_source(source, &opts, &mut |event| match event {
            ReadEvent::Article(article) => {
                if io_error.is_some() {
                    return;
                }
                let paragraphs = split::split(&article);
                let ents = extractor.extract(article.title.as_deref(), &paragraphs);
                for (p, e) in paragraphs.iter().zip(&ents) {
                    if let Err(err) = out.paragraph(&ParagraphRecord::new(&article, p, e)) {
                        io_error = Some(err);
                        return;
                    }
                    printed += 1;
                }
            }
            ReadEvent::Warning(e) => eprintln!("newsdex: warning: {e}"),
            ReadEvent::Skipped(e) => {
                problems += 1;
                eprintln!("newsdex: skipped: {e}");
            }
        });
        if let Some(e) = io_error.take() {
            return Err(e.into());
        }
        if let Err(e) = result {
            problems += 1;
            eprintln!("newsdex: skipped: {e}");
        }
    }
    drop(out);
    if printed == 0 && problems > 0 {
        bail!("no paragraphs: every input was skipped (see the messages above)");
    }
    Ok(printed > 0)
}

fn run_stats(dir: &std::path::Path, json: bool) -> Result<bool> {
    let engine = open_engine(dir)?;
    let searcher = engine.searcher();
    let paragraphs = searcher.num_docs();
    let articles = searcher.search(
        &tantivy::query::TermQuery::new(
            tantivy::Term::from_field_u64(engine.fields().para, 1),
            tantivy::schema::IndexRecordOption::Basic,
        ),
        &tantivy::collector::Count,
    )?;
    let (mut first, mut last) = (i64::MAX, i64::MIN);
    for seg in searcher.segment_readers() {
        let col = seg.fast_fields().date("date")?;
        for doc in seg.doc_ids_alive() {
            if let Some(d) = col.first(doc) {
                let s = d.into_timestamp_secs();
                first = first.min(s);
                last = last.max(s);
            }
        }
    }
    let day =
        |s: i64| chrono::DateTime::from_timestamp(s, 0).map(|d| d.format("%Y-%m-%d").to_string());
    let size_bytes = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let top = engine.facet_counts(&tantivy::query::AllQuery, 10)?;
    let stats = Stats {
        index: dir.display().to_string(),
        articles,
        paragraphs,
        size_bytes,
        first_date: (first != i64::MAX).then(|| day(first)).flatten(),
        last_date: (last != i64::MIN).then(|| day(last)).flatten(),
        segments: searcher.segment_readers().len(),
        top,
    };
    printer(json).stats(&stats)?;
    Ok(paragraphs > 0)
}

fn run_show(dir: &std::path::Path, args: cli::ShowArgs) -> Result<bool> {
    let engine = open_engine(dir)?;
    let mut paragraphs = engine.article(&args.article_id)?;
    if paragraphs.is_empty() {
        eprintln!(
            "newsdex: no article '{}' in {}; article ids are shown in search results",
            args.article_id,
            dir.display()
        );
        return Ok(false);
    }
    if let Some(n) = args.para {
        paragraphs.retain(|p| p.para == n);
        if paragraphs.is_empty() {
            eprintln!(
                "newsdex: article '{}' has no paragraph {n}",
                args.article_id
            );
            return Ok(false);
        }
    }
    printer(args.json).article(&args.article_id, &paragraphs)?;
    Ok(true)
}

fn run_facet(dir: &std::path::Path, facet: &str, args: cli::FacetArgs) -> Result<bool> {
    let engine = open_engine(dir)?;
    let prepared = engine.prepare(
        args.query.as_deref().unwrap_or(""),
        &filters(&args.filters),
        true,
    )?;
    for n in &prepared.notices {
        eprintln!("newsdex: {n}");
    }
    let total_hits = prepared.query.count(engine.searcher())?;
    let counts = engine.facet_counts(&*prepared.query, args.limit)?;
    let plain = |v: newsdex::search::FacetCount| FacetValue {
        value: v.value,
        name: None,
        count: v.count,
    };
    let values: Vec<FacetValue> = match facet {
        "person" => counts.person.into_iter().map(plain).collect(),
        "country" => counts
            .country
            .into_iter()
            .map(|v| FacetValue {
                value: v.code,
                name: Some(v.name),
                count: v.count,
            })
            .collect(),
        _ => counts.org.into_iter().map(plain).collect(),
    };
    let found = !values.is_empty();
    let label = match facet {
        "person" => "persons",
        "country" => "countries",
        _ => "orgs",
    };
    printer(args.json).facet_listing(&FacetListing {
        facet: label.to_string(),
        total_hits,
        values,
    })?;
    Ok(found)
}

fn run_delete(dir: &std::path::Path, args: cli::DeleteArgs) -> Result<bool> {
    let deleted = index::delete(dir, &args.ids)?;
    for id in &args.ids {
        if !deleted.contains(id) {
            eprintln!("newsdex: no article '{id}' in the index");
        }
    }
    eprintln!("newsdex: deleted {} articles", deleted.len());
    std::io::stdout().flush()?;
    Ok(!deleted.is_empty())
}
