"""The JSON of `python -m benchmarks.run --out FILE` as Markdown tables (for the README's "Performance" section).

    python -m benchmarks.table results.json

One table of pages (cold, warm, growth, chart data, peak memory; a number that misses its goal in bold with
"fail"), one of every other case.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import shown

PAGE_COLUMNS = (
    ("cold / trivial page", "cold / trivial"),
    ("warm / trivial page", "warm / trivial"),
    ("47 regions / 1 region", "47 / 1 region"),
    ("chart data", "chart data"),
    ("peak memory", "peak memory"),
)


def _value(record: dict[str, Any]) -> str:
    if record["kind"] == "ratio":
        return f"{record['value']:.2f}x"
    unit = record.get("unit", "")
    if unit == " bytes":
        return f"{record['value'] / 1024:.0f} KB"
    return f"{shown(record['value'])}{unit}"


def _cell(record: dict[str, Any]) -> str:
    return _value(record) if record["passed"] else f"**{_value(record)} fail**"


def _goal(record: dict[str, Any]) -> str:
    limit = float(record["limit"])
    if not math.isfinite(limit):
        return "–"
    if record["kind"] == "ratio":
        return f"≤ {shown(limit)}x"
    return f"≤ {shown(limit)}{record.get('unit', '')}"


def table(report: dict[str, Any]) -> str:
    """The Markdown tables of a run's results."""
    pages: dict[str, dict[str, dict[str, Any]]] = {}
    others = []
    for record in report["results"]:
        name = record["name"]
        if name.startswith("page ") and ": " in name:
            page, what = name[len("page ") :].split(": ", 1)
            pages.setdefault(page, {})[what] = record
        else:
            others.append(record)
    lines = ["| page | " + " | ".join(title for _, title in PAGE_COLUMNS) + " |"]
    lines.append("| --- " * (len(PAGE_COLUMNS) + 1) + "|")
    for page, found in pages.items():
        cells = [_cell(found[key]) if key in found else "–" for key, _ in PAGE_COLUMNS]
        if "errors" in found:
            cells[0] += " (errors)"
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += ["", "| case | measured | goal | |", "| --- | --- | --- | --- |"]
    for record in others:
        detail = ""
        if record["kind"] == "ratio":
            detail = f" ({record['subject_seconds']:.2f} s / {record['floor_seconds']:.2f} s)"
        verdict = "pass" if record["passed"] else "**fail**"
        lines.append(f"| {record['name']} | {_value(record)}{detail} | {_goal(record)} | {verdict} |")
    load = report["load_average_1min"]
    lines += [
        "",
        f"{len(report['results'])} numbers, {report['failed']} missing their goal; {report['database']}, "
        f"{report['cpus']} CPUs, {report['seconds'] / 60:.1f} min, 1-minute load average "
        f"{load['min']:.1f}–{load['max']:.1f} during the run.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
