"""The sentences the executive page and reports share: which quarter a summary is as of, and a quarter's coverage."""

from __future__ import annotations

from hubdash.fmt import Display
from hubdash.services.executive import ExecutiveSummary
from hubdash.services.reporting import Coverage


def coverage_text(d: Display, coverage: Coverage) -> str:
    """A quarter's coverage, e.g. FY2026 Q3 (provisional): 1 of 3 hubs reported (0 submitted)."""
    return d.t(
        "reporting.coverage",
        period=d.period(coverage.period),
        reported=coverage.reported,
        hubs=coverage.hubs,
        submitted=coverage.submitted,
    )


def as_of_text(summary: ExecutiveSummary, d: Display) -> str:
    """Whether the summary's quarter is the latest every hub has submitted, or provisional and how far."""
    if summary.as_of is None:
        return d.t("reporting.nothing_reported")
    if summary.complete:
        return d.t("reporting.as_of_complete", period=d.period(summary.as_of))
    detail = coverage_text(d, summary.coverage) if summary.coverage else ""
    return d.t("reporting.as_of_provisional", period=d.period(summary.as_of), detail=detail)
