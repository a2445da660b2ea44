/* The synthesis downloads: a PDF takes seconds to lay out, so each link says « Préparation… » while
   the file is built, then hands it over as a download (the link stays usable if scripts fail). */
import { h, t } from "./core.js";

var FILES = [
  { fmt: "pdf", label: "PDF" },
  { fmt: "docx", label: "Word (DOCX)" },
  { fmt: "xlsx", label: t("Tableur (XLSX)") }
];

/* The file name the server gives (its UTF-8 form when there is one). */
function fileName(disposition, fallback) {
  var utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition || "");
  if (utf8) { try { return decodeURIComponent(utf8[1]); } catch (e) { /* the plain one */ } }
  var plain = /filename="([^"]+)"/i.exec(disposition || "");
  return plain ? plain[1] : fallback;
}

function save(blob, name) {
  var url = URL.createObjectURL(blob);
  var a = h("a", { href: url, download: name, hidden: "" });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
}

/* Build the download links of the synthesis at `base` (its review URL), with one status line. */
function exportLinks(base) {
  var status = h("p", { class: "fc-export-status", role: "status", "aria-live": "polite" });
  var busy = false;
  var links = FILES.map(function (f) {
    var note = h("span", { class: "fc-export-note" });
    var a = h("a", { href: base + "." + f.fmt, class: "fc-export", "data-key": "export-" + f.fmt, download: "" }, f.label, note);
    a.addEventListener("click", function (ev) {
      if (!window.fetch || !window.URL || !URL.createObjectURL) return;  // a plain download
      ev.preventDefault();
      if (busy) return;
      busy = true;
      a.setAttribute("aria-busy", "true");
      a.classList.add("is-busy");
      note.textContent = " " + t("Préparation…");
      status.textContent = t("Préparation du fichier {label}…", { label: f.label });
      fetch(a.href, { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) throw new Error(String(res.status));
        var name = fileName(res.headers.get("Content-Disposition"), "synthese." + f.fmt);
        return res.blob().then(function (blob) { save(blob, name); return name; });
      }).then(function (name) {
        status.textContent = t("Fichier prêt : {name}", { name: name });
      }, function () {
        status.textContent = t("Le fichier {label} n'a pas pu être préparé : réessayez.", { label: f.label });
      }).then(function () {
        busy = false;
        a.removeAttribute("aria-busy");
        a.classList.remove("is-busy");
        note.textContent = "";
      });
    });
    return h("li", null, a);
  });
  return h("div", { class: "fc-exports" },
    h("p", { class: "fc-exports-title" }, t("Télécharger la synthèse :")),
    h("ul", { class: "fc-export-list" }, links),
    status);
}

export { exportLinks };
