#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZTIME, default 15s), one after another. A
# crasher fails the run and is kept by Go under the package's testdata/fuzz/<Target>/: commit
# it, fix the code, and `go test ./...` then runs it as a regression case. Minimising a new
# input is capped at 2s, so that the time goes to fuzzing (Go's default is a minute per input).
set -euo pipefail
cd "$(dirname "$0")/.."

time=${FUZZTIME:-15s}
targets=(
  "./internal/textcheck FuzzEscape"
  "./internal/api FuzzDecodeJSON"
  "./internal/assetio FuzzImportCSV"
  "./internal/assetio FuzzImportXLSX"
  "./internal/policy FuzzLoadFile"
  "./internal/server FuzzListFilters"
)
# inputs counts the failing inputs Go has written for a target.
inputs() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "== $name ($pkg, $time)"
  corpus="$pkg/testdata/fuzz/$name"
  before=$(inputs "$corpus")
  log=$(mktemp)
  if go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -fuzzminimizetime=2s -parallel=1 "$pkg" 2>&1 | tee "$log"; then
    rm -f "$log"
    continue
  fi
  # Go 1.26's fuzzing coordinator can report the end of -fuzztime itself as a failure, "context
  # deadline exceeded" with no failing input written (go.dev/issue/75804, fixed in Go 1.27). That
  # one case is run again once; a written input, or any other failure, fails the run.
  after=$(inputs "$corpus")
  if [ "$after" -eq "$before" ] && grep -q '^    context deadline exceeded$' "$log"; then
    rm -f "$log"
    echo "== $name: the coordinator's end-of-time race, no input written; once more"
    go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -fuzzminimizetime=2s -parallel=1 "$pkg"
    continue
  fi
  rm -f "$log"
  exit 1
done
