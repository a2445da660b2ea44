/* Vote: dots on the pistes, by theme; the refusal or the dots left shown beside the tapped button. */
import { LANG, tw, act, allowed, h, hashtags, instructions, notice, plural, t, template } from "./core.js";

export function dotsCounter(s) {
  var dots = s.stage.settings.dots, left = Math.max(0, dots - s.mine.supports.length);
  return plural(left, t("Il vous reste {n} gommette sur {max}", { n: left, max: dots }), t("Il vous reste {n} gommettes sur {max}", { n: left, max: dots }));
}

export function vote(s) {
  var dots = s.stage.settings.dots, used = s.mine.supports.length;
  var can = allowed("support_add");
  return h("section", { "data-key": "vote" },
    instructions(s.stage),
    template.themes.map(function (th) {
      var list = s.board.filter(function (p) { return p.theme_id === th.id && p.text !== undefined; });
      return h("section", { class: "vote-theme", "data-key": "vote-" + th.id },
        h("h2", { class: "theme-title", style: "--theme:" + th.color, lang: LANG }, th.title),
        list.length ? h("ul", { class: "cards" }, list.map(function (p) {
          var on = s.mine.supports.indexOf(p.id) !== -1;
          var id = "dot-" + p.id;
          var off = on ? !allowed("support_remove") : !can;
          return h("li", { class: "card piste" + (on ? " is-chosen" : ""), "data-key": "card-" + id },
            h("p", null, p.text),
            h("p", { class: "meta", lang: LANG }, p.horizon, p.hashtags.length ? " · " + hashtags(p.hashtags) : ""),
            // Without dots left, the tap still goes to the server, which says why beside it.
            h("button", {
              type: "button", id: id, class: on ? "primary" : (used >= dots ? "is-spent" : ""), "aria-pressed": on ? "true" : "false",
              "aria-disabled": off ? "true" : null,
              on: { click: function () { if (!off) act("vote", on ? "support_remove" : "support_add", { piste_id: p.id }, null, id); } }
            }, on ? t("● Ma gommette — retirer") : t("○ Placer une gommette")),
            notice("vote", id));
        })) : h("p", { class: "empty" }, tw("{Piste|Aucun|Aucune} {piste.sg} sous {theme.ce}.")));
    }));
}
