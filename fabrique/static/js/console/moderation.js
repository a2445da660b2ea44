/* Moderation of pistes: filter, hide, edit, merge and unmerge, cards kept from one aggregate to the next. */
import { F, LANG, PISTE_KINDS, fromTemplate, horizonById, personaById, act, actionButton, cards, closeOnAggregate, errorArea, expanded, h, horizonLabel, icon, isOff, modes, norm, pendingFocus, personaDot, personaLabel, plainButton, plural, refreshDisabled, restoreFocus, safeColor, setOff, shortHorizon, shorten, showError, sigs, t, themeById, themeTitle, tpl, ui, vh, vocab, tw } from "./core.js";
import { foldForPhase, foldPanel } from "./fold.js";

// Main column: moderation --------------------------------------------------------------------
var filterInput = h("input", { type: "search", id: "fc-filter", class: "fc-filter", autocomplete: "off",
  placeholder: t("Texte, hashtag, habitant…"), on: { input: function () { renderModeration(ui.state, true); } } });
var showAllBox = h("input", { type: "checkbox", id: "fc-show-all", on: { change: function () { renderModeration(ui.state, true); } } });
var modCounts = h("span", { class: "fc-mod-counts" });
var themesBox = h("div", { class: "fc-themes" });
var modEmpty = h("p", { class: "fc-empty" });
var themeSections = {};
// Folded until the pistes phase: before it there is nothing to moderate.
var moderation = foldPanel({ class: "fc-moderation", id: "fc-moderation", "aria-labelledby": "fc-mod-title" },
  h("span", { class: "fc-panel-head" },
    h("h2", { id: "fc-mod-title", tabindex: "-1" }, tw("Modération des {piste.pl}")),
    modCounts),
  h("div", { class: "fc-fold-body" }, h("div", { class: "fc-mod-tools" },
    h("label", { for: "fc-filter", class: "fc-filter-label" }, t("Filtrer")),
    filterInput,
    h("label", { class: "fc-check", for: "fc-show-all" }, showAllBox, t("Afficher aussi {piste.les} {piste|masqués et fusionnés|masquées et fusionnées}"))),
  errorArea("moderation"),
  modEmpty,
  themesBox));

// ---------------------------------------------------------------------------------------
// Moderation of pistes

function themeSection(id) {
  if (themeSections[id]) return themeSections[id];
  var th = themeById[id] || { id: id, title: t("{Theme|Autre|Autre} {theme.sg}") };
  var count = h("span", { class: "fc-theme-count" });
  var list = h("ul", { class: "fc-cards" });
  var empty = h("p", { class: "fc-empty fc-theme-empty" });
  var el = h("section", { class: "fc-theme", style: "--theme:" + safeColor(th.color), "aria-labelledby": "fc-theme-" + id },
    h("h3", { class: "fc-theme-title", id: "fc-theme-" + id },
      h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), h("span", { lang: themeById[id] ? LANG : null }, th.title), " ",
      th.subtitle ? h("span", { class: "fc-theme-sub", lang: LANG }, th.subtitle) : null, " ", count),
    empty, list);
  themesBox.appendChild(el);
  themeSections[id] = { el: el, count: count, list: list, empty: empty };
  return themeSections[id];
}
(tpl.themes || []).forEach(function (th) { themeSection(th.id); });

function matches(p, query) {
  if (!query) return true;
  var hay = norm([p.text, (p.hashtags || []).map(function (x) { return "#" + x; }).join(" "), personaLabel(p.persona_id),
    themeTitle(p.theme_id), horizonLabel(p.horizon), "#" + p.id].join(" "));
  return query.split(/\s+/).every(function (word) { return hay.indexOf(word) >= 0; });
}

function renderModeration(s, force) {
  var mod = s.moderation || [];
  var byId = F.byId(mod);
  var query = norm(filterInput.value).trim();
  var showAll = showAllBox.checked;
  var sig = JSON.stringify([mod, query, showAll, modes, expanded, Object.keys(closeOnAggregate)]);
  foldForPhase(moderation, !!PISTE_KINDS[s.stage.kind], s.stage.index);
  if (!force && sigs.moderation === sig) return;
  sigs.moderation = sig;

  var n = { visible: 0, hidden: 0, merged: 0 };
  mod.forEach(function (p) { if (n[p.status] !== undefined) n[p.status]++; });
  var countText = [
    plural(n.visible, t("{n} visible", { n: n.visible }), t("{n} visibles", { n: n.visible })),
    plural(n.hidden, t("{n} masquée", { n: n.hidden }), t("{n} masquées", { n: n.hidden })),
    plural(n.merged, t("{n} fusionnée", { n: n.merged }), t("{n} fusionnées", { n: n.merged }))
  ].join(" · ");
  if (modCounts.textContent !== countText) modCounts.textContent = countText;

  var groups = {}, totals = {}, shown = 0;
  (tpl.themes || []).forEach(function (th) { groups[th.id] = []; totals[th.id] = { visible: 0, hidden: 0, merged: 0 }; });
  mod.forEach(function (p) {
    var tot = totals[p.theme_id] = totals[p.theme_id] || { visible: 0, hidden: 0, merged: 0 };
    if (tot[p.status] !== undefined) tot[p.status]++;
    var m = modes[p.id];
    var include = m || ((showAll || p.status === "visible") && matches(p, query));
    if (!include) return;
    var gid = m ? m.theme : p.theme_id;
    (groups[gid] = groups[gid] || []).push(p);
  });
  // A piste withdrawn by its author while its form is open stays, with a notice.
  Object.keys(modes).forEach(function (id) {
    if (!byId[id]) {
      var m = modes[id];
      (groups[m.theme] = groups[m.theme] || []).push(Object.assign({}, m.base, { gone: true }));
    }
  });

  var used = {};
  Object.keys(groups).forEach(function (gid) {
    var sec = themeSection(gid);
    var items = groups[gid].sort(function (a, b) { return a.id - b.id; });
    shown += items.length;
    var tot = totals[gid] || { visible: 0, hidden: 0, merged: 0 };
    var parts = [plural(tot.visible, t("{n} {piste.sg} {piste|visible|visible}", { n: tot.visible }), t("{n} {piste.pl} {piste|visibles|visibles}", { n: tot.visible }))];
    if (tot.hidden) parts.push(plural(tot.hidden, t("{n} masquée", { n: tot.hidden }), t("{n} masquées", { n: tot.hidden })));
    if (tot.merged) parts.push(plural(tot.merged, t("{n} fusionnée", { n: tot.merged }), t("{n} fusionnées", { n: tot.merged })));
    if (query) parts.unshift(plural(items.length, t("{n} trouvée", { n: items.length }), t("{n} trouvées", { n: items.length })));
    var c = parts.join(" · ");
    if (sec.count.textContent !== c) sec.count.textContent = c;
    var emptyText = items.length ? "" : (query ? t("{Piste|Aucun|Aucune} {piste.sg} ne correspond au filtre.") : t("{Piste|Aucun|Aucune} {piste.sg} pour l'instant."));
    if (sec.empty.textContent !== emptyText) sec.empty.textContent = emptyText;
    var wanted = items.map(function (p) { used[p.id] = true; return renderCard(p, byId); });
    // Remove the cards that leave this theme first, so that no kept card ever moves (a moved
    // node loses the focus); then insert the new ones in place.
    Array.prototype.slice.call(sec.list.children).forEach(function (el) {
      if (wanted.indexOf(el) < 0) sec.list.removeChild(el);
    });
    var cursor = sec.list.firstChild;
    wanted.forEach(function (el) {
      if (el === cursor) cursor = cursor.nextSibling;
      else sec.list.insertBefore(el, cursor);
    });
  });
  Object.keys(cards).forEach(function (id) { if (!used[id]) delete cards[id]; });

  var emptyAll = "";
  if (!mod.length) emptyAll = t("{Piste|Aucun|Aucune} {piste.sg} pour l'instant : {piste|ils|elles} apparaîtront ici dès que les participants en proposeront.");
  else if (!shown) emptyAll = t("{Piste|Aucun|Aucune} {piste.sg} à afficher avec ce filtre.");
  if (modEmpty.textContent !== emptyAll) modEmpty.textContent = emptyAll;
}

function cardSig(p, byId) {
  var target = p.merged_into ? byId[p.merged_into] : null;
  return JSON.stringify([p.text, p.theme_id, p.horizon, p.hashtags, p.status, p.merged_into, target && target.text,
    p.persona_id, !!expanded[p.id], !!p.gone]);
}

function renderCard(p, byId) {
  var rec = cards[p.id];
  if (!rec) {
    var msg = errorArea("piste-" + p.id, "fc-card-alert");
    var body = h("div", { class: "fc-card-body" });
    rec = cards[p.id] = { el: h("li", { class: "fc-card", "data-id": String(p.id) }, body, msg), body: body, msg: msg };
  }
  var m = modes[p.id];
  var modeKind = m ? m.kind : null;
  var sig = cardSig(p, byId);
  if (rec.mode !== modeKind || (!m && rec.sig !== sig)) {
    rec.mode = modeKind;
    rec.sig = sig;
    rec.body.textContent = "";
    rec.el.className = "fc-card is-" + (p.gone ? "gone" : p.status) + (modeKind ? " is-" + modeKind + "ing" : "");
    buildCard(rec, p, byId, m);
  }
  // Data-bound parts, safe to update while a form is open.
  if (rec.supports) {
    // A gommette is a sticker dot: the count sits in a yellow dot, spelt out for screen readers.
    var counted = p.status === "visible" && typeof p.supports === "number" && (p.supports > 0 || !!PISTE_KINDS[ui.state.stage.kind] && ui.state.stage.kind !== "pistes");
    var sText = counted ? plural(p.supports, t("{n} gommette", { n: p.supports }), t("{n} gommettes", { n: p.supports })) : "";
    if (rec.supportsText.textContent !== sText) {
      rec.supportsText.textContent = sText;
      rec.supportsN.textContent = counted ? String(p.supports) : "";
      rec.supports.title = sText;
    }
    rec.supports.hidden = !counted;
    rec.supports.classList.toggle("is-zero", p.supports === 0);
  }
  if (m && rec.note) {
    var note = "";
    if (p.gone) note = t("{Piste.ce} vient d'être {piste|retiré|retirée} par son auteur : {piste|il|elle} ne peut plus être {piste|modifié|modifiée}.");
    else if (p.status === "merged") note = t("{Piste.ce} vient d'être {piste|fusionné|fusionnée}.");
    else if (p.text !== m.base.text || p.theme_id !== m.base.theme_id || p.horizon !== m.base.horizon ||
      JSON.stringify(p.hashtags) !== JSON.stringify(m.base.hashtags)) {
      note = t("Son auteur l'a modifiée pendant que vous l'éditiez : en enregistrant, votre version remplacera la sienne.");
    }
    if (rec.note.textContent !== note) rec.note.textContent = note;
  }
  if (m && rec.submit) {
    var dead = !!p.gone || (m.kind === "edit" && p.status === "merged") || (m.kind === "merge" && p.status !== "visible" && p.status !== "hidden");
    if ((rec.submit.getAttribute("data-off") === "1") !== dead) setOff(rec.submit, dead);
    rec.el.classList.toggle("is-gone", !!p.gone);
  }
  return rec.el;
}

function buildCard(rec, p, byId, m) {
  var body = rec.body;
  var id = p.id;
  rec.submit = null;
  rec.supports = h("span", { class: "fc-supports" });
  rec.supportsN = h("span", { class: "fc-supports-n", "aria-hidden": "true" });
  rec.supportsText = vh("");
  rec.supports.appendChild(rec.supportsN);
  rec.supports.appendChild(rec.supportsText);
  rec.note = null;
  var status = p.gone ? h("span", { class: "fc-status is-gone" }, t("Retirée"))
    : p.status === "hidden" ? h("span", { class: "fc-status is-hidden" }, t("Masquée"))
      : p.status === "merged" ? h("span", { class: "fc-status is-merged" }, t("Fusionnée"))
        : vh(t("Visible"));
  body.appendChild(h("div", { class: "fc-card-head" },
    status,
    h("span", { class: "fc-horizon", title: horizonLabel(p.horizon), lang: horizonById[p.horizon] ? LANG : null }, shortHorizon(p.horizon)),
    h("span", { class: "fc-author" }, personaDot(p.persona_id), fromTemplate(personaLabel(p.persona_id), personaById[p.persona_id])),
    h("span", { class: "fc-spacer" }),
    h("span", { class: "fc-id" }, vh(t("{piste.sg} n°")), "#" + id),
    rec.supports));

  if (m && m.kind === "edit") { buildEditForm(rec, p); return; }

  var long = (p.text || "").length > 260;
  body.appendChild(h("p", { class: "fc-text" + (long && !expanded[id] ? " is-clamped" : ""), dir: "auto" }, p.text));
  if (long) {
    body.appendChild(plainButton("more-" + id, expanded[id] ? t("Réduire") : t("Lire la suite"), function () {
      if (expanded[id]) delete expanded[id]; else expanded[id] = true;
      pendingFocus.push("more-" + id);
      renderModeration(ui.state, true);
      restoreFocus(null);
    }, { cls: "fc-link-btn", expanded: expanded[id] ? "true" : "false" }));
  }
  if ((p.hashtags || []).length) {
    body.appendChild(h("ul", { class: "fc-tags", "aria-label": t("Hashtags") }, p.hashtags.map(function (tag) {
      return h("li", { dir: "auto" }, "#" + tag);
    })));
  }
  if (p.status === "merged") {
    var target = byId[p.merged_into];
    body.appendChild(h("p", { class: "fc-merged-note" }, icon("⇢"),
      target ? t("fusionnée dans « {text} »", { text: shorten(target.text, 90) }) + " (#" + target.id + ")"
        : t("{piste|fusionné|fusionnée} dans {piste.un} {piste|retiré|retirée}")));
  }

  var actions = h("div", { class: "fc-card-actions" });
  if (p.status === "visible" || p.status === "hidden") {
    var hidden = p.status === "hidden";
    actions.appendChild(actionButton("hide-" + id, hidden ? t("Réafficher") : t("Masquer"), function () { hidePiste(p, !hidden); },
      { label: hidden ? t("Réafficher {piste.le} n°{id}", { id: id }) : t("Masquer {piste.le} n°{id}", { id: id }), cls: "fc-btn-small" }));
    actions.appendChild(plainButton("edit-" + id, t("Modifier"), function () { openMode(p, "edit"); },
      { label: t("Modifier {piste.le} n°{id}", { id: id }), cls: "fc-btn-small" }));
    actions.appendChild(plainButton("merge-" + id, t("Fusionner avec…"), function () { openMode(p, "merge"); },
      { label: t("Fusionner avec… ({piste.sg} n°{id})", { id: id }), cls: "fc-btn-small", expanded: m ? "true" : "false" }));
  } else if (p.status === "merged") {
    actions.appendChild(actionButton("unmerge-" + id, t("Défusionner"), function () { unmergePiste(p); },
      { label: t("Défusionner {piste.le} n°{id}", { id: id }), cls: "fc-btn-small" }));
  }
  body.appendChild(actions);
  if (m && m.kind === "merge") buildMergeForm(rec, p, byId);
}

function openMode(p, kind) {
  modes[p.id] = { kind: kind, theme: p.theme_id, base: JSON.parse(JSON.stringify(p)) };
  showError("piste-" + p.id, "");
  pendingFocus.push(kind === "edit" ? "edit-text-" + p.id : "merge-select-" + p.id);
  renderModeration(ui.state, true);
  refreshDisabled();
  restoreFocus(null);
}

function closeMode(id, focusKey) {
  delete modes[id];
  showError("piste-" + id, "");
  if (focusKey) pendingFocus.push(focusKey);
  renderModeration(ui.state, true);
  refreshDisabled();
  restoreFocus(null);
}

function buildEditForm(rec, p) {
  var id = p.id;
  var save = actionButton("save-" + id, t("Enregistrer"), null, { submit: true, cls: "primary fc-btn-small", off: p.gone });
  var textId = "fc-edit-text-" + id, themeId = "fc-edit-theme-" + id, horizonId = "fc-edit-horizon-" + id, tagsId = "fc-edit-tags-" + id;
  var counter = h("span", { class: "fc-hint", id: textId + "-count" });
  var text = h("textarea", { id: textId, "data-key": "edit-text-" + id, rows: "4", dir: "auto", "aria-describedby": textId + "-count" });
  text.value = p.text || "";
  function count() { counter.textContent = t("{n} / 500 caractères", { n: text.value.length }); }
  text.addEventListener("input", count);
  count();
  var theme = h("select", { id: themeId, "data-key": "edit-theme-" + id }, (tpl.themes || []).map(function (th) {
    return h("option", { value: th.id, selected: th.id === p.theme_id, lang: LANG }, th.title);
  }));
  var horizon = h("select", { id: horizonId, "data-key": "edit-horizon-" + id }, (tpl.horizons || []).map(function (hz) {
    return h("option", { value: hz.id, selected: hz.id === p.horizon, lang: LANG }, hz.label);
  }));
  var tags = h("input", { id: tagsId, type: "text", "data-key": "edit-tags-" + id, autocomplete: "off", dir: "auto",
    "aria-describedby": tagsId + "-hint", value: (p.hashtags || []).join(", ") });
  rec.note = h("p", { class: "fc-note fc-edit-note", role: "status" });
  rec.submit = save;
  var form = h("form", { class: "fc-edit", novalidate: true, "aria-label": t("Modifier {piste.le} n°{id}", { id: id }) },
    h("label", { for: textId }, t("Texte {piste.du}")), text, counter,
    h("div", { class: "fc-edit-row" },
      h("div", {}, h("label", { for: themeId }, t("{Theme.sg}")), theme),
      h("div", {}, h("label", { for: horizonId }, t("Horizon")), horizon)),
    h("label", { for: tagsId }, t("Hashtags, séparés par des virgules")), tags,
    h("span", { class: "fc-hint", id: tagsId + "-hint" },
      t("Proposés : {tags}. D'autres sont possibles.", { tags: (tpl.hashtags || []).join(", ") })),
    rec.note,
    h("div", { class: "fc-form-actions" }, save,
      plainButton("cancel-" + id, t("Annuler"), function () { closeMode(id, "edit-" + id); }, { cls: "fc-btn-small fc-btn-ghost" })));
  form.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); closeMode(id, "edit-" + id); } });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (isOff(save)) return;
    var list = tags.value.split(",").map(function (x) { return x.trim().replace(/^#+/, ""); }).filter(Boolean);
    act("piste_update", { piste_id: id, text: text.value, theme_id: theme.value, horizon: horizon.value, hashtags: list }, {
      key: "save-" + id, area: "piste-" + id, awaitAggregate: true, msg: t("{Piste.sg} n°{id} {piste|modifié|modifiée}.", { id: id }),
      ok: function () { closeOnAggregate[id] = true; }
    });
  });
  rec.body.appendChild(form);
}

function buildMergeForm(rec, p, byId) {
  var id = p.id, selectId = "fc-merge-" + id;
  var mod = (ui.state.moderation || []).filter(function (o) { return o.status === "visible" && o.id !== id; });
  var select = h("select", { id: selectId, "data-key": "merge-select-" + id },
    h("option", { value: "" }, t("— Choisir {piste.le} à garder —")),
    (tpl.themes || []).map(function (th) {
      var inTheme = mod.filter(function (o) { return o.theme_id === th.id; });
      if (!inTheme.length) return null;
      return h("optgroup", { label: th.title }, inTheme.map(function (o) {
        return h("option", { value: String(o.id) }, "#" + o.id + " · " + shorten(o.text, 90));
      }));
    }),
    (function () {
      var rest = mod.filter(function (o) { return !themeById[o.theme_id]; });
      return rest.length ? h("optgroup", { label: t("{Theme|Autre|Autre} {theme.sg}") }, rest.map(function (o) {
        return h("option", { value: String(o.id) }, "#" + o.id + " · " + shorten(o.text, 90));
      })) : null;
    })());
  var go = actionButton("merge-go-" + id, t("Fusionner"), null, { submit: true, cls: "primary fc-btn-small" });
  rec.submit = go;
  var form = h("form", { class: "fc-merge", novalidate: true },
    h("label", { for: selectId }, t("Fusionner {piste.ce} dans :")),
    select,
    h("p", { class: "fc-hint" }, t("{Piste.le} {piste|choisi|choisie} est {piste|gardé|gardée} ; {piste|celui-ci|celle-ci} s'y ajoute, avec ses gommettes et son auteur.")),
    h("div", { class: "fc-form-actions" }, go,
      plainButton("merge-cancel-" + id, t("Annuler"), function () { closeMode(id, "merge-" + id); }, { cls: "fc-btn-small fc-btn-ghost" })));
  form.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); closeMode(id, "merge-" + id); } });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (isOff(go)) return;
    if (!select.value) { showError("piste-" + id, t("Choisissez d'abord {piste.le} à garder.")); select.focus(); return; }
    var into = (ui.state.moderation || []).filter(function (o) { return String(o.id) === select.value; })[0];
    var question = t("Fusionner {piste.le} n°{a} dans {piste.le} n°{b} « {text} » ?", { a: id, b: select.value, text: shorten(into ? into.text : "", 80) });
    if (!window.confirm(question)) return;
    act("piste_merge", { piste_id: id, into_id: parseInt(select.value, 10) }, {
      key: "merge-go-" + id, area: "piste-" + id, awaitAggregate: true,
      msg: t("{Piste.sg} n°{a} {piste|fusionné|fusionnée} dans {piste.le} n°{b}.", { a: id, b: select.value }),
      ok: function () { closeOnAggregate[id] = true; }
    });
  });
  rec.body.appendChild(form);
}

function hidePiste(p, hidden) {
  act("piste_hide", { piste_id: p.id, hidden: hidden }, {
    key: "hide-" + p.id, area: "piste-" + p.id, awaitAggregate: true,
    msg: hidden ? t("{Piste.sg} n°{id} {piste|masqué|masquée} : {piste|il|elle} n'est plus à l'écran ni au vote.", { id: p.id }) : t("{Piste.sg} n°{id} {piste|réaffiché|réaffichée}.", { id: p.id }),
  });
}

function unmergePiste(p) {
  act("piste_unmerge", { piste_id: p.id }, {
    key: "unmerge-" + p.id, area: "piste-" + p.id, awaitAggregate: true,
    msg: t("{Piste.sg} n°{id} {piste|défusionné|défusionnée}.", { id: p.id })
  });
}
filterInput.setAttribute("data-key", "filter");

export { filterInput, showAllBox, modCounts, themesBox, modEmpty, themeSections, moderation, themeSection, matches, renderModeration, cardSig, renderCard, buildCard, openMode, closeMode, buildEditForm, buildMergeForm, hidePiste, unmergePiste };
