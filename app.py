"""hubdash: the entry point. Page config, language and region pickers, navigation over app_pages/."""

import streamlit as st

from hubdash import ui

st.set_page_config(page_title="hubdash", page_icon=":material/hub:", layout="wide")
ui.start()

PAGES = [
    ("app_pages/home.py", "nav.home", ":material/home:", "home"),
    ("app_pages/vision.py", "nav.vision", ":material/visibility:", "vision"),
    ("app_pages/vision_history.py", "nav.vision_history", ":material/difference:", "vision-history"),
    ("app_pages/endorsements.py", "nav.endorsements", ":material/handshake:", "endorsements"),
    ("app_pages/ideas.py", "nav.ideas", ":material/sticky_note_2:", "ideas"),
    ("app_pages/presentation.py", "nav.presentation", ":material/present_to_all:", "presentation"),
    ("app_pages/indicators.py", "nav.indicators", ":material/target:", "indicators"),
    ("app_pages/progress.py", "nav.progress", ":material/edit_note:", "progress"),
    ("app_pages/pdca.py", "nav.pdca", ":material/autorenew:", "pdca"),
    ("app_pages/pdca_overview.py", "nav.pdca_overview", ":material/view_kanban:", "pdca-overview"),
    ("app_pages/dashboard.py", "nav.dashboard", ":material/monitoring:", "dashboard"),
    ("app_pages/executive.py", "nav.executive", ":material/summarize:", "executive"),
    ("app_pages/audit.py", "nav.audit", ":material/history:", "audit"),
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
