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

import numpy as np
import pandas as pd
from sqlalchemy import Column, Connection, insert, tuple_
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
from hubdash.readers.frame_rows import FrameRows
from hubdash.readers.progress_file import (
    HUB,
    INDICATOR,
    MAX_LISTED_ERRORS,
    ImportFileError,
    ProgressRow,
    ProgressRows,
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


_PLAN_COLUMNS = (
    "row",
    "hub_id",
    "indicator_id",
    "period",  # quarter index
    "value",
    "note",
    "existing_id",  # NaN: nothing stored
    "existing_value",
    "existing_note",
    "existing_version",
    "label",
)


def _optional_int(number: float) -> int | None:
    return None if number != number else int(number)


class PlannedValues(FrameRows[PlannedValue]):
    """Planned values held as columns (an import may hold 200,000); PlannedValue one at a time, as from a list.

    `frame` has the columns of PlannedValue (_PLAN_COLUMNS; the period as a quarter index, NaN for no stored
    value). The import reads and writes the columns; code that wants values iterates, as over a list.
    """

    @classmethod
    def of(cls, values: Sequence[PlannedValue]) -> PlannedValues:
        """Values given one by one, as columns."""
        if isinstance(values, PlannedValues):
            return values
        records = [
            (
                v.row,
                v.hub_id,
                v.indicator_id,
                v.period.index,
                v.value,
                v.note,
                math.nan if v.existing_id is None else v.existing_id,
                math.nan if v.existing_value is None else v.existing_value,
                v.existing_note,
                math.nan if v.existing_version is None else v.existing_version,
                v.label,
            )
            for v in values
        ]
        frame = pd.DataFrame(records, columns=list(_PLAN_COLUMNS))
        return cls(
            frame.astype(
                {
                    "row": "int64",
                    "hub_id": "int64",
                    "indicator_id": "int64",
                    "period": "int64",
                    "value": "float64",
                    "existing_id": "float64",
                    "existing_value": "float64",
                    "existing_version": "float64",
                    "note": object,
                    "existing_note": object,
                    "label": object,
                }
            )
        )

    def _build(self) -> list[PlannedValue]:
        f = self.frame
        quarters = {int(i): FiscalQuarter.from_index(int(i)) for i in pd.unique(f["period"])}
        return [
            PlannedValue(
                row,
                hub_id,
                indicator_id,
                quarters[period],
                value,
                note,
                _optional_int(existing_id),
                None if existing_value != existing_value else existing_value,
                existing_note,
                _optional_int(existing_version),
                label,
            )
            for (
                row,
                hub_id,
                indicator_id,
                period,
                value,
                note,
                existing_id,
                existing_value,
                existing_note,
                existing_version,
                label,
            ) in zip(*(f[c].tolist() for c in _PLAN_COLUMNS), strict=True)
        ]


def _frame(values: Sequence[PlannedValue]) -> pd.DataFrame:
    return PlannedValues.of(values).frame


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: rows to add, rows to change, rows already as in the file."""

    new: Sequence[PlannedValue] = field(default_factory=list)
    changed: Sequence[PlannedValue] = field(default_factory=list)
    unchanged: Sequence[PlannedValue] = field(default_factory=list)
    # file row -> NOTE_JUMP or NOTE_OFF_TRACK: new or changed values without a note that need one
    notes_needed: dict[int, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Rows in the file."""
        return len(self.new) + len(self.changed) + len(self.unchanged)

    @property
    def hub_quarters(self) -> list[tuple[str, FiscalQuarter]]:
        """(hub code, quarter) of every hub's quarter in the file: what `apply_import(submit=True)` submits."""
        frame = pd.concat([_frame(v)[["label", "period"]] for v in (self.new, self.changed, self.unchanged)])
        hubs = {label: label.split(" / ")[0] for label in pd.unique(frame["label"].to_numpy(dtype=object))}
        found = frame.assign(hub=frame["label"].map(hubs))[["hub", "period"]].drop_duplicates()
        pairs = {(hub, FiscalQuarter.from_index(int(p))) for hub, p in found.itertuples(index=False)}
        return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


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

    The rows are compared column by column: a national file holds 188,000 values and re-uploading it
    unchanged must cost little more than reading it.
    """
    if Permission.ENTER_PROGRESS not in ROLE_PERMISSIONS[actor.role]:
        raise PermissionDenied(actor, Permission.ENTER_PROGRESS)  # hub by hub is checked below
    file = ProgressRows.of(rows).frame
    hubs = _hubs_by_code(session, set(pd.unique(file["hub"].to_numpy(dtype=object)).tolist()))
    region_ids = {region.id for matches in hubs.values() for _, region in matches}
    indicators: dict[tuple[int, str], int] = {
        (region, code): indicator_id
        for indicator_id, region, code in session.execute(
            sa_select(col(Indicator.id), col(Indicator.region_id), col(Indicator.code)).where(
                col(Indicator.region_id).in_(region_ids)
            )
        ).all()
    }

    def find_hub(region: str, hub_code: str) -> tuple[Hub, Region, bool] | RowError:
        matches = hubs.get(hub_code, [])
        if region:
            matches = [(h, r) for h, r in matches if region in (r.code, r.name)]
        if not matches:
            if region:
                return problem(0, HUB.name, hub_code, "progress.unknown_hub_in", region=region)
            return problem(0, HUB.name, hub_code, "progress.unknown_hub")
        if len(matches) > 1 and not region and region_id is not None:
            matches = [(h, r) for h, r in matches if r.id == region_id] or matches
        if len(matches) > 1:
            names = ", ".join(r.code for _, r in matches[:LISTED_REGIONS])
            more = f" … (+{len(matches) - LISTED_REGIONS})" if len(matches) > LISTED_REGIONS else ""
            return problem(0, HUB.name, hub_code, "progress.ambiguous_hub", regions=names + more)
        hub, found_region = matches[0]
        mine = allows(actor, Permission.ENTER_PROGRESS, region_id=hub.region_id, hub_id=hub.id)
        return hub, found_region, mine

    found_hubs: dict[tuple[str, str], tuple[Hub, Region, bool] | RowError] = {}

    def resolve(region: str, hub_code: str, indicator_code: str) -> tuple[int, int, str] | RowError:
        found = found_hubs.get((region, hub_code))
        if found is None:
            found = found_hubs[(region, hub_code)] = find_hub(region, hub_code)
        if isinstance(found, RowError):
            return found
        hub, found_region, mine = found
        assert hub.id is not None and found_region.id is not None  # read from the database
        indicator_id = indicators.get((found_region.id, indicator_code))
        if indicator_id is None:
            return problem(0, INDICATOR.name, indicator_code, "progress.unknown_indicator", region=found_region.name)
        if not mine:
            return problem(0, HUB.name, hub_code, "progress.hub_not_yours", name=actor.name)
        return (hub.id, indicator_id, f"{hub.code} / {indicator_code}")

    # Resolve each distinct (region, hub, indicator) once: a file repeats them for every quarter.
    codes, distinct = _distinct(file, ["region", "hub", "indicator"])
    resolved = [resolve(*key) for key in distinct]
    bad = np.fromiter((isinstance(r, RowError) for r in resolved), dtype=bool, count=len(resolved))
    unknown = RowErrors()
    if bad.any():
        for line, code in zip(file["row"].to_numpy()[bad[codes]].tolist(), codes[bad[codes]].tolist(), strict=True):
            error = resolved[code]
            assert isinstance(error, RowError)
            unknown.add(replace(error, row=line))
    if known_errors or unknown:
        total = (len(known_errors) if known_error_count is None else known_error_count) + unknown.total
        listed = heapq.merge(known_errors, unknown.kept, key=lambda e: e.row)  # both are in row order
        raise ImportFileError(list(itertools.islice(listed, MAX_LISTED_ERRORS)), total)
    found = [r for r in resolved if not isinstance(r, RowError)]  # every one, by now
    ids = np.array([r[:2] for r in found], dtype=np.int64).reshape(-1, 2)
    labels = pd.Series([r[2] for r in found], dtype=object).to_numpy()
    values = pd.DataFrame(
        {
            "row": file["row"].to_numpy(),
            "hub_id": ids[codes, 0],
            "indicator_id": ids[codes, 1],
            "period": file["period"].to_numpy(),
            "value": file["value"].to_numpy(),
            "note": pd.Series(file["note"].to_numpy(dtype=object), dtype=object),
        }
    )
    stored = _stored_frame(session, sorted(set(ids[:, 0].tolist())))
    planned = values.merge(stored, how="left", on=["hub_id", "indicator_id", "period"], sort=False)
    planned["existing_note"] = planned["existing_note"].fillna("")
    planned["label"] = pd.Series(labels[codes], dtype=object)
    planned = planned[list(_PLAN_COLUMNS)]
    there = planned["existing_id"].notna().to_numpy(dtype=bool)
    same = (
        there
        & (planned["existing_value"] == planned["value"]).to_numpy(dtype=bool)
        & (planned["existing_note"].to_numpy(dtype=object) == planned["note"].to_numpy(dtype=object))
    )
    new, changed = planned[~there], planned[there & ~same]
    reasons = _note_reasons(session, pd.concat([new, changed]), stored)
    return ImportPlan(PlannedValues(new), PlannedValues(changed), PlannedValues(planned[same]), reasons)


def _distinct(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[tuple[Any, ...]]]:
    """For each row the number of its distinct combination of `columns`, and the combinations in order."""
    combined = np.zeros(len(frame), dtype=np.int64)
    for name in columns:
        column_codes, uniques = pd.factorize(frame[name])
        combined = combined * max(1, len(uniques)) + column_codes
    codes = pd.factorize(combined)[0]  # numbered in order of first appearance
    first = np.unique(codes, return_index=True)[1]
    return codes, list(frame[columns].iloc[first].itertuples(index=False, name=None))


def _stored_frame(session: Session, hub_ids: Sequence[int]) -> pd.DataFrame:
    """Every stored measurement of the hubs: hub_id, indicator_id, period (quarter index), existing_id,
    existing_value, existing_note, existing_version; read straight from the driver (a hub holds thousands)."""
    rows: list[tuple[Any, ...]] = []
    connection = session.connection()
    table = db.table_of(Measurement)
    for start in range(0, len(hub_ids), _ID_CHUNK):
        query = sa_select(
            table.c.hub_id,
            table.c.indicator_id,
            quarter_index(table.c.fiscal_year, table.c.quarter),
            table.c.id,
            table.c.value,
            table.c.note,
            table.c.version,
        ).where(table.c.hub_id.in_([int(h) for h in hub_ids[start : start + _ID_CHUNK]]))
        sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
        result = connection.exec_driver_sql(sql)
        rows.extend(result.cursor.fetchall())  # plain tuples: no Row objects for 188,000 values
        result.close()
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(7)]
    hub, indicator, period, m_id, value, note, version = columns
    return pd.DataFrame(
        {
            "hub_id": np.array(hub, dtype=np.int64),
            "indicator_id": np.array(indicator, dtype=np.int64),
            "period": np.array(period, dtype=np.int64),
            "existing_id": np.array(m_id, dtype=np.float64),
            "existing_value": np.array(value, dtype=np.float64),
            "existing_note": pd.Series(note, dtype=object),
            "existing_version": np.array(version, dtype=np.float64),
        }
    )


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


def _note_reasons(session: Session, values: pd.DataFrame, stored: pd.DataFrame) -> dict[int, str]:
    """Row -> why a note is needed, for the values without a note that jump or put their target off track.

    `values`: the new and changed values (columns of PlannedValues); `stored`: _stored_frame of their hubs.
    Each value is judged as if the whole file were saved: last quarter's value may come from the file too.
    """
    unnoted = values[(values["note"] == "").to_numpy(dtype=bool)]
    if unnoted.empty:
        return {}
    pairs = unnoted[["hub_id", "indicator_id"]].drop_duplicates()
    series: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    for source, value_column in ((stored, "existing_value"), (values, "value")):  # the file wins
        mine = source[["hub_id", "indicator_id", "period", value_column]].merge(pairs, on=["hub_id", "indicator_id"])
        for hub_id, indicator_id, period, value in zip(
            mine["hub_id"].tolist(),
            mine["indicator_id"].tolist(),
            mine["period"].tolist(),
            mine[value_column].tolist(),
            strict=True,
        ):
            series[(hub_id, indicator_id)][period] = value
    hub_ids = sorted(set(pairs["hub_id"].tolist()))
    specs = {
        (target.hub_id, target.indicator_id): target_spec(target, indicator)
        for target, indicator in session.exec(
            select(Target, Indicator)
            .join(Indicator, col(Indicator.id) == Target.indicator_id)
            .where(col(Target.hub_id).in_(hub_ids))
        ).all()
    }
    grouped: dict[tuple[int, int], list[tuple[int, int, float]]] = defaultdict(list)
    for row, hub_id, indicator_id, period, value in zip(
        unnoted["row"].tolist(),
        unnoted["hub_id"].tolist(),
        unnoted["indicator_id"].tolist(),
        unnoted["period"].tolist(),
        unnoted["value"].tolist(),
        strict=True,
    ):
        grouped[(hub_id, indicator_id)].append((row, period, value))
    reasons = {}
    for pair, mine_values in grouped.items():
        values_of = series[pair]
        spec = specs.get(pair)
        indexes = [period for _, period, _ in mine_values]
        judged = statuses(spec, values_of, indexes) if spec else {}
        for row, index, value in mine_values:
            reason = note_reason(previous=values_of.get(index - 1), value=value, status=judged.get(index))
            if reason:
                reasons[row] = reason
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


def _write_values(
    session: Session,
    actor: Actor,
    new: Sequence[PlannedValue],
    changed: Sequence[PlannedValue],
    *,
    source: str,
    progress: Callable[[float], None] | None = None,
) -> None:
    new_frame, changed_frame = _frame(new), _frame(changed)
    both = pd.concat([new_frame, changed_frame])
    # a quarter the secretariat confirmed takes corrections with a note; its confirmation is then superseded.
    # Values with a note stand in one per hub quarter; every value without one is named (the message lists them).
    noted = (both["note"] != "").to_numpy(dtype=bool)
    quarters = both.loc[noted, ["hub_id", "period"]].drop_duplicates()
    corrections = [
        Correction(hub_id, FiscalQuarter.from_index(period), True, "")
        for hub_id, period in zip(quarters["hub_id"].tolist(), quarters["period"].tolist(), strict=True)
    ]
    corrections += [Correction(v.hub_id, v.period, False, value_name(v)) for v in PlannedValues(both[~noted])]
    correct_confirmed(session=session, actor=actor, values=corrections)
    now = utcnow()
    total = max(1, len(both))
    done = 0
    connection = session.connection()
    table = db.table_of(Measurement)
    entered_at = _bound(connection, table.c.entered_at, now)
    # Rows in one order for every writer: two saves touching the same rows queue up instead of deadlocking.
    new_frame = new_frame.sort_values(["hub_id", "indicator_id", "period"], kind="stable")
    changed_frame = changed_frame.sort_values("existing_id", kind="stable")
    for start in range(0, len(new_frame), _CHUNK):
        chunk = new_frame.iloc[start : start + _CHUNK]
        fiscal_year, quarter = np.divmod(chunk["period"].to_numpy(), 4)
        notes = chunk["note"]
        if notes.str.contains("\x00", regex=False).any():
            notes = notes.map(db.drop_nul)
        try:
            # The unique (hub, indicator, quarter) decides between two writers adding the same value.
            with session.begin_nested():
                session.connection()  # the SAVEPOINT, before the driver-level INSERT below
                db.insert_plain(
                    connection,
                    table,
                    _INSERT_COLUMNS,
                    list(
                        zip(
                            chunk["hub_id"].tolist(),
                            chunk["indicator_id"].tolist(),
                            fiscal_year.tolist(),
                            (quarter + 1).tolist(),
                            chunk["value"].tolist(),
                            notes.tolist(),
                            itertools.repeat(1),
                            itertools.repeat(entered_at),
                            itertools.repeat(db.drop_nul(actor.name)),
                        )
                    ),
                )
        except IntegrityError as exc:
            if not db.is_unique_violation(exc):
                raise
            raise _added_meanwhile(session, PlannedValues(chunk)) from None
        done += len(chunk)
        if progress:
            progress(done / total)
    for start in range(0, len(changed_frame), _CHUNK):
        values = PlannedValues(changed_frame.iloc[start : start + _CHUNK])
        # The version check is part of the UPDATE: a value changed since it was read matches no row.
        matched = db.update_checked_many(
            session,
            Measurement,
            [{"id": v.existing_id, "version": v.existing_version, "value": v.value, "note": v.note} for v in values],
            same={"entered_at": now, "entered_by_name": actor.name},
        )
        if matched != len(values):
            raise _conflict(session, values)
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
                for v in values
            ],
        )
        done += len(values)
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


def _check_plan(session: Session, actor: Actor, values: pd.DataFrame) -> dict[int, int]:
    """Hub id -> region id of a plan's rows, after checking each row's hub, indicator and stored value id."""
    hub_ids = set(values["hub_id"].tolist())
    regions = {h: r for h, r in session.exec(select(Hub.id, Hub.region_id).where(col(Hub.id).in_(hub_ids))).all() if h}
    indicator_ids = set(values["indicator_id"].tolist())
    indicator_regions = dict(
        session.exec(select(Indicator.id, Indicator.region_id).where(col(Indicator.id).in_(indicator_ids))).all()
    )
    existing_ids = [int(i) for i in values["existing_id"].dropna().tolist()]
    stored: list[tuple[int, int, int, int]] = []
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
            assert m_id is not None  # read from the database
            stored.append((m_id, hub_id, indicator_id, quarter_index(fy, q)))
    for hub_id in sorted(hub_ids):
        if hub_id not in regions:
            raise NotFound("progress.error_no_hub", hub=hub_id)
        require(actor, Permission.ENTER_PROGRESS, region_id=regions[hub_id], hub_id=hub_id)
    # a stored value is only ever the one of the row's own hub, indicator and quarter, in the hub's region
    found = pd.DataFrame(stored, columns=["existing_id", "s_hub", "s_indicator", "s_period"], dtype="float64")
    checked = values.merge(found, how="left", on="existing_id", sort=False)
    wrong_value = checked["existing_id"].notna() & ~(
        (checked["s_hub"] == checked["hub_id"])
        & (checked["s_indicator"] == checked["indicator_id"])
        & (checked["s_period"] == checked["period"])
    )
    hub_region = checked["hub_id"].map(regions)
    wrong_region = checked["indicator_id"].map(indicator_regions).fillna(-1).astype("int64") != hub_region
    wrong = (wrong_value | wrong_region).to_numpy(dtype=bool)
    if wrong.any():
        first = PlannedValues(values.iloc[[int(np.argmax(wrong))]])[0]
        raise ImportPlanMismatch("progress.error_plan_mismatch", row=first.row, label=value_name(first))
    return regions


def with_notes(plan: ImportPlan, notes: Mapping[int, str]) -> ImportPlan:
    """The plan with notes typed for some of its rows (row -> note); a row that gets a note needs none."""
    typed = {row: note.strip() for row, note in notes.items() if note and note.strip()}
    if not typed:
        return plan

    def noted(values: Sequence[PlannedValue]) -> Sequence[PlannedValue]:
        frame = _frame(values)
        hit = frame["row"].isin(list(typed)).to_numpy(dtype=bool)
        if not hit.any():
            return values
        frame = frame.copy()
        frame.loc[hit, "note"] = frame.loc[hit, "row"].map(typed)
        return PlannedValues(frame)

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
        written = pd.concat([_frame(plan.new), _frame(plan.changed)])
        needing = PlannedValues(written[written["row"].isin(list(plan.notes_needed)).to_numpy(dtype=bool)])
        raise NoteRequired(dict(plan.notes_needed), {v.row: value_name(v) for v in needing})
    db.lock_for_write(session)
    regions = _check_plan(session, actor, pd.concat([_frame(plan.new), _frame(plan.changed)]))
    hub_ids = set(regions)
    _write_values(session, actor, plan.new, plan.changed, source="import", progress=progress)
    if submit:
        every = pd.concat([_frame(v)[["hub_id", "period"]] for v in (plan.new, plan.changed, plan.unchanged)])
        quarters = every.drop_duplicates().sort_values(["hub_id", "period"])
        for hub_id, period in zip(quarters["hub_id"].tolist(), quarters["period"].tolist(), strict=True):
            submit_quarter(session=session, actor=actor, hub_id=hub_id, period=FiscalQuarter.from_index(period))
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
    values = pd.concat([_frame(v)[["hub_id", "indicator_id"]] for v in (plan.new, plan.changed, plan.unchanged)])
    hub_ids = sorted(set(values["hub_id"].tolist()))
    indicator_ids = sorted(set(values["indicator_id"].tolist()))
    hub_names = sa_select(col(Hub.id), col(Hub.code), col(Hub.name)).where(col(Hub.id).in_(hub_ids))
    indicator_names = sa_select(col(Indicator.id), col(Indicator.code), col(Indicator.name)).where(
        col(Indicator.id).in_(indicator_ids)
    )
    return UploadPlan(
        plan,
        parsed.blank_rows,
        {hub_id: coded(code, name) for hub_id, code, name in session.execute(hub_names).all()},
        {indicator_id: coded(code, name) for indicator_id, code, name in session.execute(indicator_names).all()},
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
