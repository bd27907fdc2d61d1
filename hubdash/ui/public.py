"""The public page of a region's effect verifications: no sign-in, published versions only (frozen snapshots).

Served by app.py beside the sign-in routes, in every sign-in mode (open mode answers this computer only, as
for every request). It reads nothing but VerificationPublication rows: what a council prepares, drafts and
corrections in progress never reach it. Plain HTML that loads nothing; every value is escaped.
"""

from __future__ import annotations

from html import escape
from types import ModuleType
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from hubdash import i18n
from hubdash.exports.names import file_name
from hubdash.fmt import Display, number
from hubdash.services import verification as service
from hubdash.services.verification_record import VerificationRecord
from hubdash.ui import runtime

if TYPE_CHECKING:
    from hubdash.exports import verification as export

PUBLIC = "/public/verification"
SHORT, LONG = 12, 40  # column widths (XLSX characters): up to SHORT a value never wraps, from LONG it gets room
FILES = {  # extension: media type, the writer in hubdash.exports.verification
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "to_docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "to_xlsx"),
}
_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "x-content-type-options": "nosniff",
}
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:90rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;"
    "padding:.25rem .4rem;vertical-align:top}th{background:#eee}td.short{white-space:nowrap}td.long{min-width:16rem}"
    "td.num{text-align:right}.wide{overflow-x:auto}nav a{margin-right:1rem}"
)


def public_path(code: str) -> str:
    """The address of a region's public page, e.g. /public/verification/sample-ja."""
    return f"{PUBLIC}/{quote(code, safe='')}"


def _lang(request: Request) -> str:
    asked = request.query_params.get("lang", "")
    if asked in i18n.LANGUAGES:
        return asked
    return i18n.resolve_language(request.headers.get("accept-language", "")[:20] or None)


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return escape(number(float(value), 2))
    return escape(str(value))


def _export() -> ModuleType:
    """hubdash.exports.verification, loaded with the first visit: its writers (python-docx, openpyxl) take ~20 MB
    that a server nobody asks for the public page should not carry."""
    from hubdash.exports import verification

    return verification


def _table(table: export.Table, d: Display) -> str:
    if not table.rows:
        return f"<h2>{escape(table.title)}</h2><p>{escape(d.t('common.none'))}</p>"
    # short values (units, grades, statuses) stay on one line, reasons and opinions get room, numbers align right
    kinds = ["short" if width <= SHORT else "long" if width >= LONG else "" for width in table.widths]
    head = "".join(f"<th>{escape(h)}</th>" for h in table.header)
    rows = "".join(
        "<tr>" + "".join(f"<td{_class(k, v)}>{_cell(v)}</td>" for k, v in zip(kinds, row, strict=True)) + "</tr>"
        for row in table.rows
    )
    return f'<h2>{escape(table.title)}</h2><div class="wide"><table><tr>{head}</tr>{rows}</table></div>'


def _class(kind: str, value: object) -> str:
    number_ = isinstance(value, int | float) and not isinstance(value, bool)
    names = " ".join(n for n in (kind, "num" if number_ else "") if n)
    return f' class="{names}"' if names else ""


def _page(lang: str, title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · hubdash</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def _not_found(lang: str) -> HTMLResponse:
    text = i18n.t("public.not_found", lang)
    return _page(lang, text, f"<h1>{escape(text)}</h1>", status=404)


def _record(
    code: str, fiscal_year: int | None, wanted: int | None
) -> tuple[str, list[service.PublishedLine], VerificationRecord | None] | None:
    with Session(runtime.engine()) as session:
        region = service.public_region(session=session, code=code)
        if region is None or region.id is None:
            return None
        lines = service.published_versions(session=session, region_id=region.id)
        chosen = next(
            (p for p in lines if (fiscal_year is None or p.fiscal_year == fiscal_year) and wanted in (None, p.number)),
            None,
        )
        record = (
            service.publication(session=session, verification_id=chosen.verification_id, number=chosen.number)
            if chosen
            else None
        )
        return region.name, lines, record


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 6 else None


async def page(request: Request) -> Response:
    """GET: the region's published verifications: the one asked for (default: the newest) in full, and the list."""
    lang, code = _lang(request), request.path_params["code"]
    found = await run_in_threadpool(
        _record, code, _int(request.query_params.get("fy")), _int(request.query_params.get("v"))
    )
    if found is None:
        return _not_found(lang)
    name, lines, record = found
    d = Display(lang)
    title = d.t("public.title", region=name)
    other = "en" if lang == "ja" else "ja"
    base = public_path(code)
    parts = [
        f'<nav><a href="{escape(base)}?{urlencode({"lang": other})}">{escape(i18n.LANGUAGE_NAMES[other])}</a></nav>'
    ]
    parts.append(f"<h1>{escape(title)}</h1>")
    if record is None:
        parts.append(f"<p>{escape(d.t('public.nothing_published'))}</p>")
        return _page(lang, title, "".join(parts))
    export = _export()
    parts.append(f"<h2>{escape(export.title(record, d))}</h2>")
    parts += [f"<p>{escape(line)}</p>" for line in export.lines(record, d)]
    links = [
        f'<a href="{escape(base)}/{record.fiscal_year}/{record.number}.{ext}?lang={lang}">{ext.upper()}</a>'
        for ext in FILES
    ]
    parts.append(f"<p>{escape(d.t('public.download'))}: {' · '.join(links)}</p>")
    parts += [_table(table, d) for table in export.tables(record, d)]
    versions = [
        f'<li><a href="{escape(base)}?{urlencode({"fy": p.fiscal_year, "v": p.number, "lang": lang})}">'
        f"{escape(d.fiscal_year(p.fiscal_year))} · {escape(d.t('verification.version', number=p.number))} · "
        f"{escape(d.when(p.published_at, with_time=False))}{' · ' + escape(p.reason) if p.reason else ''}</a></li>"
        for p in lines
    ]
    parts.append(f"<h2>{escape(d.t('public.all_versions'))}</h2><ul>{''.join(versions)}</ul>")
    return _page(lang, title, "".join(parts))


async def download(request: Request) -> Response:
    """GET: one published version as .docx or .xlsx, in the language asked for."""
    lang, code = _lang(request), request.path_params["code"]
    ext = request.path_params["ext"]
    found = await run_in_threadpool(
        _record, code, request.path_params["fy"], request.path_params["number"]
    ) if ext in FILES else None  # fmt: skip
    if found is None or found[2] is None:
        return _not_found(lang)
    record = found[2]
    d = Display(lang)
    media, writer = FILES[ext]
    make = getattr(_export(), writer)
    data = await run_in_threadpool(make, record, d)
    name = file_name(
        record.region_name, d.t("verification.file_name"), d.fiscal_year(record.fiscal_year),
        d.t("verification.version", number=record.number), ext=ext,
    )  # fmt: skip
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={**_HEADERS, "content-disposition": disposition})


def routes() -> list[BaseRoute]:
    """The public page and its files (every sign-in mode)."""
    return [
        Route(PUBLIC + "/{code}", page, methods=["GET"]),
        Route(PUBLIC + "/{code}/{fy:int}/{number:int}.{ext}", download, methods=["GET"]),
    ]
