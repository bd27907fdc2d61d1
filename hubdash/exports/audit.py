"""The audit trail as a file (CSV with BOM or XLSX), through the one formula-safe table writer."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hubdash.exports.tables import Sheet, table_file
from hubdash.fmt import Display
from hubdash.services.audit_log import AuditLine

COLUMNS = ("col.when", "col.who", "col.action", "col.entity", "col.region", "audit.before", "audit.after")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value is not None else ""


def audit_file(lines: Sequence[AuditLine], fmt: str, display: Display) -> bytes:
    """The events with time in the reader's zone, headers in their language, before/after as JSON."""
    rows = [
        (
            display.when(e.occurred_at),
            e.actor_name,
            e.action,
            f"{e.entity_type} #{e.entity_id}",
            e.region,
            _json(e.before),
            _json(e.after),
        )
        for e in lines
    ]
    return table_file(fmt, Sheet(display.t("audit.title"), [display.t(c) for c in COLUMNS], rows))
