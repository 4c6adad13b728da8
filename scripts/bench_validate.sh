#!/usr/bin/env bash
# Validation benchmark (release build), in one run:
#   1. fhirgate-bench validate on the 719 official R4 examples (full validation: structure,
#      bindings, invariants), one thread and every core: resources/s and peak RSS;
#   2. fhirkit-rs 0.1.0 (PyPI wheel: Rust, structure checks only) on the same files;
#   3. cold start: wall time and peak RSS of `fhirgate validate SMALL.json` (and of `fhirkit
#      validate` for comparison) under /usr/bin/time, median of COLD_RUNS runs;
#   4. generated Bundles of 10k and 100k entries with internal references (time should grow
#      linearly).
# Writes bench-out/validate.md (and the raw JSON lines beside it).
#
# Environment: BENCH_REPEAT (passes over the examples, default 3), COLD_RUNS (default 5),
# BENCH_BUNDLES (entry counts, default "10000 100000"), FHIRGATE_SHARED (shared corpora).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

REPEAT="${BENCH_REPEAT:-3}"
COLD_RUNS="${COLD_RUNS:-5}"
BUNDLES="${BENCH_BUNDLES:-10000 100000}"
SHARED="${FHIRGATE_SHARED:-$FG_ROOT/../shared}"
EXAMPLES="$SHARED/corpora/examples-r4-json"
SMALL="$EXAMPLES/Patient-example.json"
OUT="$FG_ROOT/bench-out"
VENV="$FG_ROOT/.venv-bench-validate"
FHIRKIT_SPEC='fhirkit-rs==0.1.0'

[[ -d "$EXAMPLES" ]] || fg_die "the R4 examples are missing: expected $EXAMPLES (set FHIRGATE_SHARED)"
[[ -x /usr/bin/time ]] || fg_die "/usr/bin/time is missing (apt-get install time)"

bash scripts/setup.sh </dev/null
fg_ensure_swift
mkdir -p "$OUT"

fg_log "building fhirgate and fhirgate-bench (release)"
fg_swift build -c release --product fhirgate
fg_swift build -c release --product fhirgate-bench
BIN="$(fg_swift build -c release --show-bin-path)"

if ! "$VENV/bin/python" -c 'import fhirkit; assert fhirkit.__version__ == "0.1.0"' >/dev/null 2>&1; then
    fg_log "creating the Python venv $VENV ($FHIRKIT_SPEC)"
    "$(fg_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "$FHIRKIT_SPEC"
fi

CORES="$(nproc 2>/dev/null || echo 1)"
RESULTS=()
run_step() { # name, output file, command...
    local name="$1" file="$2"
    shift 2
    fg_log "$name"
    "$@" >"$file"
    RESULTS+=("$file")
}

run_step "fhirgate on the examples, 1 thread ($REPEAT passes)" "$OUT/validate-fhirgate-1.jsonl" \
    "$BIN/fhirgate-bench" validate --format json --repeat "$REPEAT" --threads 1 --dataset examples-719 "$EXAMPLES"
if [[ "$CORES" -gt 1 ]]; then
    run_step "fhirgate on the examples, $CORES threads" "$OUT/validate-fhirgate-n.jsonl" \
        "$BIN/fhirgate-bench" validate --format json --repeat "$REPEAT" --threads "$CORES" --dataset examples-719 \
        "$EXAMPLES"
fi
run_step "fhirkit-rs on the examples" "$OUT/validate-fhirkit.jsonl" \
    "$VENV/bin/python" scripts/bench_validate_fhirkit.py --dataset examples-719 --repeat "$REPEAT" "$EXAMPLES"

# Cold start: one line {"tool", "op": "cold-start", "seconds": median wall, "peak_rss_mb": median}.
cold_start() { # tool, command...
    local tool="$1" times="$OUT/cold-$1.txt" i
    shift
    : >"$times"
    for ((i = 0; i < COLD_RUNS; i++)); do
        /usr/bin/time -f '%e %M' -a -o "$times" "$@" >/dev/null 2>&1 || true
    done
    "$VENV/bin/python" - "$tool" "$times" "$COLD_RUNS" <<'PY'
import json, statistics, sys
tool, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [line.split() for line in open(path) if line.strip() and line.split()[0].replace(".", "").isdigit()]
wall = statistics.median(float(r[0]) for r in rows)
rss = statistics.median(float(r[1]) / 1024 for r in rows)
print(json.dumps({"tool": tool, "dataset": "Patient-example.json", "op": "cold-start", "files": 1, "bytes": 0,
                  "resources": 1, "seconds": wall, "mb_per_s": 0, "resources_per_s": 1 / wall if wall else 0,
                  "peak_rss_mb": rss, "failures": 0, "repeat": runs}))
PY
}
fg_log "cold start: fhirgate validate $(basename "$SMALL") ($COLD_RUNS runs)"
"$BIN/fhirgate" validate "$SMALL" >/dev/null 2>&1 || true # fills the model cache once
cold_start fhirgate "$BIN/fhirgate" validate "$SMALL" >"$OUT/validate-cold.jsonl"
cold_start fhirkit-rs "$VENV/bin/fhirkit" validate "$SMALL" >>"$OUT/validate-cold.jsonl"
RESULTS+=("$OUT/validate-cold.jsonl")

BUNDLE_ARGS=()
for n in $BUNDLES; do BUNDLE_ARGS+=(--bundle-entries "$n"); done
run_step "fhirgate on generated Bundles ($BUNDLES entries)" "$OUT/validate-bundles.jsonl" \
    "$BIN/fhirgate-bench" validate --format json --repeat "$REPEAT" "${BUNDLE_ARGS[@]}"

"$VENV/bin/python" scripts/bench_validate_report.py "$OUT/validate.md" "${RESULTS[@]}"
fg_log "results written to $OUT/validate.md"
