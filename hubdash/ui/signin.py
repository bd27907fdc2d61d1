"""HTTP routes around the Streamlit app: sign in, sign out and join a workshop; they set and clear the cookie.

Streamlit's XSRF protection does not cover these routes, so each POST checks that it comes from a page of
this site (Origin or Referer against Host) and carries its CSRF token. Form values are never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from hubdash import db, i18n
from hubdash.domain.enums import Sector
from hubdash.domain.errors import UserError
from hubdash.services import accounts, participants
from hubdash.ui import runtime, signin_pages, tokens

SIGN_IN, SIGN_OUT, JOIN = "/account/login", "/account/logout", "/workshop/join"
AFTER_JOIN = "/"  # the ideas board: a participant's first page


def _lang(request: Request) -> str:
    return i18n.resolve_language(request.headers.get("accept-language", "")[:20] or None)


def _cookie_options(request: Request) -> dict[str, Any]:
    # Secure whenever the browser came over HTTPS (a reverse proxy on this computer says so in X-Forwarded-Proto)
    return {"httponly": True, "samesite": "lax", "secure": request.url.scheme == "https", "path": "/"}


def _from_this_site(request: Request) -> bool:
    headers = request.headers
    return tokens.same_origin(headers.get("origin"), headers.get("referer"), headers.get("host"))


def _refused(request: Request) -> HTMLResponse:
    return HTMLResponse(signin_pages.refused(_lang(request), "guard.cross_site_form"), status_code=403)


def _with_csrf(request: Request, page: Callable[[str], str], status: int = 200) -> HTMLResponse:
    csrf = request.cookies.get(tokens.CSRF_COOKIE) or tokens.new_csrf()
    response = HTMLResponse(page(csrf), status_code=status)
    response.set_cookie(tokens.CSRF_COOKIE, csrf, max_age=3600, **_cookie_options(request))
    return response


def _signed_in(response: Response, request: Request, token: str) -> Response:
    response.set_cookie(tokens.COOKIE, tokens.signed(token), **_cookie_options(request))
    return response


def _current_actor(cookie: str | None) -> bool:
    token = tokens.token_of(cookie)
    if token is None:
        return False
    with db.session_scope(runtime.engine()) as s:
        return accounts.session_actor(session=s, token=token) is not None


async def sign_in_form(request: Request) -> Response:
    """GET: the sign-in form."""
    lang = _lang(request)
    return _with_csrf(request, lambda csrf: signin_pages.sign_in(lang, csrf, action=SIGN_IN))


def _sign_in(login: str, password: str) -> accounts.SignInResult:
    with db.session_scope(runtime.engine()) as s:  # a failed attempt is committed too: it counts
        return accounts.sign_in(session=s, login=login, password=password)


async def sign_in_submit(request: Request) -> Response:
    """POST: check the password; a session cookie and the app, or the form again with what went wrong."""
    form = await request.form()
    if not _from_this_site(request) or not tokens.csrf_matches(
        request.cookies.get(tokens.CSRF_COOKIE), str(form.get(tokens.CSRF_FIELD, ""))
    ):
        return _refused(request)
    login, password = str(form.get("login", ""))[:200], str(form.get("password", ""))[:2000]
    result = await run_in_threadpool(_sign_in, login, password)
    if result.started is not None:
        return _signed_in(RedirectResponse("/", status_code=303), request, result.started.token)
    lang = _lang(request)
    message = i18n.message(result.refusal, lang) if result.refusal else None
    page = partial(signin_pages.sign_in, lang, action=SIGN_IN, error=message, login=login)
    return _with_csrf(request, page, status=423 if result.locked_until else 401)


def _sign_out(token: str) -> None:
    with db.session_scope(runtime.engine()) as s:
        accounts.sign_out(session=s, token=token)


async def sign_out(request: Request) -> Response:
    """POST: end the session (every tab sharing the cookie) and clear the cookie."""
    form = await request.form()
    cookie = request.cookies.get(tokens.COOKIE)
    expected = tokens.signout_csrf(cookie)
    if not _from_this_site(request) or not tokens.csrf_matches(expected, str(form.get(tokens.CSRF_FIELD, ""))):
        return _refused(request)
    token = tokens.token_of(cookie)
    if token is not None:
        await run_in_threadpool(_sign_out, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(tokens.COOKIE, path="/", httponly=True, samesite="lax")
    return response


async def join_form(request: Request) -> Response:
    """GET: the join form (the code from the QR code's link filled in); a browser already in goes on to the board."""
    if await run_in_threadpool(_current_actor, request.cookies.get(tokens.COOKIE)):
        return RedirectResponse(AFTER_JOIN, status_code=303)
    code = participants.normalise_code(request.query_params.get("code", ""))
    page = partial(signin_pages.join, _lang(request), action=JOIN, code=code, values={})
    return _with_csrf(request, page)


def _join(values: dict[str, str]) -> accounts.NewSession:
    sector = values["sector"] if values["sector"] in {s.value for s in Sector} else Sector.OTHER.value
    with db.session_scope(runtime.engine()) as s:
        return participants.join_workshop(
            session=s,
            code=values["code"],
            name=values["name"],
            organisation=values["organisation"],
            sector=Sector(sector),
        )


async def join_submit(request: Request) -> Response:
    """POST: join the workshop of the code as a participant; the session cookie, then the ideas board."""
    form = await request.form()
    if not _from_this_site(request) or not tokens.csrf_matches(
        request.cookies.get(tokens.CSRF_COOKIE), str(form.get(tokens.CSRF_FIELD, ""))
    ):
        return _refused(request)
    values = {k: str(form.get(k, ""))[:200] for k in ("code", "name", "organisation", "sector")}
    try:
        started = await run_in_threadpool(_join, values)
    except UserError as problem:
        lang = _lang(request)
        message = i18n.message(problem, lang)
        page = partial(signin_pages.join, lang, action=JOIN, code=values["code"], error=message, values=values)
        return _with_csrf(request, page, status=400)
    return _signed_in(RedirectResponse(AFTER_JOIN, status_code=303), request, started.token)


def routes(mode: str) -> list[BaseRoute]:
    """The routes of a sign-in mode: none for open mode."""
    if mode == "none":
        return []
    found: list[BaseRoute] = [
        Route(SIGN_OUT, sign_out, methods=["POST"]),
        Route(JOIN, join_form, methods=["GET"]),
        Route(JOIN, join_submit, methods=["POST"]),
    ]
    if mode == "password":
        found += [Route(SIGN_IN, sign_in_form, methods=["GET"]), Route(SIGN_IN, sign_in_submit, methods=["POST"])]
    return found
