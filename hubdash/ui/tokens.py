"""The session cookie: a random token signed with server.cookieSecret; HttpOnly, SameSite=Lax; and CSRF tokens.

The token names a server-side session (services.accounts); the signature only keeps forged and
tampered cookies away from the database. Nothing here is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

import streamlit as st
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "hubdash_session"
CSRF_COOKIE = "hubdash_csrf"
CSRF_FIELD = "csrf"


def _secret() -> str:
    # Streamlit makes a random one per process when server.cookieSecret is not set: then a restart
    # signs everybody out, which is safe; README says to set it when serving others
    return str(st.get_option("server.cookieSecret"))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(_secret(), salt="hubdash-session")


def signed(token: str) -> str:
    """The cookie value for a session token."""
    return str(_serializer().dumps(token))


def token_of(cookie: str | None) -> str | None:
    """The session token in a cookie value, or None when it is missing, forged or tampered with."""
    if not cookie:
        return None
    try:
        token = _serializer().loads(cookie)
    except BadSignature:
        return None
    return token if isinstance(token, str) and token else None


def new_csrf() -> str:
    """A random token for the double-submit check of the sign-in and join forms."""
    return secrets.token_urlsafe(24)


def csrf_matches(cookie: str | None, field: str | None) -> bool:
    """The form's CSRF field equals the CSRF cookie (a cross-site page can read neither)."""
    return bool(cookie) and bool(field) and hmac.compare_digest(str(cookie), str(field))


def signout_csrf(session_cookie: str | None) -> str:
    """The CSRF token of the sign-out form, derived from the session cookie (the page never sees a secret)."""
    message = f"sign-out:{session_cookie or ''}".encode()
    return hmac.new(_secret().encode(), message, hashlib.sha256).hexdigest()


def same_origin(origin: str | None, referer: str | None, host: str | None) -> bool:
    """The form was sent from a page of this site: its Origin (or Referer) names the Host it was sent to."""
    source = origin if origin and origin != "null" else referer
    return bool(source) and bool(host) and urlsplit(source).netloc.lower() == str(host).lower()
