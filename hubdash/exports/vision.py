"""The vision as a Markdown or DOCX document, in the page's language."""

from __future__ import annotations

import io

from docx import Document

from hubdash.fmt import Display, coded
from hubdash.services.vision import EndorsementRow, VisionDocument
from hubdash.text import escape
from hubdash.text import to_markdown as inert_markdown


def _endorsement_state(row: EndorsementRow, d: Display) -> str:
    if row.is_current:
        return d.t("vision.endorsed")
    if row.revision_number:
        return d.t("vision.endorsed_earlier", number=row.revision_number)
    return d.t("vision.not_endorsed")


def _revision_line(doc: VisionDocument, d: Display) -> str:
    latest = doc.vision.latest_revision
    if latest is None:
        return ""
    return d.t(
        "vision.revision_line",
        number=latest.number,
        author=latest.author_name,
        when=d.when(latest.created_at, with_time=False),
    )


def to_markdown(doc: VisionDocument, d: Display) -> str:
    """The vision, goals with indicators, sector commitments and endorsements as Markdown."""
    vision = doc.vision
    revision = _revision_line(doc, d)
    lines = [f"# {d.t('vision.title')}: {escape(doc.region_name)}", "", f"_{escape(revision)}_" if revision else "", ""]
    lines += [inert_markdown(vision.statement.body if vision.statement else ""), ""]
    lines += [f"## {d.t('vision.goals')}", ""]
    for goal in vision.goals:
        lines += [f"### {escape(coded(goal.code, goal.title))}", "", inert_markdown(goal.description), ""]
        for ind in doc.indicators.get(goal.code, []):
            lines.append(f"- {escape(coded(ind.code, ind.name))}: {d.status(ind.status)}")
        lines.append("")
    lines += [f"## {d.t('vision.commitments')}", ""]
    for sector, part in vision.commitments.items():
        if part.body:
            lines += [f"### {d.label(sector)}", "", inert_markdown(part.body), ""]
    lines += [f"## {d.t('vision.endorsements')}", ""]
    lines += [
        f"| {d.t('col.organisation')} | {d.t('col.sector')} | {d.t('col.endorsement')} | {d.t('col.person')} |",
        "| --- | --- | --- | --- |",
    ]
    for row in doc.endorsements:
        cells = [row.organisation, d.label(row.sector), _endorsement_state(row, d), row.person_name]
        lines.append("| " + " | ".join(escape(c).replace("  \n", " ") for c in cells) + " |")
    return "\n".join(lines).rstrip() + "\n"


def to_docx(doc: VisionDocument, d: Display) -> bytes:
    """The same content as to_markdown, as a Word document."""
    vision = doc.vision
    out = Document()
    out.add_heading(f"{d.t('vision.title')}: {doc.region_name}", level=0)
    out.add_paragraph().add_run(_revision_line(doc, d)).italic = True
    for paragraph in (vision.statement.body if vision.statement else "").split("\n\n"):
        out.add_paragraph(paragraph.strip())
    out.add_heading(d.t("vision.goals"), level=1)
    for goal in vision.goals:
        out.add_heading(coded(goal.code, goal.title), level=2)
        out.add_paragraph(goal.description)
        for ind in doc.indicators.get(goal.code, []):
            out.add_paragraph(
                f"{coded(ind.code, ind.name)}: {d.status(ind.status)}",
                style="List Bullet",
            )
    out.add_heading(d.t("vision.commitments"), level=1)
    for sector, part in vision.commitments.items():
        if part.body:
            out.add_heading(d.label(sector), level=2)
            out.add_paragraph(part.body)
    out.add_heading(d.t("vision.endorsements"), level=1)
    table = out.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    headers = ("col.organisation", "col.sector", "col.endorsement", "col.person")
    for cell, key in zip(table.rows[0].cells, headers, strict=True):
        cell.text = d.t(key)
    for row in doc.endorsements:
        cells = table.add_row().cells
        values = (row.organisation, d.label(row.sector), _endorsement_state(row, d), row.person_name)
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
