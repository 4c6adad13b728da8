#!/usr/bin/env bash
# Regenerates the generated part of Samples/ with fhirgate itself (one command, deterministic):
#   Samples/records/      `fhirgate samples generate` (3 synthetic patients, seed 20260, one JSON
#                         file per patient and directory.json);
#   Samples/translated/   `fhirgate translate` of those records into a transaction Bundle, in JSON
#                         and in XML, with a fixed translation time (no wall clock) and the SUD
#                         patient's referring psychiatrist as the recipient.
# Samples/referrals.csv and Samples/referral-bundle.json are written by hand and left alone.
# Tests/FHIRGateCLITests/SamplesCurrentTests.swift checks that the committed files are what this
# script makes; when it fails after a change to the generator or the translator, run this script.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"
fg_ensure_swift

# The parameters (keep in step with SamplesCurrentTests.swift and Samples/README.md).
PATIENTS=3
SEED=20260
TRANSLATION_TIME=2025-03-01T12:00:00Z
RECIPIENT=PR-REF-05-3
CLINIC=ORG-CLINIC
AUTHOR=PR-MD-1

fg_log "building fhirgate"
fg_swift build --product fhirgate
FHIRGATE="$(fg_swift build --show-bin-path)/fhirgate"

fg_log "generating Samples/records"
mkdir -p Samples/records Samples/translated
rm -f Samples/records/*.json
"$FHIRGATE" samples generate --patients "$PATIENTS" --seed "$SEED" --format json -o Samples/records

for format in json xml; do
    fg_log "translating into Samples/translated/transaction-bundle.$format"
    "$FHIRGATE" translate Samples/records --format "$format" --bundle transaction \
        --translation-time "$TRANSLATION_TIME" --recipient "$RECIPIENT" \
        --clinic-organization "$CLINIC" --author "$AUTHOR" \
        -o "Samples/translated/transaction-bundle.$format" >/dev/null
done
fg_log "done: Samples/records and Samples/translated are current"
