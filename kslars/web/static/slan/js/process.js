// "Process video…": the automatic annotation dialog; the job's progress, Cancel and Retry are job-progress.js's.
// When the job succeeds the editor reloads the document (new tiers appear) and the result becomes one undoable
// step (job-dialog.js): Undo deletes the engine's new tiers and predictions and brings back those it replaced.
//
// Hooks (data-testid): process-button, process-dialog (fields by name: phrases, signs, handshapes, orientation,
// nonmanual, scope, hands, existing), process-submit.
import { format, gettext } from "./i18n.js";
import { JobDialog } from "./job-dialog.js";
import { selectedSpan } from "./job-progress.js";
import { untouchedPrediction } from "./job-undo.js";

const WHAT = ["phrases", "signs", "handshapes", "orientation", "nonmanual"]; // the dialog's checkboxes, as the API names them

/** The dialog; `progress` (a JobProgress) follows the job, `onDone(job)` refreshes the editor after it. */
export class ProcessPanel extends JobDialog {
  constructor({ root, ...editor }) {
    super({ root, kind: "process", job: "annotate", ...editor, texts: {
      waiting: gettext("Waiting for a worker to process the video…"),
      running: (job) => `${format(gettext("Processing the video: %(percent)s %"), {
        percent: Math.round(job.progress * 100) })} · ${job.message}`,
      done: gettext("The video was processed."),
      failed: (job) => format(gettext("Processing failed: %(error)s"), {
        error: job.error || gettext("unknown error") }),
      cancelled: gettext("Processing was cancelled; nothing was changed."),
    } });
  }

  /** Open the dialog; "the selected annotation's time span" is offered when one annotation with times is selected. */
  open() {
    if (!this.mayStart(gettext("Upload a video first: there is nothing to process yet."))) return;
    const span = selectedSpan(this.store);
    const segment = this.form.querySelector('input[name="scope"][value="selection"]');
    segment.disabled = !span;
    if (!span) this.form.querySelector('input[name="scope"][value="whole"]').checked = true;
    this.form.querySelector(".process-span").textContent = span
      ? format(gettext("%(start)s–%(end)s ms"), { start: span[0], end: span[1] })
      : gettext("select an annotation first");
    this.showDialog();
  }

  /** Read the dialog into the body of POST /process. */
  options() {
    const body = {};
    for (const name of WHAT) body[name] = this.form.elements[name].checked;
    body.hands = this.form.elements.hands.value;
    body.existing = this.form.elements.existing.value;
    const span = this.form.elements.scope.value === "selection" ? selectedSpan(this.store) : null;
    if (span) [body.start_ms, body.end_ms] = span;
    return body;
  }

  /** Start the job as the dialog says; Undo goes back to the document as it is now. The engine writes predictions
   * into tiers that exist (filling or replacing) and into new tiers, never empty ones: those are the tiers it
   * wrote, whatever their names (a project's language names them, and they may have been renamed). */
  submit() {
    const body = this.options();
    if (!WHAT.some((name) => body[name])) {
      return this.notify(gettext("Choose at least one thing to annotate."), "error");
    }
    return this.start("/process", body, {
      label: gettext("Process video"),
      written: (tier, before) => before.has(tier.id) || tier.annotations.some(untouchedPrediction),
      added: untouchedPrediction,
    });
  }
}
