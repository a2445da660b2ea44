"""Load and validate the data that describes a method: templates (`sessions/`) and personas.

A template is a YAML file describing a territory's framework (values, paradoxes, themes,
horizons, phases…). A persona is a YAML file describing one fictional resident. Both are
validated into frozen objects; a bad file yields one `CatalogError` per problem, each naming
the file, the field path and what was expected, so that whoever writes a template never sees a
traceback. The format is documented in `docs/templates.md`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

PHASE_KINDS = (
    "accueil",
    "personas",
    "paradoxes",
    "valeurs",
    "reves",
    "pistes",
    "vote",
    "convergence",
    "cloture",
)

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.-]*$", max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
# Theme titles are read from 15 m on the projector and on a 320 px phone: 100 characters at most.
ThemeTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Color = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class _Frozen(BaseModel):
    """Immutable, strict about unknown fields: a typo in a key is reported, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _unique_ids(items, what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"identifiant en double dans {what} : « {item.id} »")
        seen.add(item.id)


class Value(_Frozen):
    id: Slug
    label: ShortText
    description: Text | None = None
    ideas: tuple[ShortText, ...] = ()


class Paradox(_Frozen):
    id: Slug
    title: Text
    atout: Text
    defi: Text
    figures: tuple[Text, ...] = ()


class Objective(_Frozen):
    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    title: Text
    description: Text | None = None
    actions: tuple[Text, ...] = ()


class Theme(_Frozen):
    id: Slug
    title: ThemeTitle
    subtitle: ShortText | None = None
    defi: Text | None = None
    description: Text | None = None
    questions: tuple[Text, ...] = ()
    tags: tuple[ShortText, ...] = ()
    objectives: tuple[Objective, ...] = ()
    color: Color | None = None

    @model_validator(mode="after")
    def _objective_ids_unique(self):
        _unique_ids(self.objectives, "objectives")
        return self


class Horizon(_Frozen):
    id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
    label: ShortText
    description: Text | None = None


class Word(_Frozen):
    """A method word and how French agrees with it: "axe" (m., elided: "l'axe"), "priorité" (f.)."""

    singular: ShortText
    plural: ShortText | None = None  # default: the singular plus "s"
    gender: Literal["m", "f"] = "m"
    elision: bool | None = None  # default: the word starts with a vowel or an h ("l'axe", "l'habitat")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        # `theme: "axe"` is shorthand for `theme: {singular: "axe"}`.
        return {"singular": value} if isinstance(value, str) else value


def _word(singular: str, plural: str, gender: str = "m") -> Word:
    return Word(singular=singular, plural=plural, gender=gender)


class Vocabulary(_Frozen):
    """How this framework names the method's things: La Fabrique says "Vivre", Metz says "ambition"."""

    theme: Word = _word("thème", "thèmes")
    piste: Word = _word("piste de projet", "pistes de projet", "f")
    engagement: Word = _word("engagement", "engagements")
    value: Word = _word("valeur", "valeurs", "f")
    paradox: Word = _word("paradoxe", "paradoxes")
    reve: Word = _word("rêve", "rêves")
    review_body: Word = _word("CODEV", "CODEV")
    reve_prompt: ShortText = "En 2040…"


class ValueVoteSettings(_Frozen):
    methods: tuple[Literal["points", "top_n"], ...] = ("points", "top_n")
    method: Literal["points", "top_n"] = "points"
    budget: Annotated[int, Field(ge=1, le=100)] = 10
    top_n: Annotated[int, Field(ge=1, le=20)] = 3
    max_words: Annotated[int, Field(ge=0, le=20)] = 3

    @model_validator(mode="after")
    def _method_allowed(self):
        if self.method not in self.methods:
            raise ValueError(f"« method » doit être l'une des méthodes listées dans « methods » ({', '.join(self.methods)})")
        return self


class Settings(_Frozen):
    """Defaults the facilitator starts from, and the bounds of what they may choose."""

    value_vote: ValueVoteSettings = ValueVoteSettings()
    paradox_choices: Annotated[int, Field(ge=1, le=20)] = 3
    dots: Annotated[int, Field(ge=1, le=50)] = 5
    persona_assignment: Literal["balanced", "choice"] = "balanced"
    max_pistes_per_participant: Annotated[int, Field(ge=1, le=200)] = 20
    max_reves_per_participant: Annotated[int, Field(ge=1, le=50)] = 8


class Phase(_Frozen):
    kind: Literal[PHASE_KINDS]  # type: ignore[valid-type]
    title: ShortText | None = None
    instructions: Text | None = None
    timer_minutes: Annotated[int, Field(ge=1, le=240)] | None = None


class Format(_Frozen):
    """One kind of atelier of the démarche (e.g. "valeurs", then "pistes", then "convergence")."""

    id: Slug
    title: ShortText
    description: Text | None = None
    phases: Annotated[tuple[Phase, ...], Field(min_length=1)]


class TemplateFile(_Frozen):
    version: Literal[1]
    title: ShortText
    territory: ShortText
    organisation: ShortText | None = None
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    language: Literal["fr", "en"] = "fr"
    summary: Text | None = None
    source: Text | None = None
    vocabulary: Vocabulary = Vocabulary()
    values: tuple[Value, ...] = ()
    paradoxes: tuple[Paradox, ...] = ()
    themes: Annotated[tuple[Theme, ...], Field(min_length=1)]
    horizons: Annotated[tuple[Horizon, ...], Field(min_length=1)]
    hashtags: tuple[Annotated[str, StringConstraints(pattern=r"^[^\s#][^\s#]{0,39}$")], ...] = ()
    engagements_per_theme: Annotated[int, Field(ge=1, le=20)] | None = None
    personas: Annotated[tuple[Slug, ...], Field(min_length=1)]
    borrowed_personas: tuple[Slug, ...] = ()
    colleges: tuple[ShortText, ...] = ()
    settings: Settings = Settings()
    formats: Annotated[tuple[Format, ...], Field(min_length=1)]
    default_format: Slug | None = None

    @model_validator(mode="after")
    def _cross_checks(self):
        _unique_ids(self.values, "values")
        _unique_ids(self.paradoxes, "paradoxes")
        _unique_ids(self.themes, "themes")
        _unique_ids(self.horizons, "horizons")
        _unique_ids(self.formats, "formats")
        if len(set(self.personas)) != len(self.personas):
            raise ValueError("personas : un même persona apparaît deux fois")
        stray = [p for p in self.borrowed_personas if p not in self.personas]
        if stray:
            raise ValueError(f"borrowed_personas : « {stray[0]} » n'est pas dans la liste « personas »")
        if len({h.casefold() for h in self.hashtags}) != len(self.hashtags):
            raise ValueError("hashtags : un même hashtag apparaît deux fois")
        format_ids = [f.id for f in self.formats]
        if self.default_format is not None and self.default_format not in format_ids:
            raise ValueError(f"default_format : « {self.default_format} » n'est pas un format défini (attendu : {', '.join(format_ids)})")
        for fmt in self.formats:
            kinds = {p.kind for p in fmt.phases}
            if "valeurs" in kinds and not self.values:
                raise ValueError(f"le format « {fmt.id} » a une phase « valeurs » mais le modèle ne définit aucune valeur (values)")
            if "paradoxes" in kinds and not self.paradoxes:
                raise ValueError(f"le format « {fmt.id} » a une phase « paradoxes » mais le modèle ne définit aucun paradoxe (paradoxes)")
        return self


class PersonaFile(_Frozen):
    territory: ShortText | None = None  # the template `territory` it was written for; absent: any territory
    name: ShortText
    label: ShortText
    age: Annotated[int, Field(ge=0, le=120)]
    commune: ShortText
    occupation: ShortText
    daily_life: Text
    mobility: Text
    works: Annotated[tuple[Text, ...], Field(min_length=1)]
    does_not_work: Annotated[tuple[Text, ...], Field(min_length=1)]
    quote: Text
    illustration: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*\.svg$")]
    color: Color = "#3b5b92"


class ReplayPiste(_Frozen):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    horizon: str
    hashtags: tuple[str, ...] = ()
    persona: Slug | None = None


class ReplayEngagement(_Frozen):
    theme: Slug
    title: ShortText
    purpose: Text
    how: tuple[Text, ...] = ()
    pistes: tuple[ReplayPiste, ...] = ()


class ReplayReve(_Frozen):
    theme: Slug
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class ReplayAtelier(_Frozen):
    title: ShortText
    date: str
    audience: ShortText


class ReplayFile(_Frozen):
    version: Literal[1]
    template: Slug
    title: ShortText
    summary: Text | None = None
    ateliers: tuple[ReplayAtelier, ...] = ()
    values_ranking: tuple[Slug, ...] = ()
    retained_paradoxes: tuple[Slug, ...] = ()
    reves: tuple[ReplayReve, ...] = ()
    engagements: Annotated[tuple[ReplayEngagement, ...], Field(min_length=1)]


# --- frozen catalog objects -------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A validated template; `data` holds its content, `id` comes from its file name."""

    id: str
    path: Path
    data: TemplateFile

    def __getattr__(self, name):
        # Fields of the file read as attributes of the template: template.themes, template.values…
        return getattr(self.data, name)

    def theme(self, theme_id: str) -> Theme | None:
        """Return the theme with this id, or None."""
        return next((t for t in self.data.themes if t.id == theme_id), None)

    def format(self, format_id: str | None = None) -> Format:
        """Return a format by id, or the default one (the named default, else the first)."""
        wanted = format_id or self.data.default_format
        for fmt in self.data.formats:
            if fmt.id == wanted:
                return fmt
        if format_id is not None:
            raise KeyError(format_id)
        return self.data.formats[0]


@dataclass(frozen=True)
class Persona:
    id: str
    path: Path
    data: PersonaFile

    def __getattr__(self, name):
        return getattr(self.data, name)

    @property
    def illustration_path(self) -> Path:
        return self.path.parent / "illustrations" / self.data.illustration


@dataclass(frozen=True)
class Replay:
    id: str
    path: Path
    data: ReplayFile

    def __getattr__(self, name):
        return getattr(self.data, name)


@dataclass(frozen=True)
class CatalogError:
    """One problem in one file: where it is and what was expected."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Catalog:
    templates: dict[str, Template] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)
    replays: dict[str, Replay] = field(default_factory=dict)
    errors: tuple[CatalogError, ...] = ()

    def default_template(self, preferred: str | None = None) -> Template | None:
        """Return the template named `preferred` if it is valid, else the first valid one by file name (None if none)."""
        if preferred and preferred in self.templates:
            return self.templates[preferred]
        return self.templates[min(self.templates)] if self.templates else None

    def personas_for(self, template: Template) -> list[Persona]:
        """Return the personas a template uses, in the order it lists them."""
        return [self.personas[k] for k in template.data.personas if k in self.personas]


class CatalogInvalid(Exception):
    """Raised when a catalog that must be valid (at start-up) is not."""

    def __init__(self, errors):
        self.errors = tuple(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


# --- loading ------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe de la clé)",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "vrai/faux attendu (true/false)",
    "tuple_type": "liste attendue",
    "list_type": "liste attendue",
    "model_type": "objet attendu (des paires « clé: valeur »)",
    "model_attributes_type": "objet attendu (des paires « clé: valeur »)",
    "dict_type": "objet attendu (des paires « clé: valeur »)",
    "frozen_instance": "champ non modifiable",
}


def _describe(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
        return f"valeur attendue parmi : {expected} (reçu : {error.get('input')!r})"
    if kind == "string_pattern_mismatch":
        return f"format invalide (reçu : {error.get('input')!r} ; attendu : motif {ctx.get('pattern')})"
    if kind == "string_too_short":
        return "texte non vide attendu"
    if kind == "string_too_long":
        return f"texte trop long (au plus {ctx.get('max_length')} caractères)"
    if kind == "too_short":
        least = ctx.get("min_length") or 0
        return f"au moins {least} {'élément attendu' if least < 2 else 'éléments attendus'}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        word = "au moins" if kind == "greater_than_equal" else "au plus"
        return f"nombre {word} égal à {bound} attendu (reçu : {error.get('input')!r})"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return _MESSAGES.get(kind, error["msg"])


def _field_path(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("function-after", "tagged-union") or str(part).startswith("function-"):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _parse(path: Path, model, label: str):
    """Return (validated model, errors) for one YAML file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, [CatalogError(label, "", "le fichier n'est pas encodé en UTF-8")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [CatalogError(label, where, f"YAML invalide : {problem}")]
    if not isinstance(raw, dict):
        return None, [CatalogError(label, "", "le fichier doit contenir des paires « clé: valeur » au premier niveau")]
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        errors = [CatalogError(label, _field_path(e["loc"]), _describe(e)) for e in exc.errors()]
        # pydantic also reports a list as "too short" when one of its items is invalid: keep the item's error.
        return None, [e for e in errors if not (e.message.startswith("au moins") and any(
            other.path.startswith(e.path + "[") for other in errors))]


def _label(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _check_id(path: Path, label: str) -> list[CatalogError]:
    if _ID.match(path.stem):
        return []
    return [CatalogError(label, "", "nom de fichier invalide : minuscules, chiffres, « - » et « _ » seulement (il sert d'identifiant)")]


def load_catalog(sessions_dir: Path, personas_dir: Path) -> Catalog:
    """Load every template, persona and replay; collect every problem rather than stop at the first."""
    errors: list[CatalogError] = []
    personas: dict[str, Persona] = {}
    for path in _yaml_files(personas_dir):
        label = _label(path, personas_dir)
        problems = _check_id(path, label)
        data, parse_errors = _parse(path, PersonaFile, label)
        problems += parse_errors
        if data is not None and not (personas_dir / "illustrations" / data.illustration).is_file():
            problems.append(CatalogError(label, "illustration", f"fichier introuvable : personas/illustrations/{data.illustration}"))
        errors += problems
        if not problems:
            personas[path.stem] = Persona(path.stem, path, data)

    templates: dict[str, Template] = {}
    for path in _yaml_files(sessions_dir):
        label = _label(path, sessions_dir)
        problems = _check_id(path, label)
        data, parse_errors = _parse(path, TemplateFile, label)
        problems += parse_errors
        if data is not None:
            problems += _check_personas(data, personas, label)
        errors += problems
        if not problems:
            templates[path.stem] = Template(path.stem, path, data)

    replays: dict[str, Replay] = {}
    for path in _yaml_files(sessions_dir / "replays"):
        label = _label(path, sessions_dir)
        problems = _check_id(path, label)
        data, parse_errors = _parse(path, ReplayFile, label)
        problems += parse_errors
        if data is not None:
            problems += _check_replay(data, templates, label)
        errors += problems
        if not problems:
            replays[path.stem] = Replay(path.stem, path, data)

    return Catalog(templates=templates, personas=personas, replays=replays, errors=tuple(errors))


def _check_personas(data: TemplateFile, personas: dict[str, Persona], label: str) -> list[CatalogError]:
    """Refuse unknown personas, and personas written for another territory unless deliberately borrowed."""
    problems = []
    for i, persona_id in enumerate(data.personas):
        persona = personas.get(persona_id)
        if persona is None:
            problems.append(CatalogError(label, f"personas[{i}]", f"persona inconnu : « {persona_id} » (attendu : un fichier personas/{persona_id}.yaml valide)"))
        elif persona.territory not in (None, data.territory) and persona_id not in data.borrowed_personas:
            problems.append(CatalogError(label, f"personas[{i}]", (
                f"« {persona_id} » est un habitant de « {persona.territory} », pas de « {data.territory} » : écrivez les "
                f"personas de ce territoire, ou, pour l'emprunter volontairement, ajoutez-le à « borrowed_personas »")))
    return problems


def _check_replay(data: ReplayFile, templates: dict[str, Template], label: str) -> list[CatalogError]:
    template = templates.get(data.template)
    if template is None:
        return [CatalogError(label, "template", f"modèle inconnu ou invalide : « {data.template} »")]
    problems = []
    themes = {t.id for t in template.themes}
    horizons = {h.id for h in template.horizons}
    hashtags = {h.casefold() for h in template.hashtags}
    values = {v.id for v in template.values}
    paradoxes = {p.id for p in template.paradoxes}
    for i, value_id in enumerate(data.values_ranking):
        if value_id not in values:
            problems.append(CatalogError(label, f"values_ranking[{i}]", f"valeur inconnue : « {value_id} »"))
    for i, paradox_id in enumerate(data.retained_paradoxes):
        if paradox_id not in paradoxes:
            problems.append(CatalogError(label, f"retained_paradoxes[{i}]", f"paradoxe inconnu : « {paradox_id} »"))
    for i, reve in enumerate(data.reves):
        if reve.theme not in themes:
            problems.append(CatalogError(label, f"reves[{i}].theme", f"thème inconnu : « {reve.theme} » (attendu : {', '.join(sorted(themes))})"))
    for i, engagement in enumerate(data.engagements):
        where = f"engagements[{i}]"
        if engagement.theme not in themes:
            problems.append(CatalogError(label, f"{where}.theme", f"thème inconnu : « {engagement.theme} » (attendu : {', '.join(sorted(themes))})"))
        for j, piste in enumerate(engagement.pistes):
            if piste.horizon not in horizons:
                problems.append(CatalogError(label, f"{where}.pistes[{j}].horizon", f"horizon inconnu : « {piste.horizon} » (attendu : {', '.join(sorted(horizons))})"))
            for k, tag in enumerate(piste.hashtags):
                if tag.casefold() not in hashtags:
                    problems.append(CatalogError(label, f"{where}.pistes[{j}].hashtags[{k}]", f"hashtag absent du modèle : « {tag} »"))
    return problems
