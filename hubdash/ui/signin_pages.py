"""The plain HTML pages served before anyone is signed in: the sign-in form and the workshop join form.

Every value is escaped; the pages load nothing from other hosts.
"""

from __future__ import annotations

from functools import partial
from html import escape

from hubdash import i18n
from hubdash.domain.enums import Sector

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;line-height:1.5}"
    "label{display:block;margin:.8rem 0 .2rem}"
    "input,select{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}"
    "button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem}.error{color:#b00020;font-weight:600}"
)


def _page(lang: str, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · hubdash</title><style>{_STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>"
    )


def _text(lang: str, key: str) -> str:
    return escape(i18n.t(key, lang))


def _error(text: str | None) -> str:
    return f'<p class="error" role="alert">{escape(text)}</p>' if text else ""


def sign_in(lang: str, csrf: str, *, action: str, error: str | None = None, login: str = "") -> str:
    """The sign-in form (user name or e-mail, password)."""
    t = partial(_text, lang)
    body = (
        f"{_error(error)}"
        f'<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<label for="login">{t("accounts.login_name")}</label>'
        f'<input id="login" name="login" autocomplete="username" required autofocus value="{escape(login)}">'
        f'<label for="password">{t("accounts.password")}</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" required>'
        f'<button type="submit">{t("accounts.sign_in")}</button></form>'
    )
    return _page(lang, i18n.t("accounts.sign_in_title", lang), body)


def join(lang: str, csrf: str, *, action: str, code: str = "", error: str | None = None, values: dict[str, str]) -> str:
    """The form a workshop participant fills in on their phone: the code, their name and organisation, a sector."""
    t = partial(_text, lang)
    chosen = values.get("sector", Sector.OTHER.value)
    sectors = "".join(
        f'<option value="{s.value}"{" selected" if s.value == chosen else ""}>{escape(i18n.label(s, lang))}</option>'
        for s in Sector
    )
    body = (
        f"<p>{t('accounts.join_intro')}</p>{_error(error)}"
        f'<form method="post" action="{escape(action)}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<label for="code">{t("accounts.join_code")}</label>'
        f'<input id="code" name="code" required autocomplete="off" value="{escape(code)}">'
        f'<label for="name">{t("accounts.your_name")}</label>'
        f'<input id="name" name="name" required maxlength="80" autocomplete="name" '
        f'value="{escape(values.get("name", ""))}">'
        f'<label for="organisation">{t("accounts.your_organisation")}</label>'
        f'<input id="organisation" name="organisation" required maxlength="120" autocomplete="organization" '
        f'value="{escape(values.get("organisation", ""))}">'
        f'<label for="sector">{t("col.sector")}</label><select id="sector" name="sector">{sectors}</select>'
        f'<button type="submit">{t("accounts.join")}</button></form>'
    )
    return _page(lang, i18n.t("accounts.join_title", lang), body)


def refused(lang: str, key: str) -> str:
    """A short page saying why a form was refused (a request from another site)."""
    return _page(lang, i18n.t("guard.title", lang), f"<p>{escape(i18n.t(key, lang))}</p>")
