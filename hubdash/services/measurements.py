"""Write side of quarterly progress: values entered by hand or imported from a file, with history.

One path writes measurements (`_write_values`), whether a hub manager types them or uploads a file:
new values are inserted, changed values are updated with a version check and their old value is
kept as a MeasurementCorrection, unchanged values are left alone.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from sqlalchemy import Column, Connection, Table, insert, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from hubdash import audit, db
from hubdash.domain.enums import ComparedAs, Status
from hubdash.domain.errors import EditConflict, Message, NotFound, UserError
from hubdash.domain.periods import FiscalQuarter, quarter_index
from hubdash.domain.permissions import ROLE_PERMISSIONS, Actor, Permission, PermissionDenied, allows, require
from hubdash.domain.status import assess, statuses
from hubdash.fmt import coded
from hubdash.models import Hub, Indicator, Measurement, MeasurementCorrection, Region, Target, id_of, utcnow
from hubdash.readers.progress_file import (
    HUB,
    INDICATOR,
    MAX_LISTED_ERRORS,
    ImportFileError,
    ProgressRow,
    RowError,
    RowErrors,
    parse_progress_file,
    problem,
)
from hubdash.services.progress import EnteredValue, QuarterRow, hub_quarter, target_spec
from hubdash.services.reporting import submit_quarter
from hubdash.services.signoff import Correction, correct_confirmed

# A value this many times larger (or smaller) than last quarter's needs a note before it is saved.
JUMP_FACTOR = 3.0
LISTED_NOTES = 10  # a message names this many of the values that need a note
LISTED_REGIONS = 5  # a message names this many of the regions that share a hub code
_CHUNK = 5000
_ID_CHUNK = 2000


class NoteRequired(UserError):
    """A value that needs an explanation was entered without a note; nothing was saved."""

    def __init__(self, reasons: dict[int, str], labels: Mapping[int, str | Message]) -> None:
        self.reasons = reasons  # indicator id (typed entries) or file row (imports) -> NOTE_JUMP or NOTE_OFF_TRACK
        self.labels = labels  # the same keys -> "K01 name", or a file row named in words (hub, indicator, quarter)
        named = [labels[i] for i in list(reasons)[:LISTED_NOTES]]
        more = [f"… (+{len(reasons) - LISTED_NOTES})"] if len(reasons) > LISTED_NOTES else []
        super().__init__("progress.note_required", indicators=named + more)


class ImportPlanMismatch(UserError):
    """A planned row that does not match what is stored (another hub's value, a foreign indicator)."""


class PlannedValue(NamedTuple):
    """One value of an import or an entry, resolved to ids, with what is stored now (if anything)."""

    row: int
    hub_id: int
    indicator_id: int
    period: FiscalQuarter
    value: float
    note: str
    existing_id: int | None = None
    existing_value: float | None = None
    existing_note: str = ""
    existing_version: int | None = None
    label: str = ""  # "H1 / K01": hub and indicator codes (value_name() adds the quarter in the reader's words)


def value_name(value: PlannedValue) -> Message:
    """A value as messages name it: "H1 / K01 / 2026年度 第3四半期" in the reader's language."""
    return Message("progress.value_name", {"what": value.label, "period": value.period})


def _names(values: Sequence[PlannedValue]) -> Message:
    """The first five values of a list, named (a dash for none)."""
    return Message("progress.value_names", {"names": [value_name(v) for v in values[:5]] or "–"})


def _key(value: PlannedValue) -> str:
    """A value's key in audit events and conflicts: "H1 / K01 / FY2026Q3" (services.audit_log reads it back)."""
    return f"{value.label} / {value.period}"


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: rows to add, rows to change, rows already as in the file."""

    new: list[PlannedValue] = field(default_factory=list)
    changed: list[PlannedValue] = field(default_factory=list)
    unchanged: list[PlannedValue] = field(default_factory=list)
    # file row -> NOTE_JUMP or NOTE_OFF_TRACK: new or changed values without a note that need one
    notes_needed: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows in the file."""
        return len(self.new) + len(self.changed) + len(self.unchanged)

    @property
    def hub_quarters(self) -> list[tuple[str, FiscalQuarter]]:
        """(hub code, quarter) of every hub's quarter in the file: what `apply_import(submit=True)` submits."""
        found = {(v.label.split(" / ")[0], v.period) for v in [*self.new, *self.changed, *self.unchanged]}
        return sorted(found, key=lambda pair: (pair[1], pair[0]))


@dataclass(frozen=True)
class WriteResult:
    """How many values were added and corrected."""

    added: int
    corrected: int
    unchanged: int


# --- resolving codes ------------------------------------------------------------------------


def _hubs_by_code(session: Session, codes: set[str]) -> dict[str, list[tuple[Hub, Region]]]:
    found: dict[str, list[tuple[Hub, Region]]] = defaultdict(list)
    for hub, region in session.exec(
        select(Hub, Region).join(Region, col(Region.id) == Hub.region_id).where(col(Hub.code).in_(codes))
    ).all():
        found[hub.code].append((hub, region))
    return found


def plan_import(
    *,
    session: Session,
    actor: Actor,
    rows: Sequence[ProgressRow],
    known_errors: Sequence[RowError] = (),
    known_error_count: int | None = None,
    region_id: int | None = None,
) -> ImportPlan:
    """Resolve a file's codes and compare with stored values; raise ImportFileError listing the bad rows.

    `known_errors` are the rows the file check already found bad (the first of `known_error_count`), so
    that one report lists them all; the report keeps the first MAX_LISTED_ERRORS by row and counts the rest.
    `region_id`: the region the uploader works in, which a row without a region column means when its hub
    code is used in several regions (an entry workbook has no region column).
    """
    if Permission.ENTER_PROGRESS not in ROLE_PERMISSIONS[actor.role]:
        raise PermissionDenied(actor, Permission.ENTER_PROGRESS)  # hub by hub is checked below
    hubs = _hubs_by_code(session, {r.hub for r in rows})
    region_ids = {region.id for matches in hubs.values() for _, region in matches}
    indicators: dict[tuple[int, str], Indicator] = {
        (i.region_id, i.code): i
        for i in session.exec(select(Indicator).where(col(Indicator.region_id).in_(region_ids))).all()
    }
    # Resolve each distinct (region, hub, indicator) once: a file repeats them for every quarter.
    resolutions: dict[tuple[str, str, str], tuple[int, int, str] | RowError] = {}

    def resolve(row: ProgressRow) -> tuple[int, int, str] | RowError:
        matches = hubs.get(row.hub, [])
        if row.region:
            matches = [(h, r) for h, r in matches if row.region in (r.code, r.name)]
        if not matches:
            if row.region:
                return problem(0, HUB.name, row.hub, "progress.unknown_hub_in", region=row.region)
            return problem(0, HUB.name, row.hub, "progress.unknown_hub")
        if len(matches) > 1 and not row.region and region_id is not None:
            matches = [(h, r) for h, r in matches if r.id == region_id] or matches
        if len(matches) > 1:
            names = ", ".join(r.code for _, r in matches[:LISTED_REGIONS])
            more = f" … (+{len(matches) - LISTED_REGIONS})" if len(matches) > LISTED_REGIONS else ""
            return problem(0, HUB.name, row.hub, "progress.ambiguous_hub", regions=names + more)
        hub, region = matches[0]
        assert hub.id is not None and region.id is not None  # read from the database
        indicator = indicators.get((region.id, row.indicator))
        if indicator is None or indicator.id is None:
            return problem(0, INDICATOR.name, row.indicator, "progress.unknown_indicator", region=region.name)
        if not allows(actor, Permission.ENTER_PROGRESS, region_id=hub.region_id, hub_id=hub.id):
            return problem(0, HUB.name, row.hub, "progress.hub_not_yours", name=actor.name)
        return (hub.id, indicator.id, f"{hub.code} / {indicator.code}")

    unknown = RowErrors()
    values: list[PlannedValue] = []
    for row in rows:
        key = (row.region, row.hub, row.indicator)
        found = resolutions.get(key)
        if found is None:
            found = resolutions[key] = resolve(row)
        if isinstance(found, RowError):
            unknown.add(replace(found, row=row.row))
            continue
        hub_id, indicator_id, label = found
        values.append(PlannedValue(row.row, hub_id, indicator_id, row.period, row.value, row.note, label=label))
    if known_errors or unknown:
        total = (len(known_errors) if known_error_count is None else known_error_count) + unknown.total
        listed = heapq.merge(known_errors, unknown.kept, key=lambda e: e.row)  # both are in row order
        raise ImportFileError(list(itertools.islice(listed, MAX_LISTED_ERRORS)), total)
    stored = _stored(session, values)
    plan = ImportPlan()
    for value in _with_existing(values, stored):
        if value.existing_id is None:
            plan.new.append(value)
        elif value.existing_value == value.value and value.existing_note == value.note:
            plan.unchanged.append(value)
        else:
            plan.changed.append(value)
    plan.notes_needed.update(_note_reasons(session, [*plan.new, *plan.changed], stored))
    return plan


# (hub id, indicator id) -> {quarter index: (measurement id, value, note, version)}
_Stored = dict[tuple[int, int], dict[int, tuple[int, float, str, int]]]


def _stored(session: Session, values: Sequence[PlannedValue]) -> _Stored:
    """Every stored measurement of the (hub, indicator) pairs of the values, in few queries."""
    pairs = sorted({(v.hub_id, v.indicator_id) for v in values})
    stored: _Stored = defaultdict(dict)
    for start in range(0, len(pairs), 500):
        chunk = pairs[start : start + 500]
        for hub_id, indicator_id, fy, q, m_id, value, note, version in session.execute(
            sa_select(
                col(Measurement.hub_id),
                col(Measurement.indicator_id),
                col(Measurement.fiscal_year),
                col(Measurement.quarter),
                col(Measurement.id),
                col(Measurement.value),
                col(Measurement.note),
                col(Measurement.version),
            ).where(tuple_(col(Measurement.hub_id), col(Measurement.indicator_id)).in_(chunk))
        ).all():
            assert m_id is not None  # read from the database
            stored[(hub_id, indicator_id)][quarter_index(fy, q)] = (m_id, value, note, version)
    return stored


def _with_existing(values: Sequence[PlannedValue], stored: _Stored) -> list[PlannedValue]:
    """Attach the stored measurement (id, value, note, version) to each planned value."""
    out = []
    for v in values:
        found = stored.get((v.hub_id, v.indicator_id), {}).get(v.period.index)
        if found is None:
            out.append(v)
        else:
            m_id, value, note, version = found
            out.append(v._replace(existing_id=m_id, existing_value=value, existing_note=note, existing_version=version))
    return out


def _note_reasons(session: Session, values: Sequence[PlannedValue], stored: _Stored) -> dict[int, str]:
    """Row -> why a note is needed, for the values without a note that jump or put their target off track.

    Each value is judged as if the whole file were saved: last quarter's value may come from the file too.
    """
    if not values:
        return {}
    series: dict[tuple[int, int], dict[int, float]] = {
        pair: {index: row[1] for index, row in rows.items()} for pair, rows in stored.items()
    }
    for v in values:
        series.setdefault((v.hub_id, v.indicator_id), {})[v.period.index] = v.value  # the file wins
    hub_ids = sorted({v.hub_id for v in values})
    specs = {
        (target.hub_id, target.indicator_id): target_spec(target, indicator)
        for target, indicator in session.exec(
            select(Target, Indicator)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .where(col(Target.hub_id).in_(hub_ids))
        ).all()
    }
    unnoted: dict[tuple[int, int], list[PlannedValue]] = defaultdict(list)
    for v in values:
        if not v.note:
            unnoted[(v.hub_id, v.indicator_id)].append(v)
    reasons = {}
    for pair, mine in unnoted.items():
        values_of = series[pair]
        spec = specs.get(pair)
        indexes = [v.period.index for v in mine]
        judged = statuses(spec, values_of, indexes) if spec else {}
        for v, index in zip(mine, indexes, strict=True):
            reason = note_reason(previous=values_of.get(index - 1), value=v.value, status=judged.get(index))
            if reason:
                reasons[v.row] = reason
    return reasons


# --- writing ------------------------------------------------------------------------------


_INSERT_COLUMNS = (
    "hub_id",
    "indicator_id",
    "fiscal_year",
    "quarter",
    "value",
    "note",
    "version",
    "entered_at",
    "entered_by_name",
)


def _bound(connection: Connection, column: Column[Any], value: object) -> object:
    """A value as the driver receives it, after the column type's own conversion (done once, not per row)."""
    processor = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    return processor(value) if processor else value


def _driver_insert(
    connection: Connection, table: Table, columns: Sequence[str]
) -> Callable[[list[tuple[object, ...]]], None]:
    """An executemany INSERT straight to the driver: bulk rows skip SQLAlchemy's per-row parameter handling."""
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(columns))
    sql = str(compiled)
    positional = connection.dialect.positional
    names = list(compiled.params)  # the named placeholders (pyformat drivers), in column order

    def run(rows: list[tuple[object, ...]]) -> None:
        connection.exec_driver_sql(sql, rows if positional else [dict(zip(names, row, strict=True)) for row in rows])

    return run


def _write_values(
    session: Session,
    actor: Actor,
    new: Sequence[PlannedValue],
    changed: Sequence[PlannedValue],
    *,
    source: str,
    progress: Callable[[float], None] | None = None,
) -> None:
    # a quarter the secretariat confirmed takes corrections with a note; its confirmation is then superseded
    corrections = [Correction(v.hub_id, v.period, bool(v.note), value_name(v)) for v in [*new, *changed]]
    correct_confirmed(session=session, actor=actor, values=corrections)
    now = utcnow()
    total = max(1, len(new) + len(changed))
    done = 0
    connection = session.connection()
    table = db.table_of(Measurement)
    insert_rows = _driver_insert(connection, table, _INSERT_COLUMNS)
    entered_at = _bound(connection, table.c.entered_at, now)
    # Rows in one order for every writer: two saves touching the same rows queue up instead of deadlocking.
    new = sorted(new, key=lambda v: (v.hub_id, v.indicator_id, v.period.index))
    changed = sorted(changed, key=lambda v: v.existing_id or 0)
    for start in range(0, len(new), _CHUNK):
        chunk = new[start : start + _CHUNK]
        try:
            # The unique (hub, indicator, quarter) decides between two writers adding the same value.
            with session.begin_nested():
                session.connection()  # the SAVEPOINT, before the driver-level INSERT below
                insert_rows(
                    [
                        (
                            v.hub_id,
                            v.indicator_id,
                            v.period.fiscal_year,
                            v.period.quarter,
                            v.value,
                            v.note,
                            1,
                            entered_at,
                            actor.name,
                        )
                        for v in chunk
                    ]
                )
        except IntegrityError as exc:
            if not db.is_unique_violation(exc):
                raise
            raise _added_meanwhile(session, chunk) from None
        done += len(chunk)
        if progress:
            progress(done / total)
    for start in range(0, len(changed), _CHUNK):
        chunk = changed[start : start + _CHUNK]
        # The version check is part of the UPDATE: a value changed since it was read matches no row.
        matched = db.update_checked_many(
            session,
            Measurement,
            [{"id": v.existing_id, "version": v.existing_version, "value": v.value, "note": v.note} for v in chunk],
            same={"entered_at": now, "entered_by_name": actor.name},
        )
        if matched != len(chunk):
            raise _conflict(session, chunk)
        session.connection().execute(
            insert(db.table_of(MeasurementCorrection)),
            [
                {
                    "measurement_id": v.existing_id,
                    "old_value": v.existing_value,
                    "new_value": v.value,
                    "old_note": v.existing_note,
                    "new_note": v.note,
                    "corrected_at": now,
                    "corrected_by_name": actor.name,
                    "source": source,
                }
                for v in chunk
            ],
        )
        done += len(chunk)
        if progress:
            progress(done / total)


def _added_meanwhile(session: Session, chunk: Sequence[PlannedValue]) -> EditConflict:
    # Values someone else saved since the plan found none there.
    there = [v for v in _with_existing(chunk, _stored(session, chunk)) if v.existing_id is not None]
    return EditConflict(
        _names(there),  # type: ignore[arg-type]  # a Message: rendered in the reader's language like any value
        theirs={_key(v): (v.existing_value, v.existing_note) for v in there},
    )


def _conflict(session: Session, chunk: Sequence[PlannedValue]) -> EditConflict:
    # Rows this transaction updated now hold our value at the next version; the others were changed by someone else.
    current = {
        m_id: (value, note, version)
        for m_id, value, note, version in session.exec(
            select(Measurement.id, Measurement.value, Measurement.note, Measurement.version).where(
                col(Measurement.id).in_([v.existing_id for v in chunk])
            )
        ).all()
    }
    lost = [
        v
        for v in chunk
        if v.existing_id is not None and current.get(v.existing_id) != (v.value, v.note, (v.existing_version or 0) + 1)
    ]
    return EditConflict(
        _names(lost),  # type: ignore[arg-type]  # a Message: rendered in the reader's language like any value
        theirs={_key(v): current[v.existing_id][:2] for v in lost if v.existing_id in current},
    )


def _check_plan(session: Session, actor: Actor, values: Sequence[PlannedValue]) -> dict[int, int]:
    """Hub id -> region id of a plan's rows, after checking each row's hub, indicator and stored value id."""
    hub_ids = {v.hub_id for v in values}
    regions = {h: r for h, r in session.exec(select(Hub.id, Hub.region_id).where(col(Hub.id).in_(hub_ids))).all() if h}
    indicator_ids = {v.indicator_id for v in values}
    indicator_regions = dict(
        session.exec(select(Indicator.id, Indicator.region_id).where(col(Indicator.id).in_(indicator_ids))).all()
    )
    existing_ids = [v.existing_id for v in values if v.existing_id is not None]
    stored: dict[int | None, tuple[int, int, FiscalQuarter]] = {}
    for start in range(0, len(existing_ids), _ID_CHUNK):  # a database takes only so many parameters at once
        for m_id, hub_id, indicator_id, fy, q in session.execute(
            sa_select(
                col(Measurement.id),
                col(Measurement.hub_id),
                col(Measurement.indicator_id),
                col(Measurement.fiscal_year),
                col(Measurement.quarter),
            ).where(col(Measurement.id).in_(existing_ids[start : start + _ID_CHUNK]))
        ).all():
            stored[m_id] = (hub_id, indicator_id, FiscalQuarter(fy, q))
    for hub_id in sorted(hub_ids):
        if hub_id not in regions:
            raise NotFound("progress.error_no_hub", hub=hub_id)
        require(actor, Permission.ENTER_PROGRESS, region_id=regions[hub_id], hub_id=hub_id)
    for v in values:
        # a stored value is only ever the one of the row's own hub, indicator and quarter, in the hub's region
        wrong_value = v.existing_id is not None and stored.get(v.existing_id) != (v.hub_id, v.indicator_id, v.period)
        if wrong_value or indicator_regions.get(v.indicator_id) != regions[v.hub_id]:
            raise ImportPlanMismatch("progress.error_plan_mismatch", row=v.row, label=value_name(v))
    return regions


def with_notes(plan: ImportPlan, notes: Mapping[int, str]) -> ImportPlan:
    """The plan with notes typed for some of its rows (row -> note); a row that gets a note needs none."""
    typed = {row: note.strip() for row, note in notes.items() if note and note.strip()}
    if not typed:
        return plan

    def noted(values: list[PlannedValue]) -> list[PlannedValue]:
        return [v._replace(note=typed[v.row]) if v.row in typed else v for v in values]

    return ImportPlan(
        noted(plan.new),
        noted(plan.changed),
        plan.unchanged,
        {row: reason for row, reason in plan.notes_needed.items() if row not in typed},
    )


def apply_import(
    *,
    session: Session,
    actor: Actor,
    plan: ImportPlan,
    filename: str = "",
    progress: Callable[[float], None] | None = None,
    notes: Mapping[int, str] | None = None,
    submit: bool = False,
) -> WriteResult:
    """Write a planned import in one transaction: add new values, correct changed ones (keeping the old value).

    Nothing is written while a row that needs a note has none (from the file or typed: `notes`, row -> note).
    A plan is checked again row by row against what is stored and who applies it: it may have been made
    by someone else, or changed on the way. Raises EditConflict, writing nothing, when someone saved any
    of its values after the plan was made. With `submit`, every hub's quarter in the file is submitted too
    (see services.reporting).
    """
    plan = with_notes(plan, notes or {})
    if plan.notes_needed:
        labels = {v.row: value_name(v) for v in [*plan.new, *plan.changed] if v.row in plan.notes_needed}
        raise NoteRequired(dict(plan.notes_needed), labels)
    db.lock_for_write(session)
    regions = _check_plan(session, actor, [*plan.new, *plan.changed])
    hub_ids = set(regions)
    _write_values(session, actor, plan.new, plan.changed, source="import", progress=progress)
    if submit:
        for hub_id, period in sorted({(v.hub_id, v.period) for v in [*plan.new, *plan.changed, *plan.unchanged]}):
            submit_quarter(session=session, actor=actor, hub_id=hub_id, period=period)
    result = WriteResult(len(plan.new), len(plan.changed), len(plan.unchanged))
    audit.record(
        session,
        actor,
        "measurement.import",
        entity_type="measurement_import",
        entity_id=filename or "-",
        region_id=next(iter(set(regions.values())), None) if len(set(regions.values())) == 1 else None,
        after={
            "file": filename,
            "added": result.added,
            "corrected": result.corrected,
            "unchanged": result.unchanged,
            "hubs": sorted(hub_ids),
        },
    )
    return result


@dataclass(frozen=True)
class ValueEntry:
    """A value typed for one indicator of a hub in one quarter; `version` is what the editor started from.

    Version 0: no value was stored when the editor started (one saved since is a conflict); None: no check.
    """

    indicator_id: int
    value: float
    note: str = ""
    version: int | None = None


NOTE_JUMP = "jump"
NOTE_OFF_TRACK = "off_track"


def note_reason(*, previous: float | None, value: float, status: Status | None) -> str | None:
    """Why a value needs a note: NOTE_JUMP (3x or a third of last quarter's) or NOTE_OFF_TRACK; else None."""
    if previous is not None and previous != 0 and value != 0:
        ratio = value / previous
        if ratio > JUMP_FACTOR or ratio < 1 / JUMP_FACTOR:
            return NOTE_JUMP
    if status is Status.OFF_TRACK:
        return NOTE_OFF_TRACK
    return None


def record_values(
    *, session: Session, actor: Actor, hub_id: int, period: FiscalQuarter, entries: Iterable[ValueEntry]
) -> WriteResult:
    """Save hand-entered values of one hub and quarter; only changed values are written, corrections kept."""
    db.lock_for_write(session)
    hub = session.get(Hub, hub_id)
    if hub is None:
        raise NotFound("progress.error_no_hub", hub=hub_id)
    require(actor, Permission.ENTER_PROGRESS, region_id=hub.region_id, hub_id=hub_id)
    entries = list(entries)
    indicators = {
        id_of(i): i
        for i in session.exec(select(Indicator).where(col(Indicator.id).in_([e.indicator_id for e in entries]))).all()
    }
    unknown = [
        e.indicator_id
        for e in entries
        if e.indicator_id not in indicators or indicators[e.indicator_id].region_id != hub.region_id
    ]
    if unknown:
        raise NotFound("progress.error_foreign_indicators", indicators=unknown, hub=hub.code)
    typed = [
        PlannedValue(
            row=0,
            hub_id=hub_id,
            indicator_id=e.indicator_id,
            period=period,
            value=e.value,
            note=e.note.strip(),
            label=f"{hub.code} / {indicators[e.indicator_id].code}",
        )
        for e in entries
    ]
    planned = _with_existing(typed, _stored(session, typed))
    versions = {e.indicator_id: e.version for e in entries}
    new, changed, unchanged = [], [], []
    for v in planned:
        if v.existing_id is None:
            new.append(v)
        elif v.existing_value == v.value and v.existing_note == v.note:
            unchanged.append(v)
        else:
            started_from = versions.get(v.indicator_id)
            if started_from is not None and started_from != v.existing_version:
                raise EditConflict(
                    v.label, current_version=v.existing_version, theirs={_key(v): (v.existing_value, v.existing_note)}
                )
            changed.append(v)
    _require_notes(session, hub_id, period, [*new, *changed], indicators)
    _write_values(session, actor, new, changed, source="manual")
    result = WriteResult(len(new), len(changed), len(unchanged))
    audit.record(
        session,
        actor,
        "measurement.record",
        entity_type="hub_quarter",
        entity_id=f"{hub.code}:{period}",
        region_id=hub.region_id,
        before={_key(v): v.existing_value for v in changed},
        after={_key(v): v.value for v in [*new, *changed]},
    )
    return result


def _require_notes(
    session: Session, hub_id: int, period: FiscalQuarter, values: list[PlannedValue], indicators: dict[int, Indicator]
) -> None:
    if not values:
        return
    ids = [v.indicator_id for v in values]
    history: dict[int, dict[int, float]] = defaultdict(dict)
    for m in session.exec(
        select(Measurement).where(Measurement.hub_id == hub_id, col(Measurement.indicator_id).in_(ids))
    ).all():
        history[m.indicator_id][quarter_index(m.fiscal_year, m.quarter)] = m.value
    targets = {
        t.indicator_id: t
        for t in session.exec(select(Target).where(Target.hub_id == hub_id, col(Target.indicator_id).in_(ids))).all()
    }
    reasons: dict[int, str] = {}
    for v in values:
        if v.note:
            continue
        series = {**history[v.indicator_id], period.index: v.value}
        status = None
        if v.indicator_id in targets:
            status = assess(
                target_spec(targets[v.indicator_id], indicators[v.indicator_id]), series, period.index
            ).status
        reason = note_reason(previous=history[v.indicator_id].get(period.index - 1), value=v.value, status=status)
        if reason:
            reasons[v.indicator_id] = reason
    if reasons:
        raise NoteRequired(reasons, {i: coded(indicators[i].code, indicators[i].name) for i in reasons})


# --- uploads and the entry table -------------------------------------------------------------


@dataclass(frozen=True)
class UploadPlan:
    """What an uploaded file would change, the rows skipped because their value was blank, and the names of
    the hubs and indicators in it ("H1 name", "K01 name": the preview names rows in words)."""

    plan: ImportPlan
    blank_rows: list[int]
    hubs: dict[int, str] = field(default_factory=dict)
    indicators: dict[int, str] = field(default_factory=dict)


def plan_upload(
    *, session: Session, actor: Actor, data: bytes, filename: str, region_id: int | None = None
) -> UploadPlan:
    """Read and validate an uploaded progress file and compare it with stored values; writes nothing.

    Raises ImportFileError listing every bad row. `region_id`: see plan_import.
    """
    parsed = parse_progress_file(data, filename)
    plan = plan_import(
        session=session,
        actor=actor,
        rows=parsed.rows,
        known_errors=parsed.errors,
        known_error_count=parsed.error_count,
        region_id=region_id,
    )
    values = [*plan.new, *plan.changed, *plan.unchanged]
    hub_ids, indicator_ids = list({v.hub_id for v in values}), list({v.indicator_id for v in values})
    hubs = session.exec(select(Hub).where(col(Hub.id).in_(hub_ids))).all() if hub_ids else []
    indicators = session.exec(select(Indicator).where(col(Indicator.id).in_(indicator_ids))).all() if values else []
    return UploadPlan(
        plan,
        parsed.blank_rows,
        {id_of(h): coded(h.code, h.name) for h in hubs},
        {id_of(i): coded(i.code, i.name) for i in indicators},
    )


def _blank(value: float | None) -> bool:
    return value is None or math.isnan(value)


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
        if value is None or _blank(value):
            continue
        note = (notes.get(row.indicator_id) or "").strip()
        before = stored.get(row.indicator_id)
        if before is not None and before.value == float(value) and before.note == note:
            continue
        entries.append(ValueEntry(row.indicator_id, float(value), note, before.version if before else 0))
    return entries


# --- export -------------------------------------------------------------------------------

# the rows of readers.progress_file.EXPORT_COLUMNS and of its ENTRY_COLUMNS
ExportRow = tuple[str, str, str, str, float, str]
EntryRow = tuple[str, str, str, float | None, str, str, str, float | None, ComparedAs, float | None]


def export_rows(
    *, session: Session, actor: Actor, region_code: str | None = None, hub_code: str | None = None
) -> list[ExportRow]:
    """Every measurement (of one region or hub) as rows of EXPORT_COLUMNS, in a stable order."""
    require(actor, Permission.EXPORT_REPORTS)
    query = (
        sa_select(
            col(Region.code),
            col(Hub.code),
            col(Indicator.code),
            col(Measurement.fiscal_year),
            col(Measurement.quarter),
            col(Measurement.value),
            col(Measurement.note),
        )
        .join(Hub, col(Hub.id) == Measurement.hub_id)
        .join(Region, col(Region.id) == Hub.region_id)
        .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
    )
    if region_code:
        query = query.where(col(Region.code) == region_code)
    if hub_code:
        query = query.where(col(Hub.code) == hub_code)
    if actor.region_id is not None:
        query = query.where(col(Hub.region_id) == actor.region_id)
    rows = session.execute(
        query.order_by(
            col(Region.code), col(Hub.code), col(Indicator.code), col(Measurement.fiscal_year), col(Measurement.quarter)
        )
    ).all()
    return [(r, h, i, FiscalQuarter(fy, q).canonical(), v, n) for r, h, i, fy, q, v, n in rows]


def region_export_rows(*, session: Session, actor: Actor, region_id: int, hub_id: int | None) -> list[ExportRow]:
    """export_rows of a region (or one of its hubs), by id."""
    require(actor, Permission.EXPORT_REPORTS, region_id=region_id)
    region = session.get(Region, region_id)
    if region is None:
        raise NotFound("regions.error_no_region", region=region_id)
    hub = session.get(Hub, hub_id) if hub_id is not None else None
    return export_rows(session=session, actor=actor, region_code=region.code, hub_code=hub.code if hub else None)


def entry_rows(*, session: Session, actor: Actor, hub_id: int, period: FiscalQuarter) -> list[EntryRow]:
    """The rows of a pre-filled entry workbook (ENTRY_COLUMNS): one per indicator of the hub, values as stored."""
    require(actor, Permission.READ)
    hub = session.get(Hub, hub_id)
    if hub is None:
        raise NotFound("progress.error_no_hub", hub=hub_id)
    return [
        (
            hub.code,
            r.indicator_code,
            period.canonical(),
            r.value,
            r.note,
            r.indicator_name,
            r.unit,
            r.previous,
            r.compared_as,
            r.on_track_from,
        )
        for r in hub_quarter(session=session, hub_id=hub_id, at=period)
    ]
