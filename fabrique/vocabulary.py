"""The method's words of a template, in every form French needs: "cette priorité", "l'axe", "d'engagement".

`words(template)` gives, for each word of the template's `vocabulary` (theme, piste, engagement,
value, paradox, reve, review_body), a `Forms` mapping used by Python, Jinja (`words.theme.ce`) and,
through the template payload, by the screens' `vocabulary.js`. The keys are the same everywhere:

| key | masculine | feminine | elided |
|---|---|---|---|
| sg / pl | axe / axes | priorité / priorités | |
| le / les | le thème / les thèmes | la priorité | l'axe |
| un | un thème | une priorité | |
| ce / ces | ce thème / ces thèmes | cette priorité | cet axe |
| de / des | de thème / des thèmes | de priorité | d'axe |
| du / au | du thème / au thème | de la priorité / à la priorité | de l'axe / à l'axe |
| aux | aux thèmes | | |

`Forms.agree(m, f, elided=None)` picks an adjective or determiner for the word's gender
("Aucun" / "Aucune", "Nouveau" / "Nouvelle" / "Nouvel"). Elision is the file's `elision`, else
guessed from the first letter (a vowel or an h: write `elision: false` for an aspirated h).
"""

from __future__ import annotations

import re
import unicodedata

from .catalog import Vocabulary, Word

WORDS = ("theme", "piste", "engagement", "value", "paradox", "reve", "review_body")
_VOWELS = set("aeiouyh")


def _elides(word: Word) -> bool:
    if word.elision is not None:
        return word.elision
    first = unicodedata.normalize("NFD", word.singular[:1].lower())[:1]
    return first in _VOWELS


class Forms(dict):
    """The forms of one word (a dict, so that Jinja and JSON read it the same way)."""

    def __init__(self, word: Word):
        sg = word.singular
        pl = word.plural or f"{sg}s"
        fem = word.gender == "f"
        elided = _elides(word)
        self.feminine = fem
        self.elided = elided
        super().__init__(
            sg=sg, pl=pl, gender=word.gender, elision=elided,
            le=f"l'{sg}" if elided else (f"la {sg}" if fem else f"le {sg}"),
            les=f"les {pl}",
            un=f"une {sg}" if fem else f"un {sg}",
            ce="cette " + sg if fem else (f"cet {sg}" if elided else f"ce {sg}"),
            ces=f"ces {pl}",
            de=f"d'{sg}" if elided else f"de {sg}",
            des=f"des {pl}",
            du=f"de l'{sg}" if elided else (f"de la {sg}" if fem else f"du {sg}"),
            au=f"à l'{sg}" if elided else (f"à la {sg}" if fem else f"au {sg}"),
            aux=f"aux {pl}",
        )

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def agree(self, masculine: str, feminine: str, elided: str | None = None) -> str:
        """Return the form agreeing with this word: `agree("nouveau", "nouvelle", "nouvel")`."""
        return agree(self, masculine, feminine, elided)


def agree(word: dict, masculine: str, feminine: str, elided: str | None = None) -> str:
    """Return the adjective or determiner agreeing with a word's forms (a `Forms` or its JSON copy)."""
    if word.get("gender") == "f":
        return feminine
    return elided if (elided and word.get("elision")) else masculine


def words_of(vocabulary: Vocabulary) -> dict[str, Forms]:
    """Return every method word of a vocabulary with its forms, plus the rêve prompt."""
    out: dict = {name: Forms(getattr(vocabulary, name)) for name in WORDS}
    out["reve_prompt"] = vocabulary.reve_prompt
    return out


def words(template=None) -> dict:
    """Return a template's words (La Fabrique's defaults when there is no template)."""
    return words_of(template.vocabulary if template is not None else Vocabulary())


# "{piste.ce}" or "{piste|aucun|aucune}": a bare "{theme}" is a value of the message, never a word.
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)(?:\.([a-z]+)|((?:\|[^|}]*)+))\}")


def fill(text: str, vocabulary: dict) -> str:
    """Replace `{piste.ce}` by the word's form, `{Piste.ce}` by it capitalised, `{piste|Aucun|Aucune}` by the agreeing choice.

    The same syntax as `vocabulary.js`, so that a message translated once works on the server and in the browser.
    """

    def replace(match):
        name, key, choices = match.groups()
        word = vocabulary.get(name.lower())
        if not isinstance(word, dict):
            return match.group(0)
        out = agree(word, *choices[1:].split("|")) if choices else word.get(key, "")
        return cap(out) if name[0].isupper() else out

    return _PLACEHOLDER.sub(replace, text)


def in_words_of(atelier, text: str) -> str:
    """Fill `text`'s placeholders with the words of the atelier's template."""
    from . import catalog

    return fill(text, words(catalog().templates.get(atelier.template_id)))


def cap(text: str) -> str:
    """Return `text` with its first letter in upper case ("cette priorité" → "Cette priorité")."""
    return text[:1].upper() + text[1:] if text else text


def init_app(app) -> None:
    """Give the page templates `words(template)`, and the `inwords(words)` and `agree` filters."""
    app.jinja_env.globals["words"] = words
    app.jinja_env.filters["inwords"] = lambda text, vocabulary: fill(str(text), vocabulary)
    app.jinja_env.filters["agree"] = agree
