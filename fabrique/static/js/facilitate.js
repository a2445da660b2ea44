/* The facilitator's console: drive the phases and the timer, watch participation, moderate,
   and build the engagements (the convergence board, above the rest).

   Drawn from the snapshot (boot.state, then each "aggregate" / "stage" from the server). Nothing
   is changed locally before the server answers: a click disables its button, sends the action
   with a fresh op_id, and shows the refusal (in French) next to the control; the next aggregate
   brings the truth. Aggregates arrive several times a second, so each panel is redrawn only when
   its data changed, a piste card being edited or merged is never rebuilt, and the element that
   had the focus gets it back after a redraw. Participants' text only ever goes through
   textContent (Fabrique.h). */
(function () {
  "use strict";

  var F = window.Fabrique;
  var h = F.h, t = F.t, boot = F.boot;
  var tpl = boot.template || {};
  var vocab = tpl.vocabulary || {};
  // Method words in the template's vocabulary ("{piste.ce}" → "cette piste d'action"), then the values.
  t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), vocab), values); };
  var personaById = F.byId(tpl.personas);
  var themeById = F.byId(tpl.themes);
  var horizonById = F.byId(tpl.horizons);
  var valueById = F.byId(tpl.values);
  var paradoxById = F.byId(tpl.paradoxes);
  var ACTED_KINDS = { paradoxes: 1, valeurs: 1, reves: 1, pistes: 1, vote: 1 };
  var PISTE_KINDS = { pistes: 1, vote: 1, convergence: 1, cloture: 1 };

  var state = boot.state;
  var live = null;
  var online = false;
  var everConnected = false;

  var busy = {};              // button key → true while its action waits for an answer
  var awaiting = {};          // button key → fallback timer, while waiting for the aggregate after an "ok"
  var modes = {};             // piste id → {kind: "edit" | "merge", theme, base} while a form is open
  var closeOnAggregate = {};  // piste id → true once saved: the form closes when the new data arrives
  var expanded = {};          // piste id → true when its long text is unfolded
  var cards = {};             // piste id → {el, body, msg, sig, mode, supports, note}
  var errors = {};            // message area name → element (role="alert")
  var pendingFocus = [];      // keys to focus after the next redraw, first found wins
  var minutesDirty = false;
  var lastPhaseIndex = null;
  var toastTimer = null;
  var sigs = {};              // panel → signature of the data it was last drawn from

  // ---------------------------------------------------------------------------------------
  // Small helpers

  function plural(n, one, many) { return n <= 1 ? one : many; }

  function norm(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function shorten(text, max) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
  }

  function safeColor(color, fallback) {
    return /^#[0-9a-fA-F]{6}$/.test(color || "") ? color : (fallback || "#3b5b92");
  }

  function personaLabel(id) {
    var p = personaById[id];
    return p ? p.label : t("Sans habitant fictif");
  }

  function themeTitle(id) {
    var th = themeById[id];
    return th ? th.title : t("{Theme.sg} {theme|inconnu|inconnue}");
  }

  function horizonLabel(id) {
    var hz = horizonById[id];
    return hz ? hz.label : (id || "");
  }

  /* "2024 — court terme" → "2024" on the cards (the full label is the title). */
  function shortHorizon(id) {
    var label = horizonLabel(id);
    var cut = label.split(" — ")[0];
    return cut && cut.length <= 12 ? cut : label;
  }

  function vh(text) { return h("span", { class: "visually-hidden" }, text); }

  function icon(symbol) { return h("span", { class: "fc-ico", "aria-hidden": "true" }, symbol); }

  function personaDot(id) {
    var p = personaById[id];
    return h("span", { class: "fc-dot", "aria-hidden": "true", style: "--c:" + safeColor(p && p.color, "#8a8a8a") });
  }

  // ---------------------------------------------------------------------------------------
  // Buttons that send actions: aria-disabled (not disabled) so that the focus stays on them
  // while they wait; they are off while offline, while busy, or when they make no sense now.

  function actionButton(key, content, onClick, opts) {
    opts = opts || {};
    var b = h("button", {
      type: opts.submit ? "submit" : "button",
      class: "fc-btn" + (opts.cls ? " " + opts.cls : ""),
      "data-key": key, "data-action": "1",
      "aria-label": opts.label, title: opts.title
    }, content);
    b.addEventListener("click", function (ev) {
      if (isOff(b)) { ev.preventDefault(); return; }
      if (!opts.submit && onClick) onClick(ev);
    });
    setOff(b, opts.off);
    return b;
  }

  function plainButton(key, content, onClick, opts) {
    opts = opts || {};
    return h("button", { type: "button", class: "fc-btn" + (opts.cls ? " " + opts.cls : ""), "data-key": key,
      "aria-label": opts.label, title: opts.title, "aria-expanded": opts.expanded, on: { click: onClick } }, content);
  }

  function isOff(b) { return b.getAttribute("aria-disabled") === "true"; }

  function setOff(b, off) {
    b.setAttribute("data-off", off ? "1" : "0");
    applyOff(b);
  }

  function applyOff(b) {
    var key = b.getAttribute("data-key");
    var off = !online || !!busy[key] || b.getAttribute("data-off") === "1";
    if (off) b.setAttribute("aria-disabled", "true"); else b.removeAttribute("aria-disabled");
    b.classList.toggle("is-busy", !!busy[key]);
  }

  function refreshDisabled() {
    Array.prototype.forEach.call(root.querySelectorAll("[data-action]"), applyOff);
  }

  // ---------------------------------------------------------------------------------------
  // Messages: one role="alert" area per control group, one role="status" for confirmations.

  function errorArea(name, cls) {
    var el = h("p", { class: "fc-alert" + (cls ? " " + cls : ""), role: "alert" });
    errors[name] = el;
    return el;
  }

  function showError(name, message) {
    var el = errors[name];
    if (el && el.textContent !== (message || "")) el.textContent = message || "";
  }

  function announce(message) {
    clearTimeout(toastTimer);
    toast.textContent = "";
    setTimeout(function () {
      toast.textContent = message;
      toast.classList.add("is-shown");
      toastTimer = setTimeout(function () { toast.classList.remove("is-shown"); toast.textContent = ""; }, 4500);
    }, 30);
  }

  /* Send a facilitator action. o: {key (button), area (message area), msg (said on success),
     ok(answer), fail(answer), awaitAggregate (keep the button busy until the new data arrives)}. */
  function act(event, data, o) {
    o = o || {};
    if (!online || !live) {
      showError(o.area, t("Hors connexion : l'action n'a pas été envoyée."));
      return Promise.resolve(null);
    }
    if (o.key) { busy[o.key] = true; refreshDisabled(); }
    var payload = Object.assign({ op_id: F.uuid() }, data);
    return live.emit(event, payload).then(function (answer) {
      if (answer && answer.ok) {
        showError(o.area, "");
        if (o.msg) announce(o.msg);
        release(o.key, o.awaitAggregate);
        if (o.ok) o.ok(answer);
      } else {
        showError(o.area, (answer && answer.error) || t("Action refusée par le serveur."));
        release(o.key, false);
        if (o.fail) o.fail(answer);
      }
      return answer;
    }, function () {
      showError(o.area, online
        ? t("Le serveur n'a pas répondu : vérifiez si l'action a eu lieu avant de réessayer.")
        : t("Connexion perdue : l'action n'a peut-être pas été enregistrée."));
      release(o.key, false);
      if (o.fail) o.fail(null);
      return null;
    });
  }

  function release(key, waitForData) {
    if (!key) return;
    if (waitForData) {
      awaiting[key] = setTimeout(function () { delete awaiting[key]; delete busy[key]; refreshDisabled(); }, 2500);
    } else {
      delete busy[key];
      refreshDisabled();
    }
  }

  function settleAwaiting() {
    Object.keys(awaiting).forEach(function (key) {
      clearTimeout(awaiting[key]);
      delete awaiting[key];
      delete busy[key];
    });
    Object.keys(closeOnAggregate).forEach(function (id) {
      delete closeOnAggregate[id];
      if (!modes[id]) return;
      pendingFocus.push(modes[id].kind === "edit" ? "edit-" + id : "unmerge-" + id);
      delete modes[id];
    });
  }

  // ---------------------------------------------------------------------------------------
  // The page skeleton, built once.

  var app = document.getElementById("app");
  var root = h("div", { class: "fc", "aria-live": "off" });

  // Top bar ------------------------------------------------------------------------------
  var nameEl = h("h1", { class: "fc-name", dir: "auto" });
  var codeEl = h("strong", { class: "fc-code-value" });
  var joinLink = h("a", { class: "fc-join-link", target: "_blank", rel: "noopener" });
  var copyStatus = null;
  var copyButton = plainButton("copy-join", t("Copier le lien"), copyJoin, { cls: "fc-btn-small fc-btn-ghost" });
  var screenLink = h("a", { class: "fc-screen-link", target: "_blank", rel: "noopener" },
    icon("↗"), t("Ouvrir l'écran (projecteur)"), vh(t("(nouvel onglet)")));
  var connEl = h("p", { class: "fc-conn", role: "status" });
  var toast = h("p", { class: "fc-toast", role: "status" });

  var phaseEyebrow = h("p", { class: "fc-phase-eyebrow" });
  var phaseTitle = h("h2", { class: "fc-phase-title", id: "fc-phase-title" });
  var phaseBadge = h("span", { class: "fc-badge" });
  var lockButton = actionButton("lock", "", toggleLock, { cls: "fc-lock" });

  var countdown = h("span", { class: "fc-countdown", role: "timer", "aria-live": "off" }, "—");
  var timerState = h("span", { class: "fc-timer-state" });
  var minutesInput = h("input", { type: "number", id: "fc-minutes", min: "1", max: "240", step: "1", inputmode: "numeric",
    class: "fc-minutes", on: { input: function () { minutesDirty = true; showError("bar", ""); tick(); } } });
  var startButton = actionButton("timer-start", "", startTimer, { cls: "fc-btn-timer" });
  var pauseButton = actionButton("timer-pause", "", pauseOrResume, { cls: "fc-btn-timer" });
  var stopButton = actionButton("timer-stop", [icon("■"), h("span", { class: "fc-btn-text" }, t("Arrêter"))], stopTimer,
    { cls: "fc-btn-timer", label: t("Arrêter le minuteur") });
  var autoTimer = h("input", { type: "checkbox", id: "fc-auto-timer" });
  try { autoTimer.checked = localStorage.getItem("fabrique-auto-timer") === "1"; } catch (e) { /* ignore */ }
  autoTimer.addEventListener("change", function () {
    try { localStorage.setItem("fabrique-auto-timer", autoTimer.checked ? "1" : "0"); } catch (e) { /* ignore */ }
  });

  var prevButton = actionButton("phase-prev", [icon("◀"), h("span", {}, t("Phase précédente"))], function () { gotoStep(-1); },
    { cls: "fc-prev" });
  var nextLabel = h("span", { class: "fc-next-target" });
  var nextButton = actionButton("phase-next",
    [h("span", { class: "fc-next-main" }, t("Phase suivante"), icon("▶")), nextLabel],
    function () { gotoStep(1); }, { cls: "fc-next primary" });
  var stepsList = h("ol", { class: "fc-steps-list" });

  var bar = h("header", { class: "fc-bar" },
    h("div", { class: "fc-bar-row fc-bar-id" },
      nameEl,
      h("span", { class: "fc-code" }, t("Code"), " ", codeEl),
      h("span", { class: "fc-join" }, h("span", { class: "fc-join-label" }, t("Lien participants :")), " ", joinLink, " ", copyButton),
      screenLink,
      h("span", { class: "fc-spacer" }),
      toast,
      connEl),
    h("div", { class: "fc-bar-row fc-bar-phase" },
      h("div", { class: "fc-phase" }, h("div", { class: "fc-phase-line" }, phaseEyebrow, phaseBadge), phaseTitle),
      lockButton,
      h("span", { class: "fc-spacer" }),
      h("div", { class: "fc-timer", role: "group", "aria-labelledby": "fc-timer-title" },
        h("div", { class: "fc-timer-display" },
          h("span", { class: "fc-timer-title", id: "fc-timer-title" }, t("Minuteur")),
          countdown, timerState),
        h("div", { class: "fc-timer-controls" },
          h("div", { class: "fc-timer-buttons" },
            h("label", { class: "fc-minutes-label", for: "fc-minutes" }, t("Durée (minutes)")),
            minutesInput, startButton, pauseButton, stopButton),
          h("label", { class: "fc-auto", for: "fc-auto-timer" }, autoTimer, t("Lancer à chaque changement de phase"))))),
    h("nav", { class: "fc-bar-row fc-steps", "aria-label": t("Phases de l'atelier") }, prevButton, stepsList, nextButton),
    h("div", { class: "fc-bar-msg" }, errorArea("bar", "fc-bar-alert"),
      plainButton("bar-alert-close", h("span", { "aria-hidden": "true" }, "×"), function () { showError("bar", ""); },
        { cls: "fc-btn-small fc-btn-ghost fc-close", label: t("Fermer le message") })));

  // Main column: moderation --------------------------------------------------------------------
  var filterInput = h("input", { type: "search", id: "fc-filter", class: "fc-filter", autocomplete: "off",
    placeholder: t("Texte, hashtag, habitant…"), on: { input: function () { renderModeration(state, true); } } });
  var showAllBox = h("input", { type: "checkbox", id: "fc-show-all", on: { change: function () { renderModeration(state, true); } } });
  var modCounts = h("p", { class: "fc-mod-counts" });
  var themesBox = h("div", { class: "fc-themes" });
  var modEmpty = h("p", { class: "fc-empty" });
  var themeSections = {};
  var moderation = h("section", { class: "fc-panel fc-moderation", "aria-labelledby": "fc-mod-title" },
    h("div", { class: "fc-panel-head" },
      h("h2", { id: "fc-mod-title", tabindex: "-1" }, t("Modération des {piste.pl}")),
      modCounts),
    h("div", { class: "fc-mod-tools" },
      h("label", { for: "fc-filter", class: "fc-filter-label" }, t("Filtrer")),
      filterInput,
      h("label", { class: "fc-check", for: "fc-show-all" }, showAllBox, t("Afficher aussi {piste.les} {piste|masqués et fusionnés|masquées et fusionnées}"))),
    errorArea("moderation"),
    modEmpty,
    themesBox);

  var revesBody = h("div", { class: "fc-reves-body" });
  var revesCount = h("p", { class: "fc-mod-counts" });
  var revesPanel = h("section", { class: "fc-panel fc-reves", "aria-labelledby": "fc-reves-title" },
    h("div", { class: "fc-panel-head" }, h("h2", { id: "fc-reves-title" }, t("Modération des {reve.pl}")), revesCount),
    errorArea("reves"),
    revesBody);

  var mainCol = h("div", { class: "fc-main" }, moderation, revesPanel);

  // Results --------------------------------------------------------------------------------------
  var resultsTitle = h("h2", { id: "fc-results-title" });
  var instructionsEl = h("p", { class: "fc-instructions", dir: "auto" });
  var resultsNow = h("div", { class: "fc-results-now" });
  var resultsMore = h("div", { class: "fc-results-more" });
  var results = h("section", { class: "fc-panel fc-results", "aria-labelledby": "fc-results-title" },
    resultsTitle, instructionsEl, resultsNow,
    h("details", { class: "fc-more" }, h("summary", {}, t("Tous les résultats")), resultsMore));

  // Participation ----------------------------------------------------------------------------------
  var partSummary = h("div", { class: "fc-part-summary" });
  var partPersonas = h("ul", { class: "fc-personas" });
  var partColleges = h("div", { class: "fc-colleges" });
  var partRows = h("tbody");
  var partTable = null;
  var partListTitle = h("summary", {});
  var participation = h("section", { class: "fc-panel fc-participation", "aria-labelledby": "fc-part-title" },
    h("h2", { id: "fc-part-title" }, t("Participation")),
    partSummary,
    h("h3", {}, t("Habitants fictifs")), partPersonas,
    h("h3", {}, t("Collèges")), partColleges,
    h("details", { class: "fc-part-list", open: window.matchMedia("(min-width: 1700px)").matches }, partListTitle,
      h("div", { class: "fc-table-wrap", tabindex: "0", role: "region", "aria-label": t("Liste des participants") },
        partTable = h("table", { class: "fc-table" },
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, vh(t("Connexion"))),
            h("th", { scope: "col" }, t("Pseudonyme")),
            h("th", { scope: "col" }, t("Habitant fictif")),
            h("th", { scope: "col", class: "fc-col-college" }, t("Collège")),
            h("th", { scope: "col" }, h("span", { "aria-hidden": "true", title: t("A contribué à cette phase") }, "✓"),
              vh(t("A contribué à cette phase"))))),
          partRows))));

  // Settings -----------------------------------------------------------------------------------------
  var SETTINGS = [
    { name: "dots", label: t("Gommettes par personne (vote)"), min: 1, max: 50 },
    { name: "paradox_choices", label: t("{Paradox.pl} à marquer par personne"), min: 1, max: 20 },
    { name: "value_method", label: t("Vote sur {value.les}"),
      choices: [["points", t("Répartir des points")], ["top_n", t("Choisir {value.les} {value|préférés|préférées}")]] },
    { name: "value_budget", label: t("Points à répartir (méthode des points)"), min: 1, max: 100 },
    { name: "value_top_n", label: t("{Value.pl} à choisir (méthode du choix)"), min: 1, max: 20 },
    { name: "value_max_words", label: t("Mots associés aux {value.pl}, par personne"), min: 0, max: 20 },
    { name: "persona_assignment", label: t("Habitants fictifs"),
      choices: [["balanced", t("Attribués par l'animation (répartis)")], ["choice", t("Choisis par chaque participant")]] },
    { name: "max_pistes_per_participant", label: t("{Piste.pl} par personne, au plus"), min: 1, max: 200 },
    { name: "max_reves_per_participant", label: t("{Reve.pl} par personne, au plus"), min: 1, max: 50 }
  ];
  var settingFields = {};
  var settingsDirty = {};
  var settingsNote = h("p", { class: "fc-note" });
  var settingsSave = actionButton("settings-save", t("Enregistrer les réglages"), null, { submit: true, cls: "primary" });
  var settingsForm = h("form", { class: "fc-settings-form", novalidate: true },
    SETTINGS.map(function (s) {
      var id = "fc-set-" + s.name;
      var field = s.choices
        ? h("select", { id: id, name: s.name }, s.choices.map(function (c) { return h("option", { value: c[0] }, c[1]); }))
        : h("input", { id: id, name: s.name, type: "number", min: String(s.min), max: String(s.max), step: "1", inputmode: "numeric" });
      field.addEventListener("input", function () { settingsDirty[s.name] = true; renderSettings(state); });
      field.addEventListener("change", function () { settingsDirty[s.name] = true; renderSettings(state); });
      settingFields[s.name] = field;
      return h("div", { class: "fc-setting" },
        h("label", { for: id }, s.label),
        s.choices ? null : h("span", { class: "fc-hint", id: id + "-hint" }, t("de {min} à {max}", { min: s.min, max: s.max })),
        field);
    }),
    settingsNote,
    errorArea("settings"),
    h("div", { class: "fc-form-actions" },
      settingsSave,
      plainButton("settings-reset", t("Annuler les modifications"), function () {
        settingsDirty = {};
        showError("settings", "");
        renderSettings(state);
      }, { cls: "fc-btn-ghost" })));
  SETTINGS.forEach(function (s) { if (!s.choices) settingFields[s.name].setAttribute("aria-describedby", "fc-set-" + s.name + "-hint"); });
  settingsForm.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (isOff(settingsSave)) return;
    saveSettings();
  });
  var settingsPanel = h("details", { class: "fc-panel fc-settings" },
    h("summary", {}, h("h2", { class: "fc-summary-title" }, t("Réglages de l'atelier"))),
    settingsForm);

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
    followBody.replaceChildren(
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
      })) : h("p", { class: "fc-hint" }, t("Aucun avis pour l'instant.")));
  }

  var grid = h("div", { class: "fc-grid" },
    h("div", { class: "fc-area-main" }, mainCol),
    h("div", { class: "fc-area-part" }, participation),
    h("div", { class: "fc-area-side" }, results, followPanel, settingsPanel));

  root.appendChild(bar);
  root.appendChild(grid);
  app.textContent = "";
  app.appendChild(root);

  // Keep the sticky bar's height available to CSS (side columns stick below it).
  function measureBar() { root.style.setProperty("--bar-h", bar.offsetHeight + "px"); }
  if (window.ResizeObserver) new ResizeObserver(measureBar).observe(bar);
  window.addEventListener("resize", measureBar);

  // ---------------------------------------------------------------------------------------
  // Top bar: identity, phases, lock, timer

  function phases(s) { return (s.stage && s.stage.phases) || []; }

  function renderBar(s) {
    var st = s.stage, atelier = s.atelier || {}, links = s.links || {};
    if (nameEl.textContent !== atelier.name) nameEl.textContent = atelier.name || "";
    if (codeEl.textContent !== atelier.join_code) codeEl.textContent = atelier.join_code || "";
    var join = links.join || atelier.join_url || "";
    if (joinLink.getAttribute("href") !== join) {
      joinLink.setAttribute("href", join);
      joinLink.textContent = join.replace(/^https?:\/\//, "");
    }
    if (links.screen && screenLink.getAttribute("href") !== links.screen) screenLink.setAttribute("href", links.screen);

    var list = phases(s);
    phaseEyebrow.textContent = t("Phase {n} sur {count}", { n: st.index + 1, count: st.count });
    phaseTitle.textContent = st.title;
    phaseBadge.textContent = st.locked ? t("Verrouillée : contributions closes") : t("Ouverte aux contributions");
    phaseBadge.className = "fc-badge " + (st.locked ? "is-locked" : "is-open");

    if (lockButton.getAttribute("aria-pressed") !== (st.locked ? "true" : "false")) {
      lockButton.setAttribute("aria-pressed", st.locked ? "true" : "false");
      lockButton.textContent = "";
      lockButton.appendChild(icon(st.locked ? "🔓" : "🔒"));
      lockButton.appendChild(document.createTextNode(st.locked ? t("Rouvrir la phase") : t("Verrouiller la phase")));
    }

    setOff(prevButton, st.index <= 0);
    setOff(nextButton, st.index >= st.count - 1);
    var prev = list[st.index - 1], next = list[st.index + 1];
    prevButton.title = prev ? t("Revenir à : {title}", { title: prev.title }) : t("Vous êtes à la première phase");
    nextLabel.textContent = next ? (st.index + 2) + ". " + next.title : t("Dernière phase");

    if (lastPhaseIndex !== st.index) {
      lastPhaseIndex = st.index;
      minutesDirty = false;
    }
    if (!minutesDirty && document.activeElement !== minutesInput) {
      var suggested = st.timer && st.timer.suggested_minutes;
      var wanted = String(suggested || 5);
      if (minutesInput.value !== wanted) minutesInput.value = wanted;
    }
    renderTimerButtons(st);
    tick();
  }

  function timerMode(st) {
    if (!st || !st.timer) return "none";
    if (st.timer.ends_at) return "running";
    if (st.timer.remaining !== null && st.timer.remaining !== undefined) return "paused";
    return "none";
  }

  var drawnTimerMode = null;
  function renderTimerButtons(st) {
    var mode = timerMode(st);
    if (mode === drawnTimerMode) return;
    drawnTimerMode = mode;
    startButton.textContent = "";
    startButton.appendChild(icon("▶"));
    startButton.appendChild(document.createTextNode(mode === "none" ? t("Démarrer") : t("Relancer")));
    startButton.setAttribute("aria-label", mode === "none" ? t("Démarrer le minuteur") : t("Relancer le minuteur depuis le début"));
    pauseButton.textContent = "";
    pauseButton.appendChild(icon(mode === "paused" ? "▶" : "❚❚"));
    pauseButton.appendChild(h("span", { class: "fc-btn-text" }, mode === "paused" ? t("Reprendre") : t("Pause")));
    pauseButton.setAttribute("aria-label", mode === "paused" ? t("Reprendre le minuteur") : t("Mettre le minuteur en pause"));
    setOff(pauseButton, mode === "none");
    setOff(stopButton, mode === "none");
  }

  function tick() {
    var st = state && state.stage;
    if (!st) return;
    var mode = timerMode(st);
    var remaining = F.timerRemaining(st, live ? live.now() : Date.now());
    // Stopped: show, greyed, the duration that "Démarrer" would start.
    var minutes = parseFloat(String(minutesInput.value).replace(",", "."));
    var text = remaining !== null ? F.formatTimer(remaining) : (isFinite(minutes) && minutes > 0 ? F.formatTimer(minutes * 60000) : "—");
    if (countdown.textContent !== text) countdown.textContent = text;
    var label, cls;
    if (mode === "running" && remaining <= 0) { label = t("Temps écoulé"); cls = "is-over"; }
    else if (mode === "running") { label = t("en cours"); cls = remaining <= 60000 ? "is-running is-last" : "is-running"; }
    else if (mode === "paused") { label = t("en pause"); cls = "is-paused"; }
    else { label = t("arrêté"); cls = "is-none"; }
    if (timerState.textContent !== label) timerState.textContent = label;
    var full = "fc-timer " + cls;
    var box = countdown.parentNode.parentNode;
    if (box.className !== full) box.className = full;
  }

  function renderSteps(s) {
    var st = s.stage, list = phases(s);
    var sig = JSON.stringify([list, st.index, st.locked]);
    if (sigs.steps === sig) return;
    sigs.steps = sig;
    stepsList.textContent = "";
    list.forEach(function (phase, i) {
      var current = i === st.index;
      var status = current ? "is-current" : (i < st.index ? "is-past" : "is-future");
      var b = actionButton("step-" + i, [
        h("span", { class: "fc-step-num", "aria-hidden": "true" }, current && st.locked ? "🔒" : String(i + 1)),
        h("span", { class: "fc-step-title" }, phase.title),
        current ? vh(t("(phase en cours)")) : null
      ], function () { gotoIndex(i); }, { cls: "fc-step " + status, title: (i + 1) + ". " + phase.title });
      if (current) b.setAttribute("aria-current", "step");
      stepsList.appendChild(h("li", {}, b));
    });
  }

  function phaseGotoPayload(extra) {
    var payload = Object.assign({}, extra);
    if (autoTimer.checked) payload.start_timer = true;
    return payload;
  }

  function gotoStep(step) {
    var list = phases(state), target = list[state.stage.index + step];
    act("phase_goto", phaseGotoPayload({ step: step }), {
      key: step > 0 ? "phase-next" : "phase-prev", area: "bar",
      msg: target ? t("Phase en cours : {title}", { title: target.title }) : null
    });
  }

  function gotoIndex(i) {
    var st = state.stage, target = phases(state)[i];
    if (i === st.index || !target) return;
    if (i < st.index && !window.confirm(t("Revenir à la phase « {title} » ? Les téléphones des participants y reviendront aussi.", { title: target.title }))) return;
    act("phase_goto", phaseGotoPayload({ to: i }), {
      key: "step-" + i, area: "bar", msg: t("Phase en cours : {title}", { title: target.title })
    });
  }

  function toggleLock() {
    var locked = !state.stage.locked;
    act("phase_lock", { locked: locked }, {
      key: "lock", area: "bar",
      msg: locked ? t("Phase verrouillée : les participants ne peuvent plus contribuer.") : t("Phase rouverte aux contributions.")
    });
  }

  function startTimer() {
    var minutes = parseFloat(String(minutesInput.value).replace(",", "."));
    if (!isFinite(minutes) || minutes <= 0) {
      showError("bar", t("Indiquez la durée du minuteur en minutes (par exemple 10)."));
      minutesInput.focus();
      return;
    }
    act("timer_start", { seconds: Math.round(minutes * 60) }, {
      key: "timer-start", area: "bar", msg: t("Minuteur lancé.")
    });
  }

  function pauseOrResume() {
    if (timerMode(state.stage) === "paused") {
      act("timer_start", {}, { key: "timer-pause", area: "bar", msg: t("Minuteur relancé.") });
    } else {
      act("timer_pause", {}, { key: "timer-pause", area: "bar", msg: t("Minuteur en pause.") });
    }
  }

  function stopTimer() {
    act("timer_stop", {}, { key: "timer-stop", area: "bar", msg: t("Minuteur arrêté.") });
  }

  function copyJoin() {
    var url = joinLink.getAttribute("href");
    var done = function () { announce(t("Lien des participants copié.")); };
    var fail = function () {
      // Without the clipboard API (plain http on the venue's network), select the link instead.
      var range = document.createRange();
      range.selectNodeContents(joinLink);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      announce(t("Lien sélectionné : appuyez sur Ctrl+C pour le copier."));
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).then(done, fail);
    else fail();
  }

  // ---------------------------------------------------------------------------------------
  // Connection

  function showConnection(ok, message) {
    online = !!ok;
    if (ok) everConnected = true;
    root.classList.toggle("is-offline", !online);
    connEl.textContent = "";
    if (online) {
      connEl.className = "fc-conn is-online";
      connEl.appendChild(h("span", { class: "fc-conn-dot", "aria-hidden": "true" }));
      connEl.appendChild(document.createTextNode(t("Connecté")));
    } else {
      connEl.className = "fc-conn is-offline";
      connEl.appendChild(h("span", { class: "fc-conn-dot", "aria-hidden": "true" }));
      connEl.appendChild(document.createTextNode(everConnected || message ? t("Connexion perdue — reconnexion…") : t("Connexion…")));
      if (message) connEl.title = message;
    }
    refreshDisabled();
  }

  // ---------------------------------------------------------------------------------------
  // Participation

  function renderParticipation(s) {
    var st = s.stage, part = s.participation || {}, people = s.participants || [];
    var sig = JSON.stringify([part, people, st.kind, st.index]);
    if (sigs.participation === sig) return;
    sigs.participation = sig;

    var total = people.length || part.total || 0;
    var nOnline = people.filter(function (p) { return p.online; }).length;
    var nActed = people.filter(function (p) { return p.acted; }).length;
    var tracked = !!ACTED_KINDS[st.kind];
    partSummary.textContent = "";
    partSummary.appendChild(h("p", { class: "fc-big-numbers" },
      h("span", { class: "fc-big" }, h("strong", {}, String(total)), " ", plural(total, t("participant"), t("participants"))),
      h("span", { class: "fc-big" }, h("span", { class: "fc-online-dot is-on", "aria-hidden": "true" }),
        h("strong", {}, String(nOnline)), " ", t("en ligne"))));
    if (tracked) {
      var pct = total ? Math.round(100 * nActed / total) : 0;
      partSummary.appendChild(h("p", { class: "fc-acted" }, t("{x} / {y} ont contribué à cette phase", { x: nActed, y: total })));
      partSummary.appendChild(h("div", { class: "fc-progress", "aria-hidden": "true" },
        h("span", { class: "fc-progress-fill", style: "width:" + pct + "%" })));
    } else {
      partSummary.appendChild(h("p", { class: "fc-acted is-muted" }, t("Pas de contribution suivie pendant cette phase.")));
    }

    var byPersona = part.by_persona || {};
    partPersonas.textContent = "";
    (tpl.personas || []).forEach(function (p) {
      var n = byPersona[p.id] || 0;
      partPersonas.appendChild(h("li", { class: "fc-persona" + (n ? "" : " is-zero"), style: "--c:" + safeColor(p.color) },
        h("img", { src: p.illustration, alt: "", width: "36", height: "36", loading: "lazy" }),
        h("span", { class: "fc-persona-label" }, p.label),
        h("span", { class: "fc-persona-count" }, String(n))));
    });
    var others = Object.keys(byPersona).filter(function (id) { return !personaById[id]; });
    others.forEach(function (id) {
      partPersonas.appendChild(h("li", { class: "fc-persona" }, h("span", { class: "fc-persona-label" }, id),
        h("span", { class: "fc-persona-count" }, String(byPersona[id]))));
    });

    var byCollege = part.by_college || {};
    partColleges.textContent = "";
    var colleges = (tpl.colleges || []).slice();
    Object.keys(byCollege).forEach(function (c) { if (colleges.indexOf(c) < 0) colleges.push(c); });
    if (!colleges.length || !Object.keys(byCollege).length) {
      partColleges.appendChild(h("p", { class: "fc-muted" }, t("Aucun collège indiqué par les participants.")));
    } else {
      partColleges.appendChild(h("ul", { class: "fc-chips" }, colleges.map(function (c) {
        var n = byCollege[c] || 0;
        return h("li", { class: "fc-chip" + (n ? "" : " is-zero") }, h("span", { dir: "auto" }, c), " ", h("strong", {}, String(n)));
      })));
    }

    partListTitle.textContent = t("Liste des participants ({n})", { n: total });
    var anyCollege = people.some(function (p) { return !!p.college; });
    partTable.classList.toggle("has-colleges", anyCollege);
    partRows.textContent = "";
    if (!people.length) {
      partRows.appendChild(h("tr", {}, h("td", { colspan: "5", class: "fc-muted" }, t("Personne n'a encore rejoint l'atelier."))));
    }
    // Who is here first, then in the order they joined.
    people.slice().sort(function (a, b) { return (b.online ? 1 : 0) - (a.online ? 1 : 0) || a.id - b.id; }).forEach(function (p) {
      partRows.appendChild(h("tr", { class: p.online ? "is-online" : "is-offline" },
        h("td", {}, h("span", { class: "fc-online-dot" + (p.online ? " is-on" : ""), "aria-hidden": "true",
          title: p.online ? t("en ligne") : t("hors ligne") }), vh(p.online ? t("en ligne") : t("hors ligne"))),
        h("td", { class: "fc-pseudo", dir: "auto" }, p.pseudonym),
        h("td", { class: "fc-persona-cell" }, p.persona_id ? [personaDot(p.persona_id), personaLabel(p.persona_id)] : h("span", { class: "fc-muted" }, "—")),
        h("td", { dir: "auto", class: "fc-col-college" }, p.college || h("span", { class: "fc-muted" }, "—")),
        h("td", { class: "fc-acted-cell" }, p.acted
          ? [h("span", { "aria-hidden": "true", class: "fc-check-mark", title: t("a contribué à cette phase") }, "✓"), vh(t("a contribué à cette phase"))]
          : (tracked ? vh(t("pas encore contribué")) : null))));
    });
  }

  // ---------------------------------------------------------------------------------------
  // Results of the current phase

  function barList(rows, max, opts) {
    opts = opts || {};
    return h("ol", { class: "fc-bars" + (opts.cls ? " " + opts.cls : "") }, rows.map(function (r) {
      var pct = max ? Math.round(100 * r.value / max) : 0;
      return h("li", { class: "fc-meter", style: r.color ? "--c:" + safeColor(r.color) : null },
        h("span", { class: "fc-bar-label", dir: "auto", title: r.title || r.label }, r.label),
        h("span", { class: "fc-bar-value" }, r.valueText || String(r.value)),
        h("span", { class: "fc-bar-track", "aria-hidden": "true" }, h("span", { class: "fc-bar-fill", style: "width:" + pct + "%" })));
    }));
  }

  function paradoxResults(s) {
    var rows = (s.paradoxes || []).map(function (p) {
      var d = paradoxById[p.id];
      return { label: d ? d.title : p.id, value: p.count, valueText: String(p.count) };
    });
    var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
    return h("div", { class: "fc-result" }, h("h3", {}, t("Classement des {paradox.pl}")),
      max ? barList(rows, max) : h("p", { class: "fc-muted" }, t("{Paradox|Aucun|Aucune} {paradox.sg} {paradox|marqué|marquée} pour l'instant.")));
  }

  function valueResults(s) {
    var rows = (s.values || []).map(function (v) {
      var d = valueById[v.id];
      return { label: d ? d.label : v.id, value: v.points,
        valueText: t("{points} pts · {voters} pers.", { points: v.points, voters: v.voters }) };
    });
    var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
    var words = (s.words || []).slice(0, 16);
    return h("div", { class: "fc-result" }, h("h3", {}, t("Points par {value.sg}")),
      max ? barList(rows, max) : h("p", { class: "fc-muted" }, t("Aucun point attribué pour l'instant.")),
      words.length ? h("ul", { class: "fc-chips fc-words", "aria-label": t("Mots associés") }, words.map(function (w) {
        return h("li", { class: "fc-chip" }, h("span", { dir: "auto" }, w.word), " ", h("strong", {}, "×" + w.count));
      })) : null);
  }

  function coverageResults(s) {
    var rows = (s.themes || []).map(function (th) {
      var c = th.coverage || {};
      return { label: themeTitle(th.id), value: c.pistes || 0, color: (themeById[th.id] || {}).color, thin: c.thin,
        valueText: t("{n} {piste.pl} · {p} habitants", { n: c.pistes || 0, p: c.personas || 0 }) };
    });
    var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
    var thin = rows.filter(function (r) { return r.thin; }).map(function (r) { return r.label; });
    return h("div", { class: "fc-result" }, h("h3", {}, t("Couverture des {theme.pl}")),
      barList(rows, max, { cls: "fc-bars-themes" }),
      thin.length ? h("p", { class: "fc-warn" }, icon("⚠"), t("Peu de {piste.pl} : {themes}", { themes: thin.join(", ") })) : null);
  }

  function revesResults(s) {
    var rows = (s.themes || []).map(function (th) {
      return { label: themeTitle(th.id), value: (th.reves || []).length, color: (themeById[th.id] || {}).color };
    });
    var max = Math.max.apply(null, [0].concat(rows.map(function (r) { return r.value; })));
    return h("div", { class: "fc-result" }, h("h3", {}, t("{Reve.pl} {reve|affichés|affichées} par {theme.sg}")),
      max ? barList(rows, max, { cls: "fc-bars-themes" }) : h("p", { class: "fc-muted" }, t("{Reve|Aucun|Aucune} {reve.sg} pour l'instant.")));
  }

  function topResults(s) {
    return h("div", { class: "fc-result" }, h("h3", {}, t("{Piste.pl} en tête, par {theme.sg}")),
      (s.themes || []).map(function (th) {
        var top = (th.top || []).slice(0, 3);
        return h("div", { class: "fc-top-theme", style: "--c:" + safeColor((themeById[th.id] || {}).color) },
          h("h4", {}, themeTitle(th.id)),
          top.length ? h("ol", { class: "fc-top" }, top.map(function (p) {
            return h("li", {}, h("span", { class: "fc-top-text", dir: "auto", title: shorten(p.text, 300) }, shorten(p.text, 110)),
              h("span", { class: "fc-top-count" }, plural(p.supports, t("{n} gommette", { n: p.supports }), t("{n} gommettes", { n: p.supports }))));
          })) : h("p", { class: "fc-muted" }, t("{Piste|Aucun|Aucune} {piste.sg}.")));
      }));
  }

  function renderResults(s) {
    var st = s.stage;
    var sig = JSON.stringify([st.kind, st.title, st.instructions, s.paradoxes, s.values, s.words, s.themes]);
    if (sigs.results === sig) return;
    sigs.results = sig;
    resultsTitle.textContent = t("Résultats : {title}", { title: st.title });
    instructionsEl.textContent = st.instructions ? t("Consigne : {text}", { text: st.instructions }) : "";
    var builders = { paradoxes: paradoxResults, valeurs: valueResults, reves: revesResults, pistes: coverageResults, vote: topResults };
    var now = [];
    if (st.kind === "paradoxes") now = ["paradoxes"];
    else if (st.kind === "valeurs") now = ["valeurs"];
    else if (st.kind === "reves") now = ["reves"];
    else if (st.kind === "pistes") now = ["pistes"];
    else if (PISTE_KINDS[st.kind]) now = ["vote", "pistes"];
    resultsNow.textContent = "";
    if (!now.length) resultsNow.appendChild(h("p", { class: "fc-muted" }, t("Pas de résultats à suivre pendant cette phase : voyez la participation.")));
    now.forEach(function (k) { resultsNow.appendChild(builders[k](s)); });
    resultsMore.textContent = "";
    ["paradoxes", "valeurs", "reves", "pistes", "vote"].forEach(function (k) {
      if (now.indexOf(k) < 0) resultsMore.appendChild(builders[k](s));
    });
  }

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
        h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), h("span", {}, th.title), " ",
        th.subtitle ? h("span", { class: "fc-theme-sub" }, th.subtitle) : null, " ", count),
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
      var counted = p.status === "visible" && typeof p.supports === "number" && (p.supports > 0 || !!PISTE_KINDS[state.stage.kind] && state.stage.kind !== "pistes");
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
      h("span", { class: "fc-horizon", title: horizonLabel(p.horizon) }, shortHorizon(p.horizon)),
      h("span", { class: "fc-author" }, personaDot(p.persona_id), personaLabel(p.persona_id)),
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
        renderModeration(state, true);
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
        { label: t("Fusionner {piste.le} n°{id} avec…", { id: id }), cls: "fc-btn-small", expanded: m ? "true" : "false" }));
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
    renderModeration(state, true);
    refreshDisabled();
    restoreFocus(null);
  }

  function closeMode(id, focusKey) {
    delete modes[id];
    showError("piste-" + id, "");
    if (focusKey) pendingFocus.push(focusKey);
    renderModeration(state, true);
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
      return h("option", { value: th.id, selected: th.id === p.theme_id }, th.title);
    }));
    var horizon = h("select", { id: horizonId, "data-key": "edit-horizon-" + id }, (tpl.horizons || []).map(function (hz) {
      return h("option", { value: hz.id, selected: hz.id === p.horizon }, hz.label);
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
    var mod = (state.moderation || []).filter(function (o) { return o.status === "visible" && o.id !== id; });
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
      var into = (state.moderation || []).filter(function (o) { return String(o.id) === select.value; })[0];
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

  // ---------------------------------------------------------------------------------------
  // Moderation of rêves

  function renderReves(s) {
    var st = s.stage;
    var themes = s.themes || [];
    var hidden = s.hidden_reves || [];
    var sig = JSON.stringify([themes.map(function (th) { return [th.id, th.reves]; }), hidden]);
    // Rêves come before the pistes until the pistes phase.
    var first = !PISTE_KINDS[st.kind];
    if (first && mainCol.firstChild !== revesPanel) mainCol.insertBefore(revesPanel, moderation);
    if (!first && mainCol.firstChild !== moderation) mainCol.insertBefore(moderation, revesPanel);
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
        h("h3", { class: "fc-theme-title" }, h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), themeTitle(th.id), " ",
          h("span", { class: "fc-theme-count" }, plural(reves.length, t("{n} {reve.sg}", { n: reves.length }), t("{n} {reve.pl}", { n: reves.length })))),
        h("ul", { class: "fc-reve-list" }, reves.map(function (r) {
          return h("li", { class: "fc-reve" },
            h("p", { class: "fc-reve-text", dir: "auto" }, shorten(r.text, 400)),
            h("div", { class: "fc-reve-meta" }, h("span", { class: "fc-author" }, personaDot(r.persona_id), personaLabel(r.persona_id)),
              actionButton("rhide-" + r.id, t("Masquer"), function () { hideReve(r.id, true); },
                { label: t("Masquer {reve.le} n°{id}", { id: r.id }), cls: "fc-btn-small" })));
        }))));
    });
    revesBody.appendChild(grid2);
    if (hidden.length) {
      revesBody.appendChild(h("h3", { class: "fc-hidden-title" }, t("{Reve.pl} {reve|masqués|masquées}")));
      revesBody.appendChild(h("ul", { class: "fc-reve-list fc-reve-hidden" }, hidden.map(function (r) {
        return h("li", { class: "fc-reve is-hidden" },
          h("p", { class: "fc-reve-text", dir: "auto" }, shorten(r.text, 400)),
          h("div", { class: "fc-reve-meta" }, h("span", { class: "fc-muted" }, themeTitle(r.theme_id)),
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

  // ---------------------------------------------------------------------------------------
  // Settings

  function renderSettings(s) {
    var settings = (s.stage && s.stage.settings) || {};
    var dirty = 0;
    SETTINGS.forEach(function (def) {
      var field = settingFields[def.name];
      if (settingsDirty[def.name]) { dirty++; field.classList.add("is-dirty"); return; }
      field.classList.remove("is-dirty");
      var value = settings[def.name] === undefined || settings[def.name] === null ? "" : String(settings[def.name]);
      if (field.value !== value && document.activeElement !== field) field.value = value;
    });
    var note = dirty ? plural(dirty, t("{n} réglage modifié, pas encore enregistré.", { n: dirty }),
      t("{n} réglages modifiés, pas encore enregistrés.", { n: dirty })) : "";
    if (settingsNote.textContent !== note) settingsNote.textContent = note;
    setOff(settingsSave, !dirty);
  }

  function saveSettings() {
    var out = {};
    SETTINGS.forEach(function (def) {
      if (!settingsDirty[def.name]) return;
      var raw = settingFields[def.name].value;
      if (def.choices) out[def.name] = raw;
      else out[def.name] = /^\s*-?\d+\s*$/.test(raw) ? parseInt(raw, 10) : raw;
    });
    act("settings_update", { settings: out }, {
      key: "settings-save", area: "settings", msg: t("Réglages enregistrés."),
      ok: function () { settingsDirty = {}; renderSettings(state); }
    });
  }

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
      h("h2", { class: "fc-summary-title", id: "fc-conv-title" }, t("Convergence : {engagement.les}")), " ", convSummary),
    h("div", { class: "fc-conv-top" }, convValues, convTotals),
    errorArea("conv"),
    convColsBox);
  root.insertBefore(convWrap, grid);
  convWrap.addEventListener("toggle", function () {
    if (convWrap.open) { renderConvergence(state, true); refreshDisabled(); }
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
        h("strong", {}, d ? d.label : v.id), " ",
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
        plainButton("new-force-cancel-" + id, t("Annuler"), function () { hideQuota(id); renderConvergence(state, true); col.title.focus(); },
          { cls: "fc-btn-small fc-btn-ghost" })));
    col.atQuota = h("p", { class: "fc-hint fc-at-quota", hidden: true });
    // Once the theme has its quota, the form folds into one button (unless something is typed).
    col.unfold = plainButton("new-unfold-" + id, [icon("+"), t("{Engagement.un} de plus…")], function () {
      unfoldNew(id);
      col.title.focus();
    }, { cls: "fc-btn-small fc-new-unfold", expanded: "false" });
    col.form = h("form", { class: "fc-new", novalidate: true, "aria-labelledby": "fc-new-head-" + id },
      h("h4", { class: "fc-new-head", id: "fc-new-head-" + id }, t("{Engagement|Nouveau|Nouvelle|Nouvel} {engagement.sg}")),
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
        h("h3", { class: "fc-conv-col-title", id: "fc-conv-col-" + id }, h("span", { class: "fc-theme-swatch", "aria-hidden": "true" }), th.title),
        col.quota),
      col.engEmpty, col.engList, col.unfold, col.form,
      h("div", { class: "fc-pool-wrap" },
        h("h4", { class: "fc-pool-head", id: "fc-pool-head-" + id }, t("Vivier : {piste.pl} à rattacher"), " ", col.poolCount),
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
      var target = engagementsOf(state).filter(function (e) { return e.id === engId; })[0];
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
    renderConvergence(state, true);
    refreshDisabled();
    restoreFocus(null);
  }

  function closeEngForm(id, ask) {
    var rec = engCards[id];
    if (ask && rec && rec.dirty && rec.dirty() && !window.confirm(t("Abandonner les modifications de {engagement.ce} ?"))) return;
    delete engModes[id];
    showError("eng-" + id, "");
    pendingFocus.push("eng-edit-" + id);
    renderConvergence(state, true);
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
      var target = engagementsOf(state).filter(function (x) { return x.id === engId; })[0];
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
        h("span", { class: "fc-trace-name" }, label),
        h("strong", { class: "fc-trace-n" }, String(x[1])),
        vh(" " + t("(auteurs et gommettes)")));
    })));
  }

  function moveEngagement(id, step) {
    var e = engagementsOf(state).filter(function (x) { return x.id === id; })[0];
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

  // ---------------------------------------------------------------------------------------
  // Drawing everything, keeping the focus

  function activeKey() {
    var el = document.activeElement;
    return el && root.contains(el) ? el.getAttribute("data-key") : null;
  }

  /* Keys worth focusing when the focused element vanished with a redraw: its twin (a hidden
     rêve's "Réafficher"), the same piste's other buttons, then the neighbouring card. */
  function nearKeys(el) {
    var out = [];
    if (!el || !root.contains(el)) return out;
    var key = el.getAttribute("data-key") || "";
    var reve = /^(rhide|rshow)-(\d+)$/.exec(key);
    if (reve) out.push((reve[1] === "rhide" ? "rshow-" : "rhide-") + reve[2]);
    var item = el.closest(".fc-card, .fc-reve, .fc-eng, .fc-eng-piste, .fc-pool-row");
    if (item && item.classList.contains("fc-card")) {
      var id = item.getAttribute("data-id");
      out.push("unmerge-" + id, "hide-" + id, "edit-" + id);
    }
    if (item) {
      [item.nextElementSibling, item.previousElementSibling].forEach(function (sib) {
        var b = sib && sib.querySelector("[data-key]");
        if (b) out.push(b.getAttribute("data-key"));
      });
      out.push(item.classList.contains("fc-card") ? "filter" : "");
      if (item.classList.contains("fc-eng-piste")) out.push("eng-edit-" + item.closest(".fc-eng").getAttribute("data-id"));
      var column = item.closest(".fc-conv-col");
      if (column) out.push("new-title-" + column.getAttribute("data-theme"));
    }
    return out;
  }

  function restoreFocus(key, near) {
    var el = document.activeElement;
    var lost = !el || el === document.body || !document.contains(el);
    var keys = pendingFocus.splice(0);
    if (!lost) return;
    keys = keys.concat(key ? [key] : [], near || []);
    for (var i = 0; i < keys.length; i++) {
      if (!keys[i]) continue;
      var target = root.querySelector('[data-key="' + keys[i] + '"]');
      if (target && target.offsetParent !== null) { target.focus(); return; }
    }
  }

  function render(s, why) {
    state = s;
    if (!s || !s.stage) return;
    if (why === "aggregate" || why === "sync") { settleAwaiting(); settleEngagements(); }
    var key = activeKey(), near = nearKeys(document.activeElement);
    renderBar(s);
    renderSteps(s);
    renderParticipation(s);
    renderResults(s);
    renderModeration(s);
    renderReves(s);
    renderConvergence(s);
    renderSettings(s);
    renderFollow(s);
    refreshDisabled();
    restoreFocus(key, near);
  }

  showConnection(false);
  render(state, "boot");
  measureBar();
  live = F.connect({ state: boot.state, onState: render, onConnection: showConnection });
  setInterval(tick, 250);
})();
