// "Process video…": the automatic annotation dialog; the job's progress, Cancel and Retry are job-progress.js's.
// When the job succeeds the editor reloads the document (new tiers appear).
//
// Hooks (data-testid): process-button, process-dialog (fields by name: phrases, signs, handshapes, orientation,
// nonmanual, scope, hands, existing), process-submit.
import { format, gettext } from "./i18n.js";
import { selectedSpan } from "./job-progress.js";

const WHAT = ["phrases", "signs", "handshapes", "orientation", "nonmanual"]; // the dialog's checkboxes, as the API names them

/** The dialog; `progress` (a JobProgress) follows the job, `onDone(job)` runs after a job succeeded. */
export class ProcessPanel {
  constructor({ root, store, notify, progress, onDone }) {
    this.store = store;
    this.notify = notify;
    this.progress = progress;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.button = $("process-button");
    this.dialog = $("process-dialog");
    progress.addKind("annotate", {
      waiting: gettext("Waiting for a worker to process the video…"),
      running: (job) => `${format(gettext("Processing the video: %(percent)s %"), {
        percent: Math.round(job.progress * 100) })} · ${job.message}`,
      done: gettext("The video was processed."),
      failed: (job) => format(gettext("Processing failed: %(error)s"), {
        error: job.error || gettext("unknown error") }),
      cancelled: gettext("Processing was cancelled; nothing was changed."),
      onDone,
    }, this.button);
    this.button.addEventListener("click", () => this.open());
    this.dialog.addEventListener("close", () => {
      if (this.dialog.returnValue === "process") this.submit();
    });
  }

  /** Open the dialog; "the selected annotation's time span" is offered when one annotation with times is selected. */
  open() {
    if (!this.store.video) return this.notify(gettext("Upload a video first: there is nothing to process yet."));
    if (this.progress.busy()) return this.notify(gettext("The video is being processed already."));
    const span = selectedSpan(this.store);
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

  /** Read the dialog into the body of POST /process. */
  options() {
    const form = this.dialog.querySelector("form");
    const body = {};
    for (const name of WHAT) body[name] = form.elements[name].checked;
    body.hands = form.elements.hands.value;
    body.existing = form.elements.existing.value;
    const span = form.elements.scope.value === "selection" ? selectedSpan(this.store) : null;
    if (span) [body.start_ms, body.end_ms] = span;
    return body;
  }

  submit() {
    const body = this.options();
    if (!WHAT.some((name) => body[name])) {
      return this.notify(gettext("Choose at least one thing to annotate."), "error");
    }
    return this.progress.start("annotate", "/process", body);
  }
}
