// The editor's "Import…" dialog: choose an annotation file, see its tiers (type, constraint, parent, annotation
// count, whether the project has a tier of that name already), tick the ones to take, choose what happens on a
// name clash, import. The server does everything in one transaction; its messages are shown in the dialog.
//
// data-testid hooks: import-button, import-dialog, import-file, import-formats (the extensions it takes, from
// formats.js), import-preview-row (data-tier-name; class
// is-clash), import-clash-select, import-submit, import-error.
import { gettext, format } from "./i18n.js";
import { sendForm } from "./api.js";
import { loadFormats, offerReadable } from "./formats.js";

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text ?? "—";
  row.appendChild(td);
  return td;
}

/** Wire the dialog; `beforeImport()` sends the editor's pending edits first, `onImported(message)` runs after a
 * successful import (the editor reloads the document). */
export function initImportDialog({ root, config, beforeImport, onImported }) {
  const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
  const button = $("import-button");
  const dialog = $("import-dialog");
  if (!button || !dialog) return;
  const fileInput = $("import-file");
  const preview = dialog.querySelector(".import-preview");
  const body = dialog.querySelector(".import-preview tbody");
  const submit = $("import-submit");
  const error = $("import-error");
  const base = `${config.apiBase}projects/${config.projectId}`;
  loadFormats(`${config.apiBase}formats`)
    .then((formats) => offerReadable(fileInput, $("import-formats"), formats))
    .catch((err) => { error.textContent = err.message; });

  function reset() {
    fileInput.value = "";
    body.replaceChildren();
    preview.hidden = true;
    submit.disabled = true;
    error.textContent = "";
  }

  function render(result) {
    body.replaceChildren();
    const clashes = new Set(result.clashes);
    for (const tier of result.tiers) {
      const row = document.createElement("tr");
      row.dataset.testid = "import-preview-row";
      row.dataset.tierName = tier.name;
      const pick = document.createElement("input");
      pick.type = "checkbox";
      pick.checked = true;
      pick.value = tier.name;
      pick.setAttribute("aria-label", format(gettext("Import tier %(name)s"), { name: tier.name }));
      cell(row, "").appendChild(pick);
      const name = cell(row, tier.name);
      if (clashes.has(tier.name)) {
        row.classList.add("is-clash");
        const mark = document.createElement("span");
        mark.className = "import-clash";
        mark.textContent = " " + gettext("(the project has a tier of this name)");
        name.appendChild(mark);
      }
      cell(row, tier.type);
      cell(row, tier.constraint);
      cell(row, tier.parent);
      cell(row, String(tier.annotations));
      body.appendChild(row);
    }
    preview.hidden = false;
    submit.disabled = result.tiers.length === 0;
  }

  async function showPreview() {
    error.textContent = "";
    preview.hidden = true;
    submit.disabled = true;
    const file = fileInput.files[0];
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    try {
      render(await sendForm(`${base}/import/preview`, form));
    } catch (err) {
      error.textContent = err.message;
    }
  }

  async function runImport() {
    const chosen = [...body.querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
    if (!chosen.length) {
      error.textContent = gettext("Tick at least one tier to import.");
      return;
    }
    const form = new FormData();
    form.append("file", fileInput.files[0]);
    for (const name of chosen) form.append("tiers", name);
    form.append("on_clash", $("import-clash-select").value);
    submit.disabled = true;
    error.textContent = "";
    try {
      if (beforeImport) await beforeImport();
      const result = await sendForm(`${base}/import`, form);
      dialog.close();
      const message = result.imported.length
        ? format(gettext("Imported %(count)s tiers: %(names)s."), { count: result.imported.length, names: result.imported.join(", ") })
        : gettext("Nothing was imported: every chosen tier was skipped.");
      await onImported(message);
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
    }
  }

  button.addEventListener("click", () => { reset(); dialog.showModal(); });
  fileInput.addEventListener("change", showPreview);
  submit.addEventListener("click", runImport);
}
