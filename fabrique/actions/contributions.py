"""What participants do from their phones: react to paradoxes, vote on values, write rêves and
pistes, place dots. Each action is gated by the phase table and bounded by the atelier settings."""

from __future__ import annotations

from functools import wraps

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from .. import catalog
from ..extensions import db
from ..i18n import N_
from ..models import ParadoxChoice, Piste, Reve, Support, ValueVote, ValueWord
from ..phases import refusal
from ..readmodel.checks import DatabaseChecks, NotLoaded
from ..text import clean, key
from . import Refused, checks_for, perform
from . import contained as mark_contained
from .participation import _atelier_of, _participant
from .rows import delete_rows, insert_row, insert_rows


def participant_action(name: str, contained: bool = False):
    """Make `fn(atelier, template, participant, change, data)` a gated, idempotent participant action.

    A `contained` action writes only its participant's own rows, through `rows`, and reads what it
    checks through `checks` (`fn(…, data, checks)`), from the read model where that is exact
    (`checks_for`): no SQL but its writes. Its participant is then the row as a plain dict.
    """

    def decorate(fn):
        @wraps(fn)
        def run(participant_id: int, op_id: str, data: dict, atelier_id: int | None = None) -> dict:
            # A socket knows its atelier from the connection: no query before the write lock,
            # where a waiting handler would hold a database connection (the action checks again).
            if not isinstance(data, dict):
                raise Refused(_("Requête invalide."), "invalid")

            def action(atelier, change):
                template = catalog().templates[atelier.template_id]
                reason = refusal(atelier, template, name)
                if reason:
                    raise Refused(reason, "phase")
                if not contained:
                    return fn(atelier, template, _participant(atelier, participant_id), change, data) or {"ok": True}
                checks = checks_for(atelier.id, participant_id)
                try:
                    return _checked(fn, atelier, template, participant_id, change, data, checks)
                except NotLoaded:
                    return _checked(fn, atelier, template, participant_id, change, data, DatabaseChecks())

            return perform(atelier_id or _atelier_of(participant_id), f"participant:{participant_id}", op_id,
                           mark_contained(action) if contained else action)

        run.action_name = name
        return run

    return decorate


def _checked(fn, atelier, template, participant_id, change, data, checks) -> dict:
    # Every read of a contained action comes before its first write, so that one the read model
    # cannot answer (`NotLoaded`) is asked again of the database with nothing written twice.
    participant = checks.row("participant", participant_id)
    if participant is None or participant["atelier_id"] != atelier.id:
        raise Refused(_("Participant inconnu : rejoignez l'atelier à nouveau."), "not_found")
    return fn(atelier, template, participant, change, data, checks) or {"ok": True}


def _one_of(value, allowed, refusal: str):
    """Return `value` if it is one of `allowed`, else refuse with `refusal` (marked with N_: translated only then)."""
    if not isinstance(value, str) or value not in allowed:
        raise Refused(_(refusal), "invalid")
    return value


def _int_id(value, refusal: str) -> int:
    """Return `value` if it is a positive integer id, else refuse with `refusal` (marked with N_: translated only then)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise Refused(_(refusal), "invalid")
    return value


@participant_action("persona_choose")
def persona_choose(atelier, template, participant, change, data):
    """Take another persona, when the facilitator lets participants choose."""
    participant.persona_id = _one_of(data.get("persona_id"), {p.id for p in catalog().personas_for(template)},
                                     N_("Cet habitant fictif n'existe pas dans cet atelier."))
    change.content = True


@participant_action("paradox_toggle")
def paradox_toggle(atelier, template, participant, change, data):
    """Mark (or unmark) a paradox as one that matters most to the participant's persona."""
    paradox_id = _one_of(data.get("paradox_id"), {p.id for p in template.paradoxes}, N_("{Paradox.ce} n'existe pas dans cet atelier."))
    chosen = data.get("chosen")
    if not isinstance(chosen, bool):
        raise Refused(_("Requête invalide."), "invalid")
    existing = db.session.scalar(select(ParadoxChoice).where(
        ParadoxChoice.participant_id == participant.id, ParadoxChoice.paradox_id == paradox_id))
    if chosen and existing is None:
        count = db.session.scalar(select(func.count()).where(ParadoxChoice.participant_id == participant.id))
        limit = atelier.settings["paradox_choices"]
        if count >= limit:
            raise Refused(ngettext("Vous avez déjà marqué %(num)s {paradox.sg} : retirez-{paradox|le|la} pour en choisir {paradox|un autre|une autre}.",
                                   "Vous avez déjà marqué %(num)s {paradox.pl} : retirez-en {paradox|un|une} pour en choisir {paradox|un autre|une autre}.", limit), "budget")
        db.session.add(ParadoxChoice(atelier_id=atelier.id, participant_id=participant.id,
                                     persona_id=participant.persona_id, paradox_id=paradox_id))
        change.content = True
    elif not chosen and existing is not None:
        db.session.delete(existing)
        change.content = True


@participant_action("values_set", contained=True)
def values_set(atelier, template, participant, change, data, checks):
    """Replace the participant's value vote: points per value, or a top-N pick (one point each)."""
    points = data.get("points")
    if not isinstance(points, dict):
        raise Refused(_("Requête invalide."), "invalid")
    value_ids = {v.id for v in template.values}
    allocation = {}
    for value_id, amount in points.items():
        _one_of(value_id, value_ids, N_("{Value.ce} n'existe pas dans cet atelier."))
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise Refused(_("Les points doivent être des nombres entiers positifs."), "invalid")
        if amount:
            allocation[value_id] = amount
    settings = atelier.settings
    if settings["value_method"] == "points":
        budget = settings["value_budget"]
        if sum(allocation.values()) > budget:
            raise Refused(ngettext("Vous avez %(num)s point à répartir, pas %(total)s.", "Vous avez %(num)s points à répartir, pas %(total)s.",
                                   budget, total=sum(allocation.values())), "budget")
    else:
        top_n = settings["value_top_n"]
        if any(amount != 1 for amount in allocation.values()):
            raise Refused(_("Choisissez des {value.pl}, sans leur donner de points."), "invalid")
        if len(allocation) > top_n:
            raise Refused(ngettext("Choisissez %(num)s {value.sg} au plus.", "Choisissez %(num)s {value.pl} au plus.", top_n), "budget")
    delete_rows(ValueVote, checks.own("value_vote", participant["id"]))
    insert_rows(ValueVote, [{"atelier_id": atelier.id, "participant_id": participant["id"], "persona_id": participant["persona_id"],
                             "value_id": value_id, "points": amount} for value_id, amount in allocation.items()])
    change.content = True


@participant_action("value_word_add")
def value_word_add(atelier, template, participant, change, data):
    """Associate a free word with a value (it feeds the word cloud)."""
    value_id = _one_of(data.get("value_id"), {v.id for v in template.values}, N_("{Value.ce} n'existe pas dans cet atelier."))
    word = clean(data.get("word"), "word")
    count = db.session.scalar(select(func.count()).where(ValueWord.participant_id == participant.id))
    limit = atelier.settings["value_max_words"]
    if count >= limit:
        raise Refused(ngettext("Vous avez déjà proposé %(num)s mot.", "Vous avez déjà proposé %(num)s mots.", limit) if limit
                      else _("Cet atelier ne recueille pas de mots."), "budget")
    exists = db.session.scalar(select(ValueWord.id).where(
        ValueWord.participant_id == participant.id, ValueWord.value_id == value_id, ValueWord.word_key == key(word)))
    if exists is None:
        db.session.add(ValueWord(atelier_id=atelier.id, participant_id=participant.id, persona_id=participant.persona_id,
                                 value_id=value_id, word=word, word_key=key(word)))
        change.content = True


@participant_action("value_word_remove")
def value_word_remove(atelier, template, participant, change, data):
    """Remove one of the participant's own words."""
    word = db.session.get(ValueWord, _int_id(data.get("word_id"), N_("Mot invalide.")))
    if word is None or word.participant_id != participant.id:
        raise Refused(_("Ce mot n'est pas le vôtre."), "ownership")
    db.session.delete(word)
    change.content = True


@participant_action("reve_add")
def reve_add(atelier, template, participant, change, data):
    """Write a short "En 2040…" text under a theme."""
    theme_id = _one_of(data.get("theme_id"), {t.id for t in template.themes}, N_("Choisissez {theme.un} de l'atelier."))
    text = clean(data.get("text"), "reve", multiline=True)
    count = db.session.scalar(select(func.count()).where(Reve.participant_id == participant.id))
    limit = atelier.settings["max_reves_per_participant"]
    if count >= limit:
        raise Refused(ngettext("Vous avez déjà écrit %(num)s {reve.sg}.", "Vous avez déjà écrit %(num)s {reve.pl}.", limit), "budget")
    reve = Reve(atelier_id=atelier.id, participant_id=participant.id, persona_id=participant.persona_id, theme_id=theme_id, text=text)
    db.session.add(reve)
    db.session.flush()
    change.content = True
    return {"ok": True, "reve_id": reve.id}


@participant_action("reve_withdraw")
def reve_withdraw(atelier, template, participant, change, data):
    """Withdraw one of the participant's own rêves."""
    reve = db.session.get(Reve, _int_id(data.get("reve_id"), N_("{Reve.sg} invalide.")))
    if reve is None or reve.participant_id != participant.id:
        raise Refused(_("{Reve.ce} n'est pas {reve|le vôtre|la vôtre}."), "ownership")
    db.session.delete(reve)
    change.content = True


def _piste_fields(template, data) -> dict:
    theme_id = _one_of(data.get("theme_id"), {t.id for t in template.themes}, N_("Choisissez {theme.un} de l'atelier."))
    horizon = _one_of(data.get("horizon"), {h.id for h in template.horizons}, N_("Choisissez un horizon proposé."))
    hashtags = data.get("hashtags", [])
    if not isinstance(hashtags, list) or len(hashtags) > 5:
        raise Refused(_("Choisissez 5 hashtags au plus."), "invalid")
    known = {h.casefold(): h for h in template.hashtags}
    tags = []
    for tag in hashtags:
        if not isinstance(tag, str) or tag.lstrip("#").casefold() not in known:
            raise Refused(_("Choisissez les hashtags dans la liste proposée."), "invalid")
        canonical = known[tag.lstrip("#").casefold()]
        if canonical not in tags:
            tags.append(canonical)
    return {"theme_id": theme_id, "horizon": horizon, "hashtags": tags, "text": clean(data.get("text"), "piste", multiline=True)}


@participant_action("piste_add", contained=True)
def piste_add(atelier, template, participant, change, data, checks):
    """Propose a piste under a theme, with an horizon and hashtags."""
    fields = _piste_fields(template, data)
    limit = atelier.settings["max_pistes_per_participant"]
    if checks.live_pistes(participant["id"]) >= limit:
        raise Refused(ngettext("Vous avez déjà proposé %(num)s {piste.sg} : c'est le maximum dans cet atelier.",
                               "Vous avez déjà proposé %(num)s {piste.pl} : c'est le maximum dans cet atelier.", limit), "budget")
    piste = insert_row(Piste, atelier_id=atelier.id, participant_id=participant["id"], persona_id=participant["persona_id"], **fields)
    change.content = True
    return {"ok": True, "piste_id": piste["id"]}


def _own_piste(participant, data) -> Piste:
    piste = db.session.get(Piste, _int_id(data.get("piste_id"), N_("{Piste.sg} invalide.")))
    if piste is None or piste.participant_id != participant.id:
        raise Refused(_("{Piste.ce} n'est pas {piste|le vôtre|la vôtre}."), "ownership")
    if piste.status in ("withdrawn", "merged"):
        raise Refused(_("{Piste.ce} a été {piste|retiré ou fusionné|retirée ou fusionnée} : {piste|il|elle} ne peut plus être {piste|modifié|modifiée}."), "state")
    return piste


@participant_action("piste_edit")
def piste_edit(atelier, template, participant, change, data):
    """Edit one of the participant's own pistes while the phase is open."""
    piste = _own_piste(participant, data)
    for name, value in _piste_fields(template, data).items():
        setattr(piste, name, value)
    change.content = True


@participant_action("piste_withdraw")
def piste_withdraw(atelier, template, participant, change, data):
    """Withdraw one of the participant's own pistes."""
    piste = _own_piste(participant, data)
    piste.status = "withdrawn"
    change.content = True


@participant_action("support_add", contained=True)
def support_add(atelier, template, participant, change, data, checks):
    """Place one dot on a piste (at most one per piste, at most the atelier's number of dots).

    Dots count through merges: a dot on a duplicate stands on the piste it was merged into, and
    a participant who dotted both pistes of a merge holds one dot there and gets the other back.
    """
    piste = checks.row("piste", _int_id(data.get("piste_id"), N_("{Piste.sg} invalide.")))
    if piste is None or piste["atelier_id"] != atelier.id or piste["status"] != "visible":
        raise Refused(_("{Piste.ce} n'est plus {piste|proposé|proposée} au vote."), "state")
    placed = checks.dots(participant["id"])
    if piste["id"] in placed:
        return  # already there: placing it again changes nothing
    dots = atelier.settings["dots"]
    if len(placed) >= dots:
        raise Refused(ngettext("Vous avez placé votre gommette : retirez-la pour la déplacer.",
                               "Vous avez placé vos %(num)s gommettes : retirez-en une pour la déplacer.", dots), "budget")
    insert_row(Support, atelier_id=atelier.id, participant_id=participant["id"], persona_id=participant["persona_id"], piste_id=piste["id"])
    change.content = True


@participant_action("support_remove", contained=True)
def support_remove(atelier, template, participant, change, data, checks):
    """Take a dot back from a piste (with the dots that stand on it through merges)."""
    piste_id = _int_id(data.get("piste_id"), N_("{Piste.sg} invalide."))
    supports = checks.own("support", participant["id"])
    roots = checks.roots({support["piste_id"] for support in supports})
    taken = [support for support in supports if roots[support["piste_id"]] == piste_id]
    delete_rows(Support, taken)
    if taken:
        change.content = True


PARTICIPANT_ACTIONS = {fn.action_name: fn for fn in (
    persona_choose, paradox_toggle, values_set, value_word_add, value_word_remove, reve_add, reve_withdraw,
    piste_add, piste_edit, piste_withdraw, support_add, support_remove)}
