"""Who is using this browser session: built on every run of the app from the signed-in session, never from the URL.

Open mode (HUBDASH_AUTH=none) is the local administrator, for requests from this computer only. With
sign-in, the session cookie (a password or workshop-participant session) or the provider's sign-in (OIDC)
names a server-side session, looked up on every full run and before every write.
"""

from __future__ import annotations

from html import escape

import streamlit as st
from sqlalchemy import Engine

from hubdash import db
from hubdash.domain.permissions import OPEN_MODE_ADMIN, Actor
from hubdash.services import accounts, oidc
from hubdash.ui import access, tokens
from hubdash.ui.session import label, t
from hubdash.ui.text import md

ACTOR_KEY = "hubdash_actor"
REFUSED_KEY = "hubdash_refused"


def _session_cookie() -> str | None:
    # The one place the session cookie is read (tests stand in here with a real signed cookie).
    return st.context.cookies.get(tokens.COOKIE)


def _provider_claims() -> dict[str, object] | None:
    return dict(st.user.to_dict()) if st.user.is_logged_in else None


def resolve(engine: Engine) -> Actor | None:
    """The person behind this browser session now, looked up afresh; None when nobody is signed in."""
    mode = access.auth_mode()
    if mode == "none":
        host = st.context.headers.get("host")
        # the request guard refuses other hosts before Streamlit runs; this is the second line
        if host and access.host_name(host) not in access.LOOPBACK_NAMES:
            st.session_state[REFUSED_KEY] = True
            return None
        return OPEN_MODE_ADMIN
    token = tokens.token_of(_session_cookie())
    with db.session_scope(engine) as s:
        found = accounts.session_actor(session=s, token=token) if token else None
        if found is None and mode == "oidc" and (claims := _provider_claims()) is not None:
            found = oidc.oidc_actor(session=s, claims=claims, settings=oidc.settings_from_env())
    return found


def remember(found: Actor | None) -> None:
    """Keep the actor of this run for the reads of the page and its fragments."""
    st.session_state[ACTOR_KEY] = found


def actor() -> Actor:
    """The person this run acts for (set by ui.start on every run of the app and before each write)."""
    found = st.session_state.get(ACTOR_KEY)
    if not isinstance(found, Actor):
        raise RuntimeError("ui.start() runs before anything asks who the actor is")
    return found


def sign_in_prompt() -> None:
    """What a browser that is not signed in sees instead of the page; the run stops here."""
    mode = access.auth_mode()
    if mode == "none":
        st.title(t("guard.title"))
        st.error(t("guard.open_mode_local_only"))
        st.stop()
    st.title(t("accounts.sign_in_title"))
    if _session_cookie():
        st.info(t("accounts.session_ended"))
    if mode == "oidc" and st.user.is_logged_in:
        st.warning(md("accounts.oidc_unknown", email=str(st.user.get("email") or st.user.get("sub") or "")))
        again, leave = st.columns(2)
        if again.button(t("accounts.sign_in_again"), type="primary", key="oidc-sign-in-again"):
            st.login()
        if leave.button(t("accounts.sign_out"), key="oidc-unknown-sign-out"):
            st.logout()
    elif mode == "oidc":
        st.caption(t("accounts.oidc_intro"))
        if st.button(t("accounts.sign_in"), type="primary", key="oidc-sign-in"):
            st.login()
    else:
        st.link_button(t("accounts.sign_in"), _url("/account/login"), type="primary")
    st.caption(t("accounts.join_hint"))
    st.stop()


def _url(path: str) -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}{path}" if base else path


def sign_out_control(engine: Engine, who: Actor) -> None:
    """The sign-out button: a form posted to the sign-out route, or the provider's sign-out."""
    cookie = _session_cookie()
    if tokens.token_of(cookie) is not None:
        csrf = tokens.signout_csrf(cookie)
        st.sidebar.html(
            f'<form method="post" action="{escape(_url("/account/logout"))}" style="margin:0">'
            f'<input type="hidden" name="{escape(tokens.CSRF_FIELD)}" value="{escape(csrf)}">'
            f'<button type="submit" id="hubdash-sign-out" style="padding:.3rem .8rem;cursor:pointer">'
            f"{escape(t('accounts.sign_out'))}</button></form>"
        )
    elif access.auth_mode() == "oidc" and (claims := _provider_claims()) is not None:
        if st.sidebar.button(t("accounts.sign_out"), key="oidc-sign-out"):
            with db.session_scope(engine) as s:
                oidc.end_oidc_session(session=s, claims=claims)
            st.logout()


def actor_badge(engine: Engine | None = None) -> None:
    """Tell the user, in the sidebar, who is signed in and in which role; and let them sign out."""
    who = actor()
    if who.open_mode:
        st.sidebar.warning(t("accounts.open_mode"), icon=":material/lock_open:")
        return
    st.sidebar.caption(md("app.signed_in_as", name=who.name, role=label(who.role)))
    if engine is not None:
        sign_out_control(engine, who)
