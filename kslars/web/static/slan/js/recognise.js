// "Recognise glosses…": choose a recognition model from the server's models folder, the whole video or the
// selected annotation's time span, and the gloss tier to fill; the job's progress, Cancel and Retry are
// job-progress.js's. When the job succeeds the editor reloads the document and the result becomes one undoable
// step (job-dialog.js).
//
// Hooks (data-testid): recognise-button, recognise-dialog (fields by name: checkpoint, scope, tier),
// recognise-empty, recognise-submit.
import { format, gettext } from "./i18n.js";
import { JobDialog, isVersionOf } from "./job-dialog.js";
import { selectedSpan } from "./job-progress.js";

const DEFAULT_TIER = "Glosses (recognised)";

/** The dialog; `progress` (a JobProgress) follows the job, `onDone(job)` refreshes the editor after it. */
export class RecognisePanel extends JobDialog {
  constructor({ root, api, ...editor }) {
    super({ root, kind: "recognise", ...editor, texts: {
      waiting: gettext("Waiting for a worker to recognise the glosses…"),
      running: (job) => `${format(gettext("Recognising glosses: %(percent)s %"), {
        percent: Math.round(job.progress * 100) })} · ${job.message}`,
      done: gettext("The glosses were recognised."),
      failed: (job) => format(gettext("Recognition failed: %(error)s"), {
        error: job.error || gettext("unknown error") }),
      cancelled: gettext("Recognition was cancelled; nothing was changed."),
    } });
    this.api = api;
    this.empty = root.querySelector('[data-testid="recognise-empty"]');
  }

  /** Open the dialog with the models the server offers (or how to get one when there is none). */
  async open() {
    if (!this.mayStart(gettext("Upload a video first: there is nothing to recognise yet."))) return undefined;
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
    return this.showDialog();
  }

  /** Start the job as the dialog says; the document as it is now is what Undo goes back to. */
  submit() {
    const { checkpoint, tier } = this.form.elements;
    const body = { checkpoint: checkpoint.value, tier: tier.value.trim() || DEFAULT_TIER };
    const span = this.form.elements.scope.value === "selection" ? selectedSpan(this.store) : null;
    if (span) [body.start_ms, body.end_ms] = span;
    return this.start("/recognise", body, {
      label: gettext("Recognise glosses"),
      written: (t) => isVersionOf(t.name, body.tier),
      added: (a) => (a.attributes || {}).checkpoint !== undefined && a.version === 1,
    });
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
