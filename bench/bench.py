#!/usr/bin/env python3
"""newsdex benchmark: newsdex vs tantivy-cli, SQLite FTS5 and ripgrep, in one run.

Called by bench/run.sh, which builds newsdex and installs the peers first. This script
builds the corpora (BBC articles copied N times with new article ids), indexes them with
every tool, runs the query set as whole processes and prints a markdown report.

Everything large lives in the scratch directory (default /tmp/newsdex-bench); only the
small report (bench/results/latest.md) is written into the repository. The script reports
and never fails on a missed target: a tool that fails is shown as "failed" in the table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Indexing settings given to both newsdex and tantivy-cli: every core, and newsdex's
# default `--memory` (MB for its whole run). tantivy-cli gets the same figure as its
# writer's budget (`-m`), which bounds its writer only.
THREADS = os.cpu_count() or 1
MEMORY_MB = 384
CATEGORIES = ("business", "entertainment", "politics", "sport", "tech")

# tantivy-cli's `new` is interactive; these answers build the same text fields as
# newsdex: title and body, stored, indexed with en_stem, freqs and positions.
TANTIVY_SCHEMA_ANSWERS = "".join(
    f"{name}\nText\nY\nN\nY\nY\nY\nY\n{more}\n"
    for name, more in (("title", "Y"), ("body", "N"))
)


# ---------------------------------------------------------------------------- utils


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def du_bytes(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    return total


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def warm(path: Path) -> None:
    """Reads a file or folder once so every tool starts with it in the page cache."""
    files = [path] if path.is_file() else [Path(r) / f for r, _, fs in os.walk(path) for f in fs]
    for f in files:
        with open(f, "rb") as fh:
            while fh.read(1 << 20):
                pass


@dataclass
class Measured:
    """Wall time and peak RSS of one command."""

    ok: bool
    wall_s: float
    peak_rss_mb: float
    note: str = ""


def run_measured(cmd: list[str], log_path: Path, stdin_text: str | None = None) -> Measured:
    """Runs `cmd` once, with /usr/bin/time for peak RSS when it exists."""
    tfile = log_path.with_suffix(".time")
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    if gnu_time:
        full = [gnu_time, "-f", "%e %M", "-o", str(tfile)] + cmd
    else:
        # Fallback: a fresh Python process whose only child is the command, so
        # RUSAGE_CHILDREN's maxrss is that command's peak.
        wrapper = (
            "import resource,subprocess,sys,time;t=time.perf_counter();"
            "r=subprocess.run(sys.argv[2:]).returncode;"
            "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
            "open(sys.argv[1],'w').write(f'{time.perf_counter()-t} {u.ru_maxrss}\\n');"
            "sys.exit(r)"
        )
        full = [sys.executable, "-c", wrapper, str(tfile)] + cmd
    t0 = time.perf_counter()
    with open(log_path, "wb") as out:
        proc = subprocess.run(
            full,
            stdout=out,
            stderr=subprocess.STDOUT,
            input=stdin_text.encode() if stdin_text is not None else None,
        )
    wall = time.perf_counter() - t0
    rss_kb = 0.0
    try:
        last = tfile.read_text().strip().splitlines()[-1].split()
        rss_kb = float(last[1])
    except (OSError, IndexError, ValueError):
        pass
    note = "" if proc.returncode == 0 else f"exit {proc.returncode}, see {log_path}"
    return Measured(proc.returncode == 0, wall, rss_kb / 1024, note)


def median_measured(runs: list["Measured | None"]) -> "Measured | None":
    """The run with the median wall time (the upper one of two middles); peak memory is
    the highest of all runs. A failed run makes the whole measurement failed."""
    if any(m is None or not m.ok for m in runs):
        return next((m for m in runs if m is None or not m.ok), None)
    ordered = sorted(runs, key=lambda m: m.wall_s)
    mid = ordered[len(ordered) // 2]
    return Measured(True, mid.wall_s, max(m.peak_rss_mb for m in runs), mid.note)


def version_of(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
        return out.strip().splitlines()[0] if out.strip() else "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


# ---------------------------------------------------------------------------- queries


@dataclass
class Query:
    text: str  # as a newsdex user types it
    phrase: list[str] | None  # the phrase's words, when the line is one quoted phrase
    words: list[str]

    @staticmethod
    def parse(line: str) -> "Query":
        line = line.strip()
        if len(line) > 1 and line.startswith('"') and line.endswith('"'):
            words = line[1:-1].split()
            return Query(line, words, words)
        return Query(line, None, line.split())

    def tantivy(self) -> str:
        # tantivy's QueryParser ORs words by default; `+` makes each one required,
        # as in newsdex.
        if self.phrase:
            return '"' + " ".join(self.phrase) + '"'
        return " ".join("+" + w for w in self.words)

    def fts5(self) -> str:
        # Every word in double quotes (so no word is read as an FTS5 operator);
        # a space between strings means AND; a quoted string of words is a phrase.
        def q(s: str) -> str:
            return '"' + s.replace('"', '""') + '"'

        if self.phrase:
            return q(" ".join(self.phrase))
        return " ".join(q(w) for w in self.words)

    def sqlite_sql(self, count: bool = False) -> str:
        match = self.fts5().replace("'", "''")
        if count:
            return f"SELECT count(*) FROM p WHERE p MATCH '{match}'"
        return (
            "SELECT title, snippet(p,1,'[',']','…',12) FROM p "
            f"WHERE p MATCH '{match}' ORDER BY bm25(p) LIMIT 10"
        )

    def rg_pattern(self) -> str:
        # ripgrep has no AND across a paragraph: a phrase is searched as a fixed
        # string, several words by the first word (a full scan either way).
        return " ".join(self.phrase) if self.phrase else self.words[0]


def load_queries(path: Path) -> list[Query]:
    out = []
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(Query.parse(line))
    return out


# ---------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    scale: int
    root: Path  # folder given to newsdex and ripgrep
    articles: int
    raw_bytes: int
    paragraphs: int = 0
    tantivy_json: Path | None = None
    sqlite_csv: Path | None = None


def base_articles(data: Path) -> list[Path]:
    files = []
    for cat in CATEGORIES:
        files += sorted((data / cat).glob("*.txt"))
    return files


def build_corpus(scratch: Path, data: Path, scale: int) -> Corpus:
    """scratch/corpus/xN/copy-00 … copy-(N-1), each a full copy of the BBC folders,
    so every copy's articles get new ids (their paths)."""
    root = scratch / "corpus" / f"x{scale}"
    files = base_articles(data)
    done = root / ".complete"
    if not done.exists():
        log(f"building corpus x{scale} in {root}")
        shutil.rmtree(root, ignore_errors=True)
        for k in range(scale):
            for f in files:
                dest = root / f"copy-{k:02d}" / f.parent.name / f.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)
        done.write_text("ok\n")
    raw = sum(f.stat().st_size for f in files) * scale
    return Corpus(scale, root, len(files) * scale, raw)


def build_paragraph_inputs(scratch: Path, newsdex: Path, corpus: Corpus) -> None:
    """The paragraphs newsdex makes (`extract --json` of one copy, replicated per copy
    with its own article id) as tantivy-cli JSON lines and an SQLite CSV, so every
    tool indexes identical paragraphs."""
    pdir = scratch / "paragraphs"
    pdir.mkdir(parents=True, exist_ok=True)
    base = pdir / "extract-copy-00.jsonl"
    one = scratch / "corpus" / "x1"
    if not (one / ".complete").exists():
        raise RuntimeError("corpus x1 missing")
    tmp = base.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        subprocess.run(
            [str(newsdex), "extract", "--json", str(one / "copy-00")], stdout=out, check=True
        )
    # Re-extracted every run (about a second); the per-scale inputs derived from it are
    # rebuilt only when newsdex's paragraphs changed.
    if not base.exists() or base.read_bytes() != tmp.read_bytes():
        log("paragraphs changed: rebuilding the tantivy-cli and SQLite inputs")
        for old in pdir.glob("tantivy-x*.json"):
            old.unlink()
        for old in pdir.glob("sqlite-x*.csv"):
            old.unlink()
        tmp.replace(base)
    else:
        tmp.unlink()
    paras = [json.loads(line) for line in base.read_text().splitlines() if line.strip()]
    corpus.paragraphs = len(paras) * corpus.scale
    corpus.tantivy_json = pdir / f"tantivy-x{corpus.scale}.json"
    corpus.sqlite_csv = pdir / f"sqlite-x{corpus.scale}.csv"
    if corpus.tantivy_json.exists() and corpus.sqlite_csv.exists():
        return
    log(f"writing paragraph inputs for x{corpus.scale}")
    with open(corpus.tantivy_json, "w") as tj, open(corpus.sqlite_csv, "w", newline="") as sc:
        w = csv.writer(sc)
        for _k in range(corpus.scale):
            for p in paras:
                title = p.get("title") or ""
                body = p.get("text") or ""
                tj.write(json.dumps({"title": title, "body": body}, ensure_ascii=False))
                tj.write("\n")
                w.writerow([title, body])


# ---------------------------------------------------------------------------- tools


@dataclass
class ToolResult:
    name: str
    index: Measured | None = None
    index_bytes: int = 0
    lat_ms: list[float] = field(default_factory=list)
    inproc_ms: list[float] = field(default_factory=list)
    failures: int = 0
    no_hits: int = 0
    # Total matching paragraphs per query, where the tool tells (a cross-check that the
    # tools answer the same question).
    hit_counts: list[int] = field(default_factory=list)
    # The search command of each query, and its environment.
    cmds: list[list[str]] = field(default_factory=list)
    env: dict[str, str] | None = None


def time_searches(tools: list[ToolResult], runs: int) -> None:
    """Whole-process latency: every command once to warm up, then `runs` rounds; within a
    round each query is run by every tool in turn, so that the machine's load drifts
    evenly over the tools. Stdout is read through a pipe, as a terminal or script would."""
    tools = [t for t in tools if t.cmds]
    for t in tools:
        for cmd in t.cmds:
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=t.env)
    nq = max((len(t.cmds) for t in tools), default=0)
    for _ in range(runs):
        for i in range(nq):
            for t in tools:
                t0 = time.perf_counter()
                p = subprocess.run(
                    t.cmds[i], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=t.env
                )
                t.lat_ms.append((time.perf_counter() - t0) * 1000)
                if p.returncode not in (0, 1):
                    t.failures += 1
                elif not p.stdout.strip():
                    t.no_hits += 1
    for t in tools:
        t.no_hits //= max(1, runs)
        t.failures //= max(1, runs)


def bench_newsdex(newsdex: Path, scratch: Path, corpus: Corpus, queries: list[Query], runs: int,
                  index_only: bool = False):
    idx = scratch / "idx" / f"newsdex-x{corpus.scale}"
    shutil.rmtree(idx, ignore_errors=True)
    idx.parent.mkdir(parents=True, exist_ok=True)
    warm(corpus.root)
    log(f"newsdex index x{corpus.scale}")
    m = run_measured(
        [
            str(newsdex), "index", str(corpus.root), "--index", str(idx),
            "--threads", str(THREADS), "--memory", str(MEMORY_MB),
        ],
        scratch / "logs" / f"newsdex-index-x{corpus.scale}.log",
    )
    env = dict(os.environ, NO_COLOR="1")
    if not m.ok:
        r = ToolResult("newsdex", m)
        return r
    r = ToolResult("newsdex", m, du_bytes(idx), env=env)
    if index_only:
        return r
    r.cmds = [
        [str(newsdex), "search", q.text, "--index", str(idx), "--limit", "10"] for q in queries
    ]
    # In-process latency: newsdex's own `took_ms` (query parse to hits), from --json.
    for _ in range(runs):
        for q in queries:
            p = subprocess.run(
                [str(newsdex), "search", q.text, "--index", str(idx), "--limit", "10", "--json"],
                capture_output=True,
                text=True,
                env=env,
            )
            try:
                doc = json.loads(p.stdout)
                r.inproc_ms.append(float(doc["took_ms"]))
                if len(r.hit_counts) < len(queries):
                    r.hit_counts.append(int(doc["total_hits"]))
            except (ValueError, KeyError, TypeError):
                pass
    return r


# tantivy-cli runs twice: with its own defaults (1 indexing thread, 1 GB), which is how
# a user runs it and what the reference figure (~11.5 MB/s at 50x) was measured
# with; and with newsdex's threads and writer memory, for the like-for-like comparison.
TANTIVY_DEFAULT = "tantivy-cli"
TANTIVY_EQUAL = "tantivy-cli -t"


def bench_tantivy(tantivy: Path, scratch: Path, corpus: Corpus, queries: list[Query],
                  equal_settings: bool, index_only: bool = False):
    name = TANTIVY_EQUAL + f" {THREADS}" if equal_settings else TANTIVY_DEFAULT
    idx = scratch / "idx" / (f"tantivy-t{THREADS}-x{corpus.scale}" if equal_settings
                             else f"tantivy-x{corpus.scale}")
    shutil.rmtree(idx, ignore_errors=True)
    idx.parent.mkdir(parents=True, exist_ok=True)
    logs = scratch / "logs"
    new = subprocess.run(
        [str(tantivy), "new", "-i", str(idx)],
        input=TANTIVY_SCHEMA_ANSWERS.encode(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if new.returncode != 0:
        return ToolResult(name, Measured(False, 0, 0, "tantivy new failed"))
    warm(corpus.tantivy_json)
    log(f"{name} index x{corpus.scale}")
    cmd = [str(tantivy), "index", "-i", str(idx), "-f", str(corpus.tantivy_json)]
    if equal_settings:
        cmd += ["-t", str(THREADS), "-m", str(MEMORY_MB << 20)]
    m = run_measured(cmd, logs / f"{idx.name}-index.log")
    if not m.ok:
        return ToolResult(name, m)
    r = ToolResult(name, m, du_bytes(idx))
    if equal_settings or index_only:
        return r  # the same index as the other run: searched once, there
    r.cmds = [[str(tantivy), "search", "-i", str(idx), "-q", q.tantivy()] for q in queries]
    # tantivy-cli prints one line per matching document.
    for cmd in r.cmds:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        r.hit_counts.append(p.stdout.count(b"\n"))
    return r


def bench_sqlite(sqlite: Path, scratch: Path, corpus: Corpus, queries: list[Query],
                 index_only: bool = False):
    db = scratch / "idx" / f"sqlite-x{corpus.scale}.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-journal", "-wal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    warm(corpus.sqlite_csv)
    log(f"sqlite3 FTS5 load x{corpus.scale}")
    load = (
        "CREATE VIRTUAL TABLE p USING fts5(title, body, tokenize='porter unicode61');\n"
        ".mode csv\n"
        f".import '{corpus.sqlite_csv}' p\n"
    )
    m = run_measured([str(sqlite), str(db)], scratch / "logs" / f"sqlite-load-x{corpus.scale}.log", load)
    if not m.ok:
        return ToolResult("sqlite3 FTS5", m)
    r = ToolResult("sqlite3 FTS5", m, du_bytes(db))
    if index_only:
        return r
    r.cmds = [[str(sqlite), str(db), q.sqlite_sql()] for q in queries]
    for q in queries:
        p = subprocess.run(
            [str(sqlite), str(db), q.sqlite_sql(count=True)], capture_output=True, text=True
        )
        try:
            r.hit_counts.append(int(p.stdout.strip()))
        except ValueError:
            r.hit_counts.append(-1)
    return r


def bench_rg(rg: Path, corpus: Corpus, queries: list[Query]):
    warm(corpus.root)
    r = ToolResult("ripgrep")
    r.cmds = [[str(rg), "-i", "-F", "-c", "--", q.rg_pattern(), str(corpus.root)] for q in queries]
    return r


# ---------------------------------------------------------------------------- report


def machine() -> list[str]:
    cpu = "?"
    mem = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        f"- date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {os.cpu_count()} cores (`nproc`), {cpu}, {mem} RAM, "
        f"{platform.system()} {platform.release()}; load average at start {load:.2f}",
    ]


def fmt(v: float | None, digits: int = 1) -> str:
    if v is None or v != v:  # None or NaN
        return "—"
    return f"{v:.{digits}f}"


def ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or a != a or b != b or b == 0:
        return None
    return a / b


@dataclass
class ScaleReport:
    corpus: Corpus
    tools: list[ToolResult]

    def tool(self, name: str) -> ToolResult | None:
        return next((t for t in self.tools if t.name == name), None)

    def mbps(self, t: ToolResult | None) -> float | None:
        if not t or not t.index or not t.index.ok or t.index.wall_s <= 0:
            return None
        return self.corpus.raw_bytes / 1e6 / t.index.wall_s

    def size_x(self, t: ToolResult | None) -> float | None:
        if not t or not t.index or not t.index.ok:
            return None
        return t.index_bytes / self.corpus.raw_bytes

    @staticmethod
    def p(t: ToolResult | None, q: float) -> float | None:
        return percentile(t.lat_ms, q) if t and t.lat_ms else None


def render(
    reports: list[ScaleReport],
    versions: dict[str, str],
    runs: int,
    nq: int,
    micro_dir: Path | None = None,
    index_runs: int = 1,
) -> str:
    out = ["## Results", ""]
    out += machine()
    out += [
        "- tools: " + "; ".join(f"{k} `{v}`" for k, v in versions.items()),
        f"- queries: {nq} (`bench/queries.txt`), each run {runs}× after one warm-up run; "
        "latency is a whole process per query (start, open, search, snippets, output "
        "read through a pipe); p50/p95 over all queries × runs",
        f"- indexing: each tool {index_runs}× from scratch, the tools taking turns; the "
        "median run's wall time and the highest peak RSS; MB/s is raw article text (the "
        ".txt bytes) per second of wall time; size ×raw is the index on disk over that "
        "raw text",
        "",
    ]
    for rep in reports:
        c = rep.corpus
        out += [
            f"### {c.scale}x — {c.articles:,} articles, {c.paragraphs:,} paragraphs, "
            f"{c.raw_bytes / 1e6:.1f} MB raw text",
            "",
            "| tool | index s | index MB/s | index size MB | size ×raw | peak RSS MB "
            "| search p50 ms | search p95 ms |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for t in rep.tools:
            if t.index and not t.index.ok:
                out.append(f"| {t.name} | failed: {t.index.note} | | | | | | |")
                continue
            idx = t.index
            out.append(
                f"| {t.name} | {fmt(idx.wall_s) if idx else '—'} | {fmt(rep.mbps(t))} "
                f"| {fmt(t.index_bytes / 1e6) if idx else '—'} | {fmt(rep.size_x(t), 2)} "
                f"| {fmt(idx.peak_rss_mb, 0) if idx else '—'} "
                f"| {fmt(rep.p(t, 50))} | {fmt(rep.p(t, 95))} |"
            )
        nd = rep.tool("newsdex")
        if nd and nd.inproc_ms:
            out.append(
                f"| newsdex in-process (`took_ms`) | | | | | | "
                f"{fmt(percentile(nd.inproc_ms, 50), 2)} | {fmt(percentile(nd.inproc_ms, 95), 2)} |"
            )
        notes = [
            f"{t.name}: {t.no_hits} queries printed nothing, {t.failures} failed"
            for t in rep.tools
            if t.no_hits or t.failures
        ]
        counted = [t for t in rep.tools if len(t.hit_counts) == nq]
        if len(counted) > 1:
            same = sum(1 for i in range(nq) if len({t.hit_counts[i] for t in counted}) == 1)
            notes.append(
                f"matching paragraphs per query agree between {', '.join(t.name for t in counted)} "
                f"for {same} of {nq} queries ({sum(counted[0].hit_counts):,} hits in all)"
            )
        if notes:
            out += ["", "Notes: " + "; ".join(notes) + "."]
        out += [
            "",
            "Ratios newsdex/peer (throughput: higher is better for newsdex; size and "
            "latency: lower is better):",
            "",
            "| peer | index MB/s | size | search p50 | search p95 |",
            "|---|--:|--:|--:|--:|",
        ]
        for t in rep.tools:
            if t.name == "newsdex":
                continue
            out.append(
                f"| newsdex/{t.name} | {fmt(ratio(rep.mbps(nd), rep.mbps(t)), 2)} "
                f"| {fmt(ratio(rep.size_x(nd), rep.size_x(t)), 2)} "
                f"| {fmt(ratio(rep.p(nd, 50), rep.p(t, 50)), 2)} "
                f"| {fmt(ratio(rep.p(nd, 95), rep.p(t, 95)), 2)} |"
            )
        out.append("")
    out += targets(reports)
    if micro_dir:
        out += micro_table(micro_dir)
    return "\n".join(out) + "\n"


def targets(reports: list[ScaleReport]) -> list[str]:
    """The issue's targets, checked at every scale that ran (they are set for 10x and 50x)."""
    rows = []

    def mark(ok: bool | None) -> str:
        return "—" if ok is None else ("holds" if ok else "**misses**")

    def chk(v: float | None, lo: float | None = None, hi: float | None = None) -> str:
        if v is None:
            return "—"
        ok = (lo is None or v >= lo) and (hi is None or v <= hi)
        return f"{v:.2f} {mark(ok)}"

    header = "| target | " + " | ".join(f"{r.corpus.scale}x" for r in reports) + " |"
    rows += ["### Targets (issue 6; set for 10x and 50x)", "", header,
             "|---|" + "--:|" * len(reports)]

    def row(label: str, f) -> None:
        rows.append(f"| {label} | " + " | ".join(f(r) for r in reports) + " |")

    def spd(r: ScaleReport, peer: str) -> float | None:
        return ratio(r.p(r.tool(peer), 50), r.p(r.tool("newsdex"), 50))

    row("index MB/s ≥ 1.0× tantivy-cli (its defaults: 1 thread, 1 GB)",
        lambda r: chk(ratio(r.mbps(r.tool("newsdex")), r.mbps(r.tool(TANTIVY_DEFAULT))), lo=1.0))
    if THREADS > 1:
        eq = f"{TANTIVY_EQUAL} {THREADS}"
        row(f"index MB/s ≥ 1.0× {eq} (newsdex's threads and memory)",
            lambda r: chk(ratio(r.mbps(r.tool("newsdex")), r.mbps(r.tool(eq))), lo=1.0))
    row("index MB/s ≥ 1.5× sqlite3 FTS5",
        lambda r: chk(ratio(r.mbps(r.tool("newsdex")), r.mbps(r.tool("sqlite3 FTS5"))), lo=1.5))
    row("search p50 ≤ 5 ms", lambda r: chk(r.p(r.tool("newsdex"), 50), hi=5.0))
    row("search p95 ≤ 20 ms", lambda r: chk(r.p(r.tool("newsdex"), 95), hi=20.0))
    row("search p50 ≥ 2× faster than sqlite3 snippet()", lambda r: chk(spd(r, "sqlite3 FTS5"), lo=2.0))
    row("search p50 ≥ 10× faster than ripgrep", lambda r: chk(spd(r, "ripgrep"), lo=10.0))
    row("index size ≤ 1.0× raw text", lambda r: chk(r.size_x(r.tool("newsdex")), hi=1.0))

    def rss_share(r: ScaleReport) -> float | None:
        nd = r.tool("newsdex")
        return nd.index.peak_rss_mb / MEMORY_MB if nd and nd.index and nd.index.ok else None

    row(f"indexing peak RSS ≤ 1.0× `--memory {MEMORY_MB}`", lambda r: chk(rss_share(r), hi=1.0))
    return rows + [""]


def micro_table(criterion_dir: Path) -> list[str]:
    """The criterion results of `cargo bench --bench pipeline`, one row per benchmark."""
    rows = []
    for est in sorted(criterion_dir.glob("**/new/estimates.json")):
        try:
            meta = json.loads((est.parent / "benchmark.json").read_text())
            mean_ns = json.loads(est.read_text())["mean"]["point_estimate"]
        except (OSError, ValueError, KeyError):
            continue
        tp = meta.get("throughput") or {}
        if "Elements" in tp and meta.get("group_id") == "analyzer":
            # The analyzer's elements are tokens (see benches/pipeline.rs).
            per = f"{mean_ns / tp['Elements']:.1f} ns per token ({tp['Elements']} tokens)"
        elif "Elements" in tp:
            per = f"{mean_ns / 1000 / tp['Elements']:.2f} µs per paragraph ({tp['Elements']} paragraphs)"
        elif "Bytes" in tp:
            per = f"{tp['Bytes'] / mean_ns * 1e3:.1f} MB/s ({tp['Bytes']} bytes)"
        else:
            per = ""
        rows.append(f"| `{meta['full_id']}` | {mean_ns / 1000:.2f} | {per} |")
    if not rows:
        return []
    return [
        "### Micro-benchmarks (`cargo bench --bench pipeline`, criterion, mean)",
        "",
        "| benchmark | µs per call | per unit |",
        "|---|--:|---|",
        *rows,
        "",
    ]


def update_readme(readme: Path, report: str) -> None:
    """Replaces what follows the README's `### Latest results` heading (to the end of the
    file: the Benchmark section is the last one) with the report, headings one level
    down, so that the README shows exactly what the run printed."""
    marker = "### Latest results"
    text = readme.read_text()
    if marker not in text:
        log(f"{readme} has no '{marker}' heading; not updated")
        return
    lines = [
        ("#" + line) if line.startswith("### ") else line
        for line in report.splitlines()
        if not line.startswith("## ")
    ]
    body = "\n".join(lines).strip("\n")
    readme.write_text(text[: text.index(marker) + len(marker)] + "\n\n" + body + "\n")
    log(f"{readme} updated")


# ---------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scales", default="1,10,50", help="comma list of corpus copies")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query and tool")
    ap.add_argument("--index-runs", type=int, default=3,
                    help="timed indexing runs per tool (the median is reported)")
    ap.add_argument("--scratch", type=Path, required=True)
    ap.add_argument("--data", type=Path, required=True, help="the BBC folder")
    ap.add_argument("--newsdex", type=Path, required=True)
    ap.add_argument("--tantivy", type=Path)
    ap.add_argument("--sqlite", type=Path)
    ap.add_argument("--rg", type=Path)
    ap.add_argument("--readme", type=Path, help="README whose '### Latest results' to replace")
    ap.add_argument("--micro", type=Path, help="criterion output folder to summarise")
    ap.add_argument("--queries", type=Path, default=REPO / "bench" / "queries.txt")
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "latest.md")
    a = ap.parse_args()

    scales = [int(s) for s in a.scales.split(",") if s.strip()]
    queries = load_queries(a.queries)
    (a.scratch / "logs").mkdir(parents=True, exist_ok=True)
    versions = {"newsdex": version_of([str(a.newsdex), "--version"])}
    try:
        rev = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        versions["newsdex"] += f" ({rev})"
    except OSError:
        pass
    if a.tantivy:
        versions["tantivy-cli"] = version_of([str(a.tantivy), "--version"])
    if a.sqlite:
        versions["sqlite3"] = version_of([str(a.sqlite), "--version"]).split(" ")[0]
    if a.rg:
        versions["ripgrep"] = version_of([str(a.rg), "--version"])

    build_corpus(a.scratch, a.data, 1)  # the extract source, whatever the scales
    reports = []
    for scale in scales:
        corpus = build_corpus(a.scratch, a.data, scale)
        tools = []
        try:
            build_paragraph_inputs(a.scratch, a.newsdex, corpus)
        except (subprocess.CalledProcessError, RuntimeError) as e:
            log(f"could not build paragraph inputs: {e}")
        # Indexing is timed `--index-runs` times, the tools taking turns in each round,
        # and each tool's median run is reported: one run each put the ratios 10-30%
        # apart between two runs of the benchmark. The last round's indexes are searched.
        rounds: list[list[ToolResult]] = []
        for i in range(a.index_runs):
            last = i == a.index_runs - 1
            ts = [bench_newsdex(a.newsdex, a.scratch, corpus, queries, a.runs, not last)]
            if a.tantivy and corpus.tantivy_json:
                ts.append(bench_tantivy(a.tantivy, a.scratch, corpus, queries, False, not last))
                if THREADS > 1:
                    ts.append(bench_tantivy(a.tantivy, a.scratch, corpus, queries, True, not last))
            if a.sqlite and corpus.sqlite_csv:
                ts.append(bench_sqlite(a.sqlite, a.scratch, corpus, queries, not last))
            rounds.append(ts)
        for j, t in enumerate(rounds[-1]):
            t.index = median_measured([r[j].index for r in rounds])
            tools.append(t)
        if a.rg:
            tools.append(bench_rg(a.rg, corpus, queries))
        log(f"searching x{scale}: {len(queries)} queries × {a.runs} runs, tools interleaved")
        time_searches(tools, a.runs)
        reports.append(ScaleReport(corpus, tools))
        # Write after every scale, so an interrupted long run still leaves a report.
        report = render(reports, versions, a.runs, len(queries), a.micro, a.index_runs)
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(report)
        raw = {
            f"x{r.corpus.scale}": {t.name: {"lat_ms": t.lat_ms, "inproc_ms": t.inproc_ms,
                                            "index": t.index.__dict__ if t.index else None,
                                            "index_bytes": t.index_bytes} for t in r.tools}
            for r in reports
        }
        (a.scratch / "results.json").write_text(json.dumps(raw))
    print(render(reports, versions, a.runs, len(queries), a.micro, a.index_runs))
    if a.readme:
        update_readme(a.readme, a.out.read_text())
    log(f"report written to {a.out}; raw timings in {a.scratch / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
