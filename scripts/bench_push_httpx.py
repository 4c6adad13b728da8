#!/usr/bin/env python3
"""The Python side of the push benchmark: a plain httpx loader that posts transaction Bundles
(one file each, in name order) to a FHIR server, one after the other over one reused connection,
after getting a SMART Backend Services token (client_credentials with a private_key_jwt assertion,
signed with PyJWT). Prints one JSON line: resources, seconds, resources/s, CPU seconds.

Usage: bench_push_httpx.py BASE_URL CA_FILE CLIENT_ID KEY_PEM ALG BUNDLE_DIR
(run with the reference EHR's virtual environment, which has httpx, PyJWT and cryptography)."""
import json
import os
import resource
import sys
import time

import httpx

from ehr_client import fhir_headers, smart_token


def main():
    base, ca, client_id, key_file, alg, folder = sys.argv[1:7]
    with open(key_file) as f:
        key_pem = f.read()
    files = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".json"))
    bundles = []
    for path in files:
        with open(path, "rb") as f:
            body = f.read()
        bundles.append((body, len(json.loads(body).get("entry", []))))
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    with httpx.Client(verify=ca, timeout=600) as client:
        headers = fhir_headers(smart_token(client, base, client_id, key_pem, alg))
        sent = 0
        for body, entries in bundles:
            r = client.post(base, content=body, headers=headers)
            if r.status_code != 200:
                sys.exit(f"transaction failed with HTTP {r.status_code}")
            sent += entries
    seconds = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    print(json.dumps({
        "tool": "python-httpx", "op": "push-transactions", "resources": sent, "requests": len(bundles),
        "seconds": round(seconds, 3), "resources_per_s": round(sent / seconds, 1),
        "cpu_seconds": round(cpu, 3), "cpu_ms_per_resource": round(1000 * cpu / max(sent, 1), 3),
    }))


if __name__ == "__main__":
    main()
