"""hubdash: the entry point. Page config, language and region pickers, navigation over pages/."""

import streamlit as st

from hubdash import ui

st.set_page_config(page_title="hubdash", page_icon=ui.FAVICON, layout="wide")
ui.start()

PAGES = [
    ("pages/home.py", "nav.home", ":material/home:", "home"),
    ("pages/vision.py", "nav.vision", ":material/visibility:", "vision"),
    ("pages/vision_history.py", "nav.vision_history", ":material/difference:", "vision-history"),
    ("pages/endorsements.py", "nav.endorsements", ":material/handshake:", "endorsements"),
    ("pages/ideas.py", "nav.ideas", ":material/sticky_note_2:", "ideas"),
    ("pages/presentation.py", "nav.presentation", ":material/present_to_all:", "presentation"),
    ("pages/indicators.py", "nav.indicators", ":material/target:", "indicators"),
    ("pages/progress.py", "nav.progress", ":material/edit_note:", "progress"),
    ("pages/pdca.py", "nav.pdca", ":material/autorenew:", "pdca"),
    ("pages/pdca_overview.py", "nav.pdca_overview", ":material/view_kanban:", "pdca-overview"),
    ("pages/dashboard.py", "nav.dashboard", ":material/monitoring:", "dashboard"),
    ("pages/executive.py", "nav.executive", ":material/summarize:", "executive"),
    ("pages/audit.py", "nav.audit", ":material/history:", "audit"),
]
pages = [
    st.Page(path, title=ui.t(title), icon=icon, url_path=url, default=(url == "home"))
    for path, title, icon, url in PAGES
]
navigation = st.navigation(pages, position="sidebar", expanded=True)
ui.language_switch()
ui.region_picker()
ui.actor_badge()
navigation.run()
