// What the editor's dialogs that start a job writing into the document share (Process video…, Recognise glosses…,
// Read fingerspelling…): the toolbar button that opens the dialog, starting the job when the dialog closes with its
// submit button, the job's texts for job-progress.js, and the job's result as one undoable step (job-undo.js).
//
// Hooks (data-testid), for a dialog of kind KIND: KIND-button, KIND-dialog (its <form>), KIND-submit (value KIND).
// The job's kind on the server is KIND too unless the dialog names another (`job`).
import { gettext } from "./i18n.js";
import { jobResultUndo, snapshot } from "./job-undo.js";

/** The base of such a dialog: subclasses open() it and call start(); `texts` are job-progress.js's for the job. */
export class JobDialog {
  constructor({ root, kind, job = kind, texts, store, notify, progress, history, tierActions, onDone }) {
    this.store = store;
    this.notify = notify;
    this.progress = progress;
    this.history = history;
    this.tierActions = tierActions;
    this.started = null; // what Undo needs of the job started from this page
    this.kind = kind;
    this.job = job;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.button = $(`${kind}-button`);
    this.dialog = $(`${kind}-dialog`);
    this.form = this.dialog.querySelector("form");
    this.submitButton = $(`${kind}-submit`);
    progress.addKind(job, {
      ...texts,
      onDone: async (job) => {
        await onDone(job);
        this.recordUndo();
      },
    }, this.button);
    this.button.addEventListener("click", () => this.open());
    this.dialog.addEventListener("close", () => {
      if (this.dialog.returnValue === kind) this.submit();
    });
  }

  /** Whether a job may start now; if not, says why (`noVideo` when there is no video yet). */
  mayStart(noVideo) {
    const busy = gettext("A job is running already: wait for it to end, or cancel it.");
    const problem = !this.store.video ? noVideo : this.progress.busy() ? busy : "";
    if (problem) this.notify(problem);
    return !problem;
  }

  /** Show the dialog, to be closed by its submit button or Cancel. */
  showDialog() {
    this.dialog.returnValue = "";
    this.dialog.showModal();
  }

  /** Start the job with POST `path` and `body`; Undo goes back to the document as it is now, on the tiers for
   * which `written(tier, before)` holds, deleting what `added(annotation)` says the job added (see job-undo.js). */
  start(path, body, { label, written, added }) {
    this.started = { before: snapshot(this.store), label, written, added };
    return this.progress.start(this.job, path, body);
  }

  /** Make the finished job's result one step of the undo history (for a job started from this page). */
  recordUndo() {
    if (!this.started) return;
    const { before, label, written, added } = this.started;
    this.started = null;
    const { store, history, tierActions } = this;
    const entry = jobResultUndo({ label, before, store, history, tierActions, written, added });
    if (entry) this.history.record(entry);
  }
}

/** Whether a tier's name is `name` or one of its versions, "name (2)", "name (3)", … */
export function isVersionOf(tierName, name) {
  return tierName === name || tierName.startsWith(`${name} (`);
}
