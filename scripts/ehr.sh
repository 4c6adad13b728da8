#!/usr/bin/env bash
# The reference EHR for integration tests: sekmet-fhir (a real FHIR R4 server from PyPI, see
# ../shared/notes/reference-ehr.md), run on 127.0.0.1 over HTTPS, never on another interface.
#
#   ehr.sh install
#       Makes the virtual environment .venv-ehr/ with sekmet-fhir==0.1.1 (idempotent; instant when present).
#   ehr.sh start [--port P] [--dir D] [--auth smart|bearer|none] [--jwks FILE] [--client-id ID]
#                [--scopes S] [--token-file FILE] [--token-lifetime SECONDS] [--mtls]
#                [--foreground [--parent-pid PID]]
#       Makes a fresh data folder and a self-signed TLS certificate for 127.0.0.1 in D (default: a new
#       temporary folder), writes D/settings.yaml and starts `sekmet serve --host 127.0.0.1` in the
#       background (log in D/server.log, PID in D/sekmet.pid), waits until
#       https://127.0.0.1:P/fhir/metadata answers, then prints (and writes to D/ehr.env):
#           EHR_BASE_URL=https://127.0.0.1:P/fhir  EHR_CA_FILE=D/tls.crt  EHR_PID=...  EHR_DIR=D
#       (and EHR_TOKEN_FILE for --auth bearer). --auth smart (the default) needs --jwks FILE, a JWKS
#       ({"keys": [...]}) with the public key(s) of client ID (default clinic-gateway), granted scopes
#       S (default system/*.cruds). --auth bearer accepts the token in --token-file FILE (default: a
#       random token written to D/bearer.token). --token-lifetime sets how long SMART access tokens
#       are valid (server_auth.token_lifetime, default 300). --port defaults to a free port.
#       --mtls: the server requires a client certificate (mutual TLS) issued by a CA made in D with
#       OpenSSL (D/client-ca.crt); a client certificate and key from that CA are written to
#       D/client.crt and D/client.key and printed as EHR_CLIENT_CERT and EHR_CLIENT_KEY. sekmet's own
#       command has no option for this, so the same application is run by uvicorn directly, with
#       uvicorn's ssl_ca_certs and ssl_cert_reqs=CERT_REQUIRED.
#       --foreground prepares D the same way, then replaces itself with the server (same PID, log on
#       stdout/stderr): for a caller that owns the process and polls for readiness itself. With
#       --parent-pid, the server is killed when process PID is gone (no server outlives a crashed test).
#   ehr.sh stop [--dir D] [--remove]
#       Stops the server started in D (SIGTERM, then SIGKILL after 10 s) and waits until it is gone.
#       Removes D only with --remove. D defaults to $EHR_DIR.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SEKMET_SPEC='sekmet-fhir==0.1.1'
VENV="${FHIRGATE_EHR_VENV:-$FG_ROOT/.venv-ehr}"
# Written after a complete install, so an interrupted install is redone, not trusted.
MARKER="$VENV/.installed-sekmet-fhir-0.1.1"
HOST='127.0.0.1'
READY_TIMEOUT="${FHIRGATE_EHR_READY_TIMEOUT:-60}"

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

cmd_install() {
    if [[ -f "$MARKER" && -x "$VENV/bin/sekmet" ]]; then
        fg_log "reference EHR present ($SEKMET_SPEC in ${VENV#"$FG_ROOT"/})"
        return 0
    fi
    # One install at a time (two test runs starting together); the second finds it done.
    if command -v flock >/dev/null 2>&1; then
        exec 9>"$VENV.lock"
        flock 9
        if [[ -f "$MARKER" && -x "$VENV/bin/sekmet" ]]; then
            fg_log "reference EHR present ($SEKMET_SPEC in ${VENV#"$FG_ROOT"/})"
            return 0
        fi
    fi
    local py started
    py="$(fg_python)"
    started="$(fg_now)"
    fg_log "installing the reference EHR ($SEKMET_SPEC) into ${VENV#"$FG_ROOT"/}"
    rm -rf "$VENV"
    if ! "$py" -m venv "$VENV" >&2; then
        rm -rf "$VENV"
        fg_die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
    fi
    if ! "$VENV/bin/python" -m pip install --no-input --disable-pip-version-check -q "$SEKMET_SPEC" >&2; then
        rm -rf "$VENV"
        fg_die "pip could not install $SEKMET_SPEC"
    fi
    [[ -x "$VENV/bin/sekmet" ]] || fg_die "$SEKMET_SPEC installed no sekmet command"
    touch "$MARKER"
    fg_log "reference EHR installed in $(($(fg_now) - started)) s"
}

# make_client_certificate DIR: a client CA (DIR/client-ca.crt) and a client certificate it issued
# (DIR/client.crt, key DIR/client.key, mode 0600), P-256 keys made with OpenSSL, valid for two days.
make_client_certificate() {
    local d="$1"
    command -v openssl >/dev/null || fg_die "--mtls needs the openssl command (apt-get install openssl)"
    (
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj "/CN=FHIRGate test client CA" -keyout "$d/client-ca.key" -out "$d/client-ca.crt" 2>/dev/null
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=clinic-gateway" \
            -keyout "$d/client.key" -out "$d/client.csr" 2>/dev/null
        printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n' >"$d/client.ext"
        openssl x509 -req -in "$d/client.csr" -CA "$d/client-ca.crt" -CAkey "$d/client-ca.key" -CAcreateserial \
            -days 2 -extfile "$d/client.ext" -out "$d/client.crt" 2>/dev/null
    ) || fg_die "openssl could not make the client certificate in $d"
    rm -f "$d/client.csr" "$d/client.ext"
}

require_installed() {
    [[ -f "$MARKER" && -x "$VENV/bin/sekmet" ]] || fg_die "the reference EHR is not installed: run bash scripts/ehr.sh install"
}

# A TCP port on 127.0.0.1 that is free right now.
free_port() {
    "$VENV/bin/python" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# PID of the server started in folder $1, when it is still running (else nothing, status 1).
running_pid() {
    local pid
    [[ -f "$1/sekmet.pid" ]] || return 1
    pid="$(<"$1/sekmet.pid")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# write_settings DIR PORT AUTH JWKS_FILE CLIENT_ID SCOPES TOKEN_FILE TOKEN_LIFETIME: DIR/settings.yaml (with PyYAML,
# so the JWKS and the scopes are quoted correctly).
write_settings() {
    "$VENV/bin/python" - "$@" <<'PY'
import json, sys, yaml
d, port, auth, jwks_file, client_id, scopes, token_file, token_lifetime = sys.argv[1:]
base = f"https://127.0.0.1:{port}/fhir"
server_auth = {"types": [auth], "enforce_scopes": True, "token_lifetime": int(token_lifetime)}
if auth == "smart":
    with open(jwks_file) as f:
        jwks = json.load(f)
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        sys.exit(f"error: {jwks_file} is not a JWKS with at least one key")
    server_auth["smart_clients"] = [{"client_id": client_id, "jwks": jwks, "scopes": scopes}]
elif auth == "bearer":
    with open(token_file) as f:
        server_auth["tokens"] = [f.readline().strip()]
settings = {
    "base_url": base,
    "host": "127.0.0.1",
    "port": int(port),
    "data_dir": f"{d}/data",
    "tls_certfile": f"{d}/tls.crt",
    "tls_keyfile": f"{d}/tls.key",
    "own_private_key_path": f"{d}/keys/sekmet_private.pem",
    "simulator": {"enabled": False},
    "validation": {"inbound": "strict", "tx_server": "n/a"},
    "server_auth": server_auth,
}
with open(f"{d}/settings.yaml", "w") as f:
    yaml.safe_dump(settings, f, sort_keys=False)
PY
}

cmd_start() {
    local port='' dir='' auth='smart' jwks='' client_id='clinic-gateway' scopes='system/*.cruds' token_file=''
    local foreground=0 parent_pid='' token_lifetime=300 mtls=0
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --port) port="${2:?--port needs a value}"; shift 2 ;;
        --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
        --auth) auth="${2:?--auth needs a value}"; shift 2 ;;
        --jwks) jwks="${2:?--jwks needs a value}"; shift 2 ;;
        --client-id) client_id="${2:?--client-id needs a value}"; shift 2 ;;
        --scopes) scopes="${2:?--scopes needs a value}"; shift 2 ;;
        --token-file) token_file="${2:?--token-file needs a value}"; shift 2 ;;
        --token-lifetime) token_lifetime="${2:?--token-lifetime needs a value}"; shift 2 ;;
        --mtls) mtls=1; shift ;;
        --foreground) foreground=1; shift ;;
        --parent-pid) parent_pid="${2:?--parent-pid needs a value}"; shift 2 ;;
        -h | --help) usage ;;
        *) fg_die "start: unknown argument $1 (see bash scripts/ehr.sh --help)" ;;
        esac
    done
    require_installed
    case "$auth" in
    smart)
        [[ -n "$jwks" ]] || fg_die "--auth smart needs --jwks FILE (the client's public JWKS)"
        [[ -r "$jwks" ]] || fg_die "cannot read the JWKS file $jwks"
        jwks="$(cd "$(dirname "$jwks")" && pwd)/$(basename "$jwks")"
        ;;
    bearer | none) ;;
    *) fg_die "--auth must be smart, bearer or none, not $auth" ;;
    esac
    [[ -z "$port" || "$port" =~ ^[0-9]+$ ]] || fg_die "--port must be a number, not $port"
    [[ "$token_lifetime" =~ ^[1-9][0-9]*$ ]] || fg_die "--token-lifetime must be a positive number of seconds"
    [[ -n "$port" ]] || port="$(free_port)"

    if [[ -z "$dir" ]]; then
        dir="$(mktemp -d "${TMPDIR:-/tmp}/fhirgate-ehr.XXXXXX")"
    else
        mkdir -p "$dir"
        dir="$(cd "$dir" && pwd)"
        if running_pid "$dir" >/dev/null; then
            fg_die "a reference EHR is already running from $dir (PID $(running_pid "$dir")): bash scripts/ehr.sh stop --dir $dir"
        fi
        if [[ -e "$dir/data" ]]; then
            # Only a folder of an earlier run of ours is reused (its data is discarded).
            [[ -f "$dir/settings.yaml" && -f "$dir/tls.crt" ]] || fg_die "$dir/data exists and is not from ehr.sh"
            rm -rf "$dir/data"
        fi
    fi
    mkdir -p "$dir/data" "$dir/keys"
    rm -f "$dir/sekmet.pid" "$dir/ehr.env"

    if [[ "$auth" == bearer && -z "$token_file" ]]; then
        token_file="$dir/bearer.token"
        "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$token_file"
        chmod 600 "$token_file"
    fi
    [[ "$auth" != bearer || -r "$token_file" ]] || fg_die "cannot read the token file $token_file"

    "$VENV/bin/sekmet" keys tls-cert --out "$dir/tls" "$HOST" >/dev/null
    write_settings "$dir" "$port" "$auth" "$jwks" "$client_id" "$scopes" "$token_file" "$token_lifetime"
    local server=("$VENV/bin/sekmet" serve --config "$dir/settings.yaml" --host "$HOST" --port "$port")
    local client_tls=()
    if [[ $mtls -eq 1 ]]; then
        make_client_certificate "$dir"
        client_tls=(--cert "$dir/client.crt" --key "$dir/client.key")
        export SEKMET_CONFIG="$dir/settings.yaml"
        server=("$VENV/bin/python" -c 'import ssl, sys, uvicorn
host, port, cert, key, client_ca = sys.argv[1:]
uvicorn.run("sekmet.main:app_factory", factory=True, host=host, port=int(port), log_level="info",
            ssl_certfile=cert, ssl_keyfile=key, ssl_ca_certs=client_ca, ssl_cert_reqs=ssl.CERT_REQUIRED)' \
            "$HOST" "$port" "$dir/tls.crt" "$dir/tls.key" "$dir/client-ca.crt")
    fi

    local base="https://$HOST:$port/fhir"
    cd "$dir"
    if [[ $foreground -eq 1 ]]; then
        echo "$$" >"$dir/sekmet.pid"
        # Descriptors the caller leaked to us (e.g. its runtime's sockets) are not the server's business.
        local fd_path fd
        for fd_path in "/proc/$$/fd/"*; do
            fd="${fd_path##*/}"
            if [[ "$fd" =~ ^[0-9]+$ && "$fd" -gt 2 ]]; then exec {fd}>&- 2>/dev/null || true; fi
        done
        if [[ -n "$parent_pid" ]]; then
            # Safety net: the server does not outlive its owner (a test process that crashed or was killed).
            local server_pid=$$
            (
                while kill -0 "$parent_pid" 2>/dev/null && kill -0 "$server_pid" 2>/dev/null; do sleep 1; done
                if ! kill -0 "$parent_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
            ) </dev/null >/dev/null 2>&1 &
        fi
        exec "${server[@]}" </dev/null
    fi
    "${server[@]}" </dev/null >"$dir/server.log" 2>&1 &
    local pid=$!
    echo "$pid" >"$dir/sekmet.pid"

    local deadline=$(($(fg_now) + READY_TIMEOUT))
    until curl --silent --fail --max-time 2 --cacert "$dir/tls.crt" "${client_tls[@]}" -o /dev/null "$base/metadata"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$dir/server.log" >&2 || true
            fg_die "the reference EHR exited during start-up (log: $dir/server.log)"
        fi
        if [[ $(fg_now) -ge $deadline ]]; then
            kill -KILL "$pid" 2>/dev/null || true
            tail -n 20 "$dir/server.log" >&2 || true
            fg_die "the reference EHR did not answer $base/metadata within $READY_TIMEOUT s (log: $dir/server.log)"
        fi
        sleep 0.2
    done
    {
        echo "EHR_BASE_URL=$base"
        echo "EHR_CA_FILE=$dir/tls.crt"
        echo "EHR_PID=$pid"
        echo "EHR_DIR=$dir"
        if [[ "$auth" == bearer ]]; then echo "EHR_TOKEN_FILE=$token_file"; fi
        if [[ $mtls -eq 1 ]]; then
            echo "EHR_CLIENT_CERT=$dir/client.crt"
            echo "EHR_CLIENT_KEY=$dir/client.key"
        fi
    } | tee "$dir/ehr.env"
}

cmd_stop() {
    local dir="${EHR_DIR:-}" remove=0
    while [[ $# -gt 0 ]]; do
        case "$1" in
        --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
        --remove) remove=1; shift ;;
        -h | --help) usage ;;
        *) fg_die "stop: unknown argument $1 (see bash scripts/ehr.sh --help)" ;;
        esac
    done
    [[ -n "$dir" ]] || fg_die "stop: which server? pass --dir D (or set EHR_DIR)"
    [[ -d "$dir" ]] || fg_die "stop: no folder $dir"
    local pid
    if pid="$(running_pid "$dir")"; then
        # A server started from a thread that blocks SIGTERM inherits that mask: SIGKILL after a grace period.
        kill -TERM "$pid" 2>/dev/null || true
        local waited=0
        while kill -0 "$pid" 2>/dev/null; do
            if [[ $waited -ge 100 ]]; then
                kill -KILL "$pid" 2>/dev/null || true
            fi
            sleep 0.1
            waited=$((waited + 1))
        done
        fg_log "reference EHR stopped (PID $pid)"
    else
        fg_log "no reference EHR running from $dir"
    fi
    rm -f "$dir/sekmet.pid"
    if [[ $remove -eq 1 ]]; then
        rm -rf "$dir"
    fi
}

main() {
    local sub="${1:-}"
    [[ $# -gt 0 ]] && shift
    case "$sub" in
    install) cmd_install "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    -h | --help | help | '') usage ;;
    *) fg_die "unknown subcommand $sub (install, start, stop)" ;;
    esac
}

main "$@"
