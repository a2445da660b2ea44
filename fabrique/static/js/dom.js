/* Shared by the three live screens: build elements, and patch a live tree to look like a freshly
   built one without replacing what is already there.

   A screen redraws by building its whole view with h() and handing it to patch(): elements that
   are still wanted are kept (matched by data-key, by id, or else by tag and position), only what
   differs is changed. So focus, scroll position, text being typed, an open <details> and the
   screen reader's place survive every event. Handlers live on the element (el._on) behind one
   dispatcher, so a kept element runs the handler of the latest drawing, never a stale closure. */

var PAGE_LANG = (document.documentElement.lang || "fr").slice(0, 2);

/* French typography (as fabrique/typography.py): a narrow no-break space before ? ! ;, a no-break
   space before : and inside « », so that a lone « ? » never wraps to its own line. */
export function typo(text) {
  return String(text)
    .replace(/[ \u00a0]+([?!;])/g, "\u202f$1")
    .replace(/[ \u202f]+:(?=\s|$)/g, "\u00a0:")
    .replace(/«[ \u202f]*/g, "«\u00a0")
    .replace(/[ \u202f]*»/g, "\u00a0»");
}

/* Typography follows the language of the text, not the page's: a template's French text keeps its
   French spaces on an English page, and an English one gets none on a French page. */
function typoIn(lang, text) { return /^fr/.test(lang) ? typo(text) : String(text); }

/* The language of the text appended to el: its own lang attribute (set by h() before its children
   are appended), else the page's. */
function langOf(el) { return (el.getAttribute && el.getAttribute("lang")) || PAGE_LANG; }

/* Give the text nodes of el built before it had a language (its nested children) the typography of
   that language, unless a nearer element says another one. */
function retypo(el, lang) {
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node._raw === undefined) continue;
    var holder = node.parentNode;
    while (holder !== el && !holder.hasAttribute("lang")) holder = holder.parentNode;
    if (holder === el && holder.nodeName !== "TEXTAREA") node.nodeValue = typoIn(lang, node._raw);
  }
}

function dispatch(ev) {
  var fn = this._on && this._on[ev.type];
  if (fn) return fn.call(this, ev);
}

/* Build an element. Text always goes through textContent, so nothing typed by anyone can become
   markup. attrs: {class, text, on: {click: fn}, lang, …any attribute}; children may be nested arrays.
   lang is the language of the element's text (a template's): written only when it is not the
   page's, so a page in the template's language carries no lang attribute inside. */
export function h(tag, attrs) {
  var el = document.createElement(tag);
  attrs = attrs || {};
  var lang = attrs.lang && attrs.lang !== PAGE_LANG ? attrs.lang : null;
  if (lang) el.setAttribute("lang", lang);
  Object.keys(attrs).forEach(function (key) {
    var value = attrs[key];
    if (value === null || value === undefined || value === false || key === "lang") return;
    if (key === "text") el.textContent = typoIn(langOf(el), value);
    else if (key === "class") el.className = value;
    else if (key === "on") {
      el._on = value;
      Object.keys(value).forEach(function (ev) { el.addEventListener(ev, dispatch); });
    } else el.setAttribute(key, value === true ? "" : value);
  });
  for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
  if (lang) retypo(el, lang);
  return el;
}

/* Give an element kept across redraws (its text set directly) the language of its text. */
export function setLang(el, lang) {
  if (lang && lang !== PAGE_LANG) { if (el.getAttribute("lang") !== lang) el.setAttribute("lang", lang); }
  else if (el.hasAttribute("lang")) el.removeAttribute("lang");
}

/* A translated sentence with `node` (text in another language, say) in place of its {name}. */
export function around(sentence, name, node) {
  var at = sentence.indexOf("{" + name + "}");
  return at === -1 ? [sentence] : [sentence.slice(0, at), node, sentence.slice(at + name.length + 2)];
}

/* A translated sentence as text and nodes, its {name} placeholders filled from `values`: each method
   word the template's vocabulary puts in (« piste de projet », vocabulary.js) carries the template's
   language `lang` when the page is in another one. */
export function withWords(sentence, vocabulary, lang, values) {
  var words = /\{([A-Za-z_]+)(?:\.([a-z]+)|((?:\|[^|}]*)+))\}/g, out = [], last = 0, match;
  function plain(text) {
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(String(values[k])); });
    return text;
  }
  if (!lang || lang === PAGE_LANG) return plain(window.FabriqueVocabulary.fill(sentence, vocabulary));
  while ((match = words.exec(sentence))) {
    var word = window.FabriqueVocabulary.fill(match[0], vocabulary);
    if (word === match[0]) continue;   // not a method word: one of the values
    out.push(plain(sentence.slice(last, match.index)), inLang(lang, word));
    last = words.lastIndex;
  }
  out.push(plain(sentence.slice(last)));
  return out.filter(function (part) { return part !== ""; });
}

/* Text in `lang` (a template's) among text in the page's language: a span carrying lang when the
   two differ, else the text itself. */
export function inLang(lang, text) {
  return lang && lang !== PAGE_LANG ? h("span", { lang: lang }, text) : text;
}

export function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
  if (typeof child === "object") { el.appendChild(child); return; }
  // What is typed into a field stays as typed; what is shown gets the typography of its language.
  var node = document.createTextNode(el.nodeName === "TEXTAREA" ? String(child) : typoIn(langOf(el), child));
  node._raw = String(child);
  el.appendChild(node);
}

function keyOf(node) {
  if (node.nodeType !== 1) return null;
  return node.getAttribute("data-key") || node.id || null;
}

function sameKind(a, b) {
  return a.nodeType === b.nodeType && a.nodeName === b.nodeName;
}

function patchAttributes(old, fresh) {
  var i, name;
  for (i = old.attributes.length - 1; i >= 0; i--) {
    name = old.attributes[i].name;
    // An open <details> is the reader's choice: a redraw opens one, never folds it.
    if (name === "open" && old.nodeName === "DETAILS") continue;
    if (!fresh.hasAttribute(name)) old.removeAttribute(name);
  }
  for (i = 0; i < fresh.attributes.length; i++) {
    name = fresh.attributes[i].name;
    var value = fresh.attributes[i].value;
    if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  }
  var tag = old.nodeName;
  if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") {
    if (old.type === "checkbox" || old.type === "radio") {
      var checked = fresh.hasAttribute("checked");
      if (old.checked !== checked) old.checked = checked;
    } else if (old !== document.activeElement) {
      // The field being typed in keeps its text; the others show what the drawing holds.
      var wanted = tag === "TEXTAREA" ? fresh.textContent : (tag === "SELECT" ? fresh.value : (fresh.getAttribute("value") || ""));
      if (old.value !== wanted) old.value = wanted;
    }
  }
  var handlers = fresh._on;
  if (handlers || old._on) {
    old._on = handlers || null;
    if (handlers) Object.keys(handlers).forEach(function (ev) { old.addEventListener(ev, dispatch); });
  }
}

function patchNode(old, fresh) {
  if (old.nodeType === 3) {
    if (old.nodeValue !== fresh.nodeValue) old.nodeValue = fresh.nodeValue;
    return;
  }
  patchAttributes(old, fresh);
  if (old.nodeName === "TEXTAREA") return;   // its text is its value, handled above
  if (fresh.hasAttribute("data-own")) return; // its children are drawn by a patch of their own
  patchChildren(old, Array.prototype.slice.call(fresh.childNodes));
}

/* Make parent's children look like `wanted` (freshly built nodes), keeping the ones that match. */
export function patchChildren(parent, wanted) {
  var old = Array.prototype.slice.call(parent.childNodes);
  var keyed = {};
  old.forEach(function (node) { var k = keyOf(node); if (k) keyed[k] = node; });
  var used = new Set();
  var cursor = 0;
  wanted.forEach(function (fresh, index) {
    var k = keyOf(fresh), match = null;
    if (k && keyed[k] && sameKind(keyed[k], fresh) && !used.has(keyed[k])) match = keyed[k];
    else if (!k) {
      while (cursor < old.length && (used.has(old[cursor]) || keyOf(old[cursor]))) cursor++;
      if (cursor < old.length && sameKind(old[cursor], fresh)) match = old[cursor];
    }
    var node;
    if (match) {
      used.add(match);
      patchNode(match, fresh);
      node = match;
    } else {
      node = fresh;
    }
    if (parent.childNodes[index] !== node) parent.insertBefore(node, parent.childNodes[index] || null);
  });
  old.forEach(function (node) { if (!used.has(node) && node.parentNode === parent) parent.removeChild(node); });
}

/* Patch `el` so that its children are `children` (anything h() accepts as children). */
export function patch(el, children) {
  var box = document.createElement(el.nodeName);
  append(box, children);
  patchChildren(el, Array.prototype.slice.call(box.childNodes));
}

var rules = null;
/* Pick the singular or plural text for n by the page language's rules (French: 0 and 1 are
   singular; English: only 1). Both texts go through t() at the caller, so they are translated. */
export function plural(n, one, many) {
  if (!rules) {
    try { rules = new Intl.PluralRules(document.documentElement.lang || "fr"); } catch (e) { rules = { select: function (x) { return x <= 1 ? "one" : "other"; } }; }
  }
  return rules.select(n) === "one" ? one : many;
}
