"""The console as a facilitator sees it on a laptop: only the current phase's panels open (the others
folded, a click away), usable at 200 % zoom (no sideways scroll, a header that leaves the page
room), whole words in the phase stepper."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, page_errors, shoot
from tests.e2e.test_screens import create, sideways

pytestmark = pytest.mark.e2e

ZOOM_200 = {"viewport": {"width": 720, "height": 450}, "device_scale_factor": 2}  # 1440×900 at 200 %
HEADER_MAX = 0.27   # share of the height the top bar may cover once the page is scrolled


def header_share(page) -> float:
    """Return the share of the viewport's height the top bar covers once the page is scrolled down."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    return page.evaluate("""() => {
        const box = document.querySelector('.fc-bar').getBoundingClientRect();
        return Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0)) / innerHeight;
    }""")


def broken_words(page) -> list[str]:
    """Return the words of the step labels drawn over more than one line."""
    return page.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('.fc-step-title')) {
            const text = el.firstChild;
            const re = /\\S+/g;
            let m;
            while (text && (m = re.exec(text.textContent))) {
                const range = document.createRange();
                range.setStart(text, m.index);
                range.setEnd(text, m.index + m[0].length);
                if (new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1) out.push(m[0]);
            }
        }
        return out;
    }""")


def holds_at_1440_and_200_percent(laptop, zoomed, phase):
    """Assert whole words in the steps at 1440 px, no sideways scroll and a small header at both sizes."""
    assert broken_words(laptop) == []
    for page, name in ((laptop, "1440"), (zoomed, "zoom200")):
        assert sideways(page) <= 0, f"{name}: {sideways(page)} px sideways"
        assert header_share(page) <= HEADER_MAX, f"{name}: the top bar covers {header_share(page):.0%} of the height"
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, f"console-{name}-{phase}")


def panel(page, name):
    return page.locator("details.fc-panel").filter(has=page.get_by_role("heading", name=name, exact=True))


def test_console_opens_what_the_phase_needs_and_holds_at_200_percent_zoom(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    errors = page_errors(facilitator)
    zoomed = contexts(**ZOOM_200).new_page()
    zoomed.goto(facilitator.url)
    kinds = [p["kind"] for p in state["stage"]["phases"]]
    pistes, reves = panel(facilitator, "Modération des pistes de projet"), panel(facilitator, "Modération des rêves")
    follow, board = panel(facilitator, "Synthèse et suites"), facilitator.locator("#fc-conv")

    # Phase 1: nothing to moderate yet, no board, no synthesis: all folded, their titles in view.
    for folded in (pistes, reves, follow, board):
        expect(folded).not_to_have_attribute("open", "")
        expect(folded.locator("summary")).to_be_visible()
    expect(facilitator.get_by_label("Filtrer")).to_be_hidden()
    # Unfolded on demand, with the keyboard; it stays as chosen while the phase lasts.
    facilitator.get_by_role("heading", name="Modération des pistes de projet").click()
    expect(facilitator.get_by_label("Filtrer")).to_be_visible()
    facilitator.locator("#fc-moderation > summary").press("Enter")
    expect(facilitator.get_by_label("Filtrer")).to_be_hidden()
    holds_at_1440_and_200_percent(facilitator, zoomed, "accueil")

    def goto(kind):
        while facilitator.locator(".fc-step.is-current .fc-step-num").text_content() != str(kinds.index(kind) + 1):
            facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()
            expect(facilitator.locator("[data-key=phase-next]")).not_to_have_class(re.compile("is-busy"))

    goto("reves")
    expect(reves).to_have_attribute("open", "")
    expect(pistes).not_to_have_attribute("open", "")
    goto("pistes")
    expect(pistes).to_have_attribute("open", "")
    expect(reves).not_to_have_attribute("open", "")
    expect(board).not_to_have_attribute("open", "")
    goto("convergence")
    for opened in (pistes, board, follow):
        expect(opened).to_have_attribute("open", "")
    zoomed.reload()
    expect(zoomed.locator("#fc-conv")).to_have_attribute("open", "")
    holds_at_1440_and_200_percent(facilitator, zoomed, "convergence")

    # A download says it is being prepared, then arrives as a file.
    facilitator.evaluate("""() => {
        window.exportStatuses = [];
        const status = document.querySelector('.fc-export-status');
        new MutationObserver(() => window.exportStatuses.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    with facilitator.expect_download() as download:
        facilitator.get_by_role("link", name="Word (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    expect(facilitator.get_by_role("status").filter(has_text="Fichier prêt")).to_contain_text(".docx")
    assert facilitator.evaluate("window.exportStatuses")[0] == "Préparation du fichier Word (DOCX)…"
    expect(facilitator.get_by_role("link", name="Word (DOCX)")).not_to_have_attribute("aria-busy", "true")
    follow.scroll_into_view_if_needed()
    shoot(facilitator, "console-1440-exports")
    assert errors == []
