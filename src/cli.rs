//! Command-line definitions (clap derive) and help texts.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// newsdex: search news archives by keyword, person and country.
#[derive(Debug, Parser)]
#[command(name = "newsdex", version, about, long_about = None)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "NEWSDEX_INDEX", default_value = "index")]
    pub index: PathBuf,

    /// When to use colours: auto (terminal only, NO_COLOR respected), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from files, folders or `-` (standard input).
    Index(IndexArgs),
    /// Ranked search with highlighted snippets.
    Search(SearchArgs),
    /// Show paragraphs and their entities without an index.
    Extract(ExtractArgs),
    /// Articles, paragraphs, size, dates and top entities of the index.
    Stats(JsonFlag),
    /// Print one article, paragraph by paragraph, with its entities.
    Show(ShowArgs),
    /// Persons most mentioned in the matching paragraphs.
    Persons(FacetArgs),
    /// Countries most mentioned in the matching paragraphs.
    Countries(FacetArgs),
    /// Organisations most mentioned in the matching paragraphs.
    Orgs(FacetArgs),
    /// Remove articles from the index by id.
    Delete(DeleteArgs),
}

/// How to read the inputs.
#[derive(Debug, Args, Clone)]
pub struct ReadArgs {
    /// Files or folders to read (folders are walked; `-` reads standard input).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Input format: auto (by extension), text, markdown, jsonl, json, csv, tsv, html.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// JSON/CSV field holding the article id (default: id, else url).
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
    /// JSON/CSV field holding the title (default: title, headline).
    #[arg(long, value_name = "NAME")]
    pub title_field: Option<String>,
    /// JSON/CSV field holding the text (default: body, text, content).
    #[arg(long, value_name = "NAME")]
    pub body_field: Option<String>,
    /// JSON/CSV field holding the date (default: date, published).
    #[arg(long, value_name = "NAME")]
    pub date_field: Option<String>,
    /// JSON/CSV field holding the author (default: author, byline).
    #[arg(long, value_name = "NAME")]
    pub author_field: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// Memory for the whole run, in MB (at least 103). The index writer gets what is
    /// left after 64 MB + 24 MB per indexing thread for reading, extraction and finishing
    /// segments; segments are flushed to disk when its share fills.
    #[arg(long, value_name = "MB", default_value_t = newsdex::index::DEFAULT_MEMORY_MB)]
    pub memory: usize,
    /// Worker threads (default: number of cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Remove articles from the indexed folders whose files are gone.
    #[arg(long)]
    pub prune: bool,
    /// Stop at the first bad file or record instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Commit after this many MB of article text (what a crashed run keeps).
    #[arg(long, value_name = "MB", default_value_t = 1024.0)]
    pub commit_every: f64,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Entity and date filters shared by `search` and the facet listings.
#[derive(Debug, Args, Clone, Default)]
pub struct FilterArgs {
    /// Only paragraphs mentioning this person (`Macron`, `Mr Macron`, `emmanuel macron`).
    /// Repeat to require all; a comma list means any (`--person Macron,Merz`).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only paragraphs about this country: name, demonym, code or capital
    /// (`France`, `French`, `FR`, `Paris`). Repeat to require all; `FR,DE` means any.
    #[arg(long, value_name = "COUNTRY")]
    pub country: Vec<String>,
    /// Only paragraphs mentioning this organisation (`Nato`). Repeat for all; commas for any.
    #[arg(long, value_name = "ORG")]
    pub org: Vec<String>,
    /// Only articles dated on or after this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles dated on or before this day (YYYY-MM-DD, YYYY-MM or YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "QUERY SYNTAX:\n  \
  words            all words must match (stemmed: 'force' finds 'forces')\n  \
  \"a phrase\"       words next to each other\n  \
  -word            exclude paragraphs with the word\n  \
  a OR b           either word\n  \
  reassur*         prefix\n  \
  title:word       search one field (title, body, kind, id)\n  \
  person:macron    entity filters in the query: person:, country:, org:\n\n\
EXIT STATUS: 0 hits found, 1 no hits, 2 error.")]
pub struct SearchArgs {
    /// The query (optional when a filter is given).
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of hits to show.
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,
    /// Skip this many hits (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// One hit per article (its best paragraph), with its number of matching paragraphs.
    #[arg(long)]
    pub group: bool,
    /// Also count persons, countries and organisations over all matching paragraphs.
    #[arg(long)]
    pub facets: bool,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    #[command(flatten)]
    pub read: ReadArgs,
    /// One JSON object per paragraph per line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id, as shown in search results.
    pub article_id: String,
    /// Show only this paragraph.
    #[arg(long)]
    pub para: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FacetArgs {
    /// Restrict to paragraphs matching this query (default: all).
    pub query: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Number of values to list.
    #[arg(long, short = 'n', default_value_t = 20)]
    pub limit: usize,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// Ids of the articles to remove.
    #[arg(required = true)]
    pub ids: Vec<String>,
}
