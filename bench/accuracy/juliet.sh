#!/usr/bin/env bash
# Scores the failpath CLI on NIST Juliet 1.3 with the shared scorer (../shared/bench/juliet).
#   JULIET_GIT=<bare git dir of arichardson/juliet-test-suite-c>  (fetch it; never commit its files)
#   BENCH_WORK=/tmp/juliet-failpath  (scratch)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
shared="${SHARED_JULIET:-$repo/../shared/bench/juliet}"
work="${BENCH_WORK:-/tmp/juliet-failpath}"
corpus="$work/corpus-full"
mkdir -p "$work"
if [ ! -f "$corpus/functions.csv" ]; then
  : "${JULIET_GIT:?set JULIET_GIT to the Juliet git directory}"
  python3 "$shared/extract.py" --git "$JULIET_GIT" --out "$corpus" --subset full
  python3 "$shared/gt.py" --corpus "$corpus"
fi
(cd "$repo" && node scripts/build.mjs --quiet)
start=$(date +%s.%N)
node "$repo/dist/cli.js" --format sarif --output "$work/failpath.sarif" --fail-on none --jobs "${JOBS:-2}" "$corpus"
end=$(date +%s.%N)
python3 "$shared/score.py" --corpus "$corpus" --category-map "$shared/failpath-categories.json" --name failpath \
  --md "$work/scores.md" --by-flow "$work/by-flow.md" --dump "$work/hits.csv" "$work/failpath.sarif" >/dev/null
echo "failpath wall: $(echo "$end - $start" | bc) s"
sed -n '1,8p' "$work/scores.md"
echo
python3 "$here/juliet_subset.py" "$corpus/functions.csv" "$work/hits.csv"
