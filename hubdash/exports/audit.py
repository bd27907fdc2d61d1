"""The audit trail in words, for the change log page and its file (CSV with BOM or XLSX, through the one
formula-safe table writer): who, what, which object by name, and each change as before → after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum

from hubdash.domain.periods import FiscalQuarter
from hubdash.exports.tables import Sheet, table_file
from hubdash.fmt import DASH, Display, number
from hubdash.services.audit_log import ACTOR_OPEN_MODE, ACTOR_SYSTEM, AuditLine, FieldChange

# Each action as the change log names it; an action missing here shows as stored (tests/exports/test_audit.py
# checks that every action the code records has its words).
ACTION_KEYS = {
    "account.locked": "audit.act_account_locked",
    "account.sign_in": "audit.act_sign_in",
    "account.sign_in_failed": "audit.act_sign_in_failed",
    "account.sign_out": "audit.act_sign_out",
    "action_item.add": "audit.act_action_add",
    "action_item.add_decided": "audit.act_action_add_decided",
    "action_item.carry_decided": "audit.act_action_carry_decided",
    "action_item.update": "audit.act_action_update",
    "comment.add": "audit.act_comment_add",
    "comment.resolve": "audit.act_comment_resolve",
    "endorsement.save": "audit.act_endorsement_save",
    "hub.archive": "audit.act_hub_archive",
    "hub.create": "audit.act_hub_create",
    "hub.rename": "audit.act_hub_rename",
    "hub.unarchive": "audit.act_hub_unarchive",
    "idea.adopt": "audit.act_idea_adopt",
    "idea.post": "audit.act_idea_post",
    "idea.unvote": "audit.act_idea_unvote",
    "idea.vote": "audit.act_idea_vote",
    "indicator.create": "audit.act_indicator_create",
    "indicator.update": "audit.act_indicator_update",
    "measurement.import": "audit.act_measurement_import",
    "measurement.record": "audit.act_measurement_record",
    "organisation.archive": "audit.act_organisation_archive",
    "organisation.create": "audit.act_organisation_create",
    "organisation.rename": "audit.act_organisation_rename",
    "organisation.unarchive": "audit.act_organisation_unarchive",
    "pdca_cycle.open": "audit.act_pdca_open",
    "pdca_cycle.reopen": "audit.act_pdca_reopen",
    "pdca_cycle.stage": "audit.act_pdca_stage",
    "pdca_cycle.update": "audit.act_pdca_update",
    "quarter.confirm": "audit.act_quarter_confirm",
    "quarter.resubmit": "audit.act_quarter_resubmit",
    "quarter.return": "audit.act_quarter_return",
    "quarter.submit": "audit.act_quarter_submit",
    "quarter.supersede": "audit.act_quarter_supersede",
    "region.archive": "audit.act_region_archive",
    "region.create": "audit.act_region_create",
    "region.demo_data": "audit.act_region_demo_data",
    "region.load_sample": "audit.act_region_load_sample",
    "region.rename": "audit.act_region_rename",
    "region.unarchive": "audit.act_region_unarchive",
    "region_setting.update": "audit.act_region_setting_update",
    "reminder.sent": "audit.act_reminder_sent",
    "target.create": "audit.act_target_create",
    "target.update": "audit.act_target_update",
    "user.add": "audit.act_user_add",
    "user.add_from_sign_in": "audit.act_user_add_from_sign_in",
    "user.disable": "audit.act_user_disable",
    "user.enable": "audit.act_user_enable",
    "user.language": "audit.act_user_language",
    "user.role_from_claim": "audit.act_user_role_from_claim",
    "user.set_password": "audit.act_user_set_password",
    "user.update": "audit.act_user_update",
    "verification.answer": "audit.act_verification_answer",
    "verification.correct": "audit.act_verification_correct",
    "verification.decide": "audit.act_verification_decide",
    "verification.invite": "audit.act_verification_invite",
    "verification.open": "audit.act_verification_open",
    "verification.opinion": "audit.act_verification_opinion",
    "verification.publish": "audit.act_verification_publish",
    "verification.stage": "audit.act_verification_stage",
    "vision.restore": "audit.act_vision_restore",
    "vision.save": "audit.act_vision_save",
    "workshop.close": "audit.act_workshop_close",
    "workshop.join": "audit.act_workshop_join",
    "workshop.open": "audit.act_workshop_open",
    "workshop.set_votes": "audit.act_workshop_set_votes",
}
# Each field as people name it; a field missing here shows under its stored name.
FIELD_KEYS = {
    "period": "col.period",
    "baseline_period": "col.baseline_period",
    "target_period": "col.target_period",
    "stage": "col.stage",
    "cadence": "audit.field_cadence",
    "pdca_cadence": "audit.field_cadence",
    "objectives": "pdca.field_objectives",
    "do_summary": "pdca.field_do_summary",
    "check_evaluation": "pdca.field_check_evaluation",
    "effect_rating": "pdca.field_effect_rating",
    "future_course": "pdca.field_future_course",
    "external_opinion": "pdca.field_external_opinion",
    "act_summary": "pdca.field_act_summary",
    "opened_by_name": "audit.field_opened_by",
    "opened_at": "audit.field_opened_at",
    "closed_at": "audit.field_closed_at",
    "title": "audit.field_title",
    "owner_organisation_id": "col.owner",
    "due_date": "col.due",
    "status": "col.action_status",
    "evidence": "audit.field_evidence",
    "origin": "col.origin",
    "indicator_ids": "col.indicators",
    "code": "col.code",
    "name": "audit.field_name",
    "description": "audit.field_description",
    "theme": "col.theme",
    "core_institution_id": "col.core_institution",
    "sector": "col.sector",
    "council_member": "audit.field_council_member",
    "archived_at": "audit.field_archived_at",
    "unit": "col.unit",
    "kind": "col.kind",
    "measure": "col.measure",
    "direction": "col.direction",
    "definition": "col.definition",
    "data_source": "indicators.data_source",
    "goal_id": "col.goal",
    "baseline_value": "col.baseline",
    "target_value": "col.target",
    "accumulation": "col.accumulation",
    "tolerance": "indicators.tolerance",
    "milestones": "indicators.milestones",
    "profile": "profile.title",
    "username": "admin.username",
    "display_name": "admin.display_name",
    "email": "admin.email",
    "role": "audit.field_role",
    "region_id": "col.region",
    "organisation_id": "col.organisation",
    "hub_ids": "audit.field_hubs",
    "hubs": "col.hub",
    "cycles": "audit.field_cycles",
    "action_items": "col.action",
    "users": "audit.field_users",
    "indicators": "col.indicator",
    "targets": "col.targets",
    "is_active": "audit.field_active",
    "sessions_ended": "audit.field_sessions_ended",
    "failed_sign_ins": "audit.field_failed_sign_ins",
    "file": "audit.field_file",
    "added": "audit.field_added",
    "corrected": "audit.field_corrected",
    "unchanged": "audit.field_unchanged",
    "measurements": "audit.field_measurements",
    "lang": "audit.field_language",
    "reason": "col.reason",
    "number": "col.revision",
    "revision": "col.revision",
    "part": "audit.field_part",
    "body": "audit.field_text",
    "text": "audit.field_text",
    "comment": "audit.field_comment",
    "person_name": "col.person",
    "votes_per_participant": "audit.field_votes",
    "is_open": "audit.field_open",
    "submitted_at": "audit.field_submitted_at",
    "submitted_by_name": "col.who",
}
COLUMNS = ("col.when", "col.who", "audit.what", "col.entity", "audit.changes", "col.region")
RAW_COLUMNS = ("audit.before", "audit.after")
_LONG = 80  # characters of a long text shown in a change


def who(line: AuditLine, d: Display) -> str:
    """The person, or the open-mode administrator / the system in the reader's language."""
    if line.actor_kind == ACTOR_OPEN_MODE:
        return d.t("audit.open_mode_admin")
    if line.actor_kind == ACTOR_SYSTEM:
        return d.t("audit.system")
    return line.actor_name


def action(name: str, d: Display) -> str:
    """What was done, in words."""
    key = ACTION_KEYS.get(name)
    return d.t(key) if key else name


def field_name(change: FieldChange, d: Display) -> str:
    """A changed field as people name it."""
    key = None if change.named else FIELD_KEYS.get(change.field)
    return d.t(key) if key else change.field


def value(shown: object, d: Display) -> str:
    """A field's value in words: labels for enum members, quarters and times as the reader writes them."""
    if shown is None or shown == "" or shown == []:
        return DASH
    if isinstance(shown, StrEnum):
        try:
            return d.label(shown)
        except KeyError:
            return shown.value
    if isinstance(shown, FiscalQuarter):
        return d.period(shown)
    if isinstance(shown, datetime):
        return d.when(shown)
    if isinstance(shown, date):
        return shown.isoformat()
    if isinstance(shown, bool):
        return d.t("audit.yes") if shown else d.t("audit.no")
    if isinstance(shown, float):
        return number(shown, 3)
    if isinstance(shown, list | tuple):
        return ", ".join(value(v, d) for v in shown)
    if isinstance(shown, dict):
        return "; ".join(f"{k}: {value(v, d)}" for k, v in shown.items())
    text = " ".join(str(shown).split())
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def change_text(change: FieldChange, d: Display) -> str:
    """ "段階: 計画 → 実行", or "件名: …" for what a new object was created with."""
    name = field_name(change, d)
    if change.before is None:
        return f"{name}: {value(change.after, d)}"
    return f"{name}: {value(change.before, d)} → {value(change.after, d)}"


def changes(line: AuditLine, d: Display) -> list[str]:
    """Every change of an event, in words."""
    return [change_text(c, d) for c in line.changes]


def row(line: AuditLine, d: Display) -> tuple[str, ...]:
    """One event as the change log shows it (COLUMNS)."""
    return (
        d.when(line.occurred_at),
        who(line, d),
        action(line.action, d),
        d.message(line.subject),
        " / ".join(changes(line, d)) or DASH,
        line.region or DASH,
    )


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True) if data is not None else ""


def audit_file(lines: Sequence[AuditLine], fmt: str, display: Display) -> bytes:
    """The events as the page shows them (times in the reader's zone, words in their language), then the
    stored before/after as JSON for the record."""
    rows = [(*row(e, display), _json(e.before), _json(e.after)) for e in lines]
    header = [display.t(c) for c in (*COLUMNS, *RAW_COLUMNS)]
    return table_file(fmt, Sheet(display.t("audit.title"), header, rows))
