"""Retention: `flask purge` removes personal data from the database and from every export, keeps
the published synthesis when asked, and `--dry-run` only lists."""

import io
import zipfile
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from fabrique.actions.review import add_review
from fabrique.extensions import db
from fabrique.models import AppliedAction, Atelier, Demarche, Participant, Piste, ReviewComment
from tests.factories import Console, Phone, new_atelier, op
from tests.pdf_reader import pdf_text

PSEUDONYM = "Zoé Purgeable"
REVIEWER = "Gérard Relecteur"
PISTE = "Des navettes fluviales entre les quartiers"


def export_texts(client, token: str) -> dict[str, str]:
    """Return the text of the synthesis in every format (archives unpacked, the PDF read back)."""
    texts = {"html": client.get(f"/synthese/{token}").get_data(as_text=True)}
    for fmt in ("pdf", "docx", "xlsx", "csv", "json"):
        response = client.get(f"/synthese/{token}.{fmt}")
        assert response.status_code == 200, fmt
        body = response.get_data()
        if fmt == "pdf":
            texts[fmt] = pdf_text(body)
        elif fmt in ("docx", "xlsx", "csv"):
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                texts[fmt] = " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
        else:
            texts[fmt] = body.decode()
    return texts


@pytest.fixture
def filled(app):
    """An atelier with a named participant, a piste, an acknowledged action and a named review."""
    atelier = new_atelier()
    console = Console(app, atelier)
    phone = Phone(app, atelier, PSEUDONYM)
    console.goto("pistes")
    assert phone.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=PISTE, hashtags=[])["ok"]
    add_review(atelier.id, op(), REVIEWER, opinion="favorable", text="Bien")
    return atelier


def test_keeping_the_synthesis_leaves_no_name_in_the_database_or_any_export(app, runner, filled):
    client = app.test_client()
    before = client.get(f"/synthese/{filled.review_token}.json").get_data(as_text=True)
    assert REVIEWER in before and PISTE in before
    rejoin_code = db.session.scalar(select(Participant.rejoin_code))

    result = runner.invoke(args=["purge", "--atelier", str(filled.id), "--keep-synthesis"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    participant = db.session.scalar(select(Participant))
    assert participant.pseudonym == "Participant 1" and participant.rejoin_code != rejoin_code
    assert db.session.scalar(select(ReviewComment.reviewer)) == "Relecture 1"
    assert db.session.scalar(select(func.count()).select_from(AppliedAction)) == 0
    assert client.post(f"/j/{filled.join_code}/retour", data={"rejoin_code": rejoin_code}).status_code != 302

    after = export_texts(client, filled.review_token)
    for fmt, text in after.items():
        assert PSEUDONYM not in text and REVIEWER not in text, fmt
        assert "navettes fluviales" in text, fmt  # what the synthesis publishes is kept


def test_purging_an_atelier_deletes_everything_of_it_and_its_synthesis(app, runner, filled):
    result = runner.invoke(args=["purge", "--atelier", str(filled.id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    for model in (Atelier, Participant, Piste, ReviewComment, AppliedAction):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
    assert app.test_client().get(f"/synthese/{filled.review_token}").status_code == 404


def test_dry_run_lists_what_is_past_retention_and_changes_nothing(app, runner):
    old, recent = new_atelier(), new_atelier()
    old.held_on = (date.today() - timedelta(days=400)).isoformat()
    old.created_at = datetime(2024, 1, 1)
    db.session.commit()
    result = runner.invoke(args=["purge", "--expired", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"{old.id:>4}  {old.name}" in result.output and f"{recent.id:>4}  " not in result.output
    assert db.session.scalar(select(func.count()).select_from(Atelier)) == 2

    assert runner.invoke(args=["purge", "--expired"]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalars(select(Atelier.id)).all() == [recent.id]


def test_a_demarche_goes_with_its_ateliers(app, runner):
    from fabrique.actions.ateliers import create_atelier, new_demarche

    demarche_id = new_demarche("Projet de territoire", "la-fabrique-amp-2017")
    for name in ("Élus", "Habitants"):
        create_atelier("la-fabrique-amp-2017", name, demarche_id=demarche_id)
    assert runner.invoke(args=["purge", "--demarche", str(demarche_id)]).exit_code == 0
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Atelier)) == 0
    assert db.session.get(Demarche, demarche_id) is None


def test_purge_wants_exactly_one_target(runner, app):
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code != 0 and "--atelier" in result.output


def test_the_join_page_says_what_is_kept_for_how_long_and_whom_to_ask(make_app, tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'p.sqlite3'}", RETENTION_DAYS=90, PRIVACY_CONTACT="dpo@metropole.example")
    with app.app_context():
        atelier = new_atelier()
        page = app.test_client().get(f"/j/{atelier.join_code}").get_data(as_text=True)
    assert "Vos données" in page and "pseudonyme" in page
    assert "supprimées 90 jours après la dernière séance" in page and "dpo@metropole.example" in page
