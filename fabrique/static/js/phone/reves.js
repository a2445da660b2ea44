/* Rêves: a short quote under a theme, and my rêves with a way to withdraw them. */
import { LANG, tw, act, allowed, draft, drafts, clearDraft, h, instructions, notice, setDraft, setNotice, t, template, themes, ui, vocab } from "./core.js";
import { textArea, themePicker } from "./fields.js";

export function reves(s) {
  var theme = draft("reve-theme", template.themes[0].id);
  var can = allowed("reve_add");
  return h("section", { "data-key": "reves" },
    instructions(s.stage),
    h("form", { class: "card stack", "data-key": "reve-form", on: { submit: function (e) {
      e.preventDefault();
      var text = (drafts["reve-text"] || "").trim();
      if (text.length > 300) { setNotice("reve", "error", t("{Reve.le} est trop {reve|long|longue} : 300 caractères au plus."), null); return; }
      if (text.length < 5) { setNotice("reve", "error", t("Écrivez votre {reve.sg} (5 caractères au moins)."), null); return; }
      act("reve", "reve_add", { theme_id: theme, text: text }, function () { clearDraft(["reve-text"]); });
    } } },
      themePicker("reve-theme", theme, function (id) { setDraft("reve-theme", id); ui.render(); }),
      textArea("reve-text", tw("{Reve|Mon|Ma|Mon} {reve.sg}"), 300, vocab.reve_prompt),
      notice("reve"),
      h("button", { type: "submit", class: "primary", id: "reve-submit", disabled: !can }, tw("Partager {reve.ce}"))),
    s.mine.reves.length ? h("section", { class: "card", "data-key": "my-reves" },
      h("h2", null, tw("Mes {reve.pl}")),
      h("ul", { class: "mine" }, s.mine.reves.map(function (r) {
        var th = themes[r.theme_id] || {};
        return h("li", { "data-key": "reve-" + r.id }, h("span", { class: "tag", style: "--theme:" + th.color, lang: LANG }, th.title), " ", r.text,
          r.hidden ? h("em", null, " — ", t("masqué par l'animation")) : null,
          h("button", { type: "button", class: "link", disabled: !allowed("reve_withdraw"), on: { click: function () {
            act("reve", "reve_withdraw", { reve_id: r.id });
            document.getElementById("reve-text").focus();
          } } }, t("Retirer")));
      }))) : null);
}
