"""The JSON of `python -m benchmarks.run --out FILE` as a Markdown table (for the README's "Performance" section).

python -m benchmarks.table results.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchmarks.harness import shown


def _value(record: dict[str, Any]) -> str:
    unit = record.get("unit", "")
    if record["kind"] == "ratio":
        return f"{record['value']:.2f}x ({record['subject_seconds']:.3f} s / {record['floor_seconds']:.3f} s)"
    return f"{shown(record['value'])}{unit}"


def _limit(record: dict[str, Any]) -> str:
    limit = record["limit"]
    if limit == float("inf") or limit is None:
        return "–"
    unit = "x" if record["kind"] == "ratio" else record.get("unit", "")
    return f"≤ {shown(float(limit))}{unit}"


def table(report: dict[str, Any]) -> str:
    """The Markdown table of a run's results."""
    lines = ["| case | measured | goal | |", "| --- | --- | --- | --- |"]
    for record in report["results"]:
        verdict = "pass" if record["passed"] else "**fail**"
        lines.append(f"| {record['name']} | {_value(record)} | {_limit(record)} | {verdict} |")
    load = report["load_average_1min"]
    lines.append("")
    lines.append(
        f"{len(report['results'])} numbers, {report['failed']} over their goal; {report['database']}, "
        f"{report['cpus']} CPUs, {report['seconds'] / 60:.1f} min, load average {load['min']:.1f}–{load['max']:.1f}."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
