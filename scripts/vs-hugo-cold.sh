#!/usr/bin/env bash
# kb build against Hugo on the same generated pages: the two in turn (A B A B ...), outputs on tmpfs,
# wall time and peak RSS of each run, then the medians and the median of the pair-by-pair ratios.
# usage: scripts/vs-hugo-cold.sh PAGES [RUNS]   (from the project root; needs python3 and hugo)
# As ../shared/bench/vs-hugo.sh, but every kb run is a cold build: the build cache
# (.kb/cache, which would make every run after the first a cached rebuild) is removed first.
# The machines are shared and noisy: quote the ratio, not the absolute times.
set -euo pipefail
N=${1:?pages}; RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")/../../shared/bench" && pwd); PROJECT=$(pwd)
command -v hugo >/dev/null || { echo "hugo is not installed (apt-get install hugo)"; exit 2; }
W=${WORK:-/tmp/kb-vs-hugo}/$N; OUT=${OUT:-/dev/shm/kb-vs-hugo}
mkdir -p "$W" "$OUT"
go build -o "$W/kb" ./cmd/kb
if [ ! -f "$W/done" ]; then
  rm -rf "$W/kb-site" "$W/hugo-site"
  topics=$(ls content/topics | paste -sd,); res=$(ls content/residence | paste -sd,)
  python3 "$HERE/gencorpus.py" "$W/kb-site" "$N" --topics "$topics" --residence "$res" >/dev/null
  python3 "$HERE/hugo_site.py" "$W/kb-site" "$W/hugo-site" >/dev/null
  cp -r templates i18n "$W/kb-site/"; cp content/site.toml "$W/kb-site/content/"
  [ -d content/synonyms ] && cp -r content/synonyms "$W/kb-site/content/"
  for sec in topics residence; do for key in $(ls content/$sec); do for l in i18n/*.toml; do
    c=$(basename "$l" .toml); mkdir -p "$W/kb-site/content/$sec/$key"
    printf -- '---\ntitle: %s\nsummary: %s\n---\nIntroduction.\n' "$key" "$key" > "$W/kb-site/content/$sec/$key/$c.md"
  done; done; done
  touch "$W/done"
fi
run() { /usr/bin/time -f '%e %M %U %S' -o "$W/t" "$@" >/dev/null 2>&1; awk '{printf "%s %s %.2f", $1, $2, $3+$4}' "$W/t"; }
rm -rf "$OUT/.kb/cache"; run "$W/kb" build --site "$W/kb-site" --out "$OUT/k" >/dev/null   # warm-up, both
run hugo --quiet -s "$W/hugo-site" -d "$OUT/h" >/dev/null
: >"$W/runs"
for i in $(seq "$RUNS"); do
  rm -rf "$OUT/.kb/cache"; a=$(run "$W/kb" build --site "$W/kb-site" --out "$OUT/k"); b=$(run hugo --quiet -s "$W/hugo-site" -d "$OUT/h")
  echo "$a $b" | tee -a "$W/runs" | awk '{printf "run: kb %.2f s %d MB cpu %.1f s | hugo %.2f s %d MB cpu %.1f s | wall ratio %.2f cpu ratio %.2f\n", $1, $2/1024, $3, $4, $5/1024, $6, $1/$4, $3/$6}'
done
python3 - "$W/runs" "$N" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
med = lambda i: statistics.median(r[i] for r in rows)
ratio = statistics.median(r[0] / r[3] for r in rows)
cpu = statistics.median(r[2] / r[5] for r in rows)
print(f"{sys.argv[2]} pages: kb {med(0):.2f} s, {med(1)/1024:.0f} MB, cpu {med(2):.1f} s | hugo {med(3):.2f} s, {med(4)/1024:.0f} MB, cpu {med(5):.1f} s | kb/hugo wall ratio {ratio:.2f}, cpu ratio {cpu:.2f} (median of {len(rows)} pairs)")
PY
