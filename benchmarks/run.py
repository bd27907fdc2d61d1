"""Run every benchmark case (or those whose name contains the given words) and report the ratios."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    """Run the cases; exit status 1 when any ratio is over its limit."""
    words = [w.lower() for w in argv]
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        for result in module.cases(words):
            print(result.line(), flush=True)
            failed += not result.passed
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
