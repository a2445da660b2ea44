"""Templates and personas are data: every shipped file loads, every mistake is named precisely."""

import shutil
from pathlib import Path

import pytest
import yaml

from fabrique.catalog import PHASE_KINDS, load_catalog

ROOT = Path(__file__).resolve().parent.parent
SESSIONS, PERSONAS = ROOT / "sessions", ROOT / "personas"
SHIPPED_TEMPLATES = {"la-fabrique-amp-2017", "metz-socle-metropolitain", "petr-coeur-de-lorraine", "pole-metropolitain-loire-bretagne"}


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(SESSIONS, PERSONAS)


def test_every_shipped_file_is_valid(shipped):
    assert [str(e) for e in shipped.errors] == []
    assert set(shipped.templates) == SHIPPED_TEMPLATES
    assert len(shipped.personas) == 8 + 6 + 6 + 6
    assert set(shipped.replays) == {"la-fabrique-amp-2017"}


def test_la_fabrique_template_is_faithful_to_the_2017_synthesis(shipped):
    t = shipped.templates["la-fabrique-amp-2017"]
    assert t.territory == "Aix-Marseille-Provence" and t.year == 2017
    assert [v.id for v in t.values] == ["innovation", "responsabilite", "ouverture", "solidarite", "authenticite"]
    assert all(v.ideas for v in t.values)
    assert len(t.paradoxes) == 7
    assert all(p.atout and p.defi and p.figures for p in t.paradoxes)
    assert [th.title for th in t.themes] == ["Vivre Mieux", "Vivre Monde", "Vivre Ensemble", "Art de Vivre"]
    assert all(th.defi and th.questions and th.tags for th in t.themes)
    assert [h.id for h in t.horizons] == ["2024", "2040"]
    assert {"Mobilité", "Emploi"} <= set(t.hashtags)
    assert t.engagements_per_theme == 3
    assert [f.id for f in t.formats][:3] == ["valeurs", "objectifs-et-pistes", "convergence"]
    assert len(shipped.personas_for(t)) == 8


def test_other_territories_run_as_templates(shipped):
    assert len(shipped.templates["metz-socle-metropolitain"].themes) == 3
    assert sum(len(th.objectives) for th in shipped.templates["metz-socle-metropolitain"].themes) == 10
    assert len(shipped.templates["petr-coeur-de-lorraine"].themes) == 4
    assert len(shipped.templates["pole-metropolitain-loire-bretagne"].themes) == 2
    for template in shipped.templates.values():
        for fmt in template.formats:
            assert {p.kind for p in fmt.phases} <= set(PHASE_KINDS)


def test_each_territory_has_its_own_personas(shipped):
    """Six to eight residents per territory, written for it; no Aix-Marseille resident outside La Fabrique."""
    seen = {}
    for template in shipped.templates.values():
        personas = shipped.personas_for(template)
        assert 6 <= len(personas) <= 8, template.id
        assert not template.borrowed_personas
        assert all(p.territory == template.territory for p in personas), template.id
        for p in personas:
            assert seen.setdefault(p.id, template.id) == template.id, f"{p.id} serves two territories"
    assert {p.commune for p in shipped.personas_for(shipped.templates["metz-socle-metropolitain"])} >= {"Laquenexy", "Montigny-lès-Metz"}
    illustrations = [p.illustration for p in shipped.personas.values()]
    assert len(set(illustrations)) == len(illustrations)


@pytest.mark.parametrize("change,message", [
    (lambda d: d.update(personas=[]), "au moins 1 élément attendu"),
    (lambda d: d.pop("personas"), "champ obligatoire manquant"),
    (lambda d: d.update(borrowed_personas=[]), "« agricultrice » est un habitant de « Aix-Marseille-Provence », pas de « Ici »"),
    (lambda d: d.update(borrowed_personas=["retraite"]), "borrowed_personas : « retraite » n'est pas dans la liste « personas »"),
    (lambda d: d.update(personas=["agricultrice", "agricultrice"]), "un même persona apparaît deux fois"),
])
def test_a_template_without_its_own_personas_is_refused(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(data)
    result = load_one(tmp_path, data)
    assert len(result.errors) == 1 and message in result.errors[0].message, [str(e) for e in result.errors]


def test_a_persona_without_territory_serves_any_template(tmp_path):
    personas = tmp_path / "personas"
    shutil.copytree(PERSONAS, personas)
    data = yaml.safe_load((personas / "etudiante.yaml").read_text())
    del data["territory"]
    (personas / "commune.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "essai.yaml").write_text(yaml.safe_dump({**MINIMAL, "personas": ["commune"], "borrowed_personas": []}, allow_unicode=True))
    assert load_catalog(sessions, personas).errors == ()


def test_personas_are_complete_with_their_illustration(shipped):
    for persona in shipped.personas.values():
        assert persona.name and persona.commune and persona.quote and persona.works and persona.does_not_work
        svg = persona.illustration_path.read_text()
        assert svg.lstrip().startswith("<svg") and "<title>" in svg and "<script" not in svg


def test_the_2017_replay_holds_the_12_engagements(shipped):
    replay = shipped.replays["la-fabrique-amp-2017"]
    assert len(replay.engagements) == 12
    by_theme = {}
    for engagement in replay.engagements:
        by_theme[engagement.theme] = by_theme.get(engagement.theme, 0) + 1
        assert engagement.purpose and engagement.how
    assert by_theme == {"vivre-mieux": 3, "vivre-monde": 3, "vivre-ensemble": 3, "art-de-vivre": 3}
    assert sum(len(e.pistes) for e in replay.engagements) >= 12


# --- mistakes, one precise message each ------------------------------------------------------

MINIMAL = {
    "version": 1,
    "title": "Essai",
    "territory": "Ici",
    "values": [{"id": "solidarite", "label": "Solidarité", "ideas": ["entraide"]}],
    "themes": [{"id": "vivre-mieux", "title": "Vivre mieux"}],
    "horizons": [{"id": "2040", "label": "2040"}],
    "hashtags": ["Mobilité"],
    "formats": [{"id": "complet", "title": "Complet", "phases": [{"kind": "accueil"}, {"kind": "valeurs"}]}],
    "personas": ["agricultrice"],
    "borrowed_personas": ["agricultrice"],
}


def load_one(tmp_path, content, name="essai.yaml"):
    sessions = tmp_path / "sessions"
    sessions.mkdir(exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    (sessions / name).write_text(text, encoding="utf-8")
    return load_catalog(sessions, PERSONAS)


def with_change(path, value):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


def test_the_minimal_template_is_valid(tmp_path):
    result = load_one(tmp_path, MINIMAL)
    assert result.errors == () and list(result.templates) == ["essai"]


@pytest.mark.parametrize("path,value,field,message", [
    (["title"], KeyError, "title", "champ obligatoire manquant"),
    (["themes", 0, "title"], KeyError, "themes[0].title", "champ obligatoire manquant"),
    (["themes", 0, "titel"], "Vivre mieux", "themes[0].titel", "champ inconnu"),
    (["version"], 2, "version", "valeur attendue parmi : 1"),
    (["horizons"], [], "horizons", "au moins 1 élément attendu"),
    (["formats", 0, "phases", 1, "kind"], "debat", "formats[0].phases[1].kind", "valeur attendue parmi : 'accueil'"),
    (["formats", 0, "phases", 0, "timer_minutes"], "dix", "formats[0].phases[0].timer_minutes", "nombre entier attendu"),
    (["formats", 0, "phases", 0, "timer_minutes"], 0, "formats[0].phases[0].timer_minutes", "nombre au moins égal à 1"),
    (["themes", 0, "id"], "Vivre Mieux", "themes[0].id", "format invalide"),
    (["themes", 0, "color"], "blue", "themes[0].color", "format invalide"),
    (["hashtags", 0], "#Mobilité", "hashtags[0]", "format invalide"),
    (["values", 0, "ideas"], "entraide", "values[0].ideas", "liste attendue"),
    (["title"], "   ", "title", "texte non vide attendu"),
    (["themes", 0], "Vivre mieux", "themes[0]", "objet attendu"),
])
def test_each_mistake_names_the_file_the_field_and_what_was_expected(tmp_path, path, value, field, message):
    result = load_one(tmp_path, with_change(path, value))
    assert result.templates == {}
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    error = result.errors[0]
    assert (error.file, error.path) == ("sessions/essai.yaml", field)
    assert message in error.message
    assert str(error).startswith(f"sessions/essai.yaml: {field}: ")


def test_several_mistakes_give_one_error_each(tmp_path):
    data = with_change(["title"], KeyError)
    data["themes"][0]["colour"] = "#000000"
    data["horizons"][0]["label"] = ""
    result = load_one(tmp_path, data)
    assert sorted(e.path for e in result.errors) == ["horizons[0].label", "themes[0].colour", "title"]


@pytest.mark.parametrize("change,message", [
    (lambda d: d["themes"].append({"id": "vivre-mieux", "title": "Encore"}), "identifiant en double dans themes : « vivre-mieux »"),
    (lambda d: d.update(values=[]), "a une phase « valeurs » mais le modèle ne définit aucune valeur"),
    (lambda d: d.update(default_format="absent"), "default_format : « absent » n'est pas un format défini"),
    (lambda d: d.update(hashtags=["Emploi", "emploi"]), "un même hashtag apparaît deux fois"),
    (lambda d: d.update(settings={"value_vote": {"methods": ["top_n"], "method": "points"}}), "« method » doit être l'une des méthodes"),
])
def test_inconsistencies_across_fields_are_explained(tmp_path, change, message):
    data = yaml.safe_load(yaml.safe_dump(MINIMAL))
    change(data)
    result = load_one(tmp_path, data)
    assert len(result.errors) == 1 and message in result.errors[0].message, [str(e) for e in result.errors]


def test_unknown_persona_is_named(tmp_path):
    result = load_one(tmp_path, {**MINIMAL, "personas": ["agricultrice", "astronaute"], "borrowed_personas": ["agricultrice"]})
    assert [(e.path, e.message) for e in result.errors] == [
        ("personas[1]", "persona inconnu : « astronaute » (attendu : un fichier personas/astronaute.yaml valide)")]


def test_yaml_syntax_error_gives_the_line(tmp_path):
    result = load_one(tmp_path, "version: 1\ntitle: \"Essai\n  territory: x\nthemes: [\n")
    (error,) = result.errors
    assert error.path.startswith("ligne ") and "YAML invalide" in error.message


@pytest.mark.parametrize("content,message", [
    ("- une\n- liste\n", "paires « clé: valeur » au premier niveau"),
    ("", "paires « clé: valeur » au premier niveau"),
])
def test_a_file_that_is_not_a_mapping_is_explained(tmp_path, content, message):
    (error,) = load_one(tmp_path, content).errors
    assert message in error.message


def test_a_file_not_in_utf8_is_explained(tmp_path):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    (sessions / "latin.yaml").write_bytes("title: Solidarit\xe9\n".encode("latin-1"))
    (error,) = load_catalog(sessions, PERSONAS).errors
    assert error.message == "le fichier n'est pas encodé en UTF-8"


def test_a_bad_file_name_is_explained(tmp_path):
    (error,) = load_one(tmp_path, MINIMAL, name="Mon Modèle.yaml").errors
    assert "nom de fichier invalide" in error.message


def test_persona_mistakes_are_named(tmp_path):
    personas = tmp_path / "personas"
    shutil.copytree(PERSONAS, personas)
    data = yaml.safe_load((personas / "etudiante.yaml").read_text())
    data["age"] = "vingt"
    data["illustration"] = "absente.svg"
    del data["quote"]
    (personas / "etudiante.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    result = load_catalog(tmp_path / "none", personas)
    assert sorted((e.file, e.path) for e in result.errors) == [("personas/etudiante.yaml", "age"), ("personas/etudiante.yaml", "quote")]
    data["age"], data["quote"] = 21, "Bonjour."
    (personas / "etudiante.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    (error,) = load_catalog(tmp_path / "none", personas).errors
    assert (error.path, error.message) == ("illustration", "fichier introuvable : personas/illustrations/absente.svg")


def test_replay_references_are_checked_against_its_template(tmp_path):
    sessions = tmp_path / "sessions"
    load_one(tmp_path, MINIMAL)
    (sessions / "replays").mkdir()
    (sessions / "replays" / "essai.yaml").write_text(yaml.safe_dump({
        "version": 1, "template": "essai", "title": "Rejeu",
        "engagements": [{"theme": "vivre-loin", "title": "T", "purpose": "Pour…",
                         "pistes": [{"text": "Une piste", "horizon": "2099", "hashtags": ["Inconnu"]}]}],
    }, allow_unicode=True))
    result = load_catalog(sessions, PERSONAS)
    assert sorted(e.path for e in result.errors) == [
        "engagements[0].pistes[0].hashtags[0]", "engagements[0].pistes[0].horizon", "engagements[0].theme"]


def test_check_command_reports_problems_and_fails(runner, tmp_path):
    load_one(tmp_path, with_change(["title"], KeyError))
    result = runner.invoke(args=["check", str(tmp_path / "sessions"), str(PERSONAS)])
    assert result.exit_code == 1
    assert "sessions/essai.yaml: title: champ obligatoire manquant" in result.output
    assert "; 1 problème." in result.output


def test_check_command_passes_on_the_shipped_files(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "Valides : 4 modèles, 26 personas, 1 rejeu ; 0 problème." in result.output
