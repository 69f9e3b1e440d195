#!/usr/bin/env bash
# Runs every native Go fuzz target for a while: scripts/fuzz.sh [-t 10m] [-j 2] [PATTERN]
# Each package's test binary is built once (a snapshot of the tree), then every Fuzz* target runs
# in the package directory, so crashers land in its testdata/fuzz/<FuzzName>/ and run in the normal
# test from then on. Prints one line per target: package, target, time, executions, corpus size.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=10m jobs=2
while getopts t:j: o; do case $o in t) fuzztime=$OPTARG ;; j) jobs=$OPTARG ;; *) exit 2 ;; esac; done
shift $((OPTIND - 1))
pattern=${1:-.}
out=${FUZZ_OUT:-$(mktemp -d /tmp/cdaudit-fuzz.XXXXXX)}
mkdir -p "$out/bin"
targets=()
for f in $(git ls-files '*_test.go' | xargs grep -l '^func Fuzz' | grep -E "$pattern"); do
  pkg=$(dirname "$f")
  bin="$out/bin/$(echo "$pkg" | tr / _).test"
  first=$(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$f" | head -1 | cut -d' ' -f2)
  # -fuzz at build time instruments the binary for coverage guidance.
  [ -x "$bin" ] || go test -c -fuzz "^$first\$" -o "$bin" "./$pkg"
  for name in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$f" | cut -d' ' -f2); do
    targets+=("$pkg $name $bin")
  done
done
echo "fuzzing ${#targets[@]} targets for $fuzztime each, $jobs at a time; logs in $out"
run() {
  local pkg=$1 name=$2 bin=$3 log="$out/$(echo "$1" | tr / _).$2.log"
  (cd "$pkg" && nice -n 10 "$bin" -test.run '^$' -test.fuzz "^$name\$" -test.fuzztime "$fuzztime" \
      -test.parallel 1 -test.fuzzcachedir "$out/cache/$pkg" >"$log" 2>&1) && st=ok || st=FAIL
  last=$(grep -E '^fuzz: elapsed' "$log" | tail -1)
  corpus=$(grep -oE 'total: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  printf '%-4s %-30s %-24s %s | corpus %s\n' "$st" "$pkg" "$name" "${last#fuzz: }" "${corpus:-?}"
}
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  run $t &
done
wait
