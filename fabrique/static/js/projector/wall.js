/* The wall: rêves, pistes with the coverage meter, and the dot vote's top pistes, one column per theme. */
import { LANG, LONG_TITLES, MAX_CARDS, MAX_REVES, paged, avatar, bar, column, columns, count, h, hidden, horizonLabel, personas, personasById, plural, t, template, tw } from "./core.js";

function renderReves(state) {
  var prompt = template.vocabulary && template.vocabulary.reve_prompt;
  var cols = columns(state).map(function (c) {
    var reves = paged(c.theme.id, c.data.reves || []).slice(0, MAX_REVES);
    var total = (c.data.reves || []).length;
    return column(c.theme, reves.map(function (r) {
      var persona = personasById[r.persona_id];
      return h("li", { class: "card reve-card" },
        persona ? avatar("reve-" + r.id, persona, persona.label || persona.name, "avatar card-avatar") : null,
        h("blockquote", { class: "card-text", dir: "auto", text: r.text }));
    }), { empty: tw("{Reve|Aucun|Aucune} {reve.sg} pour l'instant"), hidden: total - reves.length, subtitle: true });
  });
  return h("div", { class: "view view-columns" + LONG_TITLES + " view-reves" },
    prompt ? h("p", { class: "prompt", lang: LANG, text: "« " + prompt + " »" }) : null,
    h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
}

/* One column of the wall: header in the theme colour, a list fitted to the height, "+N autres".
   options: empty (text when no card), hidden (cards already left out), ordered (ol), cls, listCls,
   head (more header content), subtitle (show the theme's subtitle), heading (h2 by default). */
function pisteCard(piste, withSupports) {
  var tags = (piste.hashtags || []).map(function (tag) { return "#" + tag; }).join(" ");
  var supports = count(piste.supports);
  return h("li", { class: "card piste-card" },
    h("p", { class: "card-text", dir: "auto", text: piste.text }),
    h("p", { class: "card-meta" },
      piste.horizon ? h("span", { class: "horizon", lang: LANG, text: horizonLabel(piste.horizon) }) : null,
      tags ? h("span", { class: "tags", lang: LANG, text: tags }) : null,
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
          " ", plural(n, tw("{piste.sg}"), tw("{piste.pl}"))),
        h("p", { class: "coverage-people", text: personas.length
          ? t("{n} / {total} habitants", { n: people, total: personas.length })
          : plural(people, t("{n} habitant", { n: people }), t("{n} habitants", { n: people })) })),
      bar(count(cov.share), 1, t("{theme} : {n} {piste.pl}, {p} habitants fictifs", { theme: c.theme.title, n: n, p: people }), "coverage-bar"),
      cov.thin ? h("p", { class: "thin-badge", text: t("À enrichir") }) : null);
    var shown = paged(c.theme.id, pistes).slice(0, MAX_CARDS);
    return column(c.theme, shown.map(function (p) { return pisteCard(p, false); }), {
      empty: tw("{Piste|Aucun|Aucune} {piste.sg} pour l'instant"), hidden: pistes.length - shown.length, cls: cov.thin ? "is-thin" : "", head: head });
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
    return column(c.theme, topCards(c), { empty: tw("{Piste|Aucun|Aucune} {piste.sg} pour l'instant"), ordered: true, cls: "col-top", heading: heading });
  });
}

function renderVote(state) {
  var cols = topColumns(state);
  return h("div", { class: "view view-columns" + LONG_TITLES + " view-vote" },
    h("div", { class: "columns", style: "--cols:" + Math.max(1, cols.length) }, cols));
}

/* One engagement as the room reads it: its title, « Pour … », the « Comment ? », then what
   stands behind it (pistes and their gommettes) and its supporters on the phones. */

export { renderReves, pisteCard, renderPistes, topCards, topColumns, renderVote };
