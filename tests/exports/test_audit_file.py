"""The change log file says what the page says: times in the reader's time zone, words in their language."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from hubdash.domain.enums import PdcaStage
from hubdash.domain.errors import Message
from hubdash.exports.audit import audit_file
from hubdash.fmt import Display, zone
from hubdash.services.audit_log import ACTOR_OPEN_MODE, AuditLine, FieldChange

CLOSED = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # 00:30 the next day in Tokyo
LINE = AuditLine(
    occurred_at=CLOSED,
    actor_name="",
    actor_kind=ACTOR_OPEN_MODE,
    action="pdca_cycle.stage",
    entity_type="pdca_cycle",
    entity_id="42",
    region="湊原地域",
    subject=Message("audit.subject_pdca_cycle", {"hub": "H1 拠点", "period": "2026年度 第2四半期"}),
    changes=[FieldChange("stage", PdcaStage.ACT, PdcaStage.CLOSED), FieldChange("closed_at", None, CLOSED)],
)


def _first_row(data: bytes) -> list[str]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1]


def test_times_in_the_file_are_in_the_readers_time_zone_and_words_in_their_language() -> None:
    tokyo = _first_row(audit_file([LINE], "csv", Display("ja", zone("Asia/Tokyo"))))
    assert tokyo[:5] == [
        "2026-11-30 00:30",
        "オープンモードの管理者",
        "PDCAの段階を移動",
        "拠点 H1 拠点 2026年度 第2四半期のPDCAサイクル",
        "ステージ: 改善 → 完了 / 完了日時: 2026-11-30 00:30",
    ]
    london = _first_row(audit_file([LINE], "csv", Display("en", zone("Europe/London"))))
    assert london[0] == "2026-11-29 15:30" and london[4].endswith("Closed at: 2026-11-29 15:30"), london
