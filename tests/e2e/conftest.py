"""A live server in a subprocess and Debian's Chromium driven by Playwright.

The pytest process is never monkey-patched (Playwright's sync API runs on greenlets of its own):
the server runs `serve.py` in a subprocess, in the ASYNC_MODE of the run, on a free port.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from fabrique import local_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PROJECTOR = {"viewport": {"width": 1920, "height": 1080}}
LAPTOP = {"viewport": {"width": 1440, "height": 900}}
SHOTS = Path(os.environ.get("FABRIQUE_SCREENSHOTS", ROOT / "screenshots"))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Start the app as `run.sh` does (minus the install), and stop it after the session."""
    yield from serve(tmp_path_factory)


def serve(tmp_path_factory, **settings):
    """Run `serve.py` with these extra environment variables until the generator is closed; yield its base URL."""
    with local_server.start(tmp_path_factory.mktemp("instance"), settings) as server:
        yield server.base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: ./test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def contexts(browser):
    """Open browser contexts (each its own cookies, like separate devices); close them after."""
    opened = []

    def new(**options):
        context = browser.new_context(locale="fr-FR", **options)
        context.set_default_timeout(10_000)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()


def page_errors(page) -> list[str]:
    """Collect the page's script errors, so a test can assert there were none."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def shoot(page, name: str) -> None:
    """Keep a screenshot of what a person sees (looked at by the team, not asserted)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{os.environ.get('ASYNC_MODE', 'threading')}.png"))
