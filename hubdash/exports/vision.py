"""The vision as a Markdown or DOCX document, in the page's language."""

from __future__ import annotations

import io

from docx import Document

from hubdash import i18n
from hubdash.domain.status import STATUS_SYMBOLS
from hubdash.domain.vision_text import safe_markdown
from hubdash.services.vision import EndorsementRow, VisionDocument


def _endorsement_state(row: EndorsementRow, lang: str) -> str:
    if row.is_current:
        return i18n.t("vision.endorsed", lang)
    if row.revision_number:
        return i18n.t("vision.endorsed_earlier", lang, number=row.revision_number)
    return i18n.t("vision.not_endorsed", lang)


def _revision_line(doc: VisionDocument, lang: str) -> str:
    latest = doc.vision.latest_revision
    if latest is None:
        return ""
    return i18n.t(
        "vision.revision_line",
        lang,
        number=latest.number,
        author=latest.author_name,
        when=f"{latest.created_at:%Y-%m-%d}",
    )


def to_markdown(doc: VisionDocument, lang: str) -> str:
    """The vision, goals with indicators, sector commitments and endorsements as Markdown."""
    vision = doc.vision
    lines = [f"# {i18n.t('vision.title', lang)}: {doc.region_name}", "", f"_{_revision_line(doc, lang)}_", ""]
    lines += [safe_markdown(vision.statement.body if vision.statement else ""), ""]
    lines += [f"## {i18n.t('vision.goals', lang)}", ""]
    for goal in vision.goals:
        lines += [f"### {goal.code} {safe_markdown(goal.title)}", "", safe_markdown(goal.description), ""]
        for ind in doc.indicators.get(goal.code, []):
            lines.append(f"- {ind.code} {ind.name}: {STATUS_SYMBOLS[ind.status]} {i18n.label(ind.status, lang)}")
        lines.append("")
    lines += [f"## {i18n.t('vision.commitments', lang)}", ""]
    for sector, part in vision.commitments.items():
        if part.body:
            lines += [f"### {i18n.label(sector, lang)}", "", safe_markdown(part.body), ""]
    lines += [f"## {i18n.t('vision.endorsements', lang)}", ""]
    lines += [
        f"| {i18n.t('col.organisation', lang)} | {i18n.t('col.sector', lang)} | "
        f"{i18n.t('col.endorsement', lang)} | {i18n.t('col.person', lang)} |",
        "| --- | --- | --- | --- |",
    ]
    for row in doc.endorsements:
        cells = [row.organisation, i18n.label(row.sector, lang), _endorsement_state(row, lang), row.person_name]
        lines.append("| " + " | ".join(safe_markdown(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(doc: VisionDocument, lang: str) -> bytes:
    """The same content as to_markdown, as a Word document."""
    vision = doc.vision
    out = Document()
    out.add_heading(f"{i18n.t('vision.title', lang)}: {doc.region_name}", level=0)
    out.add_paragraph().add_run(_revision_line(doc, lang)).italic = True
    for paragraph in (vision.statement.body if vision.statement else "").split("\n\n"):
        out.add_paragraph(paragraph.strip())
    out.add_heading(i18n.t("vision.goals", lang), level=1)
    for goal in vision.goals:
        out.add_heading(f"{goal.code} {goal.title}", level=2)
        out.add_paragraph(goal.description)
        for ind in doc.indicators.get(goal.code, []):
            out.add_paragraph(
                f"{ind.code} {ind.name}: {STATUS_SYMBOLS[ind.status]} {i18n.label(ind.status, lang)}",
                style="List Bullet",
            )
    out.add_heading(i18n.t("vision.commitments", lang), level=1)
    for sector, part in vision.commitments.items():
        if part.body:
            out.add_heading(i18n.label(sector, lang), level=2)
            out.add_paragraph(part.body)
    out.add_heading(i18n.t("vision.endorsements", lang), level=1)
    table = out.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    headers = ("col.organisation", "col.sector", "col.endorsement", "col.person")
    for cell, key in zip(table.rows[0].cells, headers, strict=True):
        cell.text = i18n.t(key, lang)
    for row in doc.endorsements:
        cells = table.add_row().cells
        values = (row.organisation, i18n.label(row.sector, lang), _endorsement_state(row, lang), row.person_name)
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
