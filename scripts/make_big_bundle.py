#!/usr/bin/env python3
"""Builds a large FHIR R4 collection Bundle for the benchmark.

The Bundle repeats the given example resources (normally the 719 official R4 JSON examples) as
entries, each copy with a fresh id and a matching fullUrl, until the output reaches --min-mb
megabytes (10^6 bytes). Numbers keep their exact source lexemes (1.10 stays 1.10), so the
generated file exercises the same decimal handling as the originals. Output is deterministic.

Usage: make_big_bundle.py EXAMPLES_DIR OUT.json [--min-mb 50]
"""

import argparse
import json
import os
import sys

ID_PLACEHOLDER = "@@FHIRGATE-BENCH-ID@@"


class RawNumber(str):
    """A JSON number kept as its source lexeme."""


def load_raw(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return json.loads(text, parse_float=RawNumber, parse_int=RawNumber)


def dump(value, out):
    """Compact JSON, numbers written back verbatim."""
    if isinstance(value, RawNumber):
        out.append(str(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, bool):
        out.append("true" if value else "false")
    elif value is None:
        out.append("null")
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            dump(item, out)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            dump(item, out)
        out.append("]")
    else:
        raise TypeError("unexpected JSON value of type %s" % type(value).__name__)


def template(resource):
    """The compact text of a resource with a placeholder id (id placed right after resourceType)."""
    reordered = {"resourceType": resource["resourceType"], "id": ID_PLACEHOLDER}
    for key, item in resource.items():
        if key not in ("resourceType", "id"):
            reordered[key] = item
    out = []
    dump(reordered, out)
    return "".join(out)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", help="folder of FHIR JSON resources")
    parser.add_argument("output", help="where to write the Bundle")
    parser.add_argument("--min-mb", type=float, default=50.0, help="minimum size in MB (default 50)")
    args = parser.parse_args(argv)

    names = sorted(n for n in os.listdir(args.examples) if n.endswith(".json"))
    templates = []
    for name in names:
        resource = load_raw(os.path.join(args.examples, name))
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            continue
        templates.append((resource["resourceType"], template(resource)))
    if not templates:
        print("error: no FHIR JSON resources in %s" % args.examples, file=sys.stderr)
        return 2

    target = int(args.min_mb * 1_000_000)
    placeholder = json.dumps(ID_PLACEHOLDER)
    head = '{"resourceType":"Bundle","id":"fhirgate-bench-big","type":"collection","entry":['
    tmp = args.output + ".part"
    written = 0
    count = 0
    with open(tmp, "w", encoding="utf-8") as out:
        out.write(head)
        written += len(head)
        while written < target:
            for resource_type, text in templates:
                new_id = "b%07d" % count
                entry = '%s{"fullUrl":"http://example.org/fhir/%s/%s","resource":%s}' % (
                    "," if count else "",
                    resource_type,
                    new_id,
                    text.replace(placeholder, json.dumps(new_id), 1),
                )
                out.write(entry)
                written += len(entry.encode("utf-8"))
                count += 1
        out.write("]}")
    os.replace(tmp, args.output)
    size = os.path.getsize(args.output)
    print("wrote %s: %d entries, %.1f MB" % (args.output, count, size / 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
