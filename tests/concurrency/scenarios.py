"""What each racing writer does, importable by the spawned worker processes of the concurrency suite.

A worker gets the engine, its index (0..n-1) and the ids the test set up (with "start", which returns when
all writers are ready); it runs one service call in one
transaction, exactly as the app does, and reports an Outcome: ok, conflict (EditConflict), refused (another
UserError, by catalogue key) or crash (anything else: an IntegrityError, "database is locked", a
serialization failure, ... — never expected).
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from hubdash import db
from hubdash.domain.enums import PdcaStage, Role, Sector
from hubdash.domain.errors import EditConflict, UserError
from hubdash.domain.periods import FiscalQuarter
from hubdash.domain.permissions import Actor
from hubdash.services import measurements, pdca, targets, vision, workshop
from hubdash.services.measurements import ValueEntry

Q1 = FiscalQuarter(2024, 1)
SECTORS = list(Sector)


@dataclass(frozen=True)
class Outcome:
    """What one racing writer saw."""

    kind: str  # ok | conflict | refused | crash
    detail: Any = None


def writer(index: int) -> Actor:
    """Racing writer number `index`: a different person each."""
    return Actor(name=f"writer {index}", role=Role.ADMIN, username=f"open:writer{index}")


def attempt(engine: Engine, work: Callable[[Session], Any]) -> Outcome:
    """One unit of work in one transaction, as the app runs it, without the app's retry."""
    try:
        with db.session_scope(engine) as session:
            result = work(session)
    except EditConflict as exc:
        return Outcome("conflict", exc.theirs)
    except UserError as exc:
        return Outcome("refused", exc.key)
    except BaseException:  # noqa: BLE001 - exactly what must never happen, reported to the test
        return Outcome("crash", traceback.format_exc())
    return Outcome("ok", result)


# --- measurements ---------------------------------------------------------------------------------


def measurement_new_value(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone types a value into the same empty cell (the editor saw no value: version 0)."""
    return attempt(
        engine,
        lambda s: (
            measurements.record_values(
                session=s,
                actor=writer(i),
                hub_id=ids["hub"],
                period=Q1,
                entries=[ValueEntry(ids["indicator"], 100.0 + i, f"by {i}", version=0)],
            ).added
        ),
    )


def measurement_own_hub(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone types a value for their own hub (nobody's save touches another's)."""
    return attempt(
        engine,
        lambda s: (
            measurements.record_values(
                session=s,
                actor=writer(i),
                hub_id=ids["hubs"][i],
                period=Q1,
                entries=[ValueEntry(ids["indicator"], 100.0 + i, "", version=0)],
            ).added
        ),
    )


def measurement_changed_value(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone corrects the same stored value from version 1."""
    return attempt(
        engine,
        lambda s: (
            measurements.record_values(
                session=s,
                actor=writer(i),
                hub_id=ids["hub"],
                period=Q1,
                entries=[ValueEntry(ids["indicator"], 100.0 + i, f"by {i}", version=1)],
            ).corrected
        ),
    )


def _import_rows(hub_code: str, indicator_codes: list[str], value: float) -> list[Any]:
    from hubdash.readers.progress_file import ProgressRow

    return [
        ProgressRow(row=n + 2, region="r1", hub=hub_code, indicator=code, period=Q1 + q, value=value, note="")
        for n, (code, q) in enumerate((c, q) for c in indicator_codes for q in range(2))
    ]


def _import(engine: Engine, i: int, rows: list[Any], start: Callable[[], Any]) -> Outcome:
    with Session(engine) as s:  # planned before the race, as the upload page plans before "Import"
        plan = measurements.plan_import(session=s, actor=writer(i), rows=rows)
    start()
    return attempt(
        engine,
        lambda s: measurements.apply_import(session=s, actor=writer(i), plan=plan, filename=f"file{i}.csv").added,
    )


def import_same_values(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone imports a file with the same new values (different numbers)."""
    return _import(engine, i, _import_rows("H1", ids["indicator_codes"], 10.0 + i), ids["start"])


def import_own_hub(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone imports the values of their own hub."""
    return _import(engine, i, _import_rows(f"H{i + 1}", ids["indicator_codes"], 10.0 + i), ids["start"])


# --- vision ---------------------------------------------------------------------------------------


def _save(engine: Engine, i: int, ids: dict[str, Any], part: str, base: int, title: str = "") -> Outcome:
    return attempt(
        engine,
        lambda s: (
            vision.save_part(
                session=s,
                actor=writer(i),
                region_id=ids["region"],
                part_key=part,
                body=f"text of writer {i}",
                title=title,
                base_version=base,
                reason=f"reason {i}",
            ).number
        ),
    )


def vision_same_part(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone saves the statement from version 1."""
    return _save(engine, i, ids, str(vision.STATEMENT), 1)


def vision_different_parts(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Writer 0 saves the statement, the others one sector's commitment each (never written before)."""
    if i == 0:
        return _save(engine, i, ids, str(vision.STATEMENT), 1)
    return _save(engine, i, ids, str(vision.commitment_key(SECTORS[i - 1])), 0)


def vision_new_goal(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone adds goal G2 at once."""
    return _save(engine, i, ids, str(vision.goal_key("G2")), 0, title=f"goal of writer {i}")


def endorse_same_organisation(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone endorses the current revision for the same organisation."""
    return attempt(
        engine,
        lambda s: (
            vision.endorse(
                session=s,
                actor=writer(i),
                region_id=ids["region"],
                organisation_id=ids["organisation"],
                person_name=f"person {i}",
            ).person_name
        ),
    )


# --- targets --------------------------------------------------------------------------------------


def _target_input(ids: dict[str, Any], hub_id: int | None, value: float) -> targets.TargetInput:
    return targets.TargetInput(
        indicator_id=ids["indicator"],
        hub_id=hub_id,
        baseline_value=0.0,
        baseline_period=FiscalQuarter(2023, 4),
        target_value=value,
        target_period=FiscalQuarter(2027, 4),
    )


def target_rebaseline(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone re-baselines the same target from version 1."""
    return attempt(
        engine,
        lambda s: (
            targets.update_target(
                session=s,
                actor=writer(i),
                target_id=ids["target"],
                data=_target_input(ids, ids["hub"], 200.0 + i),
                reason=f"reason {i}",
                version=1,
            ).target_value
        ),
    )


def target_create(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone sets the same new target: region-wide (ids["target_hub"] None) or of one hub."""
    data = _target_input(ids, ids["target_hub"], 300.0 + i)
    return attempt(
        engine,
        lambda s: targets.create_target(session=s, actor=writer(i), region_id=ids["region"], data=data).target_value,
    )


# --- workshop -------------------------------------------------------------------------------------

ALICE = Actor(name="Alice", role=Role.ADMIN, username="open:alice")


def vote_budget(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """One person, in many tabs, votes for a different idea in each."""
    return attempt(engine, lambda s: workshop.vote(session=s, actor=ALICE, idea_id=ids["ideas"][i]).idea_id)


def vote_same_idea(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """One person, in many tabs, votes for the same idea in each."""
    return attempt(engine, lambda s: workshop.vote(session=s, actor=ALICE, idea_id=ids["ideas"][0]).idea_id)


def vote_many_voters(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone votes for the same idea."""
    return attempt(engine, lambda s: workshop.vote(session=s, actor=writer(i), idea_id=ids["ideas"][0]).idea_id)


# --- PDCA -----------------------------------------------------------------------------------------


def pdca_open_next(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone opens the hub's next cycle (which carries the open actions over)."""
    return attempt(engine, lambda s: pdca.open_cycle(session=s, actor=writer(i), hub_id=ids["hub"], period=Q1 + 1).id)


def pdca_close(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone closes the same cycle from the same version."""
    return attempt(
        engine,
        lambda s: (
            pdca.move_stage(
                session=s,
                actor=writer(i),
                cycle_id=ids["cycle"],
                version=ids["cycle_version"],
                to_stage=PdcaStage.CLOSED,
            ).stage
        ),
    )


def action_same_item(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone edits the same action item from version 1."""
    change = pdca.ActionInput(
        title=f"title of writer {i}",
        owner_organisation_id=ids["organisation"],
        due_date=date(2024, 6, 30),
        action_id=ids["action"],
        version=1,
    )
    return attempt(
        engine, lambda s: pdca.update_actions(session=s, actor=writer(i), cycle_id=ids["cycle"], actions=[change])
    )


def action_add_while_closing(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Writer 0 closes the cycle while the others add action items to it."""
    if i == 0:
        return pdca_close(engine, i, ids)
    new = pdca.ActionInput(title=f"added by {i}", owner_organisation_id=ids["organisation"], due_date=date(2024, 6, 30))
    return attempt(engine, lambda s: pdca.add_action(session=s, actor=writer(i), cycle_id=ids["cycle"], action=new).id)


# --- first start ----------------------------------------------------------------------------------


def first_start(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Every server starting on the empty database loads the sample region if there is none yet."""
    from hubdash.domain.permissions import SYSTEM
    from hubdash.seed.sample import load_sample_if_empty

    def work(s: Session) -> str | None:
        loaded = load_sample_if_empty(session=s, actor=SYSTEM, lang="ja" if i % 2 else "en")
        return loaded.region_code if loaded else None

    with db.startup_lock(engine):
        return attempt(engine, work)


# --- sign-off, effect verification, reminders (issue 16) --------------------------------------------


def signoff_confirm(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Half confirm, half return the same submitted quarter, all from version 1."""
    from hubdash.services import signoff

    def work(s: Session) -> str:
        if i % 2:
            done = signoff.return_quarter(
                session=s, actor=writer(i), submission_id=ids["submission"], version=1, comment=f"by {i}"
            )
        else:
            done = signoff.confirm_quarter(session=s, actor=writer(i), submission_id=ids["submission"], version=1)
        return done.status.value

    return attempt(engine, work)


def verification_decide(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone decides the course of the same target, nobody having seen a decision (version 0)."""
    from hubdash.domain.enums import FutureCourse
    from hubdash.services import verification

    decision = verification.Decision(None, FutureCourse.IMPROVE, f"reason {i}", 0)
    return attempt(
        engine,
        lambda s: (
            verification.decide_target(
                session=s,
                actor=writer(i),
                verification_id=ids["verification"],
                target_id=ids["target"],
                decision=decision,
            ).reason
        ),
    )


def verification_publish(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Everyone publishes the same decided verification from one version."""
    from hubdash.services import verification

    return attempt(
        engine,
        lambda s: (
            verification.publish(
                session=s, actor=writer(i), verification_id=ids["verification"], version=ids["verification_version"]
            ).number
        ),
    )


def reminder_claim(engine: Engine, i: int, ids: dict[str, Any]) -> Outcome:
    """Every run claims the same person's items for the same day."""
    from hubdash.domain.permissions import SYSTEM
    from hubdash.services import reminders

    return attempt(
        engine,
        lambda s: reminders.claim(
            session=s, actor=SYSTEM, user_id=ids["user"], keys=ids["keys"], today=date.fromisoformat(ids["today"])
        ),
    )


# --- running in a worker process --------------------------------------------------------------------

_engines: dict[str, Engine] = {}


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def warm_up(_: int) -> int:
    """Keep a worker busy for a moment, so that the pool starts all its processes."""
    time.sleep(0.5)
    return 0


def run(engine: Engine, scenario: str, index: int, ids: dict[str, Any], start: Callable[[], Any]) -> Outcome:
    """Run a scenario; `start()` returns when every writer is ready (the import scenarios plan first)."""
    if scenario not in ("import_same_values", "import_own_hub"):
        start()
    result: Outcome = globals()[scenario](engine, index, {**ids, "start": start})
    return result


def in_process(url: str, scenario: str, index: int, ids: dict[str, Any], go_at: float) -> Outcome:
    """run() in a worker process with an engine of its own, starting at `go_at` (wall clock)."""
    engine = _engines.get(url)
    if engine is None:
        for old in _engines.values():
            old.dispose()
        _engines.clear()
        engine = _engines[url] = db.make_engine(url)
    db.check_connection(engine)
    return run(engine, scenario, index, ids, lambda: _sleep_until(go_at))
