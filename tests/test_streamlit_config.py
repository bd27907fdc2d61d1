"""The shipped .streamlit/config.toml keeps a room of people on one server responsive (README "Performance")."""

import tomllib
from pathlib import Path

CONFIG = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_a_live_refresh_does_not_collect_the_whole_heap() -> None:
    # Streamlit's default runs gc.collect() after every script run, fragment runs included: with a national
    # database's caches in memory that is 100-150 ms of the one core all sessions share, per live refresh of each
    # person watching the vision page; a workshop of 30 then cannot see a save within seconds.
    assert CONFIG["runner"]["postScriptGC"] is False
