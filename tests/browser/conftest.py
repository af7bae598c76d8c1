"""Browser fixtures: the app served on loopback, and Debian's Chromium at a phone viewport."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def live_server(app):
    """Serve the test app in a thread, with CSRF on, as a real deployment would."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def base_url(live_server, app):
    app.config["WTF_CSRF_ENABLED"] = True
    app.config["PUBLIC_BASE_URL"] = live_server
    yield live_server
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["PUBLIC_BASE_URL"] = "http://localhost"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


class Person:
    """One role in its own browser context, checking every page it lands on with axe."""

    def __init__(self, browser, base_url: str, name: str, checked: dict):
        self.name = name
        self.base_url = base_url
        self.context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            device_scale_factor=2,
            locale="nl-NL",
            base_url=base_url,
        )
        # Injected through the DevTools protocol, so the page's CSP stays fully in force.
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.checked = checked
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("response", self._on_response)

    def _on_console(self, message):
        # A page answered 404 or 422 on purpose is logged as a failed load: judged in _on_response.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console error: {message.text}")

    def _on_response(self, response):
        """Documents may answer 4xx on purpose (tests check the page); their resources may not."""
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def goto(self, path: str):
        self.page.goto(path)
        self.check()

    def check(self):
        """Run axe on the current page (WCAG 2.1 A and AA) and check that it fits the screen's
        width; remember any problem."""
        self.page.wait_for_load_state("load")
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        path = self.page.url.replace(self.base_url, "")
        self.checked[path] = len(result["violations"])
        for violation in result["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:3]
            self.problems.append(f"axe {violation['id']} on {path}: {violation['help']} {targets}")
        # Nothing may widen the page beyond the phone's screen (a wide table scrolls in its own
        # box). Measured against the screen, not window.innerWidth: a mobile browser widens its
        # layout viewport to fit a page that sticks out.
        wide = self.page.evaluate("document.documentElement.scrollWidth")
        screen = self.page.viewport_size["width"]
        if wide > screen:
            self.problems.append(f"{path} is {wide} px wide on a {screen} px screen")

    def check_narrow(self, width: int = 320):
        """``check`` the current page on the narrowest phones too, then go back to ``PHONE``."""
        self.page.set_viewport_size({"width": width, "height": PHONE["height"]})
        try:
            self.check()
        finally:
            self.page.set_viewport_size(PHONE)

    def click(self, *args, **kwargs):
        """Click something that navigates, then check the new page."""
        with self.page.expect_navigation():
            self.page.get_by_role(*args, **kwargs).click()
        self.check()

    def close(self):
        self.context.close()


@pytest.fixture
def people(browser, base_url):
    made: list[Person] = []
    checked: dict[str, int] = {}

    def person(name: str) -> Person:
        made.append(Person(browser, base_url, name, checked))
        return made[-1]

    person.checked = checked
    yield person
    problems = [f"{p.name}: {problem}" for p in made for problem in p.problems]
    for p in made:
        p.close()
    assert problems == [], "\n".join(problems)
