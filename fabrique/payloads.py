"""The one boundary every input crosses: a pydantic schema per socket event and per form.

A payload that does not fit its schema (wrong type, id outside signed 64 bits, text longer than
its column, unknown choice) is refused here with a sentence in the person's language, before
any action runs. What depends on the atelier (its template's themes, budgets, phase) is checked
by the actions themselves; the bounds here are the ones no atelier may exceed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, create_model
from pydantic_core import PydanticCustomError

from . import models
from .actions import Refused
from .actions.ateliers import SETTING_LABELS, SETTING_RULES
from .i18n import N_
from .models import OPINIONS
from .text import MESSAGES

MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in every database we run on

Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
Key = Annotated[str, Field(min_length=1, max_length=64)]  # template ids: themes, values, personas…
Text = Annotated[str, Field(max_length=10_000)]  # the actions refuse past their own, smaller limits
Flag = Annotated[bool, Field(strict=True)]
OpId = Annotated[str, Field(min_length=1, max_length=64)]


def told(sentence: str):
    """Mark a field with the sentence a wrong value of it is refused with (instead of the generic one)."""
    return Field(json_schema_extra={"refusal": sentence})


ThemeId = Annotated[Key, told(N_("Choisissez {theme.un} de l'atelier."))]
Horizon = Annotated[Key, told(N_("Choisissez un horizon proposé."))]
ValueId = Annotated[Key, told(N_("{Value.ce} n'existe pas dans cet atelier."))]
Hashtags = Annotated[list[Annotated[str, Field(max_length=64)]], Field(max_length=20),
                     told(N_("Choisissez les hashtags dans la liste proposée."))]


class Payload(BaseModel):
    """A socket event: an action id, then the event's own fields (others are dropped)."""

    model_config = ConfigDict(extra="ignore", strict=True)
    op_id: OpId


# Participants' events.
class PersonaChoose(Payload):
    persona_id: Annotated[Key, told(N_("Cet habitant fictif n'existe pas dans cet atelier."))]


class ParadoxToggle(Payload):
    paradox_id: Annotated[Key, told(N_("{Paradox.ce} n'existe pas dans cet atelier."))]
    chosen: Flag


class ValuesSet(Payload):
    points: Annotated[dict[Key, Annotated[int, Field(ge=0, le=10_000)]], Field(max_length=100)]


class ValueWordAdd(Payload):
    value_id: ValueId
    word: Annotated[Text, told(MESSAGES["word"]["not_text"])]


class WordId(Payload):
    word_id: Id


class ReveAdd(Payload):
    theme_id: ThemeId
    text: Annotated[Text, told(MESSAGES["reve"]["not_text"])]


class ReveId(Payload):
    reve_id: Id


class PisteFields(Payload):
    theme_id: ThemeId
    horizon: Horizon
    text: Annotated[Text, told(MESSAGES["piste"]["not_text"])]
    hashtags: Hashtags = []


class PisteEdit(PisteFields):
    piste_id: Id


class PisteId(Payload):
    piste_id: Id


class EngagementSupport(Payload):
    engagement_id: Id
    supported: Flag


# The facilitator's events.
class PhaseGoto(Payload):
    to: Annotated[int, Field(ge=0, le=1000)] | None = None
    step: Literal[1, -1] | None = None
    start_timer: Flag = False


class PhaseLock(Payload):
    locked: Flag


class TimerStart(Payload):
    seconds: Annotated[int, Field(ge=1, le=4 * 3600)] | None = None


def _setting_field(rule):
    if rule[0] is int:
        # Form fields and the console send numbers as text too: parsed here, bounded by the rule.
        return Annotated[int, Field(strict=False, ge=rule[1], le=rule[2])] | None, None
    return Literal[rule] | None, None


Settings = create_model("Settings", __config__=ConfigDict(extra="forbid", strict=True),
                        **{name: _setting_field(rule) for name, rule in SETTING_RULES.items()})


class SettingsUpdate(Payload):
    settings: Settings


class PisteHide(Payload):
    piste_id: Id
    hidden: Flag


class PisteUpdate(Payload):
    piste_id: Id
    text: Annotated[Text, told(MESSAGES["piste"]["not_text"])] | None = None
    theme_id: ThemeId | None = None
    horizon: Horizon | None = None
    hashtags: Hashtags | None = None


class PisteMerge(Payload):
    piste_id: Id
    into_id: Id


class ReveHide(Payload):
    reve_id: Id
    hidden: Flag


How = Annotated[list[Annotated[str, Field(max_length=2_000)]], Field(max_length=20)]


class EngagementCreate(Payload):
    theme_id: ThemeId
    title: Text
    purpose: Text | None = None
    how: How | None = None
    piste_ids: Annotated[list[Id], Field(max_length=500)] | None = None
    override_quota: Flag = False


class EngagementUpdate(Payload):
    engagement_id: Id
    title: Text | None = None
    purpose: Text | None = None
    how: How | None = None


class EngagementId(Payload):
    engagement_id: Id


class EngagementMove(Payload):
    engagement_id: Id
    position: Annotated[int, Field(ge=1, le=10_000)]


class EngagementLink(Payload):
    engagement_id: Id
    piste_id: Id


class AfterSet(Payload):
    text: Annotated[Text, told(MESSAGES["after"]["not_text"])]


class CarryOver(Payload):
    from_atelier_id: Id


EVENTS: dict[str, type[Payload]] = {
    "persona_choose": PersonaChoose, "paradox_toggle": ParadoxToggle, "values_set": ValuesSet,
    "value_word_add": ValueWordAdd, "value_word_remove": WordId, "reve_add": ReveAdd, "reve_withdraw": ReveId,
    "piste_add": PisteFields, "piste_edit": PisteEdit, "piste_withdraw": PisteId, "support_add": PisteId,
    "support_remove": PisteId, "engagement_support": EngagementSupport,
    "phase_goto": PhaseGoto, "phase_lock": PhaseLock, "timer_start": TimerStart, "timer_pause": Payload,
    "timer_stop": Payload, "settings_update": SettingsUpdate, "piste_hide": PisteHide, "piste_update": PisteUpdate,
    "piste_merge": PisteMerge, "piste_unmerge": PisteId, "reve_hide": ReveHide,
    "engagement_create": EngagementCreate, "engagement_update": EngagementUpdate, "engagement_delete": EngagementId,
    "engagement_move": EngagementMove, "engagement_link": EngagementLink, "engagement_unlink": PisteId,
    "carry_over": CarryOver, "after_set": AfterSet,
}


# Forms: every value arrives as text; numbers are parsed here (lax mode), within their columns.
class Form(BaseModel):
    """An HTML form: fields as the browser sends them; empty fields count as absent."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


def _blank_is_none(value):
    return None if isinstance(value, str) and not value.strip() else value


Blank = BeforeValidator(_blank_is_none)  # an optional field left empty is absent


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("date_parsing", "not a date") from None


def _setting(name: str):
    rule = SETTING_RULES[name]
    return Annotated[int, Field(ge=rule[1], le=rule[2])]


def Optional(kind):  # noqa: N802  (reads as a type in the field declarations)
    """Return `kind` or nothing: a form field left empty is absent."""
    return Annotated[kind | None, Blank]


def Chars(n: int):  # noqa: N802
    """Return text of at most `n` characters (the column's length)."""
    return Annotated[str, Field(max_length=n)]


# The settings the creation form shows per template ("<template>:dots"); the view keeps the chosen template's.
TEMPLATE_SETTINGS = ("value_method", "value_budget", "value_top_n", "dots", "persona_assignment", "paradox_choices")


class CreateAtelierForm(Form):
    template: Chars(64) = ""
    name: Chars(200) = ""
    format: Optional(Chars(64)) = None
    demarche: Optional(Chars(200)) = None  # the name of a new démarche
    demarche_link: Optional(Chars(300)) = None  # an existing démarche's secret (or its link)
    audience: Optional(Chars(200)) = None
    held_on: Optional(Annotated[Chars(10), AfterValidator(_iso_date)]) = None  # the column's length first, then the date
    value_method: Optional(Literal[SETTING_RULES["value_method"]]) = None
    persona_assignment: Optional(Literal[SETTING_RULES["persona_assignment"]]) = None
    value_budget: Optional(_setting("value_budget")) = None
    value_top_n: Optional(_setting("value_top_n")) = None
    dots: Optional(_setting("dots")) = None
    paradox_choices: Optional(_setting("paradox_choices")) = None
    max_participants: Optional(_setting("max_participants")) = None

    @property
    def settings(self) -> dict:
        """Return the settings the form overrides."""
        return {name: getattr(self, name) for name in (*TEMPLATE_SETTINGS, "max_participants") if getattr(self, name) is not None}


class CodeForm(Form):
    code: Chars(64) = ""


class JoinForm(Form):
    pseudonym: Chars(200) = ""
    college: Optional(Chars(200)) = None
    language: Optional(Literal["fr", "en"]) = None
    persona: Optional(Chars(64)) = None


class RejoinForm(Form):
    rejoin_code: Chars(64) = ""


class ReviewForm(Form):
    op_id: OpId  # the form carries it, so a resubmission is recorded once
    reviewer: Chars(200) = ""
    engagement_id: Optional(Annotated[int, Field(ge=1, le=MAX_ID)]) = None
    opinion: Optional(Literal[OPINIONS]) = None
    text: Chars(10_000) = ""


FIELD_LABELS = {
    "op_id": N_("l'identifiant d'action"), "text": N_("le texte"), "word": N_("le mot"), "title": N_("le titre"),
    "purpose": N_("le « Pour… »"), "how": N_("les points « Comment ? »"), "hashtags": N_("les hashtags"),
    "points": N_("les points"), "piste_ids": N_("les pistes"), "seconds": N_("la durée du minuteur"),
    "to": N_("la phase"), "step": N_("la phase"), "position": N_("la position"), "name": N_("le nom de l'atelier"),
    "demarche": N_("le nom de la démarche"), "demarche_link": N_("le lien de la démarche"),
    "audience": N_("le public"), "held_on": N_("la date"), "pseudonym": N_("le pseudonyme"), "college": N_("le collège"),
    "reviewer": N_("le nom"), "opinion": N_("l'avis"), "engagement_id": N_("l'engagement"),
    "rejoin_code": N_("le code de retour"), "code": N_("le code"), "template": N_("le modèle"), "format": N_("le format"),
    **SETTING_LABELS,
}


def _label(loc: tuple) -> str:
    names = [part for part in loc if isinstance(part, str) and part != "settings"]
    name = names[-1] if names else ""
    if name in FIELD_LABELS:
        return _(FIELD_LABELS[name])
    if name.endswith("_id") or name == "into_id":
        return _("l'identifiant « %(name)s »", name=name)
    return _("le champ « %(name)s »", name=name)


def refusal(error: dict, schema: type[BaseModel] | None = None) -> str:
    """Return the sentence that tells what is wrong with one field."""
    kind, ctx, loc = error["type"], error.get("ctx") or {}, error["loc"]
    field = loc[-1] if loc else ""
    info = schema.model_fields.get(loc[0]) if schema is not None and loc and isinstance(loc[0], str) else None
    extra = info.json_schema_extra if info is not None and isinstance(info.json_schema_extra, dict) else {}
    if extra.get("refusal") and kind not in ("string_too_long", "too_long", "missing"):
        return _(extra["refusal"])
    setting = next((part for part in loc if part in SETTING_RULES), None)
    if setting and kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_type", "int_from_float"):
        rule = SETTING_RULES[setting]
        return _("Pour %(setting)s, donnez un nombre entre %(low)s et %(high)s.",
                 setting=_(SETTING_LABELS[setting]), low=rule[1], high=rule[2])
    if setting and kind == "literal_error":
        return _("Valeur non prévue pour %(setting)s.", setting=_(SETTING_LABELS[setting]))
    if kind == "extra_forbidden":
        return _("Réglage inconnu : « %(name)s ».", name=str(field)[:64])
    if kind == "missing" and field == "op_id":
        return _("Identifiant d'action manquant.")
    label = _label(loc)
    if kind == "missing":
        return _("Il manque %(field)s.", field=label)
    if kind == "string_too_long":  # said as the database's own guard says it (models.py)
        name = next((part for part in reversed(loc) if isinstance(part, str)), "")
        field_name = _(models.FIELD_LABELS[name]) if name in models.FIELD_LABELS else label[:1].upper() + label[1:]
        return _("%(field)s : %(max)s caractères au plus.", field=field_name, max=ctx.get("max_length"))
    if kind == "too_long":
        return _("Trop long pour %(field)s (%(max)s au plus).", field=label, max=ctx.get("max_length"))
    if kind in ("string_too_short", "too_short"):
        return _("Valeur vide pour %(field)s.", field=label)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than", "int_parsing", "int_type",
                "int_from_float"):
        return _("Pour %(field)s, un nombre entier valide est attendu.", field=label)
    if kind.startswith("bool"):
        return _("Pour %(field)s, oui ou non est attendu.", field=label)
    if kind.startswith("date"):
        return _("Pour %(field)s, une date valide est attendue (AAAA-MM-JJ).", field=label)
    if kind == "literal_error":
        return _("Valeur non prévue pour %(field)s.", field=label)
    return _("Valeur invalide pour %(field)s.", field=label)


def check(schema: type[BaseModel], data):
    """Return `data` parsed by `schema`, or raise Refused with the first problem found."""
    try:
        return schema.model_validate(data)
    except ValidationError as invalid:
        raise Refused(refusal(invalid.errors(include_url=False, include_input=False)[0], schema), "invalid") from None


def event(name: str, data) -> dict:
    """Return the payload of socket event `name` reduced to its checked fields, or raise Refused."""
    if not isinstance(data, dict):
        raise Refused(_("Requête invalide."), "invalid")
    return check(EVENTS[name], data).model_dump(exclude_unset=True)


def form(schema: type[Form], fields) -> Form:
    """Return a submitted form parsed by `schema` (first value of each field), or raise Refused."""
    return check(schema, {name: fields.get(name) for name in fields.keys()})
