/* The synthesis, the CODEV's opinions, and what earlier ateliers of the démarche hand over. */
import { act, actionButton, boot, errorArea, h, t } from "./core.js";
import { exportLinks } from "./exports.js";
import { foldForPhase, foldPanel } from "./fold.js";

// The synthesis, the CODEV's opinions, and what earlier ateliers of the démarche hand over.
var followBody = h("div", { class: "fc-follow-body" });
var followSig = "";

// « Et après » : built once, so that an aggregate never disturbs what is being typed. What the
// server holds is `afterSaved`; the box follows it only while it has no edit of its own.
var AFTER_MAX = 600;
var afterSaved = boot.state.after || "";
var afterBox = h("textarea", { id: "fc-after", name: "after", rows: "6", maxlength: String(AFTER_MAX), dir: "auto",
  "data-key": "after-text", "aria-describedby": "fc-after-hint fc-after-state" });
afterBox.value = afterSaved;
var afterState = h("p", { id: "fc-after-state", class: "fc-after-state", role: "status" });
var afterSave = actionButton("after-save", t("Enregistrer « Et après »"), null, { submit: true, cls: "primary fc-btn-small" });
var afterForm = h("form", { class: "fc-edit fc-after", novalidate: true },
  h("label", { for: "fc-after", id: "fc-after-label" }, t("Et après… (ce qui suit l'atelier)")),
  h("p", { id: "fc-after-hint", class: "fc-hint" },
    t("Qui porte les {engagement.pl}, le prochain atelier, comment les participants seront tenus au courant. Paraît sur l'écran de clôture et dans la synthèse (4 paragraphes au plus).")),
  afterBox, errorArea("after"),
  h("div", { class: "fc-form-actions" }, afterSave, afterState));

function showAfterState() {
  var left = AFTER_MAX - afterBox.value.length;
  var count = t("Caractères restants : {n}", { n: left });
  if (afterBox.value.trim() === afterSaved.trim()) {
    afterState.textContent = afterSaved ? t("Enregistré ✓") + " · " + count : count;
    afterState.className = "fc-after-state is-saved";
  } else {
    afterState.textContent = t("Modifié, non enregistré") + " · " + count;
    afterState.className = "fc-after-state is-dirty";
  }
}
afterBox.addEventListener("input", showAfterState);
afterForm.addEventListener("submit", function (ev) {
  ev.preventDefault();
  var text = afterBox.value;
  afterState.textContent = t("Enregistrement…");
  act("after_set", { text: text }, { area: "after", key: "after-save", msg: t("« Et après » enregistré."),
    ok: function (answer) {
      afterSaved = answer.text || "";
      if (afterBox.value === text) afterBox.value = afterSaved;  // as stored (spaces tidied), unless typed on since
      showAfterState();
    },
    fail: function () { showAfterState(); } });
});
showAfterState();

function followAfter(s) {
  var stored = s.after || "";
  if (stored === afterSaved) return;
  var untouched = afterBox.value.trim() === afterSaved.trim();
  afterSaved = stored;
  if (untouched) afterBox.value = stored;  // another console saved it: follow, unless this one is editing
  showAfterState();
}
// Open from the convergence on, or while an earlier atelier of the démarche has results to take up.
var followPanel = foldPanel({ class: "fc-follow", id: "fc-follow", "aria-labelledby": "fc-follow-title" },
  h("h2", { id: "fc-follow-title" }, t("Synthèse et suites")),
  // The downloads are built once: a redraw of the panel never interrupts a file being prepared.
  h("div", { class: "fc-fold-body" }, afterForm, errorArea("suites"), exportLinks(boot.state.links.review), followBody));
var FOLLOW_KINDS = { convergence: 1, cloture: 1 };
var OPINIONS = { favorable: t("Favorable"), reserve: t("Réservé"), a_amender: t("À amender") };

function renderFollow(s) {
  var sig = JSON.stringify([s.links.review, s.links.demarche_synthesis, s.links.demarche_review, s.links.demarche_new, s.reviews, s.carry_over, (s.engagements || []).map(function (e) { return [e.id, e.title]; })]);
  var toTakeUp = (s.carry_over || []).some(function (a) { return !a.imported; });
  foldForPhase(followPanel, !!FOLLOW_KINDS[s.stage.kind] || toTakeUp, s.stage.index + (toTakeUp ? "+" : ""));
  followAfter(s);
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
    s.links.demarche_review ? h("p", null, h("a", { href: s.links.demarche_review, target: "_blank", rel: "noopener" },
      t("Relecture de toute la démarche")), " ",
      h("span", { class: "fc-hint" }, t("(lien secret à transmettre {review_body.au} : un avis sur chaque {engagement.sg} de chaque atelier, depuis une seule page)"))) : null,
    s.links.demarche_new ? h("p", null, h("a", { href: s.links.demarche_new, target: "_blank", rel: "noopener" },
      t("Nouvel atelier dans cette démarche")), " ",
      h("span", { class: "fc-hint" }, t("(lien secret : il donne accès aux résultats de la démarche)"))) : null,
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
