"""Japanese and English UI text: flat catalogues in hubdash/locales/<lang>/*.yaml, one file per feature."""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml

from hubdash.domain import errors
from hubdash.domain.enums import I18N_PREFIX
from hubdash.domain.periods import FiscalQuarter

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
LOCALES_DIR = Path(__file__).parent / "locales"
ENV_LANG = "HUBDASH_LANG"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flat key -> text mapping of one language, merged from every file of that language."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        clash = sorted(set(merged) & {str(k) for k in data})
        if clash:
            raise ValueError(f"{path}: keys already defined in another file: {', '.join(clash)}")
        merged.update({str(k): str(v) for k, v in data.items()})
    return merged


def t(key: str, lang: str, /, **values: object) -> str:
    """The text for `key` in `lang`, with {placeholders} filled; a missing key shows itself, not a crash."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def label(member: StrEnum, lang: str) -> str:
    """The display name of an enum member, e.g. Status.ON_TRACK -> 順調."""
    return t(f"{I18N_PREFIX[type(member)]}.{member.value}", lang)


def shown(value: object, lang: str) -> object:
    """A placeholder value as the reader reads it: enum members and periods by name, messages rendered."""
    if isinstance(value, errors.Message):
        return render(value, lang)
    if isinstance(value, StrEnum) and type(value) in I18N_PREFIX:
        return label(value, lang)
    if isinstance(value, FiscalQuarter):
        return value.label(lang)
    if isinstance(value, list | tuple):
        return ", ".join(str(shown(v, lang)) for v in value)
    return value


def render(message: errors.Message, lang: str) -> str:
    """A message (key and values, e.g. of a UserError) in `lang`."""
    return t(message.key, lang, **{k: shown(v, lang) for k, v in message.values.items()})


def message(error: errors.UserError, lang: str) -> str:
    """What a user error says, in `lang`."""
    return render(error.message, lang)


# str() of a user error reads in English: for logs, tracebacks in tests and the command line.
errors.use_renderer(lambda m: render(m, "en"))


def resolve_language(browser_locale: str | None) -> str:
    """HUBDASH_LANG if set, else the browser's language if we have it, else Japanese."""
    forced = os.environ.get(ENV_LANG, "").strip().lower()
    if forced in LANGUAGES:
        return forced
    if browser_locale:
        primary = browser_locale.replace("_", "-").split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return DEFAULT_LANGUAGE
