"""The Content-Security-Policy holds in a real browser: no page breaks a rule of its own policy.

Chromium reports each blocked script, style or image as a
``securitypolicyviolation`` event and a console error; a listener installed
before any page script runs collects the events while each page loads and is used.
"""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from scholarfolio.web.security import CONTENT_SECURITY_POLICY

JOHNSON = "/authors/peter-r-johnson-7a9b93ea"
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__ran = true";
  document.body.appendChild(script);
}"""


def test_no_page_breaks_the_content_security_policy(page: Page) -> None:
    console: list[str] = []

    def note(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    page.on("console", note)
    page.add_init_script(LISTEN)
    for path in (JOHNSON, "/", "/search?q=johnson", "/api/docs", "/no/such/page"):
        response = page.goto(path)
        assert response is not None
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        # Use the page as a person would: open every disclosure (abstracts, author lists).
        for summary in page.locator("details > summary").all()[:20]:
            if summary.is_visible():
                summary.click()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
        # The stylesheet was applied: the page is styled, not bare.
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px", path
    assert console == []
    page.goto(JOHNSON)
    page.locator("a[href^='/works/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert console == []
    # And the policy is enforced: an inline script put in by anything is blocked and reported.
    page.evaluate(INJECT)
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations") == ["script-src-elem inline"]
    assert page.evaluate("window.__ran") is None
