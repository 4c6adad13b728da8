#!/usr/bin/env python3
"""Python side of the FHIRGate benchmark: parse and serialize throughput of

* orjson: `orjson.loads` / `orjson.dumps` on the raw JSON (no FHIR model), and
* fhir.resources (pydantic R4 model): parse = `orjson.loads` + `Model.parse_obj` (validating),
  serialize = `model.json()`.

All files are read into memory first; only the parse / serialize calls are timed, with Python's
cyclic garbage collector off (as timeit does). Run one
library per process so that the peak RSS (getrusage ru_maxrss) belongs to that library.
Prints one JSON object per measurement, in the same shape as `fhirgate-bench --format json`:
  {"tool", "dataset", "op", "files", "bytes", "resources", "seconds", "mb_per_s",
   "resources_per_s", "peak_rss_mb", "failures", "repeat"}
MB are 10^6 bytes of the input documents (for serialize too, so the two rates compare).

Usage: bench_python.py --lib orjson|fhir.resources --dataset NAME [--repeat N] PATH...
"""

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import time


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for name in sorted(os.listdir(path)):
                if name.endswith(".json"):
                    files.append(os.path.join(path, name))
        else:
            files.append(path)
    return files


# The R4 elements of type Resource: DomainResource.contained, Bundle.entry.resource,
# Bundle.entry.response.outcome and Parameters.parameter.resource.
RESOURCE_KEYS = ("contained", "resource", "outcome")


def count_resources(value):
    """Resources in a document (root, contained, entry and parameter resources): the same count the
    Swift bench takes on its tree. Keyed by element name, because a `resourceType` member alone
    is not enough (ExampleScenario.instance has a resourceType code)."""
    count = 0
    stack = [(value, True)]
    while stack:
        item, at_resource = stack.pop()
        if isinstance(item, dict):
            if at_resource and isinstance(item.get("resourceType"), str):
                count += 1
            for key, child in item.items():
                stack.append((child, key in RESOURCE_KEYS))
        elif isinstance(item, list):
            stack.extend((child, at_resource) for child in item)
    return count


def peak_rss_mb():
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024.0 if sys.platform != "darwin" else rss / (1024.0 * 1024.0)


def timed(repeat, body):
    """Median wall time of `repeat` runs of body(), with the cyclic garbage collector off while
    timing (as timeit does): its passes over millions of fresh objects would otherwise more than
    halve orjson's rate on a large document."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            body()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
    return statistics.median(times)


def record(lib, dataset, op, docs, resources, seconds, failures, repeat):
    size = sum(len(d) for d in docs)
    return {
        "tool": lib,
        "dataset": dataset,
        "op": op,
        "files": len(docs),
        "bytes": size,
        "resources": resources,
        "seconds": seconds,
        "mb_per_s": size / 1e6 / seconds if seconds > 0 else 0.0,
        "resources_per_s": resources / seconds if seconds > 0 else 0.0,
        "peak_rss_mb": peak_rss_mb(),
        "failures": failures,
        "repeat": repeat,
    }


def bench_orjson(dataset, docs, repeat):
    import orjson

    loads = orjson.loads
    dumps = orjson.dumps
    parsed = [loads(d) for d in docs]
    resources = sum(count_resources(p) for p in parsed)

    def parse():
        for d in docs:
            loads(d)

    def serialize():
        for p in parsed:
            dumps(p)

    yield record("orjson", dataset, "parse", docs, resources, timed(repeat, parse), 0, repeat)
    yield record("orjson", dataset, "serialize", docs, resources, timed(repeat, serialize), 0, repeat)


def bench_fhir_resources(dataset, docs, names, repeat):
    import orjson
    from fhir.resources import get_fhir_model_class

    # Keep only the documents fhir.resources accepts; count (and name) the others.
    ok_docs, models, resources, failed = [], [], 0, []
    for doc, name in zip(docs, names):
        data = None
        try:
            data = orjson.loads(doc)
            model_class = get_fhir_model_class(data["resourceType"])
            model = model_class.parse_obj(data)
            model.json()
        except Exception as exc:  # noqa: BLE001 - any rejection counts as a failure
            if isinstance(data, dict) and data.get("resourceType") == "Bundle" and len(docs) == 1:
                # One big Bundle that it rejects as a whole (some entries are invalid for it):
                # measure it entry by entry instead, leaving the rejected entries out.
                yield from bench_fhir_resources_entries(dataset, doc, data, repeat)
                return
            failed.append("%s: %s" % (os.path.basename(name), type(exc).__name__))
            continue
        ok_docs.append(doc)
        models.append((model_class, model))
        resources += count_resources(data)
    for line in failed[:20]:
        print("fhir.resources rejected %s" % line, file=sys.stderr)
    if len(failed) > 20:
        print("fhir.resources rejected %d more" % (len(failed) - 20), file=sys.stderr)
    if not ok_docs:
        return
    classes = [c for c, _ in models]

    def parse():
        for doc, model_class in zip(ok_docs, classes):
            model_class.parse_obj(orjson.loads(doc))

    def serialize():
        for _, model in models:
            model.json()

    lib = "fhir.resources"
    yield record(lib, dataset, "parse", ok_docs, resources, timed(repeat, parse), len(failed), repeat)
    yield record(lib, dataset, "serialize", ok_docs, resources, timed(repeat, serialize), len(failed), repeat)


def bench_fhir_resources_entries(dataset, doc, data, repeat):
    """fhir.resources on a Bundle it rejects whole: parse = orjson.loads of the whole document plus
    the validating parse_obj of every entry resource it accepts; serialize = .json() of those."""
    import orjson
    from fhir.resources import get_fhir_model_class

    accepted, models, resources, failures = [], [], 0, 0
    for index, entry in enumerate(data.get("entry") or []):
        item = entry.get("resource") if isinstance(entry, dict) else None
        try:
            model_class = get_fhir_model_class(item["resourceType"])
            model = model_class.parse_obj(item)
            model.json()
        except Exception:  # noqa: BLE001 - any rejection counts as a failure
            failures += 1
            continue
        accepted.append((index, model_class))
        models.append(model)
        resources += count_resources(item)
    print("fhir.resources rejected the Bundle as a whole; measured per entry, %d of %d entries rejected"
          % (failures, failures + len(accepted)), file=sys.stderr)

    def parse():
        entries = orjson.loads(doc)["entry"]
        for index, model_class in accepted:
            model_class.parse_obj(entries[index]["resource"])

    def serialize():
        for model in models:
            model.json()

    lib = "fhir.resources"
    parse_row = record(lib, dataset, "parse", [doc], resources, timed(repeat, parse), failures, repeat)
    parse_row["note"] = "per entry; rejected entries left out"
    yield parse_row
    write_row = record(lib, dataset, "serialize", [doc], resources, timed(repeat, serialize), failures, repeat)
    write_row["note"] = "per entry; rejected entries left out"
    yield write_row


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lib", required=True, choices=["orjson", "fhir.resources"])
    parser.add_argument("--dataset", required=True, help="name shown in the report")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)

    names = collect(args.paths)
    if not names:
        print("error: no JSON files in %s" % " ".join(args.paths), file=sys.stderr)
        return 2
    docs = []
    for name in names:
        with open(name, "rb") as f:
            docs.append(f.read())
    repeat = max(1, args.repeat)
    if args.lib == "orjson":
        results = bench_orjson(args.dataset, docs, repeat)
    else:
        results = bench_fhir_resources(args.dataset, docs, names, repeat)
    for result in results:
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
