#!/usr/bin/env bash
# Lints Swift sources with the toolchain's swift-format and the repo's .swift-format, without
# changing them. Prints each finding and a count; exits 1 when there is any.
# Arguments: files or folders (default: Sources Tests Package.swift).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"
fg_ensure_swift

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(Sources Tests Package.swift)
log="$(mktemp "${TMPDIR:-/tmp}/fhirgate-lint.XXXXXX")"
trap 'rm -f "$log"' EXIT

set +e
swift format lint --recursive --parallel --configuration .swift-format "${targets[@]}" >"$log" 2>&1
rc=$?
set -e
cat "$log"
findings="$(grep -cE ': (warning|error): ' "$log" || true)"
if [[ $rc -ne 0 || $findings -ne 0 ]]; then
    echo "format check: $findings finding(s); run scripts/format.sh to fix what can be fixed automatically"
    exit 1
fi
echo "format check: clean"
