#!/bin/sh
# Side-by-side comparison with the reference parser (@microsoft/powerquery-parser), on the
# same generated files: throughput of both, then mezcheck's scaling and peak memory.
# Usage: benches/peer.sh [MB]   (needs /work/shared/bench/peer set up with ./setup.sh)
set -eu
MB=${1:-8}
PEER=${PEER:-/work/shared/bench/peer}
DIR=$(mktemp -d /tmp/mezcheck-corpus.XXXXXX)
cargo build --release --bench parse --example mparse >/dev/null 2>&1
BENCH=$(ls -t target/release/deps/parse-* | grep -v '\.d$' | head -n 1)
"$BENCH" --write "$DIR" "$MB"
echo "== reference parser"
(cd "$PEER" && node parse.js --warmup 1 -n 3 --summary-only "$DIR")
echo "== mezcheck, parse loop"
"$BENCH" --files "$DIR"
echo "== mezcheck, whole process"
/usr/bin/time -f "%e s elapsed, %M KiB peak" target/release/examples/mparse --summary "$DIR"
echo "== mezcheck, scaling and peak memory on single files"
for size in 1 4 16 64; do
    "$BENCH" --write-single "$DIR/single$size.pq" "$size"
    /usr/bin/time -f "%e s elapsed, %M KiB peak" target/release/examples/mparse --summary "$DIR/single$size.pq"
    rm -f "$DIR/single$size.pq"
done
rm -rf "$DIR"
