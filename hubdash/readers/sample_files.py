"""Read the bundled sample regions (sample_data/<lang>/) into plain records, with file-and-row errors.

Pure: no database. hubdash.services.regions writes what this returns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import yaml

from hubdash.domain.enums import (
    Accumulation,
    ActionOrigin,
    ActionStatus,
    Direction,
    FutureCourse,
    IndicatorKind,
    Measure,
    PdcaCadence,
    PdcaStage,
    Role,
    Sector,
)
from hubdash.domain.periods import FiscalQuarter, PeriodError
from hubdash.domain.profiles import ProfileError, from_percent

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"
LINE = "__line__"
E = TypeVar("E", bound=StrEnum)


class SampleDataError(ValueError):
    """A sample file that cannot be loaded; the message names the file and the row."""


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, so errors can name the row."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class SampleRegion:
    """Everything in one sample folder, validated, with codes not yet resolved to ids."""

    lang: str
    region: dict[str, Any]
    organisations: list[dict[str, Any]]
    hubs: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    targets: list[dict[str, Any]]
    users: list[dict[str, Any]]
    revisions: list[dict[str, Any]]
    endorsements: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    workshop: dict[str, Any] | None
    measurements: list[dict[str, Any]] = field(default_factory=list)
    cycles: list[dict[str, Any]] = field(default_factory=list)
    # {hub, through (the last quarter the hub submitted; every earlier quarter with values too), by (username)}
    submissions: list[dict[str, Any]] = field(default_factory=list)


class _Rows:
    """Validation helpers bound to one file, so each error names the file and the row."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, row: dict[str, Any] | int | None, message: str) -> SampleDataError:
        line = row.get(LINE) if isinstance(row, dict) else row
        where = f"{self.path.parent.name}/{self.path.name}" + (f", row at line {line}" if line else "")
        return SampleDataError(f"{where}: {message}")

    def text(self, row: dict[str, Any], key: str, *, required: bool = True) -> str:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(row, f"'{key}' is missing")
            return ""
        return str(value).strip()

    def number(self, row: dict[str, Any], key: str) -> float:
        value = row.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            try:
                return float(str(value).replace(",", ""))
            except (TypeError, ValueError):
                raise self.fail(row, f"'{key}' must be a number, not {value!r}") from None
        return float(value)

    def choice(self, row: dict[str, Any], key: str, enum: type[E], default: E | None = None) -> E:
        value = row.get(key)
        if value is None and default is not None:
            return default
        try:
            return enum(str(value))
        except ValueError:
            allowed = ", ".join(m.value for m in enum)
            raise self.fail(row, f"'{key}' is {value!r}; expected one of {allowed}") from None

    def period(self, row: dict[str, Any], key: str) -> FiscalQuarter:
        try:
            return FiscalQuarter.parse(str(row.get(key, "")))
        except PeriodError as exc:
            raise self.fail(row, f"'{key}': {exc}") from None

    def moment(self, row: dict[str, Any], key: str) -> datetime:
        value = row.get(key)
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise self.fail(row, f"'{key}' needs a time zone, e.g. +09:00")
            return value
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            raise self.fail(row, f"'{key}' is not an ISO date-time: {value!r}") from None
        if parsed.tzinfo is None:
            raise self.fail(row, f"'{key}' needs a time zone, e.g. +09:00")
        return parsed

    def day(self, row: dict[str, Any], key: str) -> date | None:
        value = row.get(key)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(row, f"'{key}' is not a date (YYYY-MM-DD): {value!r}") from None

    def ref(self, row: dict[str, Any], key: str, known: set[str], what: str, *, required: bool = True) -> str:
        value = row.get(key)
        if value is None and not required:
            return ""
        if str(value) not in known:
            raise self.fail(row, f"'{key}' names an unknown {what}: {value!r}")
        return str(value)


def _load_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise SampleDataError(f"{path}: file not found")
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        raise SampleDataError(f"{path.parent.name}/{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise SampleDataError(f"{path.parent.name}/{path.name}: expected a mapping at the top")
    return data


def _fields(value: Any) -> Any:
    """A mapping used as data (commitments, goals, milestones) without the remembered line numbers."""
    if isinstance(value, dict):
        return {k: _fields(v) for k, v in value.items() if k != LINE}
    return value


def _list(rows: _Rows, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise rows.fail(data, f"'{key}' must be a list of mappings")
    return value


def read_sample(lang: str, folder: Path | None = None) -> SampleRegion:
    """Read and validate one sample region; raise SampleDataError naming the file and row."""
    base = folder or SAMPLE_DIR / lang
    region_file, vision_file = base / "region.yaml", base / "vision.yaml"
    r = _Rows(region_file)
    data = _load_yaml(region_file)
    region = data.get("region") or {}
    r.text(region, "code")
    r.text(region, "name")

    organisations = _list(r, data, "organisations")
    for row in organisations:
        r.text(row, "code")
        r.text(row, "name")
        row["sector"] = r.choice(row, "sector", Sector)
    org_codes = {o["code"] for o in organisations}

    hubs = _list(r, data, "hubs")
    for row in hubs:
        r.text(row, "code")
        r.text(row, "name")
        r.ref(row, "core_institution", org_codes, "organisation")
        row["pdca_cadence"] = r.choice(row, "pdca_cadence", PdcaCadence, PdcaCadence.QUARTER)
        for member in row.get("members") or []:
            r.ref({"members": member, LINE: row[LINE]}, "members", org_codes, "organisation")
    hub_codes = {h["code"] for h in hubs}

    v = _Rows(vision_file)
    vision = _load_yaml(vision_file)
    revisions = _list(v, vision, "revisions")
    if not revisions:
        raise v.fail(None, "'revisions' is empty: the first revision must hold the whole vision")
    goal_codes: set[str] = set()
    for expected_number, row in enumerate(revisions, start=1):
        if row.get("number") != expected_number:
            raise v.fail(row, f"revision 'number' should be {expected_number}, found {row.get('number')!r}")
        row["created_at"] = v.moment(row, "created_at")
        row["commitments"] = _fields(row.get("commitments") or {})
        row["goals"] = _fields(row.get("goals") or {})
        for sector in row["commitments"]:
            v.choice({"sector": sector, LINE: row[LINE]}, "sector", Sector)
        goal_codes |= {str(code) for code in row["goals"]}
    first = revisions[0]
    if not first.get("statement") or not first.get("goals"):
        raise v.fail(first, "the first revision must hold the statement and the goals")

    indicators = _list(r, data, "indicators")
    for row in indicators:
        for key in ("code", "name", "unit"):
            r.text(row, key)
        row["kind"] = r.choice(row, "kind", IndicatorKind)
        row["measure"] = r.choice(row, "measure", Measure)
        row["direction"] = r.choice(row, "direction", Direction, Direction.HIGHER)
        r.ref(row, "goal", goal_codes, "strategic goal", required=False)
    indicator_codes = {i["code"] for i in indicators}

    targets = _list(r, data, "targets")
    for row in targets:
        r.ref(row, "indicator", indicator_codes, "indicator")
        if row.get("hub") is not None:
            r.ref(row, "hub", hub_codes, "hub")
        row["baseline"] = r.number(row, "baseline")
        row["target"] = r.number(row, "target")
        row["baseline_period"] = r.period(row, "baseline_period")
        row["target_period"] = r.period(row, "target_period")
        if row["target_period"] <= row["baseline_period"]:
            raise r.fail(row, "'target_period' must come after 'baseline_period'")
        row["accumulation"] = r.choice(row, "accumulation", Accumulation, Accumulation.ANNUAL)
        row["tolerance"] = r.number(row, "tolerance") if row.get("tolerance") is not None else 0.1
        row["milestones"] = {str(k): float(val) for k, val in _fields(row.get("milestones") or {}).items()}
        if row.get("profile") is not None:  # percent of the year's total by the end of Q1..Q4
            try:
                row["profile"] = from_percent(row["profile"])
            except (ProfileError, TypeError):
                wrong = row["profile"]
                raise r.fail(row, f"'profile' must be four rising percentages ending at 100: {wrong!r}") from None

    users = _list(r, data, "users")
    for row in users:
        r.text(row, "username")
        r.text(row, "display_name")
        row["role"] = r.choice(row, "role", Role)
        r.ref(row, "organisation", org_codes, "organisation", required=False)
        for hub in row.get("hubs") or []:
            r.ref({"hubs": hub, LINE: row[LINE]}, "hubs", hub_codes, "hub")
    usernames = {u["username"] for u in users}
    for row in revisions:
        v.ref(row, "author", usernames, "user")
    submissions = _list(r, data, "submissions")
    for row in submissions:
        r.ref(row, "hub", hub_codes, "hub")
        r.ref(row, "by", usernames, "user")
        row["through"] = r.period(row, "through")

    endorsements = _list(v, vision, "endorsements")
    for row in endorsements:
        v.ref(row, "organisation", org_codes, "organisation")
        if not 1 <= int(row.get("revision") or 0) <= len(revisions):
            raise v.fail(row, f"'revision' names no revision: {row.get('revision')!r}")
        v.text(row, "person")
        row["endorsed_at"] = v.moment(row, "endorsed_at")
    comments = _list(v, vision, "comments")
    for row in comments:
        v.ref(row, "author", usernames, "user")
        v.text(row, "body")
        row["created_at"] = v.moment(row, "created_at")
    workshop = vision.get("workshop")
    if workshop:
        v.text(workshop, "title")
        for row in _list(v, workshop, "ideas"):
            v.ref(row, "author", usernames, "user")
            v.text(row, "body")
            v.ref(row, "goal", goal_codes, "strategic goal", required=False)
            for voter in row.get("voters") or []:
                v.ref({"voters": voter, LINE: row[LINE]}, "voters", usernames, "user")

    sample = SampleRegion(
        lang=lang,
        region=region,
        organisations=organisations,
        hubs=hubs,
        indicators=indicators,
        targets=targets,
        users=users,
        revisions=revisions,
        endorsements=endorsements,
        comments=comments,
        workshop=workshop,
    )
    sample.submissions = submissions
    sample.measurements = _read_measurements(base / "measurements.csv", hub_codes, indicator_codes)
    sample.cycles = _read_cycles(base / "pdca.yaml", hub_codes, org_codes, indicator_codes)
    return sample


def _read_measurements(path: Path, hub_codes: set[str], indicator_codes: set[str]) -> list[dict[str, Any]]:
    rows = _Rows(path)
    if not path.is_file():
        raise SampleDataError(f"{path}: file not found")
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str, FiscalQuarter]] = set()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"hub", "indicator", "period", "value"} - set(reader.fieldnames or [])
        if missing:
            raise rows.fail(1, f"missing column(s): {', '.join(sorted(missing))}")
        for line, raw in enumerate(reader, start=2):  # line 1 is the header, as a spreadsheet shows it
            row: dict[str, Any] = {**raw, LINE: line}
            rows.ref(row, "hub", hub_codes, "hub")
            rows.ref(row, "indicator", indicator_codes, "indicator")
            period = rows.period(row, "period")
            key = (row["hub"], row["indicator"], period)
            if key in seen:
                raise rows.fail(row, f"{row['hub']} / {row['indicator']} / {period} appears twice")
            seen.add(key)
            out.append(
                {
                    "hub": row["hub"],
                    "indicator": row["indicator"],
                    "period": period,
                    "value": rows.number(row, "value"),
                    "note": (row.get("note") or "").strip(),
                }
            )
    return out


def _read_cycles(
    path: Path, hub_codes: set[str], org_codes: set[str], indicator_codes: set[str]
) -> list[dict[str, Any]]:
    rows = _Rows(path)
    data = _load_yaml(path)
    cycles = _list(rows, data, "cycles")
    for row in cycles:
        rows.ref(row, "hub", hub_codes, "hub")
        row["period"] = rows.period(row, "period")
        row["stage"] = rows.choice(row, "stage", PdcaStage)
        if row.get("future_course") is not None:
            row["future_course"] = rows.choice(row, "future_course", FutureCourse)
        if row.get("effect_rating") is not None and row["effect_rating"] not in (1, 2, 3, 4):
            raise rows.fail(row, f"'effect_rating' must be 1 to 4, not {row['effect_rating']!r}")
        for action in _list(rows, row, "actions"):
            rows.text(action, "title")
            rows.ref(action, "owner", org_codes, "organisation")
            action["due"] = rows.day(action, "due")
            action["status"] = rows.choice(action, "status", ActionStatus, ActionStatus.NOT_STARTED)
            action["origin"] = rows.choice(action, "origin", ActionOrigin, ActionOrigin.PLAN)
            for code in action.get("indicators") or []:
                rows.ref({"indicators": code, LINE: action[LINE]}, "indicators", indicator_codes, "indicator")
    return cycles
