#!/usr/bin/env python3
"""Merges benchmark results (JSON lines from fhirgate-bench --format json and bench_python.py)
into one Markdown table, with the ratio of our JSON parse rate to orjson's raw parse rate.

Usage: bench_report.py OUT.md RESULTS.jsonl...
"""

import json
import os
import platform
import sys
import time

GOAL = 0.5  # parse to the lossless tree at >= half of orjson's raw parse rate (MB/s)


def load(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    rows.append(json.loads(line))
    return rows


def find(rows, dataset, tool, op):
    for row in rows:
        if row["dataset"] == dataset and row["tool"] == tool and row["op"] == op:
            return row
    return None


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, inputs = argv[0], argv[1:]
    rows = load(inputs)
    datasets = []
    for row in rows:
        if row["dataset"] not in datasets:
            datasets.append(row["dataset"])

    lines = [
        "# FHIRGate benchmark results",
        "",
        "%s, %s, Python %s. MB = 10^6 bytes of the input documents (JSON for JSON rows, the XML"
        % (time.strftime("%Y-%m-%d %H:%M"), platform.machine(), platform.python_version()),
        "written from the same trees for xml rows); serialize rates use the same input size. Times are",
        "the median of the passes; peak RSS is the process's ru_maxrss after that step (it includes",
        "all documents held in memory). fhir.resources parse = orjson.loads + validating parse_obj.",
        "Python is timed with its cyclic garbage collector off, as timeit does.",
        "Load average when the report was written: %s (other work on the machine skews the rates)."
        % ", ".join("%.2f" % x for x in os.getloadavg()),
        "",
        "| dataset | tool | op | files | MB | MB/s | resources/s | peak RSS MB | failed | passes |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    tools = ["fhirgate", "orjson", "fhir.resources"]
    ops = ["parse", "serialize", "xml-parse", "xml-serialize"]
    rows.sort(
        key=lambda r: (
            datasets.index(r["dataset"]),
            tools.index(r["tool"]) if r["tool"] in tools else len(tools),
            ops.index(r["op"]) if r["op"] in ops else len(ops),
        )
    )
    notes = []
    for row in rows:
        if row.get("note"):
            notes.append("- %s / %s / %s: %s" % (row["dataset"], row["tool"], row["op"], row["note"]))
        lines.append(
            "| %s | %s | %s | %d | %.1f | %.1f | %.0f | %.0f | %d | %d |"
            % (
                row["dataset"],
                row["tool"],
                row["op"],
                row["files"],
                row["bytes"] / 1e6,
                row["mb_per_s"],
                row["resources_per_s"],
                row["peak_rss_mb"],
                row["failures"],
                row["repeat"],
            )
        )
    if notes:
        lines.append("")
        lines += notes
    lines.append("")
    lines.append("Ratio of fhirgate JSON parse (to the lossless tree) to orjson.loads (raw), in MB/s; goal >= %.2f:" % GOAL)
    lines.append("")
    for dataset in datasets:
        ours = find(rows, dataset, "fhirgate", "parse")
        theirs = find(rows, dataset, "orjson", "parse")
        if not ours or not theirs or theirs["mb_per_s"] <= 0:
            lines.append("- %s: not measured" % dataset)
            continue
        ratio = ours["mb_per_s"] / theirs["mb_per_s"]
        verdict = "meets" if ratio >= GOAL else "below"
        lines.append(
            "- %s: %.1f / %.1f MB/s = **%.2f** (%s the goal)"
            % (dataset, ours["mb_per_s"], theirs["mb_per_s"], ratio, verdict)
        )
        fr = find(rows, dataset, "fhir.resources", "parse")
        if fr and fr["mb_per_s"] > 0:
            lines.append(
                "  - vs fhir.resources parse: %.1fx (it rejected %d inputs, left out of its rate)"
                % (ours["mb_per_s"] / fr["mb_per_s"], fr["failures"])
            )
    text = "\n".join(lines) + "\n"
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
