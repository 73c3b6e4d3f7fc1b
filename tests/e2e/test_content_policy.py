"""The content and permissions policies block nothing the portal itself needs.

The policy allows no inline script or style: a page that still had some (or a library
that injects some) would lose it in the browser, and Chromium reports each refusal on
the console and as a ``securitypolicyviolation`` event. No page may cause one.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from dost.accounts.models import Role, User
from tests.conftest import PASSWORD
from tests.e2e.harness import E2E

pytestmark = E2E

# Recorded by the page itself from its first moment (init scripts are not subject to CSP).
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                              + ` at ${event.sourceFile}:${event.lineNumber}`);
});
"""

_POLICIES = ("Content Security Policy", "Permissions-Policy")


class Watch:
    """Console errors and policy violations of one tab, page after page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(_RECORD_VIOLATIONS)
        page.on("console", self._console)
        # A script broken by a refusal (an eval, a blocked file) throws.
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium words a refusal "... violates the following Content Security Policy
        # directive ..."; a header it cannot read, "Error with Permissions-Policy header".
        if any(policy in message.text for policy in _POLICIES):
            self.problems.append(f"{self.page.url}: console: {message.text}")

    def visit(self, path: str) -> None:
        self.page.goto(path)
        self.collect()

    def collect(self) -> None:
        self.page.wait_for_load_state("load")
        self.problems.extend(f"{self.page.url}: {violation}"
                             for violation in self.page.evaluate("window.__cspViolations"))
        self.page.evaluate("window.__cspViolations = []")

    def assert_clean(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def test_the_watch_sees_an_inline_script_the_policy_blocks(page):
    watch = Watch(page)
    page.goto(reverse("esocial:home"))
    # As if a template still had an inline script: the browser must refuse and say so.
    page.evaluate("""() => { const script = document.createElement("script");
                             script.textContent = "window.ran = true";
                             document.body.append(script); }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    watch.collect()

    assert page.evaluate("window.ran === undefined")
    assert any("script-src" in problem for problem in watch.problems), watch.problems


def test_visitors_pages_raise_no_policy_violation(page):
    watch = Watch(page)
    for name in ("esocial:home", "esocial:service_list", "account_login",
                 "esocial:certificate_verify", "esocial:opendata_index",
                 "esocial:wage_calculator", "esocial:pension_calculator"):
        watch.visit(reverse(name))
    # htmx: the live search swaps results in as one types.
    page.goto(reverse("esocial:home"))
    page.get_by_label("What do you need?").press_sequentially("pensoin", delay=30)
    expect(page.locator("#home-search-results")).to_contain_text("found for")
    watch.collect()
    # A dataset page draws its charts as inline SVG.
    watch.visit(reverse("esocial:opendata_index"))
    watch.visit(page.locator("main h2 a").first.get_attribute("href"))

    watch.assert_clean()


def test_signing_in_and_a_citizens_pages_raise_no_policy_violation(page, citizen):
    watch = Watch(page)
    watch.visit(reverse("account_login"))
    page.get_by_label("FIN or username").fill(citizen.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    watch.collect()
    for name in ("esocial:my_data", "esocial:my_awards", "esocial:access_log",
                 "esocial:application_list", "esocial:certificate_list", "esocial:queue_mine",
                 "esocial:queue_book", "pensions:capital"):
        watch.visit(reverse(name))
    page.goto(reverse("esocial:my_awards"))
    page.locator("details summary").first.click()
    watch.collect()

    watch.assert_clean()


@pytest.fixture
def administrator(db) -> User:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = User.objects.create_user(username="root", password=PASSWORD, role=Role.ADMIN,
                                    is_staff=True, is_superuser=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def test_staff_pages_and_the_back_office_raise_no_policy_violation(page, sign_in, administrator,
                                                                    alice):
    sign_in(page, administrator)
    watch = Watch(page)
    for path in (reverse("registry:citizen_search"), reverse("entitlements:scan_list"),
                 reverse("esocial:staff_applications"), reverse("admin:index"),
                 reverse("admin:registry_person_changelist"),
                 reverse("admin:registry_person_change", args=[alice.person.pk])):
        watch.visit(path)
    # htmx: the citizen search answers as one types.
    page.goto(reverse("registry:citizen_search"))
    page.locator("#id_q").press_sequentially("Alica", delay=30)
    page.wait_for_load_state("networkidle")
    watch.collect()

    watch.assert_clean()


def test_the_api_documentation_still_draws_under_its_own_policy(page):
    watch = Watch(page)
    watch.visit(reverse("api-docs"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(re.compile("DOST API"))
    watch.collect()

    assert not [problem for problem in watch.problems if "script-src" in problem]
