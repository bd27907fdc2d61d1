"""The workshop room: 30 people on one server, most watching the vision page while a few save.

A real `streamlit run app.py` (password sign-in) on the national database (47 demo regions). 28 participants join
the workshop of region demo-01 with its code, 2 council members sign in with a password; all 30 open the vision
page as headless tabs speaking Streamlit's protocol (benchmarks/streamlit_client.py), its live refresh on (the
fragment's own interval, asked for as a browser's timer does).

- idle: nobody types for IDLE_SECONDS; the server process's CPU time (all its threads) over that window, as a
  share of one core, for the 30 together (limit 25 %) and per participant; the server's memory at the end;
- saving: for ACTIVE_SECONDS the two council members each save a part of the vision every few seconds (click
  Edit, type, click Save; one the statement, one a sector's commitment), each text with a marker of its own; the
  time from the click on Save to the marker's arrival on each other participant's screen, p95 (limit 5 s);
- errors: tracebacks, error messages, lost connections, runs that never end, saves that did not arrive (limit 0).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlmodel import Session, select

from benchmarks import databases, server
from benchmarks.harness import Measure, percentile, say
from benchmarks.streamlit_client import Tab
from hubdash import db
from hubdash.domain.enums import Role
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Organisation, Region
from hubdash.services import users, workshop

NAME = "workshop room"
WATCHERS = 28
SAVERS = (("room-saver-1", "statement"), ("room-saver-2", "commitment:academia"))
PASSWORD = "room benchmark password"
IDLE_SECONDS = 30.0
ACTIVE_SECONDS = 60.0
SAVE_EVERY = (4.0, 7.0)  # seconds between one person's saves
CPU_LIMIT = 0.25  # of one core, for the 30 together
LATENCY_LIMIT = 5.0


@dataclass
class Room:
    """What the room saw: markers saved and when, and when each reached each other screen."""

    saved: dict[str, tuple[float, str]] = field(default_factory=dict)  # marker -> (time of the click, who)
    seen: dict[str, dict[str, float]] = field(default_factory=dict)  # marker -> tab -> arrival
    latencies: list[float] = field(default_factory=list)

    def arrivals(self, names: list[str]) -> list[str]:
        """Each save's time to each other screen into `latencies`; the screens a save never reached.

        A screen that showed a later save of the same person (over the same part) first has what that save
        brought or newer: the save reached it then (a refresh slower than the saves skips texts, as it would).
        """
        missed = []
        for marker, (clicked, who) in self.saved.items():
            later = [m for m, (c, w) in self.saved.items() if w == who and c >= clicked]
            for name in names:
                if name == who:
                    continue
                times = [self.seen[m][name] for m in later if name in self.seen[m]]
                if times:
                    self.latencies.append(min(times) - clicked)
                else:
                    missed.append(f"{who}'s save {marker} never reached {name}")
        return missed

    def on_message(self, tab: Tab, data: bytes, arrived: float) -> None:
        """A tab received a message: does it carry a saved text this tab has not seen yet?"""
        for marker, (_, who) in list(self.saved.items()):
            if who != tab.name and tab.name not in self.seen[marker] and marker.encode() in data:
                self.seen[marker][tab.name] = arrived


def _prepare(url: str) -> str:
    """Open a workshop in demo-01 and add the two council members; the join code."""
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        region = session.exec(select(Region).where(Region.code == "demo-01")).one()
        organisation = session.exec(select(Organisation).where(Organisation.region_id == region.id)).first()
        assert region.id is not None and organisation is not None
        for login, _ in SAVERS:
            data = users.UserInput(login, f"委員 {login[-1]}", Role.COUNCIL_MEMBER, None, region.id, organisation.id)
            users.add_user(session=session, actor=SYSTEM, data=data, password=PASSWORD)
        opened = workshop.open_workshop(
            session=session, actor=SYSTEM, region_id=region.id, title="ベンチマークの会", votes_per_participant=5
        )
        code = opened.join_code
        assert code is not None
    engine.dispose()
    return code


def region_of(url: str, code: str) -> int:
    """The id of the region with this code."""
    engine = db.make_engine(url)
    with Session(engine) as session:
        found = session.exec(select(Region.id).where(Region.code == code)).one()
    engine.dispose()
    assert found is not None
    return found


async def _save_loop(tab: Tab, part: str, room: Room, until: float, rng: random.Random) -> int:
    saves = 0
    while time.perf_counter() < until:
        await asyncio.sleep(rng.uniform(*SAVE_EVERY))
        if time.perf_counter() >= until:
            break
        await tab.click(f"edit-{part}")
        await asyncio.sleep(1.0)  # typing
        marker = f"roomsave{saves:03d}x{tab.name[-1]}{rng.randrange(10**6):06d}"
        room.saved[marker] = (time.perf_counter(), tab.name)
        room.seen[marker] = {}
        body = f"ワークショップで書き直した文 {marker}"  # the draft field is a custom component: its state, as JSON
        values = {f"editor-{part}": {"text": {"body": body, "title": ""}}, f"reason-{part}": "ワークショップ"}
        await tab.click(f"save-{part}", values)
        saves += 1
    return saves


async def _room(srv: server.Server, code: str, region_id: int) -> tuple[Room, float, dict[str, float], list[str]]:
    room = Room()
    tabs: list[Tab] = []
    for n in range(WATCHERS):
        cookies = server.join(srv, code, f"参加者{n + 1:02d}", f"機関{n % 7 + 1}")
        tabs.append(Tab(srv.url, cookies, name=f"watcher{n + 1:02d}", on_message=room.on_message))
    savers = []
    for login, part in SAVERS:
        tab = Tab(srv.url, server.sign_in(srv, login, PASSWORD), name=login, on_message=room.on_message)
        tabs.append(tab)
        savers.append((tab, part))
    say(f"{len(tabs)} people signed in; opening the vision page one after another")
    for tab in tabs:  # people come in one after another
        await tab.open("vision", f"region={region_id}")
    await asyncio.sleep(5)  # every refresh timer running
    say(f"all in; {IDLE_SECONDS:.0f} s idle")

    cpu, wall = srv.cpu_seconds(), time.perf_counter()
    runs = sum(t.runs for t in tabs)
    await asyncio.sleep(IDLE_SECONDS)
    cpu, wall = srv.cpu_seconds() - cpu, time.perf_counter() - wall
    idle = {"cpu_share": cpu / wall, "refreshes_per_second": (sum(t.runs for t in tabs) - runs) / wall}

    say(f"idle: {idle['cpu_share'] * 100:.1f} % of one core; {ACTIVE_SECONDS:.0f} s of saving")
    rng = random.Random(13)
    until = time.perf_counter() + ACTIVE_SECONDS
    saves = await asyncio.gather(*(_save_loop(tab, part, room, until, rng) for tab, part in savers))
    await asyncio.sleep(8)  # the last saves reach every screen
    errors = [e for t in tabs for e in t.errors]
    errors.extend(room.arrivals([t.name for t in tabs]))
    idle["saves"] = float(sum(saves))
    idle["memory"], idle["peak memory"] = srv.memory_mb()
    idle["dropped"] = float(sum(t.dropped for t in tabs))
    for tab in tabs:
        await tab.close()
    return room, wall, idle, errors


def cases(words: list[str]) -> Iterator[Measure]:
    """The workshop room: CPU while idle, save-to-screen time, errors."""
    if words and not any(w in NAME for w in words):
        return
    url = databases.copy(databases.demo(47), "room")
    code = _prepare(url)
    region_id = region_of(url, "demo-01")
    srv = server.start(url, databases.folder() / "room-server.log", {"HUBDASH_AUTH": "password"})
    try:
        room, _, idle, errors = asyncio.run(_room(srv, code, region_id))
    finally:
        srv.stop()
    people = WATCHERS + len(SAVERS)
    share = idle["cpu_share"]
    yield Measure(
        f"{NAME}: server CPU, {people} idle participants",
        round(share * 100, 1),
        CPU_LIMIT * 100,
        "% of one core",
        {
            "per participant": f"{share * 100 / people:.2f} %",
            "live refreshes per second": round(idle["refreshes_per_second"], 1),
            "server memory at the end": f"{idle['memory']:.0f} MB (peak {idle['peak memory']:.0f} MB)",
        },
    )
    yield Measure(
        f"{NAME}: save to others' screens, p95",
        round(percentile(room.latencies, 0.95), 2),
        LATENCY_LIMIT,
        " s",
        {
            "saves": int(idle["saves"]),
            "arrivals": len(room.latencies),
            "median": round(percentile(room.latencies, 0.5), 2),
            "live refreshes dropped": int(idle["dropped"]),
        },
    )
    yield Measure(f"{NAME}: errors", len(errors), 0, "", {"first": errors[0][:300]} if errors else {})
