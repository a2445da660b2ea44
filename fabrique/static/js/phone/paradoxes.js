/* Paradoxes: mark those that matter most to my persona, within the phase's limit. */
import { LANG, act, allowed, h, instructions, notice, plural, t, template } from "./core.js";

export function paradoxCounter(s) {
  var n = s.mine.paradoxes.length, max = s.stage.settings.paradox_choices;
  return plural(n, t("{n} {paradox.sg} {paradox|marqué|marquée} sur {max}", { n: n, max: max }),
    t("{n} {paradox.pl} {paradox|marqués|marquées} sur {max}", { n: n, max: max }));
}

export function paradoxes(s) {
  var chosen = s.mine.paradoxes, limit = s.stage.settings.paradox_choices;
  return h("section", { "data-key": "paradoxes" },
    instructions(s.stage),
    h("ul", { class: "cards" }, template.paradoxes.map(function (p) {
      var on = chosen.indexOf(p.id) !== -1;
      var id = "paradox-" + p.id;
      var full = !on && chosen.length >= limit;
      return h("li", { class: "card paradox" + (on ? " is-chosen" : ""), "data-key": "card-" + id },
        h("h2", { lang: LANG }, p.title),
        h("p", null, h("strong", null, t("Atout :")), " ", h("span", { lang: LANG }, p.atout)),
        h("p", null, h("strong", null, t("Défi :")), " ", h("span", { lang: LANG }, p.defi)),
        p.figures.length ? h("details", null, h("summary", null, t("Chiffres clés")),
          h("ul", { lang: LANG }, p.figures.map(function (f) { return h("li", null, f); }))) : null,
        // aria-disabled, not disabled: a refused tap keeps the focus and says why beside the button.
        h("button", {
          type: "button", id: id, class: on ? "primary" : "", "aria-pressed": on ? "true" : "false",
          "aria-disabled": !allowed("paradox_toggle") || full ? "true" : null,
          on: { click: function () {
            if (!allowed("paradox_toggle")) return;
            if (full) { act("paradox", "paradox_toggle", { paradox_id: p.id, chosen: true }, null, id); return; }
            act("paradox", "paradox_toggle", { paradox_id: p.id, chosen: !on }, null, id);
          } }
        }, on ? t("Compte pour mon habitant ✓") : t("Compte pour mon habitant")),
        notice("paradox", id));
    })));
}
