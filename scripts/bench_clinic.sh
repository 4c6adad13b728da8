#!/usr/bin/env bash
# Clinic pipeline benchmark (release build, issue 5): synthetic patients' clinic records are
# generated, written as NDJSON, read back strictly, translated to FHIR R4 and every resource
# validated (R4 core + Profiles/ + US Core 3.1.0 when ../shared has it), one patient at a time.
# Runs two sizes so that peak memory can be compared (it must stay flat as N grows).
# Writes bench-out/clinic.md (and the raw JSON lines beside it).
#
# Environment: BENCH_CLINIC_SIZES (patients per run, default "1000 10000"), BENCH_CLINIC_SEED
# (default 1), FHIRGATE_SHARED (shared corpora).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

SIZES="${BENCH_CLINIC_SIZES:-1000 10000}"
SEED="${BENCH_CLINIC_SEED:-1}"
SHARED="${FHIRGATE_SHARED:-$FG_ROOT/../shared}"
US_CORE="$SHARED/packages/hl7.fhir.us.core#3.1.0/package"
OUT="$FG_ROOT/bench-out"

bash scripts/setup.sh </dev/null
fg_ensure_swift
mkdir -p "$OUT"

fg_log "building fhirgate-bench (release)"
fg_swift build -c release --product fhirgate-bench
BENCH="$(fg_swift build -c release --show-bin-path)/fhirgate-bench"

DEFS=()
if [[ -d "$US_CORE" ]]; then DEFS=(--definitions "$US_CORE"); else fg_log "US Core 3.1.0 not found at $US_CORE: validating without it"; fi

LINES="$OUT/clinic.jsonl"
: >"$LINES"
for n in $SIZES; do
    fg_log "clinic pipeline: $n patients"
    "$BENCH" clinic --patients "$n" --seed "$SEED" --profiles Profiles "${DEFS[@]}" --format json >>"$LINES"
done

{
    echo "# Clinic pipeline benchmark"
    echo
    echo "$(uname -n), $(uname -m), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC; release build; one thread."
    echo "Per patient: generate records, write NDJSON, strict read, batch checks, translate, validate every resource."
    echo
    echo "| patients | records | resources | seconds | records/s | resources/s | peak RSS MB | validation errors | withheld |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    "$(fg_python)" - "$LINES" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"| {r['patients']} | {r['records']} | {r['resources']} | {r['seconds']} | {r['records_per_s']} | "
          f"{r['resources_per_s']} | {r['peak_rss_mb']} | {r['validation_errors']} | {r['withheld']} |")
PY
} >"$OUT/clinic.md"
cat "$OUT/clinic.md"
