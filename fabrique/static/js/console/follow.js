/* The synthesis, the CODEV's opinions, and what earlier ateliers of the démarche hand over. */
import { act, errorArea, h, t } from "./core.js";

// The synthesis, the CODEV's opinions, and what earlier ateliers of the démarche hand over.
var followBody = h("div", { class: "fc-follow-body" });
var followSig = "";
var followPanel = h("section", { class: "fc-panel fc-follow", "aria-labelledby": "fc-follow-title" },
  h("h2", { id: "fc-follow-title" }, t("Synthèse et suites")), errorArea("suites"), followBody);
var OPINIONS = { favorable: t("Favorable"), reserve: t("Réservé"), a_amender: t("À amender") };

function renderFollow(s) {
  var sig = JSON.stringify([s.links.review, s.links.demarche_synthesis, s.reviews, s.carry_over, (s.engagements || []).map(function (e) { return [e.id, e.title]; })]);
  if (sig === followSig) return;
  followSig = sig;
  var titles = {};
  (s.engagements || []).forEach(function (e) { titles[e.id] = e.title; });
  // Through h(): it leaves out the parts that are null (replaceChildren would print « null »).
  followBody.replaceChildren(h("div", null,
    h("p", null, h("a", { href: s.links.review, target: "_blank", rel: "noopener" }, t("Ouvrir la synthèse et ses téléchargements")),
      " ", h("span", { class: "fc-hint" }, t("(ce lien de relecture se transmet {review_body.au})"))),
    s.links.demarche_synthesis ? h("p", null, h("a", { href: s.links.demarche_synthesis, target: "_blank", rel: "noopener" },
      t("Synthèse de toute la démarche (ateliers réunis)"))) : null,
    (s.carry_over || []).length ? h("div", null,
      h("h3", null, t("Reprendre les résultats d'un atelier de la démarche")),
      h("ul", { class: "fc-carry" }, s.carry_over.map(function (a) {
        return h("li", null, a.label, " ", a.imported ? h("em", null, t("déjà repris")) : h("button", {
          type: "button", class: "fc-btn-small",
          on: { click: function () {
            act("carry_over", { from_atelier_id: a.id }, { area: "suites", msg: t("Résultats repris de « {label} ».", { label: a.label }) });
          } }
        }, t("Reprendre ses {value.pl} et ses {piste.pl}")));
      }))) : null,
    h("h3", null, t("Avis des relecteurs ({n})", { n: (s.reviews || []).length })),
    (s.reviews || []).length ? h("ul", { class: "fc-reviews" }, s.reviews.map(function (r) {
      return h("li", null,
        h("strong", { dir: "auto" }, r.reviewer),
        r.opinion ? [" · ", h("span", { class: "fc-opinion fc-opinion-" + r.opinion }, OPINIONS[r.opinion])] : null,
        " · ", h("span", { dir: "auto" }, r.engagement_id ? (titles[r.engagement_id] || t("{engagement.sg} {engagement|supprimé|supprimée}")) : t("ensemble de la synthèse")),
        r.text ? h("p", { dir: "auto" }, r.text) : null);
    })) : h("p", { class: "fc-hint" }, t("Aucun avis pour l'instant."))));
}

export { followBody, followSig, followPanel, OPINIONS, renderFollow };
