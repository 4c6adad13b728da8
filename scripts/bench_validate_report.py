#!/usr/bin/env python3
"""Merges the validation benchmark's JSON lines (fhirgate-bench validate, bench_validate_fhirkit.py
and the cold-start lines of bench_validate.sh) into one Markdown report with the issue's goals:
at least 2x fhirkit-rs's rate on the examples while doing more checks, peak memory under 300 MB,
cold start under 0.3 s, and validation time growing linearly with the Bundle size.

Usage: bench_validate_report.py OUT.md RESULTS.jsonl...
"""

import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_report import load  # noqa: E402  (the JSON-lines reader the parse benchmark uses)

RATE_GOAL = 2.0
RSS_GOAL_MB = 300.0
COLD_GOAL_S = 0.3


def find(rows, tool, op, dataset=None, threads=None):
    for row in rows:
        if row.get("tool") != tool or row.get("op") != op:
            continue
        if dataset is not None and row.get("dataset") != dataset:
            continue
        if threads is not None and row.get("threads") != threads:
            continue
        return row
    return None


def verdict(ok):
    return "met" if ok else "NOT met"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out_path, inputs = argv[0], argv[1:]
    rows = load(inputs)
    lines = [
        "# Validation benchmark",
        "",
        "%s, %s, %d cores, %s" % (platform.node(), platform.machine(), os.cpu_count() or 1,
                                   time.strftime("%Y-%m-%d %H:%M")),
        "",
        "| tool | dataset | op | threads | files | resources | s/pass | resources/s | peak RSS MB | with errors | errors |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.get("op") == "cold-start":
            continue
        lines.append("| %s | %s | %s | %s | %s | %s | %.4f | %.0f | %.0f | %s | %s |" % (
            r["tool"], r["dataset"], r["op"], r.get("threads", 1), r["files"], r["resources"], r["seconds"],
            r["resources_per_s"], r["peak_rss_mb"], r.get("with_errors", "-"), r.get("errors", "-")))
    lines += ["", "## Goals", ""]

    ours = [r for r in rows if r.get("tool") == "fhirgate" and r.get("op") == "validate"]
    theirs = find(rows, "fhirkit-rs", "validate")
    single = next((r for r in ours if r.get("threads") == 1), None)
    if single and theirs:
        ratio = single["resources_per_s"] / theirs["resources_per_s"] if theirs["resources_per_s"] else 0
        lines.append("- rate on %s, one thread each: fhirgate %.0f resources/s (structure, bindings, invariants) vs "
                     "fhirkit-rs %.0f (structure only): **%.2fx** (goal >= %.1fx: %s)" % (
                         single["dataset"], single["resources_per_s"], theirs["resources_per_s"], ratio, RATE_GOAL,
                         verdict(ratio >= RATE_GOAL)))
    many = max((r for r in ours if r.get("threads", 1) > 1), key=lambda r: r["threads"], default=None)
    theirs_threads = find(rows, "fhirkit-rs", "validate-threads")
    if many and theirs_threads:
        lines.append("- with every core: fhirgate %.0f resources/s (%d threads) vs fhirkit-rs parse_many %.0f" % (
            many["resources_per_s"], many["threads"], theirs_threads["resources_per_s"]))
    peak = max((r["peak_rss_mb"] for r in rows if r.get("tool") == "fhirgate" and r.get("dataset", "").startswith(
        "examples")), default=None)
    if peak is not None:
        lines.append("- peak RSS validating the examples with R4 core loaded: %.0f MB (goal < %.0f MB: %s)" % (
            peak, RSS_GOAL_MB, verdict(peak < RSS_GOAL_MB)))
    cold = find(rows, "fhirgate", "cold-start")
    if cold:
        lines.append("- cold start, `fhirgate validate` of one small file (median of %d runs, wall): %.3f s, "
                     "peak RSS %.0f MB (goal < %.1f s: %s)" % (
                         cold["repeat"], cold["seconds"], cold["peak_rss_mb"], COLD_GOAL_S,
                         verdict(cold["seconds"] < COLD_GOAL_S)))
    cold_kit = find(rows, "fhirkit-rs", "cold-start")
    if cold_kit:
        lines.append("- for comparison, `fhirkit validate` (its Python command line) on the same file: %.3f s" %
                     cold_kit["seconds"])
    bundles = sorted((r for r in rows if r.get("op") == "validate-bundle"), key=lambda r: r["resources"])
    if bundles:
        parts = ["%d entries %.3f s (%.1f us/entry)" % (r["resources"] - 1, r["seconds"],
                                                        r["seconds"] * 1e6 / max(1, r["resources"] - 1))
                 for r in bundles]
        lines.append("- Bundles with internal references: " + ", ".join(parts))
        if len(bundles) >= 2:
            small, large = bundles[0], bundles[-1]
            per_small = small["seconds"] / max(1, small["resources"] - 1)
            per_large = large["seconds"] / max(1, large["resources"] - 1)
            growth = per_large / per_small if per_small else 0
            lines.append("  - time per entry at the largest size / at the smallest: %.2f (linear: about 1; "
                         "goal: %s)" % (growth, verdict(growth < 1.5)))
    text = "\n".join(lines) + "\n"
    with open(out_path, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
