"""On a network closed to the internet: every page renders completely and no request leaves for another host."""

from __future__ import annotations

from urllib.parse import urlparse

from .conftest import assert_no_exception, wait_for_app
from .test_pages import _nav_links


def test_no_page_asks_any_host_but_the_apps_own(app_server, new_page) -> None:
    page = new_page(locale="ja-JP")
    own = urlparse(app_server.url).netloc
    outside: list[str] = []

    def route(request_route) -> None:  # type: ignore[no-untyped-def]
        url = request_route.request.url
        if urlparse(url).scheme in ("http", "https", "ws", "wss") and urlparse(url).netloc != own:
            outside.append(url)
            request_route.abort()  # as on a closed network
        else:
            request_route.continue_()

    page.route("**/*", route)
    page.on("websocket", lambda ws: outside.append(ws.url) if urlparse(ws.url).netloc != own else None)
    page.goto(app_server.url)
    wait_for_app(page)
    links = _nav_links(page)
    assert len(links) >= 10, links
    for url, label in links:
        page.goto(url)
        wait_for_app(page)
        assert_no_exception(page, f"{label} {url}")
        assert page.locator("h1:visible").count() >= 1, f"{label}: the page did not render its title"
        page.wait_for_timeout(500)  # fonts and icons load after the script has run
    assert outside == [], f"requests to other hosts: {sorted(set(outside))}"
