#!/usr/bin/env bash
# Formats Swift sources in place with the toolchain's swift-format and the repo's .swift-format.
# Arguments: files or folders (default: Sources Tests Package.swift).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"
fg_ensure_swift

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(Sources Tests Package.swift)
swift format format --in-place --recursive --parallel --configuration .swift-format "${targets[@]}"
fg_log "formatted ${targets[*]}"
