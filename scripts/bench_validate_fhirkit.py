#!/usr/bin/env python3
"""fhirkit-rs 0.1.0 (a Rust FHIR R4 library with Python bindings; it checks structure and
primitive formats, not bindings or invariants) on the same files as `fhirgate-bench validate`.

Ops, each a JSON line in the shape of `fhirgate-bench validate --format json`:
  validate-cold     the first pass of `fhirkit.validate(bytes)` over every document
  validate          the median of --repeat further passes (one thread)
  validate-threads  `fhirkit.parse_many(docs, threads=0)`: its own thread pool, every core

All files are read into memory first; only the fhirkit calls are timed (garbage collector off,
as in bench_python.py). Resources are counted as bench_python.py counts them (root, contained and
entry resources), the same count the Swift bench takes.

Usage: bench_validate_fhirkit.py --dataset NAME [--repeat N] PATH...
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_python import collect, count_resources, peak_rss_mb, timed  # noqa: E402


def record(op, dataset, docs, resources, seconds, repeat, with_errors, errors, warnings, threads):
    size = sum(len(d) for d in docs)
    return {
        "tool": "fhirkit-rs",
        "dataset": dataset,
        "op": op,
        "files": len(docs),
        "bytes": size,
        "resources": resources,
        "seconds": seconds,
        "mb_per_s": size / 1e6 / seconds if seconds > 0 else 0.0,
        "resources_per_s": resources / seconds if seconds > 0 else 0.0,
        "peak_rss_mb": peak_rss_mb(),
        "failures": 0,
        "repeat": repeat,
        "threads": threads,
        "with_errors": with_errors,
        "errors": errors,
        "warnings": warnings,
    }


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args(argv)

    import json

    import fhirkit

    names = collect(args.paths)
    docs = []
    for name in names:
        with open(name, "rb") as f:
            docs.append(f.read())
    resources = sum(count_resources(json.loads(d)) for d in docs)
    validate = fhirkit.validate

    tally = {}

    def one_pass():
        with_errors = errors = warnings = 0
        for d in docs:
            try:
                issues = validate(d)
            except Exception:  # noqa: BLE001 - a document it cannot read counts as one error
                with_errors += 1
                errors += 1
                continue
            e = sum(1 for i in issues if i.severity == "error")
            errors += e
            warnings += len(issues) - e
            if e:
                with_errors += 1
        tally["counts"] = (with_errors, errors, warnings)

    start = time.perf_counter()
    one_pass()
    cold = time.perf_counter() - start
    print(json.dumps(record("validate-cold", args.dataset, docs, resources, cold, 1, *tally["counts"], 1)))
    warm = timed(args.repeat, one_pass)
    print(json.dumps(record("validate", args.dataset, docs, resources, warm, args.repeat, *tally["counts"], 1)))

    def threaded():
        parsed = fhirkit.parse_many(docs, threads=0)
        e = sum(1 for r in parsed for i in r.issues if i.severity == "error")
        tally["threaded"] = (sum(1 for r in parsed if any(i.severity == "error" for i in r.issues)), e)

    try:
        seconds = timed(args.repeat, threaded)
        with_errors, errors = tally["threaded"]
        print(json.dumps(record("validate-threads", args.dataset, docs, resources, seconds, args.repeat,
                                with_errors, errors, 0, os.cpu_count() or 1)))
    except Exception as exc:  # noqa: BLE001 - parse_many rejects a batch with an unreadable document
        print("fhirkit parse_many failed on the batch: %s" % type(exc).__name__, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
