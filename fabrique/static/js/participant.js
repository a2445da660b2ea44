/* The participant's phone: follows the phases, shows the persona card, sends actions through
   the outbox (nothing is "enregistré" before the server says so) and keeps what is typed. */
(function () {
  "use strict";

  var F = window.Fabrique, h = F.h, t = F.t;
  var boot = F.boot, template = boot.template;
  // Method words in the template's vocabulary ("{piste.ce}" → "cette piste d'action"), then the values.
  t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), template.vocabulary), values); };
  var themes = F.byId(template.themes), personas = F.byId(template.personas), values = F.byId(template.values);
  var app = document.getElementById("app");
  var key = "fabrique:" + boot.state.atelier.join_code + ":" + boot.state.me.id;
  var online = false;
  var notices = {};            // form name → {kind: ok|error|pending|offline, text}
  var editing = null;          // id of the piste being edited
  var tagsOpen = false;        // whether the hashtag list is unfolded
  var shownPhase = boot.state.stage.index;
  var lastBodyKey = null;
  var live;

  /* Drafts: what the person typed, kept across re-renders, reloads and lost connections. */
  var drafts = load("drafts", {});
  function load(name, fallback) {
    try { return JSON.parse(localStorage.getItem(key + ":" + name)) || fallback; } catch (e) { return fallback; }
  }
  function save(name, value) { try { localStorage.setItem(key + ":" + name, JSON.stringify(value)); } catch (e) { /* memory only */ } }
  function draft(name, fallback) { return drafts[name] !== undefined ? drafts[name] : fallback; }
  function setDraft(name, value) { drafts[name] = value; save("drafts", drafts); }
  function clearDraft(names) { names.forEach(function (n) { delete drafts[n]; }); save("drafts", drafts); }

  function state() { return live ? live.state() : boot.state; }
  function allowed(action) { return state().stage.allowed.indexOf(action) !== -1; }

  /* Send an action through the outbox; `form` names where its outcome is shown. The outbox's
     callback (below) applies every answer, including those of actions queued before a reload. */
  function act(form, event, data, onStored) {
    notices[form] = online ? { kind: "pending", text: t("Envoi…") } : { kind: "offline", text: t("Hors ligne : ce sera envoyé dès le retour de la connexion.") };
    renderNotices();
    return outbox.send(event, Object.assign({ form: form }, data)).then(function (answer) {
      if (answer && answer.ok && onStored) { onStored(answer); render(true); }
      return answer;
    });
  }

  function applyAnswer(item, answer) {
    var form = item.data.form || "global";
    if (answer === null) {
      notices[form] = { kind: "offline", text: t("Hors ligne : ce sera envoyé dès le retour de la connexion.") };
    } else if (answer && answer.ok) {
      var current = live.state();
      current.mine = answer.mine;
      current.seq = Math.max(current.seq, answer.seq);
      notices[form] = { kind: "ok", text: t("Enregistré ✓") };
      render(true);
      return;
    } else if (answer) {
      notices[form] = { kind: "error", text: answer.error || t("Refusé.") };
    }
    renderNotices();
  }

  var outbox = null;

  function pendingCount() { return outbox ? outbox.pending().length : 0; }

  function notice(form) {
    var n = notices[form];
    return h("p", { class: "notice " + (n ? "notice-" + n.kind : ""), role: n && n.kind === "error" ? "alert" : "status", "data-notice": form }, n ? n.text : "");
  }
  function renderNotices() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-notice]"), function (el) {
      var n = notices[el.getAttribute("data-notice")];
      el.textContent = n ? n.text : "";
      el.className = "notice " + (n ? "notice-" + n.kind : "");
      el.setAttribute("role", n && n.kind === "error" ? "alert" : "status");
    });
    var tray = document.getElementById("pending");
    if (tray) {
      var count = pendingCount();
      tray.textContent = count ? t("{n} action(s) en attente d'envoi", { n: count }) : "";
      tray.hidden = !count;
    }
  }

  /* --- header ------------------------------------------------------------------------------ */

  function header(s) {
    var persona = s.me.persona;
    var stage = s.stage;
    return h("header", { class: "phone-head" },
      h("div", { class: "phone-row" },
        h("p", { class: "atelier-name" }, s.atelier.name),
        h("p", { id: "connection", class: "connection " + (online ? "is-online" : "is-offline"), role: "status" },
          online ? t("Connecté") : t("Hors ligne"))),
      persona ? h("div", { class: "persona-chip", style: "--persona:" + persona.color },
        h("img", { src: persona.illustration, alt: "", width: 40, height: 40 }),
        h("span", null, h("strong", null, s.me.pseudonym), " · ", t("vous êtes"), " ", persona.name, ", ", persona.label.toLowerCase())) : null,
      h("div", { class: "phase-line" },
        h("h1", { id: "phase-title" }, stage.title),
        h("span", { class: "phase-count" }, t("Phase {i} sur {n}", { i: stage.index + 1, n: stage.count })),
        h("span", { id: "timer", class: "timer", role: "timer", "aria-live": "off" })),
      stage.locked ? h("p", { class: "locked", role: "status" }, t("Phase verrouillée par l'animation : les contributions sont closes.")) : null,
      h("p", { id: "pending", class: "pending", role: "status", hidden: true }),
      notice("global"));
  }

  function tickTimer() {
    var el = document.getElementById("timer");
    if (!el || !live) return;
    var stage = live.state().stage;
    var left = F.timerRemaining(stage, live.now());
    el.textContent = left === null ? "" : (stage.timer.ends_at ? "⏱ " : "⏸ ") + F.formatTimer(left);
    el.classList.toggle("timer-ending", left !== null && left < 60000);
  }

  /* --- phase bodies -------------------------------------------------------------------------- */

  function personaCard(persona, full) {
    return h("article", { class: "persona-card", style: "--persona:" + persona.color },
      h("div", { class: "persona-top" },
        h("img", { src: persona.illustration, alt: t("Portrait de {name}", { name: persona.name }), width: 96, height: 96 }),
        h("div", null,
          h("h2", null, persona.name),
          h("p", { class: "persona-label" }, persona.label + " · " + persona.age + " " + t("ans")),
          h("p", { class: "persona-where" }, persona.occupation + " — " + persona.commune))),
      h("blockquote", null, "« " + persona.quote + " »"),
      full ? [
        h("h3", null, t("Sa vie quotidienne")), h("p", null, persona.daily_life),
        h("h3", null, t("Ses déplacements")), h("p", null, persona.mobility),
        h("h3", null, t("Ce qui marche pour elle ou lui")), h("ul", null, persona.works.map(function (w) { return h("li", null, w); })),
        h("h3", null, t("Ce qui ne marche pas")), h("ul", null, persona.does_not_work.map(function (w) { return h("li", null, w); }))
      ] : null);
  }

  function instructions(stage) {
    return stage.instructions ? h("p", { class: "instructions" }, stage.instructions) : null;
  }

  function welcome(s) {
    return [
      h("section", { class: "card" },
        h("h2", null, t("Bienvenue, {name} !", { name: s.me.pseudonym })),
        instructions(s.stage),
        h("p", null, t("Pendant cet atelier, vous parlerez au nom de votre habitant fictif.")),
        h("p", { class: "rejoin" }, t("Votre code de retour, pour reprendre votre place sur un autre appareil :"), " ",
          h("strong", { class: "code" }, s.me.rejoin_code))),
      s.me.persona ? personaCard(s.me.persona, s.stage.kind === "personas") : null,
      allowed("persona_choose") ? choosePersona(s) : null
    ];
  }

  function choosePersona(s) {
    return h("section", { class: "card" },
      h("h2", null, t("Choisir un autre habitant fictif")),
      h("ul", { class: "persona-list" }, template.personas.map(function (p) {
        var mineNow = s.me.persona && s.me.persona.id === p.id;
        return h("li", null, h("button", {
          type: "button", class: "persona-pick", "aria-pressed": mineNow ? "true" : "false",
          on: { click: function () { act("persona", "persona_choose", { persona_id: p.id }, function () { live.resync(); }); } }
        }, h("img", { src: p.illustration, alt: "", width: 40, height: 40 }), p.label + " — " + p.name));
      })),
      notice("persona"));
  }

  function paradoxes(s) {
    var chosen = s.mine.paradoxes, limit = s.stage.settings.paradox_choices;
    return h("section", null,
      instructions(s.stage),
      h("p", { class: "counter" }, t("{n} sur {max} marqués", { n: chosen.length, max: limit })),
      notice("paradox"),
      h("ul", { class: "cards" }, template.paradoxes.map(function (p) {
        var on = chosen.indexOf(p.id) !== -1;
        return h("li", { class: "card paradox" + (on ? " is-chosen" : "") },
          h("h2", null, p.title),
          h("p", null, h("strong", null, t("Atout :")), " ", p.atout),
          h("p", null, h("strong", null, t("Défi :")), " ", p.defi),
          p.figures.length ? h("details", null, h("summary", null, t("Chiffres clés")),
            h("ul", null, p.figures.map(function (f) { return h("li", null, f); }))) : null,
          h("button", {
            type: "button", class: on ? "primary" : "", "aria-pressed": on ? "true" : "false",
            disabled: !allowed("paradox_toggle") || (!on && chosen.length >= limit),
            on: { click: function () { act("paradox", "paradox_toggle", { paradox_id: p.id, chosen: !on }); } }
          }, on ? t("Compte pour mon habitant ✓") : t("Compte pour mon habitant")));
      })));
  }

  function valeurs(s) {
    var settings = s.stage.settings, points = draft("values", null) || Object.assign({}, s.mine.values);
    var byPoints = settings.value_method === "points";
    var used = Object.keys(points).reduce(function (sum, k) { return sum + (points[k] || 0); }, 0);
    var budget = byPoints ? settings.value_budget : settings.value_top_n;
    var can = allowed("values_set");

    function change(valueId, amount) {
      var next = Object.assign({}, points);
      next[valueId] = Math.max(0, (next[valueId] || 0) + amount);
      if (!next[valueId]) delete next[valueId];
      setDraft("values", next);
      render(true);
    }

    var list = h("ul", { class: "cards" }, template.values.map(function (v) {
      var mine = points[v.id] || 0;
      var words = s.mine.words.filter(function (w) { return w.value_id === v.id; });
      var wordId = "word-" + v.id;
      return h("li", { class: "card value" },
        h("h2", null, v.label),
        v.ideas.length ? h("p", { class: "ideas" }, v.ideas.join(" · ")) : null,
        byPoints ? h("div", { class: "stepper" },
          h("button", { type: "button", "aria-label": t("Retirer un point à {v}", { v: v.label }), disabled: !can || !mine, on: { click: function () { change(v.id, -1); } } }, "−"),
          h("output", { "aria-label": t("Points pour {v}", { v: v.label }) }, String(mine)),
          h("button", { type: "button", "aria-label": t("Ajouter un point à {v}", { v: v.label }), disabled: !can || used >= budget, on: { click: function () { change(v.id, 1); } } }, "+"))
          : h("label", { class: "pick" }, h("input", {
            type: "checkbox", checked: mine > 0, disabled: !can || (!mine && used >= budget),
            on: { change: function (e) { change(v.id, e.target.checked ? 1 : -1); } }
          }), " ", t("Parmi mes {n} {value.pl}", { n: budget })),
        settings.value_max_words ? h("div", { class: "words" },
          h("ul", { class: "chips" }, words.map(function (w) {
            return h("li", null, w.word, h("button", {
              type: "button", class: "chip-x", "aria-label": t("Retirer le mot {w}", { w: w.word }), disabled: !allowed("value_word_remove"),
              on: { click: function () { act("words", "value_word_remove", { word_id: w.id }); } }
            }, "×"));
          })),
          h("form", { class: "inline-form", on: { submit: function (e) {
            e.preventDefault();
            var input = document.getElementById(wordId), word = input.value.trim();
            if (!word) return;
            act("words", "value_word_add", { value_id: v.id, word: word }, function () { clearDraft([wordId]); });
            setDraft(wordId, "");
            input.value = "";
          } } },
            h("label", { for: wordId, class: "visually-hidden" }, t("Un mot que vous associez à {v}", { v: v.label })),
            h("input", { id: wordId, maxlength: 30, placeholder: t("Un mot associé"), value: draft(wordId, ""), disabled: !allowed("value_word_add"),
              on: { input: function (e) { setDraft(wordId, e.target.value); } } }),
            h("button", { type: "submit", disabled: !allowed("value_word_add") }, t("Ajouter")))) : null);
    }));

    return h("section", null,
      instructions(s.stage),
      h("p", { class: "counter", role: "status" }, byPoints
        ? t("{n} points répartis sur {max}", { n: used, max: budget })
        : t("{n} {value.pl} {value|choisis|choisies} sur {max}", { n: used, max: budget })),
      list,
      h("div", { class: "sticky-actions" },
        notice("values"),
        notice("words"),
        h("button", { type: "button", class: "primary", disabled: !can, on: { click: function () {
          act("values", "values_set", { points: points }, function () { clearDraft(["values"]); });
        } } }, t("Enregistrer mon vote"))));
  }

  function themePicker(name, selected, onPick) {
    // Long titles ("Cadre de vie et renouvellement urbain") get one column, never a sideways scroll.
    var long = template.themes.some(function (th) { return th.title.length > 28; });
    var chosen = themes[selected];
    return h("fieldset", { class: "theme-picker" + (long ? " is-long" : "") },
      h("legend", null, FabriqueVocabulary.cap(template.vocabulary.theme.sg)),
      template.themes.map(function (th) {
        var id = name + "-" + th.id;
        return h("label", { for: id, class: "theme-option" + (selected === th.id ? " is-selected" : ""), style: "--theme:" + th.color },
          h("input", { type: "radio", id: id, name: name, value: th.id, checked: selected === th.id,
            on: { change: function () { onPick(th.id); } } }), th.title);
      }),
      chosen ? themeGuide(chosen) : null);
  }

  /* What the framework says of the chosen theme, to write from: its keywords and its objectives. */
  function themeGuide(th) {
    var objectives = th.objectives || [];
    if (!(th.tags || []).length && !objectives.length) return null;
    return h("div", { class: "theme-guide" },
      (th.tags || []).length ? h("p", null, h("strong", null, t("Mots-clés : ")), th.tags.join(" · ")) : null,
      objectives.length ? h("details", null, h("summary", null, t("Objectifs et chantiers du cadre ({n})", { n: objectives.length })),
        h("ul", null, objectives.map(function (o) { return h("li", null, o.title); }))) : null);
  }

  function lengthHint(id, text, max) {
    var over = text.length > max;
    return h("p", { id: id + "-count", class: "count" + (over ? " is-over" : "") },
      over ? t("{n} caractères : {max} au plus, raccourcissez.", { n: text.length, max: max }) : t("{n} / {max} caractères", { n: text.length, max: max }));
  }

  function textArea(id, label, max, placeholder) {
    var value = draft(id, "");
    return [
      h("label", { for: id }, label),
      h("textarea", { id: id, placeholder: placeholder, "aria-describedby": id + "-count", on: { input: function (e) {
        setDraft(id, e.target.value);
        var hint = document.getElementById(id + "-count");
        if (hint) hint.replaceWith(lengthHint(id, e.target.value, max));
      } } }, value),
      lengthHint(id, value, max)
    ];
  }

  function reves(s) {
    var theme = draft("reve-theme", template.themes[0].id);
    var can = allowed("reve_add");
    return h("section", null,
      instructions(s.stage),
      h("form", { class: "card stack", on: { submit: function (e) {
        e.preventDefault();
        var text = (drafts["reve-text"] || "").trim();
        if (text.length > 300) { notices.reve = { kind: "error", text: t("{Reve.le} est trop {reve|long|longue} : 300 caractères au plus.") }; renderNotices(); return; }
        if (text.length < 5) { notices.reve = { kind: "error", text: t("Écrivez votre {reve.sg} (5 caractères au moins).") }; renderNotices(); return; }
        act("reve", "reve_add", { theme_id: theme, text: text }, function () { clearDraft(["reve-text"]); });
      } } },
        themePicker("reve-theme", theme, function (id) { setDraft("reve-theme", id); render(true); }),
        textArea("reve-text", t("{Reve|Mon|Ma|Mon} {reve.sg}"), 300, template.vocabulary.reve_prompt),
        notice("reve"),
        h("button", { type: "submit", class: "primary", disabled: !can }, t("Partager {reve.ce}"))),
      s.mine.reves.length ? h("section", { class: "card" },
        h("h2", null, t("Mes {reve.pl}")),
        h("ul", { class: "mine" }, s.mine.reves.map(function (r) {
          return h("li", null, h("span", { class: "tag", style: "--theme:" + themes[r.theme_id].color }, themes[r.theme_id].title), " ", r.text,
            r.hidden ? h("em", null, " — ", t("masqué par l'animation")) : null,
            h("button", { type: "button", class: "link", disabled: !allowed("reve_withdraw"), on: { click: function () {
              act("reve", "reve_withdraw", { reve_id: r.id });
            } } }, t("Retirer")));
        }))) : null);
  }

  function pisteForm(s) {
    var own = editing ? s.mine.pistes.filter(function (p) { return p.id === editing; })[0] : null;
    if (editing && !own) editing = null;
    var theme = draft("piste-theme", template.themes[0].id);
    var horizon = draft("piste-horizon", template.horizons[0].id);
    var tags = draft("piste-tags", []);
    var th = themes[theme];
    var can = allowed(editing ? "piste_edit" : "piste_add");
    return h("form", { class: "card stack", id: "piste-form", on: { submit: function (e) {
      e.preventDefault();
      var text = (drafts["piste-text"] || "").trim();
      if (text.length > 500) { notices.piste = { kind: "error", text: t("{Piste.le} est trop {piste|long|longue} : 500 caractères au plus.") }; renderNotices(); return; }
      if (text.length < 5) { notices.piste = { kind: "error", text: t("Décrivez votre {piste.sg} (5 caractères au moins).") }; renderNotices(); return; }
      var data = { theme_id: theme, horizon: horizon, hashtags: tags, text: text };
      if (editing) data.piste_id = editing;
      var wasEditing = editing;
      act("piste", editing ? "piste_edit" : "piste_add", data, function () {
        clearDraft(["piste-text", "piste-tags"]);
        if (wasEditing === editing) editing = null;
      });
    } } },
      h("h2", null, editing ? t("Modifier {piste|mon|ma|mon} {piste.sg}") : t("Proposer {piste.un}")),
      themePicker("piste-theme", theme, function (id) { setDraft("piste-theme", id); render(true); }),
      th.defi ? h("details", { class: "defi" }, h("summary", null, t("Le défi et ses questions")),
        h("p", null, th.defi),
        h("ul", null, th.questions.map(function (q) { return h("li", null, q); }))) : null,
      textArea("piste-text", t("{Piste|Mon|Ma|Mon} {piste.sg}"), 500, t("Une proposition concrète…")),
      h("fieldset", { class: "horizons" }, h("legend", null, t("Horizon")),
        template.horizons.map(function (hz) {
          var id = "horizon-" + hz.id;
          return h("label", { for: id }, h("input", { type: "radio", id: id, name: "horizon", value: hz.id, checked: horizon === hz.id,
            on: { change: function () { setDraft("piste-horizon", hz.id); } } }), " ", hz.label);
        })),
      template.hashtags.length ? h("details", { class: "hashtags-box", open: tagsOpen || tags.length > 0,
        on: { toggle: function (e) { tagsOpen = e.target.open; } } },
        h("summary", null, tags.length ? t("Hashtags : {list}", { list: tags.map(function (x) { return "#" + x; }).join(" ") }) : t("Ajouter des hashtags (facultatif)")),
        h("fieldset", { class: "hashtags" }, h("legend", null, t("Hashtags (5 au plus)")),
        template.hashtags.map(function (tag) {
          var id = "tag-" + tag;
          var on = tags.indexOf(tag) !== -1;
          return h("label", { for: id, class: "chip" + (on ? " is-on" : "") }, h("input", {
            type: "checkbox", id: id, checked: on, disabled: !on && tags.length >= 5,
            on: { change: function (e) {
              var next = tags.filter(function (x) { return x !== tag; });
              if (e.target.checked) next.push(tag);
              setDraft("piste-tags", next);
              render(true);
            } }
          }), "#" + tag);
        }))) : null,
      notice("piste"),
      h("div", { class: "row" },
        h("button", { type: "submit", class: "primary", disabled: !can }, editing ? t("Enregistrer la modification") : t("Proposer {piste.ce}")),
        editing ? h("button", { type: "button", on: { click: function () { editing = null; clearDraft(["piste-text", "piste-tags"]); render(true); } } }, t("Annuler")) : null));
  }

  function pistes(s) {
    return h("section", null,
      instructions(s.stage),
      pisteForm(s),
      s.mine.pistes.length ? h("section", { class: "card" },
        h("h2", null, t("Mes {piste.pl} ({n})", { n: s.mine.pistes.length })),
        h("ul", { class: "mine" }, s.mine.pistes.map(function (p) {
          var status = p.status === "hidden" ? t("masquée par l'animation") : p.status === "merged" ? t("{piste|fusionné|fusionnée} avec {piste.un} {piste|proche|proche}") : null;
          return h("li", null,
            h("span", { class: "tag", style: "--theme:" + themes[p.theme_id].color }, themes[p.theme_id].title),
            " ", h("span", { class: "horizon" }, p.horizon), " ", p.text,
            p.hashtags.length ? h("span", { class: "tags" }, " ", p.hashtags.map(function (x) { return "#" + x; }).join(" ")) : null,
            status ? h("em", null, " — ", status) : null,
            p.status === "visible" || p.status === "hidden" ? h("span", { class: "row" },
              h("button", { type: "button", class: "link", disabled: !allowed("piste_edit"), on: { click: function () {
                editing = p.id;
                setDraft("piste-text", p.text); setDraft("piste-theme", p.theme_id); setDraft("piste-horizon", p.horizon); setDraft("piste-tags", p.hashtags);
                render(true);
                document.getElementById("piste-form").scrollIntoView();
              } } }, t("Modifier")),
              h("button", { type: "button", class: "link", disabled: !allowed("piste_withdraw"), on: { click: function () {
                if (window.confirm(t("Retirer {piste.ce} ?"))) act("piste", "piste_withdraw", { piste_id: p.id });
              } } }, t("Retirer"))) : null);
        }))) : null);
  }

  function vote(s) {
    var dots = s.stage.settings.dots, used = s.mine.supports.length;
    var can = allowed("support_add");
    return h("section", null,
      instructions(s.stage),
      h("p", { class: "counter", role: "status" }, t("Il vous reste {n} gommette(s) sur {max}", { n: dots - used, max: dots })),
      notice("vote"),
      template.themes.map(function (th) {
        var list = s.board.filter(function (p) { return p.theme_id === th.id && p.text !== undefined; });
        return h("section", { class: "vote-theme" },
          h("h2", { class: "theme-title", style: "--theme:" + th.color }, th.title),
          list.length ? h("ul", { class: "cards" }, list.map(function (p) {
            var on = s.mine.supports.indexOf(p.id) !== -1;
            return h("li", { class: "card piste" + (on ? " is-chosen" : "") },
              h("p", null, p.text),
              h("p", { class: "meta" }, p.horizon, p.hashtags.length ? " · " + p.hashtags.map(function (x) { return "#" + x; }).join(" ") : ""),
              h("button", {
                type: "button", class: on ? "primary" : "", "aria-pressed": on ? "true" : "false",
                disabled: on ? !allowed("support_remove") : !can || used >= dots,
                on: { click: function () { act("vote", on ? "support_remove" : "support_add", { piste_id: p.id }); } }
              }, on ? t("● Ma gommette — retirer") : t("○ Placer une gommette")));
          })) : h("p", { class: "empty" }, t("{Piste|Aucun|Aucune} {piste.sg} sous {theme.ce}.")));
      }));
  }

  function convergence(s) {
    var supported = s.mine.engagement_supports || [];
    var can = allowed("engagement_support");
    // Until the snapshot of the new phase arrives, the board may still hold the vote's pistes.
    var engagements = s.board.filter(function (e) { return e.title !== undefined; });
    if (!engagements.length) {
      return h("section", { class: "card" }, instructions(s.stage),
        h("p", null, t("L'animation rassemble {piste.les} en {engagement.pl} : suivez à l'écran.")));
    }
    return h("section", null,
      instructions(s.stage),
      h("p", null, t("Soutenez {engagement.les} qui comptent pour votre habitant fictif.")),
      notice("engagement"),
      template.themes.map(function (th) {
        var list = engagements.filter(function (e) { return e.theme_id === th.id; });
        if (!list.length) return null;
        return h("section", { class: "vote-theme" },
          h("h2", { class: "theme-title", style: "--theme:" + th.color }, th.title),
          h("ul", { class: "cards" }, list.map(function (e) {
            var on = supported.indexOf(e.id) !== -1;
            return h("li", { class: "card piste engagement" + (on ? " is-chosen" : "") },
              h("h3", null, e.title),
              e.purpose ? h("p", null, e.purpose) : null,
              e.how.length ? h("ul", { class: "how" }, e.how.map(function (item) { return h("li", null, item); })) : null,
              h("button", {
                type: "button", class: on ? "primary" : "", "aria-pressed": on ? "true" : "false", disabled: !can,
                on: { click: function () { act("engagement", "engagement_support", { engagement_id: e.id, supported: !on }); } }
              }, on ? t("Je soutiens {engagement.ce} ✓") : t("Soutenir {engagement.ce}")));
          })));
      }));
  }

  function cloture(s) {
    var m = s.mine;
    // Only what this format asked for: no "paradoxes" line where there was no paradoxes phase.
    var had = {};
    (s.stage.phases || []).forEach(function (p) { had[p.kind] = true; });
    var lines = [
      had.paradoxes && t("{Paradox.pl} {paradox|marqués|marquées} : {n}", { n: m.paradoxes.length }),
      had.valeurs && t("{Value.pl} {value|soutenus|soutenues} : {n}", { n: Object.keys(m.values).length }),
      had.reves && t("{Reve.pl} {reve|partagés|partagées} : {n}", { n: m.reves.length }),
      had.pistes && t("{Piste.pl} {piste|proposés|proposées} : {n}", { n: m.pistes.length }),
      had.vote && t("Gommettes placées : {n}", { n: m.supports.length }),
      had.convergence && t("{Engagement.pl} {engagement|soutenus|soutenues} : {n}", { n: (m.engagement_supports || []).length })
    ].filter(Boolean);
    return h("section", { class: "card" },
      h("h2", null, t("Merci pour votre participation !")),
      instructions(s.stage),
      lines.length ? h("ul", null, lines.map(function (line) { return h("li", null, line); })) : null);
  }

  var BODIES = { accueil: welcome, personas: welcome, paradoxes: paradoxes, valeurs: valeurs, reves: reves,
    pistes: pistes, vote: vote, convergence: convergence, cloture: cloture };

  /* --- rendering ------------------------------------------------------------------------------ */

  function render(force) {
    var s = state();
    var focused = document.activeElement && document.activeElement.id;
    var selection = focused && document.activeElement.selectionStart !== undefined
      ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
    // Re-draw the phase body only when something it shows changed: a stage event for another
    // phone's benefit must not disturb someone typing.
    var bodyKey = JSON.stringify([s.stage.index, s.stage.locked, s.stage.allowed, s.stage.settings, s.mine, s.board, s.me.persona && s.me.persona.id, editing]);
    var fresh = h("div", { class: "phone-app" }, header(s), h("div", { id: "phase-body" }));
    var oldBody = document.getElementById("phase-body");
    if (!force && oldBody && bodyKey === lastBodyKey) {
      fresh.replaceChild(oldBody, fresh.querySelector("#phase-body"));
    } else {
      var body = fresh.querySelector("#phase-body");
      var parts = (BODIES[s.stage.kind] || convergence)(s);
      (Array.isArray(parts) ? parts : [parts]).forEach(function (p) { if (p) body.appendChild(p); });
    }
    lastBodyKey = bodyKey;
    app.replaceChildren(fresh);
    tickTimer();
    renderNotices();
    if (focused) {
      var el = document.getElementById(focused);
      if (el) {
        el.focus({ preventScroll: true });
        if (selection && el.setSelectionRange) { try { el.setSelectionRange(selection[0], selection[1]); } catch (e) { /* not a text field */ } }
      }
    }
  }

  live = F.connect({
    state: boot.state,
    resyncOnPhase: true,
    onState: function (s, why) {
      // A new phase starts with a clean slate; a resync within the same phase keeps the
      // "Enregistré ✓" a person has just been shown.
      if (s.stage.index !== shownPhase) notices = {};
      shownPhase = s.stage.index;
      render(why === "sync" || why === "me");
    },
    onConnection: function (ok, message) {
      online = ok;
      if (!ok && message) notices.connection = { kind: "error", text: message };
      var el = document.getElementById("connection");
      if (el) {
        el.textContent = ok ? t("Connecté") : t("Hors ligne");
        el.className = "connection " + (ok ? "is-online" : "is-offline");
      }
      renderNotices();
    },
    onConnect: function () { outbox.flush(); }
  });

  outbox = F.Outbox(key + ":outbox", live, applyAnswer);
  // An action whose answer was lost on a live connection is offered again now and then.
  setInterval(function () { if (online) outbox.flush(); }, 5000);
  setInterval(tickTimer, 250);
  render(true);
})();
