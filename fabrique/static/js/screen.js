/* The projector view: a full-screen picture of the atelier, read from the back of the room.
   Everything is drawn from the aggregated snapshot (state.py: screen_state) at every change;
   a 250 ms tick only refreshes the timer. Text typed by participants only ever goes through
   textContent (Fabrique.h), and long texts are clamped by CSS and by fitting passes that drop
   what does not fit (nothing on this screen scrolls). */
(function () {
  "use strict";

  var F = window.Fabrique;
  var h = F.h;
  var t = F.t;
  var boot = F.boot;
  var template = boot.template || {};
  // Method words in the template's vocabulary ("{piste.ce}" → "cette piste d'action"), then the values.
  t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), template.vocabulary), values); };
  var valuesById = F.byId(template.values);
  var paradoxesById = F.byId(template.paradoxes);
  var horizonsById = F.byId(template.horizons);
  var personas = template.personas || [];
  var personasById = F.byId(personas);

  var JOIN_KINDS = { accueil: true, personas: true };
  // Real frameworks have titles like "Cadre de vie et renouvellement urbain": smaller type on more
  // lines for them, so that no word is cut (screen.css, .titles-long).
  var LONG_TITLES = (template.themes || []).some(function (th) { return th.title.length > 24; }) ? " titles-long" : "";
  var MAX_CARDS = 12;          // never build more cards than this per column (then fit to the height)
  var MAX_REVES = 6;
  var MAX_WORDS = 60;

  var app = document.getElementById("app");
  var current = boot.state;
  var lastSignature = null;
  var timerNode = null;
  var live = null;

  /* ---- small helpers ----------------------------------------------------------------------- */

  /* A theme or persona colour, only when it is a plain hex colour (it goes into a style). */
  function safeColor(value, fallback) {
    return typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback;
  }

  function count(n) { return typeof n === "number" && isFinite(n) ? n : 0; }

  /* Pick the singular or the plural text (French: 0 and 1 take the singular). Both are passed
     already translated, each call to the translator written out in full for the translation catalogue. */
  function plural(n, one, many) { return n < 2 ? one : many; }

  /* A URL that may only break after its slashes. */
  function breakable(url) {
    var parts = url.split("/");
    return parts.map(function (part, i) { return i < parts.length - 1 ? [part + "/", h("wbr")] : part; });
  }

  function hidden(text) { return h("span", { class: "visually-hidden", text: text }); }

  /* Images are kept from one drawing to the next (same node), so nothing blinks on update. */
  var images = {};
  var imagesUsed = {};
  function image(key, src, alt, cls) {
    var img = images[key];
    if (!img) {
      img = h("img", { src: src, alt: alt, class: cls, decoding: "async", draggable: "false" });
      images[key] = img;
    } else {
      if (img.getAttribute("src") !== src) img.setAttribute("src", src);
      if (img.getAttribute("alt") !== alt) img.setAttribute("alt", alt);
      img.className = cls;
    }
    imagesUsed[key] = true;
    return img;
  }

  function qrImage(state, key, cls) {
    return image(key, state.atelier.qr_url, t("QR code pour rejoindre l'atelier"), cls);
  }

  function avatar(key, persona, alt, cls) {
    return image(key, persona.illustration, alt, cls || "avatar");
  }

  /* A horizontal bar; the track carries the accessible label with the number. */
  function bar(value, max, label, cls) {
    var share = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
    return h("div", { class: "bar " + (cls || ""), role: "img", "aria-label": label },
      h("span", { class: "bar-fill", style: "width:" + (share * 100).toFixed(1) + "%" }));
  }

  function themeStyle(theme) { return "--theme:" + safeColor(theme && theme.color, "#3b5b92"); }

  /* The columns of the Vivre, in the template's order, with their live data. */
  function columns(state) {
    var data = F.byId(state.themes);
    return (template.themes || []).map(function (theme) {
      return { theme: theme, data: data[theme.id] || { pistes: [], top: [], reves: [], coverage: {} } };
    });
  }

  function columnHead(theme, options) {
    return h("header", { class: "col-head" },
      h(options.heading || "h2", { class: "col-title", text: theme.title }),
      options.subtitle && theme.subtitle ? h("p", { class: "col-subtitle", text: theme.subtitle }) : null,
      options.head || null);
  }

  function empty(text) { return h("p", { class: "empty", text: text }); }

  /* ---- header ------------------------------------------------------------------------------ */

  function header(state, withCorner) {
    var stage = state.stage || {};
    var right = h("div", { class: "head-right" });
    if (stage.locked) {
      right.appendChild(h("p", { class: "badge-lock" }, h("span", { "aria-hidden": "true", text: "🔒 " }), t("Verrouillé")));
    }
    // The pause sign is drawn in CSS (the ⏸ character only exists as a colour emoji on most systems).
    timerNode = h("p", { class: "timer", role: "timer", "aria-live": "off", hidden: true },
      h("span", { class: "pause-icon", "aria-hidden": "true" }),
      h("span", { class: "timer-text" }));
    right.appendChild(timerNode);
    if (withCorner) {
      right.appendChild(h("div", { class: "join-corner" },
        qrImage(state, "qr-corner", "qr-small"),
        h("p", { class: "join-corner-text" },
          h("span", { class: "join-corner-label", text: t("Rejoindre") }),
          h("span", { class: "join-corner-code", text: state.atelier.join_code }))));
    }
    return h("header", { class: "head" },
      h("div", { class: "head-left" },
        h("p", { class: "head-top" },
          h("span", { class: "head-atelier", text: state.atelier.name }),
          typeof stage.index === "number" && stage.count
            ? h("span", { class: "head-phase", text: t("Phase {i} / {n}", { i: stage.index + 1, n: stage.count }) })
            : null),
        h("h1", { text: stage.title || "" })),
      right);
  }

  function updateTimer() {
    if (!timerNode || !current) return;
    var now = live ? live.now() : Date.now();
    var stage = current.stage || {};
    var remaining = F.timerRemaining(stage, now);
    if (remaining === null) { timerNode.hidden = true; return; }
    var paused = !(stage.timer && stage.timer.ends_at);
    var text = F.formatTimer(remaining);
    var textNode = timerNode.lastChild;
    if (textNode.textContent !== text) textNode.textContent = text;
    timerNode.hidden = false;
    timerNode.classList.toggle("is-paused", paused);
    timerNode.classList.toggle("is-last-minute", !paused && remaining < 60000);
    timerNode.classList.toggle("is-over", !paused && remaining <= 0);
    var label = paused ? t("Minuteur en pause : {t}", { t: F.formatTimer(remaining) }) : t("Temps restant : {t}", { t: F.formatTimer(remaining) });
    if (timerNode.getAttribute("aria-label") !== label) timerNode.setAttribute("aria-label", label);
  }

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
        h("span", { class: "persona-chip-label", text: p.label || p.name }),
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
          h("p", { class: "persona-card-label", text: p.label }),
          meta.length ? h("p", { class: "persona-card-meta", text: meta.join(" · ") }) : null,
          p.quote && !many ? h("blockquote", { class: "persona-card-quote", text: "« " + p.quote + " »" }) : null);
      }));
    return h("div", { class: "view view-personas" },
      joinPanel(state, true),
      h("section", { class: "persona-grid-wrap", "aria-label": t("Les habitants fictifs") }, grid));
  }

  /* ---- paradoxes --------------------------------------------------------------------------- */

  function renderParadoxes(state) {
    var list = state.paradoxes || [];
    var max = list.reduce(function (m, p) { return Math.max(m, count(p.count)); }, 0);
    var rows = list.map(function (item, i) {
      var paradox = paradoxesById[item.id] || {};
      var title = paradox.title || item.id;
      var n = count(item.count);
      return h("li", { class: "rank-row" + (i === 0 && n ? " is-first" : "") },
        h("span", { class: "rank-pos", "aria-hidden": "true", text: String(i + 1) }),
        h("p", { class: "rank-title", text: title }),
        bar(n, max, t("{title} : {n} choix", { title: title, n: n }), "rank-bar"),
        h("span", { class: "rank-n", "aria-hidden": "true", text: String(n) }));
    });
    return h("div", { class: "view view-paradoxes" },
      list.length ? h("ol", { class: "rank-list", style: "--rows:" + list.length }, rows) : empty(t("{Paradox|Aucun|Aucune} {paradox.sg} dans ce modèle")),
      max ? null : h("p", { class: "hint", text: t("En attente des choix des participants…") }));
  }

  /* ---- valeurs ----------------------------------------------------------------------------- */

  function renderValeurs(state) {
    var list = state.values || [];
    var max = list.reduce(function (m, v) { return Math.max(m, count(v.points)); }, 0);
    var rows = list.map(function (item, i) {
      var value = valuesById[item.id] || {};
      var label = value.label || item.id;
      var points = count(item.points);
      var voters = count(item.voters);
      return h("li", { class: "value-row" + (i === 0 && points ? " is-first" : "") },
        h("div", { class: "value-line" },
          h("p", { class: "value-label", text: label }),
          h("p", { class: "value-voters", text: plural(voters, t("{n} votant", { n: voters }), t("{n} votants", { n: voters })) })),
        h("div", { class: "value-line" },
          bar(points, max, t("{label} : {n} points", { label: label, n: points }), "value-bar"),
          h("p", { class: "value-points", "aria-hidden": "true" },
            h("span", { class: "value-points-n", text: String(points) }),
            h("span", { class: "value-points-unit", text: plural(points, t("point"), t("points")) }))));
    });
    return h("div", { class: "view view-valeurs" },
      h("section", { class: "values", "aria-labelledby": "values-title" },
        h("h2", { id: "values-title", class: "section-title", text: t("{Value.les}") }),
        list.length ? h("ol", { class: "value-list" }, rows) : empty(t("{Value|Aucun|Aucune} {value.sg} dans ce modèle"))),
      h("section", { class: "cloud-wrap", "aria-labelledby": "cloud-title" },
        h("h2", { id: "cloud-title", class: "section-title", text: t("Les mots des participants") }),
        wordCloud(state.words || [])));
  }

  var CLOUD_COLORS = ["#1c2430", "#1b5e8c", "#8a3b12", "#2f5d3a", "#5b3a8c"];

  function wordCloud(words) {
    words = words.slice(0, MAX_WORDS);
    if (!words.length) return h("div", { class: "cloud is-empty" }, empty(t("Les mots apparaîtront ici")));
    var counts = words.map(function (w) { return count(w.count); });
    var lo = Math.sqrt(Math.min.apply(null, counts)), hi = Math.sqrt(Math.max.apply(null, counts));
    var low = words.length < 15 ? 40 : 28;   // few words: none of them tiny
    // Biggest in the middle: 0 at the centre, then alternately after and before it.
    var ordered = [];
    words.forEach(function (w, rank) {
      var ratio = hi > lo ? (Math.sqrt(count(w.count)) - lo) / (hi - lo) : 0.3;
      var size = (low + ratio * (96 - low)) / 16;   // low..96 px at 1920 wide, in rem
      var li = h("li", { class: "cloud-word", dir: "auto", "data-rank": String(rank),
        style: "font-size:" + size.toFixed(3) + "rem;color:" + CLOUD_COLORS[rank % CLOUD_COLORS.length] },
        w.word, hidden(" (" + count(w.count) + ")"));
      if (rank % 2) ordered.push(li); else ordered.unshift(li);
    });
    return h("ul", { class: "cloud" }, ordered);
  }

  /* Drop the least frequent words until the cloud fits its box. */
  function fitCloud(root) {
    var cloud = root.querySelector(".cloud");
    if (!cloud || cloud.classList.contains("is-empty")) return;
    var items = Array.prototype.slice.call(cloud.children).sort(function (a, b) {
      return Number(b.getAttribute("data-rank")) - Number(a.getAttribute("data-rank"));
    });
    var i = 0;
    while (i < items.length - 1 && overflows(cloud)) { cloud.removeChild(items[i]); i++; }
  }

  /* ---- rêves ------------------------------------------------------------------------------- */

  function renderReves(state) {
    var prompt = template.vocabulary && template.vocabulary.reve_prompt;
    var cols = columns(state).map(function (c) {
      var reves = (c.data.reves || []).slice(0, MAX_REVES);
      var total = (c.data.reves || []).length;
      return column(c.theme, reves.map(function (r) {
        var persona = personasById[r.persona_id];
        return h("li", { class: "card reve-card" },
          persona ? avatar("reve-" + r.id, persona, persona.label || persona.name, "avatar card-avatar") : null,
          h("blockquote", { class: "card-text", dir: "auto", text: r.text }));
      }), { empty: t("{Reve|Aucun|Aucune} {reve.sg} pour l'instant"), hidden: total - reves.length, subtitle: true });
    });
    return h("div", { class: "view view-columns" + LONG_TITLES + " view-reves" },
      prompt ? h("p", { class: "prompt", text: "« " + prompt + " »" }) : null,
      h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
  }

  /* One column of the wall: header in the theme colour, a list fitted to the height, "+N autres".
     options: empty (text when no card), hidden (cards already left out), ordered (ol), cls, listCls,
     head (more header content), subtitle (show the theme's subtitle), heading (h2 by default). */
  function column(theme, cards, options) {
    var list = cards.length ? h(options.ordered ? "ol" : "ul", { class: "cards" + (options.listCls ? " " + options.listCls : "") }, cards) : null;
    var more = h("p", { class: "more" });
    setMore(more, options.hidden || 0);
    return h("section", { class: "col " + (options.cls || ""), style: themeStyle(theme), "aria-label": theme.title },
      columnHead(theme, options),
      list || empty(options.empty),
      more);
  }

  function setMore(more, n) {
    more.setAttribute("data-hidden", String(n));
    more.hidden = n <= 0;
    more.textContent = plural(n, t("+1 autre"), t("+{n} autres", { n: n }));
  }

  function overflows(el) { return el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1; }

  /* Remove the last cards of each column until the column fits, counting them in "+N autres". */
  function fitColumns(root) {
    var cols = root.querySelectorAll(".col");
    // Columns share their rows: a "+N autres" line in one shortens the others, hence the rounds.
    for (var round = 0, changed = true; changed && round < 4; round++) {
      changed = false;
      Array.prototype.forEach.call(cols, function (col) {
        var list = col.querySelector(".cards");
        var more = col.querySelector(".more");
        if (!list || !more) return;
        var n = Number(more.getAttribute("data-hidden")) || 0;
        while (list.children.length > 1 && overflows(list)) {
          if (shrinkEngagements(list)) { changed = true; continue; }
          // First shorten the last card's text, line by line; drop it when one line is too many.
          var last = list.lastElementChild;
          var text = last.querySelector(".card-text");
          var lines = text ? parseInt(window.getComputedStyle(text).webkitLineClamp, 10) || 0 : 0;
          if (lines > 1) {
            text.style.webkitLineClamp = String(lines - 1);
            text.style.lineClamp = String(lines - 1);
          } else {
            list.removeChild(last);
            setMore(more, ++n);
          }
          changed = true;
        }
      });
    }
  }

  /* Shorten clamped texts (fewer lines) until their box fits; hide them if even one line does not. */
  function fitClamps(root, selector, boxSelector) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
      var box = el.closest(boxSelector);
      if (!box) return;
      var lines = parseInt(window.getComputedStyle(el).webkitLineClamp, 10) || 6;
      while (overflows(box) && lines > 1) {
        lines--;
        el.style.webkitLineClamp = String(lines);
        el.style.lineClamp = String(lines);
      }
      if (overflows(box)) el.hidden = true;
    });
  }

  /* ---- pistes ------------------------------------------------------------------------------ */

  /* The short form of an horizon ("2024 — court terme" → "2024"). */
  function horizonLabel(id) {
    var horizon = horizonsById[id];
    var label = horizon ? String(horizon.label || id) : String(id);
    return label.split(/\s+[—–-]\s+/)[0] || label;
  }

  function pisteCard(piste, withSupports) {
    var tags = (piste.hashtags || []).map(function (tag) { return "#" + tag; }).join(" ");
    var supports = count(piste.supports);
    return h("li", { class: "card piste-card" },
      h("p", { class: "card-text", dir: "auto", text: piste.text }),
      h("p", { class: "card-meta" },
        piste.horizon ? h("span", { class: "horizon", text: horizonLabel(piste.horizon) }) : null,
        tags ? h("span", { class: "tags", text: tags }) : null,
        withSupports && supports ? h("span", { class: "supports" },
          h("span", { "aria-hidden": "true", text: "● " + supports }), hidden(plural(supports, t("{n} soutien", { n: supports }), t("{n} soutiens", { n: supports })))) : null));
  }

  function renderPistes(state) {
    var cols = columns(state).map(function (c) {
      var cov = c.data.coverage || {};
      var pistes = (c.data.pistes || []).slice().reverse();   // newest first
      var n = count(cov.pistes), people = count(cov.personas);
      var head = h("div", { class: "coverage" },
        h("div", { class: "coverage-line" },
          h("p", { class: "coverage-n" },
            h("span", { class: "coverage-n-big", text: String(n) }),
            " ", plural(n, t("{piste.sg}"), t("{piste.pl}"))),
          h("p", { class: "coverage-people", text: personas.length
            ? t("{n} / {total} habitants", { n: people, total: personas.length })
            : plural(people, t("{n} habitant", { n: people }), t("{n} habitants", { n: people })) })),
        bar(count(cov.share), 1, t("{theme} : {n} {piste.pl}, {p} habitants fictifs", { theme: c.theme.title, n: n, p: people }), "coverage-bar"),
        cov.thin ? h("p", { class: "thin-badge", text: t("À enrichir") }) : null);
      var shown = pistes.slice(0, MAX_CARDS);
      return column(c.theme, shown.map(function (p) { return pisteCard(p, false); }), {
        empty: t("{Piste|Aucun|Aucune} {piste.sg} pour l'instant"), hidden: pistes.length - shown.length, cls: cov.thin ? "is-thin" : "", head: head });
    });
    return h("div", { class: "view view-columns" + LONG_TITLES + " view-pistes" },
      h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
  }

  /* ---- vote, convergence, clôture ---------------------------------------------------------- */

  /* Top pistes per Vivre: each with its support count in a big "gommette" (the dot sticker). */
  function topCards(c) {
    return (c.data.top || []).slice(0, 5).map(function (p) {
      var n = count(p.supports);
      return h("li", { class: "card top-card" },
        h("p", { class: "gommette" + (n ? "" : " is-zero") + (n > 99 ? " is-long" : "") },
          h("span", { "aria-hidden": "true", text: String(n) }),
          hidden(plural(n, t("{n} soutien", { n: n }), t("{n} soutiens", { n: n })))),
        h("p", { class: "card-text", dir: "auto", text: p.text }));
    });
  }

  function topColumns(state, heading) {
    return columns(state).map(function (c) {
      return column(c.theme, topCards(c), { empty: t("{Piste|Aucun|Aucune} {piste.sg} pour l'instant"), ordered: true, cls: "col-top", heading: heading });
    });
  }

  function renderVote(state) {
    var cols = topColumns(state);
    return h("div", { class: "view view-columns" + LONG_TITLES + " view-vote" },
      h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
  }

  /* One engagement as the room reads it: its title, « Pour … », the « Comment ? », then what
     stands behind it (pistes and their gommettes) and its supporters on the phones. */
  function engagementCard(e) {
    var pistes = e.pistes || [];
    var dots = pistes.reduce(function (sum, p) { return sum + count(p.supports); }, 0);
    var backers = count(e.supporters);
    var how = (e.how || []).filter(Boolean);
    return h("li", { class: "card eng-card" },
      h("h4", { class: "eng-title", dir: "auto", text: e.title }),
      e.purpose ? h("p", { class: "eng-purpose", dir: "auto", text: e.purpose }) : null,
      how.length ? h("ul", { class: "eng-how", "aria-label": t("Comment ?") }, how.map(function (item) {
        return h("li", { class: "eng-how-item", dir: "auto", text: item });
      }), h("li", { class: "eng-how-cut", hidden: true, "aria-hidden": "true", text: "…" })) : null,
      h("p", { class: "eng-meta" },
        h("span", { class: "eng-stat" }, h("strong", { text: String(pistes.length) }), " ", plural(pistes.length, t("{piste.sg}"), t("{piste.pl}"))),
        h("span", { class: "eng-stat eng-dots" }, h("span", { class: "eng-dot", "aria-hidden": "true" }),
          h("strong", { text: String(dots) }), " ", plural(dots, t("gommette"), t("gommettes"))),
        h("span", { class: "eng-stat eng-backers" + (backers ? "" : " is-zero") },
          h("strong", { text: String(backers) }), " ", plural(backers, t("soutien"), t("soutiens")))));
  }

  /* Convergence and clôture: the engagements forming under each Vivre; a Vivre without any yet
     shows its top pistes, the material the room works from. */
  function renderConvergence(state) {
    var engagements = state.engagements || [];
    var byTheme = {};
    engagements.forEach(function (e) { (byTheme[e.theme_id] = byTheme[e.theme_id] || []).push(e); });
    var any = engagements.length > 0;
    var cols = columns(state).map(function (c) {
      var mine = byTheme[c.theme.id] || [];
      if (!mine.length) {
        var top = topCards(c);
        if (any && top.length) top.unshift(h("li", { class: "col-note", text: t("Pas encore {engagement.de} : {piste.les} {piste|les plus soutenus|les plus soutenues}") }));
        return column(c.theme, top, { empty: t("{Piste|Aucun|Aucune} {piste.sg} pour l'instant"), ordered: !any, cls: "col-top", heading: "h3" });
      }
      return column(c.theme, mine.map(engagementCard), { ordered: true, cls: "col-eng", listCls: "eng-cards", heading: "h3" });
    });
    return h("div", { class: "view view-columns" + LONG_TITLES + " view-convergence" + (any ? " has-engagements" : "") },
      any ? h("h2", { class: "visually-hidden", text: t("{Engagement.les}") })
        : h("h2", { class: "section-title summary-title", text: t("{Piste.les} {piste|les plus soutenus|les plus soutenues}") }),
      h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
  }

  /* Fit the engagement cards of each column: while the list overflows, the tallest card that
     can still give something up loses one notch — its « Comment ? » get shorter, then its
     « Pour … », then fewer « Comment ? », then a shorter title… — so that rich cards shrink
     first and every card keeps what it can. What still does not fit is left to fitColumns
     (the last cards go to « +N autres »); then regrowEngagements gives back the notches that
     turn out not to be needed. */
  function fitEngagements(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".eng-cards"), function (list) {
      list.fitUndo = [];
      for (var guard = 0; guard < 200 && overflows(list) && shrinkEngagements(list); guard++) { /* one notch each */ }
    });
  }

  /* Give back, card by card and latest first, every notch the list can afford after all. */
  function regrowEngagements(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".eng-cards"), function (list) {
      var undo = list.fitUndo || [];
      var done = [];
      for (;;) {
        var i = undo.length - 1;
        while (i >= 0 && done.indexOf(undo[i].card) >= 0) i--;
        if (i < 0) break;
        var last = undo.splice(i, 1)[0];
        last.undo();
        if (overflows(list)) { last.redo(); done.push(last.card); }
      }
    });
  }

  function clampLines(el) { return parseInt(el.style.webkitLineClamp || window.getComputedStyle(el).webkitLineClamp, 10) || 0; }

  /* Each notch changes the card and returns how to undo it (null when it had nothing to take). */
  function restorer(els) {
    var saved = els.map(function (el) { return [el, el.style.webkitLineClamp, el.style.lineClamp, el.hidden]; });
    return function () {
      saved.forEach(function (x) { x[0].style.webkitLineClamp = x[1]; x[0].style.lineClamp = x[2]; x[0].hidden = x[3]; });
    };
  }

  /* One line less for each (visible) element of the card matching selector, down to min. */
  function clampEach(card, selector, min) {
    var els = Array.prototype.filter.call(card.querySelectorAll(selector), function (el) { return !el.hidden && clampLines(el) > min; });
    if (!els.length) return null;
    var undo = restorer(els);
    els.forEach(function (el) {
      var n = clampLines(el) - 1;
      el.style.webkitLineClamp = String(n);
      el.style.lineClamp = String(n);
    });
    return undo;
  }

  function dropHow(card) {
    var items = card.querySelectorAll(".eng-how-item:not([hidden])");
    if (!items.length) return null;
    var list = card.querySelector(".eng-how"), cut = card.querySelector(".eng-how-cut");
    var undo = restorer([items[items.length - 1], list, cut]);
    items[items.length - 1].hidden = true;
    cut.hidden = false;
    if (items.length === 1) list.hidden = true;
    return undo;
  }

  function hideIn(card, selector) {
    var el = card.querySelector(selector);
    if (!el || el.hidden) return null;
    var undo = restorer([el]);
    el.hidden = true;
    return undo;
  }

  var ENG_STEPS = [
    function (card) { return clampEach(card, ".eng-how-item", 1); },
    function (card) { return clampEach(card, ".eng-purpose", 2); },
    dropHow,
    function (card) { return clampEach(card, ".eng-title", 2); },
    function (card) { return clampEach(card, ".eng-purpose", 1); },
    function (card) { return hideIn(card, ".eng-purpose"); },
    function (card) { return clampEach(card, ".eng-title", 1); }
  ];

  /* One notch off the tallest engagement card that can still give something up (false when
     none can). fitColumns calls it too before dropping a card: columns share their rows, so a
     « +N autres » elsewhere can shorten this list after fitEngagements. */
  function shrinkEngagements(list) {
    if (!list.classList.contains("eng-cards")) return false;
    var cards = Array.prototype.slice.call(list.querySelectorAll(".eng-card"));
    for (;;) {
      var best = null;
      cards.forEach(function (card) {
        var step = Number(card.getAttribute("data-fit") || 0);
        // On a tie the later card gives up first: the first engagements keep the most.
        if (step < ENG_STEPS.length && (!best || card.offsetHeight >= best.offsetHeight)) best = card;
      });
      if (!best) return false;
      var step = Number(best.getAttribute("data-fit") || 0);
      var undo = ENG_STEPS[step](best);
      if (undo) {
        (list.fitUndo = list.fitUndo || []).push({ card: best, undo: undo, redo: ENG_STEPS[step].bind(null, best) });
        return true;
      }
      best.setAttribute("data-fit", String(step + 1));
    }
  }

  function renderOther(state) {
    var stage = state.stage || {};
    return h("div", { class: "view view-other" },
      stage.instructions ? h("p", { class: "welcome", text: stage.instructions }) : null);
  }

  var VIEWS = {
    accueil: renderAccueil,
    personas: renderPersonas,
    paradoxes: renderParadoxes,
    valeurs: renderValeurs,
    reves: renderReves,
    pistes: renderPistes,
    vote: renderVote,
    convergence: renderConvergence,
    cloture: renderConvergence
  };

  /* ---- drawing ----------------------------------------------------------------------------- */

  function signature(state) {
    return JSON.stringify(state, function (key, value) {
      return key === "server_time" || key === "seq" || key === "mine" ? undefined : value;
    }) + "|" + window.innerWidth + "x" + window.innerHeight;
  }

  function render(state) {
    if (!state || !state.stage || !state.atelier) return;
    current = state;
    var sig = signature(state);
    if (sig === lastSignature) { updateTimer(); return; }
    lastSignature = sig;

    imagesUsed = {};
    var kind = state.stage.kind;
    var isJoin = !!JOIN_KINDS[kind];
    var body = (VIEWS[kind] || renderOther)(state);
    // The body is redrawn wholesale: it is not announced piece by piece (the header is).
    body.setAttribute("aria-live", "off");
    var view = h("div", { class: "scr scr-" + String(kind).replace(/[^a-z0-9_-]/gi, "") },
      header(state, !isJoin),
      h("div", { class: "scr-body" }, body));

    // Swap in one go, then fit (layout is measured before the browser paints: no flicker).
    app.textContent = "";
    app.appendChild(view);
    fitEngagements(view);
    fitColumns(view);
    regrowEngagements(view);
    fitCloud(view);
    fitClamps(view, ".persona-card-quote", ".persona-card");
    updateTimer();

    Object.keys(images).forEach(function (key) { if (!imagesUsed[key]) delete images[key]; });
  }

  /* ---- connection banner, cursor ----------------------------------------------------------- */

  var banner = h("div", { class: "conn-banner", role: "status", hidden: true });
  document.body.appendChild(banner);

  function showConnection(ok) {
    if (ok) {
      banner.hidden = true;
      banner.textContent = "";
    } else {
      banner.textContent = t("Connexion perdue — reconnexion…");
      banner.hidden = false;
    }
  }

  var cursorTimer = null;
  function wakeCursor() {
    document.body.classList.remove("hide-cursor");
    clearTimeout(cursorTimer);
    cursorTimer = setTimeout(function () { document.body.classList.add("hide-cursor"); }, 3000);
  }
  document.addEventListener("mousemove", wakeCursor);
  wakeCursor();

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { render(current); }, 150);
  });

  live = F.connect({ state: boot.state, onState: render, onConnection: showConnection });
  render(boot.state);
  setInterval(updateTimer, 250);

  window.FabriqueScreen = { render: render, renderConvergence: renderConvergence };
})();
