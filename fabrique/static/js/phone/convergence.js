/* Convergence: support the engagements that matter to my persona, as they form. */
import { LANG, tw, act, allowed, h, instructions, notice, t, template } from "./core.js";

export function convergence(s) {
  var supported = s.mine.engagement_supports || [];
  var can = allowed("engagement_support");
  // Until the snapshot of the new phase arrives, the board may still hold the vote's pistes.
  var engagements = s.board.filter(function (e) { return e.title !== undefined; });
  if (!engagements.length) {
    return h("section", { class: "card", "data-key": "convergence-wait" }, instructions(s.stage),
      h("p", null, tw("L'animation rassemble {piste.les} en {engagement.pl} : suivez à l'écran.")));
  }
  return h("section", { "data-key": "convergence" },
    instructions(s.stage),
    h("p", null, tw("Soutenez {engagement.les} qui comptent pour votre habitant fictif.")),
    template.themes.map(function (th) {
      var list = engagements.filter(function (e) { return e.theme_id === th.id; });
      if (!list.length) return null;
      return h("section", { class: "vote-theme", "data-key": "conv-" + th.id },
        h("h2", { class: "theme-title", style: "--theme:" + th.color, lang: LANG }, th.title),
        h("ul", { class: "cards" }, list.map(function (e) {
          var on = supported.indexOf(e.id) !== -1;
          var id = "eng-" + e.id;
          return h("li", { class: "card piste engagement" + (on ? " is-chosen" : ""), "data-key": "card-" + id },
            h("h3", null, e.title),
            e.purpose ? h("p", null, e.purpose) : null,
            e.how.length ? h("ul", { class: "how" }, e.how.map(function (item) { return h("li", null, item); })) : null,
            h("button", {
              type: "button", id: id, class: on ? "primary" : "", "aria-pressed": on ? "true" : "false", "aria-disabled": can ? null : "true",
              on: { click: function () { if (can) act("engagement", "engagement_support", { engagement_id: e.id, supported: !on }, null, id); } }
            }, on ? tw("Je soutiens {engagement.ce} ✓") : tw("Soutenir {engagement.ce}")),
            notice("engagement", id));
        })));
    }));
}

export function cloture(s) {
  var m = s.mine;
  // Only what this format asked for: no "paradoxes" line where there was no paradoxes phase.
  var had = {};
  (s.stage.phases || []).forEach(function (p) { had[p.kind] = true; });
  var lines = [
    had.paradoxes && t("{Paradox.pl} {paradox|marqués|marquées} : {n}", { n: m.paradoxes.length }),
    had.valeurs && t("{Value.pl} {value|soutenus|soutenues} : {n}", { n: Object.keys(m.values).length }),
    had.reves && t("{Reve.pl} {reve|partagés|partagées} : {n}", { n: m.reves.length }),
    had.pistes && t("{Piste.pl} {piste|proposés|proposées} : {n}", { n: m.pistes.length }),
    had.vote && t("Gommettes placées : {n}", { n: m.supports.length }),
    had.convergence && t("{Engagement.pl} {engagement|soutenus|soutenues} : {n}", { n: (m.engagement_supports || []).length })
  ].filter(Boolean);
  return h("section", { class: "card", "data-key": "cloture" },
    h("h2", null, t("Merci pour votre participation !")),
    instructions(s.stage),
    lines.length ? h("ul", null, lines.map(function (line) { return h("li", null, line); })) : null);
}
