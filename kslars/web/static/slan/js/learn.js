// "Improve from my corrections", in the Process video dialog: which segmentation and handshape models Process video
// uses (the shipped ones, or the project's own with their scores and the shipped models' on the part of the project
// they did not learn from), the button that starts the "learn" job (its progress, Cancel and Retry are
// job-progress.js's) and the ways back to the shipped models.
//
// Hooks (data-testid): process-model and process-handshape-model (what is in use), learn-button, model-default and
// handshape-model-default.
import { format, gettext } from "./i18n.js";

const TIERS = { signs: () => gettext("signs"), phrases: () => gettext("signing segments") };

/** The model line and its two buttons; `progress` (a JobProgress) follows the job. */
export class LearnControls {
  constructor({ root, api, notify, progress }) {
    this.api = api;
    this.notify = notify;
    this.progress = progress;
    const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.models = {
      segmentation: { text: $("process-model"), button: $("model-default"), describe: describeSegmentation,
        back: () => gettext("Process video uses the shipped model again.") },
      handshape: { text: $("process-handshape-model"), button: $("handshape-model-default"), describe: describeHandshapes,
        back: () => gettext("Process video uses the shipped handshape model again.") },
    };
    this.learnButton = $("learn-button");
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
    for (const kind of Object.keys(this.models)) {
      this.models[kind].button.addEventListener("click", () => this.useDefault(kind));
    }
    $("process-button").addEventListener("click", () => this.refresh());
  }

  /** Show which models Process video uses now. */
  async refresh() {
    await Promise.all(Object.keys(this.models).map(async (kind) => {
      try {
        this.show(kind, await this.api.request("GET", this.api.project(`/${kind}-model`)));
      } catch (err) {
        this.models[kind].text.textContent = err.message;
      }
    }));
  }

  show(kind, model) {
    const line = this.models[kind];
    line.button.hidden = !model.own;
    line.text.textContent = line.describe(model);
  }

  /** Go back to the shipped model of `kind` ("segmentation" or "handshape"). */
  async useDefault(kind) {
    try {
      this.show(kind, await this.api.request("DELETE", this.api.project(`/${kind}-model`)));
      this.notify(this.models[kind].back());
    } catch (err) {
      this.notify(err.message, "error");
    }
  }
}

/** The segmentation model in use, with its segment IoU per tier beside the shipped model's. */
function describeSegmentation(model) {
  if (!model.own) {
    return gettext("The shipped model. Correct some signs or signing segments, then let it learn from your corrections.");
  }
  const { scores } = model.report;
  const parts = Object.keys(scores.project).map((tier) => format(gettext("%(tier)s %(own)s (shipped model %(shipped)s)"), {
    tier: TIERS[tier] ? TIERS[tier]() : tier,
    own: scores.project[tier].symmetric_iou.toFixed(2),
    shipped: scores.default[tier].symmetric_iou.toFixed(2),
  }));
  return format(gettext(
    "This project's own model, learnt from your corrections. Segment IoU on the part it did not learn from: %(scores)s."),
  { scores: parts.join("; ") });
}

/** The handshape model in use: its labels and its accuracy beside the shipped classifier's. */
function describeHandshapes(model) {
  if (!model.own) {
    return gettext(
      "The shipped HamNoSys model. Correct or label some handshapes (at least 3 each of 2 labels), then let it learn from your corrections.");
  }
  const { examples, scores } = model.report;
  return format(gettext(
    "This project's own handshape model, learnt from your corrections: %(labels)s. Accuracy on the handshapes it did not learn from: %(own)s (shipped model %(shipped)s)."), {
    labels: Object.keys(examples).join(", "),
    own: scores.project.accuracy.toFixed(2),
    shipped: scores.default.accuracy.toFixed(2),
  });
}
