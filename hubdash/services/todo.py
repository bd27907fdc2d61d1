"""What is a person's to do: the list on the home page and the content of their reminder e-mail.

- a hub manager: the last ended quarter of each of their hubs to enter or submit, quarters the secretariat
  returned, their hubs' overdue action items;
- a council member (and an administrator, in the region they look at): submitted quarters to confirm (in a
  region that signs off), the organisation's endorsement to renew, expert opinions to answer;
- an outside expert: the verifications under review that still wait for their opinion.

Each item has a stable key: a reminder names the same item with the same key every day until it is done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from hubdash.domain.enums import ActionStatus, Role, SubmissionStatus, VerificationStage
from hubdash.domain.errors import Message
from hubdash.domain.periods import FiscalQuarter, current_quarter
from hubdash.domain.permissions import Actor
from hubdash.fmt import coded
from hubdash.models import (
    ActionItem,
    Endorsement,
    Hub,
    Measurement,
    Organisation,
    QuarterSubmission,
    Region,
    RegionSetting,
    Target,
    Verification,
    VerificationExpert,
    VerificationOpinion,
    VisionRevision,
    id_of,
)

PAGES = {  # the page (URL path) where an item is done
    "enter_quarter": "progress",
    "submit_quarter": "progress",
    "returned_quarter": "progress",
    "confirm_quarter": "signoff",
    "overdue_action": "pdca",
    "renew_endorsement": "endorsements",
    "answer_opinion": "verification",
    "write_opinion": "verification",
}


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: its stable key, kind, region, what it says (a catalogue message) and where it is done."""

    key: str
    kind: str
    region_id: int
    message: Message
    due: date | None = None
    note: str = ""  # text a person wrote that goes with it (a return comment); shown literally
    sort: tuple[object, ...] = field(default=(), compare=False)

    @property
    def page(self) -> str:
        """The URL path of the page where it is done."""
        return PAGES[self.kind]


def _hub_items(session: Session, hub_ids: list[int], today: date) -> list[TodoItem]:
    if not hub_ids:
        return []
    hubs = {
        id_of(h): h for h in session.exec(select(Hub).where(col(Hub.id).in_(hub_ids), col(Hub.archived_at).is_(None)))
    }
    wanted: dict[int, set[int]] = defaultdict(set)
    for hub_id, indicator_id in session.exec(
        select(Target.hub_id, Target.indicator_id).where(col(Target.hub_id).in_(list(hubs)))
    ).all():
        if hub_id is not None:
            wanted[hub_id].add(indicator_id)
    last = current_quarter(today) - 1
    entered: dict[int, set[int]] = defaultdict(set)
    for hub_id, indicator_id in session.exec(
        select(Measurement.hub_id, Measurement.indicator_id).where(
            col(Measurement.hub_id).in_(list(hubs)),
            Measurement.fiscal_year == last.fiscal_year,
            Measurement.quarter == last.quarter,
        )
    ).all():
        entered[hub_id].add(indicator_id)
    submissions = list(session.exec(select(QuarterSubmission).where(col(QuarterSubmission.hub_id).in_(list(hubs)))))
    sent_last = {s.hub_id for s in submissions if (s.fiscal_year, s.quarter) == (last.fiscal_year, last.quarter)}
    items = []
    for hub_id, hub in sorted(hubs.items(), key=lambda h: h[1].code):
        name = coded(hub.code, hub.name)
        if wanted[hub_id] and hub_id not in sent_last:
            have, total = len(entered[hub_id] & wanted[hub_id]), len(wanted[hub_id])
            kind = "submit_quarter" if have >= total else "enter_quarter"
            key = "todo.submit_quarter" if have >= total else "todo.enter_quarter"
            items.append(
                TodoItem(
                    f"{kind}:{hub_id}:{last}",
                    kind,
                    hub.region_id,
                    Message(key, {"hub": name, "period": last, "entered": have, "total": total}),
                    last.end_date,
                    sort=(0, last.index, hub.code),
                )
            )
    for s in submissions:
        if s.status is SubmissionStatus.RETURNED:
            period = FiscalQuarter(s.fiscal_year, s.quarter)
            hub = hubs[s.hub_id]
            message = Message(
                "todo.returned_quarter", {"hub": coded(hub.code, hub.name), "period": period, "by": s.reviewed_by_name}
            )
            items.append(
                TodoItem(
                    f"returned:{id_of(s)}:{s.version}",
                    "returned_quarter",
                    hub.region_id,
                    message,
                    note=s.review_comment,
                    sort=(0, period.index, hub.code),
                )
            )
    return items + _overdue(session, hubs, today)


def _overdue(session: Session, hubs: dict[int, Hub], today: date) -> list[TodoItem]:
    carried = set(
        session.exec(
            select(ActionItem.carried_from_id).where(
                col(ActionItem.carried_from_id).is_not(None), col(ActionItem.hub_id).in_(list(hubs))
            )
        ).all()
    )
    items = []
    for item in session.exec(
        select(ActionItem)
        .where(
            col(ActionItem.hub_id).in_(list(hubs)),
            col(ActionItem.status).in_([ActionStatus.NOT_STARTED.value, ActionStatus.IN_PROGRESS.value]),
            col(ActionItem.due_date) < today,
        )
        .order_by(col(ActionItem.due_date), col(ActionItem.id))
    ).all():
        if item.id in carried or item.due_date is None:
            continue
        hub = hubs[item.hub_id]
        message = Message(
            "todo.overdue_action", {"hub": hub.code, "title": item.title, "due": item.due_date.isoformat()}
        )
        items.append(
            TodoItem(
                f"overdue:{id_of(item)}",
                "overdue_action",
                hub.region_id,
                message,
                item.due_date,
                sort=(1, item.due_date),
            )
        )
    return items


def _council_items(session: Session, region_ids: list[int], organisation_id: int | None) -> list[TodoItem]:
    items = []
    signing = set(
        session.exec(
            select(RegionSetting.region_id).where(
                col(RegionSetting.region_id).in_(region_ids), col(RegionSetting.confirmed_only)
            )
        ).all()
    )
    for submission, hub in session.exec(
        select(QuarterSubmission, Hub)
        .join(Hub, col(Hub.id) == QuarterSubmission.hub_id)
        .where(
            col(Hub.region_id).in_(list(signing)),
            col(QuarterSubmission.status).in_([SubmissionStatus.SUBMITTED.value, SubmissionStatus.SUPERSEDED.value]),
        )
        .order_by(col(QuarterSubmission.fiscal_year).desc(), col(QuarterSubmission.quarter).desc(), col(Hub.code))
    ).all():
        period = FiscalQuarter(submission.fiscal_year, submission.quarter)
        items.append(
            TodoItem(
                f"confirm:{id_of(submission)}:{submission.version}",
                "confirm_quarter",
                hub.region_id,
                Message(
                    "todo.confirm_quarter",
                    {"hub": coded(hub.code, hub.name), "period": period, "status": submission.status},
                ),
                sort=(2, -period.index, hub.code),
            )
        )
    for opinion, verification in session.exec(
        select(VerificationOpinion, Verification)
        .join(Verification, col(Verification.id) == VerificationOpinion.verification_id)
        .where(
            col(Verification.region_id).in_(region_ids),
            VerificationOpinion.answer == "",
            Verification.stage != VerificationStage.PUBLISHED,
        )
        .order_by(col(VerificationOpinion.written_at))
    ).all():
        items.append(
            TodoItem(
                f"answer:{id_of(opinion)}",
                "answer_opinion",
                verification.region_id,
                Message("todo.answer_opinion", {"year": verification.fiscal_year}),
                sort=(3, verification.fiscal_year),
            )
        )
    if organisation_id is not None:
        items += _endorsement(session, organisation_id)
    return items


def _endorsement(session: Session, organisation_id: int) -> list[TodoItem]:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or not organisation.council_member or organisation.archived_at is not None:
        return []
    latest = session.exec(
        select(VisionRevision)
        .where(VisionRevision.region_id == organisation.region_id)
        .order_by(col(VisionRevision.number).desc())
    ).first()
    endorsed = session.exec(
        select(VisionRevision.number)
        .join(Endorsement, col(Endorsement.revision_id) == VisionRevision.id)
        .where(Endorsement.organisation_id == organisation_id)
        .order_by(col(VisionRevision.number).desc())
    ).first()
    if latest is None or endorsed is None or endorsed >= latest.number:
        return []  # endorsed the current revision, or never: there is nothing to renew
    message = Message(
        "todo.renew_endorsement", {"organisation": organisation.name, "old": endorsed, "new": latest.number}
    )
    return [
        TodoItem(
            f"endorse:{organisation_id}:{latest.number}",
            "renew_endorsement",
            organisation.region_id,
            message,
            sort=(4,),
        )
    ]


def _expert_items(session: Session, user_id: int) -> list[TodoItem]:
    written = set(
        session.exec(
            select(VerificationOpinion.verification_id)
            .join(VerificationExpert, col(VerificationExpert.id) == VerificationOpinion.expert_id)
            .where(VerificationExpert.user_id == user_id)
        ).all()
    )
    items = []
    for verification, region in session.exec(
        select(Verification, Region)
        .join(VerificationExpert, col(VerificationExpert.verification_id) == Verification.id)
        .join(Region, col(Region.id) == Verification.region_id)
        .where(VerificationExpert.user_id == user_id, Verification.stage == VerificationStage.REVIEW)
    ).all():
        if verification.id in written:
            continue
        message = Message("todo.write_opinion", {"region": region.name, "year": verification.fiscal_year})
        items.append(
            TodoItem(
                f"opinion:{id_of(verification)}:{verification.number}",
                "write_opinion",
                verification.region_id,
                message,
                sort=(5, verification.fiscal_year),
            )
        )
    return items


def todo(*, session: Session, actor: Actor, today: date, region_id: int | None = None) -> list[TodoItem]:
    """What is this person's to do today (in one region, or in every region they act in)."""
    items: list[TodoItem] = []
    if actor.role is Role.HUB_MANAGER:
        items += _hub_items(session, sorted(actor.hub_ids), today)
    if actor.role in (Role.COUNCIL_MEMBER, Role.ADMIN):
        regions: list[int] = [r for r in (region_id, actor.region_id) if r is not None][:1]
        if not regions:
            query = select(Region.id).where(col(Region.archived_at).is_(None))
            regions = [r for r in session.exec(query).all() if r is not None]
        if actor.region_id is not None:
            regions = [r for r in regions if r == actor.region_id]
        items += _council_items(session, regions, actor.organisation_id)
    if actor.role is Role.OUTSIDE_EXPERT and actor.user_id is not None:
        items += _expert_items(session, actor.user_id)
    if region_id is not None:
        items = [i for i in items if i.region_id == region_id]
    return sorted(items, key=lambda i: i.sort)
