"""What the progress entry page needs around the measurement services: versions, corrections, files."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor, Permission, require
from hubdash.exports.tables import write_csv, write_xlsx
from hubdash.models import Hub, Indicator, Measurement, MeasurementCorrection, Region
from hubdash.readers.progress_file import parse_progress_file
from hubdash.services.measurements import (
    EXPORT_HEADER,
    ImportPlan,
    ValueEntry,
    entry_sheet,
    export_rows,
    plan_import,
)
from hubdash.services.progress import QuarterRow

FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class EnteredValue:
    """The stored value of one indicator in the hub's quarter, with the version an edit starts from."""

    value: float
    note: str
    version: int


def entered_values(*, session: Session, hub_id: int, at: FiscalQuarter) -> dict[int, EnteredValue]:
    """Indicator id -> stored value of a hub in one quarter."""
    rows = session.exec(
        select(Measurement).where(
            Measurement.hub_id == hub_id, Measurement.fiscal_year == at.fiscal_year, Measurement.quarter == at.quarter
        )
    ).all()
    return {m.indicator_id: EnteredValue(m.value, m.note, m.version) for m in rows}


@dataclass(frozen=True)
class CorrectionRow:
    """One correction of a value: what it was, what it became, who and when, typed or imported."""

    indicator_code: str
    indicator_name: str
    old_value: float
    new_value: float
    old_note: str
    new_note: str
    corrected_at: datetime
    corrected_by: str
    source: str


def quarter_corrections(*, session: Session, hub_id: int, at: FiscalQuarter) -> list[CorrectionRow]:
    """Every correction of the hub's values for one quarter, newest first."""
    rows = session.exec(
        select(MeasurementCorrection, Indicator)
        .join(Measurement, col(Measurement.id) == MeasurementCorrection.measurement_id)
        .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
        .where(
            Measurement.hub_id == hub_id, Measurement.fiscal_year == at.fiscal_year, Measurement.quarter == at.quarter
        )
        .order_by(col(MeasurementCorrection.corrected_at).desc(), col(MeasurementCorrection.id).desc())
    ).all()
    return [
        CorrectionRow(
            indicator_code=indicator.code,
            indicator_name=indicator.name,
            old_value=c.old_value,
            new_value=c.new_value,
            old_note=c.old_note,
            new_note=c.new_note,
            corrected_at=c.corrected_at,
            corrected_by=c.corrected_by_name,
            source=c.source,
        )
        for c, indicator in rows
    ]


def _blank(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def changed_entries(
    rows: Sequence[QuarterRow],
    values: Mapping[int, float | None],
    notes: Mapping[int, str],
    stored: Mapping[int, EnteredValue],
) -> list[ValueEntry]:
    """The rows whose typed value or note differs from what is stored (pure); blank values are skipped."""
    entries = []
    for row in rows:
        value = values.get(row.indicator_id)
        if _blank(value):
            continue
        note = (notes.get(row.indicator_id) or "").strip()
        before = stored.get(row.indicator_id)
        if before is not None and before.value == float(value) and before.note == note:  # type: ignore[arg-type]
            continue
        entries.append(
            ValueEntry(row.indicator_id, float(value), note, before.version if before else None)  # type: ignore[arg-type]
        )
    return entries


@dataclass(frozen=True)
class UploadPlan:
    """What an uploaded file would change, and the rows skipped because their value was blank."""

    plan: ImportPlan
    blank_rows: list[int]


def plan_upload(*, session: Session, actor: Actor, data: bytes, filename: str) -> UploadPlan:
    """Read and validate an uploaded progress file and compare it with stored values; writes nothing.

    Raises ImportFileError listing every bad row.
    """
    parsed = parse_progress_file(data, filename)
    plan = plan_import(session=session, actor=actor, rows=parsed.rows, known_errors=parsed.errors)
    return UploadPlan(plan, parsed.blank_rows)


def export_file(*, session: Session, actor: Actor, region_id: int, hub_id: int | None, fmt: str) -> bytes:
    """The region's (or one hub's) values as a CSV or XLSX file in the import columns."""
    require(actor, Permission.EXPORT_REPORTS, region_id=region_id)
    region = session.get(Region, region_id)
    if region is None:
        raise ValueError(f"no region {region_id}")
    hub = session.get(Hub, hub_id) if hub_id is not None else None
    rows = export_rows(session=session, actor=actor, region_code=region.code, hub_code=hub.code if hub else None)
    return _write(fmt, EXPORT_HEADER, rows)


def entry_workbook(*, session: Session, actor: Actor, hub_id: int, at: FiscalQuarter, lang: str) -> bytes:
    """The pre-filled XLSX a hub manager fills in offline for one quarter and uploads back."""
    header, rows = entry_sheet(session=session, actor=actor, hub_id=hub_id, period=at, lang=lang)
    return write_xlsx(header, rows, widths=[8, 10, 11, 10, 30, 30, 8, 12, 10])


def _write(fmt: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    if fmt == "csv":
        return write_csv(header, rows)  # type: ignore[arg-type]
    if fmt == "xlsx":
        return write_xlsx(header, rows)  # type: ignore[arg-type]
    raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")
