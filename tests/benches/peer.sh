#!/bin/sh
# Side by side with the reference M parser (@microsoft/powerquery-parser), on the same files:
# the reference's parse loop against the whole `mezcheck check --select PQ100` process, then
# mezcheck's scaling and peak memory on single files of 1 to 64 MiB.
# Usage: tests/benches/peer.sh [MB] [DIR...]
#   MB    size of the generated corpus in MiB (default 8)
#   DIR   also compare on these folders of real M files
# Needs the reference installed once: (cd ../shared/bench/peer && ./setup.sh).
set -eu
MB=${1:-8}
[ $# -gt 0 ] && shift
PEER=${PEER:-$(cd "$(dirname "$0")/../../../shared/bench/peer" && pwd)}
CORPUS=$(mktemp -d /tmp/mezcheck-corpus.XXXXXX)
trap 'rm -rf "$CORPUS"' EXIT
cargo build --release --bench parse >/dev/null 2>&1
cargo build --release >/dev/null 2>&1
BENCH=$(ls -t target/release/deps/parse-* | grep -v '\.d$' | head -n 1)
MEZCHECK=target/release/mezcheck
"$BENCH" --write "$CORPUS" "$MB"

compare() {
    label=$1
    shift
    echo "== $label: reference parser, parse loop (node start-up and file reading excluded)"
    (cd "$PEER" && node parse.js --warmup 1 -n 3 --summary-only "$@")
    echo "== $label: mezcheck check --select PQ100, whole process"
    bytes=$(find "$@" -type f \( -name '*.pq' -o -name '*.pqm' -o -name '*.m' \) -exec cat {} + | wc -c)
    start=$(date +%s.%N)
    find "$@" -type f \( -name '*.pq' -o -name '*.pqm' -o -name '*.m' \) -print0 \
        | xargs -0 /usr/bin/time -f "%e s elapsed, %M KiB peak" "$MEZCHECK" check --select PQ100,PQ113 --quiet --output-format concise >/dev/null || true
    end=$(date +%s.%N)
    echo "$bytes bytes in $(echo "$end - $start" | bc) s: $(echo "scale=1; $bytes / 1000000 / ($end - $start)" | bc) MB/s"
}

compare "generated corpus" "$CORPUS"
for dir in "$@"; do
    compare "$dir" "$dir"
done

# One M file may be at most 16 MiB (robustness limits), so scaling is measured on corpora of
# 1 MiB files; `cargo bench --bench parse -- --scaling` measures the parser on single files.
echo "== mezcheck check --select PQ100, whole process: scaling and peak memory"
for size in 1 4 16 64; do
    rm -rf "$CORPUS/scale" && mkdir "$CORPUS/scale"
    "$BENCH" --write "$CORPUS/scale" "$size" >/dev/null
    /usr/bin/time -f "$size MiB: %e s elapsed, %M KiB peak" "$MEZCHECK" check --select PQ100 --quiet "$CORPUS/scale" >/dev/null || true
done
