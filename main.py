"""hubdash's pages: page config, who is signed in, language and region pickers, navigation over app_pages/ by role.

`streamlit run app.py` serves this script inside app.py's routes and request guards.
"""

import streamlit as st

from hubdash import ui
from hubdash.domain.enums import Role
from hubdash.domain.permissions import Permission, allows

st.set_page_config(page_title="hubdash", page_icon=ui.FAVICON, layout="wide")
engine = ui.start()
who = ui.actor()

# page, title, icon, URL, what the person needs to see it; WORKSHOP pages are open to workshop participants too,
# VERIFICATION to the outside experts invited to a verification
WORKSHOP, VERIFICATION = "workshop", "verification"
PAGES = [
    ("app_pages/home.py", "nav.home", ":material/home:", "home", Permission.READ),
    ("app_pages/vision.py", "nav.vision", ":material/visibility:", "vision", WORKSHOP),
    ("app_pages/vision_history.py", "nav.vision_history", ":material/difference:", "vision-history", Permission.READ),
    ("app_pages/endorsements.py", "nav.endorsements", ":material/handshake:", "endorsements", Permission.READ),
    ("app_pages/ideas.py", "nav.ideas", ":material/sticky_note_2:", "ideas", WORKSHOP),
    ("app_pages/presentation.py", "nav.presentation", ":material/present_to_all:", "presentation", WORKSHOP),
    ("app_pages/indicators.py", "nav.indicators", ":material/target:", "indicators", Permission.READ),
    ("app_pages/progress.py", "nav.progress", ":material/edit_note:", "progress", Permission.READ),
    ("app_pages/signoff.py", "nav.signoff", ":material/verified:", "signoff", Permission.SIGN_OFF),
    ("app_pages/pdca.py", "nav.pdca", ":material/autorenew:", "pdca", Permission.READ),
    ("app_pages/pdca_overview.py", "nav.pdca_overview", ":material/view_kanban:", "pdca-overview", Permission.READ),
    ("app_pages/dashboard.py", "nav.dashboard", ":material/monitoring:", "dashboard", Permission.READ),
    ("app_pages/executive.py", "nav.executive", ":material/summarize:", "executive", Permission.READ),
    ("app_pages/verification.py", "nav.verification", ":material/fact_check:", "verification", VERIFICATION),
    ("app_pages/audit.py", "nav.audit", ":material/history:", "audit", Permission.READ_AUDIT),
    ("app_pages/admin.py", "nav.admin", ":material/admin_panel_settings:", "admin", Permission.MANAGE_USERS),
]
participant, expert = who.role is Role.WORKSHOP_PARTICIPANT, who.role is Role.OUTSIDE_EXPERT


def visible(needs: Permission | str) -> bool:
    if needs in (WORKSHOP, VERIFICATION):
        return (participant if needs == WORKSHOP else expert) or allows(who, Permission.READ)
    return allows(who, Permission(needs))


first = "ideas" if participant else "home"
pages = [
    st.Page(path, title=ui.t(title), icon=icon, url_path=url, default=(url == first))
    for path, title, icon, url, needs in PAGES
    if visible(needs)
]
if expert:  # the expert's one page keeps its address (/verification, as reminders link it); the root leads there
    only = pages[0]
    start = st.Page(lambda: st.switch_page(only), title=ui.t("nav.verification"), url_path="start", default=True)
    pages.insert(0, start)
navigation = st.navigation(pages, position="hidden" if expert else "sidebar", expanded=True)
ui.language_switch()
ui.region_picker()
ui.actor_badge(engine)
with ui.guard():  # an unexpected error shows one line with an incident number, never a traceback
    navigation.run()
