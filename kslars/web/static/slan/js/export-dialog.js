// The editor's "Export…" dialog: a format, the tiers to include (all ticked), milliseconds or frame numbers (CSV),
// and a plain download link to GET /api/projects/{id}/export (with the share token for read-only links).
//
// data-testid hooks: export-button, export-dialog, export-format, export-frame-based, export-download, export-error.
import { gettext } from "./i18n.js";

const ONE_TIER = new Set(["srt", "vtt"]);

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

  function renderTiers() {
    list.replaceChildren();
    for (const tier of store.tiers) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.value = tier.name;
      label.append(box, " ", tier.name);
      list.appendChild(label);
    }
  }

  function update() {
    const fmt = formatSelect.value;
    const fps = store.video && store.video.fps;
    times.hidden = fmt !== "csv";
    frames.disabled = !fps;
    const boxes = [...list.querySelectorAll("input")];
    const chosen = boxes.filter((b) => b.checked).map((b) => b.value);
    let problem = "";
    if (!chosen.length) problem = gettext("Tick at least one tier.");
    else if (ONE_TIER.has(fmt) && chosen.length !== 1) problem = gettext("Subtitles hold one tier: tick exactly one.");
    error.textContent = problem;
    const params = new URLSearchParams({ format: fmt });
    if (chosen.length !== boxes.length) for (const name of chosen) params.append("tiers", name);
    if (fmt === "csv" && frames.checked && fps) params.set("frame_based", "true");
    if (config.shareToken) params.set("share", config.shareToken);
    if (problem) {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    } else {
      link.href = `${config.apiBase}projects/${config.projectId}/export?${params}`;
      link.removeAttribute("aria-disabled");
    }
  }

  button.addEventListener("click", () => {
    renderTiers();
    update();
    dialog.showModal();
  });
  dialog.addEventListener("change", update);
}
