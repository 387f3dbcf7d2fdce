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
for t in "${targets[@]}"; do
  read -r pkg name <<<"$t"
  echo "== $name ($pkg, $time)"
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -fuzzminimizetime=2s -parallel=1 "$pkg"
done
