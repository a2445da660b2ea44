/* The projector's shared part: the template's lookups, images kept from one drawing to the next,
   bars, and the themed columns of the wall. */
import { h, inLang, plural, withWords } from "../dom.js";

var F = window.Fabrique;
var boot = F.boot;
var template = boot.template || {};
/* Translate, with the method words of the template's vocabulary ("{piste.ce}" → "cette piste d'action"). */
var t = function (text, values) { return F.t(window.FabriqueVocabulary.fill(F.t(text), template.vocabulary), values); };
// Real frameworks have titles like "Cadre de vie et renouvellement urbain": smaller type on more
// lines for them, so that no word is cut (screen.css, .titles-long).
var LONG_TITLES = (template.themes || []).some(function (th) { return th.title.length > 24; }) ? " titles-long" : "";
/* The template's texts are in its language: elements holding them carry `lang: LANG` (dom.js writes
   it only when the page is in another language); fromTemplate() marks one among interface text. */
var LANG = template.language || "fr";
function fromTemplate(text) { return inLang(LANG, text); }
/* t() for text shown in an element: the method words it puts in carry the template's language. */
function tw(text, values) { return withWords(F.t(text), template.vocabulary, LANG, values); }
var valuesById = F.byId(template.values);
var paradoxesById = F.byId(template.paradoxes);
var horizonsById = F.byId(template.horizons);
var personas = template.personas || [];
var personasById = F.byId(personas);

var JOIN_KINDS = { accueil: true, personas: true };
var MAX_CARDS = 12;          // never build more cards than this per column (then fit to the height)
var MAX_REVES = 6;
var MAX_WORDS = 60;

var ui = { current: boot.state, live: null };  // shared by every view
/* ---- small helpers ----------------------------------------------------------------------- */

/* A theme or persona colour, only when it is a plain hex colour (it goes into a style). */
function safeColor(value, fallback) {
  return typeof value === "string" && /^#[0-9a-fA-F]{3,8}$/.test(value) ? value : fallback;
}

function count(n) { return typeof n === "number" && isFinite(n) ? n : 0; }


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

/* Start a drawing: images not used by it are forgotten at its end. */
function beginImages() { imagesUsed = {}; }
function endImages() { Object.keys(images).forEach(function (key) { if (!imagesUsed[key]) delete images[key]; }); }

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

/* Paging of the columns: each theme's list starts at its page offset; after fitting, the number
   of cards shown is noted, and nextPage() moves every column that had more to its next cards. */
var pageStart = {};
var pageShown = {};

function paged(themeId, list) {
  var start = list.length ? (pageStart[themeId] || 0) % list.length : 0;
  return start ? list.slice(start).concat(list.slice(0, start)) : list;
}

function notePages(root) {
  pageShown = {};
  Array.prototype.forEach.call(root.querySelectorAll(".col[data-theme]"), function (col) {
    var list = col.querySelector(".cards"), more = col.querySelector(".more");
    var hiddenCount = more ? Number(more.getAttribute("data-hidden")) || 0 : 0;
    if (list && hiddenCount > 0) pageShown[col.getAttribute("data-theme")] = list.querySelectorAll(":scope > .card").length;
  });
}

function nextPage() {
  var moved = false;
  Object.keys(pageShown).forEach(function (id) {
    if (pageShown[id] > 0) { pageStart[id] = (pageStart[id] || 0) + pageShown[id]; moved = true; }
  });
  return moved;
}

function empty(text) { return h("p", { class: "empty" }, text); }

function themeStyle(theme) { return "--theme:" + safeColor(theme && theme.color, "#3b5b92"); }

/* The columns of the Vivre, in the template's order, with their ui.live data. */
function columns(state) {
  var data = F.byId(state.themes);
  return (template.themes || []).map(function (theme) {
    return { theme: theme, data: data[theme.id] || { pistes: [], top: [], reves: [], coverage: {} } };
  });
}

function columnHead(theme, options) {
  return h("header", { class: "col-head" },
    h(options.heading || "h2", { class: "col-title", lang: LANG, text: theme.title }),
    options.subtitle && theme.subtitle ? h("p", { class: "col-subtitle", lang: LANG, text: theme.subtitle }) : null,
    options.head || null);
}

function column(theme, cards, options) {
  var list = cards.length ? h(options.ordered ? "ol" : "ul", { class: "cards" + (options.listCls ? " " + options.listCls : "") }, cards) : null;
  var more = h("p", { class: "more" });
  setMore(more, options.hidden || 0);
  return h("section", { class: "col " + (options.cls || ""), style: themeStyle(theme), "aria-label": theme.title, "data-theme": theme.id },
    columnHead(theme, options),
    list || empty(options.empty),
    more);
}

function setMore(more, n) {
  more.setAttribute("data-hidden", String(n));
  more.hidden = n <= 0;
  more.textContent = plural(n, t("+1 autre"), t("+{n} autres", { n: n }));
}

/* The short form of an horizon ("2024 — court terme" → "2024"). */
function horizonLabel(id) {
  var horizon = horizonsById[id];
  var label = horizon ? String(horizon.label || id) : String(id);
  return label.split(/\s+[—–-]\s+/)[0] || label;
}

export { LANG, fromTemplate, tw, LONG_TITLES, empty, h, plural, paged, notePages, nextPage, beginImages, endImages, F, t, boot, template, valuesById, paradoxesById, horizonsById, personas, personasById, JOIN_KINDS, MAX_CARDS, MAX_REVES, MAX_WORDS, ui, safeColor, count, breakable, hidden, image, qrImage, avatar, bar, themeStyle, columns, columnHead, column, setMore, horizonLabel };
