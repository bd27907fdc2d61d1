"""The vision and workshop journeys in Chromium, in Japanese and English: a draft kept while its field keeps focus,
messages that stay until the person acts, editorial revisions that keep endorsements, diffs rendered like the
vision, confirmations after endorsing and adopting (an idea goes to its own goal), and presentation mode on one
1920x1080 screen with the join code, live."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from hubdash import db, i18n
from hubdash.domain.enums import Role
from hubdash.domain.permissions import SYSTEM
from hubdash.models import Region, id_of
from hubdash.services import vision, workshop

from .accounts import sample_with_accounts, sign_in
from .conftest import assert_no_exception, wait_for_app

STATEMENT = ".st-key-part-statement"
LOGINS = {"ja": {"aoki": "青木", "baba": "馬場"}, "en": {"aoki": "Aoki", "baba": "Baba"}}


class Council:
    """The app in password mode on the sample region of one language, with two council members."""

    def __init__(self, start_app, tmp_path, lang: str) -> None:
        names = LOGINS[lang]
        accounts = dict.fromkeys(names, (Role.COUNCIL_MEMBER, ()))
        accounts["kanri"] = (Role.ADMIN, ())  # endorses for any organisation
        self.db_url = sample_with_accounts(tmp_path, accounts, names=names, lang=lang)
        self.server = start_app(lang=lang, db_url=self.db_url, env={"HUBDASH_AUTH": "password"})
        self.lang = lang

    def t(self, key: str, **values: object) -> str:
        """Catalogue text as the page shows it (Markdown emphasis dropped)."""
        return i18n.t(key, self.lang, **values).replace("**", "")

    def open(self, new_page, login: str, path: str = "vision", **context: object) -> Page:
        page = new_page(locale="ja-JP" if self.lang == "ja" else "en-GB", **context)
        sign_in(page, self.server, login)
        wait_for_app(page)
        page.goto(self.server.url + path)
        wait_for_app(page)
        return page


@pytest.fixture(params=["ja", "en"])
def council(request, start_app, tmp_path) -> Council:
    return Council(start_app, tmp_path, request.param)


@pytest.fixture
def council_ja(start_app, tmp_path) -> Council:
    return Council(start_app, tmp_path, "ja")


def _edit(c: Council, page: Page, part: str = STATEMENT) -> None:
    page.locator(part).get_by_role("button", name=c.t("vision.edit"), exact=True).click()
    wait_for_app(page)
    expect(page.locator(part).get_by_label(c.t("vision_journeys.body"), exact=True)).to_be_visible()


def test_a_draft_typed_without_leaving_the_field_survives_a_reload(council: Council, new_page) -> None:
    c = council
    page = c.open(new_page, "aoki")
    own = urlparse(c.server.url).netloc
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if urlparse(r.url).netloc not in ("", own) else None)
    _edit(c, page)
    area = page.locator(STATEMENT).get_by_label(c.t("vision_journeys.body"), exact=True)
    area.click()
    area.press("Control+End")
    typed = " 下書きの途中です" if c.lang == "ja" else " a draft in the middle of a sentence"
    area.press_sequentially(typed, delay=150)  # a few seconds of typing, never leaving the field
    expect(page.locator(STATEMENT).locator(".hd-status")).to_contain_text(
        c.t("vision_journeys.draft_kept", when="").rstrip(")）").strip()
    )
    assert page.evaluate("document.activeElement.shadowRoot?.activeElement?.tagName") == "TEXTAREA"
    page.reload()
    wait_for_app(page)
    expect(page.locator(STATEMENT)).to_contain_text(c.t("vision.draft_waiting"))
    _edit(c, page)
    expect(page.locator(STATEMENT).get_by_label(c.t("vision_journeys.body"), exact=True)).to_have_value(
        re.compile(re.escape(typed) + "$")
    )
    assert outside == [], "the editor is served by the app itself"
    assert_no_exception(page)


def test_a_refusal_stays_on_the_page_past_live_refreshes_until_the_person_acts(council_ja: Council, new_page) -> None:
    c = council_ja
    aoki = c.open(new_page, "aoki")
    _edit(c, aoki)
    part = aoki.locator(STATEMENT)
    part.get_by_role("button", name=c.t("vision.save"), exact=True).click()
    wait_for_app(aoki)
    refusal = part.get_by_text(c.t("vision.error_reason_missing"))
    expect(refusal).to_be_visible()
    # another person's change re-runs Aoki's page (a live refresh), and the ticks go on
    baba = c.open(new_page, "baba")
    goal = baba.locator(".st-key-part-goal-G1")
    goal.get_by_text(re.compile("コメント（未解決")).click()
    goal.locator("[data-testid='stExpander']").get_by_label(c.t("vision.new_comment"), exact=True).last.fill("賛成")
    goal.get_by_role("button", name=c.t("vision.post_comment")).click()
    wait_for_app(baba)
    expect(aoki.locator(".st-key-part-goal-G1")).to_contain_text("コメント（未解決 1", timeout=15_000)
    aoki.wait_for_timeout(4_000)
    expect(refusal).to_be_visible()
    part.get_by_label(c.t("vision.reason"), exact=True).fill("理由を書いた")
    part.get_by_role("button", name=c.t("vision.save"), exact=True).click()
    wait_for_app(aoki)
    expect(refusal).to_have_count(0)
    expect(part).to_contain_text(c.t("vision_journeys.saved", number=5))


def _coverage_line(c: Council, endorsed: int, number: int) -> str:
    return c.t("vision_journeys.coverage_line", endorsed=endorsed, total=10, number=number)


def test_an_editorial_revision_keeps_the_endorsements_and_a_substantive_one_warns_first(
    council: Council, new_page
) -> None:
    c = council
    page = c.open(new_page, "aoki")
    main = page.locator("[data-testid='stMain']")
    expect(main).to_contain_text(_coverage_line(c, 9, 4))  # the sample: 9 of 10 endorse revision 4
    _edit(c, page)
    part = page.locator(STATEMENT)
    area = part.get_by_label(c.t("vision_journeys.body"), exact=True)
    area.fill(area.input_value() + (" " if c.lang == "en" else "　"))
    area.press("Control+Enter")
    wait_for_app(page)
    warning = part.get_by_text(c.t("vision_journeys.renew_warning", count=9))
    expect(warning).to_be_visible()  # before a substantive save, the page says what it costs
    part.get_by_label(c.t("vision.reason"), exact=True).fill("typo" if c.lang == "en" else "誤字の修正")
    part.get_by_text(c.t("vision_journeys.editorial")).click()
    wait_for_app(page)
    expect(warning).to_have_count(0)
    part.get_by_role("button", name=c.t("vision.save"), exact=True).click()
    wait_for_app(page)
    expect(part).to_contain_text(c.t("vision_journeys.saved_editorial", number=5))
    expect(main).to_contain_text(_coverage_line(c, 9, 4))

    page.goto(c.server.url + "endorsements")
    wait_for_app(page)
    expect(page.get_by_test_id("stMetricValue")).to_have_text("9 / 10")
    page.goto(c.server.url + "vision-history")
    wait_for_app(page)
    expect(page.get_by_test_id("stDataFrame")).to_contain_text(c.t("vision_journeys.editorial_note"))
    assert_no_exception(page)


def test_the_history_and_its_diff_show_formatted_text_with_the_changes_marked(council_ja: Council, new_page) -> None:
    c = council_ja
    page = c.open(new_page, "aoki", path="vision-history")
    # the sample's revision 4 added a sentence and a list to the statement; 3 -> 4 is the default comparison
    old, new = page.locator(".st-key-old-statement"), page.locator(".st-key-new-statement")
    expect(new.locator("li")).to_have_count(2)
    expect(new.locator("ins").first).to_be_visible()
    expect(old.locator("del").first).to_be_visible()
    expect(new.locator("strong").first).to_be_visible()
    for side in (old, new):
        assert "**" not in side.inner_text() and "\n- " not in side.inner_text()
    background = new.locator("ins").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    picker = page.get_by_role("combobox", name=c.t("vision_history.old"))
    expect(picker).to_have_value(re.compile(r"^3 · \d{4}-\d{2}-\d{2} \d{2}:\d{2} · \S+"))  # number · date · author
    assert_no_exception(page)


def _endorser_of_an_older_revision(db_url: str) -> str:
    engine = db.make_engine(db_url)
    with db.session_scope(engine) as s:
        found = vision.coverage(session=s, region_id=id_of(s.exec(select(Region)).one()))
    engine.dispose()
    return next(r.organisation for r in found.rows if r.revision_number is not None and not r.is_current)


def test_endorsing_confirms_and_empties_the_form_and_an_adopted_idea_goes_to_its_goal(
    council: Council, new_page
) -> None:
    c = council
    organisation = _endorser_of_an_older_revision(c.db_url)
    page = c.open(new_page, "kanri", path="endorsements")
    expect(page.get_by_test_id("stMetricValue")).to_have_text("9 / 10")
    form = page.get_by_test_id("stForm")
    picker = form.locator("[data-testid='stSelectbox'] input")
    picker.click()
    picker.fill(organisation)  # the list filters as one types; Enter takes the one left
    picker.press("Enter")
    form.get_by_label(c.t("endorsements.comment")).fill("賛同します" if c.lang == "ja" else "We agree")
    form.get_by_role("button", name=c.t("endorsements.endorse")).click()
    wait_for_app(page)
    expect(page.get_by_text(c.t("vision_journeys.endorsed_done", organisation=organisation, number=4))).to_be_visible()
    expect(page.get_by_test_id("stMetricValue")).to_have_text("10 / 10")
    expect(page.get_by_test_id("stForm").get_by_label(c.t("endorsements.comment"))).to_have_value("")

    # an idea tagged to a goal is adopted into that goal unless the facilitator picks another place
    page.goto(c.server.url + "ideas")
    wait_for_app(page)
    card = (
        page.locator("[class*='st-key-idea-']")
        .filter(has=page.get_by_role("button", name=c.t("ideas.adopt")), has_text=re.compile(r"G\d · "))
        .first
    )
    code = re.search(r"(G\d) · ", card.inner_text())
    assert code is not None
    card.get_by_role("button", name=c.t("ideas.adopt")).click()
    popover = page.get_by_test_id("stPopoverBody")
    target = popover.get_by_role("combobox", name=c.t("ideas.adopt_into"))
    expect(target).to_have_value(re.compile("^" + code.group(1)))
    popover.get_by_role("button", name=c.t("ideas.adopt"), exact=True).click()
    wait_for_app(page)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(code.group(1))
    adopted = c.t("vision_journeys.adopted_into", part=code.group(1), number=5)
    expect(page.locator("[class*='st-key-idea-']").filter(has_text=adopted)).to_have_count(1)  # its badge
    assert_no_exception(page)


def _open_workshop(db_url: str) -> str:
    engine = db.make_engine(db_url)
    with db.session_scope(engine) as s:
        region = s.exec(select(Region)).one()
        opened = workshop.open_workshop(
            session=s, actor=SYSTEM, region_id=region.id, title="Workshop", votes_per_participant=3
        )
        code = opened.join_code
    engine.dispose()
    assert code
    return code


def _scrolls(page: Page) -> list[str]:
    """Every element that scrolls (content taller than its box, overflow auto/scroll), and the document."""
    return page.evaluate(
        """() => {
        const found = [];
        if (document.documentElement.scrollHeight > window.innerHeight + 1) found.push("document");
        for (const e of document.querySelectorAll("*")) {
            const y = getComputedStyle(e).overflowY;
            if ((y === "auto" || y === "scroll") && e.scrollHeight > e.clientHeight + 1) {
                found.push(`${e.tagName}.${e.className} ${e.scrollHeight}>${e.clientHeight}`);
            }
        }
        return found;
    }"""
    )


def test_presentation_fits_a_projector_without_scrolling_and_shows_the_join_code_live(
    council: Council, new_page
) -> None:
    c = council
    code = _open_workshop(c.db_url)
    projector = c.open(new_page, "aoki", path="presentation", viewport={"width": 1920, "height": 1080})
    expect(projector.get_by_text(code, exact=True)).to_be_visible()
    expect(projector.locator(".st-key-pres-join img")).to_be_visible()  # the QR code, drawn here
    expect(projector.get_by_test_id("stSidebar")).to_be_hidden()
    expect(projector.get_by_test_id("stHeader")).to_be_hidden()
    assert _scrolls(projector) == []
    size = projector.locator(".st-key-pres-statement p").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 28, size  # read from the back of a room

    # a participant's idea reaches the projector without anyone touching it
    phone = new_page(locale="ja-JP" if c.lang == "ja" else "en-GB")
    phone.goto(c.server.url + f"workshop/join?code={code}")
    phone.get_by_label(c.t("accounts.your_name")).fill("Sato")
    phone.get_by_label(c.t("accounts.your_organisation")).fill("Bank")
    phone.get_by_role("button", name=c.t("accounts.join")).click()
    wait_for_app(phone)
    phone.get_by_label(c.t("ideas.new_idea")).fill("Open the labs on Saturdays")
    phone.get_by_role("button", name=c.t("ideas.post")).click()
    wait_for_app(phone)
    expect(phone.get_by_text(c.t("vision_journeys.posted"))).to_be_visible()
    card = phone.locator("[class*='st-key-idea-']").filter(has_text="Open the labs")
    card.get_by_role("button", name=c.t("ideas.vote"), exact=True).click()
    wait_for_app(phone)
    expect(card.get_by_role("button", name=c.t("ideas.unvote"))).to_be_visible()
    # the new workshop's only idea, with its vote, on the projector
    ideas = projector.locator(".st-key-pres-ideas")
    expect(ideas).to_contain_text("Open the labs on Saturdays", timeout=15_000)
    expect(ideas).to_contain_text(c.t("presentation.votes", votes=1))
    assert _scrolls(projector) == []
    assert_no_exception(projector)
    assert_no_exception(phone)
