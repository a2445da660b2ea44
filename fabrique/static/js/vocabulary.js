/* The template's method words, in the forms French needs (built by fabrique/vocabulary.py).
   vocabulary = template.vocabulary: { theme: {sg, pl, le, les, un, ce, ces, de, des, du, au, aux,
   gender, elision}, piste: {…}, engagement, value, paradox, reve, review_body, reve_prompt }.
   W.form(vocabulary, "piste", "ce") → "cette piste d'action"; W.agree(word, "Aucun", "Aucune");
   W.fill("Aucun·e {piste.sg} sous {theme.ce}", vocabulary) replaces every {word.form}. */
(function (root) {
  "use strict";
  function cap(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }
  function form(vocabulary, word, key) {
    var w = vocabulary && vocabulary[word];
    return w ? (w[key || "sg"] || "") : "";
  }
  function agree(word, masculine, feminine, elided) {
    if (word && word.gender === "f") return feminine;
    return elided && word && word.elision ? elided : masculine;
  }
  // "{piste.ce}" → form; "{Piste.ce}" → capitalised form; "{piste|Aucun|Aucune}" → agreement;
  // a bare "{theme}" is left for the message's own values.
  function fill(text, vocabulary) {
    return String(text).replace(/\{([A-Za-z_]+)(?:\.([a-z]+)|((?:\|[^|}]*)+))\}/g, function (all, name, key, choices) {
      var word = name.toLowerCase();
      if (!vocabulary || !vocabulary[word]) return all;
      var out = choices ? agree.apply(null, [vocabulary[word]].concat(choices.slice(1).split("|"))) : form(vocabulary, word, key);
      return name.charAt(0) === name.charAt(0).toUpperCase() ? cap(out) : out;
    });
  }
  root.FabriqueVocabulary = { cap: cap, form: form, agree: agree, fill: fill };
})(typeof window !== "undefined" ? window : this);
