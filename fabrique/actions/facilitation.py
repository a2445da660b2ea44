"""What the facilitator does: drive the phases, run timers, adjust settings, moderate pistes."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..i18n import N_
from ..models import Piste, Reve, utcnow
from ..text import clean
from . import Refused, perform
from .ateliers import check_settings
from .contributions import _int_id, _piste_fields

FACILITATOR = "facilitator"
AFTER_PARAGRAPHS = 4  # with at most 600 characters, what the closing screen shows whole at 28 px


def facilitator_action(fn):
    """Make `fn(atelier, template, change, data)` an idempotent facilitator action."""

    def run(atelier_id: int, op_id: str, data: dict) -> dict:
        if not isinstance(data, dict):
            raise Refused(_("Requête invalide."), "invalid")

        def action(atelier, change):
            return fn(atelier, catalog().templates[atelier.template_id], change, data) or {"ok": True}

        return perform(atelier_id, FACILITATOR, op_id, action)

    run.__doc__ = fn.__doc__
    run.action_name = fn.__name__
    return run


def _stop_timer(atelier) -> None:
    atelier.timer_ends_at = None
    atelier.timer_remaining = None


@facilitator_action
def phase_goto(atelier, template, change, data):
    """Move to another phase: `{"to": index}` or `{"step": +1 / -1}`; the new phase starts open."""
    phases = template.format(atelier.format_id).phases
    if "to" in data:
        target = data["to"]
    else:
        step = data.get("step")
        if step not in (1, -1):
            raise Refused(_("Requête invalide."), "invalid")
        target = atelier.phase_index + step
    if not isinstance(target, int) or isinstance(target, bool) or not 0 <= target < len(phases):
        raise Refused(_("Il n'y a pas de phase avant la première ni après la dernière."), "invalid")
    if target != atelier.phase_index:
        atelier.phase_index = target
        atelier.phase_locked = False
        _stop_timer(atelier)
        minutes = phases[target].timer_minutes
        if minutes and data.get("start_timer", False):
            atelier.timer_ends_at = utcnow() + timedelta(minutes=minutes)
        change.stage = change.content = True


@facilitator_action
def phase_lock(atelier, template, change, data):
    """Lock (contributions closed) or reopen the current phase."""
    locked = data.get("locked")
    if not isinstance(locked, bool):
        raise Refused(_("Requête invalide."), "invalid")
    if atelier.phase_locked != locked:
        atelier.phase_locked = locked
        change.stage = True


@facilitator_action
def timer_start(atelier, template, change, data):
    """Start (or restart) the timer for `seconds`, or resume a paused one when `seconds` is absent."""
    seconds = data.get("seconds", atelier.timer_remaining)
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 1 <= seconds <= 4 * 3600:
        raise Refused(_("Durée du minuteur invalide (de 1 seconde à 4 heures)."), "invalid")
    atelier.timer_ends_at = utcnow() + timedelta(seconds=seconds)
    atelier.timer_remaining = None
    change.stage = True


@facilitator_action
def timer_pause(atelier, template, change, data):
    """Pause the running timer, keeping the time left."""
    if atelier.timer_ends_at is None:
        raise Refused(_("Aucun minuteur ne tourne."), "state")
    atelier.timer_remaining = max(0, round((atelier.timer_ends_at - utcnow()).total_seconds()))
    atelier.timer_ends_at = None
    change.stage = True


@facilitator_action
def timer_stop(atelier, template, change, data):
    """Stop and clear the timer."""
    if atelier.timer_ends_at is not None or atelier.timer_remaining is not None:
        _stop_timer(atelier)
        change.stage = True


@facilitator_action
def settings_update(atelier, template, change, data):
    """Change atelier settings within the bounds the template allows."""
    updates = check_settings(template, data.get("settings") if isinstance(data.get("settings"), dict) else {})
    if updates:
        atelier.settings = {**atelier.settings, **updates}
        change.stage = change.content = True


def _piste(atelier, piste_id) -> Piste:
    piste = db.session.get(Piste, _int_id(piste_id, N_("{Piste.sg} invalide.")))
    if piste is None or piste.atelier_id != atelier.id:
        raise Refused(_("{Piste.sg} introuvable dans cet atelier."), "not_found")
    return piste


def _touch(piste, change) -> None:
    change.content = True  # the author's phone and the board follow from the rows written


@facilitator_action
def piste_hide(atelier, template, change, data):
    """Hide a piste from the projector and the vote, or show it again."""
    piste = _piste(atelier, data.get("piste_id"))
    hidden = data.get("hidden")
    if not isinstance(hidden, bool):
        raise Refused(_("Requête invalide."), "invalid")
    if piste.status not in ("visible", "hidden"):
        raise Refused(_("{Piste.ce} a été {piste|retiré ou fusionné|retirée ou fusionnée}."), "state")
    piste.status = "hidden" if hidden else "visible"
    _touch(piste, change)


@facilitator_action
def piste_update(atelier, template, change, data):
    """Edit a piste's text, theme, horizon and hashtags (facilitator hashtags may be new ones)."""
    piste = _piste(atelier, data.get("piste_id"))
    if piste.status in ("withdrawn", "merged"):
        raise Refused(_("{Piste.ce} a été {piste|retiré ou fusionné|retirée ou fusionnée}."), "state")
    tags = data.get("hashtags", piste.hashtags)
    if not isinstance(tags, list) or len(tags) > 8:
        raise Refused(_("8 hashtags au plus."), "invalid")
    cleaned_tags = []
    for tag in tags:
        tag = clean(tag, "hashtag").lstrip("#").replace(" ", "")
        if not tag:
            raise Refused(_("Hashtag vide."), "invalid")
        if tag.casefold() not in {t.casefold() for t in cleaned_tags}:
            cleaned_tags.append(tag)
    fields = _piste_fields(template, {
        "theme_id": data.get("theme_id", piste.theme_id), "horizon": data.get("horizon", piste.horizon),
        "text": data.get("text", piste.text), "hashtags": []})
    fields["hashtags"] = cleaned_tags
    for name, value in fields.items():
        setattr(piste, name, value)
    _touch(piste, change)


def _root(piste: Piste) -> Piste:
    while piste.merged_into_id is not None:
        piste = db.session.get(Piste, piste.merged_into_id)
    return piste


@facilitator_action
def piste_merge(atelier, template, change, data):
    """Merge a duplicate into another piste: the kept piste counts both authors and supporters once."""
    duplicate = _piste(atelier, data.get("piste_id"))
    kept = _root(_piste(atelier, data.get("into_id")))
    if duplicate.id == kept.id:
        raise Refused(_("{Piste|Un|Une} {piste.sg} ne peut pas être {piste|fusionné avec lui-même|fusionnée avec elle-même}."), "invalid")
    if duplicate.status in ("withdrawn", "merged") or kept.status == "withdrawn":
        raise Refused(_("{Piste|Seuls|Seules} des {piste.pl} {piste|proposés|proposées} peuvent être {piste|fusionnés|fusionnées}."), "state")
    duplicate.status = "merged"
    duplicate.merged_into_id = kept.id
    change.merged.add(duplicate.id)
    if kept.status == "hidden":
        kept.status = "visible"
    _touch(duplicate, change)
    _touch(kept, change)
    for earlier in db.session.scalars(select(Piste).where(Piste.merged_into_id == duplicate.id)):
        _touch(earlier, change)  # pistes merged into the duplicate now count under the kept one


@facilitator_action
def piste_unmerge(atelier, template, change, data):
    """Undo a merge: the piste stands on its own again, with its own supports."""
    piste = _piste(atelier, data.get("piste_id"))
    if piste.status != "merged":
        raise Refused(_("{Piste.ce} n'est pas {piste|fusionné|fusionnée}."), "state")
    piste.status = "visible"
    piste.merged_into_id = None
    change.merged.add(piste.id)
    _touch(piste, change)


@facilitator_action
def reve_hide(atelier, template, change, data):
    """Hide a rêve from the projector, or show it again."""
    reve = db.session.get(Reve, _int_id(data.get("reve_id"), N_("{Reve.sg} invalide.")))
    if reve is None or reve.atelier_id != atelier.id or not isinstance(data.get("hidden"), bool):
        raise Refused(_("{Reve.sg} introuvable dans cet atelier."), "not_found")
    reve.hidden = data["hidden"]
    change.content = True


@facilitator_action
def after_set(atelier, template, change, data):
    """Write "Et après": what happens next (who carries the engagements, the next atelier, how people hear back)."""
    # Any phase: it is written at clôture, and often corrected days later, before the synthesis goes out.
    text = clean(data.get("text"), "after", multiline=True)
    if sum(1 for line in text.split("\n") if line.strip()) > AFTER_PARAGRAPHS:
        raise Refused(_("« Et après » : %(n)s paragraphes au plus (il doit tenir sur l'écran de clôture).", n=AFTER_PARAGRAPHS), "invalid")
    if text != (atelier.after_text or ""):
        atelier.after_text = text
        change.content = True  # the console, the projector's closing screen and the synthesis' version follow
    return {"ok": True, "text": text}


FACILITATOR_ACTIONS = {fn.action_name: fn for fn in (
    phase_goto, phase_lock, timer_start, timer_pause, timer_stop, settings_update,
    piste_hide, piste_update, piste_merge, piste_unmerge, reve_hide, after_set)}
