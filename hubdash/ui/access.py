"""Request guards in front of Streamlit (pure ASGI, for pages and the WebSocket alike), and the sign-in mode.

Open mode (no sign-in) answers loopback only: the client, the address the request came in on and the Host
it names must all be this computer, whatever address the server was bound to. In the other modes a foreign
Host (DNS rebinding) is refused when server.allowedHosts lists the names the app is served under.
"""

from __future__ import annotations

import html
import ipaddress
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import streamlit as st

from hubdash import i18n

LOG = logging.getLogger("hubdash.guard")
ENV_AUTH = "HUBDASH_AUTH"
MODES = ("none", "password", "oidc")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def auth_mode() -> str:
    """HUBDASH_AUTH: none (the default: open mode, this computer only), password or oidc."""
    mode = os.environ.get(ENV_AUTH, "").strip().lower() or "none"
    if mode not in MODES:
        raise SystemExit(f"{ENV_AUTH}={mode!r} is not one of {', '.join(MODES)}")
    return mode


def is_loopback(address: str | None) -> bool:
    """Whether an IP address is this computer's (127.0.0.0/8, ::1)."""
    try:
        return address is not None and ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def host_name(raw: str | None) -> str:
    """The name in a Host header, without port or brackets, lower case: '[::1]:8501' -> '::1'."""
    raw = (raw or "").strip().lower()
    if raw.startswith("["):
        return raw[1 : raw.find("]")] if "]" in raw else ""
    return raw.rsplit(":", 1)[0] if raw.count(":") == 1 else raw


def open_mode_refusal(client: str | None, server: str | None, host: str) -> str | None:
    """Why open mode refuses a request (for the log), or None when it comes from and to this computer."""
    if not is_loopback(client):
        return f"client {client} is not this computer"
    if server is not None and not (is_loopback(server) or server in LOOPBACK_NAMES):
        return f"it came in on {server}, not on a loopback address"
    if host_name(host) not in LOOPBACK_NAMES:
        return f"the Host {host_name(host)!r} is not a loopback name"
    return None


def host_allowed(host: str, allowed: list[str]) -> bool:
    """server.allowedHosts as Streamlit reads it: names without ports, '*.example.org' and '*'; [] allows all."""
    name = host_name(host)
    for pattern in (p.strip().lower() for p in allowed):
        if pattern == "*" or pattern == name or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return not allowed


def _language(headers: dict[bytes, bytes]) -> str:
    return i18n.resolve_language(headers.get(b"accept-language", b"").decode("latin-1")[:20] or None)


def refusal_page(lang: str, key: str) -> bytes:
    """The 403 page: what happened and what to do, in the reader's language."""
    title, body = html.escape(i18n.t("guard.title", lang)), html.escape(i18n.t(key, lang))
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body style="font-family:sans-serif;max-width:40rem;margin:4rem auto"><h1>{title}</h1><p>{body}</p>'
        "</body></html>"
    ).encode()


class RequestGuard:
    """Refuses, before Streamlit sees it, what the sign-in mode does not allow: 403 page or closed WebSocket."""

    def __init__(self, app: ASGIApp, mode: str) -> None:
        self.app, self.mode = app, mode

    def _refusal(self, scope: Scope) -> tuple[str, str] | None:
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        if self.mode == "none":
            client = (scope.get("client") or (None,))[0]  # after uvicorn's X-Forwarded-For from a local proxy
            server = (scope.get("server") or (None,))[0]  # the local address the connection came in on
            reason = open_mode_refusal(client, server, host)
            return (reason, "guard.open_mode_local_only") if reason else None
        if not host_allowed(host, list(st.get_option("server.allowedHosts") or [])):
            return f"the Host {host_name(host)!r} is not in server.allowedHosts", "guard.foreign_host"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = self._refusal(scope) if scope["type"] in ("http", "websocket") else None
        if refused is None:
            await self.app(scope, receive, send)
            return
        reason, key = refused
        LOG.warning("refused %s %s: %s", scope["type"], scope.get("path", ""), reason)
        if scope["type"] == "websocket":  # closing before accepting answers the handshake with 403
            await send({"type": "websocket.close", "code": 1008})
            return
        page = refusal_page(_language(dict(scope.get("headers") or [])), key)
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"cache-control", b"no-store")],
            }
        )
        await send({"type": "http.response.body", "body": page})


def log_start(mode: str) -> None:
    """Say at start which sign-in mode runs and, in open mode bound beyond loopback, what will be refused."""
    address = str(st.get_option("server.address") or "")
    LOG.warning("hubdash sign-in mode: %s (%s=%s)", mode, ENV_AUTH, os.environ.get(ENV_AUTH, ""))
    if mode == "none" and not (address and (is_loopback(address) or address in LOOPBACK_NAMES)):
        LOG.warning(
            "open mode (no sign-in) and server.address is %r: every request that does not come from and to "
            "this computer gets a 403 page. Set HUBDASH_AUTH=password or oidc to serve others.",
            address or "(all addresses)",
        )
