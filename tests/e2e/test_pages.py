"""Every page of the sidebar navigation opens in a real browser, in Japanese and in English."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import pytest

from .conftest import assert_no_exception, wait_for_app

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")  # kana + CJK unified ideographs
KANA = re.compile(r"[\u3040-\u30ff]")
LOCALES = {"ja": "ja-JP", "en": "en-US"}
MIN_PAGES = 5

# st.navigation's own sidebar menu; or, with st.navigation(position="hidden"), st.page_link()s
# in the sidebar (the app may build its menu either way).
NAV_LINKS = "[data-testid='stSidebarNav'] a"
SIDEBAR_PAGE_LINKS = "[data-testid='stSidebar'] a[data-testid='stPageLink-NavLink']"
NAV_VIEW_MORE = "[data-testid='stSidebarNavViewButton']"


def _visible_h1_text(page) -> str:
    h1 = page.locator("h1:visible")
    if h1.count() == 0:
        raise AssertionError(f"no visible <h1> (page title) on {page.url}")
    return h1.first.inner_text()


def _main_text(page) -> str:
    main = page.locator("[data-testid='stMain']")
    return (main.first if main.count() else page.locator("body")).inner_text()


def _nav_links(page) -> list[tuple[str, str]]:
    """(absolute href, label) of every sidebar navigation link, expanding "View N more"."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # lazy: see conftest

    more = page.locator(NAV_VIEW_MORE)
    if more.count() and "more" in more.first.inner_text().lower():
        more.first.click()
        page.wait_for_timeout(300)
    either = page.locator(f"{NAV_LINKS}, {SIDEBAR_PAGE_LINKS}")
    try:
        either.first.wait_for(state="attached", timeout=10_000)
    except PlaywrightTimeoutError:
        return []
    selector = NAV_LINKS if page.locator(NAV_LINKS).count() else SIDEBAR_PAGE_LINKS
    links = page.locator(selector).evaluate_all(
        "els => els.map(e => [e.getAttribute('href') || '', (e.innerText || '').trim()])"
    )
    seen: set[str] = set()
    result = []
    for href, label in links:
        url = urljoin(page.url, href)
        if url not in seen:
            seen.add(url)
            result.append((url, label))
    return result


def _slug(url: str) -> str:
    path = urlparse(url).path.strip("/") or "root"
    return re.sub(r"[^A-Za-z0-9_-]+", "_", path)[:60]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_renders(lang, request, start_app, new_page, tmp_path):
    # ja reuses the shared `app_server`; other languages get their own server from the factory
    server = request.getfixturevalue("app_server") if lang == "ja" else start_app(lang=lang)
    page = new_page(locale=LOCALES[lang])
    console_errors: list[str] = []
    page.on("pageerror", lambda exc: console_errors.append(str(exc)))

    # ---- root page -------------------------------------------------------------------------
    page.goto(server.url)
    wait_for_app(page)
    page.screenshot(path=str(tmp_path / f"{lang}-00-root.png"), full_page=True)
    assert_no_exception(page, f"(lang={lang}, root)\n{server.describe()}")
    _visible_h1_text(page)

    nav = _nav_links(page)
    labels = [label for _, label in nav]
    assert len(nav) >= MIN_PAGES, (
        f"expected at least {MIN_PAGES} pages in the sidebar navigation "
        f"({NAV_LINKS} or {SIDEBAR_PAGE_LINKS}), "
        f"found {len(nav)}: {nav}\n{server.describe()}"
    )
    problems: list[str] = []
    if lang == "en":
        kana_labels = [label for label in labels if KANA.search(label)]
        if kana_labels:
            problems.append(f"navigation labels with Japanese kana in English mode: {kana_labels}")

    # ---- every page by URL -----------------------------------------------------------------
    for i, (url, label) in enumerate(nav, start=1):
        shot = tmp_path / f"{lang}-{i:02d}-{_slug(url)}.png"
        try:
            page.goto(url)
            wait_for_app(page)
            assert_no_exception(page, f"(lang={lang}, nav label {label!r})")
            h1 = _visible_h1_text(page)
            if lang == "ja":
                text = _main_text(page)
                assert JAPANESE.search(text), f"no Japanese character in the page text: {text[:300]!r}"
            else:
                assert not KANA.search(h1), f"h1 contains Japanese kana in English mode: {h1!r}"
        except Exception as exc:  # noqa: BLE001 - collect every page's problem, then fail once
            problems.append(f"[{label!r} {url}] {type(exc).__name__}: {exc}")
        finally:
            try:
                page.screenshot(path=str(shot), full_page=True)
            except Exception:  # noqa: BLE001
                pass

    if console_errors:
        problems.append(f"uncaught JavaScript errors: {console_errors}")
    assert not problems, (
        f"{len(problems)} problem(s) over {len(nav)} pages (lang={lang}); screenshots in {tmp_path}\n"
        + "\n".join(problems)
        + f"\n{server.describe()}"
    )
