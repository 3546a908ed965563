// "Improve from my corrections", in the Process video dialog: which segmentation model Process video uses (the
// shipped one, or the project's own with its score and the shipped model's on the part of the project it did not
// learn from), the button that starts the "learn" job (its progress, Cancel and Retry are job-progress.js's) and
// the way back to the shipped model.
//
// Hooks (data-testid): process-model (what is in use), learn-button, model-default.
import { format, gettext } from "./i18n.js";

const TIERS = { signs: () => gettext("signs"), phrases: () => gettext("signing segments") };

/** The model line and its two buttons; `progress` (a JobProgress) follows the job. */
export class LearnControls {
  constructor({ root, api, notify, progress }) {
    this.api = api;
    this.notify = notify;
    this.progress = progress;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.text = $("process-model");
    this.learnButton = $("learn-button");
    this.defaultButton = $("model-default");
    this.dialog = $("process-dialog");
    progress.addKind("learn", {
      waiting: gettext("Waiting for a worker to learn from your corrections…"),
      running: (job) => format(gettext("Learning from your corrections: %(percent)s %"), {
        percent: Math.round(job.progress * 100) }),
      done: gettext("Learning from your corrections is done."),
      failed: (job) => format(gettext("Learning failed: %(error)s"), { error: job.error || gettext("unknown error") }),
      cancelled: gettext("Learning was cancelled; the model was not changed."),
      onDone: async (job) => {
        this.notify(job.message);
        await this.refresh();
      },
    }, this.learnButton);
    this.learnButton.addEventListener("click", () => {
      this.dialog.close();
      this.progress.start("learn", "/learn", {});
    });
    this.defaultButton.addEventListener("click", () => this.useDefault());
    $("process-button").addEventListener("click", () => this.refresh());
  }

  /** Show which model Process video uses now. */
  async refresh() {
    try {
      this.show(await this.api.request("GET", this.api.project("/segmentation-model")));
    } catch (err) {
      this.text.textContent = err.message;
    }
  }

  show(model) {
    this.defaultButton.hidden = !model.own;
    if (!model.own) {
      this.text.textContent = gettext(
        "The shipped model. Correct some signs or signing segments, then let it learn from your corrections.");
      return;
    }
    const { scores } = model.report;
    const parts = Object.keys(scores.project).map((tier) => format(gettext("%(tier)s %(own)s (shipped model %(shipped)s)"), {
      tier: TIERS[tier] ? TIERS[tier]() : tier,
      own: scores.project[tier].symmetric_iou.toFixed(2),
      shipped: scores.default[tier].symmetric_iou.toFixed(2),
    }));
    this.text.textContent = format(gettext(
      "This project's own model, learnt from your corrections. Segment IoU on the part it did not learn from: %(scores)s."),
    { scores: parts.join("; ") });
  }

  /** Go back to the shipped model. */
  async useDefault() {
    try {
      this.show(await this.api.request("DELETE", this.api.project("/segmentation-model")));
      this.notify(gettext("Process video uses the shipped model again."));
    } catch (err) {
      this.notify(err.message, "error");
    }
  }
}
