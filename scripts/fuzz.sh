#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZTIME, default 15s), one after another. A
# crasher fails the run and is kept by Go under the package's testdata/fuzz/<Target>/: commit
# it, fix the code, and `go test ./...` then runs it as a regression case.
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
  go test -run='^$' -fuzz="^${name}\$" -fuzztime="$time" -parallel=1 "$pkg"
done
