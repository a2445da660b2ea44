"""Every territory runs as data: a server whose catalogue holds only a test framework with unusual words.

The framework (tests/data/sessions/pays-essai.yaml) calls its themes "chantiers", its pistes
"priorités", its engagements "orientations", its values "principes", its paradoxes "tensions", its
rêves "visions" and its review body "l'assemblée citoyenne"; its titles are as long as the schema
allows and it has its own four residents. A whole atelier runs on phones at 320 and 360 px, the
projector and the console, then every synthesis format is read: no word of La Fabrique, no place
or resident of Aix-Marseille, no "4 Vivre" may show, and no page may scroll sideways.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.pdf_reader import pdf_pages
from tests.e2e.conftest import LAPTOP, PROJECTOR, page_errors, serve, shoot

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
# La Fabrique's words (the defaults) in every form the interface uses them.
DEFAULT_WORDS = re.compile(r"\b(vivre|pistes?( de projet)?|engagements?|codev|thèmes?|valeurs?|paradoxes?|rêves?)\b", re.I)


def aix_marseille() -> list[str]:
    """The names and communes of La Fabrique's residents, and the metropolis' own names."""
    found = ["Aix-Marseille", "Marseille", "Aix-en", "Pays d'Aix", "4 Vivre"]
    for path in (ROOT / "personas").glob("*.yaml"):
        persona = yaml.safe_load(path.read_text())
        if persona.get("territory") == "Aix-Marseille-Provence":
            found += [persona["name"], persona["commune"].split(" (")[0]]
    return found


FOREIGN = aix_marseille()


def leaks(text: str) -> list[str]:
    """Return what in `text` belongs to La Fabrique rather than to the test framework."""
    return sorted({m.group(0) for m in DEFAULT_WORDS.finditer(text)} | {name for name in FOREIGN if name in text})


def seen(page) -> str:
    """Return what a person perceives of a page: its text, and the labels read by a screen reader."""
    return page.evaluate("""() => [document.title, document.body.innerText,
        ...Array.from(document.querySelectorAll('[aria-label],[title],[placeholder],[alt]'))
          .map(e => [e.getAttribute('aria-label'), e.getAttribute('title'), e.getAttribute('placeholder'), e.getAttribute('alt')].join(' '))
      ].join('\\n')""")


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth + 1")


@pytest.fixture(scope="module")
def essai_server(tmp_path_factory):
    """A server whose catalogue is the test framework alone (no La Fabrique, no replay)."""
    yield from serve(tmp_path_factory, FABRIQUE_SESSIONS_DIR=str(DATA / "sessions"),
                     FABRIQUE_PERSONAS_DIR=str(DATA / "personas"))


def test_the_server_starts_on_a_catalogue_without_la_fabrique(essai_server):
    home = urllib.request.urlopen(f"{essai_server}/", timeout=5).read().decode()
    assert "Pays d&#39;Essai-sur-Loue" in home or "Pays d'Essai-sur-Loue" in home
    assert "Fabrique du projet" not in home and "Aix-Marseille" not in home


def test_a_whole_atelier_speaks_the_frameworks_words_only(contexts, essai_server):
    checked: list[tuple[str, list[str]]] = []

    def check(page, name):
        shoot(page, f"essai-{name}")
        checked.append((name, leaks(seen(page))))
        if page.viewport_size["width"] <= 360:
            assert not scrolls_sideways(page), f"{name} scrolls sideways"

    # The creation form shows the framework's summary and source, and only its own fields.
    console = contexts(**LAPTOP).new_page()
    errors = page_errors(console)
    console.goto(essai_server + "/")
    expect(console.get_by_text("Charte fictive du Pays d'Essai-sur-Loue")).to_be_visible()
    console.get_by_label("Nom de l'atelier").fill("Séance d'essai")
    expect(console.get_by_label("Déroulé")).to_have_value("essai-complet")
    expect(console.get_by_label("Nombre de principes à choisir")).to_have_value("1")
    expect(console.get_by_label("Points à répartir")).to_be_hidden()  # the framework allows top N only
    check(console, "home")
    console.get_by_role("button", name="Créer l'atelier").click()
    expect(console).to_have_url(re.compile(r"/facilitate/"))
    state = json.loads(console.locator("#boot").text_content())["state"]
    titles = [p["title"] for p in state["stage"]["phases"]]

    projector = contexts(**PROJECTOR).new_page()
    errors += page_errors(projector)
    projector.goto(essai_server + state["links"]["screen"])
    phones = []
    for options, pseudonym in ((NARROW, "Aline"), (PHONE, "Basile")):
        phone = contexts(**options).new_page()
        errors += page_errors(phone)
        phone.goto(state["links"]["join"])
        phone.get_by_label("Pseudonyme").fill(pseudonym)
        phone.get_by_label("Collège").select_option(index=1)
        phone.get_by_role("button", name="Entrer dans l'atelier").click()
        expect(phone.locator("#connection")).to_have_text("Connecté")
        phones.append(phone)
    narrow = phones[0]
    expect(projector.locator(".join-count")).to_contain_text("2")
    check(narrow, "phone-accueil")
    check(projector, "projector-accueil")

    def advance(index):
        console.get_by_role("button", name=re.compile("Phase suivante")).click()
        for phone in phones:
            expect(phone.locator("#phase-title")).to_have_text(titles[index])
        expect(projector.locator("h1")).to_contain_text(titles[index])

    advance(1)
    check(narrow, "phone-personas")
    advance(2)  # tensions
    for phone in phones:
        phone.get_by_role("button", name="Compte pour mon habitant").first.click()
        expect(phone.get_by_text("Enregistré ✓").first).to_be_visible()
    check(narrow, "phone-tensions")
    check(projector, "projector-tensions")
    advance(3)  # principes
    for phone in phones:
        phone.locator("li.card.value input[type=checkbox]").first.check()
        phone.get_by_role("button", name="Enregistrer mon vote").click()
        expect(phone.get_by_text("Enregistré ✓").first).to_be_visible()
    check(narrow, "phone-principes")
    check(projector, "projector-principes")
    advance(4)  # visions
    narrow.get_by_label("Ma vision").fill("En 2050, le bac de la Loue passe toutes les heures.")
    narrow.get_by_role("button", name="Partager cette vision").click()
    expect(narrow.get_by_text("Enregistré ✓").first).to_be_visible()
    expect(projector.get_by_text("le bac de la Loue passe")).to_be_visible()
    check(narrow, "phone-visions")
    check(projector, "projector-visions")
    advance(5)  # priorités, under a chantier with the longest title
    texts = []
    for i, phone in enumerate(phones):
        phone.locator("label.theme-option").nth(i * 4).click()
        texts.append(f"Priorité numéro {i + 1} : rouvrir la halte ferroviaire du bourg")
        phone.get_by_label("Ma priorité").fill(texts[-1])
        phone.get_by_role("button", name="Proposer cette priorité").click()
        expect(phone.get_by_text("Enregistré ✓").first).to_be_visible()
    for text in texts:
        expect(projector.get_by_text(text)).to_be_visible()
    check(narrow, "phone-priorites")
    check(projector, "projector-priorites")
    check(console, "console-priorites")
    advance(6)  # vote
    for phone in phones:
        phone.locator("li.piste", has_text=texts[0]).get_by_role("button", name=re.compile("Placer une gommette")).click()
        expect(phone.get_by_text("Enregistré ✓").first).to_be_visible()
    check(narrow, "phone-vote")
    check(projector, "projector-vote")
    advance(7)  # convergence: the console writes an orientation
    console.get_by_label("Titre").first.fill("Rouvrons les haltes ferroviaires")
    console.get_by_role("button", name="Créer l'orientation").first.click()
    expect(console.get_by_text("Rouvrons les haltes ferroviaires").first).to_be_visible()
    expect(projector.get_by_text("Rouvrons les haltes ferroviaires").first).to_be_visible()
    check(console, "console-convergence")
    check(projector, "projector-convergence")
    check(narrow, "phone-convergence")
    advance(8)
    check(narrow, "phone-cloture")
    check(projector, "projector-cloture")

    # Every synthesis format.
    review = essai_server + state["links"]["review"]
    synthesis = contexts(**LAPTOP).new_page()
    synthesis.goto(review)
    check(synthesis, "synthesis")
    narrow.goto(review)
    check(narrow, "synthesis-phone")
    for fmt in ("json", "csv", "xlsx", "docx", "pdf"):
        with urllib.request.urlopen(f"{review}.{fmt}", timeout=60) as answer:
            body = answer.read()
            name = answer.headers.get("Content-Disposition", "")
        checked.append((f"{fmt} file name", leaks(name)))
        checked.append((fmt, leaks(readable(fmt, body))))
    assert [(where, found) for where, found in checked if found] == [], "\n".join(f"{w}: {f}" for w, f in checked if f)
    assert [e for e in errors if "favicon" not in e] == []


def readable(fmt: str, body: bytes) -> str:
    """Return the text a reader of this export sees."""
    # JSON keys, table and column names are the documented data schema (identifiers, the same for
    # every framework); what must be the framework's is every value a reader sees.
    if fmt == "json":
        return "\n".join(json_values(json.loads(body)))
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode("utf-8-sig").split("\n", 1)[-1] for n in archive.namelist())
    if fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(str(cell) for sheet in book for row in list(sheet.iter_rows(values_only=True))[1:] for cell in row if cell)
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return "\n".join(pdf_pages(body))


def json_values(node):
    """Yield every text value of a JSON document (not its keys, not the schema's enumerations)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("kind", "status", "basis", "gender", "$schema"):
                yield from json_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from json_values(value)
    elif isinstance(node, str):
        yield node
