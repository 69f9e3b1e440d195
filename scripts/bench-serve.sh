#!/usr/bin/env bash
# bench-serve.sh — `cdaudit serve` under load (owner: metrics).
#
# Builds a realistic history store: six synthetic repositories (see
# collectors/git/internal/synth; 5,000 commits each, different seeds), each
# audited weekly, AUDITS times, by the real `cdaudit audit`, so the
# HTML report on / has six targets with their trends. Then, RUNS times, it
# starts a fresh `cdaudit serve` on a loopback port and loads it with wrk:
#
#   200 connections on /  (no compression)          for DURATION
#   200 connections on /  (Accept-Encoding: gzip)   for DURATION
#   16 connections on /metrics                      for DURATION
#
# and prints, per run and as medians, the requests per second, the non-2xx
# answers and the server's peak RSS (VmHWM of /proc/PID/status).
#
# usage: scripts/bench-serve.sh [-n RUNS] [-d DURATION] [-a AUDITS] [-k] [STORE]
#   -n RUNS      runs (default 3)
#   -d DURATION  wrk duration of each load (default 10s)
#   -a AUDITS    audits per target in a new store (default 60)
#   -k           keep the generated store (its path is printed)
#   STORE        reuse this store (built there first if it does not exist)
# Needs wrk (apt-get install wrk) and git.
set -euo pipefail

RUNS=3
DURATION=10s
AUDITS=60
KEEP=0
while getopts "n:d:a:k" opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	d) DURATION=$OPTARG ;;
	a) AUDITS=$OPTARG ;;
	k) KEEP=1 ;;
	*) sed -n '2,22p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
command -v wrk >/dev/null || { echo "bench-serve: wrk is not installed" >&2; exit 2; }

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-serve.XXXXXX")
STORE=${1:-$WORK/history.db}
SERVER=""
cleanup() {
	if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; fi
	if [ "$STORE" = "$WORK/history.db" ] && [ "$KEEP" = 1 ]; then
		find "$WORK" -mindepth 1 -maxdepth 1 ! -name 'history.db*' -exec rm -rf {} +
		echo "kept $STORE"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

echo "== building the tools"
mkdir -p "$WORK/bin"
(cd "$ROOT" && go build -o "$WORK/bin/benchgen" ./collectors/git/internal/benchgen &&
	go build -o "$WORK/bin/cdaudit" ./cmd/cdaudit)
CDAUDIT=$WORK/bin/cdaudit

if [ ! -e "$STORE" ]; then
	echo "== building the store: 6 targets × $AUDITS audits"
	for i in 1 2 3 4 5 6; do
		repo=$WORK/repos/app$i
		git init -q -b main "$repo"
		"$WORK/bin/benchgen" -commits 5000 -files 500 -seed "$i" 2>/dev/null | git -C "$repo" fast-import --quiet
		git -C "$repo" for-each-ref --format='delete %(refname)' refs/tmp/ | git -C "$repo" update-ref --stdin
		git -C "$repo" reset -q --hard main
		last=$(git -C "$repo" log -1 --format=%ct main)
		for k in $(seq $((AUDITS - 1)) -1 0); do
			until=$(date -u -d "@$((last + 86400 - k * 7 * 86400))" +%F)
			"$CDAUDIT" audit "$repo" --until "$until" --store "$STORE" --quiet --format json >/dev/null
		done
	done
fi

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$port

# rate FILE — requests/s of a wrk output; non2xx FILE — its non-2xx count.
rate() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p50() { awk '$1 == "50%" {print $2}' "$1"; }
non2xx() { awk '/Non-2xx or 3xx responses:/ {n=$NF} /Socket errors:/ {e=$0} END {print n+0 (e ? " (" e ")" : "")}' "$1"; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}'; }

for run in $(seq 1 "$RUNS"); do
	"$CDAUDIT" serve --store "$STORE" --listen "127.0.0.1:$port" --quiet &
	SERVER=$!
	for _ in $(seq 100); do curl -fsS "$URL/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
	if [ "$run" = 1 ]; then
		size=$(curl -fsS "$URL/" | wc -c)
		gz=$(curl -fsS -H 'Accept-Encoding: gzip' "$URL/" | wc -c)
		echo "== the report on /: $size bytes ($gz gzipped); $(curl -fsS "$URL/metrics" | wc -c) bytes of metrics"
	fi
	wrk --latency -t2 -c200 -d"$DURATION" --timeout 10s "$URL/" >"$WORK/plain.$run"
	wrk -t2 -c200 -d"$DURATION" --timeout 10s -H 'Accept-Encoding: gzip' "$URL/" >"$WORK/gzip.$run"
	wrk -t2 -c16 -d"$DURATION" --timeout 10s "$URL/metrics" >"$WORK/metrics.$run"
	hwm=$(awk '/^VmHWM:/ {print int($2/1024)}' "/proc/$SERVER/status")
	kill "$SERVER"
	wait "$SERVER" 2>/dev/null || true
	SERVER=""
	echo "$hwm" >>"$WORK/hwm"
	rate "$WORK/plain.$run" >>"$WORK/plain"
	rate "$WORK/gzip.$run" >>"$WORK/gzip"
	rate "$WORK/metrics.$run" >>"$WORK/metrics"
	printf "run %d: / %8.1f req/s (p50 %s, non-2xx %s)  / gzip %8.1f req/s (non-2xx %s)  /metrics ×16 %8.1f req/s (non-2xx %s)  peak RSS %d MB\n" \
		"$run" "$(rate "$WORK/plain.$run")" "$(p50 "$WORK/plain.$run")" "$(non2xx "$WORK/plain.$run")" \
		"$(rate "$WORK/gzip.$run")" "$(non2xx "$WORK/gzip.$run")" \
		"$(rate "$WORK/metrics.$run")" "$(non2xx "$WORK/metrics.$run")" "$hwm"
done
echo "== medians of $RUNS runs ($DURATION each):" \
	"/ $(median <"$WORK/plain") req/s, / gzip $(median <"$WORK/gzip") req/s," \
	"/metrics ×16 $(median <"$WORK/metrics") req/s, peak RSS $(median <"$WORK/hwm") MB (max $(sort -n "$WORK/hwm" | tail -1) MB)"
