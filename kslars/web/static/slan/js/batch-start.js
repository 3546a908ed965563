// The project list's batch processing: choose projects (their "Choose for processing" boxes, or Choose all), then
// "Process videos…" asks for the options of Process video and starts one batch with POST /api/batches/process;
// the batch's page follows it. The user's recent batches are listed with links to their pages.
//
// Hooks (data-testid): batch-bar, batch-choose, batch-select-all, batch-count, batch-open, batch-dialog (fields by
// name as in the editor's Process video dialog), batch-submit, batch-error, batch-recent.
import { format, gettext } from "./i18n.js";
import { getJson, request } from "./api.js";
import { batchSummary } from "./batch-status.js";

const WHAT = ["phrases", "signs", "handshapes", "orientation", "nonmanual"];
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const bar = $("batch-bar");
const boxes = [...document.querySelectorAll('[data-testid="batch-choose"]')];
if (bar && boxes.length) {
  const api = bar.dataset.api;
  const dialog = $("batch-dialog");
  const form = dialog.querySelector("form");
  const error = $("batch-error");
  const open = $("batch-open");
  const chosen = () => boxes.filter((box) => box.checked).map((box) => Number(box.value));

  const count = () => {
    const n = chosen().length;
    $("batch-count").textContent = format(gettext("%(count)s chosen"), { count: n });
    open.disabled = n === 0;
  };
  bar.hidden = false;
  count();
  for (const box of boxes) box.addEventListener("change", count);
  $("batch-select-all").addEventListener("click", () => {
    const all = boxes.some((box) => !box.checked);
    for (const box of boxes) box.checked = all;
    count();
  });
  open.addEventListener("click", () => {
    error.textContent = "";
    dialog.showModal();
  });

  form.addEventListener("submit", async (event) => {
    if (event.submitter?.value !== "process") return; // Cancel closes the dialog
    event.preventDefault();
    const body = { project_ids: chosen(), hands: form.elements.hands.value, existing: form.elements.existing.value };
    for (const name of WHAT) body[name] = form.elements[name].checked;
    if (!WHAT.some((name) => body[name])) {
      error.textContent = gettext("Choose at least one thing to annotate.");
      return;
    }
    const submit = $("batch-submit");
    submit.disabled = true;
    error.textContent = "";
    try {
      const batch = await request(`${api}batches/process`, { method: "POST", json: body });
      window.location.assign(batch.url);
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
    }
  });

  showRecent(api);
}

/** List the user's recent batches (nothing when there are none or they cannot be fetched). */
async function showRecent(api) {
  let batches;
  try {
    batches = await getJson(`${api}batches`);
  } catch (err) {
    return;
  }
  const section = $("batch-recent");
  const list = section.querySelector("ul");
  for (const batch of batches) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = batch.url;
    link.textContent = format(gettext("Batch of %(date)s"), { date: new Date(batch.created_at).toLocaleString() });
    item.append(link, ` · ${batchSummary(batch)}`);
    list.append(item);
  }
  section.hidden = batches.length === 0;
}
