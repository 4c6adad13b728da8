#!/usr/bin/env bash
# Parse + serialize throughput benchmark: fhirgate (JSON and XML, to and from the lossless tree)
# against Python's orjson (raw JSON, no model) and fhir.resources 6.4.0 (pydantic R4 model),
# on the 719 official R4 examples and on a generated 50 MB+ collection Bundle.
# Writes bench-out/results.md (and the raw JSON lines beside it).
#
# Environment: BENCH_REPEAT (passes over the examples, default 5), BENCH_BIG_REPEAT (passes over
# the big Bundle, default 3), BENCH_FHIR_RESOURCES_REPEAT (passes for fhir.resources, default 1),
# BENCH_BIG_MB (size of the generated Bundle, default 50), FHIRGATE_SHARED (shared corpora).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

REPEAT="${BENCH_REPEAT:-5}"
BIG_REPEAT="${BENCH_BIG_REPEAT:-3}"
FR_REPEAT="${BENCH_FHIR_RESOURCES_REPEAT:-1}"
BIG_MB="${BENCH_BIG_MB:-50}"
SHARED="${FHIRGATE_SHARED:-$FG_ROOT/../shared}"
EXAMPLES="$SHARED/corpora/examples-r4-json"
OUT="$FG_ROOT/bench-out"
VENV="$FG_ROOT/.venv-bench"
PY_REQUIREMENTS=(orjson 'fhir.resources==6.4.0' 'pydantic>=1.10,<2')

[[ -d "$EXAMPLES" ]] || fg_die "the R4 examples are missing: expected $EXAMPLES (set FHIRGATE_SHARED)"

bash scripts/setup.sh </dev/null
fg_ensure_swift
mkdir -p "$OUT"

fg_log "building fhirgate-bench (release)"
fg_swift build -c release --product fhirgate-bench
BENCH="$(fg_swift build -c release --show-bin-path)/fhirgate-bench"

if ! "$VENV/bin/python" -c 'import orjson, fhir.resources, pydantic; assert pydantic.VERSION.startswith("1.")' \
    >/dev/null 2>&1; then
    fg_log "creating the Python venv $VENV (orjson, fhir.resources 6.4.0)"
    "$(fg_python)" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input "${PY_REQUIREMENTS[@]}"
fi
"$VENV/bin/python" -c 'import orjson, fhir.resources, pydantic
print("python: orjson %s, fhir.resources %s, pydantic %s" % (orjson.__version__, fhir.resources.__version__, pydantic.VERSION))'

BIG="$OUT/big-bundle.json"
if [[ ! -f "$BIG" ]] || [[ "$(stat -c %s "$BIG")" -lt $((BIG_MB * 1000000)) ]]; then
    fg_log "generating the big Bundle ($BIG_MB MB+)"
    "$VENV/bin/python" scripts/make_big_bundle.py "$EXAMPLES" "$BIG" --min-mb "$BIG_MB"
fi

RESULTS=()
run_step() { # name, output file, command...
    local name="$1" file="$2"
    shift 2
    fg_log "$name"
    "$@" >"$file"
    RESULTS+=("$file")
}

run_step "fhirgate on the examples ($REPEAT passes)" "$OUT/fhirgate-examples.jsonl" \
    "$BENCH" --format json --repeat "$REPEAT" --dataset examples-719 "$EXAMPLES"
run_step "fhirgate on the big Bundle ($BIG_REPEAT passes)" "$OUT/fhirgate-big.jsonl" \
    "$BENCH" --format json --repeat "$BIG_REPEAT" --dataset big-bundle "$BIG"
run_step "orjson on the examples" "$OUT/orjson-examples.jsonl" \
    "$VENV/bin/python" scripts/bench_python.py --lib orjson --dataset examples-719 --repeat "$REPEAT" "$EXAMPLES"
run_step "orjson on the big Bundle" "$OUT/orjson-big.jsonl" \
    "$VENV/bin/python" scripts/bench_python.py --lib orjson --dataset big-bundle --repeat "$BIG_REPEAT" "$BIG"
run_step "fhir.resources on the examples" "$OUT/fhir-resources-examples.jsonl" \
    "$VENV/bin/python" scripts/bench_python.py --lib fhir.resources --dataset examples-719 --repeat "$FR_REPEAT" \
    "$EXAMPLES"
run_step "fhir.resources on the big Bundle" "$OUT/fhir-resources-big.jsonl" \
    "$VENV/bin/python" scripts/bench_python.py --lib fhir.resources --dataset big-bundle --repeat "$FR_REPEAT" "$BIG"

"$VENV/bin/python" -c 'import fhirpathpy' 2>/dev/null \
    || "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-input fhirpathpy==2.2.4
fg_log "FHIRPath: fhirgate vs fhirpathpy on the same expressions and nodes"
"$VENV/bin/python" scripts/bench_fhirpath.py --bench "$BENCH" --min-seconds 1 --out "$OUT/fhirpath.md" \
    --jsonl "$OUT/fhirpath.jsonl" "$EXAMPLES"

"$VENV/bin/python" scripts/bench_report.py "$OUT/results.md" "${RESULTS[@]}"
fg_log "results written to $OUT/results.md and $OUT/fhirpath.md"

fg_log "validation: fhirgate vs fhirkit-rs, cold start, Bundle scaling (scripts/bench_validate.sh)"
bash scripts/bench_validate.sh

fg_log "clinic pipeline: generate, read, translate, validate at two sizes (scripts/bench_clinic.sh)"
bash scripts/bench_clinic.sh

fg_log "push to the reference EHR: fhirgate vs a Python httpx loader (scripts/bench_push.sh)"
bash scripts/bench_push.sh
