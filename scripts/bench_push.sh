#!/usr/bin/env bash
# Push benchmark (release build, issue 6): synthetic patients' clinic records are pushed to the
# reference EHR (sekmet-fhir on 127.0.0.1, HTTPS, SMART Backend Services), in the same run as a
# plain Python httpx loader posting the same records as one transaction Bundle per patient.
# Each tool gets a fresh server. Reports resources/s and CPU per resource of the client.
# Writes bench-out/push.md (and bench-out/push.jsonl).
#
# Environment: BENCH_PUSH_PATIENTS (default 40: more than 5,000 resources), BENCH_PUSH_SEED
# (default 3), BENCH_PUSH_CONCURRENCY (fhirgate's requests in flight, default 2), BENCH_PUSH_BUNDLE
# (fhirgate's entries per transaction Bundle, the target's maxBundleEntries, default 200), FHIRGATE_BIN (a
# release fhirgate binary to use instead of building one).
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FG_ROOT"

PATIENTS="${BENCH_PUSH_PATIENTS:-40}"
SEED="${BENCH_PUSH_SEED:-3}"
CONCURRENCY="${BENCH_PUSH_CONCURRENCY:-2}"
BUNDLE="${BENCH_PUSH_BUNDLE:-200}"
OUT="$FG_ROOT/bench-out"
[[ -x /usr/bin/time ]] || fg_die "/usr/bin/time is missing (apt-get install time)"

bash scripts/setup.sh </dev/null
bash scripts/ehr.sh install
mkdir -p "$OUT"
if [[ -n "${FHIRGATE_BIN:-}" ]]; then
    FHIRGATE="$FHIRGATE_BIN"
else
    fg_ensure_swift
    fg_log "building fhirgate (release)"
    fg_swift build -c release --product fhirgate
    FHIRGATE="$(fg_swift build -c release --show-bin-path)/fhirgate"
fi
PY="$FG_ROOT/.venv-ehr/bin/python"

work="$(mktemp -d "${TMPDIR:-/tmp}/fhirgate-bench-push.XXXXXX")"
ehr_dir=''
cleanup() {
    if [[ -n "$ehr_dir" ]]; then bash scripts/ehr.sh stop --dir "$ehr_dir" >/dev/null 2>&1 || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

fg_log "generating $PATIENTS patients (seed $SEED)"
"$FHIRGATE" samples generate --patients "$PATIENTS" --seed "$SEED" --format json -o "$work/records" >/dev/null
"$FHIRGATE" keys generate --alg ES384 -o "$work/key.pem" >"$work/jwks.json" 2>/dev/null
mkdir -p "$work/bundles"
for record in "$work"/records/*.json; do
    name="$(basename "$record")"
    [[ "$name" == directory.json ]] && continue
    "$FHIRGATE" translate "$work/records/directory.json" "$record" --bundle transaction \
        --clinic-organization ORG-CLINIC -o "$work/bundles/$name" 2>/dev/null
done

start_ehr() {
    ehr_dir="$work/ehr-$1"
    bash scripts/ehr.sh start --auth smart --jwks "$work/jwks.json" --dir "$ehr_dir" >"$work/ehr-$1.env"
    # shellcheck disable=SC1090
    source "$work/ehr-$1.env"
}
# CPU seconds the running server has used so far (user + system, from /proc/PID/stat).
server_cpu() {
    awk -v ticks="$(getconf CLK_TCK)" '{ printf "%.3f\n", ($14 + $15) / ticks }' "/proc/$EHR_PID/stat"
}
stop_ehr() {
    bash scripts/ehr.sh stop --dir "$ehr_dir" >/dev/null
    ehr_dir=''
}

LINES="$OUT/push.jsonl"
: >"$LINES"

fg_log "python httpx: one transaction Bundle per patient, one connection"
start_ehr python
server0="$(server_cpu)"
"$PY" scripts/bench_push_httpx.py "$EHR_BASE_URL" "$EHR_CA_FILE" clinic-gateway "$work/key.pem" ES384 \
    "$work/bundles" >"$work/python.json"
server1="$(server_cpu)"
stop_ehr
"$(fg_python)" - "$work/python.json" "$server0" "$server1" >>"$LINES" <<'PY'
import json, sys
row = json.load(open(sys.argv[1]))
server = float(sys.argv[3]) - float(sys.argv[2])
row.update(server_cpu_seconds=round(server, 3), server_busy=round(server / row["seconds"], 2),
           server_cpu_ms_per_resource=round(1000 * server / max(row["resources"], 1), 3))
print(json.dumps(row))
PY

fg_log "fhirgate push: outbox, PUT with our ids, $CONCURRENCY requests in flight"
start_ehr fhirgate
cat >"$work/fhirgate.yaml" <<YAML
store: {path: state/outbox.sqlite}
clinic: {organization: ORG-CLINIC}
concurrency: $CONCURRENCY
targets:
  - name: ehr
    baseURL: $EHR_BASE_URL
    auth: {type: smart, clientId: clinic-gateway, keyFile: key.pem, scopes: system/*.cruds}
    tls: {caFile: $EHR_CA_FILE}
    maxBundleEntries: $BUNDLE
YAML
server0="$(server_cpu)"
/usr/bin/time -f '%e %U %S %M' -o "$work/time.txt" \
    "$FHIRGATE" push "$work/records" --config "$work/fhirgate.yaml" --quiet --format json >"$work/push.json"
server1="$(server_cpu)"
stop_ehr
"$(fg_python)" - "$work/push.json" "$work/time.txt" "$CONCURRENCY" "$server0" "$server1" >>"$LINES" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
server = float(sys.argv[5]) - float(sys.argv[4])
wall, user, system, rss_kb = open(sys.argv[2]).read().split()
sent, cpu = report["sent"], float(user) + float(system)
target = report["targets"][0]
delivery = float(target.get("deliverySeconds", wall))
common = {"tool": "fhirgate", "resources": sent, "cpu_seconds": round(cpu, 3),
          "cpu_ms_per_resource": round(1000 * cpu / max(sent, 1), 3), "peak_rss_mb": round(int(rss_kb) / 1024, 1),
          "dead_lettered": report["deadLettered"], "server_cpu_seconds": round(server, 3),
          "server_cpu_ms_per_resource": round(1000 * server / max(sent, 1), 3)}
print(json.dumps({**common, "op": f"push end to end (start, translate, stage, deliver; {sys.argv[3]} in flight)",
                  "seconds": float(wall), "resources_per_s": round(sent / float(wall), 1),
                  "server_busy": round(server / float(wall), 2)}))
print(json.dumps({**common, "op": "push: delivery only (outbox -> server)", "seconds": delivery,
                  "resources_per_s": round(sent / max(delivery, 0.001), 1),
                  "server_busy": round(server / max(delivery, 0.001), 2)}))
PY

{
    echo "# Push benchmark"
    echo
    echo "$(uname -n), $(uname -m), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC; release build; $PATIENTS synthetic patients (seed $SEED)."
    echo "Server: sekmet-fhir 0.1.1 on 127.0.0.1 over HTTPS with SMART Backend Services, a fresh one per tool."
    echo "Python: one transaction Bundle per patient (made by \`fhirgate translate\`, read before the clock starts; each"
    echo "repeats the clinic directory's practitioners and organizations), posted one after the other on one connection."
    echo "fhirgate: \`fhirgate push\` end to end (start-up, reading and translating the records, staging into the SQLite"
    echo "outbox, metadata and token, delivery as per-patient transaction Bundles of PUTs with Prefer: return=minimal),"
    echo "and its delivery phase alone. Server CPU: the sekmet process's user + system time over the tool's run; server busy ="
    echo "server CPU / the tool's seconds (1.00 = one core saturated: sekmet handles requests under one global lock)."
    echo
    echo "| tool | operation | resources | seconds | resources/s | client CPU s (whole run) | client CPU ms/resource | server CPU s | server CPU ms/resource | server busy |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
    "$(fg_python)" - "$LINES" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for r in rows:
    print(f"| {r['tool']} | {r['op']} | {r['resources']} | {r['seconds']} | {r['resources_per_s']} | "
          f"{r['cpu_seconds']} | {r['cpu_ms_per_resource']} | {r['server_cpu_seconds']} | "
          f"{r['server_cpu_ms_per_resource']} | {r['server_busy']} |")
python = [r for r in rows if r["tool"] == "python-httpx"]
ours = [r for r in rows if r["tool"] == "fhirgate"]
if python and ours:
    print()
    for r in ours:
        ratio = r["resources_per_s"] / python[0]["resources_per_s"]
        print(f"- fhirgate ({r['op']}) / python-httpx: **{ratio:.2f}x** (goal >= 1.5x: {'met' if ratio >= 1.5 else 'NOT met'})")
PY
} >"$OUT/push.md"
cat "$OUT/push.md"
