"""A vision with 500 revisions and 1,000 ideas: opening the vision page and saving a part, against plain SQL.

Subject (open): every read the vision and ideas pages make (current vision, others editing, own drafts,
comments, revision history, the ideas board with vote counts). Floor: the same rows read with sqlite3.
Subject (save): save_part and commit (the version-checked UPDATE, snapshot, next revision, audit event).
Floor: the main statements written by hand with sqlite3 (no savepoint, draft cleanup or audit before/after).
Limits: 3x (open), 6x (save).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Iterator
from itertools import count
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session

from benchmarks.harness import Result, compare
from hubdash import db
from hubdash.domain.enums import Sector
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Idea, IdeaVote, Region
from hubdash.services import vision as svc
from hubdash.services import workshop

REVISIONS = 500
IDEAS = 1_000
OPEN_LIMIT = 3.0
SAVE_LIMIT = 6.0


def _prepare(folder: Path) -> tuple[Path, int]:
    path = folder / "vision.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with db.session_scope(engine) as session:
        region = Region(code="bench", name="Bench")
        session.add(region)
        session.flush()
        rid = region.id
        assert rid is not None
        keys = [svc.STATEMENT, *(svc.goal_key(f"G{n}") for n in range(1, 6)), *(svc.commitment_key(s) for s in Sector)]
        versions = dict.fromkeys(keys, 0)
        for n in range(REVISIONS):
            key = keys[n % len(keys)]
            body = f"改訂 {n}: 地域の大学・企業・金融機関が連携し、若い人が挑戦し続けられる地域をめざす。" * 4
            svc.save_part(
                session=session,
                actor=SYSTEM,
                region_id=rid,
                part_key=key,
                body=body,
                title=f"目標 {key}",
                base_version=versions[key],
                reason=f"revision {n}",
            )
            versions[key] += 1
        ws = workshop.open_workshop(session=session, actor=SYSTEM, region_id=rid, title="WS", votes_per_participant=5)
        session.execute(
            insert(Idea),
            [
                {"workshop_id": ws.id, "region_id": rid, "body": f"アイデア {n}", "author_key": f"p{n % 30}"}
                for n in range(IDEAS)
            ],
        )
        session.execute(
            insert(IdeaVote),
            [{"workshop_id": ws.id, "idea_id": 1 + (n * 7) % IDEAS, "voter_key": f"p{n % 30}"} for n in range(150)],
        )
    engine.dispose()
    return path, rid


def _open_subject(engine, region_id: int) -> None:
    with Session(engine) as session:
        svc.current_vision(session=session, region_id=region_id)
        svc.editors_now(session=session, region_id=region_id, exclude_key="open:me")
        svc.my_drafts(session=session, region_id=region_id, user_key="open:me")
        svc.vision_comments(session=session, region_id=region_id)
        svc.revision_history(session=session, region_id=region_id)
        workshop.ideas_board(session=session, region_id=region_id, voter_key="p1")


def _open_floor(path: Path, region_id: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("SELECT * FROM visionpart WHERE region_id = ?", (region_id,)).fetchall()
        conn.execute("SELECT * FROM strategicgoal WHERE region_id = ? ORDER BY position", (region_id,)).fetchall()
        conn.execute(
            "SELECT * FROM visionrevision WHERE region_id = ? ORDER BY number DESC LIMIT 1", (region_id,)
        ).fetchall()
        conn.execute("SELECT * FROM editorpresence WHERE region_id = ?", (region_id,)).fetchall()
        conn.execute("SELECT * FROM visiondraft WHERE region_id = ? AND user_key = 'open:me'", (region_id,)).fetchall()
        conn.execute("SELECT * FROM comment WHERE region_id = ?", (region_id,)).fetchall()
        conn.execute(
            "SELECT number, created_at, author_name, reason, changed_parts, restored_from_number, idea_id "
            "FROM visionrevision WHERE region_id = ? ORDER BY number DESC",
            (region_id,),
        ).fetchall()
        conn.execute(
            "SELECT i.*, COALESCE(v.n, 0) FROM idea i LEFT JOIN (SELECT idea_id, COUNT(*) n FROM ideavote "
            "GROUP BY idea_id) v ON v.idea_id = i.id WHERE i.region_id = ? ORDER BY 2 DESC",
            (region_id,),
        ).fetchall()
        conn.execute("SELECT idea_id FROM ideavote WHERE voter_key = 'p1'").fetchall()


def cases(words: list[str]) -> Iterator[Result]:
    """Opening and saving a vision with 500 revisions and 1,000 ideas."""
    names = (f"vision open ({REVISIONS} revisions, {IDEAS:,} ideas)", f"vision save ({REVISIONS} revisions)")
    wanted = [n for n in names if not words or any(w in n for w in words)]
    if not wanted:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path, region_id = _prepare(Path(tmp))
        engine = db.make_engine(f"sqlite:///{path}")
        if names[0] in wanted:
            yield compare(
                names[0],
                lambda: _open_subject(engine, region_id),
                lambda: _open_floor(path, region_id),
                limit=OPEN_LIMIT,
                repeat=7,
            )
        if names[1] in wanted:
            edits = count()

            def save() -> None:
                with db.session_scope(engine) as session:
                    _, version = svc.part_text(svc.current_vision(session=session, region_id=region_id), "statement")
                    svc.save_part(
                        session=session,
                        actor=SYSTEM,
                        region_id=region_id,
                        part_key=svc.STATEMENT,
                        body=f"edit {next(edits)}",
                        base_version=version,
                        reason="bench",
                    )

            def floor() -> None:
                with sqlite3.connect(path) as conn:
                    n = next(edits)
                    conn.execute(
                        "UPDATE visionpart SET body = ?, version = version + 1"
                        " WHERE region_id = ? AND key = 'statement'",
                        (f"edit {n}", region_id),
                    )
                    parts = conn.execute(
                        "SELECT key, body FROM visionpart WHERE region_id = ?", (region_id,)
                    ).fetchall()
                    goals = conn.execute(
                        "SELECT code, title, description FROM strategicgoal WHERE region_id = ?", (region_id,)
                    ).fetchall()
                    (number,) = conn.execute(
                        "SELECT MAX(number) FROM visionrevision WHERE region_id = ?", (region_id,)
                    ).fetchone()
                    snapshot = json.dumps({"parts": parts, "goals": goals})
                    conn.execute(
                        "INSERT INTO visionrevision (region_id, number, snapshot, changed_parts, reason, author_name,"
                        " created_at) VALUES (?, ?, ?, '[\"statement\"]', 'bench', 'floor', CURRENT_TIMESTAMP)",
                        (region_id, number + 1, snapshot),
                    )
                    conn.execute(
                        "INSERT INTO auditevent (occurred_at, actor_name, action, entity_type, entity_id, region_id)"
                        " VALUES (CURRENT_TIMESTAMP, 'floor', 'vision.save', 'visionrevision', ?, ?)",
                        (str(number + 1), region_id),
                    )

            yield compare(names[1], save, floor, limit=SAVE_LIMIT, repeat=7)
        engine.dispose()
