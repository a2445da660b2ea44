"""The synthesis: the published 2017 results, loaded as a demonstration atelier, read back from every
format with a real reader (the same 12 engagements and piste counts everywhere); a live atelier with
participants, votes, a merge and hostile text; file names; secret links.

The app, its database and the two PDFs are made once for the module: WeasyPrint takes seconds.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import docx
import jsonschema
import lxml.html
import openpyxl
import pytest
from sqlalchemy import func, select

from fabrique.vocabulary import words
from fabrique import catalog, create_app
from fabrique.actions import write
from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.actions.contributions import PARTICIPANT_ACTIONS
from fabrique.actions.facilitation import FACILITATOR_ACTIONS
from fabrique.actions.participation import join
from fabrique.actions.replay import ensure_demo_atelier, load_replay
from fabrique.extensions import db
from fabrique.models import Atelier, Demarche, Engagement, EngagementPiste, ReviewComment
from fabrique.synthesis import build, build_for_demarche, exports
from tests.factories import HOSTILE, PHASES, op
from tests.pdf_reader import pdf_pages, pdf_text

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "synthesis.schema.json").read_text(encoding="utf-8"))
REPLAY = "la-fabrique-amp-2017"
FORMULA = "=1+1 des navettes entre les gares"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app and database for the whole module (overrides the per-test `app` of conftest)."""
    tmp = tmp_path_factory.mktemp("synthesis")
    previous = os.environ.get("FABRIQUE_INSTANCE")
    os.environ["FABRIQUE_INSTANCE"] = str(tmp / "instance")
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.sqlite3'}",
        "PUBLIC_URL": "http://fabrique.test",
        "ASYNC_MODE": os.environ.get("ASYNC_MODE", "threading"),
        "AGGREGATE_INTERVAL": None,
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if previous is None:
        os.environ.pop("FABRIQUE_INSTANCE", None)
    else:
        os.environ["FABRIQUE_INSTANCE"] = previous


WORKER_PRODUCE = exports.produce


@pytest.fixture(scope="module", autouse=True)
def exports_in_process():
    """Make the files in the test process: the worker's round trip costs seconds on a loaded machine,
    and is tested on its own (test_synthesis_load, and the failure below)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exports, "produce", lambda _config, atelier_id, whole, fmt, options=None: exports.produce_here(atelier_id, whole, fmt, options))
        yield


def validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(doc)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# --- the 2017 replay, from every format ---------------------------------------------------------


@pytest.fixture(scope="module")
def demo(app) -> Atelier:
    return load_replay(REPLAY)


@pytest.fixture(scope="module")
def expected(app) -> list[tuple[str, int]]:
    """The replay's engagements in document order (theme order, then their order in the file)."""
    replay = catalog().replays[REPLAY]
    themes = [t.id for t in catalog().templates[replay.template].themes]
    ordered = sorted(replay.engagements, key=lambda e: themes.index(e.theme))
    return [(e.title, len(e.pistes)) for e in ordered]


@pytest.fixture(scope="module")
def demo_files(app, demo) -> dict:
    """Every download of the demonstration synthesis, fetched once (the PDF included)."""
    client = app.test_client()
    files = {}
    for fmt in ("html", "pdf", "docx", "xlsx", "csv", "json"):
        response = client.get(f"/synthese/{demo.review_token}" + ("" if fmt == "html" else f".{fmt}"))
        assert response.status_code == 200, (fmt, response.get_data(as_text=True)[:2000])
        files[fmt] = response
    return files


def test_the_replay_becomes_a_complete_demonstration_atelier(demo, expected):
    replay = catalog().replays[REPLAY]
    assert demo.is_demo and demo.participants == []
    assert demo.format_id == "atelier-complet"
    template = catalog().templates[replay.template]
    assert demo.phase_index == len(template.format("atelier-complet").phases) - 1
    assert (demo.held_on, demo.audience) == ("2017-11-29", replay.ateliers[-1].audience)
    doc = build(demo)
    assert len(expected) == 12
    assert [(e["title"], e["piste_count"]) for t in doc["themes"] for e in t["engagements"]] == expected
    assert [e["number"] for e in doc["themes"][0]["engagements"]] == ["1.1", "1.2", "1.3"]
    assert sum(len(t["reves"]) for t in doc["themes"]) == len(replay.reves) == 16
    assert {p["origin"] for p in doc["annexes"]["pistes"]} == {replay.title}
    assert doc["values"]["basis"] == "replay"
    assert [v["id"] for v in doc["values"]["items"]] == list(replay.values_ranking)
    assert [v["rank"] for v in doc["values"]["items"]] == [1, 2, 3, 4, 5]
    assert doc["paradoxes"]["basis"] == "replay"
    assert [p["id"] for p in doc["paradoxes"]["items"] if p["retained"]] == list(replay.retained_paradoxes)
    assert [s["date"] for s in doc["cover"]["sessions"]] == [a.date for a in replay.ateliers]
    assert doc["replays"][0]["id"] == REPLAY


def test_zero_participants_is_said_plainly(demo, demo_files):
    doc = demo_files["json"].get_json()
    assert doc["participation"]["total"] == 0
    assert all(row["count"] == 0 for row in doc["participation"]["by_persona"])
    assert doc["lens"] == [] and doc["annexes"]["value_votes"] == [] and doc["annexes"]["supports"] == []
    assert "Aucune participation n'a été enregistrée" in demo_files["html"].get_data(as_text=True)


def test_json_is_valid_against_the_schema_and_holds_the_engagements(demo_files, expected):
    doc = json.loads(demo_files["json"].data.decode("utf-8"))
    validate(doc)
    assert [(e["title"], e["piste_count"]) for t in doc["themes"] for e in t["engagements"]] == expected
    assert all(len(e["pistes"]) == e["piste_count"] for t in doc["themes"] for e in t["engagements"])


def test_html_shows_the_engagements_and_their_pistes(demo_files, expected):
    page = lxml.html.fromstring(demo_files["html"].data)
    assert page.get("lang") == "fr"
    found = []
    for article in page.xpath("//article[contains(concat(' ', @class, ' '), ' engagement ')]"):
        title = normalised(article.xpath(".//h4")[0].text_content())
        items = article.xpath(".//ul[contains(@class, 'pistes')]/li")
        heading = next(normalised(h.text_content()) for h in article.xpath(".//h5") if "Pistes de projet" in h.text_content())
        assert heading == f"Pistes de projet ({len(items)})"
        found.append((title, len(items)))
    assert found == expected
    # One h1, then parts (h2), sections (h3)…, never skipping a level: a screen reader can navigate by headings.
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(after <= before + 1 for before, after in zip(levels, levels[1:]))
    assert page.xpath("//nav[@aria-label]//a[contains(@href, '.pdf')]")


def test_pdf_shows_the_engagements_and_their_piste_counts(demo_files, expected):
    pages = pdf_pages(demo_files["pdf"].data)
    assert len(pages) > 10
    text = normalised(" ".join(pages))
    assert "Synthèse des ateliers" in text and "Aix-Marseille-Provence" in text
    start = text.index("Comment y parvenir ?", text.index("Sommaire") + 200)
    position = start
    for title, count in expected:
        position = text.index(title, position)
        shown = re.compile(r"Pistes de projet \((\d+)\)").search(text, position)
        assert shown and int(shown.group(1)) == count, title
        position = shown.end()


def test_docx_has_the_engagements_as_headings_with_their_pistes(demo_files, expected):
    document = docx.Document(io.BytesIO(demo_files["docx"].data))
    paragraphs = document.paragraphs
    titles = {title for title, _count in expected}
    found = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.style.name == "Heading 3" and paragraph.text in titles:
            heading = next(p for p in paragraphs[index + 1:] if p.text.startswith("Pistes de projet ("))
            after = paragraphs[paragraphs.index(heading) + 1:]
            stop = next((i for i, p in enumerate(after) if p.style.name.startswith("Heading")), len(after))
            bullets = [p for p in after[:stop] if p.style.name == "List Bullet"]
            assert heading.text == f"Pistes de projet ({len(bullets)})"
            found.append((paragraph.text, len(bullets)))
    assert found == expected
    assert document.core_properties.language == "fr-FR"


def test_xlsx_has_one_sheet_per_table_and_the_same_counts(demo_files, expected):
    book = openpyxl.load_workbook(io.BytesIO(demo_files["xlsx"].data), read_only=True)
    assert {"pistes", "votes", "soutiens", "engagements", "participants_par_persona"} <= set(book.sheetnames)
    engagements = list(book["engagements"].iter_rows(values_only=True))
    header = engagements[0]
    rows = [dict(zip(header, r)) for r in engagements[1:]]
    assert [(r["titre"], r["pistes"]) for r in rows] == expected
    pistes = list(book["pistes"].iter_rows(values_only=True))
    per_engagement = Counter(dict(zip(pistes[0], r))["engagement"] for r in pistes[1:])
    assert [per_engagement[f"{r['numéro']} {r['titre']}"] for r in rows] == [count for _title, count in expected]


def test_csv_zip_has_one_file_per_table_and_the_same_counts(demo_files, expected):
    archive = zipfile.ZipFile(io.BytesIO(demo_files["csv"].data))
    assert {"pistes.csv", "votes.csv", "soutiens.csv", "engagements.csv", "participants_par_persona.csv"} <= set(archive.namelist())

    def rows(name):
        return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))

    engagements = rows("engagements.csv")
    assert [(r["titre"], int(r["pistes"])) for r in engagements] == expected
    per_engagement = Counter(r["engagement"] for r in rows("pistes.csv"))
    assert [per_engagement[f"{r['numéro']} {r['titre']}"] for r in engagements] == [count for _title, count in expected]


def test_downloads_are_named_for_people(demo_files):
    disposition = demo_files["pdf"].headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Synthese-Aix-Marseille-Provence-Resultats-2017-de-La-Fabrique-du-projet-2017-11-29.pdf"' in disposition
    utf8 = unquote(disposition.split("filename*=UTF-8''", 1)[1])
    assert utf8 == "Synthèse-Aix-Marseille-Provence-Résultats-2017-de-La-Fabrique-du-projet-2017-11-29.pdf"
    assert demo_files["csv"].headers["Content-Disposition"].split(";")[1].strip().endswith('2017-11-29.zip"')
    assert demo_files["pdf"].mimetype == "application/pdf"
    assert demo_files["json"].mimetype == "application/json"
    assert demo_files["html"].headers["Cache-Control"] == "private, no-store"
    assert demo_files["html"].headers["Referrer-Policy"] == "no-referrer"
    policy = demo_files["html"].headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_a_download_name_is_made_from_the_territory_the_atelier_and_its_date(app, client):
    atelier = create_atelier(REPLAY, "Atelier CODEV", held_on="2026-11-22")
    response = client.get(f"/synthese/{atelier.review_token}.docx")
    assert 'filename="Synthese-Aix-Marseille-Provence-Atelier-CODEV-2026-11-22.docx"' in response.headers["Content-Disposition"]
    one = client.get(f"/synthese/{atelier.review_token}.csv?table=pistes")
    assert one.mimetype == "text/csv"
    assert 'filename="Synthese-Aix-Marseille-Provence-Atelier-CODEV-2026-11-22-pistes.csv"' in one.headers["Content-Disposition"]
    assert one.data.decode("utf-8-sig").startswith("n°;atelier;public;thème;texte")
    assert client.get(f"/synthese/{atelier.review_token}.csv?table=nope").status_code == 404


@pytest.mark.parametrize("template_id", ["metz-socle-metropolitain", "petr-coeur-de-lorraine", "pole-metropolitain-loire-bretagne"])
def test_every_framework_gets_its_synthesis(app, client, template_id):
    atelier = create_atelier(template_id, "Atelier de lancement")
    doc = build(atelier)
    validate(doc)
    template = catalog().templates[template_id]
    assert [t["title"] for t in doc["themes"]] == [t.title for t in template.themes]
    page = lxml.html.fromstring(client.get(f"/synthese/{atelier.review_token}").data).text_content()
    assert all(t.title in page for t in template.themes) and words(template)["theme"]["pl"][1:] in page
    for fmt in ("docx", "xlsx", "csv", "json"):
        assert client.get(f"/synthese/{atelier.review_token}.{fmt}").status_code == 200


def test_an_unknown_token_is_not_found(client, demo):
    for suffix in ("", ".pdf", ".docx", ".odt", ".xlsx", ".csv", ".json"):
        assert client.get(f"/synthese/not-a-token{suffix}").status_code == 404
    assert client.get(f"/synthese/{demo.review_token}.exe").status_code == 404
    assert client.get(f"/synthese/{demo.facilitator_token}").status_code == 404  # only the review link opens it


def test_a_pdf_failure_is_reported_and_leaves_the_other_formats(app, client, monkeypatch, tmp_path):
    monkeypatch.setattr(exports, "produce", WORKER_PRODUCE)
    # A worker whose PDF fails as it does without Pango, the other formats made by the real one.
    broken = tmp_path / "broken.py"
    broken.write_text(
        "import json, subprocess, sys\n"
        "data = sys.stdin.buffer.read()\n"
        "if json.loads(data)['format'] == 'pdf':\n"
        "    sys.stderr.write('Pango introuvable'); sys.exit(1)\n"
        f"sys.stdout.buffer.write(subprocess.run([sys.executable, {str(exports.WORKER)!r}], input=data, capture_output=True).stdout)\n")
    monkeypatch.setattr(exports, "WORKER", broken)
    atelier = create_atelier(REPLAY, "Atelier sans PDF")
    response = client.get(f"/synthese/{atelier.review_token}.pdf")
    assert response.status_code == 503 and "autres formats" in response.get_data(as_text=True)
    assert client.get(f"/synthese/{atelier.review_token}.docx").status_code == 200


def test_the_demonstration_is_loaded_once_and_announced(app, demo):
    first = ensure_demo_atelier()
    assert ensure_demo_atelier().id == first.id
    assert db.session.scalar(select(func.count()).select_from(Atelier).where(Atelier.is_demo.is_(True))) == 1
    from fabrique.serving import print_demo

    out = io.StringIO()
    print_demo(app, first, out=out)
    assert f"Synthèse de démonstration (résultats 2017) : http://fabrique.test/synthese/{first.review_token}" in out.getvalue()


# --- a live atelier: participants, votes, a merge, hostile text ---------------------------------


def _act(name, participant, **data):
    answer = PARTICIPANT_ACTIONS[name](participant.id, op(), data)
    assert answer.get("ok", True), answer
    return answer


def _facilitate(atelier, name, **data):
    answer = FACILITATOR_ACTIONS[name](atelier.id, op(), data)
    assert answer.get("ok", True), answer
    return answer


def _goto(atelier, kind):
    _facilitate(atelier, "phase_goto", to=PHASES[kind])


@pytest.fixture(scope="module")
def live(app) -> dict:
    """An atelier lived through: 3 participants, every kind of contribution, a merge, an engagement, a review."""
    atelier = create_atelier(REPLAY, "Atelier CODEV " + HOSTILE, audience="Conseil de développement", held_on="2026-11-22")
    ana = join(atelier.id, "Ana", college="Élus")
    bob = join(atelier.id, "Bob", college="Conseil de développement")
    cleo = join(atelier.id, "Cléo")
    _goto(atelier, "paradoxes")
    for person in (ana, bob):
        _act("paradox_toggle", person, paradox_id="nature-a-proteger", chosen=True)
    _act("paradox_toggle", cleo, paradox_id="ouverture-monde", chosen=True)
    _goto(atelier, "valeurs")
    _act("values_set", ana, points={"solidarite": 6, "innovation": 4})
    _act("values_set", bob, points={"solidarite": 3, "ouverture": 7})
    _act("value_word_add", ana, value_id="solidarite", word="Entraide")
    _act("value_word_add", ana, value_id="solidarite", word="<b>gras</b>")
    _act("value_word_add", bob, value_id="solidarite", word="entraide")
    _goto(atelier, "reves")
    _act("reve_add", ana, theme_id="vivre-ensemble", text="En 2040 " + HOSTILE)
    _goto(atelier, "pistes")
    hostile = _act("piste_add", ana, theme_id="vivre-mieux", horizon="2040", text=HOSTILE, hashtags=["Mobilité"])["piste_id"]
    duplicate = _act("piste_add", bob, theme_id="vivre-mieux", horizon="2024", text="Des bus entre les gares", hashtags=[])["piste_id"]
    formula = _act("piste_add", cleo, theme_id="vivre-monde", horizon="2024", text=FORMULA, hashtags=["Hubs"])["piste_id"]
    hidden = _act("piste_add", cleo, theme_id="art-de-vivre", horizon="2040", text="Un texte hors sujet à masquer")["piste_id"]
    _goto(atelier, "vote")
    for person in (ana, bob, cleo):
        _act("support_add", person, piste_id=hostile)
    _act("support_add", cleo, piste_id=duplicate)  # Cléo supports both: once after the merge
    _act("support_add", bob, piste_id=formula)
    _facilitate(atelier, "piste_merge", piste_id=duplicate, into_id=hostile)
    _facilitate(atelier, "piste_hide", piste_id=hidden, hidden=True)

    def converge():
        engagement = Engagement(atelier_id=atelier.id, theme_id="vivre-mieux", title="Engageons-nous " + HOSTILE,
                                purpose="Pour " + HOSTILE, how=["Comment " + HOSTILE], position=1)
        db.session.add(engagement)
        db.session.flush()
        db.session.add(EngagementPiste(engagement_id=engagement.id, piste_id=hostile, position=1))
        db.session.add(ReviewComment(atelier_id=atelier.id, engagement_id=engagement.id, reviewer="Relectrice " + HOSTILE,
                                     opinion="a_amender", text="À préciser " + HOSTILE, op_id=op()))
        db.session.add(ReviewComment(atelier_id=atelier.id, engagement_id=None, reviewer="Président du CODEV",
                                     opinion="favorable", text="", op_id=op()))
        return engagement.id

    engagement_id = write(converge)
    db.session.expire_all()
    atelier = db.session.get(Atelier, atelier.id)
    client = app.test_client()
    files = {fmt: client.get(f"/synthese/{atelier.review_token}" + ("" if fmt == "html" else f".{fmt}"))
             for fmt in ("html", "pdf", "docx", "xlsx", "csv", "json")}
    assert all(r.status_code == 200 for r in files.values())
    return {"atelier": atelier, "files": files, "hostile": hostile, "duplicate": duplicate, "formula": formula,
            "hidden": hidden, "engagement_id": engagement_id, "people": (ana, bob, cleo)}


def test_a_supporter_of_two_merged_pistes_counts_once(live):
    doc = live["files"]["json"].get_json()
    validate(doc)
    pistes = {p["id"]: p for p in doc["annexes"]["pistes"]}
    kept, merged = pistes[live["hostile"]], pistes[live["duplicate"]]
    assert kept["supports"] == 3  # Ana, Bob, Cléo — Cléo supported both pistes and counts once
    assert (merged["status"], merged["merged_into"], merged["supports"]) == ("merged", live["hostile"], 0)
    assert merged["engagement_id"] == kept["engagement_id"] == live["engagement_id"]
    assert sorted(a["persona_id"] for a in kept["author_personas"]) == sorted(
        {live["people"][0].persona_id, live["people"][1].persona_id})
    counted = [s for s in doc["annexes"]["supports"] if s["counted_under"] == live["hostile"]]
    assert len(counted) == 4 and len({s["participant"] for s in counted}) == 3
    assert live["hidden"] not in pistes and doc["annexes"]["excluded"] == {"hidden": 1, "withdrawn": 0}
    engagement = doc["themes"][0]["engagements"][0]
    assert engagement["piste_count"] == 1 and engagement["pistes"][0]["id"] == live["hostile"]


def test_participation_votes_and_the_persona_lens(live):
    doc = live["files"]["json"].get_json()
    ana, bob, cleo = live["people"]
    participation = doc["participation"]
    assert participation["total"] == 3
    assert {r["persona_id"]: r["count"] for r in participation["by_persona"] if r["count"]} == Counter(
        p.persona_id for p in (ana, bob, cleo))
    assert {r["college"]: r["count"] for r in participation["by_college"]}["Élus"] == 1
    assert participation["without_college"] == 1
    assert participation["contributors"] == {"paradoxes": 3, "values": 2, "reves": 1, "pistes": 3, "supports": 3}
    values = doc["values"]
    assert values["basis"] == "votes" and values["total_points"] == 20
    assert [(v["id"], v["points"], v["voters"], v["rank"]) for v in values["items"][:3]] == [
        ("solidarite", 9, 2, 1), ("ouverture", 7, 1, 2), ("innovation", 4, 1, 3)]
    assert values["items"][0]["words"] == [{"word": "Entraide", "count": 2}, {"word": "<b>gras</b>", "count": 1}]
    assert [(p["id"], p["choices"], p["rank"]) for p in doc["paradoxes"]["items"] if p["retained"]] == [
        ("nature-a-proteger", 2, 1), ("ouverture-monde", 1, 2)]
    lens = {entry["persona_id"]: entry for entry in doc["lens"]}
    assert set(lens) == {ana.persona_id, bob.persona_id, cleo.persona_id}
    assert lens[ana.persona_id]["values"] == [{"value_id": "solidarite", "label": "Solidarité", "points": 6},
                                              {"value_id": "innovation", "label": "Innovation", "points": 4}]
    assert [p["text"] for p in lens[ana.persona_id]["pistes"]] == [HOSTILE]
    assert {row["participant"] for row in doc["annexes"]["value_votes"]} == {f"P{ana.id}", f"P{bob.id}"}
    assert all(row["audience"] == "Conseil de développement" for row in doc["annexes"]["value_votes"])
    assert "Ana" not in json.dumps(doc)  # pseudonyms are never published
    reviews = doc["annexes"]["reviews"]
    assert [g["engagement_id"] for g in reviews] == [None, live["engagement_id"]]
    assert reviews[1]["comments"][0]["opinion_label"] == "À amender"
    assert doc["themes"][0]["engagements"][0]["reviews"] == {"favorable": 0, "reserve": 0, "a_amender": 1, "comments": 1}


def test_hostile_text_is_escaped_in_html_and_pdf(live):
    html = live["files"]["html"].get_data(as_text=True)
    assert "<script>alert" not in html and "<b>gras" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;gras&lt;/b&gt;" in html
    page = lxml.html.fromstring(html)
    assert [(s.get("type"), s.get("src"), s.text) for s in page.xpath("//script")] == [("module", "/static/js/synthesis.js", None)]
    assert HOSTILE in normalised(page.text_content()) or "<script>alert('x')</script>" in page.text_content()
    text = pdf_text(live["files"]["pdf"].data)
    assert "<script>alert('x')</script>" in text  # shown as text, not run or dropped
    assert "Engageons-nous <script>" in normalised(text)


def test_hostile_text_is_kept_verbatim_in_json_docx_and_xlsx(live):
    doc = json.loads(live["files"]["json"].data.decode("utf-8"))
    assert doc["themes"][0]["engagements"][0]["title"] == "Engageons-nous " + HOSTILE
    assert {p["text"] for p in doc["annexes"]["pistes"]} >= {HOSTILE, FORMULA}
    paragraphs = [p.text for p in docx.Document(io.BytesIO(live["files"]["docx"].data)).paragraphs]
    assert "Engageons-nous " + HOSTILE in paragraphs
    assert "Pour " + HOSTILE in paragraphs
    book = openpyxl.load_workbook(io.BytesIO(live["files"]["xlsx"].data))
    cells = {cell.value: cell for row in book["pistes"].iter_rows() for cell in row}
    assert HOSTILE in cells
    assert cells[FORMULA].data_type == "s"  # text, not a formula
    archive = zipfile.ZipFile(io.BytesIO(live["files"]["csv"].data))
    rows = list(csv.DictReader(io.StringIO(archive.read("pistes.csv").decode("utf-8-sig")), delimiter=";"))
    texts = {r["texte"] for r in rows}
    assert HOSTILE in texts and "'" + FORMULA in texts  # a spreadsheet will not run it


def test_a_demarche_combines_its_ateliers_and_says_where_each_row_comes_from(app):
    demarche_id = new_demarche("Démarche 2026 " + HOSTILE, REPLAY)
    first = create_atelier(REPLAY, "Atelier élus", demarche_id=demarche_id, audience="Élus", held_on="2026-10-01")
    second = create_atelier(REPLAY, "Atelier CODEV", demarche_id=demarche_id, audience="CODEV", held_on="2026-10-15")
    for atelier, name, points in ((first, "Ana", {"innovation": 10}), (second, "Bob", {"innovation": 2, "solidarite": 8})):
        person = join(atelier.id, name)
        _goto(atelier, "valeurs")
        _act("values_set", person, points=points)
    demarche = db.session.get(Demarche, demarche_id)
    doc = build_for_demarche(demarche)
    validate(doc)
    assert doc["kind"] == "demarche" and doc["cover"]["name"] == "Démarche 2026 " + HOSTILE
    assert [a["id"] for a in doc["ateliers"]] == [first.id, second.id]
    assert doc["cover"]["dates"] == ["2026-10-01", "2026-10-15"] and doc["cover"]["audiences"] == ["Élus", "CODEV"]
    assert [(r["atelier_id"], r["audience"]) for r in doc["annexes"]["value_votes"]] == [
        (first.id, "Élus"), (second.id, "CODEV"), (second.id, "CODEV")]
    assert [(v["id"], v["points"]) for v in doc["values"]["items"][:2]] == [("innovation", 12), ("solidarite", 8)]
    assert [r["count"] for r in doc["participation"]["by_atelier"]] == [1, 1]
