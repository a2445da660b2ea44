"""Create ateliers and démarches from templates."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, text

from .. import catalog
from ..extensions import db
from ..i18n import N_
from ..models import Atelier, Demarche, short_code
from . import Refused, write

STARTUP_LOCK_KEY = 7_412_306  # beside the migrations' lock (fabrique.schema): any constant of Fabrique's own


def default_settings(template) -> dict:
    """Return the atelier settings a template starts from."""
    s = template.settings
    return {
        "value_method": s.value_vote.method,
        "value_budget": s.value_vote.budget,
        "value_top_n": min(s.value_vote.top_n, len(template.values) or s.value_vote.top_n),
        "value_max_words": s.value_vote.max_words,
        "paradox_choices": min(s.paradox_choices, len(template.paradoxes) or s.paradox_choices),
        "dots": s.dots,
        "persona_assignment": s.persona_assignment,
        "max_pistes_per_participant": s.max_pistes_per_participant,
        "max_reves_per_participant": s.max_reves_per_participant,
        "max_participants": 0,
    }


# name: (type, lowest, highest) for numbers, or the allowed choices.
SETTING_RULES = {
    "value_method": ("points", "top_n"),
    "value_budget": (int, 1, 100),
    "value_top_n": (int, 1, 20),
    "value_max_words": (int, 0, 20),
    "paradox_choices": (int, 1, 20),
    "dots": (int, 1, 50),
    "persona_assignment": ("balanced", "choice"),
    "max_pistes_per_participant": (int, 1, 200),
    "max_reves_per_participant": (int, 1, 50),
    "max_participants": (int, 0, 100_000),  # 0: no cap
}
# What a refusal calls each setting (translated where the refusal is built).
SETTING_LABELS = {
    "value_method": N_("la méthode de vote sur {value.les}"),
    "value_budget": N_("le nombre de points à répartir"),
    "value_top_n": N_("le nombre de {value.pl} à choisir"),
    "value_max_words": N_("le nombre de mots associés"),
    "paradox_choices": N_("le nombre de {paradox.pl} à marquer"),
    "dots": N_("le nombre de gommettes"),
    "persona_assignment": N_("l'attribution des habitants fictifs"),
    "max_pistes_per_participant": N_("le nombre de {piste.pl} par personne"),
    "max_reves_per_participant": N_("le nombre de {reve.pl} par personne"),
    "max_participants": N_("le nombre maximum de participants (0 : sans limite)"),
}


def check_settings(template, settings: dict) -> dict:
    """Return settings checked against their bounds and the methods the template allows."""
    checked = {}
    for name, value in settings.items():
        rule = SETTING_RULES.get(name)
        if rule is None:
            raise Refused(_("Réglage inconnu : « %(name)s ».", name=name), "invalid")
        if rule[0] is int:
            if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool) or not rule[1] <= value <= rule[2]:
                raise Refused(_("Pour %(setting)s, donnez un nombre entre %(low)s et %(high)s.",
                                 setting=_(SETTING_LABELS[name]), low=rule[1], high=rule[2]), "invalid")
        elif value not in rule:
            raise Refused(_("Valeur non prévue pour %(setting)s.", setting=_(SETTING_LABELS[name])), "invalid")
        checked[name] = value
    if checked.get("value_method") and checked["value_method"] not in template.settings.value_vote.methods:
        raise Refused(_("Ce modèle ne permet pas cette méthode de vote sur {value.les}."), "invalid")
    # A template cannot ask for more choices than it has items (its own limits).
    for name, items in (("value_top_n", template.values), ("paradox_choices", template.paradoxes)):
        if items and checked.get(name, 0) > len(items):
            raise Refused(_("Pour %(setting)s, donnez un nombre entre %(low)s et %(high)s.",
                            setting=_(SETTING_LABELS[name]), low=1, high=len(items)), "invalid")
    return checked


def _unused_join_code() -> str:
    while True:
        code = short_code()
        if db.session.scalar(select(Atelier.id).where(Atelier.join_code == code)) is None:
            return code


def create_atelier(template_id: str, name: str, format_id: str | None = None, demarche_id: int | None = None,
                   audience: str | None = None, held_on: str | None = None, settings: dict | None = None) -> Atelier:
    """Create an atelier from a template, with the template's default settings overridden by `settings`."""
    template = catalog().templates.get(template_id)
    if template is None:
        raise Refused(_("Modèle inconnu : « %(template)s ».", template=template_id))
    try:
        fmt = template.format(format_id)
    except KeyError:
        raise Refused(_("Le modèle « %(template)s » n'a pas de format « %(format)s ».",
                        template=template.title, format=format_id)) from None
    name = (name or "").strip()
    if not name:
        raise Refused(_("Donnez un nom à l'atelier."))
    if len(name) > 200:
        raise Refused(_("Le nom de l'atelier est trop long (200 caractères au plus)."))
    resolved = default_settings(template)
    resolved.update(settings or {})
    resolved = check_settings(template, resolved)

    def insert():
        if demarche_id is not None and db.session.get(Demarche, demarche_id) is None:
            raise Refused(_("Démarche introuvable."))
        atelier = Atelier(name=name, template_id=template.id, format_id=fmt.id, demarche_id=demarche_id,
                          audience=audience, held_on=held_on, settings=resolved, join_code=_unused_join_code())
        db.session.add(atelier)
        return atelier

    return write(insert)


def new_demarche(name: str | None, template_id: str) -> int | None:
    """Create a démarche under this name and return its id (None for no name).

    Names are not shared: two organisers may both call theirs « PLU 2030 ». Joining an existing
    démarche takes its secret (`demarche_by_secret`).
    """
    name = (name or "").strip()
    if not name:
        return None
    if len(name) > 200:
        raise Refused(_("Le nom de la démarche est trop long (200 caractères au plus)."))

    def insert():
        demarche = Demarche(name=name, template_id=template_id)
        db.session.add(demarche)
        db.session.flush()
        return demarche.id

    return write(insert)


def demarche_by_secret(link: str | None) -> Demarche | None:
    """Return the démarche whose secret is `link` (the secret itself or a link ending with it)."""
    secret = (link or "").strip().rstrip("/").rsplit("=", 1)[-1].rsplit("/", 1)[-1]
    if not secret:
        return None
    demarche = db.session.scalar(select(Demarche).where(Demarche.token == secret))
    if demarche is None:
        raise Refused(_("Lien de démarche inconnu : copiez-le depuis la console d'un atelier de la démarche."))
    return demarche


def hold_startup_lock() -> None:
    """Make processes starting together on one PostgreSQL database look and create one at a time.

    The lock is the transaction's: it is released by the commit that makes the created atelier
    visible, so the next process finds it instead of creating a second one. SQLite serves one
    process, whose writes are serialised already.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK_KEY})


def ensure_default_atelier(template_id: str) -> Atelier:
    """Return the most recent live atelier, creating one from `template_id` on a fresh install."""

    def find_or_create() -> Atelier:
        hold_startup_lock()
        atelier = db.session.scalar(select(Atelier).where(Atelier.is_demo.is_(False)).order_by(Atelier.id.desc()))
        if atelier is None:
            template = catalog().templates[template_id]
            atelier = create_atelier(template_id, f"{template.title} — {template.territory}")
        return atelier

    return write(find_or_create)
