"""« Et après » and the démarche's review link, read back from every format by a real reader.

A démarche of two ateliers, each with its « Et après » and an engagement; reviewers give their
opinion on both engagements from the démarche's one review page. Every format of each synthesis
must say what happens next (the démarche's in the timeline's order) and carry the opinions in its
annex; each atelier's console sees the opinions on its own engagements.
"""

from __future__ import annotations

import io
import re

import lxml.html
import pytest

from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.extensions import db
from fabrique.models import Atelier, Demarche, ReviewComment
from fabrique.synthesis.wording import fr_date
from tests.factories import Console
from tests.test_synthesis import app, exports_in_process, normalised, validate  # noqa: F401  (module-wide fixtures)
from tests.test_synthesis_demarche import TEMPLATE, facilitate
from tests.test_synthesis_formats import FORMATS, _texts

CODEV_NEXT = "Le CODEV rend son avis le 20 janvier ; les participants le recevront par courriel."
ELUS_NEXT = "Les élus délibèrent au printemps.\nProchain atelier : la convergence, le 14 mars."
REVIEWER = "Martine du CODEV"


def text_of(fmt: str, body: bytes) -> tuple[str, dict | None]:
    """Return a format's text in reading order (an ODT's headings and paragraphs interleaved, as written)."""
    if fmt != "odt":
        return _texts(fmt, body)
    from odf import teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    parts = []

    def walk(node):
        for child in node.childNodes:
            if child.qname in ((TEXTNS, "h"), (TEXTNS, "p")):
                parts.append(teletype.extractText(child))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(load(io.BytesIO(body)).text)
    return normalised(" ".join(parts)), None


def review_page(app, client, token: str):
    """Return the synthesis page of a review link, rendered in a fresh app context (Flask-WTF keeps the
    form's token in `g`, which the module's long-lived app context would share across clients)."""
    with app.app_context():
        return client.get(f"/synthese/{token}")


def form_fields(page: str, engagement_id: int) -> dict:
    """Return the hidden fields of the opinion form under one engagement of a synthesis page."""
    form = next(f for f in lxml.html.fromstring(page).forms if f.fields.get("engagement_id") == str(engagement_id))
    return {"op_id": form.fields["op_id"], "csrf_token": form.fields["csrf_token"], "engagement_id": str(engagement_id)}


@pytest.fixture(scope="module")
def demarche(app):  # noqa: F811
    """Two ateliers, created in the reverse of their dates, each with an engagement and its « Et après »."""
    demarche_id = new_demarche("Démarche des suites", TEMPLATE)
    codev = create_atelier(TEMPLATE, "Atelier CODEV", demarche_id=demarche_id, audience="CODEV", held_on="2026-11-12")
    elus = create_atelier(TEMPLATE, "Atelier élus", demarche_id=demarche_id, audience="Élus", held_on="2026-10-01")
    engagements = {}
    for atelier, text in ((codev, CODEV_NEXT), (elus, ELUS_NEXT)):
        engagements[atelier.id] = facilitate(atelier, "engagement_create", theme_id="vivre-mieux",
                                             title=f"Engagement mobilité {atelier.audience}")["engagement_id"]
        facilitate(atelier, "after_set", text=text)
    db.session.expire_all()
    return {"codev": db.session.get(Atelier, codev.id), "elus": db.session.get(Atelier, elus.id),
            "demarche": db.session.get(Demarche, demarche_id), "engagements": engagements}


@pytest.fixture(scope="module")
def reviewed(app, demarche):  # noqa: F811
    """Opinions on both ateliers' engagements, sent from the démarche's review page."""
    client = app.test_client()
    token = demarche["demarche"].review_token
    page = review_page(app, client, token)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    html = page.get_data(as_text=True)
    for (atelier_id, engagement_id), opinion in zip(demarche["engagements"].items(), ("a_amender", "favorable")):
        response = client.post(f"/synthese/{token}/avis", data={
            **form_fields(html, engagement_id), "opinion": opinion, "reviewer": REVIEWER,
            "text": f"Avis de démarche sur l'atelier {atelier_id} <script>x</script>"})
        assert response.status_code == 302 and response.location.endswith(f"#engagement-{engagement_id}")
    after = client.get(f"/synthese/{token}").get_data(as_text=True)
    assert "Merci : votre avis est enregistré." in after
    return demarche


def test_the_demarches_review_page_takes_opinions_on_every_ateliers_engagements(reviewed):
    db.session.expire_all()
    stored = {(c.atelier_id, c.engagement_id, c.opinion, c.reviewer) for c in db.session.query(ReviewComment)}
    codev, elus = reviewed["codev"].id, reviewed["elus"].id
    assert stored == {(codev, reviewed["engagements"][codev], "a_amender", REVIEWER),
                      (elus, reviewed["engagements"][elus], "favorable", REVIEWER)}


def test_each_ateliers_console_sees_the_opinions_on_its_engagements_and_the_demarches_link(app, reviewed):  # noqa: F811
    for key in ("codev", "elus"):
        atelier = reviewed[key]
        state = Console(app, atelier).sync()
        assert [(r["engagement_id"], r["reviewer"]) for r in state["reviews"]] == [(reviewed["engagements"][atelier.id], REVIEWER)]
        assert state["links"]["demarche_review"] == f"/synthese/{reviewed['demarche'].review_token}"


def test_the_demarches_page_asks_no_opinion_on_the_whole_and_refuses_what_is_not_its_own(app, reviewed):  # noqa: F811
    client = app.test_client()
    token = reviewed["demarche"].review_token
    html = review_page(app, client, token).get_data(as_text=True)
    forms = lxml.html.fromstring(html).forms
    assert sorted(int(f.fields["engagement_id"]) for f in forms) == sorted(reviewed["engagements"].values())
    fields = form_fields(html, reviewed["engagements"][reviewed["codev"].id])
    outsider = create_atelier(TEMPLATE, "Hors démarche")
    foreign = facilitate(outsider, "engagement_create", theme_id="vivre-mieux", title="Ailleurs")["engagement_id"]
    count = db.session.query(ReviewComment).count()
    for data, reason in (({**fields, "engagement_id": str(foreign)}, "Engagement introuvable dans cette démarche."),
                         ({**fields, "engagement_id": ""}, "Choisissez l'engagement sur lequel donner votre avis."),
                         ({**fields, "opinion": "bof"}, "Valeur non prévue pour l'avis."),
                         ({**fields, "reviewer": "x" * 300}, "Le nom du relecteur : 200 caractères au plus.")):
        page = client.post(f"/synthese/{token}/avis", data={"opinion": "favorable", "reviewer": "Ana", **data}, follow_redirects=True)
        assert reason in lxml.html.fromstring(page.data).text_content().replace("\u00a0", " "), reason
    without_csrf = {k: v for k, v in fields.items() if k != "csrf_token"}
    assert client.post(f"/synthese/{token}/avis", data={**without_csrf, "opinion": "favorable", "reviewer": "Ana"}).status_code == 400
    db.session.expire_all()
    assert db.session.query(ReviewComment).count() == count


@pytest.fixture(scope="module", params=["atelier", "demarche"])
def files(request, app, reviewed):  # noqa: F811
    """Every format of the CODEV atelier's synthesis, or of the démarche's (through its review link)."""
    client = app.test_client()
    token = reviewed["codev"].review_token if request.param == "atelier" else reviewed["demarche"].review_token
    out = {}
    for fmt in FORMATS:
        response = client.get(f"/synthese/{token}" + ("" if fmt == "html" else f".{fmt}"))
        assert response.status_code == 200, (fmt, response.get_data(as_text=True)[:300])
        assert "no-store" in response.headers["Cache-Control"]
        out[fmt] = response.data
    doc = client.get(f"/synthese/{token}.json").get_json()
    validate(doc)
    return request.param, doc, out


def test_the_document_holds_each_ateliers_next_steps_in_the_timelines_order(files, reviewed):
    kind, doc, _out = files
    expected = [(reviewed["elus"].id, ELUS_NEXT), (reviewed["codev"].id, CODEV_NEXT)] if kind == "demarche" else [
        (reviewed["codev"].id, CODEV_NEXT)]
    assert [(x["atelier_id"], x["text"]) for x in doc["after"]] == expected
    comments = [(c["atelier_id"], c["reviewer"]) for g in doc["annexes"]["reviews"] for c in g["comments"]]
    assert comments == ([(reviewed["codev"].id, REVIEWER), (reviewed["elus"].id, REVIEWER)] if kind == "demarche"
                        else [(reviewed["codev"].id, REVIEWER)])


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_every_format_says_what_happens_next(files, fmt):
    kind, doc, out = files
    text, sheets = text_of(fmt, out[fmt])
    if sheets is not None:
        header, *rows = sheets["suites"]
        assert [(r[header.index("date")], r[header.index("atelier")], r[header.index("texte")]) for r in rows] == [
            (fr_date(x["date"]), x["title"], x["text"]) for x in doc["after"]]
        return
    part = text[text.index("La fabrique des suites", text.index("Comment y parvenir ?")):text.rindex("Annexes")]
    texts = [normalised(x["text"]) for x in doc["after"]]
    assert [part.index(t.split(".")[0]) for t in texts] == sorted(part.index(t.split(".")[0]) for t in texts)
    for t in texts:
        assert t in part, (fmt, t)
    if kind == "demarche":  # each atelier's text under its date and name
        for x in doc["after"]:
            assert f"{fr_date(x['date'])} · {x['title']}" in part.replace("\u00a0", " ")


@pytest.mark.parametrize("fmt", FORMATS[:-1])
def test_every_format_carries_the_demarche_reviews_in_its_annex(files, fmt):
    kind, doc, out = files
    text, sheets = text_of(fmt, out[fmt])
    opinions = [(REVIEWER, "À amender"), (REVIEWER, "Favorable")] if kind == "demarche" else [(REVIEWER, "À amender")]
    if sheets is not None:
        header, *rows = sheets["avis"]
        assert [(r[header.index("relecteur")], r[header.index("avis")]) for r in rows] == opinions
        return
    annex = text[text.rindex("Avis des relecteurs"):]
    assert annex.count(REVIEWER) == len(opinions)
    for atelier in doc["ateliers"]:  # the démarche's annex holds the opinions on every atelier's engagements
        assert f"Avis de démarche sur l'atelier {atelier['id']} <script>x</script>" in annex, (fmt, atelier["name"])


def test_an_empty_next_steps_leaves_no_empty_heading(app, demarche):  # noqa: F811
    atelier = create_atelier(TEMPLATE, "Sans suite écrite")
    client = app.test_client()
    doc = client.get(f"/synthese/{atelier.review_token}.json").get_json()
    assert doc["after"] == []
    for fmt in FORMATS[:-1]:
        response = client.get(f"/synthese/{atelier.review_token}" + ("" if fmt == "html" else f".{fmt}"))
        text, sheets = text_of(fmt, response.data)
        if sheets is not None:
            assert sheets["suites"][1:] == [], fmt
        else:
            assert "La fabrique des suites" not in text and "Et après" not in text, fmt
