#!/usr/bin/env python3
"""A stand-in for the referring psychiatrist's own system, for the main job and the benchmark:
gets a SMART Backend Services token from the reference EHR (client_credentials with a
private_key_jwt assertion signed with PyJWT) and posts a transaction Bundle to it.

Usage: ehr_client.py post-transaction BASE_URL CA_FILE CLIENT_ID KEY_PEM ALG BUNDLE.json
Prints the HTTP status and the number of entries; exits 1 unless the server answers 200.
Run it with the reference EHR's virtual environment (.venv-ehr has httpx, PyJWT, cryptography)."""
import json
import sys
import time
import uuid

import httpx
import jwt


def smart_token(client, base, client_id, key_pem, alg, scope="system/*.cruds"):
    """An access token for `client_id` from the server's SMART token endpoint."""
    config = client.get(base + "/.well-known/smart-configuration").json()
    endpoint = config["token_endpoint"]
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": endpoint, "exp": now + 300, "iat": now, "jti": str(uuid.uuid4())}
    response = client.post(
        endpoint,
        data={
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": jwt.encode(claims, key_pem, algorithm=alg),
        },
    )
    response.raise_for_status()
    return response.json()["access_token"]


def fhir_headers(token):
    return {
        "Authorization": "Bearer " + token,
        "Content-Type": "application/fhir+json",
        "Accept": "application/fhir+json",
    }


def post_transaction(base, ca, client_id, key_file, alg, bundle_file):
    with open(key_file) as f:
        key_pem = f.read()
    with open(bundle_file, "rb") as f:
        body = f.read()
    with httpx.Client(verify=ca, timeout=120) as client:
        token = smart_token(client, base, client_id, key_pem, alg)
        response = client.post(base, content=body, headers=fhir_headers(token))
    entries = len(json.loads(body).get("entry", []))
    print(f"HTTP {response.status_code}: transaction of {entries} entries")
    return 0 if response.status_code == 200 else 1


def main():
    if len(sys.argv) != 8 or sys.argv[1] != "post-transaction":
        sys.exit(__doc__)
    sys.exit(post_transaction(*sys.argv[2:8]))


if __name__ == "__main__":
    main()
