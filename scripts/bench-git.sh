#!/usr/bin/env bash
# bench-git.sh — benchmark of the local git collector (collectors/git).
#
# Builds a large synthetic repository with `git fast-import` (50,000 commits,
# thousands of branches and tags, merges, 26 authors; see
# collectors/git/internal/synth), or reuses the one given, then compares, run
# after run (interleaved, so that both see the same machine load):
#
#   git log --all --format='%H %P %an %ae %at %ct'          (the reference)
#   the collector on the whole history (1970-01-01 → now)
#   the collector on the last 90 days of the history
#   the same on a copy of the repository with no branch refs but the trunk
#     (what the window itself costs: deciding which of thousands of branch
#     heads are merged needs a walk back to the oldest, as in git)
#   cdaudit audit REPO --since 1970-01-01 --format json      (when cmd/cdaudit builds;
#     its history store is a temporary file: CDAUDIT_STORE)
#   cdaudit backfill REPO --every 1w --since 1y               (53 weekly audits of the
#     year before the last commit, into a fresh store each run)
#
# for the repository without and with a commit-graph file, and prints the
# median wall time, the ratio to git log and the peak RSS (/usr/bin/time -v).
#
# usage: scripts/bench-git.sh [-n RUNS] [-c COMMITS] [-k] [REPO]
#   -n RUNS     runs per measurement (default 5)
#   -c COMMITS  commits of the synthetic repository (default 50000)
#   -k          keep the generated repository (its path is printed)
#   REPO        reuse this repository (built there first if it does not exist)
set -euo pipefail

RUNS=5
COMMITS=50000
KEEP=0
while getopts "n:c:k" opt; do
	case $opt in
	n) RUNS=$OPTARG ;;
	c) COMMITS=$OPTARG ;;
	k) KEEP=1 ;;
	*) sed -n '2,24p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-git.XXXXXX")
REPO=${1:-$WORK/repo}
cleanup() {
	if [ "$REPO" = "$WORK/repo" ] && [ "$KEEP" = 1 ]; then
		find "$WORK" -mindepth 1 -maxdepth 1 ! -name repo -exec rm -rf {} +
		echo "kept $REPO"
	else
		rm -rf "$WORK"
	fi
}
trap 'cleanup' EXIT

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
# cdaudit keeps its audit history in a throw-away store, not the user's.
export CDAUDIT_STORE="$WORK/history.db"

echo "== building the tools"
mkdir -p "$WORK/bin"
(cd "$ROOT" && go build -o "$WORK/bin/benchgen" ./collectors/git/internal/benchgen &&
	go build -o "$WORK/bin/benchrun" ./collectors/git/internal/benchrun)
CDAUDIT=""
if [ -d "$ROOT/cmd/cdaudit" ] && (cd "$ROOT" && go build -o "$WORK/bin/cdaudit" ./cmd/cdaudit 2>/dev/null); then
	CDAUDIT="$WORK/bin/cdaudit"
else
	echo "(cmd/cdaudit does not build yet: skipping the end-to-end run)"
fi

if [ ! -e "$REPO/HEAD" ] && [ ! -e "$REPO/.git" ]; then
	echo "== generating $COMMITS commits into $REPO"
	git init -q -b main "$REPO"
	"$WORK/bin/benchgen" -commits "$COMMITS" | git -C "$REPO" fast-import --quiet --active-branches=64
	git -C "$REPO" for-each-ref --format='delete %(refname)' refs/tmp/ | git -C "$REPO" update-ref --stdin
	# What `git gc` leaves (and a clone has): one pack, packed references.
	git -C "$REPO" repack -adfq
	git -C "$REPO" pack-refs --all
	git -C "$REPO" reset -q --hard main
fi
GITDIR=$(git -C "$REPO" rev-parse --absolute-git-dir)
echo "== repository: $(git -C "$REPO" rev-list --all --count) commits," \
	"$(git -C "$REPO" for-each-ref | wc -l) refs" \
	"($(git -C "$REPO" for-each-ref refs/heads refs/remotes | wc -l) branches," \
	"$(git -C "$REPO" for-each-ref refs/tags | wc -l) tags)," \
	"$(du -sh "$GITDIR/objects" | cut -f1) of objects"
LAST=$(git -C "$REPO" log -1 --format=%ct main)
# A copy with the trunk and the tags only.
TRUNK=$WORK/trunk-only
rm -rf "$TRUNK"
cp -a "$GITDIR" "$TRUNK"
git -C "$TRUNK" config core.bare true
git -C "$TRUNK" for-each-ref --format='delete %(refname)' refs/heads refs/remotes |
	grep -v ' refs/heads/main$' | git -C "$TRUNK" update-ref --stdin
git -C "$TRUNK" repack -adq
UNTIL=$(date -u -d "@$((LAST + 86400))" +%F)

# measure NAME CMD... — one run; appends "wall rss" to $WORK/NAME.time.
measure() {
	local name=$1
	shift
	/usr/bin/time -v -o "$WORK/last.time" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
		echo "$name failed:"
		cat "$WORK/$name.err"
		exit 1
	}
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$WORK/last.time")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/last.time")
	echo "$wall $rss" >>"$WORK/$name.time"
}

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

report() {
	local name=$1 label=$2 ref=$3
	local w r
	w=$(cut -d' ' -f1 "$WORK/$name.time" | median)
	r=$(cut -d' ' -f2 "$WORK/$name.time" | sort -n | tail -1)
	if [ -n "$ref" ]; then
		printf "  %-44s %7.3f s  %5.2f× git log  peak RSS %4d MB\n" "$label" "$w" "$(echo "$w / $ref" | bc -l)" $((r / 1024))
	else
		printf "  %-44s %7.3f s           peak RSS %4d MB\n" "$label" "$w" $((r / 1024))
	fi
}

for variant in "no commit-graph" "commit-graph"; do
	for g in "$GITDIR" "$TRUNK"; do
		rm -rf "$g/objects/info/commit-graph" "$g/objects/info/commit-graphs"
		if [ "$variant" = "commit-graph" ]; then
			git -C "$g" commit-graph write --reachable
		fi
	done
	rm -f "$WORK"/*.time
	# Warm the page cache, then interleave the runs.
	git -C "$REPO" log --all --format='%H %P %an %ae %at %ct' >/dev/null
	"$WORK/bin/benchrun" "$REPO" >/dev/null
	for _ in $(seq "$RUNS"); do
		measure gitlog git -C "$REPO" log --all --format='%H %P %an %ae %at %ct'
		measure whole "$WORK/bin/benchrun" -since 1970-01-01 "$REPO"
		measure days90 "$WORK/bin/benchrun" -until "$UNTIL" -days 90 "$REPO"
		measure trunk90 "$WORK/bin/benchrun" -until "$UNTIL" -days 90 "$TRUNK"
		measure trunkall "$WORK/bin/benchrun" -since 1970-01-01 "$TRUNK"
		if [ -n "$CDAUDIT" ]; then
			measure cdaudit "$CDAUDIT" audit "$REPO" --since 1970-01-01 --format json
			rm -f "$WORK/backfill.db"
			measure backfill "$CDAUDIT" backfill "$REPO" --every 1w --since 1y --until "$UNTIL" --store "$WORK/backfill.db"
		fi
	done
	ref=$(cut -d' ' -f1 "$WORK/gitlog.time" | median)
	echo "== $variant: medians of $RUNS runs"
	report gitlog "git log --all --format='%H %P %an %ae %at %ct'" ""
	report whole "collector, whole history" "$ref"
	report days90 "collector, 90 days ending $UNTIL" "$ref"
	report trunkall "  trunk and tags only: whole history" "$ref"
	report trunk90 "  trunk and tags only: 90 days" "$ref"
	if [ -n "$CDAUDIT" ]; then
		report cdaudit "cdaudit audit --since 1970-01-01 --format json" "$ref"
		report backfill "cdaudit backfill --every 1w --since 1y" "$ref"
		echo "  backfill / whole audit: $(echo "$(cut -d' ' -f1 "$WORK/backfill.time" | median) / $(cut -d' ' -f1 "$WORK/cdaudit.time" | median)" | bc -l | cut -c1-4)×"
	fi
	echo "  collector found: $(cat "$WORK/whole.out")"
	echo "  90-day window:   $(cat "$WORK/days90.out")"
	echo "  trunk only, 90:  $(cat "$WORK/trunk90.out")"
done
