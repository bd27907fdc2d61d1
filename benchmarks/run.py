"""Run every benchmark case (or those whose name contains the given words) and report each number beside its limit.

    python -m benchmarks.run [WORD ...] [--out results.json]

Exit status 1 when any number is over its limit. The JSON holds every number, its limit and whether it passed,
with the machine's load while the run went (the machines are shared: ratios against a floor measured in the same
run are the point, absolute seconds are for the reader).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from benchmarks import databases
from benchmarks.harness import Measure

HERE = Path(__file__).resolve().parent


def _load() -> list[float]:
    return list(os.getloadavg())


def main(argv: list[str]) -> int:
    """Run the cases; exit status 1 when any number is over its limit."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("words", nargs="*", help="only the cases whose name contains one of these words")
    parser.add_argument("--out", type=Path, help="write every result as JSON to this file")
    args = parser.parse_args(argv)
    words = [w.lower() for w in args.words]
    started, loads = time.perf_counter(), [_load()]
    records: list[dict[str, Any]] = []
    failed = 0
    try:
        for path in sorted(HERE.glob("bench_*.py")):
            module = importlib.import_module(f"benchmarks.{path.stem}")
            try:
                for result in module.cases(words):
                    print(result.line(), flush=True)
                    records.append(result.record())
                    failed += not result.passed
                    loads.append(_load())
            except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others' numbers
                broken = Measure(f"{path.stem}: the case broke", 1, 0, detail={"error": repr(exc)[:300]})
                traceback.print_exc()
                print(broken.line(), flush=True)
                records.append(broken.record())
                failed += 1
    finally:
        databases.cleanup()
    seconds = time.perf_counter() - started
    print(f"{len(records)} numbers, {failed} over their limit, in {seconds / 60:.1f} min on {databases.backend()}")
    if args.out:
        report = {
            "database": databases.backend(),
            "seconds": round(seconds, 1),
            "cpus": os.cpu_count(),
            "machine": platform.platform(),
            "python": platform.python_version(),
            "load_average_1min": {"min": min(x[0] for x in loads), "max": max(x[0] for x in loads)},
            "failed": failed,
            "results": records,
        }
        args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
