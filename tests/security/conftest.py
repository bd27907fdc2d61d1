"""The browser fixtures of tests/e2e, for the security tests that need a real Chromium."""

from tests.e2e.conftest import browser, new_page

__all__ = ["browser", "new_page"]
