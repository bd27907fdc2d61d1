"""The only package that imports streamlit: runtime (engine, cached read/write, errors), session (language,
identity), region, fmt (the one formatter bound to the session), widgets, and one module per page family."""

from hubdash.ui import fmt
from hubdash.ui.region import region_name, region_picker, require_region
from hubdash.ui.runtime import attempt, read, read_fresh, show_error, start, write
from hubdash.ui.session import (
    actor,
    actor_badge,
    display,
    label,
    language,
    language_switch,
    participant,
    participant_name_input,
    t,
)
from hubdash.ui.widgets import FAVICON, chart_view, enum_select, flash, page_title, show_flash, status_metrics

__all__ = [
    "FAVICON",
    "actor",
    "actor_badge",
    "attempt",
    "chart_view",
    "display",
    "enum_select",
    "flash",
    "fmt",
    "label",
    "language",
    "language_switch",
    "page_title",
    "participant",
    "participant_name_input",
    "read",
    "read_fresh",
    "region_name",
    "region_picker",
    "require_region",
    "show_error",
    "show_flash",
    "start",
    "status_metrics",
    "t",
    "write",
]
