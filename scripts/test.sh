#!/usr/bin/env bash
# Set up, build (debug, with tests) and run the whole test suite, then print a short summary.
# Exits non-zero when the set-up, the build or any test fails, or when no test ran.
# Works unattended (CI=true, no stdin). Extra arguments go to `swift test` (e.g. --filter FHIRJSONTests).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

started="$(fg_now)"
bash scripts/setup.sh </dev/null
fg_ensure_swift

fg_log "building (debug, with tests)"
fg_swift build --build-tests </dev/null
built="$(fg_now)"

mkdir -p "$FG_BUILD_DIR"
log="$FG_BUILD_DIR/fhirgate-test.log"
fg_log "running the test suite (full output also in $log)"
set +e
fg_swift test "$@" </dev/null 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
finished="$(fg_now)"

# Swift Testing prints one line per finished test: "<symbol> Test name() passed|failed after ..." or
# "<symbol> Test name() skipped"; its closing line is "<symbol> Test run with N tests ...".
# XCTest prints "Executed N tests, with M failures ...".
read -r passed failed skipped < <(awk '
    / Test run with / { next }
    /^[^ ]+ Test .* passed after / { p++ }
    /^[^ ]+ Test .* failed after / { f++ }
    /^[^ ]+ Test .* skipped/ { s++ }
    END { printf "%d %d %d\n", p, f, s }' "$log")
xc_line="$(grep -E 'Executed [0-9]+ tests?, with [0-9]+ failures?' "$log" | tail -n 1 || true)"
if [[ -n "$xc_line" ]]; then
    xc_total="$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$xc_line")"
    xc_failed="$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$xc_line")"
    passed=$((passed + xc_total - xc_failed))
    failed=$((failed + xc_failed))
fi

echo
echo "---- FHIRGate test summary ----"
echo "set-up + build: $((built - started)) s, tests: $((finished - built)) s"
# Conformance suites print "name: passed/total passed" (see Tests/ConformanceTests).
conformance="$(grep -E '^[A-Za-z][^:]{0,80}: [0-9]+/[0-9]+ passed' "$log" || true)"
if [[ -n "$conformance" ]]; then
    echo "conformance:"
    while IFS= read -r line; do echo "  $line"; done <<<"$conformance"
fi
if [[ $rc -ne 0 ]]; then
    echo "swift test exited with status $rc"
    grep -E '^[^ ]+ Test .* (failed after|recorded an issue)' "$log" | head -n 40 || true
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"

if [[ $rc -ne 0 ]]; then
    exit "$rc"
fi
if [[ $failed -ne 0 ]]; then
    exit 1
fi
if [[ $passed -eq 0 ]]; then
    echo "error: no test ran" >&2
    exit 1
fi
