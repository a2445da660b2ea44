/* Convergence: the engagements board, one column per theme with its pool of pistes. */
import { LANG, act, actionButton, errorArea, expanded, h, icon, isOff, personaById, personaDot, personaLabel, plainButton, plural, refreshDisabled, root, safeColor, shorten, showError, sigs, t, themeTitle, tpl, ui, valueById, vh, tw } from "./core.js";
import { renderEngCard } from "./engagement.js";

// ---------------------------------------------------------------------------------------
// Convergence: the engagements board. One column per theme: its engagements (editable cards
// with their pistes and who stands behind them), a "{Engagement|Nouveau|Nouvelle|Nouvel} {engagement.sg}" form, and the pool of
// visible pistes not yet behind any engagement. Open by itself during convergence and clôture,
// folded (but there, to prepare) in the other phases. Built like the moderation: every card,
// row and form is kept from one aggregate to the next and only the parts whose data changed
// are redrawn; an open edit form, the new-engagement forms and the ticked pool pistes are
// never rebuilt, so nothing typed is lost.

var CONV_KINDS = { convergence: 1, cloture: 1 };
var HOW_MAX = 12;
var engModes = {};            // engagement id → {base, theme} while its edit form is open
var engCloseOnAggregate = {}; // engagement id → true once saved: the form closes with the new data
var engCards = {};            // engagement id → {el, body, pistes, trace, …, sigs}
var convCols = {};            // theme id → column record (its forms are built once)
var poolPicked = {};          // theme id → {piste id: true}: ticked for the next new engagement
var convOpenedFor = null;     // the phase index in which the board was unfolded by itself
var convOptSig = "";          // what the "Rattacher à…" / "Déplacer vers…" selects list

var convSummary = h("span", { class: "fc-conv-summary" });
var convValues = h("div", { class: "fc-conv-values" });
var convTotals = h("p", { class: "fc-conv-totals" });
var convColsBox = h("div", { class: "fc-conv-cols" });
var convWrap = h("details", { class: "fc-panel fc-conv", id: "fc-conv" },
  h("summary", { class: "fc-conv-summary-line", "data-key": "conv-toggle" },
    h("h2", { class: "fc-summary-title", id: "fc-conv-title" }, tw("Convergence : {engagement.les}")), " ", convSummary),
  h("div", { class: "fc-conv-top" }, convValues, convTotals),
  errorArea("conv"),
  convColsBox);
convWrap.addEventListener("toggle", function () {
  if (convWrap.open) { renderConvergence(ui.state, true); refreshDisabled(); }
});

function engagementsOf(s) { return s.engagements || []; }

function engLabel(e) {
  return t("{Engagement.sg} {n}", { n: e.position }) + (e.title ? " · " + shorten(e.title, 60) : "");
}

/* Options of a select that puts a piste behind an engagement: this theme's first, then the others. */
function engagementOptions(s, themeId, exceptId) {
  var engs = engagementsOf(s).filter(function (e) { return e.id !== exceptId; });
  var own = engs.filter(function (e) { return e.theme_id === themeId; });
  var groups = [];
  if (own.length) groups.push(h("optgroup", { label: themeTitle(themeId) }, own.map(function (e) {
    return h("option", { value: String(e.id) }, engLabel(e));
  })));
  (tpl.themes || []).forEach(function (th) {
    if (th.id === themeId) return;
    var other = engs.filter(function (e) { return e.theme_id === th.id; });
    if (other.length) groups.push(h("optgroup", { label: th.title }, other.map(function (e) {
      return h("option", { value: String(e.id) }, engLabel(e));
    })));
  });
  return { groups: groups, count: engs.length };
}

function personaAvatar(id, size) {
  var p = personaById[id];
  if (!p) return personaDot(id);
  return h("img", { class: "fc-avatar", src: p.illustration, alt: "", width: String(size || 24), height: String(size || 24),
    loading: "lazy", style: "--c:" + safeColor(p.color, "#8a8a8a") });
}

/* The author personas of a piste: avatars, their names for the mouse and for screen readers. */
function authorBadges(ids) {
  ids = ids || [];
  if (!ids.length) return null;
  var names = ids.map(personaLabel).join(", ");
  return h("span", { class: "fc-authors", title: names },
    ids.slice(0, 4).map(function (id) { return personaAvatar(id, 22); }),
    ids.length > 4 ? h("span", { class: "fc-authors-more", "aria-hidden": "true" }, "+" + (ids.length - 4)) : null,
    vh(t("Proposée par : {names}", { names: names })));
}

function supportsDot(n, zeroToo) {
  n = n || 0;
  var text = plural(n, t("{n} gommette", { n: n }), t("{n} gommettes", { n: n }));
  return h("span", { class: "fc-supports" + (n ? "" : " is-zero"), title: text, hidden: !n && !zeroToo },
    h("span", { class: "fc-supports-n", "aria-hidden": "true" }, String(n)), vh(text));
}

function statusTag(status) {
  if (status === "hidden") return h("span", { class: "fc-status is-hidden" }, t("Masquée"));
  if (status === "merged") return h("span", { class: "fc-status is-merged" }, t("Fusionnée"));
  return null;
}

function linkSelect(key, label, s, themeId, exceptId, onPick) {
  var opts = engagementOptions(s, themeId, exceptId);
  var none = exceptId === null ? t("Pas encore {engagement.de}") : t("{Engagement|Aucun autre|Aucune autre} {engagement.sg}");
  var select = h("select", { class: "fc-link-select", "data-key": key, "data-action": "1", "aria-label": label },
    h("option", { value: "" }, opts.count ? label : none), opts.groups);
  if (!opts.count) select.disabled = true;
  select.addEventListener("change", function () {
    var value = select.value;
    if (!value) return;
    if (isOff(select)) { select.value = ""; return; }
    onPick(parseInt(value, 10), select);
  });
  return select;
}

/* Unfold the board when convergence (or clôture) begins, fold it when the atelier goes back. */
function placeBoard(s) {
  var st = s.stage;
  var conv = !!CONV_KINDS[st.kind];
  root.classList.toggle("is-converging", conv);
  if (conv && convOpenedFor !== st.index) {
    convOpenedFor = st.index;
    if (!convWrap.open) convWrap.open = true;
  }
  if (!conv && convOpenedFor !== null) {
    // Leaving convergence (back to the vote, say): fold it again; nothing in it is lost.
    convOpenedFor = null;
    convWrap.open = false;
  }
}

function renderConvergence(s, force) {
  placeBoard(s);
  var engs = engagementsOf(s);
  var quota = s.quota;
  var linked = 0;
  engs.forEach(function (e) { linked += (e.pistes || []).length; });
  var summary = plural(engs.length, t("{n} {engagement.sg}", { n: engs.length }), t("{n} {engagement.pl}", { n: engs.length }));
  if (quota) summary += " · " + t("cadre : {q} par {theme.sg}", { q: quota });
  if (!convWrap.open) summary += " — " + t("cliquez pour préparer {engagement.les}");
  if (convSummary.textContent !== summary) convSummary.textContent = summary;
  if (!convWrap.open) return;

  var pool = {};
  (s.themes || []).forEach(function (th) { pool[th.id] = th.pistes || []; });
  var sig = JSON.stringify([engs, pool, s.values, s.carried_values, quota, Object.keys(engModes), Object.keys(engCloseOnAggregate)]);
  if (!force && sigs.conv === sig) return;
  sigs.conv = sig;

  convOptSig = JSON.stringify(engs.map(function (e) { return [e.id, e.theme_id, e.position, e.title]; }));
  renderValueReminder(s);
  var inPool = 0;
  var linkedIds = {};
  engs.forEach(function (e) { (e.pistes || []).forEach(function (p) { linkedIds[p.id] = true; }); });
  (tpl.themes || []).forEach(function (th) {
    (pool[th.id] || []).forEach(function (p) { if (!linkedIds[p.id]) inPool++; });
  });
  var totals = [
    plural(linked, t("{n} {piste.sg} {piste|rattaché|rattachée}", { n: linked }), t("{n} {piste.pl} {piste|rattachés|rattachées}", { n: linked })),
    plural(inPool, t("{n} {piste.sg} dans les viviers", { n: inPool }), t("{n} {piste.pl} dans les viviers", { n: inPool }))
  ].join(" · ");
  if (convTotals.textContent !== totals) convTotals.textContent = totals;

  var usedCards = {};
  (tpl.themes || []).forEach(function (th) {
    renderConvColumn(s, th, engs, pool[th.id] || [], linkedIds, usedCards);
  });
  Object.keys(engCards).forEach(function (id) { if (!usedCards[id]) delete engCards[id]; });
}

/* The room's top values (or, without a vote here, those carried from an earlier atelier). */
function renderValueReminder(s) {
  var top = (s.values || []).filter(function (v) { return v.points > 0; }).slice(0, 3)
    .map(function (v) { return { id: v.id, points: v.points }; });
  var from = null;
  if (!top.length) {
    var carried = (s.carried_values || [])[0];
    if (carried) {
      from = carried.label;
      top = (carried.ranking || []).filter(function (r) { return r.points > 0; }).slice(0, 3)
        .map(function (r) { return { id: r.value_id, points: r.points }; });
    }
  }
  var sig = JSON.stringify([top, from]);
  if (convValues.getAttribute("data-sig") === sig) return;
  convValues.setAttribute("data-sig", sig);
  convValues.textContent = "";
  if (!top.length) {
    convValues.appendChild(h("p", { class: "fc-muted fc-conv-values-none" }, t("Pas encore de classement des {value.pl} pour cet atelier.")));
    return;
  }
  convValues.appendChild(h("span", { class: "fc-conv-values-label" },
    from ? t("{Value.pl} {value|retenus|retenues} ({from}) :", { from: from }) : t("{Value.pl} de la salle :")));
  convValues.appendChild(h("ol", { class: "fc-value-chips" }, top.map(function (v) {
    var d = valueById[v.id];
    return h("li", { class: "fc-value-chip", title: d && d.description ? d.description : null },
      h("strong", { lang: d ? LANG : null }, d ? d.label : v.id), " ",
      h("span", { class: "fc-value-points" }, plural(v.points, t("{n} pt", { n: v.points }), t("{n} pts", { n: v.points }))));
  })));
}

function convColumn(th) {
  if (convCols[th.id]) return convCols[th.id];
  var id = th.id;
  var col = { picked: poolPicked[id] = poolPicked[id] || {}, rows: {} };
  col.quota = h("span", { class: "fc-quota" });
  col.engList = h("ol", { class: "fc-eng-list", "aria-label": t("{Engagement.pl} : {theme}", { theme: th.title }) });
  col.engEmpty = h("p", { class: "fc-empty fc-eng-empty" });

  // The "{Engagement|Nouveau|Nouvelle|Nouvel} {engagement.sg}" form: built once, its fields survive every redraw.
  var titleId = "fc-new-title-" + id, purposeId = "fc-new-purpose-" + id;
  col.title = h("input", { id: titleId, type: "text", maxlength: "300", autocomplete: "off", dir: "auto", "data-key": "new-title-" + id,
    placeholder: t("Un titre mobilisateur") });
  col.purpose = h("textarea", { id: purposeId, rows: "2", maxlength: "1000", dir: "auto", "data-key": "new-purpose-" + id,
    placeholder: t("Pour que chaque habitant…") });
  col.pickedNote = h("p", { class: "fc-new-picked" });
  col.create = actionButton("new-go-" + id, [icon("+"), t("Créer {engagement.le}")], null, { submit: true, cls: "primary fc-btn-small" });
  col.quotaText = h("p", { class: "fc-quota-text" });
  col.force = actionButton("new-force-" + id, t("Ajouter quand même"), function () { createEngagement(id, true); },
    { cls: "fc-btn-small fc-btn-warn" });
  col.quotaBox = h("div", { class: "fc-quota-box", role: "alert", hidden: true }, col.quotaText,
    h("div", { class: "fc-form-actions" }, col.force,
      plainButton("new-force-cancel-" + id, t("Annuler"), function () { hideQuota(id); renderConvergence(ui.state, true); col.title.focus(); },
        { cls: "fc-btn-small fc-btn-ghost" })));
  col.atQuota = h("p", { class: "fc-hint fc-at-quota", hidden: true });
  // Once the theme has its quota, the form folds into one button (unless something is typed).
  col.unfold = plainButton("new-unfold-" + id, [icon("+"), t("{Engagement.un} de plus…")], function () {
    unfoldNew(id);
    col.title.focus();
  }, { cls: "fc-btn-small fc-new-unfold", expanded: "false" });
  col.form = h("form", { class: "fc-new", novalidate: true, "aria-labelledby": "fc-new-head-" + id },
    h("h4", { class: "fc-new-head", id: "fc-new-head-" + id }, tw("{Engagement|Nouveau|Nouvelle|Nouvel} {engagement.sg}")),
    h("label", { for: titleId }, t("Titre")), col.title,
    h("label", { for: purposeId }, t("Pour … (le bénéfice pour l'habitant)")), col.purpose,
    col.pickedNote, col.atQuota,
    errorArea("new-" + id, "fc-card-alert"),
    h("div", { class: "fc-form-actions" }, col.create),
    col.quotaBox);
  col.form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (isOff(col.create)) return;
    createEngagement(id, false);
  });
  [col.title, col.purpose].forEach(function (field) {
    field.addEventListener("input", function () { showError("new-" + id, ""); });
  });

  col.poolCount = h("span", { class: "fc-theme-count" });
  col.poolList = h("ul", { class: "fc-pool", "aria-labelledby": "fc-pool-head-" + id });
  col.poolEmpty = h("p", { class: "fc-empty" });
  col.el = h("section", { class: "fc-conv-col", "data-theme": id, style: "--theme:" + safeColor(th.color), "aria-labelledby": "fc-conv-col-" + id },
    h("header", { class: "fc-conv-head" },
      h("h3", { class: "fc-conv-col-title", id: "fc-conv-col-" + id }, h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), h("span", { lang: LANG }, th.title)),
      col.quota),
    col.engEmpty, col.engList, col.unfold, col.form,
    h("div", { class: "fc-pool-wrap" },
      h("h4", { class: "fc-pool-head", id: "fc-pool-head-" + id }, tw("Vivier : {piste.pl} à rattacher"), " ", col.poolCount),
      h("p", { class: "fc-hint" }, t("{Piste|Les plus soutenus|Les plus soutenues} d'abord. Cochez-en pour les joindre {engagement|au nouveau|à la nouvelle|au nouvel} {engagement.sg}.")),
      col.poolEmpty,
      h("div", { class: "fc-pool-scroll" }, col.poolList)));
  convColsBox.appendChild(col.el);
  convCols[id] = col;
  return col;
}

function renderConvColumn(s, th, engs, themePistes, linkedIds, usedCards) {
  var col = convColumn(th);
  var mine = engs.filter(function (e) { return e.theme_id === th.id; });
  // An engagement deleted (elsewhere) while its form is open stays, with a notice.
  Object.keys(engModes).forEach(function (id) {
    var m = engModes[id];
    if (m.theme === th.id && !engs.some(function (e) { return String(e.id) === id; })) {
      mine.push(Object.assign({}, m.base, { gone: true }));
    }
  });
  var quota = s.quota;
  var n = mine.filter(function (e) { return !e.gone; }).length;
  var qText = quota ? t("{n} / {q} {engagement.pl}", { n: n, q: quota })
    : plural(n, t("{n} {engagement.sg}", { n: n }), t("{n} {engagement.pl}", { n: n }));
  var qCls = "fc-quota" + (quota && n > quota ? " is-over" : quota && n === quota ? " is-full" : "");
  if (col.quota.textContent !== qText) col.quota.textContent = qText;
  if (col.quota.className !== qCls) col.quota.className = qCls;
  col.quota.title = quota && n > quota ? t("Au-delà du cadre : {q} {engagement.pl} par {theme.sg} sont {engagement|prévus|prévues}.", { q: quota }) : "";
  var full = !!quota && n >= quota;
  // The form folds when the theme reaches its quota (never under the facilitator's hands:
  // not while something is typed in it or it has the focus), and unfolds below the quota.
  var empty = !col.title.value && !col.purpose.value && col.quotaBox.hidden;
  var refocus = false;
  if (!full) col.folded = false;
  else if (col.created && mine.some(function (e) { return e.id === col.created; })) {
    // The engagement just created here fills the quota: fold, keeping the focus nearby.
    if (empty) { col.folded = true; refocus = col.form.contains(document.activeElement); }
  } else if (col.wasFull !== true && empty && !col.form.contains(document.activeElement)) col.folded = true;
  if (col.created && mine.some(function (e) { return e.id === col.created; })) col.created = null;
  col.wasFull = full;
  col.form.hidden = !!col.folded;
  col.unfold.hidden = !col.folded;
  if (refocus) col.unfold.focus();
  col.atQuota.hidden = !full || !col.quotaBox.hidden;
  var atText = full ? t("Le cadre prévoit {q} engagements par thème : un de plus vous sera demandé en confirmation.", { q: quota }) : "";
  if (col.atQuota.textContent !== atText) col.atQuota.textContent = atText;

  var emptyText = mine.length ? "" : t("{Engagement|Aucun|Aucune} {engagement.sg} pour l'instant : rassemblez des {piste.pl} du vivier dans {engagement|un premier|une première} {engagement.sg}.");
  if (col.engEmpty.textContent !== emptyText) col.engEmpty.textContent = emptyText;
  var wanted = mine.map(function (e) { usedCards[e.id] = true; return renderEngCard(s, e, mine.length); });
  placeChildren(col.engList, wanted);

  // The pool: visible pistes behind no engagement, the most supported first.
  var pool = themePistes.filter(function (p) { return !linkedIds[p.id]; })
    .sort(function (a, b) { return (b.supports || 0) - (a.supports || 0) || a.id - b.id; });
  var ids = {};
  pool.forEach(function (p) { ids[p.id] = true; });
  Object.keys(col.picked).forEach(function (pid) { if (!ids[pid]) delete col.picked[pid]; });
  var pc = "(" + pool.length + ")";
  if (col.poolCount.textContent !== pc) col.poolCount.textContent = pc;
  var pe = pool.length ? "" : (themePistes.length ? t("{Piste|Tous|Toutes} {piste.les} {piste|visibles|visibles} {theme.du} sont {piste|rattachés|rattachées}.") : t("{Piste|Aucun|Aucune} {piste.sg} {piste|visible|visible} dans {theme.ce}."));
  if (col.poolEmpty.textContent !== pe) col.poolEmpty.textContent = pe;
  var rows = pool.map(function (p) { return poolRow(s, col, th, p, convOptSig); });
  Object.keys(col.rows).forEach(function (pid) { if (!ids[pid]) delete col.rows[pid]; });
  placeChildren(col.poolList, rows);
  updatePicked(th.id);
}

/* Put `wanted` as the children of `list`, moving as few nodes as possible (a moved node
   loses the focus, which restoreFocus gives back by its data-key). */
function placeChildren(list, wanted) {
  Array.prototype.slice.call(list.children).forEach(function (el) {
    if (wanted.indexOf(el) < 0) list.removeChild(el);
  });
  var cursor = list.firstChild;
  wanted.forEach(function (el) {
    if (el === cursor) cursor = cursor.nextSibling;
    else list.insertBefore(el, cursor);
  });
}

function poolRow(s, col, th, p, optSig) {
  var rec = col.rows[p.id];
  var sig = JSON.stringify([p.text, p.supports, p.author_personas, p.origin, optSig]);
  if (rec && rec.sig === sig) return rec.el;
  var id = p.id;
  var boxId = "fc-pick-" + id;
  var box = h("input", { type: "checkbox", id: boxId, "data-key": "pick-" + id, checked: !!col.picked[id] });
  box.addEventListener("change", function () {
    if (box.checked) col.picked[id] = true; else delete col.picked[id];
    if (box.checked && col.folded) unfoldNew(th.id);  // a ticked piste is for a new engagement
    updatePicked(th.id);
  });
  var select = linkSelect("pool-link-" + id, t("Rattacher à…"), s, th.id, null, function (engId, sel) {
    var target = engagementsOf(ui.state).filter(function (e) { return e.id === engId; })[0];
    act("engagement_link", { engagement_id: engId, piste_id: id }, {
      key: "pool-link-" + id, area: "pool-" + id, awaitAggregate: true,
      msg: t("{Piste.sg} n°{id} {piste|rattaché|rattachée} à « {title} ».", { id: id, title: shorten(target ? target.title : "", 60) }),
      fail: function () { sel.value = ""; }
    });
  });
  var el = h("li", { class: "fc-pool-row", "data-id": String(id) },
    h("div", { class: "fc-pool-main" },
      box,
      h("label", { for: boxId, class: "fc-pool-text", dir: "auto", title: p.text.length > 140 ? p.text : null }, shorten(p.text, 160)),
      supportsDot(p.supports, true)),
    h("div", { class: "fc-pool-meta" },
      authorBadges(p.author_personas),
      p.origin ? h("span", { class: "fc-origin", title: t("Reprise de : {origin}", { origin: p.origin }) }, icon("↩"), shorten(p.origin, 40)) : null,
      h("span", { class: "fc-spacer" }),
      select),
    errorArea("pool-" + id, "fc-card-alert"));
  col.rows[id] = { el: el, sig: sig, box: box };
  return el;
}

function updatePicked(themeId) {
  var col = convCols[themeId];
  if (!col) return;
  var n = Object.keys(col.picked).length;
  var text = n ? plural(n, t("{n} {piste.sg} {piste|coché|cochée} dans le vivier sera {piste|rattaché|rattachée}.", { n: n }), t("{n} {piste.pl} {piste|cochés|cochées} dans le vivier seront {piste|rattachés|rattachées}.", { n: n }))
    : t("Astuce : cochez des {piste.pl} du vivier pour les rattacher dès la création.");
  if (col.pickedNote.textContent !== text) col.pickedNote.textContent = text;
  col.pickedNote.classList.toggle("has-picks", n > 0);
}

function unfoldNew(themeId) {
  var col = convCols[themeId];
  if (!col || !col.folded) return;
  col.folded = false;
  col.form.hidden = false;
  col.unfold.hidden = true;
}

function hideQuota(themeId) {
  var col = convCols[themeId];
  if (!col) return;
  col.quotaBox.hidden = true;
  col.quotaText.textContent = "";
}

function createEngagement(themeId, override) {
  var col = convCols[themeId];
  var title = col.title.value.trim();
  if (title.length < 3) {
    showError("new-" + themeId, t("Donnez d'abord un titre {engagement.au} (3 caractères au moins)."));
    col.title.focus();
    return;
  }
  var picks = Object.keys(col.picked).map(function (x) { return parseInt(x, 10); });
  var payload = { theme_id: themeId, title: title, purpose: col.purpose.value.trim(), how: [], piste_ids: picks };
  if (override) payload.override_quota = true;
  act("engagement_create", payload, {
    key: override ? "new-force-" + themeId : "new-go-" + themeId, area: "new-" + themeId, awaitAggregate: true,
    msg: t("{Engagement.sg} « {title} » {engagement|créé|créée}.", { title: shorten(title, 60) }),
    ok: function (answer) {
      col.created = answer.engagement_id;
      hideQuota(themeId);
      col.unfolded = false;
      col.title.value = "";
      col.purpose.value = "";
      Object.keys(col.picked).forEach(function (k) { delete col.picked[k]; });
      Object.keys(col.rows).forEach(function (k) { col.rows[k].box.checked = false; });
      updatePicked(themeId);
      // Ready for the next one (when this one fills the quota, the form folds as it appears).
      col.title.focus();
    },
    fail: function (answer) {
      if (answer && answer.code === "quota") {
        showError("new-" + themeId, "");
        col.quotaText.textContent = answer.error;
        col.quotaBox.hidden = false;
        col.atQuota.hidden = true;
      }
    }
  });
}

export { CONV_KINDS, HOW_MAX, engModes, engCloseOnAggregate, engCards, convCols, poolPicked, convOpenedFor, convOptSig, convSummary, convValues, convTotals, convColsBox, convWrap, engagementsOf, engLabel, engagementOptions, personaAvatar, authorBadges, supportsDot, statusTag, linkSelect, placeBoard, renderConvergence, renderValueReminder, convColumn, renderConvColumn, placeChildren, poolRow, updatePicked, unfoldNew, hideQuota, createEngagement };
