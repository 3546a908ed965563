// The editor's "Export…" dialog: a format (the formats the server writes, from formats.js), the tiers to include
// (all ticked, with None/All; one choice for the one-tier subtitle formats, the selected tier first), milliseconds
// or frame numbers (for a format that can write frames: CSV), and a plain download link to
// GET /api/projects/{id}/export (with the share token for read-only links).
//
// data-testid hooks: export-button, export-dialog, export-format, export-none, export-all, export-frame-based,
// export-download, export-error.
import { gettext } from "./i18n.js";
import { loadFormats } from "./formats.js";

/** Wire the dialog; `store` gives the tiers and the video's frame rate. */
export function initExportDialog({ root, config, store }) {
  const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
  const button = $("export-button");
  const dialog = $("export-dialog");
  if (!button || !dialog) return;
  const formatSelect = $("export-format");
  const frames = $("export-frame-based");
  const link = $("export-download");
  const error = $("export-error");
  const list = dialog.querySelector(".export-tier-list");
  const times = dialog.querySelector(".export-times");
  const noneOrAll = dialog.querySelector(".export-none-all");
  let ticked = null; // the tiers ticked for the formats of several tiers (null: all)
  let single = null; // the tier chosen for a one-tier format
  let formats = new Map(); // name -> the format as GET /api/formats describes it
  const spec = () => formats.get(formatSelect.value) || {};

  loadFormats(`${config.apiBase}formats`).then((all) => {
    const writable = all.filter((f) => f.writable);
    formats = new Map(writable.map((f) => [f.name, f]));
    formatSelect.replaceChildren(...writable.map((f) => new Option(f.label, f.name)));
    if (dialog.open) refresh();
  }).catch((err) => { error.textContent = err.message; });

  function renderTiers() {
    const one = Boolean(spec().one_tier);
    const names = store.tiers.map((tier) => tier.name);
    if (!names.includes(single)) single = (store.tier(store.selectedTierId) || store.tiers[0] || {}).name;
    list.replaceChildren(...names.map((name) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = one ? "radio" : "checkbox";
      box.name = "export-tier";
      box.checked = one ? name === single : !ticked || ticked.has(name);
      box.value = name;
      label.append(box, " ", name);
      return label;
    }));
    noneOrAll.hidden = one;
  }

  function tickAll(checked) {
    for (const box of list.querySelectorAll("input")) box.checked = checked;
    update();
  }

  function update() {
    const fmt = formatSelect.value;
    const fps = store.video && store.video.fps;
    const frameBased = Boolean(spec().frame_based);
    times.hidden = !frameBased;
    frames.disabled = !fps;
    const boxes = [...list.querySelectorAll("input")];
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    if (spec().one_tier) single = chosen[0] || single;
    else ticked = new Set(chosen);
    const problem = fmt && !chosen.length ? gettext("Tick at least one tier.") : "";
    error.textContent = problem;
    const params = new URLSearchParams({ format: fmt });
    if (chosen.length !== boxes.length) for (const name of chosen) params.append("tiers", name);
    if (frameBased && frames.checked && fps) params.set("frame_based", "true");
    if (config.shareToken) params.set("share", config.shareToken);
    if (problem || !fmt) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    } else {
      link.href = `${config.apiBase}projects/${config.projectId}/export?${params}`;
      link.removeAttribute("aria-disabled");
    }
  }

  function refresh() {
    renderTiers();
    update();
  }

  button.addEventListener("click", () => {
    ticked = null;
    single = null;
    refresh();
    dialog.showModal();
  });
  dialog.addEventListener("change", (event) => (event.target === formatSelect ? refresh() : update()));
  $("export-none").addEventListener("click", () => tickAll(false));
  $("export-all").addEventListener("click", () => tickAll(true));
  store.subscribe((kind) => { if (kind === "doc" && dialog.open) refresh(); }); // opened before the document came
}
