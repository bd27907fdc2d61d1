"""Publishing an effect verification: its published versions as DOCX and XLSX in Japanese and English, the public
page's address, the action items its decisions became, and the region's rating scale."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from hubdash import i18n
from hubdash.domain.enums import RatingBasis
from hubdash.domain.rating import PRESETS, Grade, RatingScale, ScaleError
from hubdash.exports import verification as export
from hubdash.exports.names import file_name
from hubdash.fmt import Display
from hubdash.services import verification as service
from hubdash.services.region_settings import region_settings, set_rating_scale
from hubdash.services.verification_record import VerificationRecord
from hubdash.ui import fmt, runtime
from hubdash.ui.public import public_path
from hubdash.ui.session import display, label, t
from hubdash.ui.text import flash, literal, md

FORMATS = {"docx": export.to_docx, "xlsx": export.to_xlsx}


def _published(verification_id: int, number: int) -> VerificationRecord:
    found = runtime.read(service.publication, verification_id=verification_id, number=number)
    assert found is not None  # listed as published
    return found


def _file(ext: str, verification_id: int, number: int, reader: Display) -> bytes:
    return FORMATS[ext](_published(verification_id, number), reader)


def downloads(record: VerificationRecord, published: tuple[int, ...]) -> None:
    """Each published version as DOCX and XLSX, in both languages (made when clicked)."""
    if not published:
        st.info(t("verification.nothing_published"))
        return
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    address = f"/{base}{public_path(record.region_code)}" if base else public_path(record.region_code)
    st.link_button(t("verification.public_page_open"), address, icon=":material/public:")
    st.caption(md("verification.public_page", path=address))
    for number in sorted(published, reverse=True):
        st.markdown(f"**{md('verification.version', number=number)}**")
        columns = st.columns(len(FORMATS) * len(i18n.LANGUAGES))
        cells = [(ext, lang) for ext in FORMATS for lang in i18n.LANGUAGES]
        for column, (ext, lang) in zip(columns, cells, strict=True):
            reader = Display(lang, display().tz)
            name = file_name(
                record.region_name, reader.t("verification.file_name"), reader.fiscal_year(record.fiscal_year),
                reader.t("verification.version", number=number), ext=ext,
            )  # fmt: skip
            column.download_button(
                literal(f"{ext.upper()} · {i18n.LANGUAGE_NAMES[lang]}"),
                partial(_file, ext, record.verification_id, number, reader),
                name,
                icon=":material/download:",
                key=f"verification_file_{number}_{ext}_{lang}",
            )


def actions(record: VerificationRecord) -> None:
    """The action items the 改善 and 拡充 decisions became in the hubs' next fiscal year."""
    st.subheader(t("verification.next_actions"))
    if not record.actions:
        st.caption(md("verification.no_actions", year=fmt.fiscal_year(record.fiscal_year + 1)))
        return
    _, _, _, _, table = export.tables(record, display())
    st.dataframe(pd.DataFrame([list(r) for r in table.rows], columns=list(table.header)), hide_index=True)


def scale_settings(region_id: int) -> None:
    """The region's achievement scale: start from a preset, then edit the grades and their percentages."""
    settings = runtime.read(region_settings, region_id=region_id)
    st.caption(md("verification.scale_now", scale=export.scale_text(settings.rating_scale, display())))
    presets = {name: export.scale_text(scale, display()) for name, scale in PRESETS.items()}
    preset = st.selectbox(
        t("verification.scale_preset"), list(presets), index=None, format_func=presets.__getitem__,
        placeholder=t("common.choose"), key="verification_scale_preset",
    )  # fmt: skip
    scale = PRESETS[preset] if preset else settings.rating_scale
    key = f"scale_{preset or 'stored'}_{settings.version}"
    with st.form(key):
        bases = list(RatingBasis)
        basis = st.selectbox(t("verification.scale_basis"), bases, index=bases.index(scale.basis), format_func=label)
        grades = st.data_editor(
            pd.DataFrame(
                {"grade": [g.label for g in scale.grades], "minimum": [g.minimum for g in scale.grades]},
            ),
            column_config={
                "grade": st.column_config.TextColumn(t("verification.col_grade"), required=True, max_chars=8),
                "minimum": st.column_config.NumberColumn(t("verification.col_minimum"), format="%.1f %%"),
            },
            num_rows="dynamic",
            hide_index=True,
            key=f"{key}_grades",
        )
        st.caption(t("verification.scale_help"))
        if st.form_submit_button(t("verification.scale_save"), icon=":material/save:"):
            _save_scale(region_id, basis, grades, settings.version)


def _save_scale(region_id: int, basis: RatingBasis, grades: pd.DataFrame, version: int) -> None:
    rows = [(str(g).strip(), m) for g, m in zip(grades["grade"], grades["minimum"], strict=True) if str(g).strip()]
    try:
        chosen = RatingScale(basis, tuple(Grade(g, None if pd.isna(m) else float(m)) for g, m in rows))
    except ScaleError as problem:
        runtime.show_error(problem)
        return
    if runtime.write(set_rating_scale, region_id=region_id, scale=chosen, version=version):
        flash("verification.scale_saved")
        st.rerun()
