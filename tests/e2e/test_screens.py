"""The three screens as the room uses them: axe-core (WCAG 2.1 A/AA) on every screen in every
phase, in French and in English; a phone at 320 px never scrolls sideways; the projector's text
and QR code stay large; the keyboard (and a presenter remote) drive everything with the focus kept;
dots follow merges on both devices of a participant."""

from __future__ import annotations

import json
import re
import uuid

import pytest
import socketio
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, PROJECTOR, page_errors, shoot

pytestmark = pytest.mark.e2e

NARROW = {**PHONE, "viewport": {"width": 320, "height": 640}}
QR_MIN_PX = 320          # the projector's join QR code, at 1920×1080 (README « Écran »)
TEXT_MIN_PX = 28         # the projector's smallest text, at 1920×1080 (1.75rem, rounding aside)


def axe_violations(page) -> list[str]:
    """Run axe-core on the page; return the WCAG 2.1 A/AA violations, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # From the site itself: the pages' CSP allows scripts from this origin only.
        page.add_script_tag(url=page.evaluate("location.origin") + "/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        rules: {'label-content-name-mismatch': {enabled: true}}})""")
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]


def small_projector_text(page) -> list[str]:
    """Return the visible projector texts drawn smaller than TEXT_MIN_PX."""
    return page.evaluate("""(min) => {
        const out = [];
        const walker = document.createTreeWalker(document.querySelector('#app'), NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement;
            if (!node.textContent.trim() || !el || el.closest('.visually-hidden')) continue;
            const box = el.getBoundingClientRect();
            if (!box.width || !box.height || getComputedStyle(el).visibility === 'hidden') continue;
            if (parseFloat(getComputedStyle(el).fontSize) < min - 0.5) out.push(node.textContent.trim().slice(0, 40));
        }
        return out;
    }""", TEXT_MIN_PX)


def qr_size(page) -> float:
    return page.evaluate("""() => Math.max(0, ...Array.from(document.querySelectorAll("img[src*='/qr/']"))
        .map(img => Math.min(img.getBoundingClientRect().width, img.getBoundingClientRect().height)))""")


def sideways(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def create(contexts, live_server, name: str = "Atelier : « mobilités » ?"):
    """Create an atelier through the home page's form; return the console and its boot state."""
    page = contexts(**LAPTOP).new_page()
    page.goto(live_server + "/")
    page.get_by_label("Nom de l'atelier").fill(name)
    page.get_by_role("button", name="Créer l'atelier").click()
    expect(page).to_have_url(re.compile(r"/facilitate/"))
    return page, json.loads(page.locator("#boot").text_content())["state"]


def join(contexts, url, pseudonym, **options):
    phone = contexts(**{**PHONE, **options}).new_page()
    phone.goto(url)
    phone.locator("#pseudonym").fill(pseudonym)
    phone.get_by_role("button", name="Entrer dans l'atelier").click()
    expect(phone.locator("#connection")).to_have_class(re.compile("is-online"))
    return phone


def english(contexts, options):
    """A browser context of its own: its pages switch to English through the language link's URL."""
    return contexts(**options)


def test_every_screen_in_every_phase_passes_axe_in_french_and_english(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    errors = page_errors(facilitator)
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(live_server + state["links"]["screen"])
    phone = join(contexts, state["links"]["join"], "Ana", viewport={"width": 320, "height": 640})
    # English: a phone that switches after joining, a projector and a console in English.
    phone_en = join(contexts, state["links"]["join"], "Bea")
    phone_en.get_by_role("link", name="English").click()
    expect(phone_en.locator("#connection")).to_have_text("Connected")
    en = english(contexts, PROJECTOR).new_page()
    en.goto(live_server + "/langue/en?next=" + state["links"]["screen"])
    console_en = english(contexts, LAPTOP).new_page()
    console_en.goto(live_server + "/langue/en?next=" + facilitator.url.replace(live_server, ""))
    for page in (projector, phone, phone_en, en, console_en):
        errors += page_errors(page)

    titles = [p["title"] for p in state["stage"]["phases"]]
    problems = []
    for index, title in enumerate(titles):
        if index:
            facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()
            expect(phone.locator("#phase-title")).to_have_text(title)
            expect(projector.locator("h1")).to_have_text(title)
        expect(phone_en.locator(".phase-count")).to_contain_text(f"{index + 1} ")
        if index == 5:  # a piste on the wall, long enough to wrap
            phone.get_by_label("Ma piste de projet").fill("Des navettes électriques entre les villages et les gares, toutes les quinze minutes")
            phone.get_by_role("button", name="Proposer cette piste").click()
            expect(phone.locator("#phase-body .notice-ok")).to_be_visible()
        for name, page in (("phone", phone), ("phone-en", phone_en), ("projector", projector), ("projector-en", en),
                           ("console", facilitator), ("console-en", console_en)):
            problems += [f"{title} / {name}: {v}" for v in axe_violations(page)]
        if sideways(phone) > 0:
            problems.append(f"{title} / phone 320 px: {sideways(phone)} px sideways")
        small = small_projector_text(projector)
        if small:
            problems.append(f"{title} / projector text under {TEXT_MIN_PX} px: {small[:5]}")
        if qr_size(projector) < QR_MIN_PX:
            problems.append(f"{title} / projector QR {qr_size(projector)} px")
        if index in (0, 3, 6, 8):
            shoot(phone, f"screens-{index}-phone320")
            shoot(projector, f"screens-{index}-projector")
    assert not problems, "\n".join(problems)
    assert [e for e in errors if "favicon" not in e] == []


def remote(facilitator, key):
    """Press a presenter remote's key once the console is ready for it (not waiting for an answer)."""
    for button in ("phase-next", "phase-prev"):
        expect(facilitator.locator(f"[data-key={button}]")).not_to_have_class(re.compile("is-busy"))
    facilitator.keyboard.press(key)


def test_keyboard_only_a_participant_and_a_facilitator_with_a_remote(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    phone = contexts(**PHONE).new_page()
    phone.goto(state["links"]["join"])
    phone.keyboard.press("Tab")
    for _ in range(12):
        if phone.evaluate("document.activeElement.id") == "pseudonym":
            break
        phone.keyboard.press("Tab")
    phone.keyboard.type("Kim")
    phone.keyboard.press("Enter")
    expect(phone.locator("#connection")).to_have_class(re.compile("is-online"))

    # The remote: PageDown three times to the valeurs; the focus is on a control, never lost.
    facilitator.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(3):
        current = phone.locator("#phase-title").text_content()
        remote(facilitator, "PageDown")
        expect(phone.locator("#phase-title")).not_to_have_text(current)
    assert facilitator.evaluate("document.activeElement !== document.body")
    remote(facilitator, "PageUp")
    expect(phone.locator("#phase-title")).to_have_text(state["stage"]["phases"][2]["title"])
    remote(facilitator, "ArrowRight")
    expect(phone.locator("#phase-title")).to_have_text(state["stage"]["phases"][3]["title"])
    remote(facilitator, "b")
    expect(facilitator.locator(".fc-timer")).to_have_class(re.compile("is-running"))

    # Values by keyboard: the focus stays on « + » and the points save themselves.
    phone.locator("#plus-innovation").focus()
    for _ in range(2):
        phone.keyboard.press("Enter")
        assert phone.evaluate("document.activeElement.id") == "plus-innovation"
    expect(phone.locator("#counter")).to_contain_text("2 points répartis sur")
    expect(phone.locator("#counter")).not_to_contain_text("non enregistré")
    phone.locator("#word-innovation").focus()
    phone.keyboard.type("audace")
    phone.keyboard.press("Enter")
    expect(phone.locator("[data-key=value-innovation]")).to_contain_text("audace")
    assert phone.evaluate("document.activeElement.id") == "word-innovation"

    # A piste by keyboard: the focus stays in the form.
    for title in state["stage"]["phases"][4:6]:
        remote(facilitator, "PageDown")
        expect(phone.locator("#phase-title")).to_have_text(title["title"])
    phone.locator("#piste-text").focus()
    phone.keyboard.type("Un marché de producteurs sur chaque place de village")
    phone.keyboard.press("Tab")
    for _ in range(20):
        if phone.evaluate("document.activeElement.id") == "piste-submit":
            break
        phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.locator("#my-pistes, [data-key=my-pistes]")).to_contain_text("Un marché de producteurs")
    assert phone.evaluate("document.activeElement.id") == "piste-submit"


def facilitator_socket(live_server, token):
    client = socketio.Client()
    client.connect(live_server, auth={"role": "facilitate", "token": token}, transports=["websocket"], wait_timeout=10)
    return client


def test_dots_follow_a_merge_on_both_devices_of_a_participant(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    token = facilitator.url.rsplit("/", 1)[-1]
    titles = [p["title"] for p in state["stage"]["phases"]]
    facilitator.get_by_role("button", name=re.compile(titles[5])).click()
    ana = join(contexts, state["links"]["join"], "Ana")
    for text in ("Rouvrir la ligne de tram vers le nord", "Rouvrir les anciennes lignes de tram"):
        ana.get_by_label("Ma piste de projet").fill(text)
        ana.get_by_role("button", name="Proposer cette piste").click()
        expect(ana.locator("[data-key=my-pistes]")).to_contain_text(text)
    facilitator.get_by_role("button", name=titles[6], exact=True).click()
    expect(ana.locator("#phase-title")).to_have_text(titles[6])
    # Ana's second device, through her rejoin code.
    rejoin = ana.evaluate("JSON.parse(document.getElementById('boot').textContent).state.me.rejoin_code")
    other = contexts(**PHONE).new_page()
    other.goto(state["links"]["join"])
    other.locator("#rejoin_code").fill(rejoin)
    other.locator("#rejoin_code").press("Enter")
    expect(other.locator("#phase-title")).to_have_text(titles[6])

    for text in ("Rouvrir la ligne de tram vers le nord", "Rouvrir les anciennes lignes de tram"):
        ana.locator("li.piste", has_text=text).get_by_role("button", name=re.compile("Placer une gommette")).click()
        expect(ana.locator("li.piste", has_text=text).locator(".notice-ok")).to_be_visible()
    dots = ana.evaluate("JSON.parse(document.getElementById('boot').textContent).state.stage.settings.dots")
    for page in (ana, other):  # the second device shows the true state without a tap
        expect(page.locator("#counter")).to_have_text(re.compile(f"Il vous reste {dots - 2} gommettes? sur {dots}"))

    kept = "Rouvrir la ligne de tram vers le nord"
    kept_id = ana.locator("li.piste", has_text=kept).get_by_role("button").get_attribute("id")[4:]
    dup_id = ana.locator("li.piste", has_text="Rouvrir les anciennes lignes de tram").get_by_role("button").get_attribute("id")[4:]
    client = facilitator_socket(live_server, token)
    try:
        answer = client.call("piste_merge", {"op_id": str(uuid.uuid4()), "piste_id": int(dup_id), "into_id": int(kept_id)}, timeout=10)
    finally:
        client.disconnect()
    assert answer["ok"], answer
    for page in (ana, other):
        # One dot stands on the kept piste; the one on the duplicate is given back.
        expect(page.locator("li.piste")).to_have_count(1)
        expect(page.locator("li.piste", has_text=kept).get_by_role("button")).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#counter")).to_have_text(re.compile(f"Il vous reste {dots - 1} gommettes? sur {dots}"))
    # The freed dot can be placed again… and taken back from the kept piste, on either device.
    other.locator("li.piste", has_text=kept).get_by_role("button").click()
    for page in (ana, other):
        expect(page.locator("#counter")).to_have_text(re.compile(f"Il vous reste {dots} gommettes? sur {dots}"))


def test_both_devices_of_a_participant_keep_the_same_list_of_pistes_from_changes(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    titles = [p["title"] for p in state["stage"]["phases"]]
    facilitator.get_by_role("button", name=re.compile(titles[5])).click()
    ana = join(contexts, state["links"]["join"], "Ana")
    errors = page_errors(ana)
    expect(ana.locator("#phase-title")).to_have_text(titles[5])
    rejoin = ana.evaluate("JSON.parse(document.getElementById('boot').textContent).state.me.rejoin_code")
    other = contexts(**PHONE).new_page()
    errors += page_errors(other)
    other.goto(state["links"]["join"])
    other.locator("#rejoin_code").fill(rejoin)
    other.locator("#rejoin_code").press("Enter")
    expect(other.locator("#phase-title")).to_have_text(titles[5])

    texts = ["Des navettes vers les zones d'activités", "Un marché de producteurs le samedi", "Des bancs à l'ombre sur le cours"]
    for text in texts:
        ana.get_by_label("Ma piste de projet").fill(text)
        ana.get_by_role("button", name="Proposer cette piste").click()
        expect(ana.locator("[data-key=my-pistes]")).to_contain_text(text)
    # Each answer and each event carried one piste; both devices hold all three, in order.
    for page in (ana, other):
        expect(page.locator("[data-key=my-pistes] h2")).to_have_text("Mes pistes de projet (3)")
        expect(page.locator("[data-key=my-pistes] li")).to_have_count(3)
        for item, text in zip(page.locator("[data-key=my-pistes] li").all(), texts):
            expect(item).to_contain_text(text)

    # Edited on the second device, withdrawn on the first: each sees the other's change.
    other.locator("[data-key=my-pistes] li", has_text=texts[1]).get_by_role("button", name="Modifier").click()
    other.get_by_label("Ma piste de projet").fill("Un marché de producteurs le dimanche")
    other.locator("#piste-submit").click()
    ana.once("dialog", lambda dialog: dialog.accept())
    ana.locator("[data-key=my-pistes] li", has_text=texts[0]).get_by_role("button", name="Retirer").click()
    for page in (ana, other):
        expect(page.locator("[data-key=my-pistes] h2")).to_have_text("Mes pistes de projet (2)")
        expect(page.locator("[data-key=my-pistes] li").nth(0)).to_contain_text("Un marché de producteurs le dimanche")
        expect(page.locator("[data-key=my-pistes] li").nth(1)).to_contain_text(texts[2])
    assert errors == []
