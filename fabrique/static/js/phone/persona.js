/* Accueil and personas: welcome, the rejoin code, the persona card, and choosing one when allowed. */
import { LANG, act, allowed, fromTemplate, h, instructions, myPersona, notice, t, template, ui } from "./core.js";

export function personaCard(persona, full) {
  return h("article", { class: "persona-card", style: "--persona:" + persona.color, "data-key": "persona-" + persona.id },
    h("div", { class: "persona-top" },
      h("img", { src: persona.illustration, alt: t("Portrait de {name}", { name: persona.name }), width: 96, height: 96 }),
      h("div", null,
        h("h2", null, persona.name),
        h("p", { class: "persona-label" }, fromTemplate(persona.label), " · " + persona.age + " " + t("ans")),
        h("p", { class: "persona-where", lang: LANG }, persona.occupation + " — " + persona.commune))),
    h("blockquote", { lang: LANG }, "« " + persona.quote + " »"),
    full ? [
      h("h3", null, t("Sa vie quotidienne")), h("p", { lang: LANG }, persona.daily_life),
      h("h3", null, t("Ses déplacements")), h("p", { lang: LANG }, persona.mobility),
      h("h3", null, t("Ce qui marche pour elle ou lui")), h("ul", { lang: LANG }, persona.works.map(function (w) { return h("li", null, w); })),
      h("h3", null, t("Ce qui ne marche pas")), h("ul", { lang: LANG }, persona.does_not_work.map(function (w) { return h("li", null, w); }))
    ] : null);
}

function choosePersona(s) {
  return h("section", { class: "card", "data-key": "choose-persona" },
    h("h2", null, t("Choisir un autre habitant fictif")),
    h("ul", { class: "persona-list" }, template.personas.map(function (p) {
      var mineNow = s.me.persona_id === p.id;
      return h("li", { "data-key": "pick-" + p.id }, h("button", {
        type: "button", class: "persona-pick", "aria-pressed": mineNow ? "true" : "false", id: "pick-" + p.id,
        on: { click: function () { act("persona", "persona_choose", { persona_id: p.id }, function () { ui.live.resync(); }, "pick-" + p.id); } }
      }, h("img", { src: p.illustration, alt: "", width: 40, height: 40 }), fromTemplate(p.label), " — " + p.name),
      notice("persona", "pick-" + p.id));
    })));
}

export function welcome(s) {
  return [
    h("section", { class: "card", "data-key": "welcome" },
      h("h2", null, t("Bienvenue, {name} !", { name: s.me.pseudonym })),
      instructions(s.stage),
      h("p", null, t("Pendant cet atelier, vous parlerez au nom de votre habitant fictif.")),
      h("p", { class: "rejoin" }, t("Votre code de retour, pour reprendre votre place sur un autre appareil :"), " ",
        h("strong", { class: "code" }, s.me.rejoin_code))),
    myPersona(s) ? personaCard(myPersona(s), s.stage.kind === "personas") : null,
    allowed("persona_choose") ? choosePersona(s) : null
  ];
}
