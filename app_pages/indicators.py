"""Indicators: the KPI catalogue with quality hints, adding and editing indicators, targets and their history."""

import streamlit as st

from hubdash import ui
from hubdash.domain.enums import Direction, IndicatorKind, Measure
from hubdash.domain.permissions import Permission, allows
from hubdash.services.indicators import (
    IndicatorInput,
    catalogue_hints,
    create_indicator,
    indicator_catalogue,
    region_targets,
    update_indicator,
)
from hubdash.services.progress import profile_proposal
from hubdash.services.regions import active_goals, list_hubs
from hubdash.services.targets import TargetInput, create_target, target_history, update_target
from hubdash.ui import indicators as indicators_ui
from hubdash.ui import target_form
from hubdash.ui.tables import table

region_id = ui.require_region()
ui.page_title("indicators.title")
ui.show_flash()
catalogue = ui.read(indicator_catalogue, region_id=region_id)
goals = {g.id: g for g in ui.read(active_goals, region_id=region_id)}
tab_catalogue, tab_edit, tab_targets, tab_history = st.tabs(  # only the open tab is built and sent
    [ui.t("indicators.catalogue"), ui.t("indicators.edit"), ui.t("indicators.targets"), ui.t("indicators.history")],
    key="indicators-tab",
    on_change="rerun",
)

if tab_catalogue.open:
    with tab_catalogue:
        # the whole catalogue in view (a region has up to about 25 indicators), the hints below it
        indicators_ui.catalogue(catalogue)
        hints = ui.read(catalogue_hints, region_id=region_id)
        with st.expander(ui.t("indicators.hints", count=len(hints)), expanded=bool(hints)):
            st.caption(ui.t("indicators.hints_basis"))
            for hint in hints:
                detail = hint.detail or ui.t("indicators.whole_region")
                st.markdown(f"- {ui.md(indicators_ui.HINT_TEXT[hint.rule], subject=hint.subject, detail=detail)}")

who = ui.actor()
if tab_edit.open:
    with tab_edit:
        if not allows(who, Permission.EDIT_INDICATORS, region_id=region_id):
            st.info(ui.t("accounts.read_only"))
        else:
            by_id = {e.indicator.id: e.indicator for e in catalogue}
            chosen = st.selectbox(
                ui.t("indicators.pick"),
                [None, *by_id],
                format_func=lambda i: (
                    ui.t("indicators.new") if i is None else ui.fmt.coded(by_id[i].code, by_id[i].name)
                ),
                placeholder=ui.t("common.choose"),
            )
            current = by_id.get(chosen)
            with st.form(f"indicator_form_{chosen}"):
                code = st.text_input(ui.t("col.code"), value=current.code if current else "", max_chars=40)
                name = st.text_input(ui.t("col.indicator"), value=current.name if current else "", max_chars=300)
                unit = st.text_input(ui.t("col.unit"), value=current.unit if current else "", max_chars=40)
                left, middle, right = st.columns(3)
                kind = ui.enum_select(left, "col.kind", IndicatorKind, current.kind if current else None)
                measure = ui.enum_select(middle, "col.measure", Measure, current.measure if current else None)
                direction = ui.enum_select(right, "col.direction", Direction, current.direction if current else None)
                goal_options = [None, *goals]
                goal_id = st.selectbox(
                    ui.t("col.goal"),
                    goal_options,
                    goal_options.index(current.goal_id) if current and current.goal_id in goals else 0,
                    lambda g: "–" if g is None else ui.fmt.coded(goals[g].code, goals[g].title),
                    placeholder=ui.t("common.choose"),
                )
                definition = st.text_area(ui.t("col.definition"), value=current.definition if current else "")
                data_source = st.text_input(
                    ui.t("indicators.data_source"), value=current.data_source if current else ""
                )
                if st.form_submit_button(ui.t("indicators.save"), type="primary"):
                    data = IndicatorInput(code, name, unit, kind, measure, direction, goal_id, definition, data_source)
                    if current is None:
                        saved = ui.write(create_indicator, region_id=region_id, data=data)
                    else:
                        saved = ui.write(update_indicator, indicator_id=current.id, data=data)
                    if saved is not None:
                        ui.flash("indicators.saved", code=saved.code)
                        st.rerun()

if tab_targets.open:
    with tab_targets:
        targets = ui.read(region_targets, region_id=region_id)
        table(indicators_ui.targets_table(targets), max_rows=15)
        st.markdown(f"**{ui.t('indicators.set_target')}**")
        hubs = {h.id: h for h in ui.read(list_hubs, region_id=region_id)}
        left, right = st.columns(2)
        indicator = left.selectbox(
            ui.t("col.indicator"),
            [e.indicator for e in catalogue],
            format_func=lambda i: ui.fmt.coded(i.code, i.name),
            placeholder=ui.t("common.choose"),
        )
        hub_id = right.selectbox(
            ui.t("col.hub"),
            [None, *hubs],
            format_func=lambda h: (
                ui.t("indicators.whole_region") if h is None else ui.fmt.coded(hubs[h].code, hubs[h].name)
            ),
            placeholder=ui.t("common.choose"),
        )
        existing = next(
            (tg for tg, ind, hub in targets if indicator and ind.id == indicator.id and hub_id == tg.hub_id), None
        )
        if indicator is not None and allows(who, Permission.EDIT_TARGETS, region_id=region_id):
            version = existing.version if existing else 0
            is_flow = indicator.measure == Measure.FLOW
            profile_key = f"profile_{indicator.id}_{hub_id}_{version}"
            if is_flow:
                proposal = ui.read(profile_proposal, region_id=region_id, indicator_id=indicator.id, hub_id=hub_id)
                target_form.proposal_box(proposal, profile_key)
            with st.form(f"target_form_{indicator.id}_{hub_id}_{version}"):
                st.caption(
                    ui.md("indicators.target_unit", unit=indicator.unit, direction=ui.label(indicator.direction))
                )
                form = target_form.target_form(existing, is_flow=is_flow, profile_key=profile_key)
                reason = st.text_input(
                    ui.t("col.reason"), help=ui.t("indicators.reason_help"), disabled=existing is None
                )
                if st.form_submit_button(ui.t("indicators.save_target"), type="primary"):
                    data = TargetInput(indicator_id=indicator.id, hub_id=hub_id, **form)
                    if existing is None:
                        saved = ui.write(create_target, region_id=region_id, data=data)
                    else:
                        saved = ui.write(
                            update_target, target_id=existing.id, data=data, reason=reason, version=existing.version
                        )
                    if saved is not None:
                        ui.flash("indicators.target_saved", code=indicator.code)
                        st.rerun()

if tab_history.open:
    with tab_history:
        history = ui.read(target_history, region_id=region_id)
        if not history:
            st.info(ui.t("indicators.no_history"))
        else:
            table(indicators_ui.target_history_table(history), wide=(ui.t("indicators.change"),), max_rows=15)
