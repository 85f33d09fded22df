#!/usr/bin/env bash
# newsdex benchmark against tantivy-cli, SQLite FTS5 and ripgrep, in one run.
#
#   bench/run.sh [--scales 1,10,50] [--runs 5] [--index-runs 3] [--scratch DIR] [--data DIR] [--no-micro]
#                [--update-readme]
#
# Builds newsdex (release), installs the peers that are missing into SCRATCH/tools with
# `cargo install --root`, builds the corpora in SCRATCH (never in the repository), runs
# bench/bench.py and writes the report to stdout and bench/results/latest.md, with the
# criterion micro-benchmarks (benches/pipeline.rs, short runs) unless --no-micro;
# --update-readme also puts the report under README.md's "Latest results".
# It only reports: a missed target or a failing peer never makes it fail.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
SCALES=1,10,50
RUNS=5
INDEX_RUNS=3
MICRO=1
README_ARG=()
SCRATCH=${NEWSDEX_BENCH_DIR:-/tmp/newsdex-bench}
DATA=$REPO/../shared/data/bbc

while [ $# -gt 0 ]; do
    case "$1" in
        --scales) SCALES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --index-runs) INDEX_RUNS=$2; shift 2 ;;
        --scratch) SCRATCH=$2; shift 2 ;;
        --data) DATA=$2; shift 2 ;;
        --no-micro) MICRO=0; shift ;;
        --update-readme) README_ARG=(--readme "$REPO/README.md"); shift ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench/run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

if [ ! -d "$DATA/politics" ]; then
    echo "bench/run.sh: no BBC articles in '$DATA'; pass --data DIR (the folder with business/, politics/, …)" >&2
    exit 2
fi
case "$(realpath -m "$SCRATCH")/" in
    "$REPO"/*) echo "bench/run.sh: the scratch directory must be outside the repository" >&2; exit 2 ;;
esac
TOOLS=$SCRATCH/tools
mkdir -p "$TOOLS/bin" "$SCRATCH/logs"
export PATH="$TOOLS/bin:$PATH"

say() { echo "[bench] $*" >&2; }

say "building newsdex (release)"
cargo build --release --quiet
NEWSDEX=$REPO/target/release/newsdex

# tantivy-cli 0.24.0 pins traitobject 0.1.0 in its lockfile, which newer compilers reject
# (E0119, fixed upstream in traitobject 0.1.1, tantivy-cli PR #112). If the plain
# `--locked` install fails, install the same crate from its unpacked source with only
# that dependency bumped.
install_tantivy_cli() {
    say "installing tantivy-cli into $TOOLS"
    if cargo install tantivy-cli --locked --root "$TOOLS" >"$SCRATCH/logs/install-tantivy-cli.log" 2>&1; then
        return 0
    fi
    say "plain install failed; retrying with traitobject 0.1.1"
    local crate
    crate=$(ls -t "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/tantivy-cli-*.crate 2>/dev/null | head -n1)
    [ -n "$crate" ] || return 1
    rm -rf "$TOOLS/src" && mkdir -p "$TOOLS/src"
    tar xzf "$crate" -C "$TOOLS/src"
    (
        cd "$TOOLS"/src/tantivy-cli-*/ &&
        cargo update -p traitobject --precise 0.1.1 &&
        cargo install --path . --locked --root "$TOOLS"
    ) >>"$SCRATCH/logs/install-tantivy-cli.log" 2>&1
}

TANTIVY=$(command -v tantivy || true)
if [ -z "$TANTIVY" ]; then
    install_tantivy_cli || say "tantivy-cli could not be installed (see $SCRATCH/logs/install-tantivy-cli.log); skipping it"
    TANTIVY=$(command -v tantivy || true)
fi

RG=$(command -v rg || true)
if [ -z "$RG" ]; then
    say "installing ripgrep into $TOOLS"
    cargo install ripgrep --locked --root "$TOOLS" >"$SCRATCH/logs/install-ripgrep.log" 2>&1 ||
        say "ripgrep could not be installed; skipping it"
    RG=$(command -v rg || true)
fi

SQLITE=$(command -v sqlite3 || true)
if [ -n "$SQLITE" ] && ! "$SQLITE" :memory: "CREATE VIRTUAL TABLE t USING fts5(x)" 2>/dev/null; then
    say "$SQLITE has no FTS5; skipping it"
    SQLITE=
fi

if [ "$MICRO" = 1 ]; then
    say "criterion micro-benchmarks (cargo bench --bench pipeline)"
    rm -rf target/criterion
    cargo bench --quiet --bench pipeline -- --warm-up-time 1 --measurement-time 3 \
        >"$SCRATCH/logs/criterion.log" 2>&1 || say "cargo bench failed; see $SCRATCH/logs/criterion.log"
fi

ARGS=(--scales "$SCALES" --runs "$RUNS" --index-runs "$INDEX_RUNS" --scratch "$SCRATCH" --data "$DATA" --newsdex "$NEWSDEX")
[ -n "$TANTIVY" ] && ARGS+=(--tantivy "$TANTIVY")
[ -n "$SQLITE" ] && ARGS+=(--sqlite "$SQLITE")
[ -n "$RG" ] && ARGS+=(--rg "$RG")
[ "$MICRO" = 1 ] && [ -d target/criterion ] && ARGS+=(--micro target/criterion)
exec python3 "$REPO/bench/bench.py" "${ARGS[@]}" "${README_ARG[@]}"
