"""The public page of a region's effect verifications: no sign-in, published versions only. What the council is
preparing (drafts, corrections in progress, decisions and opinions not yet published) never reaches it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from docx import Document
from openpyxl import load_workbook
from starlette.applications import Starlette
from starlette.testclient import TestClient

from hubdash import db
from hubdash.domain.enums import Accumulation, FutureCourse, Measure, VerificationStage
from hubdash.domain.permissions import SYSTEM
from hubdash.services import verification
from hubdash.ui import public, runtime
from tests import factories

BASE = "http://127.0.0.1:8501"


def _step(verification_id: int, **decide: str) -> None:
    """Decide H1's target (course: reason), then move the verification on to decided."""
    with db.session_scope(runtime.engine()) as s:
        record = verification.verification_record(session=s, actor=SYSTEM, verification_id=verification_id)
        [row] = record.kpis
        for course, reason in decide.items():
            decision = verification.Decision(None, FutureCourse(course), reason, row.decision_version)
            verification.decide_target(
                session=s, actor=SYSTEM, verification_id=verification_id, target_id=row.target_id, decision=decision
            )
        for stage in (VerificationStage.REVIEW, VerificationStage.DECIDED):
            current = verification.verification_record(session=s, actor=SYSTEM, verification_id=verification_id)
            verification.move_stage(
                session=s, actor=SYSTEM, verification_id=verification_id, version=current.version, to_stage=stage
            )


def _publish(verification_id: int) -> None:
    with db.session_scope(runtime.engine()) as s:
        current = verification.verification_record(session=s, actor=SYSTEM, verification_id=verification_id)
        verification.publish(session=s, actor=SYSTEM, verification_id=verification_id, version=current.version)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, int]]]:
    """Region r1 (hub H1, an outcome target) with FY2024's verification published, then corrected in secret."""
    monkeypatch.setenv("HUBDASH_DATABASE_URL", f"sqlite:///{tmp_path / 'public.db'}")
    st.cache_resource.clear()
    with db.session_scope(runtime.engine()) as s:
        r = factories.region(s, "r1", name="湊原地域")
        other = factories.region(s, "r2", name="Other")
        org = factories.organisation(s, r.id, "O1")
        hub = factories.hub(s, r.id, "H1", core_institution_id=org.id)
        k01 = factories.indicator(s, r.id, "K01", measure=Measure.FLOW, name="共同研究契約件数")
        factories.target(s, k01, hub, accumulation=Accumulation.ANNUAL)
        factories.quarterly_values(s, hub, k01, {f"FY2024Q{q}": 3 for q in range(1, 5)})
        ids = {"r1": r.id, "r2": other.id}
        for year in (2024, 2023):
            ids[str(year)] = verification.open_verification(
                session=s, actor=SYSTEM, region_id=r.id, fiscal_year=year
            ).id
        ids["other"] = verification.open_verification(session=s, actor=SYSTEM, region_id=other.id, fiscal_year=2024).id
    _step(ids["2024"], improve="PUBLISHED-REASON 企業訪問を増やす")
    _publish(ids["2024"])
    with db.session_scope(runtime.engine()) as s:  # a correction in progress, and another year still a draft
        current = verification.verification_record(session=s, actor=SYSTEM, verification_id=ids["2024"])
        verification.start_correction(
            session=s, actor=SYSTEM, verification_id=ids["2024"], version=current.version, reason="SECRET-CORRECTION"
        )
    _step(ids["2024"], expand="SECRET-DRAFT-REASON")
    _step(ids["2023"], stop="SECRET-OTHER-YEAR")
    yield TestClient(Starlette(routes=public.routes()), base_url=BASE), ids
    st.cache_resource.clear()


def test_the_public_page_shows_the_published_version_and_nothing_prepared_since(site: tuple[TestClient, dict]) -> None:
    client, _ = site
    page = client.get("/public/verification/r1", headers={"accept-language": "ja"})
    assert page.status_code == 200 and "cookie" not in {k.lower() for k in page.headers}
    text = page.text
    assert "湊原地域 効果検証 2024年度（第1版）" in text and "K01 共同研究契約件数" in text
    assert "PUBLISHED-REASON 企業訪問を増やす" in text and "改善" in text
    for secret in ("SECRET-CORRECTION", "SECRET-DRAFT-REASON", "SECRET-OTHER-YEAR", "拡充", "第2版"):
        assert secret not in text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    english = client.get("/public/verification/r1?lang=en")
    assert "effect verification FY2024 (version 1)" in english.text and "Improve" in english.text


def test_unknown_regions_unpublished_years_and_versions_are_not_found(site: tuple[TestClient, dict]) -> None:
    client, _ = site
    assert client.get("/public/verification/nope").status_code == 404
    nothing = client.get("/public/verification/r2?lang=en")
    assert nothing.status_code == 200 and "has not published" in nothing.text
    for path in ("r1/2023/1.docx", "r1/2024/2.xlsx", "r2/2024/1.docx", "r1/2024/1.pdf", "r1/2024/1.html"):
        assert client.get(f"/public/verification/{path}").status_code == 404, path
    for query in ("?fy=2023", "?fy=2024&v=2"):
        page = client.get(f"/public/verification/r1{query}")
        assert "SECRET" not in page.text and "K01" not in page.text


def test_the_published_files_hold_the_same_table_as_the_page(site: tuple[TestClient, dict]) -> None:
    client, _ = site
    docx = client.get("/public/verification/r1/2024/1.docx?lang=ja")
    xlsx = client.get("/public/verification/r1/2024/1.xlsx?lang=ja")
    assert docx.status_code == xlsx.status_code == 200
    assert "attachment" in docx.headers["content-disposition"]
    document = Document(io.BytesIO(docx.content))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    book = load_workbook(io.BytesIO(xlsx.content))
    values = {str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c}
    for shown in ("K01 共同研究契約件数", "H1", "PUBLISHED-REASON 企業訪問を増やす", "改善"):
        assert shown in cells and shown in values
    assert not any("SECRET" in v for v in values | cells)
