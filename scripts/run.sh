#!/usr/bin/env bash
# The main job (for now): set up, build fhirgate (release), then
#   1. round-trip every sample file through `fhirgate convert` and compare it with the original:
#      NAME.json: JSON -> XML -> JSON, and JSON -> JSON;
#      NAME.xml:  XML -> JSON -> XML, and XML -> JSON against NAME.json when that twin exists;
#   2. the clinic pipeline on Samples/ (without arguments): import the referral CSV and the FHIR
#      referral Bundle into clinic records, translate the sample clinic records into a transaction
#      Bundle (JSON and XML), and validate it offline against R4, Profiles/ and US Core 3.1.0
#      (when ../shared has it) with zero errors;
#   3. the sync (issue 6), without arguments: start the reference EHR (sekmet-fhir) on 127.0.0.1 over
#      HTTPS with SMART Backend Services and a key made by `fhirgate keys generate`, push the sample
#      records through the durable outbox (`fhirgate push`), push them again (nothing new is sent),
#      let the referrer's system post the sample referral, pull it back (`fhirgate pull`), print the
#      outbox status and the summaries, stop the server.
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
ehr_dir=''
cleanup() {
    if [[ -n "$ehr_dir" ]]; then bash scripts/ehr.sh stop --dir "$ehr_dir" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

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

# The sync with a real FHIR server (issue 6), on the samples.
summaries=()
if [[ $# -eq 0 ]]; then
    bash scripts/ehr.sh install
    "$FHIRGATE" keys generate --alg ES384 -o "$work/clinic-gateway.pem" >"$work/jwks.json" 2>/dev/null
    ehr_dir="$work/ehr"
    bash scripts/ehr.sh start --auth smart --jwks "$work/jwks.json" --scopes 'system/*.cruds' --dir "$ehr_dir" \
        >"$work/ehr.env"
    # shellcheck disable=SC1091
    source "$work/ehr.env"
    cat >"$work/fhirgate.yaml" <<YAML
store: {path: state/outbox.sqlite}
clinic: {base: https://clinic.example.org, organization: ORG-CLINIC}
retry: {maxAttempts: 8, initialDelay: 1s, maxDelay: 30s, multiplier: 2}
concurrency: 4
targets:
  - name: referrer-ehr
    baseURL: $EHR_BASE_URL
    recipient: {practitioner: PR-REF-05-3}
    auth: {type: smart, clientId: clinic-gateway, keyFile: clinic-gateway.pem, scopes: system/*.cruds}
    tls: {caFile: $EHR_CA_FILE}
    capabilities: {source: server}
    pull: {referrals: true}
YAML
    push_first() { "$FHIRGATE" push Samples/records --config "$work/fhirgate.yaml" --quiet >"$work/push-1.txt"; }
    push_again() {
        "$FHIRGATE" push Samples/records --config "$work/fhirgate.yaml" --quiet --format json >"$work/push-2.json" &&
            "$(fg_python)" -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["sent"] == 0 and r["unchanged"] > 0 else "sent again: %d" % r["sent"])' "$work/push-2.json"
    }
    referrer_posts() {
        .venv-ehr/bin/python scripts/ehr_client.py post-transaction "$EHR_BASE_URL" "$EHR_CA_FILE" clinic-gateway \
            "$work/clinic-gateway.pem" ES384 Samples/referral-bundle.json
    }
    pull_back() {
        "$FHIRGATE" pull --config "$work/fhirgate.yaml" --inbox "$work/inbox" >"$work/pull.txt" &&
            grep -q 'pulled 1 referrals' "$work/pull.txt"
    }
    check "sync: push Samples/records to the reference EHR (HTTPS, SMART Backend Services)" push_first
    check "sync: push the same records again: nothing new is sent" push_again
    check "sync: the referrer's system posts Samples/referral-bundle.json" referrer_posts
    check "sync: pull the referral back into clinic records" pull_back
    "$FHIRGATE" outbox status --config "$work/fhirgate.yaml" >"$work/status.txt" || true
    summaries+=("" "---- sync with the reference EHR at $EHR_BASE_URL ----")
    for f in push-1.txt pull.txt status.txt; do
        [[ -f "$work/$f" ]] && while IFS= read -r line; do summaries+=("$line"); done <"$work/$f"
    done
    bash scripts/ehr.sh stop --dir "$ehr_dir" >/dev/null
    ehr_dir=''
fi

echo
echo "---- FHIRGate samples: round trips (${#files[@]} files) and the clinic pipeline ----"
printf '%s\n' "${report[@]}"
[[ ${#summaries[@]} -eq 0 ]] || printf '%s\n' "${summaries[@]}"
echo "samples: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
