"""The indicators page's tables: the catalogue, targets and their history (the target form: ui.target_form)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.enums import Measure
from hubdash.domain.kpi_hints import HintRule
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.profiles import percents
from hubdash.models import Hub, Indicator, Target
from hubdash.services.indicators import CatalogueEntry
from hubdash.services.targets import TargetHistoryEntry
from hubdash.ui import fmt
from hubdash.ui.session import display, label, t
from hubdash.ui.tables import row_px_to_fit, table

HINT_TEXT = {
    HintRule.GOAL_WITHOUT_OUTCOME: "indicators.hint_goal_without_outcome",
    HintRule.INDICATOR_WITHOUT_TARGET: "indicators.hint_indicator_without_target",
    HintRule.TARGET_WITHOUT_BASELINE: "indicators.hint_target_without_baseline",
    HintRule.TARGET_WITHOUT_DEADLINE: "indicators.hint_target_without_deadline",
    HintRule.TARGET_NOT_AHEAD: "indicators.hint_target_not_ahead",
    HintRule.HUB_ONLY_INPUTS: "indicators.hint_hub_only_inputs",
}


# 935 px: every column and header in view at 1400 px (labels run longer in English)
CATALOGUE_WIDTHS = {
    "ja": (60, 200, 60, 45, 70, 85, 100, 100, 215),
    "en": (45, 150, 80, 70, 95, 60, 135, 120, 180),
}

# how values add up, in the few words a table column has room for
MEASURE_WORDS = {Measure.FLOW: "indicators.measure_short_flow", Measure.LEVEL: "indicators.measure_short_level"}


def catalogue_table(entries: list[CatalogueEntry]) -> pd.DataFrame:
    """The indicator catalogue with translated headers and labels, what each indicator is first."""
    return pd.DataFrame(
        {
            t("col.code"): [e.indicator.code for e in entries],
            t("col.indicator"): [e.indicator.name for e in entries],
            t("col.unit"): [e.indicator.unit for e in entries],
            t("col.kind"): [label(e.indicator.kind) for e in entries],
            t("col.goal"): [e.goal_code or "–" for e in entries],
            t("col.targets"): [e.targets for e in entries],
            t("col.measure"): [t(MEASURE_WORDS[e.indicator.measure]) for e in entries],
            t("col.direction"): [label(e.indicator.direction) for e in entries],
            # one column, so that every column is in view at 1400 px; the edit tab shows both in full
            t("indicators.definition_source"): [
                t(
                    "indicators.definition_with_source",
                    definition=e.indicator.definition,
                    source=e.indicator.data_source,
                )
                if e.indicator.data_source
                else e.indicator.definition
                for e in entries
            ],
        }
    )


def catalogue(entries: list[CatalogueEntry]) -> None:
    """The catalogue with every indicator in view and the columns that say what each one is first."""
    frame = catalogue_table(entries)
    widths = dict(zip(frame.columns, CATALOGUE_WIDTHS.get(display().lang, CATALOGUE_WIDTHS["en"]), strict=True))
    names = {c: widths[c] for c in (t("col.indicator"), t("col.unit"))}  # read whole, on two lines if need be
    table(
        frame,
        max_rows=30,
        column_config={c: st.column_config.Column(width=w) for c, w in widths.items()},
        row_height=row_px_to_fit(frame, names),
    )


def targets_table(targets: list[tuple[Target, Indicator, Hub | None]]) -> pd.DataFrame:
    """Targets with baseline, target, periods, milestones and tolerance, with translated headers."""
    return pd.DataFrame(
        {
            t("col.hub"): [hub.name if hub else t("indicators.whole_region") for _, _, hub in targets],
            t("col.indicator"): [fmt.coded(ind.code, ind.name) for _, ind, _ in targets],
            t("col.baseline"): [fmt.number(tg.baseline_value) for tg, _, _ in targets],
            t("col.baseline_period"): [
                fmt.period(FiscalQuarter(tg.baseline_fy, tg.baseline_quarter)) for tg, _, _ in targets
            ],
            t("col.target"): [fmt.number(tg.target_value) for tg, _, _ in targets],
            t("col.target_period"): [
                fmt.period(FiscalQuarter(tg.target_fy, tg.target_quarter)) for tg, _, _ in targets
            ],
            t("col.unit"): [ind.unit for _, ind, _ in targets],
            t("col.accumulation"): [label(tg.accumulation) if ind.measure == "flow" else "–" for tg, ind, _ in targets],
            t("indicators.milestones"): [
                ", ".join(
                    f"{fmt.fiscal_year(int(fy))}: {fmt.number(v)}" for fy, v in sorted((tg.milestones or {}).items())
                )
                for tg, _, _ in targets
            ],
            t("indicators.tolerance"): [fmt.number(tg.tolerance * 100) for tg, _, _ in targets],
            t("profile.title"): [profile_text(tg.profile) if tg.profile else "–" for tg, _, _ in targets],
        }
    )


def profile_text(profile: list[float] | tuple[float, ...] | None) -> str:
    """A profile as people read it: 15 / 37 / 62 / 100 % (the linear path without one)."""
    return " / ".join(str(p) for p in percents(profile)) + " %"


def target_history_table(history: list[TargetHistoryEntry]) -> pd.DataFrame:
    """Re-baselinings: when, who, which target, why, and each changed field as before -> after."""
    names = {
        "baseline_value": t("col.baseline"),
        "baseline_period": t("col.baseline_period"),
        "target_value": t("col.target"),
        "target_period": t("col.target_period"),
        "accumulation": t("col.accumulation"),
        "tolerance": t("indicators.tolerance"),
        "milestones": t("indicators.milestones"),
        "profile": t("profile.title"),
    }

    def shown(key: str, value: object) -> str:
        if key == "tolerance" and isinstance(value, int | float):
            return f"{fmt.number(value * 100)} %"  # stored as a fraction, entered and shown in percent
        if key == "profile":  # kept in percent; None is the linear path
            return " / ".join(str(p) for p in value) + " %" if isinstance(value, list) else t("profile.linear")
        return str(value)

    def changes(entry: TargetHistoryEntry) -> str:
        keys = [k for k in entry.after if entry.before.get(k) != entry.after.get(k)]
        return "; ".join(
            f"{names.get(k, k)}: {shown(k, entry.before.get(k))} → {shown(k, entry.after.get(k))}" for k in keys
        )

    return pd.DataFrame(
        {
            t("col.when"): [fmt.when(h.changed_at) for h in history],
            t("col.who"): [fmt.person(h.changed_by) for h in history],
            t("col.hub"): [h.hub_code or t("indicators.whole_region") for h in history],
            t("col.indicator"): [h.indicator_code for h in history],
            t("col.reason"): [h.reason for h in history],
            t("indicators.change"): [changes(h) for h in history],
        }
    )
