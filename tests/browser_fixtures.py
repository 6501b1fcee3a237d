"""Real-browser fixtures, in Debian's chromium through Playwright, for the whole suite.

Registered once from tests/conftest.py (``pytest_plugins``), so a browser walk in any
app's folder asks for ``browser`` or ``page`` by name and sits next to that app's own
fixtures. A test that uses ``browser`` (``page`` does) is marked ``browser`` here, so
``-m "not browser"`` leaves out every one of them, and each is skipped, with the reason
printed, where chromium is absent (CI installs it). Never a downloaded browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium"))
_NO_CHROMIUM = pytest.mark.skip(
    reason=f"浏览器测试已跳过：未找到 {CHROMIUM}（apt install chromium）")


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives the browser; skip them all without chromium."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("browser") and not CHROMIUM.exists():
            item.add_marker(_NO_CHROMIUM)


@pytest.fixture
def browser():
    """Launch a headless chromium for one test."""
    # Playwright's sync API keeps an event loop running in this thread, and Django then
    # refuses the test's own (synchronous) ORM calls as if they came from async code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """Open a Chinese-locale page that collects console errors in ``console_errors``."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.console_errors = []
    page.on("console",
            lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def log_in(pg, url: str, username: str, password: str) -> None:
    """Log ``username`` in on the login page, forgetting whoever was logged in."""
    pg.context.clear_cookies()
    pg.goto(f"{url}/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password)
    pg.click("button[type=submit]")
    pg.wait_for_selector("h1")
