// "Process video…": the automatic annotation dialog, then the job's progress bar with Cancel, and Retry with the
// job's error when it fails. When the job succeeds the editor reloads the document (new tiers appear).
//
// Hooks (data-testid): process-button, process-dialog (fields by name: phrases, signs, handshapes, orientation,
// nonmanual, scope, hands, existing), process-submit, process-progress, process-cancel, process-retry, process-error.
import { ApiError } from "./api.js";
import { format, gettext } from "./i18n.js";

const POLL_MS = 1000;
const WHAT = ["phrases", "signs", "handshapes", "orientation", "nonmanual"]; // the dialog's checkboxes, as the API names them
const ACTIVE = new Set(["queued", "running"]);

/** The dialog and the progress panel; `onDone(job)` runs after a job succeeded. */
export class ProcessPanel {
  constructor({ root, api, store, notify, onDone }) {
    this.api = api;
    this.store = store;
    this.notify = notify;
    this.onDone = onDone;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.button = $("process-button");
    this.dialog = $("process-dialog");
    this.panel = $("process-progress");
    this.bar = this.panel.querySelector("progress");
    this.text = this.panel.querySelector(".process-text");
    this.error = $("process-error");
    this.cancelButton = $("process-cancel");
    this.retryButton = $("process-retry");
    this.job = null;
    this.button.addEventListener("click", () => this.open());
    this.dialog.addEventListener("close", () => {
      if (this.dialog.returnValue === "process") this.submit();
    });
    this.cancelButton.addEventListener("click", () => this.cancel());
    this.retryButton.addEventListener("click", () => this.retry());
    this.panel.querySelector(".process-close").addEventListener("click", () => { this.panel.hidden = true; });
  }

  /** Open the dialog; "the selected annotation's time span" is offered when one annotation with times is selected. */
  open() {
    if (!this.store.video) return this.notify(gettext("Upload a video first: there is nothing to process yet."));
    if (this.job && ACTIVE.has(this.job.status)) return this.notify(gettext("The video is being processed already."));
    const span = this.selectedSpan();
    const form = this.dialog.querySelector("form");
    const segment = form.querySelector('input[name="scope"][value="selection"]');
    segment.disabled = !span;
    if (!span) form.querySelector('input[name="scope"][value="whole"]').checked = true;
    form.querySelector(".process-span").textContent = span
      ? format(gettext("%(start)s–%(end)s ms"), { start: span[0], end: span[1] })
      : gettext("select an annotation first");
    this.dialog.returnValue = "";
    this.dialog.showModal();
  }

  selectedSpan() {
    const chosen = this.store.selected();
    if (chosen.length !== 1) return null;
    const [s, e] = this.store.timesOf(chosen[0]);
    return s == null || e == null || e <= s ? null : [s, e];
  }

  /** Read the dialog into the body of POST /process. */
  options() {
    const form = this.dialog.querySelector("form");
    const body = {};
    for (const name of WHAT) body[name] = form.elements[name].checked;
    body.hands = form.elements.hands.value;
    body.existing = form.elements.existing.value;
    const span = form.elements.scope.value === "selection" ? this.selectedSpan() : null;
    if (span) [body.start_ms, body.end_ms] = span;
    return body;
  }

  async submit() {
    const body = this.options();
    if (!WHAT.some((name) => body[name])) {
      return this.notify(gettext("Choose at least one thing to annotate."), "error");
    }
    try {
      await this.follow(await this.api.request("POST", this.api.project("/process"), body));
    } catch (err) {
      this.show({ problem: err.message });
    }
  }

  /** Follow an annotation job that is running already (after a reload of the page). */
  async resume() {
    try {
      const jobs = await this.api.request("GET", this.api.project("/jobs"));
      const running = jobs.find((j) => j.kind === "annotate" && ACTIVE.has(j.status));
      if (running) await this.follow(running);
    } catch (err) {
      /* nothing to follow */
    }
  }

  /** Poll `job` until it ends, showing its progress. */
  async follow(job) {
    this.job = job;
    this.button.disabled = true;
    try {
      while (ACTIVE.has(job.status)) {
        const percent = Math.round(job.progress * 100);
        const text = job.status === "queued"
          ? gettext("Waiting for a worker to process the video…")
          : `${format(gettext("Processing the video: %(percent)s %"), { percent })} · ${job.message}`;
        this.show({ progress: job.status === "queued" ? null : job.progress, text, cancel: !job.cancel_requested });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        try {
          job = await this.api.request("GET", `jobs/${job.id}`);
        } catch (err) {
          if (err instanceof ApiError) throw err;
          continue; // the server is out of reach for a moment: the job goes on, ask again
        }
        this.job = job;
      }
    } finally {
      this.button.disabled = false;
    }
    if (job.status === "succeeded") {
      this.show({ progress: 1, text: job.message || gettext("The video was processed.") });
      await this.onDone(job);
      return;
    }
    this.show({
      problem: job.status === "failed"
        ? format(gettext("Processing failed: %(error)s"), { error: job.error || gettext("unknown error") })
        : gettext("Processing was cancelled; nothing was changed."),
      retry: true,
    });
  }

  async cancel() {
    if (!this.job) return;
    this.cancelButton.disabled = true;
    try {
      this.job = await this.api.request("POST", `jobs/${this.job.id}/cancel`);
    } catch (err) {
      this.notify(err.message, "error");
    }
  }

  async retry() {
    if (!this.job) return;
    try {
      await this.follow(await this.api.request("POST", `jobs/${this.job.id}/retry`));
    } catch (err) {
      this.show({ problem: err.message, retry: false });
    }
  }

  /** Show progress (0..1, or null for "waiting"), a text, or a problem; which buttons apply. */
  show({ progress = undefined, text = "", problem = "", cancel = false, retry = false }) {
    this.panel.hidden = false;
    this.bar.hidden = progress === undefined || Boolean(problem);
    if (progress === null) this.bar.removeAttribute("value");
    else if (progress !== undefined) this.bar.value = progress;
    this.text.textContent = problem ? "" : text;
    this.error.textContent = problem;
    this.error.hidden = !problem;
    this.cancelButton.hidden = !cancel;
    this.cancelButton.disabled = false;
    this.retryButton.hidden = !retry;
  }
}
