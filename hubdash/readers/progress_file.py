"""Read quarterly progress files (CSV or XLSX) into validated rows: pure, no database.

The whole file is checked before anything is written: every bad row is reported with its row
number as the spreadsheet shows it (the header is row 1), the column, the value and the reason.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from hubdash.domain.errors import Message, UserError
from hubdash.domain.periods import FiscalQuarter, PeriodError
from hubdash.readers.frame_rows import FrameRows

# Limits that keep a hostile or broken file from taking the server's memory or time (see README).
MAX_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_ROWS = 200_000  # rows below the header
MAX_COLUMNS = 50
MAX_LISTED_ERRORS = 200  # bad rows kept and shown; the rest are counted
# Uncompressed size of an XLSX's XML parts: sheets are streamed, shared strings are kept whole, the rest is
# parsed into a tree; and the longest text between two tags (Excel's own cell limit is 32,767 characters).
MAX_SHEET_XML = 128 * 1024 * 1024
MAX_SHARED_STRINGS_XML = 32 * 1024 * 1024
MAX_OTHER_XML = 4 * 1024 * 1024
MAX_XML_RUN = 256 * 1024
MAX_LINE_CHARS = 100_000  # one line of a CSV (notes are at most 1,000 characters)


@dataclass(frozen=True)
class Column:
    """A column of progress files: its name (the English header) and its Japanese header."""

    name: str
    ja: str

    def header(self, lang: str) -> str:
        """The header in `lang`; files in either language import alike."""
        return self.ja if lang == "ja" else self.name


# The one definition of the import columns: the importer, the value export and the entry workbook use it.
REGION, HUB, INDICATOR, PERIOD, VALUE, NOTE = (
    Column("region", "地域"),
    Column("hub", "拠点"),
    Column("indicator", "指標"),
    Column("period", "期間"),
    Column("value", "実績値"),
    Column("note", "備考"),
)
COLUMNS: tuple[Column, ...] = (REGION, HUB, INDICATOR, PERIOD, VALUE, NOTE)
REQUIRED: tuple[Column, ...] = (HUB, INDICATOR, PERIOD, VALUE)
# What the value export writes (every column), and what the entry workbook writes: the import columns a
# hub manager fills in, then columns that help them and that the importer ignores.
EXPORT_COLUMNS: tuple[Column, ...] = COLUMNS
ENTRY_COLUMNS: tuple[Column, ...] = (
    HUB,
    INDICATOR,
    PERIOD,
    VALUE,
    NOTE,
    Column("indicator name", "指標名"),
    Column("unit", "単位"),
    Column("last quarter (that quarter only)", "前四半期の値（その四半期分）"),
    Column("compared as", "比較の対象"),
    Column("expected, compared as (on track from)", "期待値（比較の対象で、順調となる値）"),
)
# Headers as hub managers write them, in either language; matched after NFKC, case-insensitively.
HEADER_ALIASES: dict[str, str] = {c.ja: c.name for c in COLUMNS} | {c.name: c.name for c in COLUMNS}


def headers(columns: tuple[Column, ...], lang: str) -> tuple[str, ...]:
    """The header row of a file with these columns in `lang`."""
    return tuple(c.header(lang) for c in columns)


# A leading apostrophe keeps Excel from running a cell as a formula; hubdash writes it (see
# exports/tables.py) and strips it here, so export -> import -> export round-trips.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEGATIVE_MARKS = ("△", "▲", "−", "－")  # Japanese accounting marks and the Unicode minus


@dataclass(frozen=True)
class RowError:
    """One problem in a file: where (row and column as the spreadsheet shows them), what and why."""

    row: int
    column: str  # a Column name, or "" for the whole row or file
    value: str
    reason: Message

    def __str__(self) -> str:
        if not self.row:
            return str(self.reason)  # about the whole file
        where = f"row {self.row}"
        column = f", column '{self.column}'" if self.column else ""
        value = f" (value {self.value!r})" if self.value else ""
        return f"{where}{column}{value}: {self.reason}"


def problem(row: int, column: str, value: str, key: str, **values: object) -> RowError:
    """A RowError whose reason is the catalogue text `key`."""
    return RowError(row, column, value, Message(key, values))


class ImportFileError(UserError):
    """A file that cannot be imported; nothing was written. Lists every bad row (the first MAX_LISTED_ERRORS)."""

    def __init__(self, errors: list[RowError], total: int | None = None) -> None:
        self.errors = errors[:MAX_LISTED_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__("progress.file_rejected", count=self.total)

    def __str__(self) -> str:
        shown = [str(e) for e in self.errors]
        if len(shown) == 1 == self.total and not self.errors[0].row:
            return f"nothing was imported: {shown[0]}"  # about the whole file: one line
        if self.total > len(shown):
            shown.append(f"... and {self.total - len(shown)} more")
        return "nothing was imported:\n" + "\n".join(shown)


class ProgressRow(NamedTuple):
    """One valid row of a progress file, codes not yet resolved (a tuple: files hold many of them)."""

    row: int
    region: str
    hub: str
    indicator: str
    period: FiscalQuarter
    value: float
    note: str


@dataclass(frozen=True)
class ProgressFile:
    """The valid rows of a progress file, the rows left out because their value was blank, and the bad rows.

    `errors` holds the first MAX_LISTED_ERRORS bad rows; `error_count` counts them all.
    """

    rows: ProgressRows
    blank_rows: list[int]
    errors: list[RowError]
    error_count: int


class RowErrors:
    """Bad rows as they are found: the first MAX_LISTED_ERRORS are kept, the rest only counted."""

    def __init__(self) -> None:
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, error: RowError) -> None:
        """Count one problem; keep it while fewer than MAX_LISTED_ERRORS are kept."""
        self.total += 1
        if len(self.kept) < MAX_LISTED_ERRORS:
            self.kept.append(error)

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass(frozen=True)
class _Table:
    """A sheet as text: the header, and every row below it (row 2 onwards, as the spreadsheet numbers them)."""

    header: list[str]
    body: pd.DataFrame  # columns 0..n-1, all str; index = spreadsheet row number


def clean_text(value: object) -> str:
    """NFKC-normalised text without surrounding spaces (full-width digits and letters become ASCII)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return text.strip()


def unquote_formula(text: str) -> str:
    """Undo the apostrophe that protects a formula-like cell."""
    if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


def parse_number(text: str) -> float:
    """A number as Japanese spreadsheets write it: 1,234.5 / １２３ / △12 / −3; raises ValueError."""
    cleaned = clean_text(text).replace(",", "").replace(" ", "")
    for mark in _NEGATIVE_MARKS:
        if cleaned.startswith(mark):
            cleaned = "-" + cleaned[len(mark) :]
    number = float(cleaned)  # raises ValueError for anything else
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _number(text: str) -> float:
    try:  # the common case: plain ASCII digits
        number = float(text)
    except ValueError:
        return parse_number(text)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


@lru_cache(maxsize=4096)
def _period(text: str) -> FiscalQuarter:
    return FiscalQuarter.parse(text)


def _header_name(raw: str) -> str:
    text = clean_text(raw).lower()
    return HEADER_ALIASES.get(text, text)


def _detect(data: bytes, filename: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "xl/workbook.xml" in archive.namelist():
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise ImportFileError([problem(0, "", filename, "progress.file_zip_not_xlsx")])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError([problem(0, "", filename, "progress.file_xls")])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError([problem(0, "", filename, "progress.file_utf16")])
    if b"\x00" in data[:4096]:
        raise ImportFileError([problem(0, "", filename, "progress.file_not_spreadsheet")])
    return "csv"


def _decode(data: bytes, filename: str) -> str:
    candidates: tuple[str, ...]
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    else:
        # cp932, not shift_jis: Excel in Japan writes Microsoft's extension (①, ㈱, NEC/IBM kanji).
        candidates = ("utf-8", "cp932")
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    for line, raw in enumerate(data.split(b"\n"), start=1):
        if not any(_decodes(raw, encoding) for encoding in candidates):
            raise ImportFileError([problem(line, "", "", "progress.file_encoding")])
    raise ImportFileError([problem(0, "", filename, "progress.file_encoding")])


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _too_many_rows(filename: str) -> ImportFileError:
    return ImportFileError([problem(0, "", filename, "progress.file_too_many_rows", rows=f"{MAX_ROWS:,}")])


def _too_many_columns(filename: str) -> ImportFileError:
    return ImportFileError([problem(0, "", filename, "progress.file_too_many_columns", columns=MAX_COLUMNS)])


def _unpacks_too_large(filename: str) -> ImportFileError:
    mb = MAX_SHEET_XML // (1024 * 1024)
    return ImportFileError([problem(0, "", filename, "progress.file_unpacks_too_large", mb=mb)])


_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+$")


def _lines(text: str, filename: str) -> Iterator[str]:
    """The lines of a CSV text, refusing one too long to be a row (the csv module builds a whole row at once).

    Cut from the text one at a time: io.StringIO would copy the whole text at four bytes a character.
    """
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group()
        if len(line) > MAX_LINE_CHARS:
            raise ImportFileError([problem(number, "", "", "progress.file_line_too_long", chars=f"{MAX_LINE_CHARS:,}")])
        yield line


def _table(records: list[list[str]]) -> _Table:
    width = max((len(r) for r in records), default=0)
    for record in records:  # padded in place: a file may hold hundreds of thousands of rows
        record.extend([""] * (width - len(record)))
    header = records[0] if records else []
    body = pd.DataFrame(records[1:], columns=range(width), dtype=object)
    body.index = pd.RangeIndex(2, len(body) + 2)
    return _Table(header=[str(h) for h in header], body=body)


def _csv_table(text: str, filename: str) -> _Table:
    """The rows of a CSV text, refusing more than MAX_ROWS rows or MAX_COLUMNS columns before reading them all."""
    first = next(csv.reader(_lines(text[: text.find("\n") + 1 or len(text)], filename)), [])
    if len(first) > MAX_COLUMNS:
        raise _too_many_columns(filename)
    if text.count("\n") > MAX_ROWS + 1:  # more lines than rows allowed: count the rows (quoted notes span lines)
        counted = sum(1 for _ in itertools.islice(csv.reader(_lines(text, filename)), MAX_ROWS + 2))
        if counted > MAX_ROWS + 1:
            raise _too_many_rows(filename)
    try:
        # pandas' C parser reads large files many times faster than the csv module; it stops after nrows
        frame = pd.read_csv(
            io.BytesIO(text.encode("utf-8")),  # bytes: a StringIO would hold the text at four bytes a character
            encoding="utf-8",
            header=None,
            dtype=object,  # Python strings, as the checks below read them (not Arrow strings converted back)
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            nrows=MAX_ROWS + 2,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        records = []  # ragged rows: the csv module, row by row, within the same limits
        for record in itertools.islice(csv.reader(_lines(text, filename)), MAX_ROWS + 2):
            if len(record) > MAX_COLUMNS:
                raise _too_many_columns(filename) from None
            records.append(record)
        if len(records) > MAX_ROWS + 1:
            raise _too_many_rows(filename) from None
        return _table(records)
    if len(frame) > MAX_ROWS + 1:
        raise _too_many_rows(filename)
    header = [str(h) for h in frame.iloc[0].tolist()] if len(frame) else []
    body = frame.iloc[1:].astype(object)
    body.index = pd.RangeIndex(2, len(body) + 2)
    return _Table(header=header, body=body)


def _check_parts(data: bytes, filename: str) -> None:
    # A few kilobytes of ZIP can unpack to gigabytes: look at the sizes before openpyxl reads anything.
    # (zipfile stops at the size an entry declares, so a lying header cannot unpack more.)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = info.filename
            if not name.endswith((".xml", ".rels")):
                continue  # pictures and other parts openpyxl does not read here
            sheet = name.startswith("xl/worksheets/")
            limit = (
                MAX_SHEET_XML if sheet else MAX_SHARED_STRINGS_XML if name == "xl/sharedStrings.xml" else MAX_OTHER_XML
            )
            if info.file_size > limit:
                raise _unpacks_too_large(filename)
            if sheet or name == "xl/sharedStrings.xml":
                rows = _scan_xml(archive, name, filename)
                if sheet and rows > MAX_ROWS + 1:  # any sheet: a workbook of progress values has one
                    raise _too_many_rows(filename)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _scan_xml(archive: zipfile.ZipFile, name: str, filename: str) -> int:
    """Stream one XML part: refuse a huge text between two tags (the XML parser holds a whole cell in memory,
    several times over); return how many <row> elements it has (a sheet need not declare its size)."""
    run = 0  # characters since the last "<"
    rows = 0
    with archive.open(name) as part:
        while chunk := part.read(1024 * 1024):
            pieces = chunk.split(b"<")
            longest = max(run + len(pieces[0]), max(map(len, pieces[1:]), default=0))
            if longest > MAX_XML_RUN:
                raise ImportFileError(
                    [problem(0, "", filename, "progress.file_cell_too_long", chars=f"{MAX_XML_RUN:,}")]
                )
            run = run + len(chunk) if len(pieces) == 1 else len(pieces[-1])
            rows += len(_ROW_TAG.findall(chunk))
    return rows


def _xlsx_table(data: bytes, filename: str) -> _Table:
    """The first sheet, streamed: its declared size is checked first, then at most MAX_ROWS rows are read."""
    from openpyxl import load_workbook

    _check_parts(data, filename)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for damaged files
        raise ImportFileError([problem(0, "", filename, "progress.file_damaged")]) from None
    try:
        sheet = workbook.worksheets[0]
        # the <dimension> the file declares (absent in some writers' files; then the rows are counted as read)
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_many_columns(filename)
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise _too_many_rows(filename)
        records: list[list[str]] = []
        # max_col and max_row bound what openpyxl builds, whatever the file claims or holds
        for row in sheet.iter_rows(min_row=1, max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True):
            if row[-1] is not None:
                raise _too_many_columns(filename)
            if len(records) > MAX_ROWS:
                raise _too_many_rows(filename)
            end = len(row) - 1  # rows come padded to MAX_COLUMNS + 1: keep them only as wide as their text
            while end and row[end - 1] is None:
                end -= 1
            records.append(["" if v is None else _cell_text(v) for v in row[:end]])
        return _table(records)
    except ImportFileError:
        raise
    except Exception:  # a damaged sheet shows itself only while it is read
        raise ImportFileError([problem(0, "", filename, "progress.file_damaged")]) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(data: bytes, filename: str = "file") -> _Table:
    """The header and rows of a CSV (UTF-8, UTF-8 with BOM or CP932) or XLSX file, type told by content."""
    if len(data) > MAX_BYTES:
        raise ImportFileError([problem(0, "", filename, "progress.file_too_large", mb=MAX_BYTES // (1024 * 1024))])
    if not data.strip():
        raise ImportFileError([problem(0, "", filename, "progress.file_empty")])
    kind = _detect(data, filename)
    return _xlsx_table(data, filename) if kind == "xlsx" else _csv_table(_decode(data, filename), filename)


def read_progress_file(data: bytes, filename: str = "file") -> ProgressFile:
    """Validate a whole progress file; return its rows or raise ImportFileError listing every bad row."""
    parsed = parse_progress_file(data, filename)
    if parsed.errors:
        raise ImportFileError(parsed.errors, parsed.error_count)
    return parsed


def parse_progress_file(data: bytes, filename: str = "file") -> ProgressFile:
    """Check every row of a progress file, keeping the bad ones as errors (so that code checks can join them).

    Raises ImportFileError only when the file as a whole cannot be read. A row with a blank value is
    left out (a pre-filled entry workbook has one row per indicator, and a hub manager fills in the
    ones they have); its row number is reported.
    """
    table = read_table(data, filename)
    names = [_header_name(h) for h in table.header]
    missing = [c for c in REQUIRED if c.name not in names]
    if missing:
        found = ", ".join(h for h in table.header if h) or "–"
        raise ImportFileError(
            [problem(1, c.name, "", "progress.missing_column", en=c.name, ja=c.ja, found=found) for c in missing]
        )
    position = {c.name: names.index(c.name) for c in COLUMNS if c.name in names}
    rows, blank, errors = _validate(table.body, position)
    if not rows and not errors:
        raise ImportFileError([problem(0, "", filename, "progress.file_no_values")])
    return ProgressFile(rows, blank, errors.kept, errors.total)


def _text(value: str) -> str:
    """clean_text for a cell already known to be a str, with the formula apostrophe undone."""
    if not value.isascii():
        value = unicodedata.normalize("NFKC", value)
    value = value.strip()
    return unquote_formula(value) if value.startswith("'") else value


class ProgressRows(FrameRows[ProgressRow]):
    """The valid rows of a file, held as columns (a file may hold 200,000 of them); ProgressRow one at a time.

    `frame`: columns row, region, hub, indicator (str), period (quarter index, int), value (float), note (str),
    in file order. Services read the columns; code that wants rows iterates, as over a list.
    """

    COLUMNS = ("row", "region", "hub", "indicator", "period", "value", "note")

    @classmethod
    def of(cls, rows: Iterable[ProgressRow]) -> ProgressRows:
        """Rows given one by one (tests, callers that build them), as columns."""
        if isinstance(rows, ProgressRows):
            return rows
        records = [(r.row, r.region, r.hub, r.indicator, r.period.index, r.value, r.note) for r in rows]
        frame = pd.DataFrame(records, columns=list(cls.COLUMNS))
        return cls(frame.astype({"row": "int64", "period": "int64", "value": "float64"}))

    def _build(self) -> list[ProgressRow]:
        f = self.frame
        quarters = {int(i): FiscalQuarter.from_index(int(i)) for i in pd.unique(f["period"])}
        return [
            ProgressRow(row, region, hub, indicator, quarters[period], value, note)
            for row, region, hub, indicator, period, value, note in zip(
                *(f[c].tolist() for c in self.COLUMNS), strict=True
            )
        ]


def _unique_map(values: np.ndarray, func: Callable[[str], object]) -> np.ndarray:
    """`func` of each cell, called once per distinct text (a file repeats its codes and quarters)."""
    codes, uniques = pd.factorize(values)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = [func(text) for text in uniques]
    return mapped[codes]


def _objects(values: np.ndarray) -> pd.Series:
    """Python strings as a column of Python objects (pandas would convert them to Arrow strings and back)."""
    return pd.Series(values, dtype=object)


def _numbers(texts: list[str]) -> tuple[np.ndarray, list[int]]:
    """The numbers of the texts (NaN where a text is none) and the positions of those that are none."""
    try:  # the common case: plain numbers, converted by Python's own float() inside numpy
        numbers = np.array(texts, dtype=object).astype(np.float64)
        if np.isfinite(numbers).all():
            return numbers, []
    except (ValueError, TypeError):
        pass
    out = np.empty(len(texts), dtype=np.float64)
    bad = []
    for at, text in enumerate(texts):
        try:
            out[at] = _number(text)
        except ValueError:
            out[at] = np.nan
            bad.append(at)
    return out, bad


def _period_or_error(text: str) -> FiscalQuarter | PeriodError:
    try:
        return _period(text)
    except PeriodError as exc:
        return exc


def _note(text: str) -> str:
    """A note as written (free text: no NFKC), without surrounding spaces or a formula's apostrophe."""
    note = text.strip()
    return unquote_formula(note) if note.startswith("'") else note


def _period_index(text: str) -> int:
    """The quarter index of a period's text, or -1 when it names none (a quarter index is never negative)."""
    found = _period_or_error(text)
    return -1 if isinstance(found, PeriodError) else found.index


def _validate(body: pd.DataFrame, position: dict[str, int]) -> tuple[ProgressRows, list[int], RowErrors]:
    """Check every row, column by column (a file may hold hundreds of thousands of rows)."""
    lines = np.asarray(body.index, dtype=np.int64)
    empty = pd.Series([""] * len(body), index=body.index, dtype=object)

    def column(which: Column) -> pd.Series:
        return body[position[which.name]].astype(object) if which.name in position else empty

    value_text = column(VALUE).str.strip()
    filled = (value_text != "").to_numpy(dtype=bool)
    blank: list[int] = []
    if not filled.all():
        unfilled = body.loc[~filled]
        # not filled in: nothing to enter, whatever the other cells say; a row with no text at all is spacing
        has_text = unfilled.apply(lambda c: c.astype(str).str.strip() != "").any(axis=1)
        blank = [int(line) for line in unfilled.index[has_text.to_numpy(dtype=bool)]]
    lines = lines[filled]
    hub = _unique_map(column(HUB).to_numpy(dtype=object)[filled], _text)
    indicator = _unique_map(column(INDICATOR).to_numpy(dtype=object)[filled], _text)
    region = _unique_map(column(REGION).to_numpy(dtype=object)[filled], _text)
    period_text = _unique_map(column(PERIOD).to_numpy(dtype=object)[filled], clean_text)
    period_index = _unique_map(period_text, _period_index).astype(np.int64)
    bad_period = period_index < 0
    values, bad_values = _numbers(value_text[filled].tolist())
    hub_empty = hub == ""
    indicator_empty = indicator == ""
    bad_value = np.zeros(len(lines), dtype=bool)
    bad_value[bad_values] = True
    bad = hub_empty | indicator_empty | bad_period | bad_value
    texts = period_text.tolist()
    value_texts = value_text[filled].tolist()
    # every problem is counted; only the first MAX_LISTED_ERRORS (by row) are described
    counts = hub_empty.astype(np.int64) + indicator_empty + bad_period + bad_value
    found: list[RowError] = []
    for at in np.flatnonzero(bad).tolist():
        if len(found) >= MAX_LISTED_ERRORS:
            break
        line = int(lines[at])
        if hub_empty[at]:
            found.append(problem(line, HUB.name, "", "progress.hub_empty"))
        if indicator_empty[at]:
            found.append(problem(line, INDICATOR.name, "", "progress.indicator_empty"))
        if bad_period[at]:
            reason = _period_or_error(texts[at])
            assert isinstance(reason, PeriodError)
            found.append(RowError(line, PERIOD.name, texts[at], reason.message))
        if bad_value[at]:
            found.append(problem(line, VALUE.name, value_texts[at], "progress.not_a_number"))
    total = int(counts.sum())
    good = ~bad
    note = _unique_map(column(NOTE).to_numpy(dtype=object)[filled], _note)
    frame = pd.DataFrame(
        {
            "row": lines[good],
            "region": _objects(region[good]),
            "hub": _objects(hub[good]),
            "indicator": _objects(indicator[good]),
            "period": period_index[good],
            "value": values[good],
            "note": _objects(note[good]),
        }
    )
    twice = frame.duplicated(["region", "hub", "indicator", "period"], keep="first").to_numpy(dtype=bool)
    if twice.any():
        keys = ["region", "hub", "indicator", "period"]
        first_seen = {tuple(k[:-1]): k[-1] for k in frame.loc[~twice, [*keys, "row"]].itertuples(index=False)}
        shown = dict(zip(lines.tolist(), texts, strict=True))
        repeated = frame.loc[twice, [*keys, "row"]]
        for r, h, i, p, line in repeated.head(MAX_LISTED_ERRORS).itertuples(index=False):
            period = FiscalQuarter.from_index(int(p))
            what = Message("progress.value_name", {"what": f"{h} / {i}", "period": period})
            first = first_seen[(r, h, i, p)]
            found.append(problem(int(line), PERIOD.name, shown[line], "progress.twice", what=what, first=first))
        total += len(repeated)
        found.sort(key=lambda e: e.row)  # stable: a row's own problems keep their order
        frame = frame.loc[~twice]
    errors = RowErrors()
    errors.kept = found[:MAX_LISTED_ERRORS]
    errors.total = total
    return ProgressRows(frame), blank, errors
