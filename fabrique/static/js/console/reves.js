/* Moderation of rêves, grouped by theme. */
import { PISTE_KINDS, act, fromTemplate, personaById, actionButton, errorArea, h, personaDot, personaLabel, plural, safeColor, shorten, sigs, t, themeById, themeTitle, tw } from "./core.js";
import { foldForPhase, foldPanel } from "./fold.js";
import { moderation } from "./moderation.js";

var revesBody = h("div", { class: "fc-reves-body" });
var revesCount = h("span", { class: "fc-mod-counts" });
// Open during the rêves phase only; folded (its counts in view) before and after.
var revesPanel = foldPanel({ class: "fc-reves", id: "fc-reves", "aria-labelledby": "fc-reves-title" },
  h("span", { class: "fc-panel-head" }, h("h2", { id: "fc-reves-title" }, tw("Modération des {reve.pl}")), revesCount),
  h("div", { class: "fc-fold-body" }, errorArea("reves"), revesBody));

// ---------------------------------------------------------------------------------------
// Moderation of rêves

function renderReves(s) {
  var st = s.stage;
  var themes = s.themes || [];
  var hidden = s.hidden_reves || [];
  var sig = JSON.stringify([themes.map(function (th) { return [th.id, th.reves]; }), hidden]);
  // Rêves come before the pistes until the pistes phase.
  var first = !PISTE_KINDS[st.kind];
  if (first && revesPanel.parentNode.firstChild !== revesPanel) revesPanel.parentNode.insertBefore(revesPanel, moderation);
  if (!first && revesPanel.parentNode.firstChild !== moderation) revesPanel.parentNode.insertBefore(moderation, revesPanel);
  foldForPhase(revesPanel, st.kind === "reves", st.index);
  if (sigs.reves === sig) return;
  sigs.reves = sig;
  var total = 0;
  themes.forEach(function (th) { total += (th.reves || []).length; });
  revesCount.textContent = plural(total, t("{n} affiché", { n: total }), t("{n} affichés", { n: total })) + " · " +
    plural(hidden.length, t("{n} masqué", { n: hidden.length }), t("{n} masqués", { n: hidden.length }));
  revesBody.textContent = "";
  if (!total && !hidden.length) {
    revesBody.appendChild(h("p", { class: "fc-empty" }, t("{Reve|Aucun|Aucune} {reve.sg} pour l'instant.")));
    return;
  }
  var grid2 = h("div", { class: "fc-reves-grid" });
  themes.forEach(function (th) {
    var reves = th.reves || [];
    if (!reves.length) return;
    grid2.appendChild(h("section", { class: "fc-theme fc-reve-theme", style: "--theme:" + safeColor((themeById[th.id] || {}).color) },
      h("h3", { class: "fc-theme-title" }, h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), fromTemplate(themeTitle(th.id), themeById[th.id]), " ",
        h("span", { class: "fc-theme-count" }, plural(reves.length, t("{n} {reve.sg}", { n: reves.length }), t("{n} {reve.pl}", { n: reves.length })))),
      h("ul", { class: "fc-reve-list" }, reves.map(function (r) {
        return h("li", { class: "fc-reve" },
          h("p", { class: "fc-reve-text", dir: "auto" }, shorten(r.text, 400)),
          h("div", { class: "fc-reve-meta" }, h("span", { class: "fc-author" }, personaDot(r.persona_id), fromTemplate(personaLabel(r.persona_id), personaById[r.persona_id])),
            actionButton("rhide-" + r.id, t("Masquer"), function () { hideReve(r.id, true); },
              { label: t("Masquer {reve.le} n°{id}", { id: r.id }), cls: "fc-btn-small" })));
      }))));
  });
  revesBody.appendChild(grid2);
  if (hidden.length) {
    revesBody.appendChild(h("h3", { class: "fc-hidden-title" }, tw("{Reve.pl} {reve|masqués|masquées}")));
    revesBody.appendChild(h("ul", { class: "fc-reve-list fc-reve-hidden" }, hidden.map(function (r) {
      return h("li", { class: "fc-reve is-hidden" },
        h("p", { class: "fc-reve-text", dir: "auto" }, shorten(r.text, 400)),
        h("div", { class: "fc-reve-meta" }, h("span", { class: "fc-muted" }, fromTemplate(themeTitle(r.theme_id), themeById[r.theme_id])),
          actionButton("rshow-" + r.id, t("Réafficher"), function () { hideReve(r.id, false); },
            { label: t("Réafficher {reve.le} n°{id}", { id: r.id }), cls: "fc-btn-small" })));
    })));
  }
}

function hideReve(id, hidden) {
  act("reve_hide", { reve_id: id, hidden: hidden }, {
    key: (hidden ? "rhide-" : "rshow-") + id, area: "reves", awaitAggregate: true,
    msg: hidden ? t("{Reve.sg} {reve|masqué|masquée}.") : t("{Reve.sg} {reve|réaffiché|réaffichée}.")
  });
}

export { revesBody, revesCount, revesPanel, renderReves, hideReve };
