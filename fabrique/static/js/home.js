/* The creation form is the chosen template's: its formats (starting from its default), its summary
   and source, its settings; only the fields the chosen format uses, and only the chosen method's
   number. Hidden fields are disabled, so that the template's own defaults apply to them. */
(function () {
  "use strict";
  rememberedAteliers();
  var template = document.getElementById("template");
  var format = document.getElementById("format");
  if (!template || !format) return;
  function show(element, visible) {
    element.hidden = !visible;
    Array.prototype.forEach.call(element.querySelectorAll("input, select"), function (field) {
      field.disabled = !visible || field.closest("[hidden]") !== null;
    });
  }
  function update() {
    var phases = (format.selectedOptions[0] && format.selectedOptions[0].dataset.phases || "").split(" ");
    document.querySelectorAll(".template-about").forEach(function (about) {
      about.hidden = about.dataset.template !== template.value;
    });
    document.querySelectorAll(".template-settings").forEach(function (set) {
      var mine = set.dataset.template === template.value;
      set.hidden = !mine;
      set.querySelectorAll("[data-phase]").forEach(function (part) { part.hidden = phases.indexOf(part.dataset.phase) < 0; });
      var method = set.querySelector("[data-method]");
      set.querySelectorAll("[data-method-field]").forEach(function (field) {
        field.hidden = !method || field.dataset.methodField !== method.value;
      });
      show(set, mine);
    });
  }
  function chooseTemplate() {
    var first = null, preferred = null;
    Array.prototype.forEach.call(format.options, function (option) {
      var mine = option.dataset.template === template.value;
      option.hidden = !mine;
      option.disabled = !mine;
      if (mine && !first) first = option;
      if (mine && option.hasAttribute("data-default")) preferred = option;
    });
    (preferred || first).selected = true;
    update();
  }
  template.addEventListener("change", chooseTemplate);
  format.addEventListener("change", update);
  document.querySelectorAll("[data-method]").forEach(function (method) { method.addEventListener("change", update); });
  chooseTemplate();

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
