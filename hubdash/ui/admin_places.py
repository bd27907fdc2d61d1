"""The administration page's regions, hubs and organisations: create, rename, archive (history stays)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hubdash.domain.enums import Sector
from hubdash.services import places as place_service
from hubdash.services.places import RegionPlaces
from hubdash.ui import fmt, runtime
from hubdash.ui.session import label, t
from hubdash.ui.tables import table

KIND_KEYS = {"region": "admin.kind_region", "hub": "admin.kind_hub", "organisation": "admin.kind_organisation"}


def _table(places: list[RegionPlaces]) -> pd.DataFrame:
    rows = []
    for p in places:
        rows.append(("region", p.region.code, p.region.name, "", p.region.archived_at))
        rows += [("hub", h.code, h.name, p.region.name, h.archived_at) for h in p.hubs]
        rows += [("organisation", o.code, o.name, p.region.name, o.archived_at) for o in p.organisations]
    kinds = {kind: t(key) for kind, key in KIND_KEYS.items()}
    return pd.DataFrame(
        {
            t("admin.kind"): [kinds[k] for k, *_ in rows],
            t("col.code"): [r[1] for r in rows],
            t("admin.name"): [r[2] for r in rows],
            t("col.region"): [r[3] for r in rows],
            t("admin.archived"): [fmt.when(r[4], with_time=False) if r[4] else "" for r in rows],
        }
    )


def _choices(places: list[RegionPlaces]) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    region, hub, organisation = (t(key) for key in KIND_KEYS.values())
    for p in places:
        assert p.region.id is not None  # read from the database
        found[("region", p.region.id)] = f"{region}: {fmt.coded(p.region.code, p.region.name)}"
        for h in p.hubs:
            found[("hub", h.id or 0)] = f"{hub}: {p.region.code} / {fmt.coded(h.code, h.name)}"
        for o in p.organisations:
            found[("organisation", o.id or 0)] = f"{organisation}: {p.region.code} / {fmt.coded(o.code, o.name)}"
    return found


def places_tab(places: list[RegionPlaces]) -> None:
    """Every region with its hubs and organisations, adding one, renaming and archiving."""
    table(_table(places), max_rows=15)
    kinds = ["region", "hub", "organisation"]
    kind = st.segmented_control(
        t("admin.add_place"), kinds, format_func=lambda k: t(KIND_KEYS[k]), default="hub", key="add-kind"
    )
    regions = {p.region.id: fmt.coded(p.region.code, p.region.name) for p in places if p.region.id is not None}
    with st.form("add-place", clear_on_submit=True):
        region_id: int | None = None
        if kind != "region":
            region_id = st.selectbox(
                t("col.region"), list(regions), format_func=lambda r: regions[r], placeholder=t("common.choose")
            )
        code, name = st.text_input(t("col.code"), max_chars=40), st.text_input(t("admin.name"), max_chars=200)
        sector = (
            st.selectbox(t("col.sector"), list(Sector), format_func=label, placeholder=t("common.choose"))
            if kind == "organisation"
            else None
        )
        if st.form_submit_button(t("admin.add_place"), type="primary"):
            added: object = None
            if kind == "region":
                added = runtime.write(place_service.create_region, code=code, name=name)
            elif kind == "hub" and region_id is not None:
                added = runtime.write(place_service.create_hub, region_id=region_id, code=code, name=name)
            elif region_id is not None and sector is not None:
                added = runtime.write(
                    place_service.create_organisation, region_id=region_id, code=code, name=name, sector=sector
                )
            if added is not None:
                st.rerun()
    choices = _choices(places)
    if not choices:
        return
    st.subheader(t("admin.change_place"))
    chosen = st.selectbox(
        t("admin.place"), list(choices), format_func=choices.__getitem__, key="place", placeholder=t("common.choose")
    )
    kind, place_id = chosen
    new_name = st.text_input(t("admin.new_name"), key=f"rename-{kind}-{place_id}", max_chars=200)
    rename, archive, restore = st.columns(3)
    done: object = None
    if rename.button(t("admin.rename"), key="rename"):
        done = runtime.write(place_service.rename, kind=kind, place_id=place_id, name=new_name)
    for column, archived, text in ((archive, True, "admin.archive"), (restore, False, "admin.unarchive")):
        if column.button(t(text), key=text):
            done = runtime.write(place_service.set_archived, kind=kind, place_id=place_id, archived=archived)
    if done is not None:
        st.rerun()
