// "Read fingerspelling…": read the word fingerspelled in the selected annotation's time span with a manual
// alphabet (Russian, Kazakh or American), into a Fingerspelling tier: the word over the span and its letters on
// the child tier "<tier> letters". Progress, Cancel and Retry are job-progress.js's; when the job succeeds the
// editor reloads the document and the result becomes one undoable step (job-dialog.js).
//
// The alphabet starts as the language of the selected annotation's tier, else the document's first language
// that has one (Russian -> ru, Kazakh -> kk, English -> asl), else ru.
//
// Hooks (data-testid): fingerspell-button, fingerspell-dialog (fields by name: alphabet, tier), fingerspell-span,
// fingerspell-submit.
import { format, gettext } from "./i18n.js";
import { JobDialog, isVersionOf } from "./job-dialog.js";
import { selectedSpan } from "./job-progress.js";

const DEFAULT_TIER = "Fingerspelling";
const LETTERS = " letters"; // the letters' tier is the word tier's name with this suffix (as on the server)
const ALPHABETS = { rus: "ru", ru: "ru", kaz: "kk", kk: "kk", eng: "asl", en: "asl" };

/** The dialog; `progress` (a JobProgress) follows the job, `onDone(job)` refreshes the editor after it. */
export class FingerspellPanel extends JobDialog {
  constructor({ root, ...editor }) {
    super({ root, kind: "fingerspell", ...editor, texts: {
      waiting: gettext("Waiting for a worker to read the fingerspelling…"),
      running: (job) => `${format(gettext("Reading fingerspelling: %(percent)s %"), {
        percent: Math.round(job.progress * 100) })} · ${job.message}`,
      done: gettext("The fingerspelling was read."),
      failed: (job) => format(gettext("Reading fingerspelling failed: %(error)s"), {
        error: job.error || gettext("unknown error") }),
      cancelled: gettext("Reading fingerspelling was cancelled; nothing was changed."),
    } });
    this.span = root.querySelector('[data-testid="fingerspell-span"]');
  }

  /** Open the dialog for the selected annotation's span (or say that one must be selected). */
  open() {
    if (!this.mayStart(gettext("Upload a video first: there is nothing to read yet."))) return;
    const span = selectedSpan(this.store);
    this.span.textContent = span
      ? format(gettext("the selected annotation's time span, %(start)s–%(end)s ms"), { start: span[0], end: span[1] })
      : gettext("nothing is selected. Select one annotation first: fingerspelling is read in its time span.");
    this.submitButton.disabled = !span;
    this.form.elements.alphabet.value = this.defaultAlphabet();
    if (!this.form.elements.tier.value.trim()) this.form.elements.tier.value = DEFAULT_TIER;
    this.showDialog();
  }

  /** The alphabet of the selected annotation's tier language, else of the document's first known language. */
  defaultAlphabet() {
    const [chosen] = this.store.selected();
    const tier = chosen ? this.store.tierOf(chosen.id) : null;
    const languages = [tier && tier.language, ...this.store.languages.map((l) => l.id)];
    return languages.map((id) => ALPHABETS[(id || "").toLowerCase()]).find(Boolean) || "ru";
  }

  /** Start the job on the selected span as the dialog says; Undo goes back to the document as it is now. */
  submit() {
    const span = selectedSpan(this.store);
    if (!span) return null;
    const { alphabet, tier } = this.form.elements;
    const body = { alphabet: alphabet.value, tier: tier.value.trim() || DEFAULT_TIER };
    [body.start_ms, body.end_ms] = span;
    return this.start("/fingerspell", body, {
      label: gettext("Read fingerspelling"),
      written: (t) => isVersionOf(t.name, body.tier) || isVersionOf(t.name, body.tier + LETTERS),
      added: (a) => (a.attributes || {}).alphabet !== undefined && a.version === 1,
    });
  }
}
