#!/bin/sh
# loadtest.sh puts `kb serve --no-build` under load with wrk, on loopback,
# and reports errors, latency per kind of request and the server's memory.
#
#   scripts/loadtest.sh [mixed|flood|search]
#
# mixed (default): 50 connections for 60 s: 30 read fiches, 10 send exact
#   searches (the titles of pages, in all languages), 10 send searches with
#   typos. Goal: no error, p99 of fiches under 100 ms, memory flat.
# flood: the attack of issue 12: 100 connections send a 16-word query full
#   of typos (FLOOD_WORDS=4: a shorter one), while 10 read fiches and 2
#   send ordinary searches.
#
# search: search throughput, one kind at a time, 50 connections for 15 s
#   each (DURATION, CONNS_SEARCH): the results page and the JSON API, exact
#   and with typos, each cycling through more queries than the server's
#   caches hold (pairs and triples of title words: every request searches),
#   then one query repeated (answered from the caches).
#
# It builds kb and the site (the repository's own, or SITE=folder with
# content/, i18n/, templates/) in a temporary folder. DURATION (e.g. 30s),
# CONNS_* and THREADS change the load; KB=path uses a kb binary already
# built. Nothing listens beyond 127.0.0.1; the server is stopped at the end.
# Needs wrk (Debian: apt-get install wrk).
set -eu

mode=${1:-mixed}
root=$(cd "$(dirname "$0")/.." && pwd)
site_src=${SITE:-$root}
threads=${THREADS:-1}
case $mode in
mixed)
	duration=${DURATION:-60s}
	conns_fiche=${CONNS_FICHE:-30}
	conns_exact=${CONNS_EXACT:-10}
	conns_typo=${CONNS_TYPO:-10}
	conns_flood=0
	;;
search)
	duration=${DURATION:-15s}
	conns_fiche=0
	conns_exact=0
	conns_typo=0
	conns_flood=0
	;;
flood)
	duration=${DURATION:-30s}
	conns_fiche=${CONNS_FICHE:-10}
	conns_exact=${CONNS_EXACT:-2}
	conns_typo=0
	conns_flood=${CONNS_FLOOD:-100}
	;;
*)
	echo "usage: $0 [mixed|flood|search]" >&2
	exit 2
	;;
esac
command -v wrk >/dev/null || {
	echo "loadtest: wrk is not installed" >&2
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/kb-loadtest.XXXXXX")
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

kb=${KB:-}
if [ -z "$kb" ]; then
	kb=$work/kb
	(cd "$root" && go build -o "$kb" ./cmd/kb)
fi
mkdir -p "$work/site"
for d in content i18n templates; do
	cp -R "$site_src/$d" "$work/site/$d"
done
"$kb" build --site "$work/site" >/dev/null

# typos FILE: FILE's query lines with two letters swapped in every ASCII
# word of five letters or more; lines without such a word are left out.
typos() {
	awk '{
		out = $1
		for (i = 2; i <= NF; i++) {
			w = $i
			if (length(w) >= 5 && w ~ /^[A-Za-z]+$/) {
				k = int(length(w) / 2)
				w = substr(w, 1, k - 1) substr(w, k + 1, 1) substr(w, k, 1) substr(w, k + 2)
			}
			out = out " " w
		}
		if (out != $0) print out
	}' "$1"
}

# The requests: fiche URLs; the first three words of each page's title as
# an exact query in the page's language (readers type a few words); and
# the same with two letters swapped in every ASCII word of five letters or
# more. Query lines are "LANG WORDS".
pub=$work/site/public
(cd "$pub" && find . -path './*/fiches/*/index.html' | sed 's|^\.||; s|index\.html$||' | sort) >"$work/fiches.txt"
find "$work/site/content" -name '*.md' | sort | while IFS= read -r f; do
	[ -f "$work/site/i18n/$(basename "$f" .md).toml" ] || continue
	sed -n 's/^title:[[:space:]]*//p' "$f" | head -n 1 |
		sed 's/^["'\'']//; s/["'\'']$//; s/[][\\"]//g' |
		awk -v code="$(basename "$f" .md)" 'NF { print code, $1, $2, $3 }' | sed 's/ *$//'
done | sort -u >"$work/titles.txt"
typos "$work/titles.txt" >"$work/typos.txt"
# The flood: 16 words (FLOOD_WORDS), each with a typo, on the French
# search page.
awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+$/ && length($i) >= 6) print $i }' "$work/typos.txt" |
	sort -u | head -n 64 >"$work/words.txt"
awk -v n="${FLOOD_WORDS:-16}" '{ w[NR] = $0 } END { for (s = 0; s < 64; s++) { q = "fr"; for (i = 0; i < n; i++) q = q " " w[(s * 5 + i * 3) % NR + 1]; print q } }' \
	"$work/words.txt" >"$work/flood.txt"

# lua KIND FILE PREFIX: a wrk script that cycles through FILE's lines, and
# prints one summary line at the end. With a PREFIX, a line is LANG WORDS:
# the words, URL-encoded, follow PREFIX, in which {lang} is LANG.
lua() {
	{
		echo "local kind = \"$1\""
		echo "local items = {"
		while IFS= read -r line; do
			printf '  [==[%s]==],\n' "$line"
		done <"$2"
		echo "}"
		echo "local prefix = \"$3\""
		cat <<'EOF'
local function enc(s)
  return (s:gsub("[^%w%-_%.~/]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local urls = {}
for i, s in ipairs(items) do
  if prefix == "" then
    urls[i] = s
  else
    local code, words = s:match("^(%S+) (.*)$")
    urls[i] = prefix:gsub("{lang}", code) .. enc(words)
  end
end
local n = 0
function setup(thread) thread:set("offset", math.random(#urls)) end
function request()
  n = n + 1
  return wrk.format("GET", urls[(n + (offset or 0)) % #urls + 1], {["Accept-Encoding"] = "gzip"})
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %s conns=%s requests=%d rps=%.1f errors=%d timeouts=%d non2xx=%d p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms\n",
    kind, os.getenv("KB_CONNS") or "?", summary.requests, summary.requests / (summary.duration / 1e6),
    e.connect + e.read + e.write + e.timeout + e.status, e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
EOF
	} >"$work/$1.lua"
}
lua fiche "$work/fiches.txt" ""
lua exact "$work/titles.txt" "/api/search?lang={lang}&q="
lua typo "$work/typos.txt" "/{lang}/search/?q="
lua flood "$work/flood.txt" "/{lang}/search/?q="

# search mode: words 1-2, 1-3, 2-3 and 1+3 of every title, exact and
# with typos: over 1,000 distinct queries, more than the caches hold.
awk '{ print $1, $2, $3; if (NF >= 4) { print $1, $2, $3, $4; print $1, $3, $4; print $1, $2, $4 } }' "$work/titles.txt" |
	awk 'NF >= 3' | sort -u >"$work/exact-all.txt"
typos "$work/exact-all.txt" >"$work/typo-all.txt"
echo "fr aide medicale" >"$work/one.txt"
lua page-exact "$work/exact-all.txt" "/{lang}/search/?q="
lua page-typo "$work/typo-all.txt" "/{lang}/search/?q="
lua api-exact "$work/exact-all.txt" "/api/search?lang={lang}&q="
lua api-typo "$work/typo-all.txt" "/api/search?lang={lang}&q="
lua page-one "$work/one.txt" "/{lang}/search/?q="
lua api-one "$work/one.txt" "/api/search?lang={lang}&q="

"$kb" serve --no-build --quiet --site "$work/site" --addr 127.0.0.1:0 >"$work/serve.log" 2>&1 &
pid=$!
addr=""
for _ in $(seq 100); do
	addr=$(sed -n 's|.* on \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$work/serve.log")
	[ -n "$addr" ] && break
	sleep 0.1
done
[ -n "$addr" ] || {
	cat "$work/serve.log" >&2
	exit 1
}
rss() { awk '/^VmRSS/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }
hwm() { awk '/^VmHWM/ { printf "%.1f MB", $2 / 1024 }' "/proc/$pid/status"; }

# A short warm-up of the files (not of the searches: that would fill the
# server's cache of answers), then the measured run.
wrk -t1 -c4 -d3s -s "$work/fiche.lua" "$addr" >/dev/null
rss_before=$(rss)

wrks=""
run() { # kind conns
	[ "$2" -gt 0 ] || return 0
	KB_CONNS=$2 wrk -t"$threads" -c"$2" -d"$duration" --timeout 2s -s "$work/$1.lua" "$addr" >"$work/$1.out" 2>&1 &
	wrks="$wrks $!"
}
echo "loadtest: $mode, $duration, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
if [ "$mode" = search ]; then
	echo "queries: $(wc -l <"$work/exact-all.txt") exact, $(wc -l <"$work/typo-all.txt") with typos"
	# One wrk thread: with two, each cycling from its own offset, a query
	# could come back while still in the cache.
	for k in page-exact page-typo api-exact api-typo page-one api-one; do
		KB_CONNS=${CONNS_SEARCH:-50} wrk -t1 -c"${CONNS_SEARCH:-50}" -d"$duration" --timeout 2s -s "$work/$k.lua" "$addr" 2>&1 | grep '^RESULT' | sed 's/^RESULT //'
	done
fi
run fiche "$conns_fiche"
run exact "$conns_exact"
run typo "$conns_typo"
run flood "$conns_flood"
for w in $wrks; do wait "$w" || true; done
for k in fiche exact typo flood; do
	[ -f "$work/$k.out" ] && grep '^RESULT' "$work/$k.out" | sed 's/^RESULT //'
done
echo "server RSS: before $rss_before, after $(rss), peak $(hwm)"
# The server still answers, and fast, once the load is gone.
curl -s -o /dev/null -w 'after the load: a fiche in %{time_total}s (%{http_code}), ' "$addr$(head -n1 "$work/fiches.txt")"
curl -s -o /dev/null -w 'a search in %{time_total}s (%{http_code})\n' "$addr/fr/search/?q=aide+medicale"
# The flood's own requests may be refused (503): that is the budget at
# work. Every other request must succeed.
for k in fiche exact typo; do
	if [ -f "$work/$k.out" ] && ! grep -q '^RESULT.* errors=0 ' "$work/$k.out"; then
		echo "loadtest: errors in $k requests" >&2
		exit 1
	fi
done
