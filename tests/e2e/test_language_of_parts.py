"""Language of parts (RGAA 8.7, WCAG 3.1.2): on an English phone, projector and console, every text
of the French template (themes, paradoxes, values, horizons, hashtags, personas, phase titles and
instructions, the method words put into English sentences) sits in an element whose closest [lang] is "fr", the interface around it stays
English, and what participants type is left unmarked; the same screens in French carry no lang
attribute inside. French typography follows the text's language, not the page's."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE, PROJECTOR, shoot
from tests.e2e.test_screens import create, join

pytestmark = pytest.mark.e2e

PISTE = "Des navettes électriques entre les villages et les gares : toutes les quinze minutes ?"

# For each text node of the page that shows a template text (compared without any white space, so
# that the typography's no-break spaces do not matter), the language of its closest [lang].
MARKS = """(texts) => {
    const squeeze = (s) => s.replace(/[\\s\\u00a0\\u202f]+/g, "");
    const wanted = texts.map(squeeze).filter((s) => s.length >= 3);
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || el.closest("script, nav.lang, textarea, option")) continue;
        const text = squeeze(node.textContent);
        if (!text) continue;
        const hit = wanted.find((w) => text === w || (w.length >= 12 && text.includes(w)));
        if (!hit) continue;
        const holder = el.closest("[lang]");
        found.push({text: node.textContent.trim().slice(0, 50), lang: holder === document.documentElement ? "page" : holder.lang});
    }
    return found;
}"""

# Elements carrying a lang attribute inside the body, the language links aside.
INNER_LANGS = """() => Array.from(document.querySelectorAll("body [lang]"))
    .filter((el) => !el.closest("nav.lang")).map((el) => el.outerHTML.slice(0, 80))"""

# The closest [lang] of every button's label (the interface): "page" when it is the <html>.
BUTTON_LANGS = """() => Array.from(document.querySelectorAll("button")).filter((b) => b.textContent.trim() && b.offsetParent)
    .map((b) => ({text: b.textContent.trim().slice(0, 40), lang: b.closest("[lang]") === document.documentElement ? "page" : b.closest("[lang]").lang}))"""


def template_texts(template: dict) -> list[str]:
    """Return every text of the template that a screen may show."""
    texts = [template["title"]]
    for theme in template["themes"]:
        texts += [theme["title"], theme.get("subtitle") or "", theme.get("defi") or "", *theme["questions"],
                  *(o["title"] for o in theme["objectives"])]
    for value in template["values"]:
        texts += [value["label"], " · ".join(value["ideas"])]
    for paradox in template["paradoxes"]:
        texts += [paradox["title"], paradox["atout"], paradox["defi"], *paradox["figures"]]
    texts += [h["label"] for h in template["horizons"]] + ["#" + tag for tag in template["hashtags"]]
    for persona in template["personas"]:
        texts += [persona["label"], persona["quote"], persona["daily_life"], persona["mobility"], *persona["works"], *persona["does_not_work"]]
    return [t for t in texts if t]


def marks(page, texts) -> list[dict]:
    return page.evaluate(MARKS, texts)


def test_template_texts_carry_their_language_on_english_screens_and_nothing_on_french_ones(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    template = json.loads(facilitator.locator("#boot").text_content())["template"]
    assert template["language"] == "fr"
    texts = template_texts(template)
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(live_server + state["links"]["screen"])
    phone = join(contexts, state["links"]["join"], "Ana")
    phone_en = join(contexts, state["links"]["join"], "Bea")
    phone_en.get_by_role("link", name="English").click()
    expect(phone_en.locator("#connection")).to_have_text("Connected")
    projector_en = contexts(**PROJECTOR).new_page()
    projector_en.goto(live_server + "/langue/en?next=" + state["links"]["screen"])
    console_en = contexts(**LAPTOP).new_page()
    console_en.goto(live_server + "/langue/en?next=" + facilitator.url.replace(live_server, ""))
    english = {"phone-en": phone_en, "projector-en": projector_en, "console-en": console_en}
    french = {"phone": phone, "projector": projector, "console": facilitator}

    problems, seen = [], {name: 0 for name in english}
    phases = state["stage"]["phases"]
    for index in range(1, 7):
        facilitator.get_by_role("button", name=re.compile("Phase suivante")).click()
        expect(phone.locator("#phase-title")).to_have_text(phases[index]["title"])
        expect(phone_en.locator(".phase-count")).to_contain_text(f"{index + 1} ")
        expect(console_en.locator(".fc-phase-eyebrow")).to_contain_text(f"{index + 1}")
        kind = phases[index]["kind"]
        for name, title in (("phone-en", phone_en.locator("#phase-title")), ("projector-en", projector_en.locator("h1")),
                            ("console-en", console_en.locator(".fc-phase-title"))):
            own = re.sub(r"\s", "", title.text_content()) == re.sub(r"\s", "", phases[index]["title"])  # the template's, untranslated
            lang = title.evaluate("(el) => el.closest('[lang]') === document.documentElement ? 'page' : el.closest('[lang]').lang")
            if lang != ("fr" if own else "page"):
                problems.append(f"{kind} / {name}: the phase title « {title.text_content()} » is in {lang}")
        if kind == "pistes":
            phone_en.locator("#piste-text").fill(PISTE)
            phone_en.locator("#piste-submit").click()
            expect(phone_en.locator("[data-key=my-pistes]")).to_contain_text("navettes")
            # The method word put into an English sentence (« Suggest a piste de projet ») is marked too.
            piste = template["vocabulary"]["piste"]
            for where, form in (("#piste-form h2", "sg"), ("label[for=piste-text]", "sg"), ("#piste-submit", "sg"), ("[data-key=my-pistes] h2", "pl")):
                expect(phone_en.locator(f"{where} [lang=fr]")).to_have_text(piste[form])
            expect(console_en.locator("#fc-mod-title [lang=fr]")).to_have_text(piste["pl"])
            expect(projector_en.locator(".coverage-n [lang=fr]").first).to_have_text(re.compile("^" + re.escape(piste["sg"])))
        if kind not in ("personas", "paradoxes", "valeurs", "pistes", "vote"):
            continue
        for name, page in english.items():
            found = marks(page, texts)
            seen[name] += len(found)
            problems += [f"{kind} / {name}: « {f['text']} » is in {f['lang']}" for f in found if f["lang"] != "fr"]
            problems += [f"{kind} / {name}: button « {b['text']} » is in {b['lang']}" for b in page.evaluate(BUTTON_LANGS) if b["lang"] != "page"]
            instructions = page.locator(".instructions, .head-instructions, .fc-instructions span")
            if instructions.count():
                assert instructions.first.evaluate("(el) => el.closest('[lang]').lang") == "fr", f"{kind} / {name}: instructions"
        for name, page in french.items():
            problems += [f"{kind} / {name}: lang inside: {html}" for html in page.evaluate(INNER_LANGS)]
            problems += [f"{kind} / {name}: « {f['text']} » is in {f['lang']}" for f in marks(page, texts) if f["lang"] != "page"]
        if kind == "paradoxes":
            shoot(phone_en, "lang-paradoxes-phone-en")
        if kind == "vote":
            # What a participant typed stays in the page's language, beside the French theme title.
            card = phone_en.locator(".card.piste", has_text="navettes").first
            assert card.locator("p").first.evaluate("(el) => el.closest('[lang]') === document.documentElement")
            assert card.evaluate("(el) => el.closest('.vote-theme').querySelector('.theme-title').lang") == "fr"
            shoot(phone_en, "lang-vote-phone-en")
    assert not problems, "\n".join(problems[:30])
    assert all(n >= 10 for n in seen.values()), seen

    # French typography in French text on the English phone, none in the English interface.
    facilitator.get_by_role("button", name=re.compile("Phase précédente")).click()
    expect(phone_en.locator(".phase-count")).to_contain_text("6 ")
    colon = phone_en.locator("#piste-form [lang=fr]", has_text=re.compile("\u00a0:|\u202f[?!;]|«\u00a0"))
    assert colon.count() > 0 or not any(re.search(r" [:?!;]|«", t) for t in texts)
    assert "\u00a0" not in phone_en.locator("#piste-submit").text_content()


def test_server_pages_mark_template_texts_in_english_only(contexts, live_server):
    facilitator, state = create(contexts, live_server)
    page = contexts(**PHONE).new_page()
    page.goto(live_server + "/langue/en?next=" + state["links"]["join"].replace(live_server, ""))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator(".eyebrow").get_attribute("lang") == "fr"
    labels = page.locator(".persona-option strong")
    if labels.count():
        assert labels.first.get_attribute("lang") == "fr"
    assert page.get_by_role("button", name="Enter the workshop").evaluate("(el) => el.closest('[lang]') === document.documentElement")
    page.goto(live_server + "/langue/fr?next=" + state["links"]["join"].replace(live_server, ""))
    assert page.evaluate(INNER_LANGS) == []
    home = contexts(**LAPTOP).new_page()
    home.goto(live_server + "/langue/en?next=/")
    assert home.locator("#template option").first.get_attribute("lang") == "fr"
    assert home.locator(".template-about p[lang=fr]").count() >= 1
    home.goto(live_server + "/langue/fr?next=/")
    assert home.evaluate(INNER_LANGS) == []
