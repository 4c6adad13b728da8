#!/usr/bin/env bash
# Set up, build (debug, with tests) and run the whole test suite, then print a short summary.
# Exits non-zero when the set-up, the build or any test fails, when no test ran, or when the test
# run outlives $FHIRGATE_TEST_TIMEOUT seconds (default 2400; the hung tests are named).
# Works unattended (CI=true, no stdin). Extra arguments go to `swift test` (e.g. --filter FHIRJSONTests).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

TEST_TIMEOUT="${FHIRGATE_TEST_TIMEOUT:-2400}"

started="$(fg_now)"
bash scripts/setup.sh </dev/null
fg_ensure_swift

# The reference EHR (sekmet-fhir in .venv-ehr/) for the integration tests: installed while the
# checks and the build run (instant when present), awaited before the tests start.
mkdir -p "$FG_BUILD_DIR"
ehr_log="$FG_BUILD_DIR/fhirgate-ehr-install.log"
bash scripts/ehr.sh install </dev/null >"$ehr_log" 2>&1 &
ehr_install_pid=$!

fg_log "checking the layer rule and the formatting"
"$(fg_python)" scripts/check-layers.py </dev/null
bash scripts/check-format.sh </dev/null

fg_log "building (debug, with tests)"
fg_swift build --build-tests </dev/null
if ! wait "$ehr_install_pid"; then
    cat "$ehr_log" >&2
    fg_die "installing the reference EHR failed (bash scripts/ehr.sh install)"
fi
cat "$ehr_log" >&2
built="$(fg_now)"

mkdir -p "$FG_BUILD_DIR"
log="$FG_BUILD_DIR/fhirgate-test.log"
timeout_mark="$FG_BUILD_DIR/fhirgate-test.timeout"
rm -f "$timeout_mark"

# Every process below `pid` (swift test starts the test bundle and tests start helpers, each in a
# process group of its own, so killing the group of `swift test` alone would leave them running).
descendants() {
    local pid="$1" child children
    if [[ -r "/proc/$pid/task/$pid/children" ]]; then
        # Per thread: a child started by any thread of the process is listed under that thread.
        children="$(cat "/proc/$pid/task/"*/children 2>/dev/null || true)"
    else
        children="$(pgrep -P "$pid" 2>/dev/null || true)"
    fi
    for child in $children; do
        descendants "$child"
        echo "$child"
    done
}

kill_tree() {
    local pid="$1" pids
    pids="$(descendants "$pid") $pid"
    # shellcheck disable=SC2086  # a list of pids
    kill -TERM $pids 2>/dev/null || true
    sleep 5
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
}

fg_log "running the test suite (full output also in $log; time limit ${TEST_TIMEOUT} s)"
: >"$log" # exists before `tail` opens it (the test process may not have created it yet)
fg_swift test "$@" </dev/null >"$log" 2>&1 &
test_pid=$!
tail -n +1 -f --pid="$test_pid" "$log" &
tail_pid=$!
# The watchdog keeps no stdio open (a CI runner may wait for every holder of its output to close),
# and stops its own sleep when it is stopped.
(
    trap 'kill "$sleep_pid" 2>/dev/null; exit 0' TERM
    sleep "$TEST_TIMEOUT" &
    sleep_pid=$!
    wait "$sleep_pid"
    if kill -0 "$test_pid" 2>/dev/null; then
        touch "$timeout_mark"
        kill_tree "$test_pid"
    fi
) </dev/null >/dev/null 2>&1 &
watchdog_pid=$!
set +e
wait "$test_pid"
rc=$?
set -e
if [[ -f "$timeout_mark" ]]; then
    wait "$watchdog_pid" 2>/dev/null || true # let it finish killing (TERM, then KILL)
else
    kill "$watchdog_pid" 2>/dev/null || true
fi
wait "$tail_pid" 2>/dev/null || true
finished="$(fg_now)"

# Swift Testing prints one line per finished test: "<symbol> Test name() passed|failed after ..."
# (parameterized: "... with N test cases passed after ...") or "<symbol> Test name() skipped";
# its closing line is "<symbol> Test run with N tests ...". XCTest prints "Executed N tests, with M failures".
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
# Conformance suites print "name: passed/total" (see Tests/ConformanceTests).
conformance="$(grep -E '^[A-Za-z][^:]{0,80}: [0-9]+/[0-9]+( passed| as expected| agree on .*| with no errors .*)?$' "$log" || true)"
if [[ -n "$conformance" ]]; then
    echo "conformance:"
    while IFS= read -r line; do echo "  $line"; done <<<"$conformance"
fi
if [[ -f "$timeout_mark" ]]; then
    echo "error: the test run was stopped after ${TEST_TIMEOUT} s; tests that had not finished:"
    # Names of tests with a "started" line and no passed/failed/skipped line.
    awk '
        /^[^ ]+ Test run / { next }
        /^[^ ]+ Test .* started\.$/ {
            name = $0; sub(/^[^ ]+ Test /, "", name); sub(/ started\.$/, "", name); open[name] = 1; next
        }
        /^[^ ]+ Test .* (passed after|failed after|skipped)/ {
            name = $0; sub(/^[^ ]+ Test /, "", name)
            sub(/ (with [0-9]+ test cases? )?(passed after|failed after|skipped).*$/, "", name)
            delete open[name]
        }
        END { n = 0; for (name in open) { print "  " name; n++ }
              if (n == 0) print "  (none named in the output; rerun with --filter to narrow it down)" }' "$log"
    rc=124
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
