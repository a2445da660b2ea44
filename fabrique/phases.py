"""Phase gates in one table: what a participant may do in each kind of phase.

The server checks every participant action against this table (`refusal`), and every screen
reads it from the snapshot (`stage.allowed`) to show only the controls that will work.
Facilitator actions are allowed in every phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .catalog import Phase, Template
from .i18n import N_

PARTICIPANT_ACTIONS: dict[str, frozenset[str]] = {
    "accueil": frozenset({"persona_choose"}),
    "personas": frozenset({"persona_choose"}),
    "paradoxes": frozenset({"paradox_toggle"}),
    "valeurs": frozenset({"values_set", "value_word_add", "value_word_remove"}),
    "reves": frozenset({"reve_add", "reve_withdraw"}),
    "pistes": frozenset({"piste_add", "piste_edit", "piste_withdraw"}),
    "vote": frozenset({"support_add", "support_remove"}),
    "convergence": frozenset({"engagement_support"}),
    "cloture": frozenset(),
}

# What a participant is said to have "done" in a phase, for the facilitator's live view. In French
# here: the stage is broadcast to a whole atelier, so each browser translates them (js_messages),
# and a message for one person translates them where it is built (`CurrentPhase.translated_title`).
PHASE_TITLES = {
    "accueil": N_("Accueil"),
    "personas": N_("Les habitants fictifs"),
    "paradoxes": N_("{Paradox.les}"),
    "valeurs": N_("{Value.les}"),
    "reves": N_("{Reve.les}"),
    "pistes": N_("{Piste.les}"),
    "vote": N_("Vote sur {piste.les}"),
    "convergence": N_("Convergence"),
    "cloture": N_("Clôture"),
}


def phase_title(phase: Phase, template: Template) -> str:
    """Return a phase's title: the template's own, else the default one in French, in the template's words."""
    from .vocabulary import fill, words

    return phase.title or fill(PHASE_TITLES[phase.kind], words(template))


@dataclass(frozen=True)
class CurrentPhase:
    index: int
    count: int
    phase: Phase
    template: Template

    @property
    def kind(self) -> str:
        return self.phase.kind

    @property
    def title(self) -> str:
        """The phase's title as broadcast: the template's own, else the default one in French (in its words)."""
        return phase_title(self.phase, self.template)

    @property
    def translated_title(self) -> str:
        """The title in the current person's language, as the browsers show it (live.js): a template's
        own title is translated when it is also an interface text (« Clôture »), else stays as written."""
        from .vocabulary import fill, words

        return fill(_(self.phase.title or PHASE_TITLES[self.phase.kind]), words(self.template))


def current_phase(atelier, template: Template) -> CurrentPhase:
    """Return the phase an atelier is in, within its template's format."""
    phases = template.format(atelier.format_id).phases
    index = min(atelier.phase_index, len(phases) - 1)
    return CurrentPhase(index, len(phases), phases[index], template)


def allowed_actions(atelier, template: Template) -> frozenset[str]:
    """Return the participant actions open right now (none while the phase is locked)."""
    if atelier.phase_locked:
        return frozenset()
    actions = PARTICIPANT_ACTIONS[current_phase(atelier, template).kind]
    if atelier.settings.get("persona_assignment") != "choice":
        actions -= {"persona_choose"}
    return actions


def refusal(atelier, template: Template, action: str) -> str | None:
    """Return why `action` is refused in the current phase, or None when it is open."""
    if action in allowed_actions(atelier, template):
        return None
    if atelier.phase_locked:
        return _("La phase est verrouillée par l'animation : vos contributions sont closes pour l'instant.")
    if action == "persona_choose" and atelier.settings.get("persona_assignment") != "choice":
        return _("Les habitants fictifs sont attribués par l'animation dans cet atelier.")
    return _("Ce n'est pas possible pendant la phase « %(phase)s ».", phase=current_phase(atelier, template).translated_title)
