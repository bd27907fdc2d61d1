"""The all-regions executive report of 47 demo regions as PowerPoint: size (limit) and build time (ratio).

Size: the .pptx must stay under SIZE_LIMIT_BYTES and open with the national summary; both are asserted here and
the size and slide count printed. Time: building the summary and writing the file, against a floor of the same
plain SQL aggregate as the executive summary's case plus python-pptx writing the same number of slides with a
title and one text box each (no charts, no tables, no status to judge).
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pptx import Presentation
from pptx.util import Inches
from sqlmodel import Session

from benchmarks.bench_executive import FLOOR_SQL, _database
from benchmarks.harness import Result, compare
from hubdash import db
from hubdash.domain.permissions import SYSTEM
from hubdash.exports.executive import report_file
from hubdash.fmt import Display
from hubdash.services.executive import executive_report

NAME = "executive report pptx, 47 regions"
SIZE_LIMIT_BYTES = 3 * 1024 * 1024
# The status engine judges every target (as the summary case does) before python-pptx writes charts and tables:
# measured about 9.5x.
TIME_LIMIT = 20.0


def _report(url: str) -> bytes:
    engine = db.make_engine(url)
    with Session(engine) as session:
        summary = executive_report(session=session, actor=SYSTEM)
    engine.dispose()
    return report_file(summary, "pptx", Display("ja"))


def _plain_slides(count: int) -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    for n in range(count):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        assert slide.shapes.title is not None
        slide.shapes.title.text = f"slide {n}"
        slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(6), Inches(1)).text_frame.text = "text"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def cases(words: list[str]) -> Iterator[Result]:
    """The all-regions report case, when no words are given or one of them is in its name."""
    if words and not any(w in NAME for w in words):
        return
    with tempfile.TemporaryDirectory() as folder:
        url = _database(Path(folder))
        data = _report(url)
        slides = list(Presentation(io.BytesIO(data)).slides)
        titles = [s.shapes.title.text if s.shapes.title is not None else "" for s in slides]
        print(f"{NAME}: {len(data):,} bytes, {len(slides)} slides (limit {SIZE_LIMIT_BYTES:,} bytes)", flush=True)
        print(f"{NAME}: opens with {titles[1]!r}, {titles[2]!r}", flush=True)
        assert titles[1].startswith("全国の概況"), "the report opens with the national summary"
        assert len(data) <= SIZE_LIMIT_BYTES, f"{len(data):,} bytes is over {SIZE_LIMIT_BYTES:,}"
        engine = db.make_engine(url)

        def floor() -> None:
            with engine.connect() as conn:
                conn.execute(FLOOR_SQL).all()
            _plain_slides(len(slides))

        yield compare(NAME, lambda: _report(url), floor, limit=TIME_LIMIT, repeat=3)
        engine.dispose()
