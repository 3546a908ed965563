// The face lane under the hand-speed lane: non-manual measurements (eyebrows, eyes, mouth, head) of the stored
// landmarks, from GET /nonmanual, drawn on the timeline's time axis with the playhead. The user picks which series
// (remembered in this browser). Windows of five minutes are fetched as the view reaches them, as the skeleton's
// landmarks are; every window of a series is drawn to that series' range over the whole video.
//
// Hooks (data-testid): face-panel (the lane, data-time-ms: the playhead's time drawn last), face-series (the
// choice), face-canvas, face-value (the series' values at the playhead), face-empty.
import { format, gettext } from "./i18n.js";
import { drawPlayhead, legendItem, sizedContext } from "./viz.js";

const WINDOW_MS = 300000;
const RETRY_MS = 10000;
const COLOURS = ["#1f6feb", "#d1242f", "#1a7f37"];
const CHOICE_KEY = "slan.faceSeries";
// value (series names, comma-separated) -> label; single series first, as the legend names them
const SINGLE = [
  ["brow_right", gettext("Right eyebrow height")],
  ["brow_left", gettext("Left eyebrow height")],
  ["eye_aperture", gettext("Eye aperture")],
  ["mouth_opening", gettext("Mouth opening")],
  ["head_pitch", gettext("Head pitch")],
  ["head_yaw", gettext("Head yaw")],
  ["head_roll", gettext("Head roll")],
];
const GROUPS = [
  ["brow_right,brow_left", gettext("Eyebrows (right, left)")],
  ["head_pitch,head_yaw,head_roll", gettext("Head (pitch, yaw, roll)")],
];
const NAMES = new Map(SINGLE);

/** The face lane in `root` (a .tl-viz element) with its series choice in `label`; `load(startMs, endMs)` resolves
 * to a /nonmanual answer. Call draw() as the hand-speed panel's draw is called. */
export class FaceLane {
  constructor({ root, label, load }) {
    this.root = root;
    this.load = load;
    this.windows = new Map(); // window index -> answer, or the promise of it
    this.available = null; // unknown until the first answer
    this.last = null; // the arguments of the last draw()
    this.failedAt = 0;
    this.select = document.createElement("select");
    this.select.className = "face-select";
    this.select.dataset.testid = "face-series";
    this.select.setAttribute("aria-label", gettext("Face measurement shown"));
    for (const [value, text] of [...GROUPS.slice(0, 1), ...SINGLE.slice(0, 4), ...GROUPS.slice(1), ...SINGLE.slice(4)]) {
      this.select.append(new Option(text, value));
    }
    const saved = localStorage.getItem(CHOICE_KEY);
    if (saved && [...this.select.options].some((o) => o.value === saved)) this.select.value = saved;
    this.select.addEventListener("change", () => {
      localStorage.setItem(CHOICE_KEY, this.select.value);
      this.redraw();
    });
    label.replaceChildren(this.select);
    this.canvas = document.createElement("canvas");
    this.canvas.className = "viz-canvas";
    this.canvas.dataset.testid = "face-canvas";
    this.canvas.setAttribute("role", "img");
    this.empty = document.createElement("p");
    this.empty.className = "viz-empty";
    this.empty.dataset.testid = "face-empty";
    this.empty.textContent = gettext("Face and head measurements appear here once the video has been processed.");
    this.legend = document.createElement("ul");
    this.legend.className = "viz-legend";
    this.value = document.createElement("output");
    this.value.className = "face-value";
    this.value.dataset.testid = "face-value";
    root.append(this.empty, this.canvas, this.legend, this.value);
    this.showEmpty(true);
  }

  /** The series names chosen. */
  chosen() {
    return this.select.value.split(",");
  }

  /** Forget the fetched measurements (after processing made new landmarks). */
  invalidate() {
    this.windows.clear();
    this.available = null;
    this.redraw();
  }

  redraw() {
    if (this.last) this.draw(...this.last);
  }

  showEmpty(none) {
    this.empty.hidden = !none;
    this.canvas.hidden = none;
    this.legend.hidden = none;
    this.value.hidden = none;
  }

  /** Fetch the windows covering [startMs, endMs] that are missing, then draw again. */
  fetch(startMs, endMs) {
    if (Date.now() - this.failedAt < RETRY_MS) return; // the server refused or could not be reached just now
    const first = Math.max(0, Math.floor(startMs / WINDOW_MS));
    const last = Math.max(first, Math.floor(endMs / WINDOW_MS));
    for (let index = first; index <= last; index += 1) {
      if (this.windows.has(index)) continue;
      const request = this.load(index * WINDOW_MS, (index + 1) * WINDOW_MS);
      this.windows.set(index, request);
      request.then(
        (answer) => {
          this.windows.set(index, answer);
          this.available = answer.available;
          this.redraw();
        },
        () => {
          this.windows.delete(index); // tried again at a draw after RETRY_MS
          this.failedAt = Date.now();
        },
      );
    }
  }

  /** The fetched answers overlapping [startMs, endMs]. */
  answers(startMs, endMs) {
    const out = [];
    for (const [index, answer] of this.windows) {
      if (answer instanceof Promise || !answer.available) continue;
      if ((index + 1) * WINDOW_MS >= startMs && index * WINDOW_MS <= endMs) out.push(answer);
    }
    return out;
  }

  /** The value of series `name` at `ms` (null without a face there or before its window arrived). */
  valueAt(name, ms) {
    const answer = this.windows.get(Math.max(0, Math.floor(ms / WINDOW_MS)));
    if (!answer || answer instanceof Promise || !answer.available) return null;
    const series = answer.series.find((s) => s.name === name);
    const index = Math.round((ms * answer.fps) / 1000) - answer.first_frame;
    return series && index >= 0 && index < series.values.length ? series.values[index] : null;
  }

  /** Draw the range [startMs, endMs] across `widthPx`, with the playhead at `playheadMs`. */
  draw(startMs, endMs, widthPx, playheadMs) {
    this.last = [startMs, endMs, widthPx, playheadMs];
    this.root.style.width = `${widthPx}px`;
    this.root.dataset.timeMs = String(Math.round(playheadMs));
    this.fetch(startMs, endMs);
    const answers = this.answers(startMs - 1000, endMs + 1000);
    this.showEmpty(this.available !== true);
    if (this.available !== true) return;
    const names = this.chosen();
    const { ctx, height } = sizedContext(this.canvas, this.root, widthPx);
    const x = (t) => ((t - startMs) / (endMs - startMs)) * widthPx;
    const [low, high] = this.range(answers, names);
    const y = (v) => height - 4 - ((v - low) / (high - low || 1)) * (height - 18);
    if (low < 0 && high > 0) {
      ctx.strokeStyle = "#d0d7de";
      ctx.beginPath();
      ctx.moveTo(0, y(0));
      ctx.lineTo(widthPx, y(0));
      ctx.stroke();
    }
    names.forEach((name, i) => {
      ctx.strokeStyle = COLOURS[i % COLOURS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      for (const answer of answers) {
        const series = answer.series.find((s) => s.name === name);
        let drawing = false;
        series.values.forEach((v, j) => {
          const t = ((answer.first_frame + j) * 1000) / answer.fps;
          if (v === null || t < startMs - 1000 || t > endMs + 1000) {
            drawing = false;
            return;
          }
          if (drawing) ctx.lineTo(x(t), y(v));
          else ctx.moveTo(x(t), y(v));
          drawing = true;
        });
      }
      ctx.stroke();
    });
    drawPlayhead(ctx, x(playheadMs), height);
    this.describe(names, playheadMs);
  }

  /** The lowest and highest value of the chosen series over the whole video. */
  range(answers, names) {
    const chosen = answers.length ? answers[0].series.filter((s) => names.includes(s.name) && s.min !== null) : [];
    if (!chosen.length) return [0, 1];
    return [Math.min(...chosen.map((s) => s.min)), Math.max(...chosen.map((s) => s.max))];
  }

  /** The legend, and each chosen series' value at the playhead. */
  describe(names, playheadMs) {
    this.legend.replaceChildren(...names.map((name, i) => legendItem(NAMES.get(name) || name, COLOURS[i % COLOURS.length])));
    this.canvas.setAttribute("aria-label", names.map((name) => NAMES.get(name) || name).join(", "));
    this.value.textContent = names.map((name) => {
      const v = this.valueAt(name, playheadMs);
      return format(gettext("%(name)s: %(value)s"), { name: NAMES.get(name) || name, value: v === null ? "–" : v.toFixed(3) });
    }).join(" · ");
  }
}
