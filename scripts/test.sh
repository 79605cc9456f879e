#!/usr/bin/env bash
# Sets everything up and runs every test: installs packages, builds, runs
# the lit suite (check-mc: FileCheck tests, importer tests, conformance,
# unit and Python tests). Ends with lit's summary and one closing line
# "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${MC_BUILD_DIR:-$root/build}"

bash "$root/scripts/setup.sh" || exit 1
bash "$root/scripts/build.sh" all mlir-doc || exit 1   # tools, unit tests, generated docs

out="$(mktemp)"
/usr/lib/llvm-22/bin/lit -sv --order=lexical "$build/test" 2>&1 | tee "$out"
status=${PIPESTATUS[0]}

# lit prints "  Passed: N" style counts; fold them into one closing line.
count() {
  local v
  v=$(grep -E "^ *$1 *: *[0-9]+" "$out" | sed -E 's/.*: *([0-9]+).*/\1/' | head -1)
  echo "${v:-0}"
}
passed=$(( $(count Passed) + $(count "Expectedly Failed") ))
failed=$(( $(count Failed) + $(count "Unexpectedly Passed") + $(count Unresolved) + $(count "Timed Out") ))
skipped=$(( $(count Unsupported) + $(count Skipped) + $(count Excluded) ))
rm -f "$out"
echo "lit: ${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
