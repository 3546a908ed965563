// "Recognise glosses…": choose a recognition model from the server's models folder, the whole video or the
// selected annotation's time span, and the gloss tier to fill; the job's progress, Cancel and Retry are
// job-progress.js's. When the job succeeds the editor reloads the document and the result becomes one undoable
// step (job-undo.js).
//
// Hooks (data-testid): recognise-button, recognise-dialog (fields by name: checkpoint, scope, tier),
// recognise-empty, recognise-submit.
import { format, gettext } from "./i18n.js";
import { selectedSpan } from "./job-progress.js";
import { jobResultUndo, snapshot } from "./job-undo.js";

const DEFAULT_TIER = "Glosses (recognised)";

/** The dialog; `progress` (a JobProgress) follows the job, `onDone(job)` refreshes the editor after it. */
export class RecognisePanel {
  constructor({ root, api, store, notify, progress, history, tierActions, onDone }) {
    this.api = api;
    this.store = store;
    this.notify = notify;
    this.progress = progress;
    this.history = history;
    this.tierActions = tierActions;
    this.started = null; // {before, tier} of the job started from this page
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.button = $("recognise-button");
    this.dialog = $("recognise-dialog");
    this.form = this.dialog.querySelector("form");
    this.empty = $("recognise-empty");
    this.submitButton = $("recognise-submit");
    progress.addKind("recognise", {
      waiting: gettext("Waiting for a worker to recognise the glosses…"),
      running: (job) => `${format(gettext("Recognising glosses: %(percent)s %"), {
        percent: Math.round(job.progress * 100) })} · ${job.message}`,
      done: gettext("The glosses were recognised."),
      failed: (job) => format(gettext("Recognition failed: %(error)s"), {
        error: job.error || gettext("unknown error") }),
      cancelled: gettext("Recognition was cancelled; nothing was changed."),
      onDone: async (job) => {
        await onDone(job);
        this.recordUndo();
      },
    }, this.button);
    this.button.addEventListener("click", () => this.open());
    this.dialog.addEventListener("close", () => {
      if (this.dialog.returnValue === "recognise") this.submit();
    });
  }

  /** Open the dialog with the models the server offers (or how to get one when there is none). */
  async open() {
    if (!this.store.video) return this.notify(gettext("Upload a video first: there is nothing to recognise yet."));
    if (this.progress.busy()) {
      return this.notify(gettext("A job is running already: wait for it to end, or cancel it."));
    }
    let checkpoints;
    try {
      checkpoints = await this.api.request("GET", this.api.project("/recognition/checkpoints"));
    } catch (err) {
      const text = format(gettext("The recognition models could not be listed: %(error)s"), { error: err.message });
      return this.notify(text, "error");
    }
    const usable = checkpoints.filter((c) => !c.problem);
    const select = this.form.elements.checkpoint;
    select.replaceChildren(...checkpoints.map((c) => {
      const option = new Option(describe(c), c.name);
      option.disabled = Boolean(c.problem);
      return option;
    }));
    if (usable.length) select.value = usable[0].name;
    this.empty.hidden = usable.length > 0;
    select.closest("label").hidden = !checkpoints.length;
    this.submitButton.disabled = !usable.length;
    const span = selectedSpan(this.store);
    this.form.querySelector('input[name="scope"][value="selection"]').disabled = !span;
    this.form.querySelector(`input[name="scope"][value="${span ? "selection" : "whole"}"]`).checked = true;
    this.form.querySelector(".recognise-span").textContent = span
      ? format(gettext("%(start)s–%(end)s ms"), { start: span[0], end: span[1] })
      : gettext("select an annotation first");
    if (!this.form.elements.tier.value.trim()) this.form.elements.tier.value = DEFAULT_TIER;
    this.dialog.returnValue = "";
    this.dialog.showModal();
  }

  /** Start the job as the dialog says; the document as it is now is what Undo goes back to. */
  submit() {
    const { checkpoint, tier } = this.form.elements;
    const body = { checkpoint: checkpoint.value, tier: tier.value.trim() || DEFAULT_TIER };
    const span = this.form.elements.scope.value === "selection" ? selectedSpan(this.store) : null;
    if (span) [body.start_ms, body.end_ms] = span;
    this.started = { before: snapshot(this.store), tier: body.tier };
    return this.progress.start("/recognise", body);
  }

  /** Make the finished job's result one step of the undo history (for a job started from this page). */
  recordUndo() {
    if (!this.started) return;
    const { before, tier } = this.started;
    this.started = null;
    const entry = jobResultUndo({
      label: gettext("Recognise glosses"),
      before,
      store: this.store,
      history: this.history,
      tierActions: this.tierActions,
      written: (t) => t.name === tier || t.name.startsWith(`${tier} (`),
      added: (a) => (a.attributes || {}).checkpoint !== undefined && a.version === 1,
    });
    if (entry) this.history.record(entry);
  }
}

function describe(checkpoint) {
  if (checkpoint.problem) {
    const { name, problem } = checkpoint;
    return format(gettext("%(name)s — cannot be used: %(problem)s"), { name, problem });
  }
  const wer = checkpoint.dev_wer == null ? "–" : checkpoint.dev_wer.toFixed(1);
  return format(gettext("%(name)s — %(count)s glosses, trained on %(corpus)s, development WER %(wer)s %"), {
    name: checkpoint.name, count: checkpoint.vocabulary_size, corpus: checkpoint.corpus, wer,
  });
}
