// The synthesis page's downloads: while a file is being made (seconds for a PDF), say so and show
// progress, then hand the file over. Without this module the links download as plain links.

const bar = document.querySelector("nav.downloads");
const status = document.getElementById("download-status");

function say(text, busy) {
  status.hidden = false;
  status.querySelector("span").textContent = text;
  status.querySelector("progress").hidden = !busy;
}

function fileName(response, fallback) {
  const header = response.headers.get("Content-Disposition") || "";
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain ? plain[1] : fallback;
}

async function download(link) {
  const label = link.textContent.trim();
  bar.setAttribute("aria-busy", "true");
  link.setAttribute("aria-disabled", "true");
  say(`Préparation du fichier ${label}…`, true);
  try {
    const response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) {
      say((await response.text()).slice(0, 300) || `Le fichier ${label} n'a pas pu être produit.`, false);
      return;
    }
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const save = document.createElement("a");
    save.href = url;
    save.download = fileName(response, "synthese");
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    say(`Fichier ${label} prêt : ${save.download}`, false);
  } catch (error) {
    say(`Le téléchargement du fichier ${label} a échoué (connexion ?). Réessayez.`, false);
  } finally {
    bar.removeAttribute("aria-busy");
    link.removeAttribute("aria-disabled");
  }
}

if (bar && status) {
  bar.addEventListener("click", (event) => {
    const link = event.target.closest("a[download]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") !== "true") download(link);
  });
}
