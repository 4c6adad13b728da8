# Shared helpers for the scripts in this folder. Source it; do not run it.
# shellcheck shell=bash

# The repository root (the folder holding Package.swift).
FG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export FG_ROOT

fg_log() { printf '==> %s\n' "$*" >&2; }
fg_warn() { printf 'warning: %s\n' "$*" >&2; }
fg_die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Puts the Swift toolchain on PATH when it is installed at the usual place but not on PATH.
fg_ensure_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        local dir
        for dir in "${SWIFT_HOME:-}/usr/bin" /opt/swift/usr/bin /usr/share/swift/usr/bin; do
            if [[ -x "$dir/swift" ]]; then
                PATH="$dir:$PATH"
                export PATH
                break
            fi
        done
    fi
    command -v swift >/dev/null 2>&1 || fg_die "swift not found: install Swift 6.x (https://swift.org/install) and put it on PATH"
}

# The Python interpreter to use (python3, else python).
fg_python() {
    if command -v python3 >/dev/null 2>&1; then
        echo python3
    elif command -v python >/dev/null 2>&1; then
        echo python
    else
        fg_die "python3 not found (needed to fetch the FHIR core package and for the benchmark)"
    fi
}

# Seconds since the epoch, for timing steps.
fg_now() { date +%s; }

# The SwiftPM build folder: .build, or $FHIRGATE_SCRATCH_PATH (e.g. .build-NAME, so that a second
# checkout or a parallel build does not wait on the default folder's lock).
export FG_BUILD_DIR="${FHIRGATE_SCRATCH_PATH:-.build}"
FG_SCRATCH_ARGS=()
if [[ -n "${FHIRGATE_SCRATCH_PATH:-}" ]]; then
    FG_SCRATCH_ARGS=(--scratch-path "$FHIRGATE_SCRATCH_PATH")
fi

# `swift SUBCOMMAND ARGS...` with the build folder above (for build and test).
fg_swift() {
    local sub="$1"
    shift
    swift "$sub" "${FG_SCRATCH_ARGS[@]}" "$@"
}
