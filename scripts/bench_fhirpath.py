#!/usr/bin/env python3
"""FHIRPath evaluation throughput: FHIRGate (`fhirgate-bench fhirpath`, release build) against
fhirpathpy 2.2.4, on the same expressions and the same inputs.

The Swift bench is the source of truth for the workload: this script runs it with
`--format json`, reads each expression, its scope and its target count from the output, then
evaluates the same expressions with fhirpathpy (compiled once with the R4 model, trace output
discarded) on the same targets of the same JSON files, repeating passes until --min-seconds have
elapsed. Scopes (see Sources/FHIRGateBench/FHIRPathBenchWorkload.swift):

* elements          every complex element (JSON object) of every resource, contained and entry
                    resources included, but not the resources themselves nor primitive extensions
                    (`_name` objects)
* domain-resources  every document root that is a DomainResource (not Bundle, Binary, Parameters)
* resources         every document root
* type:T            every document root of resource type T

fhirpathpy 2.2.4 has no `hasValue()`: where an expression fails to run in fhirpathpy because a
function is missing, the row says so; for ele-1 it then runs `children().count() > id.count()`,
which is equivalent on complex elements (hasValue() is false for them), and marks the row.

Prints one table (and, with --out, writes it as Markdown), plus both tools' JSON lines with
--jsonl. Needs fhirpathpy==2.2.4 importable (e.g. `pip install fhirpathpy==2.2.4` in .venv-bench).

Usage: bench_fhirpath.py --bench PATH/fhirgate-bench [--min-seconds S] [--out results.md]
                         [--jsonl results.jsonl] EXAMPLES_DIR
"""

import argparse
import gc
import json
import os
import subprocess
import sys
import time

RESOURCE_KEYS = ("contained", "resource", "outcome")
NOT_DOMAIN_RESOURCES = ("Bundle", "Binary", "Parameters")
ELE1_VARIANT = "children().count() > id.count()"


def load_documents(folder):
    documents = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name), "rb") as f:
                documents.append(json.loads(f.read()))
    return documents


def element_path(model, parent, key):
    """The type path fhirpathpy gives the child `key` of a node at `parent` (as its navigation
    does): the element's type (`HumanName`), or its own path for a backbone element."""
    path = "Extension" if key == "extension" else parent + "." + key
    path = model["pathsDefinedElsewhere"].get(path, path)
    path = model["path2Type"].get(path, path)
    for i in range(1, len(key)):
        if key[i].isupper() and key[i:] in model["choiceTypePaths"].get(parent + "." + key[:i], ()):
            return key[i:]
    return path


def complex_elements(root, model):
    """(object, type path) of every JSON object that is an element (not a resource), skipping
    `_name` primitive extensions."""
    found = []
    stack = [(root, True, "")]
    while stack:
        item, at_resource, path = stack.pop()
        if isinstance(item, list):
            stack.extend((child, at_resource, path) for child in item)
            continue
        if not isinstance(item, dict):
            continue
        if at_resource and isinstance(item.get("resourceType"), str):
            path = item["resourceType"]
        else:
            found.append((item, path))
        for key, child in item.items():
            if key.startswith("_") or key == "resourceType":
                continue
            stack.append((child, key in RESOURCE_KEYS, element_path(model, path, key)))
    return found


def targets_for(scope, documents, elements):
    if scope == "elements":
        return elements
    if scope == "domain-resources":
        return [d for d in documents if d.get("resourceType") not in NOT_DOMAIN_RESOURCES]
    if scope == "resources":
        return documents
    if scope.startswith("type:"):
        return [d for d in documents if d.get("resourceType") == scope[5:]]
    raise SystemExit("unknown scope %r in the fhirgate-bench output" % scope)


def run_fhirpathpy(row, documents, elements, min_seconds):
    from fhirpathpy import compile as fp_compile
    from fhirpathpy.models import models

    options = {"traceFn": lambda label, value: None}
    targets = targets_for(row["scope"], documents, elements)
    if row["scope"] == "elements":
        from fhirpathpy.engine.nodes import ResourceNode

        targets = [ResourceNode(data, path) for data, path in targets]
    expression = row["expression"]
    note = ""
    try:
        fn = fp_compile(expression, models["r4"], options)
        if targets:
            fn(targets[0])
    except Exception as error:  # fhirpathpy raises plain Exceptions for missing functions
        if row["name"] == "ele-1":
            expression = ELE1_VARIANT
            note = "fhirpathpy ran `%s` (no hasValue())" % ELE1_VARIANT
            fn = fp_compile(expression, models["r4"], options)
        else:
            return {"error": "%s: %s" % (type(error).__name__, str(error)[:120]), "targets": len(targets)}

    true_results = nonempty = errors = 0
    for target in targets:
        try:
            result = fn(target)
        except Exception:
            errors += 1
            continue
        if result:
            nonempty += 1
        if len(result) == 1 and result[0] is True:
            true_results += 1

    passes = 0
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        elapsed = 0.0
        while True:
            for target in targets:
                try:
                    fn(target)
                except Exception:
                    pass
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_seconds or not targets:
                break
    finally:
        gc.enable()
    evaluations = passes * len(targets)
    return {
        "tool": "fhirpathpy",
        "name": row["name"],
        "expression": expression,
        "scope": row["scope"],
        "targets": len(targets),
        "evaluations": evaluations,
        "seconds": elapsed,
        "evals_per_s": evaluations / elapsed if elapsed > 0 else 0.0,
        "true_results": true_results,
        "nonempty_results": nonempty,
        "errors": errors,
        "note": note,
    }


def fmt(value):
    return "%.0f" % value if value >= 100 else "%.1f" % value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", required=True, help="the fhirgate-bench binary (release build)")
    parser.add_argument("--min-seconds", type=float, default=1.0, help="timed seconds per expression and tool")
    parser.add_argument("--package-cache", help="passed to fhirgate-bench")
    parser.add_argument("--out", help="write the table as Markdown here")
    parser.add_argument("--jsonl", help="write both tools' measurements as JSON lines here")
    parser.add_argument("examples")
    args = parser.parse_args()

    try:
        import fhirpathpy  # noqa: F401
    except ImportError:
        raise SystemExit("fhirpathpy is not installed: pip install fhirpathpy==2.2.4")

    command = [args.bench, "fhirpath", "--format", "json", "--min-seconds", str(args.min_seconds)]
    if args.package_cache:
        command += ["--package-cache", args.package_cache]
    command.append(args.examples)
    swift = subprocess.run(command, check=True, capture_output=True, text=True)
    rows = [json.loads(line) for line in swift.stdout.splitlines() if line.strip()]

    documents = load_documents(args.examples)
    from fhirpathpy.models import models

    elements = [e for d in documents for e in complex_elements(d, models["r4"])]
    header = [
        "expression", "scope", "targets (swift/py)", "fhirgate evals/s", "fhirpathpy evals/s", "ratio",
        "true (swift/py)", "errors (swift/py)", "note",
    ]
    table = [header]
    lines = []
    ratios = []
    for row in rows:
        py = run_fhirpathpy(row, documents, elements, args.min_seconds)
        lines += [row, py]
        if "error" in py:
            table.append([
                row["name"], row["scope"], "%d/%d" % (row["targets"], py["targets"]), fmt(row["evals_per_s"]), "-",
                "-", "%d/-" % row["true_results"], "%d/-" % row["errors"], "fhirpathpy cannot run it: " + py["error"],
            ])
            continue
        ratio = row["evals_per_s"] / py["evals_per_s"] if py["evals_per_s"] > 0 else float("inf")
        ratios.append(ratio)
        note = py["note"]
        if row["targets"] != py["targets"]:
            note = (note + "; " if note else "") + "target counts differ"
        table.append([
            row["name"], row["scope"], "%d/%d" % (row["targets"], py["targets"]), fmt(row["evals_per_s"]),
            fmt(py["evals_per_s"]), "%.1fx" % ratio, "%d/%d" % (row["true_results"], py["true_results"]),
            "%d/%d" % (row["errors"], py["errors"]), note,
        ])
    if ratios:
        product = 1.0
        for r in ratios:
            product *= r
        geo = product ** (1.0 / len(ratios))
        summary = "geometric mean ratio %.1fx, minimum %.1fx over %d expressions" % (geo, min(ratios), len(ratios))
    else:
        summary = "no expression ran in both tools"

    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    for r in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(r)).rstrip())
    print(summary)
    if args.out:
        with open(args.out, "w") as f:
            f.write("# FHIRPath evaluation: fhirgate vs fhirpathpy 2.2.4\n\n")
            f.write("| " + " | ".join(header) + " |\n")
            f.write("|" + "---|" * len(header) + "\n")
            for r in table[1:]:
                f.write("| " + " | ".join(cell.replace("|", "\\|") for cell in r) + " |\n")
            f.write("\n" + summary + "\n")
    if args.jsonl:
        with open(args.jsonl, "w") as f:
            for line in lines:
                f.write(json.dumps(line) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
