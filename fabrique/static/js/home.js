/* The creation form: offer only the formats of the chosen template, starting from its default. */
(function () {
  "use strict";
  rememberedAteliers();
  var template = document.getElementById("template");
  var format = document.getElementById("format");
  if (!template || !format) return;
  function filter() {
    var first = null, preferred = null;
    Array.prototype.forEach.call(format.options, function (option) {
      var mine = option.dataset.template === template.value;
      option.hidden = !mine;
      option.disabled = !mine;
      if (mine && !first) first = option;
      if (mine && option.hasAttribute("data-default")) preferred = option;
    });
    (preferred || first).selected = true;
  }
  template.addEventListener("change", filter);
  filter();

  /* The ateliers whose console was opened in this browser (kept in localStorage by the console). */
  function rememberedAteliers() {
    var list = [];
    try { list = JSON.parse(localStorage.getItem("fabrique-ateliers") || "[]"); } catch (e) { return; }
    var main = document.getElementById("main");
    if (!list.length || !main) return;
    var box = document.createElement("section");
    box.className = "panel narrow remembered";
    box.setAttribute("aria-labelledby", "remembered-title");
    var title = document.createElement("h2");
    title.id = "remembered-title";
    title.textContent = box.dataset.title = document.documentElement.lang === "en" ? "Your workshops (in this browser)" : "Vos ateliers (dans ce navigateur)";
    var ul = document.createElement("ul");
    list.forEach(function (a) {
      if (typeof a.url !== "string" || a.url.indexOf("/facilitate/") !== 0) return;
      var li = document.createElement("li"), link = document.createElement("a");
      link.href = a.url;
      link.textContent = String(a.name || a.code || a.url);
      li.appendChild(link);
      if (a.at) li.appendChild(document.createTextNode(" — " + new Date(a.at).toLocaleString(document.documentElement.lang || "fr", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" })));
      ul.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(ul);
    main.insertBefore(box, main.firstChild);
  }
})();
