// The progress panel of the editor's background jobs (Process video, Recognise glosses): a progress bar with the
// job's message and Cancel while it runs, its error and Retry when it fails; a finished job's panel closes by
// itself soon after (the editor says the result in its message bar). One job is followed at a time; the dialogs
// that start jobs are disabled meanwhile.
//
// Hooks (data-testid): process-progress, process-cancel, process-retry, process-error.
import { ACTIVE, pollJob } from "./job-poll.js";

const CLOSE_AFTER_MS = 2500;

/** Follows jobs; each kind of job brings its texts: waiting, running(job), done, failed(job), cancelled, and
 * onDone(job) that runs after a job of its kind succeeded. */
export class JobProgress {
  constructor({ root, api }) {
    this.api = api;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.panel = $("process-progress");
    this.bar = this.panel.querySelector("progress");
    this.text = this.panel.querySelector(".process-text");
    this.error = $("process-error");
    this.cancelButton = $("process-cancel");
    this.retryButton = $("process-retry");
    this.buttons = [];
    this.kinds = new Map();
    this.job = null;
    this.cancelButton.addEventListener("click", () => this.cancel());
    this.retryButton.addEventListener("click", () => this.retry());
    this.panel.querySelector(".process-close").addEventListener("click", () => { this.panel.hidden = true; });
  }

  /** Register a kind of job with its texts and onDone, and the button that starts it. */
  addKind(kind, texts, button) {
    this.kinds.set(kind, texts);
    this.buttons.push(button);
  }

  busy() { return Boolean(this.job && ACTIVE.has(this.job.status)); }

  /** Follow a job of a registered kind that is running already (after a reload of the page). */
  async resume() {
    try {
      const jobs = await this.api.jobs();
      const running = jobs.find((j) => this.kinds.has(j.kind) && ACTIVE.has(j.status));
      if (running) await this.follow(running);
    } catch (err) {
      /* nothing to follow */
    }
  }

  /** Start a job of `kind` with POST `path` and follow it; the panel shows at once (the answer may take a while),
   * and the server's refusal is shown in it. */
  async start(kind, path, body) {
    this.show({ progress: null, text: this.kinds.get(kind).waiting });
    try {
      await this.follow(await this.api.request("POST", this.api.project(path), body));
    } catch (err) {
      this.show({ problem: err.message });
    }
  }

  /** Poll `job` until it ends, showing its progress. */
  async follow(job) {
    const texts = this.kinds.get(job.kind);
    this.job = job;
    for (const button of this.buttons) button.disabled = true;
    try {
      job = await pollJob(this.api, job, (seen) => {
        this.job = seen;
        const text = seen.status === "queued" ? texts.waiting : texts.running(seen);
        this.show({ progress: seen.status === "queued" ? null : seen.progress, text, cancel: !seen.cancel_requested });
      });
      this.job = job;
    } finally {
      for (const button of this.buttons) button.disabled = false;
    }
    if (job.status === "succeeded") {
      this.show({ progress: 1, text: job.message || texts.done });
      await texts.onDone(job);
      setTimeout(() => { if (this.job === job) this.panel.hidden = true; }, CLOSE_AFTER_MS);
      return;
    }
    this.show({ problem: job.status === "failed" ? texts.failed(job) : texts.cancelled, retry: true });
  }

  async cancel() {
    if (!this.job) return;
    this.cancelButton.disabled = true;
    try {
      this.job = await this.api.cancelJob(this.job.id);
    } catch (err) {
      this.show({ problem: err.message });
    }
  }

  async retry() {
    if (!this.job) return;
    try {
      await this.follow(await this.api.retryJob(this.job.id));
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

/** The time span of the one selected annotation with times, as [start, end], or null. */
export function selectedSpan(store) {
  const chosen = store.selected();
  if (chosen.length !== 1) return null;
  const [s, e] = store.timesOf(chosen[0]);
  return s == null || e == null || e <= s ? null : [s, e];
}
