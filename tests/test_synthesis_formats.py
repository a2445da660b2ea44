"""Every format says the same thing, for an atelier and for a démarche: each file is read back by a
real reader (lxml, poppler's pdftotext, python-docx, odfpy, openpyxl, csv, jsonschema) and must show the same
version, the same key figures, the same engagements with the same piste counts; labels, never
ids; French numbers."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import docx
import lxml.html
import openpyxl
import pytest

from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.actions.participation import join
from fabrique.extensions import db
from fabrique.models import Atelier, Demarche
from fabrique.synthesis.wording import fr_date, key_figures, version_label
from tests.pdf_reader import pdf_text
from tests.test_synthesis import app, exports_in_process, normalised, validate  # noqa: F401  (module-wide fixtures)
from tests.test_synthesis_demarche import TEMPLATE, act, facilitate, goto

FORMATS = ("html", "pdf", "docx", "odt", "xlsx", "csv", "json")
IDS = ("solidarite", "nature-a-proteger", "ouverture-monde", "vivre-mieux", "art-de-vivre")


@pytest.fixture(scope="module")
def lived(app):  # noqa: F811
    """Two ateliers of a démarche: votes, paradoxes, pistes, a merge, dots, engagements, a carry-over."""
    demarche_id = new_demarche("Démarche des formats", TEMPLATE)
    first = create_atelier(TEMPLATE, "Atelier élus", demarche_id=demarche_id, audience="Élus", held_on="2026-10-01")
    later = create_atelier(TEMPLATE, "Atelier CODEV", demarche_id=demarche_id, audience="CODEV", held_on="2026-11-12")
    for atelier, names in ((first, ("Ana", "Bob", "Cléo")), (later, ("Dan", "Eve"))):
        people = [join(atelier.id, n) for n in names]
        goto(atelier, "paradoxes")
        act("paradox_toggle", people[0], paradox_id="nature-a-proteger", chosen=True)
        goto(atelier, "valeurs")
        act("values_set", people[0], points={"solidarite": 1})
        act("values_set", people[1], points={"solidarite": 1, "innovation": 1})
        goto(atelier, "pistes")
        ids = [act("piste_add", p, theme_id=theme, horizon="2040", text=f"Proposition {len(theme)} de {p.pseudonym}", hashtags=["Mobilité"])["piste_id"]
               for p in people for theme in ("vivre-mieux", "art-de-vivre")]
        goto(atelier, "vote")
        for p in people:
            act("support_add", p, piste_id=ids[0])
        act("support_add", people[1], piste_id=ids[2])
        facilitate(atelier, "piste_merge", piste_id=ids[2], into_id=ids[0])
        facilitate(atelier, "engagement_create", theme_id="vivre-mieux", title=f"Engagement mobilité {atelier.audience}",
                   piste_ids=[ids[0]])
        facilitate(atelier, "engagement_create", theme_id="art-de-vivre", title=f"Engagement patrimoine {atelier.audience}",
                   piste_ids=[ids[1], ids[3]])
        if atelier is later:
            facilitate(later, "carry_over", from_atelier_id=first.id)
    db.session.expire_all()
    return {"atelier": db.session.get(Atelier, later.id), "demarche": db.session.get(Demarche, demarche_id)}


def _texts(fmt: str, body: bytes) -> tuple[str, dict | None]:
    """Return a format's readable text and, for the spreadsheets, their "synthese" table."""
    if fmt == "html":
        return normalised(lxml.html.fromstring(body).text_content()), None
    if fmt == "pdf":
        return normalised(pdf_text(body)), None
    if fmt == "docx":
        document = docx.Document(io.BytesIO(body))
        parts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
        return normalised(" ".join(parts)), None
    if fmt == "odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        document = load(io.BytesIO(body))
        parts = [teletype.extractText(e) for e in document.getElementsByType(H) + document.getElementsByType(P)]
        return normalised(" ".join(parts)), None
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
        return normalised(" ".join(str(v) for rows in sheets.values() for r in rows for v in r if v is not None)), sheets
    if fmt == "csv":
        archive = zipfile.ZipFile(io.BytesIO(body))
        sheets = {name[:-4]: list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig")), delimiter=";"))
                  for name in archive.namelist()}
        return normalised(" ".join(v for rows in sheets.values() for r in rows for v in r)), sheets
    raise AssertionError(fmt)


@pytest.fixture(scope="module", params=["atelier", "demarche"])
def files(request, app, lived):  # noqa: F811
    """Every format of the atelier's (or the démarche's) synthesis, downloaded once."""
    client = app.test_client()
    token = lived["atelier"].review_token
    scope = "?demarche=1" if request.param == "demarche" else ""
    out = {}
    for fmt in FORMATS:
        response = client.get(f"/synthese/{token}" + ("" if fmt == "html" else f".{fmt}") + scope)
        assert response.status_code == 200, (fmt, response.get_data(as_text=True)[:300])
        out[fmt] = response.data
    doc = client.get(f"/synthese/{token}.json{scope}").get_json()
    validate(doc)
    return request.param, doc, out


def test_the_document_is_what_was_lived(files):
    kind, doc, _files = files
    assert doc["kind"] == kind
    shown = [p for p in doc["annexes"]["pistes"] if p["status"] == "visible"]
    # The atelier: its own 4 pistes, one merged (3), and the 5 the first atelier kept after its merge.
    # The démarche: the same 8: the carried copies stand for their originals (not 13).
    assert len(shown) == doc["participation"]["totals"]["pistes"] == 8
    assert doc["participation"]["total"] == (5 if kind == "demarche" else 2)
    engagements = [e for t in doc["themes"] for e in t["engagements"]]
    assert len(engagements) == (4 if kind == "demarche" else 2)
    assert all(e["piste_count"] >= 1 for e in engagements)


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_every_format_states_the_same_version_and_figures(files, fmt):
    _kind, doc, out = files
    text, sheets = _texts(fmt, out[fmt])
    assert version_label(doc) in text and re.search(r"version du \d{1,2}(er)? \w+ 20\d\d à \d{1,2} h \d\d", text)
    assert normalised(key_figures(doc)) in text
    if sheets is not None:
        summary = {row[0]: row[1] for row in sheets["synthese"][1:]}
        assert summary["version"] == version_label(doc)
        assert int(summary["participants"]) == doc["participation"]["total"]
        # The rows are named in the template's words ("pistes de projet", or a framework's "priorités").
        assert int(summary[doc["template"]["vocabulary"]["piste"]["pl"]]) == doc["participation"]["totals"]["pistes"]
        assert int(summary[doc["template"]["vocabulary"]["engagement"]["pl"]]) == doc["participation"]["totals"]["engagements"]


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_every_format_shows_the_same_engagements_and_piste_counts(files, fmt):
    _kind, doc, out = files
    text, sheets = _texts(fmt, out[fmt])
    engagements = [e for t in doc["themes"] for e in t["engagements"]]
    if sheets is not None:
        header, *rows = sheets["engagements"]
        assert [(r[header.index("titre")], int(r[header.index("pistes")])) for r in rows] == [
            (e["title"], e["piste_count"]) for e in engagements]
        pistes_header, *pistes = sheets["pistes"]
        supports = sum(int(r[pistes_header.index("soutiens")] or 0) for r in pistes)
        assert supports == sum(p["supports"] for p in doc["annexes"]["pistes"])
        return
    position = text.rindex("Comment y parvenir ?", 0, text.index("Pistes de projet ("))
    for e in engagements:
        position = text.index(e["title"], position)
        shown = re.compile(r"Pistes de projet \((\d+)\)").search(text, position)
        assert shown and int(shown.group(1)) == e["piste_count"], e["title"]
        position = shown.end()


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "odt"])
def test_readers_see_labels_and_french_numbers(files, fmt):
    _kind, doc, out = files
    text, _sheets = _texts(fmt, out[fmt])
    assert not [i for i in IDS if i in text]
    share = next(v for v in doc["values"]["items"] if v["id"] == "solidarite")["share"]
    assert f"{100 * share:.1f}".replace(".", ",") + " %" in text.replace("\u00a0", " ")
    assert not re.search(r"\d\.\d %", text)
    assert "Origine : Atelier élus (Élus)" in text  # carried pistes say where they come from


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_every_format_shows_the_demarches_timeline(files, fmt):
    kind, doc, out = files
    text, sheets = _texts(fmt, out[fmt])
    assert [(e["title"], e["audience"], e["participants"]) for e in doc["timeline"]] == (
        [("Atelier élus", "Élus", 3), ("Atelier CODEV", "CODEV", 2)] if kind == "demarche" else [("Atelier CODEV", "CODEV", 2)])
    if sheets is not None:
        header, *rows = sheets["chronologie"]
        assert [(r[header.index("date")], r[header.index("atelier")], r[header.index("public")], int(r[header.index("participants")]))
                for r in rows] == [(fr_date(e["date"]), e["title"], e["audience"], e["participants"]) for e in doc["timeline"]]
        return
    if kind == "atelier":  # one atelier: its date and audience are on the cover, no timeline
        assert "atelier par atelier" not in text
        return
    timeline = text[text.index("La démarche, atelier par atelier"):]
    # In date order, each with its date, audience, format and participants (a PDF's table cells may
    # wrap and interleave their lines, so each is looked for on its own).
    assert [timeline.index(e["title"]) for e in doc["timeline"]] == sorted(timeline.index(e["title"]) for e in doc["timeline"])
    for entry in doc["timeline"]:
        for shown in (fr_date(entry["date"]), entry["audience"], f" {entry['participants']} ") + ((entry["format"],) if fmt != "pdf" else ()):
            assert shown in timeline.replace("\u00a0", " "), (entry["title"], shown)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_keywords_of_each_theme(files, fmt):
    _kind, doc, out = files
    assert all(t["tags"] for t in doc["themes"])
    if fmt == "json":
        return  # the document itself: `tags`, validated by the schema
    text, sheets = _texts(fmt, out[fmt])
    if sheets is not None:
        header, *rows = sheets["themes"]
        assert {r[header.index("titre")]: r[header.index("mots-clés")] for r in rows} == {
            t["title"]: ", ".join(t["tags"]) for t in doc["themes"]}
        return
    for theme in doc["themes"]:
        assert "Mots-clés : " + " · ".join(theme["tags"]) in text.replace("\u00a0", " "), theme["title"]
