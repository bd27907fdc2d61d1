"""The only package that imports streamlit: runtime (engine, cached read/write, errors), session (language,
identity), region, fmt (the one formatter bound to the session), widgets, and one module per page family."""

from hubdash.ui import fmt
from hubdash.ui.identity import actor, actor_badge
from hubdash.ui.region import region_name, region_picker, require_permission, require_region
from hubdash.ui.runtime import attempt, guard, guarded, read, read_fresh, read_shared, show_error, start, write
from hubdash.ui.session import display, label, language, language_switch, t
from hubdash.ui.text import flash, literal, md, message, show, show_flash
from hubdash.ui.widgets import FAVICON, cached_chart, chart_view, enum_select, page_title, status_metrics

__all__ = [
    "FAVICON",
    "actor",
    "actor_badge",
    "attempt",
    "cached_chart",
    "chart_view",
    "display",
    "enum_select",
    "flash",
    "fmt",
    "guard",
    "guarded",
    "label",
    "language",
    "language_switch",
    "literal",
    "md",
    "message",
    "page_title",
    "read",
    "read_fresh",
    "read_shared",
    "region_name",
    "region_picker",
    "require_permission",
    "require_region",
    "show",
    "show_error",
    "show_flash",
    "start",
    "status_metrics",
    "t",
    "write",
]
