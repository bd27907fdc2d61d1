"""Reminder e-mails: a person's to-do digest as a plain-text message in their language, and the SMTP server of
HUBDASH_SMTP_URL that sends it (hubdash.cli's `remind`).

HUBDASH_SMTP_URL: ``smtp://host[:port]`` (plain, port 25: a relay on the local network),
``smtp+starttls://user:password@host[:port]`` (port 587, STARTTLS required) or
``smtps://user:password@host[:port]`` (port 465, TLS from the start); ``?from=hubdash@example.jp`` sets the
sender (default ``hubdash@<host>``). Links in the message start with HUBDASH_PUBLIC_URL when it is set.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from hubdash.domain.errors import UserError
from hubdash.fmt import Display
from hubdash.services.reminders import Digest

ENV_SMTP_URL = "HUBDASH_SMTP_URL"
ENV_PUBLIC_URL = "HUBDASH_PUBLIC_URL"
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_S = 30


class MailSettingsError(UserError):
    """HUBDASH_SMTP_URL is missing or not an SMTP URL; the message says what it must look like."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how reminders are sent."""

    scheme: str
    host: str
    port: int
    sender: str
    user: str = ""
    password: str = field(default="", repr=False)


def smtp_settings(url: str | None = None) -> SmtpSettings:
    """The SMTP server named by `url` (default: HUBDASH_SMTP_URL)."""
    raw = (url if url is not None else os.environ.get(ENV_SMTP_URL, "")).strip()
    if not raw:
        raise MailSettingsError("mail.error_no_url", variable=ENV_SMTP_URL)
    parts = urlsplit(raw)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if parts.scheme not in SCHEMES or not parts.hostname or port == -1:
        raise MailSettingsError("mail.error_url", variable=ENV_SMTP_URL, schemes=", ".join(f"{s}://" for s in SCHEMES))
    sender = parse_qs(parts.query).get("from", [""])[0] or f"hubdash@{parts.hostname}"
    return SmtpSettings(
        parts.scheme,
        parts.hostname,
        port or SCHEMES[parts.scheme],
        sender,
        unquote(parts.username or ""),
        unquote(parts.password or ""),
    )


def compose(digest: Digest, *, sender: str, today: date, public_url: str | None = None) -> EmailMessage:
    """One person's digest: greeting, one line per item (with a link to its page), in their language."""
    d = Display(digest.lang)
    base = (public_url if public_url is not None else os.environ.get(ENV_PUBLIC_URL, "")).strip().rstrip("/")
    lines = [d.t("mail.greeting", name=digest.name), "", d.t("mail.intro", count=len(digest.items)), ""]
    for item in digest.items:
        lines.append(f"- {d.message(item.message)}")
        if item.note:
            lines.append(f"  {d.t('mail.comment', comment=' '.join(item.note.split()))}")
        if base:
            lines.append(f"  {base}/{item.page}")
    lines += ["", d.t("mail.footer")]
    message = EmailMessage()
    message["Subject"] = d.t("mail.subject", count=len(digest.items), day=today.isoformat())
    message["From"] = sender
    message["To"] = formataddr((digest.name, digest.email or ""))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to reminders
    message.set_content("\n".join(lines) + "\n")
    return message


@contextmanager
def smtp_connection(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """An open, signed-in connection to the SMTP server, closed afterwards."""
    context = ssl.create_default_context()
    server: smtplib.SMTP
    try:
        if settings.scheme == "smtps":
            server = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    except OSError as exc:
        raise MailSettingsError(
            "mail.error_connect", host=f"{settings.host}:{settings.port}", reason=str(exc)
        ) from None
    try:
        try:
            if settings.scheme == "smtp+starttls":
                server.starttls(context=context)
            if settings.user:
                server.login(settings.user, settings.password)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSettingsError(
                "mail.error_connect", host=f"{settings.host}:{settings.port}", reason=str(exc)
            ) from None
        yield server
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()
