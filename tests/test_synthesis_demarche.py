"""The synthesis of a démarche through the real actions: merges made before or after a carry-over,
imported values, engagements of every atelier keeping their pistes — in every format."""

from __future__ import annotations

import lxml.html
import pytest

from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.actions.carry_over import carry_over
from fabrique.actions.contributions import PARTICIPANT_ACTIONS
from fabrique.actions.convergence import CONVERGENCE_ACTIONS
from fabrique.actions.facilitation import FACILITATOR_ACTIONS
from fabrique.actions.participation import join
from fabrique.extensions import db
from fabrique.models import Demarche, Piste
from fabrique.synthesis import build, build_for_demarche
from tests.factories import PHASES, op
from tests.test_synthesis import exports_in_process, validate  # noqa: F401  (a module-wide fixture)

TEMPLATE = "la-fabrique-amp-2017"


def act(name, participant, **data):
    answer = PARTICIPANT_ACTIONS[name](participant.id, op(), data)
    assert answer.get("ok", True), answer
    return answer


def facilitate(atelier, name, **data):
    fn = {**FACILITATOR_ACTIONS, **CONVERGENCE_ACTIONS, "carry_over": carry_over}[name]
    answer = fn(atelier.id, op(), data)
    assert answer.get("ok", True), answer
    return answer


def goto(atelier, kind):
    facilitate(atelier, "phase_goto", to=PHASES[kind])


@pytest.fixture
def two_ateliers(app):
    demarche_id = new_demarche("Projet de territoire", TEMPLATE)
    first = create_atelier(TEMPLATE, "Pistes", demarche_id=demarche_id, audience="CODEV", held_on="2026-10-01")
    later = create_atelier(TEMPLATE, "Convergence", demarche_id=demarche_id, audience="Élus", held_on="2026-11-01")
    people = [join(first.id, name) for name in ("Ana", "Bob", "Cléo")]
    goto(first, "valeurs")
    act("values_set", people[0], points={"innovation": 6, "solidarite": 4})
    act("values_set", people[1], points={"solidarite": 10})
    goto(first, "pistes")
    kept = act("piste_add", people[0], theme_id="vivre-mieux", horizon="2040", text="Des navettes", hashtags=[])["piste_id"]
    twin = act("piste_add", people[1], theme_id="vivre-mieux", horizon="2040", text="Des navettes aussi", hashtags=[])["piste_id"]
    other = act("piste_add", people[2], theme_id="vivre-ensemble", horizon="2024", text="Une maison des projets", hashtags=[])["piste_id"]
    goto(first, "vote")
    for person in people:
        act("support_add", person, piste_id=kept)
    act("support_add", people[2], piste_id=twin)  # Cléo supports both twins: once after the merge
    act("support_add", people[0], piste_id=other)
    goto(first, "convergence")
    engagement = facilitate(first, "engagement_create", theme_id="vivre-mieux", title="Démultiplions les navettes",
                            piste_ids=[kept])["engagement_id"]
    return {"demarche": db.session.get(Demarche, demarche_id), "first": first, "later": later, "people": people,
            "kept": kept, "twin": twin, "other": other, "engagement": engagement}


def _every_format_answers(client, atelier, scope=""):
    for suffix in ("", ".pdf", ".docx", ".xlsx", ".csv", ".json"):
        if suffix == ".pdf":
            continue  # laid out by WeasyPrint in test_synthesis; here the document must build
        response = client.get(f"/synthese/{atelier.review_token}{suffix}{scope}")
        assert response.status_code == 200, (suffix, response.get_data(as_text=True)[:500])


def test_regression_a_merged_piste_carried_over_keeps_the_demarche_synthesis_building(two_ateliers, client):
    t = two_ateliers
    facilitate(t["first"], "piste_merge", piste_id=t["twin"], into_id=t["kept"])
    facilitate(t["later"], "carry_over", from_atelier_id=t["first"].id)
    _every_format_answers(client, t["later"], "?demarche=1")
    doc = build_for_demarche(t["demarche"])
    validate(doc)
    shown = [p for p in doc["annexes"]["pistes"] if p["status"] == "visible"]
    assert sorted(p["text"] for p in shown) == ["Des navettes", "Une maison des projets"]  # each proposal once
    navettes = next(p for p in shown if p["text"] == "Des navettes")
    assert navettes["atelier_id"] == t["later"].id and navettes["origin"] == "Pistes (CODEV)"  # the copy stands for it
    assert navettes["supports"] == 3  # Ana, Bob, Cléo — Cléo's two dots count once
    assert doc["participation"]["totals"]["pistes"] == 2
    twin = next(p for p in doc["annexes"]["pistes"] if p["id"] == t["twin"])
    assert (twin["status"], twin["merged_into"]) == ("merged", navettes["id"])
    (engagement,) = [e for th in doc["themes"] for e in th["engagements"]]
    assert [p["text"] for p in engagement["pistes"]] == ["Des navettes"]
    assert all(s["counted"] for s in doc["annexes"]["supports"])


def test_regression_a_merge_made_after_the_carry_over_is_respected_on_both_sides(two_ateliers):
    t = two_ateliers
    facilitate(t["later"], "carry_over", from_atelier_id=t["first"].id)
    copies = {p.origin_piste_id: p.id for p in db.session.query(Piste).filter_by(atelier_id=t["later"].id)}
    facilitate(t["first"], "piste_merge", piste_id=t["twin"], into_id=t["kept"])  # in the original atelier
    facilitate(t["later"], "piste_merge", piste_id=copies[t["other"]], into_id=copies[t["kept"]])  # in the later one
    doc = build_for_demarche(t["demarche"])
    validate(doc)
    shown = [p for p in doc["annexes"]["pistes"] if p["status"] == "visible"]
    assert [(p["id"], p["supports"]) for p in shown] == [(copies[t["kept"]], 3)]
    assert {a["persona_id"] for a in shown[0]["author_personas"]} == {p.persona_id for p in t["people"]}


def test_regression_engagements_and_supports_of_the_first_atelier_survive_the_carry_over(two_ateliers):
    t = two_ateliers
    facilitate(t["later"], "carry_over", from_atelier_id=t["first"].id)
    doc = build_for_demarche(t["demarche"])
    (engagement,) = [e for th in doc["themes"] for e in th["engagements"]]
    assert engagement["piste_count"] == 1 and engagement["pistes"][0]["supports"] == 3
    assert doc["participation"]["contributors"]["pistes"] == 3
    assert all(s["counted"] for s in doc["annexes"]["supports"])
    assert len([p for p in doc["annexes"]["pistes"] if p["status"] == "visible"]) == 3


def test_regression_imported_values_appear_in_the_importing_atelier_marked_as_imported(two_ateliers, client):
    t = two_ateliers
    facilitate(t["later"], "carry_over", from_atelier_id=t["first"].id)
    doc = build(t["later"])
    validate(doc)
    values = doc["values"]
    assert values["basis"] == "imported"
    assert [(v["id"], v["points"], v["rank"]) for v in values["items"][:2]] == [("solidarite", 14, 1), ("innovation", 6, 2)]
    assert values["imported"] == [{"atelier_id": t["first"].id, "label": "Pistes (CODEV)", "ranking": [
        {"value_id": "solidarite", "label": "Solidarité", "points": 14},
        {"value_id": "innovation", "label": "Innovation", "points": 6}]}]
    page = lxml.html.fromstring(client.get(f"/synthese/{t['later'].review_token}").data).text_content()
    assert "Aucun vote sur les valeurs n'a été enregistré" not in page
    assert "20 points, classement repris de l'atelier « Pistes (CODEV) » (valeurs importées)." in page
    # In the démarche's synthesis the first atelier counts by its own votes: nothing twice.
    whole = build_for_demarche(t["demarche"])["values"]
    assert whole["basis"] == "votes" and whole["total_points"] == 20 and whole["imported"] == []


def test_flask_export_writes_any_format_of_an_atelier_or_its_demarche(two_ateliers, runner, tmp_path):
    import docx
    import json

    t = two_ateliers
    facilitate(t["later"], "carry_over", from_atelier_id=t["first"].id)
    target = tmp_path / "demarche.docx"
    result = runner.invoke(args=["export", str(t["later"].id), "--format", "docx", "--demarche", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "version du " in result.output
    headings = [p.text for p in docx.Document(str(target)).paragraphs if p.style.name.startswith("Heading")]
    assert "Démultiplions les navettes" in headings
    result = runner.invoke(args=["export", str(t["first"].id), "--format", "json", "-o", str(tmp_path / "a.json")])
    assert result.exit_code == 0 and json.loads((tmp_path / "a.json").read_text("utf-8"))["kind"] == "atelier"
    result = runner.invoke(args=["export", "999999", "--format", "odt"])
    assert result.exit_code != 0 and "Aucun atelier n° 999999" in result.output
    alone = create_atelier(TEMPLATE, "Seul")
    result = runner.invoke(args=["export", str(alone.id), "--demarche"])
    assert result.exit_code != 0 and "aucune démarche" in result.output
