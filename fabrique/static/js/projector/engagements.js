/* Convergence: the engagements forming under each theme. */
import { LONG_TITLES, column, columns, count, h, hidden, plural, t } from "./core.js";
import { topCards } from "./wall.js";

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

export { engagementCard, renderConvergence };

/* Clôture: thanks, then what the room did together (participants, pistes, dots, engagements), and
   the engagements under each theme, titles only, so that the whole list is read at once. */
function renderCloture(state) {
  var engagements = state.engagements || [];
  var people = count(state.participation && state.participation.total);
  var pistes = 0, dots = 0;
  (state.themes || []).forEach(function (th) {
    pistes += count(th.coverage && th.coverage.pistes);
    (th.pistes || []).forEach(function (p) { dots += count(p.supports); });
  });
  var figures = [
    [people, plural(people, t("participant"), t("participants"))],
    [pistes, plural(pistes, t("{piste.sg}"), t("{piste.pl}"))],
    [dots, plural(dots, t("gommette placée"), t("gommettes placées"))],
    [engagements.length, plural(engagements.length, t("{engagement.sg}"), t("{engagement.pl}"))]
  ];
  var byTheme = {};
  engagements.forEach(function (e) { (byTheme[e.theme_id] = byTheme[e.theme_id] || []).push(e); });
  var cols = columns(state).filter(function (c) { return (byTheme[c.theme.id] || []).length; }).map(function (c) {
    return column(c.theme, byTheme[c.theme.id].map(function (e) {
      return h("li", { class: "card cloture-eng" }, h("p", { class: "card-text", dir: "auto", text: e.title }));
    }), { ordered: true, heading: "h3" });
  });
  var after = afterBlock(state.after);
  return h("div", { class: "view view-cloture" },
    h("h2", { class: "thanks", text: t("Merci à toutes et à tous !") }),
    h("ul", { class: "figures" }, figures.map(function (f) {
      return h("li", { class: "figure" }, h("strong", { class: "figure-n", text: String(f[0]) }), h("span", { class: "figure-label", text: f[1] }));
    })),
    // « Et après » takes the engagements' place: both do not fit at a size read from 15 m, and the
    // engagements were on screen all through the convergence (their number stays in the figures).
    after || (cols.length ? h("div", { class: "columns", style: "--cols:" + cols.length }, cols) : null));
}

/* « Et après » : what happens next, as the facilitator wrote it (nothing when it is empty). */
function afterBlock(text) {
  var paragraphs = String(text || "").split("\n").filter(function (p) { return p.trim(); });
  if (!paragraphs.length) return null;
  return h("section", { class: "after", "aria-labelledby": "after-title" },
    h("h3", { id: "after-title", class: "after-title", text: t("Et après…") }),
    paragraphs.map(function (p) { return h("p", { class: "after-text", dir: "auto", text: p }); }));
}

export { renderCloture };
