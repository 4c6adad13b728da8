#!/usr/bin/env bash
# Instructions of one warm validation pass over the 719 official R4 examples (release build,
# callgrind): deterministic where wall-clock timing on a shared VM is not, so two builds can be
# compared exactly. It is the difference between `fhirgate-bench validate --repeat 2` and
# `--repeat 1` (loading and the cold pass cancel out). String hashing is made deterministic
# (SWIFT_DETERMINISTIC_HASHING=1), else the count moves by about 1% from run to run.
# Also writes every finding of the pass, one sorted line each, to bench-out/validate-findings.txt:
# compare it between builds (a speed change must leave it byte-identical).
#
# Environment: FHIRGATE_BENCH_BIN (a release fhirgate-bench to use instead of building one),
# FHIRGATE_SHARED (shared corpora). Needs valgrind (apt-get install valgrind); about 3 minutes.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

SHARED="${FHIRGATE_SHARED:-$FG_ROOT/../shared}"
EXAMPLES="$SHARED/corpora/examples-r4-json"
OUT="$FG_ROOT/bench-out"
[[ -d "$EXAMPLES" ]] || fg_die "the R4 examples are missing: expected $EXAMPLES (set FHIRGATE_SHARED)"
command -v valgrind >/dev/null || fg_die "valgrind is missing (apt-get install valgrind)"
command -v objcopy >/dev/null || fg_die "objcopy is missing (apt-get install binutils)"

if [[ -n "${FHIRGATE_BENCH_BIN:-}" ]]; then
    BENCH="$FHIRGATE_BENCH_BIN"
else
    bash scripts/setup.sh </dev/null
    fg_ensure_swift
    fg_log "building fhirgate-bench (release)"
    fg_swift build -c release --product fhirgate-bench
    BENCH="$(fg_swift build -c release --show-bin-path)/fhirgate-bench"
fi
mkdir -p "$OUT"
work="$(mktemp -d "${TMPDIR:-/tmp}/fhirgate-instructions.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# valgrind cannot read this toolchain's DWARF: a copy without debug information (symbols kept).
objcopy --strip-debug "$BENCH" "$work/bench"

count=()
for repeat in 1 2; do
    fg_log "callgrind: validate --repeat $repeat"
    SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$repeat" \
        "$work/bench" validate --repeat "$repeat" --dump "$work/findings.$repeat" "$EXAMPLES" \
        >/dev/null 2>"$work/valgrind.$repeat" || {
        tail -n 20 "$work/valgrind.$repeat" >&2
        fg_die "valgrind failed"
    }
    count+=("$(awk '/^summary:/ { print $2; exit }' "$work/callgrind.$repeat")")
done
cp "$work/findings.2" "$OUT/validate-findings.txt"
pass=$((count[1] - count[0]))
echo "instructions per warm pass: $pass ($(awk -v n="$pass" 'BEGIN { printf "%.3f", n / 1e9 }') G)"
echo "findings of the pass: $(wc -l <"$OUT/validate-findings.txt") lines in bench-out/validate-findings.txt"
