"""The synthesis page and the single CSV table are made by the worker process, as every other
format: the page served equals the page built from the document in the server, its review forms
still post (CSRF token, op_id and flashed messages are the request's own), and one table read back
equals that table of the document."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import datetime

from flask import g, url_for
from markupsafe import Markup
from sqlalchemy import func, select

from fabrique.extensions import db
from fabrique.models import Atelier, ReviewComment
from fabrique.synthesis import FORMATS, build, exports, to_html
from fabrique.synthesis.tables import tables
from tests.factories import HOSTILE, Console, Phone, new_atelier


def _filled(app) -> Atelier:
    atelier = new_atelier()
    console = Console(app, atelier)
    phone = Phone(app, atelier, "Ana")
    console.goto("pistes")
    piste_id = phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Des navettes " + HOSTILE, hashtags=["Mobilité"])["piste_id"]
    console.goto("vote")
    phone.act("support_add", piste_id=piste_id)
    console.act("engagement_create", theme_id="vivre-mieux", title="Démultiplions les navettes " + HOSTILE, piste_ids=[piste_id])
    db.session.expire_all()
    return db.session.get(Atelier, atelier.id)


def _field(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', page).group(1)


def _fresh(client, url):
    g.pop("csrf_token", None)  # each request its own session's token (see tests/test_security.py)
    return client.get(url)


def test_the_page_made_by_the_worker_is_the_page_built_in_the_server(app, client):
    atelier = _filled(app)
    served = client.get(f"/synthese/{atelier.review_token}")
    assert served.status_code == 200 and "Content-Security-Policy" in served.headers
    page = served.get_data(as_text=True)
    assert "<!--fabrique:" not in page  # every slot filled
    created = re.search(r'name="dcterms.created" content="([^"]+)"', page).group(1)
    doc = build(atelier, now=datetime.fromisoformat(created.replace("Z", "")))
    token = atelier.review_token
    with app.test_request_context():
        expected = to_html.render(
            doc, downloads=[{"url": url_for("synthesis.download", token=token, fmt=fmt), "label": f.label} for fmt, f in FORMATS.items()],
            review={"action": url_for("review.submit", token=token), "general": True, "csrf_token": _field(page, "csrf_token"),
                    "op_id": _field(page, "op_id").rsplit("-", 1)[0], "messages": Markup("")},
            script=url_for("static", filename="js/synthesis.js"))
    assert page == expected
    assert HOSTILE not in page and "Démultiplions les navettes" in page  # escaped, as before


def test_the_review_form_of_the_cached_page_posts_and_says_so(app):
    atelier = _filled(app)
    app.config["WTF_CSRF_ENABLED"] = True  # the forms are posted from their page, as a reader does
    try:
        url = f"/synthese/{atelier.review_token}"
        reviewer = app.test_client()
        first = _fresh(reviewer, url).get_data(as_text=True)
        again = _fresh(reviewer, url).get_data(as_text=True)
        assert _field(first, "op_id") != _field(again, "op_id")  # a fresh op_id per page shown, from one cached page
        other = _fresh(app.test_client(), url).get_data(as_text=True)
        assert _field(other, "csrf_token") != _field(first, "csrf_token")  # each session its own token
        engagement_id = _field(first, "engagement_id")
        form = {"op_id": _field(first, "op_id"), "engagement_id": engagement_id, "opinion": "reserve",
                "text": "Et le calendrier ?", "reviewer": "Membre du CODEV"}
        assert reviewer.post(f"{url}/avis", data=form).status_code == 400  # no token: refused
        posted = reviewer.post(f"{url}/avis", data={**form, "csrf_token": _field(first, "csrf_token")})
        assert posted.status_code == 302 and posted.location.endswith(f"#engagement-{engagement_id}")
        assert db.session.scalar(select(func.count()).select_from(ReviewComment)) == 1
        after = _fresh(reviewer, url).get_data(as_text=True)
        assert 'class="review-message review-ok"' in after and "Merci : votre avis est enregistré." in after
        assert "Et le calendrier ?" in after  # a new version: the page was made again
        assert "Merci :" not in _fresh(reviewer, url).get_data(as_text=True)  # the message is said once
        assert "Merci :" not in _fresh(app.test_client(), url).get_data(as_text=True)  # and to that reader only
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_demarche_page_has_no_review_form(app, client):
    from fabrique.actions.ateliers import create_atelier, new_demarche

    demarche_id = new_demarche("Démarche de la page", "la-fabrique-amp-2017")
    atelier = create_atelier("la-fabrique-amp-2017", "Atelier", demarche_id=demarche_id)
    page = client.get(f"/synthese/{atelier.review_token}?demarche=1").get_data(as_text=True)
    assert 'class="review-form"' not in page and "<!--fabrique:" not in page
    assert f"/synthese/{atelier.review_token}.pdf?demarche=1" in page


def test_one_csv_table_is_made_by_the_worker_and_reads_back_as_the_document_says(app, client):
    atelier = _filled(app)
    response = client.get(f"/synthese/{atelier.review_token}.csv?table=pistes")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "-pistes.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    (table,) = [t for t in tables(build(atelier)) if t.name == "pistes"]
    assert rows[0] == list(table.columns)
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in table.rows]  # no cell starts a formula here
    assert rows[1][table.columns.index("soutiens")] == "1" and HOSTILE in rows[1][table.columns.index("texte")]
    assert client.get(f"/synthese/{atelier.review_token}.csv?table=inconnue").status_code == 404


def test_readers_asking_for_a_file_being_made_wait_for_that_one(monkeypatch):
    made, release = [], threading.Event()

    def make():
        made.append(1)
        release.wait(5)
        return "inline", b"fichier"

    key = ("jeton", False, 12, "html", None)
    answers = []
    readers = [threading.Thread(target=lambda: answers.append(exports.cached(key, make))) for _ in range(4)]
    for reader in readers:
        reader.start()
    release.set()
    for reader in readers:
        reader.join(10)
    assert made == [1] and answers == [("inline", b"fichier")] * 4
