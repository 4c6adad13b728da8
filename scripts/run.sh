#!/usr/bin/env bash
# The main job (for now): set up, build fhirgate (release), then
#   1. round-trip every sample file through `fhirgate convert` and compare it with the original:
#      NAME.json: JSON -> XML -> JSON, and JSON -> JSON;
#      NAME.xml:  XML -> JSON -> XML, and XML -> JSON against NAME.json when that twin exists;
#   2. the clinic pipeline on Samples/ (without arguments): import the referral CSV and the FHIR
#      referral Bundle into clinic records, translate the sample clinic records into a transaction
#      Bundle (JSON and XML), and validate it offline against R4, Profiles/ and US Core 3.1.0
#      (when ../shared has it) with zero errors.
# Arguments: folders or files to round-trip instead of Samples/. Prints a short report; exits 1
# when a check fails.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

bash scripts/setup.sh </dev/null
fg_ensure_swift
PY="$(fg_python)"

fg_log "building fhirgate (release)"
fg_swift build -c release --product fhirgate
FHIRGATE="$(fg_swift build -c release --show-bin-path)/fhirgate"

inputs=("$@")
[[ ${#inputs[@]} -gt 0 ]] || inputs=(Samples)
files=()
for input in "${inputs[@]}"; do
    if [[ -d "$input" ]]; then
        while IFS= read -r file; do files+=("$file"); done < <(find "$input" -maxdepth 1 -type f \( -name '*.json' -o -name '*.xml' \) | sort)
    elif [[ -f "$input" ]]; then
        files+=("$input")
    else
        fg_die "no such file or folder: $input"
    fi
done
[[ ${#files[@]} -gt 0 ]] || fg_die "no .json or .xml files in ${inputs[*]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/fhirgate-run.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
report=()

# check LABEL COMMAND...: runs one step quietly, records ok/FAIL with the step's own message.
check() {
    local label="$1"
    shift
    local out
    if out="$("$@" 2>&1)"; then
        passed=$((passed + 1))
        report+=("ok    $label")
    else
        failed=$((failed + 1))
        report+=("FAIL  $label${out:+: $(head -n 3 <<<"$out" | tr '\n' ' ')}")
    fi
}

convert() { # IN FORMAT OUT
    "$FHIRGATE" convert "$1" --to "$2" --pretty --strict -o "$3"
}

# Round trip through the other format and back; compare with the original.
round_trip() { # FILE FORMAT OTHER
    local file="$1" format="$2" other="$3" base
    base="$work/$(basename "$file")"
    convert "$file" "$other" "$base.1.$other" &&
        convert "$base.1.$other" "$format" "$base.2.$format" &&
        "$PY" scripts/fhir_compare.py "$format" "$file" "$base.2.$format"
}

same_format() { # FILE FORMAT
    local file="$1" format="$2" base
    base="$work/$(basename "$file")"
    convert "$file" "$format" "$base.same.$format" &&
        "$PY" scripts/fhir_compare.py "$format" "$file" "$base.same.$format"
}

against_twin() { # XMLFILE JSONTWIN
    local base
    base="$work/$(basename "$1")"
    convert "$1" json "$base.twin.json" &&
        "$PY" scripts/fhir_compare.py json-xhtml "$2" "$base.twin.json"
}

for file in "${files[@]}"; do
    name="${file#"$FG_ROOT"/}"
    case "$file" in
    *.json)
        check "$name: JSON -> XML -> JSON" round_trip "$file" json xml
        check "$name: JSON -> JSON" same_format "$file" json
        ;;
    *.xml)
        check "$name: XML -> JSON -> XML" round_trip "$file" xml json
        twin="${file%.xml}.json"
        if [[ -f "$twin" ]]; then
            check "$name: XML -> JSON equals $(basename "$twin")" against_twin "$file" "$twin"
        else
            check "$name: XML -> JSON" convert "$file" json "$work/$(basename "$file").only.json"
        fi
        ;;
    esac
done

# The clinic pipeline (issue 5), on the samples.
if [[ $# -eq 0 ]]; then
    SHARED="${FHIRGATE_SHARED:-$FG_ROOT/../shared}"
    US_CORE="$SHARED/packages/hl7.fhir.us.core#3.1.0/package"
    defs=()
    [[ -d "$US_CORE" ]] && defs=(--definitions "$US_CORE")
    check "import referrals: Samples/referrals.csv" \
        "$FHIRGATE" import referrals Samples/referrals.csv -o "$work/referrals-csv.ndjson"
    check "import referrals: Samples/referral-bundle.json" \
        "$FHIRGATE" import referrals Samples/referral-bundle.json -o "$work/referrals-fhir.ndjson"
    for format in json xml; do
        check "translate Samples/records -> transaction Bundle ($format)" \
            "$FHIRGATE" translate Samples/records --format "$format" --bundle transaction \
            --translation-time 2025-03-01T12:00:00Z --recipient PR-REF-05-3 \
            --clinic-organization ORG-CLINIC --author PR-MD-1 -o "$work/clinic-bundle.$format"
        check "validate the translated Bundle ($format) against R4, Profiles/${defs:+, US Core 3.1.0}" \
            "$FHIRGATE" validate "$work/clinic-bundle.$format" "${defs[@]}"
    done
fi

echo
echo "---- FHIRGate samples: round trips (${#files[@]} files) and the clinic pipeline ----"
printf '%s\n' "${report[@]}"
echo "samples: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
