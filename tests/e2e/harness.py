"""What every browser test shares: marks, URL look-ups and the page checks.

The page checks are the portal's acceptance bar: axe-core finds no WCAG 2.1 A/AA
violation, and on a phone-sized screen nothing scrolls sideways.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str | None:
    """Debian's Chromium (or the one CHROMIUM_PATH names), if this machine has it."""
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    if Path(candidate).is_file() and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


# Every module of tests/e2e starts with `pytestmark = E2E`. The live server sees only
# committed rows, so the tests are transactional; the reference data the migrations
# load is put back before each test.
E2E = [
    pytest.mark.e2e,
    pytest.mark.skipif(chromium_path() is None,
                       reason="Chromium not found at /usr/bin/chromium (set CHROMIUM_PATH; "
                              "on Debian: apt-get install chromium)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

_axe = Axe()


def url_or_skip(name: str, *args: object) -> str:
    """The path of a named URL, or skip the test while that part of the portal is not built."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        pytest.skip(f"{name} is not routed yet")


# A click may start a navigation after the check that preceded it already passed (the
# same text is on both pages): axe then loses its page half-way and runs again once the
# new one has loaded.
_NAVIGATED = "Execution context was destroyed"
_AXE_ATTEMPTS = 3


def _axe_violations(page: Page) -> dict:
    for attempt in range(1, _AXE_ATTEMPTS + 1):
        page.wait_for_load_state("load")
        try:
            return _axe.run(page, options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            }).response
        except PlaywrightError as error:
            if _NAVIGATED not in str(error) or attempt == _AXE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page once it has loaded; fail listing every WCAG 2.1 A/AA
    violation."""
    results = _axe_violations(page)
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(f"    {' '.join(map(str, node['target']))}: {node['html'][:160]}"
                    for node in violation["nodes"])
        for violation in results["violations"]
    ]
    assert not problems, f"axe on {page.url}:\n" + "\n".join(problems)


def assert_fits_width(page: Page) -> None:
    """Nothing on the page makes the window scroll sideways."""
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll_width <= inner_width, (
        f"{page.url} is {scroll_width} px wide in a {inner_width} px window")


def assert_page_ok(page: Page) -> None:
    """The checks every portal page must pass, on whatever screen the page has."""
    assert_accessible(page)
    assert_fits_width(page)
