/* The join views (accueil, personas): the big QR code, the address, the code, who joined by persona. */
import { LANG, avatar, breakable, count, h, hidden, personas, plural, qrImage, safeColor, t } from "./core.js";

/* ---- join view (accueil, personas) ------------------------------------------------------- */

function participantsBlock(state) {
  var total = count(state.participation && state.participation.total);
  if (!total) return h("p", { class: "join-count is-waiting", text: t("En attente des participants…") });
  return h("p", { class: "join-count" },
    h("span", { class: "join-count-n", text: String(total) }),
    h("span", { class: "join-count-label", text: plural(total, t("participant"), t("participants")) }));
}

function joinPanel(state, compact, extra) {
  var url = String(state.atelier.join_url || "").replace(/^https?:\/\//, "");
  return h("section", { class: "join-panel" + (compact ? " is-compact" : ""), "aria-labelledby": "join-title" },
    h("div", { class: "join-qr" }, qrImage(state, "qr-big", "qr-big")),
    h("div", { class: "join-side" },
      h("div", { class: "join-info" },
        h("h2", { id: "join-title", class: "join-title", text: t("Rejoignez l'atelier") }),
        h("p", { class: "join-how", text: t("Scannez le QR code ou ouvrez") }),
        h("p", { class: "join-url" }, breakable(url)),
        h("p", { class: "join-code-label", text: t("Code de l'atelier") }),
        h("p", { class: "join-code", text: state.atelier.join_code }),
        participantsBlock(state)),
      extra || null));
}

function renderAccueil(state) {
  var by = (state.participation && state.participation.by_persona) || {};
  var strip = personas.length ? h("ul", { class: "persona-mini", "aria-label": t("Les habitants fictifs"),
    style: "--cols:" + Math.min(4, Math.max(1, Math.ceil(personas.length / 2))) }, personas.slice(0, 8).map(function (p) {
    var n = count(by[p.id]);
    return h("li", { class: "persona-chip" + (n ? "" : " is-zero"), style: "--persona:" + safeColor(p.color, "#566173") },
      h("div", { class: "persona-chip-top" },
        avatar("strip-" + p.id, p, "", "avatar"),
        h("span", { class: "persona-chip-n", "aria-hidden": "true", text: String(n) })),
      h("span", { class: "persona-chip-label", lang: p.label ? LANG : null, text: p.label || p.name }),
      hidden(" " + plural(n, t("{n} participant", { n: n }), t("{n} participants", { n: n }))));
  })) : null;
  return h("div", { class: "view view-accueil" }, joinPanel(state, false, strip));
}

function renderPersonas(state) {
  var by = (state.participation && state.participation.by_persona) || {};
  var many = personas.length > 8;
  var cols = personas.length <= 4 ? Math.max(1, personas.length) : Math.ceil(personas.length / 2);
  var grid = h("ul", { class: "persona-grid" + (many ? " is-many" : ""), style: "--cols:" + Math.min(cols, 6) },
    personas.map(function (p) {
      var n = count(by[p.id]);
      var meta = [];
      if (p.age !== null && p.age !== undefined) meta.push(t("{n} ans", { n: p.age }));
      if (p.commune) meta.push(p.commune);
      return h("li", { class: "persona-card" + (n ? "" : " is-zero"), style: "--persona:" + safeColor(p.color, "#566173") },
        h("div", { class: "persona-card-top" },
          avatar("card-" + p.id, p, "", "avatar"),
          h("p", { class: "persona-card-n" },
            h("span", { "aria-hidden": "true", text: String(n) }),
            hidden(plural(n, t("{n} participant", { n: n }), t("{n} participants", { n: n }))))),
        h("h2", { class: "persona-card-name", text: p.name }),
        h("p", { class: "persona-card-label", lang: LANG, text: p.label }),
        meta.length ? h("p", { class: "persona-card-meta", text: meta.join(" · ") }) : null,
        p.quote && !many ? h("blockquote", { class: "persona-card-quote", lang: LANG, text: "« " + p.quote + " »" }) : null);
    }));
  return h("div", { class: "view view-personas" },
    joinPanel(state, true),
    h("section", { class: "persona-grid-wrap", "aria-label": t("Les habitants fictifs") }, grid));
}

/* ---- paradoxes --------------------------------------------------------------------------- */

export { participantsBlock, joinPanel, renderAccueil, renderPersonas };
