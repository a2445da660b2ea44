/* The creation form: offer only the formats of the chosen template, starting from its default. */
(function () {
  "use strict";
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
})();
