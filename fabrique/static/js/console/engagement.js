/* One engagement card of the convergence board: view, edit form, linked pistes, traceability. */
import { HOW_MAX, authorBadges, convOptSig, engCards, engCloseOnAggregate, engModes, engagementsOf, linkSelect, personaAvatar, placeChildren, renderConvergence, statusTag, supportsDot } from "./convergence.js";
import { act, fromTemplate, personaById, actionButton, errorArea, h, icon, isOff, pendingFocus, personaLabel, plainButton, plural, refreshDisabled, restoreFocus, setOff, shorten, showError, t, ui, vh } from "./core.js";

// One engagement card -------------------------------------------------------------------------

function renderEngCard(s, e, count) {
  var rec = engCards[e.id];
  var id = e.id;
  if (!rec) {
    rec = engCards[id] = {};
    rec.num = h("span", { class: "fc-eng-num" });
    rec.backers = h("span", { class: "fc-backers" });
    rec.up = actionButton("eng-up-" + id, h("span", { "aria-hidden": "true" }, "↑"), function () { moveEngagement(id, -1); },
      { cls: "fc-btn-small fc-btn-icon" });
    rec.down = actionButton("eng-down-" + id, h("span", { "aria-hidden": "true" }, "↓"), function () { moveEngagement(id, 1); },
      { cls: "fc-btn-small fc-btn-icon" });
    rec.body = h("div", { class: "fc-eng-body" });
    rec.pistesHead = h("h5", { class: "fc-eng-sub" });
    rec.pistes = h("ul", { class: "fc-eng-pistes" });
    rec.trace = h("div", { class: "fc-eng-trace" });
    rec.rows = {};
    rec.el = h("li", { class: "fc-eng", "data-id": String(id) },
      h("div", { class: "fc-eng-head" }, rec.num, rec.backers, h("span", { class: "fc-spacer" }), rec.up, rec.down),
      rec.body,
      errorArea("eng-" + id, "fc-card-alert"),
      h("div", { class: "fc-eng-links" }, rec.pistesHead, rec.pistes),
      rec.trace);
  }
  var m = engModes[id];
  var mode = m ? "edit" : "view";

  // Head: number, phone supporters, reordering — cheap, kept up to date in place.
  var num = t("{Engagement.sg} {n}", { n: e.position });
  if (rec.num.textContent !== num) rec.num.textContent = num;
  var b = e.supporters || 0;
  var bText = plural(b, t("{n} soutien sur les téléphones", { n: b }), t("{n} soutiens sur les téléphones", { n: b }));
  if (rec.backers.getAttribute("data-n") !== String(b)) {
    rec.backers.setAttribute("data-n", String(b));
    rec.backers.textContent = "";
    rec.backers.appendChild(h("strong", {}, String(b)));
    rec.backers.appendChild(document.createTextNode(" " + plural(b, t("soutien"), t("soutiens"))));
    rec.backers.title = bText;
    rec.backers.appendChild(vh(" " + t("sur les téléphones")));
  }
  rec.backers.classList.toggle("is-zero", !b);
  var label = shorten(e.title, 60);
  rec.up.setAttribute("aria-label", t("Monter {engagement.le} « {title} »", { title: label }));
  rec.up.title = t("Monter");
  rec.down.setAttribute("aria-label", t("Descendre {engagement.le} « {title} »", { title: label }));
  rec.down.title = t("Descendre");
  setOff(rec.up, !!e.gone || e.position <= 1);
  setOff(rec.down, !!e.gone || e.position >= count);
  rec.el.className = "fc-eng" + (m ? " is-editing" : "") + (e.gone ? " is-gone" : "");

  // Body: the text, or its edit form (never rebuilt while open).
  var bodySig = JSON.stringify([mode, e.title, e.purpose, e.how]);
  if (rec.mode !== mode || (!m && rec.bodySig !== bodySig)) {
    rec.mode = mode;
    rec.bodySig = bodySig;
    rec.body.textContent = "";
    if (m) buildEngForm(rec, e, m); else buildEngView(rec, e);
  }
  if (m && rec.note) {
    var note = "";
    if (e.gone) note = t("{Engagement.ce} vient d'être {engagement|supprimé|supprimée} : {engagement|il|elle} ne peut plus être {engagement|modifié|modifiée}.");
    else if (e.title !== m.base.title || e.purpose !== m.base.purpose || JSON.stringify(e.how) !== JSON.stringify(m.base.how)) {
      note = t("{Engagement.ce} a été {engagement|modifié|modifiée} ailleurs pendant que vous l'éditiez : en enregistrant, votre version remplacera l'autre.");
    }
    if (rec.note.textContent !== note) rec.note.textContent = note;
    if ((rec.save.getAttribute("data-off") === "1") !== !!e.gone) setOff(rec.save, !!e.gone);
  }

  // Pistes behind it.
  var pistes = e.pistes || [];
  var optSig = convOptSig;
  var total = 0;
  pistes.forEach(function (p) { total += p.supports || 0; });
  var ph = plural(pistes.length, t("{n} {piste.sg} {piste|rassemblé|rassemblée}", { n: pistes.length }), t("{n} {piste.pl} {piste|rassemblés|rassemblées}", { n: pistes.length })) +
    " · " + plural(total, t("{n} gommette", { n: total }), t("{n} gommettes", { n: total }));
  if (rec.pistesHead.textContent !== ph) rec.pistesHead.textContent = ph;
  var keep = {};
  var rows = pistes.map(function (p) { keep[p.id] = true; return engPisteRow(s, rec, e, p, optSig); });
  Object.keys(rec.rows).forEach(function (pid) { if (!keep[pid]) delete rec.rows[pid]; });
  if (!pistes.length && !e.gone) {
    rows = [rec.noPiste || (rec.noPiste = h("li", { class: "fc-empty fc-eng-nopiste" },
      t("{Piste|Aucun|Aucune} {piste.sg} : rattachez-en depuis le vivier ci-dessous (« Rattacher à… »).")))];
  }
  placeChildren(rec.pistes, rows);

  // Traceability: the personas of the authors and supporters of its pistes.
  var traceSig = JSON.stringify([e.personas, pistes.length]);
  if (rec.traceSig !== traceSig) {
    rec.traceSig = traceSig;
    buildTrace(rec, e);
  }
  return rec.el;
}

function buildEngView(rec, e) {
  var id = e.id;
  rec.note = null;
  rec.save = null;
  rec.dirty = null;
  var how = (e.how || []).filter(Boolean);
  rec.body.appendChild(h("h4", { class: "fc-eng-title", dir: "auto" }, e.title));
  rec.body.appendChild(e.purpose ? h("p", { class: "fc-eng-purpose", dir: "auto" }, e.purpose)
    : h("p", { class: "fc-eng-missing" }, t("« Pour … » à écrire")));
  if (how.length) {
    rec.body.appendChild(h("p", { class: "fc-eng-how-label" }, t("Comment ?")));
    rec.body.appendChild(h("ul", { class: "fc-eng-how" }, how.map(function (item) { return h("li", { dir: "auto" }, item); })));
  } else {
    rec.body.appendChild(h("p", { class: "fc-eng-missing" }, t("« Comment ? » à écrire")));
  }
  rec.body.appendChild(h("div", { class: "fc-card-actions" },
    plainButton("eng-edit-" + id, [icon("✎"), t("Modifier")], function () { openEngForm(e); },
      { cls: "fc-btn-small", label: t("Modifier {engagement.le} « {title} »", { title: shorten(e.title, 60) }) }),
    actionButton("eng-del-" + id, t("Supprimer"), function () { deleteEngagement(e); },
      { cls: "fc-btn-small fc-btn-danger", label: t("Supprimer {engagement.le} « {title} »", { title: shorten(e.title, 60) }) })));
}

function openEngForm(e) {
  engModes[e.id] = { theme: e.theme_id, base: JSON.parse(JSON.stringify(e)) };
  showError("eng-" + e.id, "");
  pendingFocus.push("eng-title-" + e.id);
  renderConvergence(ui.state, true);
  refreshDisabled();
  restoreFocus(null);
}

function closeEngForm(id, ask) {
  var rec = engCards[id];
  if (ask && rec && rec.dirty && rec.dirty() && !window.confirm(t("Abandonner les modifications de {engagement.ce} ?"))) return;
  delete engModes[id];
  showError("eng-" + id, "");
  pendingFocus.push("eng-edit-" + id);
  renderConvergence(ui.state, true);
  refreshDisabled();
  restoreFocus(null);
}

function buildEngForm(rec, e, m) {
  var id = e.id;
  var titleId = "fc-eng-title-" + id, purposeId = "fc-eng-purpose-" + id, howHead = "fc-eng-how-" + id;
  var title = h("input", { id: titleId, type: "text", maxlength: "300", autocomplete: "off", dir: "auto", "data-key": "eng-title-" + id });
  title.value = e.title || "";
  var purpose = h("textarea", { id: purposeId, rows: "3", maxlength: "1000", dir: "auto", "data-key": "eng-purpose-" + id,
    placeholder: t("Pour que chaque habitant…") });
  purpose.value = e.purpose || "";
  var howList = h("ol", { class: "fc-how-edit", "aria-labelledby": howHead });
  var seq = 0;
  var addButton = plainButton("eng-how-add-" + id, [icon("+"), t("Ajouter un « Comment ? »")], function () { addItem("", null, true); },
    { cls: "fc-btn-small" });

  function items() { return Array.prototype.slice.call(howList.querySelectorAll("input")); }
  function renumber() {
    items().forEach(function (input, i) {
      input.setAttribute("aria-label", t("« Comment ? » n°{n}", { n: i + 1 }));
      input.parentNode.querySelector("button").setAttribute("aria-label", t("Retirer le « Comment ? » n°{n}", { n: i + 1 }));
    });
    addButton.hidden = items().length >= HOW_MAX;
  }
  function addItem(value, after, focus) {
    var k = seq++;
    var input = h("input", { type: "text", maxlength: "1000", autocomplete: "off", dir: "auto", "data-key": "eng-how-" + id + "-" + k });
    input.value = value;
    var li = h("li", { class: "fc-how-item" }, input,
      plainButton("eng-how-del-" + id + "-" + k, h("span", { "aria-hidden": "true" }, "×"), function () {
        var next = li.nextElementSibling || li.previousElementSibling;
        howList.removeChild(li);
        renumber();
        var target = next ? next.querySelector("input") : addButton;
        target.focus();
      }, { cls: "fc-btn-small fc-btn-ghost fc-how-del" }));
    input.addEventListener("keydown", function (ev) {
      // Enter adds the next item (a list is typed line by line); Backspace on an empty one removes it.
      if (ev.key === "Enter" && !ev.isComposing) {
        ev.preventDefault();
        if (items().length < HOW_MAX) addItem("", li, true);
      } else if (ev.key === "Backspace" && !input.value && items().length > 1) {
        ev.preventDefault();
        var prev = li.previousElementSibling || li.nextElementSibling;
        howList.removeChild(li);
        renumber();
        if (prev) { var p = prev.querySelector("input"); p.focus(); p.setSelectionRange(p.value.length, p.value.length); }
      }
    });
    if (after && after.nextSibling) howList.insertBefore(li, after.nextSibling); else howList.appendChild(li);
    renumber();
    if (focus) input.focus();
  }
  (e.how || []).forEach(function (item) { addItem(item, null, false); });
  if (!(e.how || []).length) addItem("", null, false);

  rec.note = h("p", { class: "fc-note", role: "status" });
  rec.save = actionButton("eng-save-" + id, t("Enregistrer"), null, { submit: true, cls: "primary fc-btn-small" });
  function values() {
    return { title: title.value.trim(), purpose: purpose.value.trim(),
      how: items().map(function (i) { return i.value.trim(); }).filter(Boolean) };
  }
  rec.dirty = function () {
    var v = values();
    return v.title !== (m.base.title || "") || v.purpose !== (m.base.purpose || "") ||
      JSON.stringify(v.how) !== JSON.stringify((m.base.how || []).filter(Boolean));
  };
  var form = h("form", { class: "fc-edit fc-eng-form", novalidate: true, "aria-label": t("Modifier {engagement.le} « {title} »", { title: shorten(e.title, 60) }) },
    h("label", { for: titleId }, t("Titre")), title,
    h("label", { for: purposeId }, t("Pour … (le bénéfice pour l'habitant)")), purpose,
    h("p", { class: "fc-how-head", id: howHead }, t("Comment ? (une action concrète par ligne)")),
    howList, addButton,
    rec.note,
    h("div", { class: "fc-form-actions" }, rec.save,
      plainButton("eng-cancel-" + id, t("Annuler"), function () { closeEngForm(id, true); }, { cls: "fc-btn-small fc-btn-ghost" })));
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); closeEngForm(id, true); }
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : save(); }
  });
  function save() {
    if (isOff(rec.save)) return;
    var v = values();
    if (v.title.length < 3) {
      showError("eng-" + id, t("Donnez d'abord un titre {engagement.au} (3 caractères au moins)."));
      title.focus();
      return;
    }
    act("engagement_update", { engagement_id: id, title: v.title, purpose: v.purpose, how: v.how }, {
      key: "eng-save-" + id, area: "eng-" + id, awaitAggregate: true, msg: t("{Engagement.sg} « {title} » {engagement|enregistré|enregistrée}.", { title: shorten(v.title, 60) }),
      ok: function () { engCloseOnAggregate[id] = true; }
    });
  }
  form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
  rec.body.appendChild(form);
}

function engPisteRow(s, rec, e, p, optSig) {
  var row = rec.rows[p.id];
  var sig = JSON.stringify([p.text, p.supports, p.author_personas, p.origin, p.status, optSig, !!e.gone]);
  if (row && row.sig === sig) return row.el;
  var pid = p.id;
  var move = linkSelect("eng-move-" + pid, t("Déplacer vers…"), s, e.theme_id, e.id, function (engId, sel) {
    var target = engagementsOf(ui.state).filter(function (x) { return x.id === engId; })[0];
    act("engagement_link", { engagement_id: engId, piste_id: pid }, {
      key: "eng-move-" + pid, area: "eng-" + e.id, awaitAggregate: true,
      msg: t("{Piste.sg} n°{id} {piste|déplacé|déplacée} vers « {title} ».", { id: pid, title: shorten(target ? target.title : "", 60) }),
      fail: function () { sel.value = ""; }
    });
  });
  var el = h("li", { class: "fc-eng-piste" + (p.status !== "visible" ? " is-" + p.status : ""), "data-id": String(pid) },
    h("div", { class: "fc-pool-main" },
      h("p", { class: "fc-eng-piste-text", dir: "auto", title: p.text.length > 140 ? p.text : null }, statusTag(p.status), shorten(p.text, 160)),
      supportsDot(p.supports, true)),
    h("div", { class: "fc-pool-meta" },
      authorBadges(p.author_personas),
      p.origin ? h("span", { class: "fc-origin", title: t("Reprise de : {origin}", { origin: p.origin }) }, icon("↩"), shorten(p.origin, 40)) : null,
      h("span", { class: "fc-spacer" }),
      e.gone ? null : actionButton("eng-unlink-" + pid, t("Retirer"), function () { unlinkPiste(e, p); },
        { cls: "fc-btn-small", label: t("Retirer {piste.le} n°{id} de {engagement.ce}", { id: pid }),
          title: t("Remettre {piste.le} dans le vivier") }),
      e.gone ? null : move));
  rec.rows[pid] = { el: el, sig: sig };
  return el;
}

function buildTrace(rec, e) {
  rec.trace.textContent = "";
  var entries = Object.keys(e.personas || {}).map(function (k) { return [k, e.personas[k]]; })
    .sort(function (a, b) { return b[1] - a[1] || personaLabel(a[0]).localeCompare(personaLabel(b[0])); });
  if (!entries.length) {
    rec.trace.appendChild(h("p", { class: "fc-muted fc-trace-none" },
      (e.pistes || []).length ? t("{Piste.les} {piste|rattachés|rattachées} n'ont ni auteur ni gommette d'un habitant fictif.")
        : t("Qui porte {engagement.ce} ? Cela apparaîtra avec ses {piste.pl}.")));
    return;
  }
  var people = 0;
  entries.forEach(function (x) { people += x[1]; });
  rec.trace.appendChild(h("p", { class: "fc-trace-label" },
    t("Derrière {engagement.ce} :"), " ",
    h("span", { class: "fc-muted" }, plural(entries.length, t("{n} habitant fictif", { n: entries.length }), t("{n} habitants fictifs", { n: entries.length })) +
      " · " + plural(people, t("{n} personne", { n: people }), t("{n} personnes", { n: people })))));
  rec.trace.appendChild(h("ul", { class: "fc-trace" }, entries.map(function (x) {
    var label = personaLabel(x[0]);
    return h("li", { class: "fc-trace-item", title: t("{persona} : {n} (auteurs et gommettes)", { persona: label, n: x[1] }) },
      personaAvatar(x[0], 26),
      h("span", { class: "fc-trace-name" }, fromTemplate(label, personaById[x[0]])),
      h("strong", { class: "fc-trace-n" }, String(x[1])),
      vh(" " + t("(auteurs et gommettes)")));
  })));
}

function moveEngagement(id, step) {
  var e = engagementsOf(ui.state).filter(function (x) { return x.id === id; })[0];
  if (!e) return;
  act("engagement_move", { engagement_id: id, position: e.position + step }, {
    key: (step < 0 ? "eng-up-" : "eng-down-") + id, area: "eng-" + id, awaitAggregate: true,
    msg: t("{Engagement.sg} « {title} » {engagement|déplacé|déplacée} en position {n}.", { title: shorten(e.title, 60), n: e.position + step })
  });
}

function deleteEngagement(e) {
  var n = (e.pistes || []).length;
  var question = n
    ? plural(n, t("Supprimer {engagement.le} « {title} » ? {piste|Son|Sa|Son} {piste.sg} retournera dans le vivier.", { title: shorten(e.title, 80) }),
      t("Supprimer {engagement.le} « {title} » ? Ses {n} {piste.pl} retourneront dans le vivier.", { title: shorten(e.title, 80), n: n }))
    : t("Supprimer {engagement.le} « {title} » ?", { title: shorten(e.title, 80) });
  if (!window.confirm(question)) return;
  act("engagement_delete", { engagement_id: e.id }, {
    key: "eng-del-" + e.id, area: "eng-" + e.id, awaitAggregate: true,
    msg: t("{Engagement.sg} « {title} » {engagement|supprimé|supprimée}.", { title: shorten(e.title, 60) })
  });
}

function unlinkPiste(e, p) {
  act("engagement_unlink", { piste_id: p.id }, {
    key: "eng-unlink-" + p.id, area: "eng-" + e.id, awaitAggregate: true,
    msg: t("{Piste.sg} n°{id} {piste|remis|remise} dans le vivier.", { id: p.id })
  });
}

function settleEngagements() {
  Object.keys(engCloseOnAggregate).forEach(function (id) {
    delete engCloseOnAggregate[id];
    if (!engModes[id]) return;
    pendingFocus.push("eng-edit-" + id);
    delete engModes[id];
  });
}

export { renderEngCard, buildEngView, openEngForm, closeEngForm, buildEngForm, engPisteRow, buildTrace, moveEngagement, deleteEngagement, unlinkPiste, settleEngagements };
