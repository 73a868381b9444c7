#!/bin/sh
# Side by side with the reference M parser (@microsoft/powerquery-parser), on the same files.
#
#   tests/benches/peer.sh [MB] [DIR...]
#       Speed: the reference's parse loop against the whole `mezcheck check --select
#       PQ100,PQ113` process, on a generated corpus of MB MiB (default 8) and on each DIR of
#       real M files; then mezcheck's scaling and peak memory on corpora of 1 to 64 MiB.
#   tests/benches/peer.sh --verdicts DIR...
#       Agreement: both parsers' verdict on every .pq/.pqm/.m file below the DIRs, and each
#       file where they differ, with both first errors.
#
# Needs the reference installed once: (cd ../shared/bench/peer && ./setup.sh), or PEER=DIR
# naming a copy where setup.sh has run; and python3 for the agreement table.
set -eu
PEER=${PEER:-$(cd "$(dirname "$0")/../../../shared/bench/peer" && pwd)}
cargo build --release --bench parse >/dev/null 2>&1
cargo build --release >/dev/null 2>&1
BENCH=$(ls -t target/release/deps/parse-* | grep -v '\.d$' | head -n 1)
MEZCHECK=target/release/mezcheck
WORK=$(mktemp -d /tmp/mezcheck-peer.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

if [ "${1:-}" = "--verdicts" ]; then
    shift
    (cd "$PEER" && node parse.js "$@") >"$WORK/peer.jsonl"
    "$BENCH" --verdicts "$@" >"$WORK/mezcheck.jsonl"
    python3 - "$WORK/peer.jsonl" "$WORK/mezcheck.jsonl" <<'EOF'
import json, sys
peer = {}
for line in open(sys.argv[1]):
    record = json.loads(line)
    if record.get("type") == "file":
        peer[record["file"]] = record
ours = {}
for line in open(sys.argv[2]):
    record = json.loads(line)
    ours[record["file"]] = record
both = sorted(set(peer) & set(ours))
agree = sum(peer[f]["ok"] == ours[f]["ok"] for f in both)
rejected = [f for f in both if not peer[f]["ok"] and not ours[f]["ok"]]
same_line = sum(peer[f].get("position", {}).get("line") == ours[f].get("line") for f in rejected)
print(f"{len(both)} files: verdicts agree on {agree} ({100 * agree / max(len(both), 1):.2f}%)")
print(f"both reject {len(rejected)}, first error on the same line in {same_line}")
for f in both:
    p, m = peer[f], ours[f]
    if p["ok"] != m["ok"]:
        who = "only the reference rejects" if m["ok"] else "only mezcheck rejects"
        where = p.get("position", {})
        print(f"{who}: {f}")
        print(f"    reference: {p.get('errorKind')} at {where.get('line')}:{where.get('column')}: {p.get('message')}")
        print(f"    mezcheck:  {m.get('line')}:{m.get('column')}: {m.get('message')}")
EOF
    exit 0
fi

MB=${1:-8}
[ $# -gt 0 ] && shift
CORPUS="$WORK/corpus"
mkdir -p "$CORPUS"
"$BENCH" --write "$CORPUS" "$MB"

compare() {
    label=$1
    shift
    echo "== $label: reference parser, parse loop (node start-up and file reading excluded)"
    (cd "$PEER" && node parse.js --warmup 1 -n 3 --summary-only "$@")
    echo "== $label: mezcheck check --select PQ100,PQ113, whole process"
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
