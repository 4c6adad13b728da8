#!/usr/bin/env python3
"""Checks the layer rule: each module may depend only on the modules listed for it below
(always lower layers). Reads `swift package describe --type json`; exits 1 on a violation.
Add a new module here when you add it to Package.swift (an unlisted target is an error)."""
import json
import subprocess
import sys

ALLOWED = {
    # C shims
    "CCurl": set(), "CLibXML2": set(), "COpenSSL": set(), "CZlib": set(),
    # model and formats
    "FHIRModel": set(),
    "FHIRJSON": {"FHIRModel"},
    "FHIRXML": {"FHIRModel", "CLibXML2"},
    # definitions and packages
    "FHIRDefinitions": {"FHIRModel", "FHIRJSON", "FHIRXML", "CZlib", "COpenSSL"},
    # FHIRPath (will also read definitions for types and value sets)
    "FHIRPath": {"FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions"},
    # validation
    "FHIRValidation": {"FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "FHIRPath"},
    # clinic records (the clinic's own format) and their mapping to FHIR
    "ClinicRecords": {"FHIRModel", "FHIRJSON"},
    "ClinicMapping": {"ClinicRecords", "FHIRModel", "FHIRJSON", "FHIRXML", "COpenSSL"},
    # client side: authentication
    "FHIRAuth": {"FHIRModel", "FHIRJSON", "COpenSSL"},
    # client side: HTTPS through libcurl
    "HTTPTransport": {"CCurl", "FHIRModel"},
    # client side: the FHIR REST client and its auth providers
    "FHIRClient": {"FHIRModel", "FHIRJSON", "FHIRXML", "FHIRAuth", "HTTPTransport"},
    # sync: configuration file, durable outbox store, sync engine
    "GatewayConfig": {"Yams"},
    "SyncStore": {"GRDB"},
    "FHIRSync": {
        "FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "ClinicRecords", "ClinicMapping", "FHIRClient", "SyncStore",
    },
    # umbrella library, CLI, executables
    "FHIRGate": {
        "FHIRModel", "FHIRJSON", "FHIRXML", "FHIRDefinitions", "FHIRPath", "FHIRValidation", "ClinicRecords",
        "ClinicMapping", "FHIRAuth", "HTTPTransport", "FHIRClient", "GatewayConfig", "SyncStore", "FHIRSync",
    },
    "FHIRGateCLI": {"FHIRGate", "CCurl", "ArgumentParser"},
    "FHIRGateTool": {"FHIRGateCLI", "ArgumentParser"},
    "FHIRGateBench": {"FHIRGate"},
    # test support
    "FHIRGateTesting": {"FHIRGate"},
}


def main() -> int:
    out = subprocess.run(
        ["swift", "package", "describe", "--type", "json"], check=True, capture_output=True, text=True
    ).stdout
    # SwiftPM may print warnings before the JSON.
    description = json.loads(out[out.index("{"):])
    problems = []
    for target in description.get("targets", []):
        name = target["name"]
        if target.get("type") == "test":
            continue
        deps = set(target.get("target_dependencies", [])) | set(target.get("product_dependencies", []))
        if name not in ALLOWED:
            problems.append(f"{name}: not in scripts/check-layers.py; add it with the modules it may import")
            continue
        for dep in sorted(deps - ALLOWED[name]):
            problems.append(f"{name} must not depend on {dep} (allowed: {', '.join(sorted(ALLOWED[name])) or 'nothing'})")
    for p in problems:
        print("layer check: " + p)
    if problems:
        return 1
    print(f"layer check: clean ({len(ALLOWED)} modules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
