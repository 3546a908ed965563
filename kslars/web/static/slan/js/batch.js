// A batch's page: the whole batch's progress and each video's (queued, running N %, done, failed with its error),
// followed with the job poller until every video has ended; Cancel stops the videos not processed yet, Resume
// queues the failed and cancelled ones again (those done are not redone).
//
// Hooks (data-testid): batch-page, batch-progress, batch-summary, batch-cancel, batch-resume, batch-page-error,
// batch-items, batch-item (data-status, data-project-id).
import { getJson, request } from "./api.js";
import { pollJob } from "./job-poll.js";
import { batchSummary, itemState } from "./batch-status.js";

const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);
const page = $("batch-page");
const url = page.dataset.api;
const cancelButton = $("batch-cancel");
const resumeButton = $("batch-resume");
const error = $("batch-page-error");
// the poller asks for "a job" by id: here that is the batch, whose status is active while a video is
const source = { job: () => getJson(url) };

/** One video's row: its project (a link to the editor), its state, progress bar and message or error. */
function itemRow(item) {
  const row = document.createElement("li");
  row.className = "batch-item";
  row.dataset.testid = "batch-item";
  row.dataset.status = item.status;
  row.dataset.projectId = item.project_id;
  const link = document.createElement("a");
  link.href = page.dataset.editorUrl.replace("/0/", `/${item.project_id}/`);
  link.textContent = item.project_name;
  const state = document.createElement("span");
  state.className = "batch-state";
  state.textContent = itemState(item);
  const bar = document.createElement("progress");
  bar.max = 1;
  bar.value = item.status === "running" || item.status === "succeeded" ? item.progress : 0;
  const text = document.createElement("p");
  text.className = "batch-item-text";
  text.textContent = item.status === "failed" ? item.error : item.message;
  row.append(link, state, bar, text);
  return row;
}

function show(batch) {
  const active = batch.status === "queued" || batch.status === "running";
  $("batch-progress").value = batch.progress;
  $("batch-summary").textContent = batchSummary(batch);
  $("batch-items").replaceChildren(...batch.items.map(itemRow));
  cancelButton.hidden = !active || batch.cancel_requested;
  resumeButton.hidden = active || !(batch.counts.failed + batch.counts.cancelled);
}

async function follow(batch) {
  try {
    show(await pollJob(source, batch, show));
  } catch (err) {
    error.textContent = err.message;
  }
}

async function act(path) {
  error.textContent = "";
  try {
    const batch = await request(`${url}/${path}`, { method: "POST" });
    show(batch);
    await follow(batch);
  } catch (err) {
    error.textContent = err.message;
  }
}

cancelButton.addEventListener("click", () => act("cancel"));
resumeButton.addEventListener("click", () => act("resume"));
getJson(url).then(follow, (err) => { error.textContent = err.message; });
