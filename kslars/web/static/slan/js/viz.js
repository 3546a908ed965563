// The supplementary visualisation lane under the tiers: time series (e.g. hand speed from automatic
// annotation) drawn on the timeline's time axis with the playhead. Until a series exists it says so.
import { gettext } from "./i18n.js";
import { seriesName } from "./names.js";

const COLOURS = ["#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df"];

/** Draws series {name, times_ms, values} for the visible time range into a canvas inside `root`. */
export class VizPanel {
  constructor(root) {
    this.root = root;
    this.series = [];
    this.canvas = document.createElement("canvas");
    this.canvas.className = "viz-canvas";
    this.canvas.setAttribute("role", "img");
    this.empty = document.createElement("p");
    this.empty.className = "viz-empty";
    this.empty.dataset.testid = "viz-empty";
    this.empty.textContent = gettext("Time series from automatic annotation (e.g. hand speed) will appear here.");
    this.legend = document.createElement("ul");
    this.legend.className = "viz-legend";
    root.append(this.empty, this.canvas, this.legend);
    this.setSeries([]);
  }

  /** Replace the series shown; each is {name, times_ms: number[], values: number[]} of equal lengths. */
  setSeries(series) {
    this.series = series.filter((s) => s.times_ms && s.values && s.times_ms.length === s.values.length);
    const none = this.series.length === 0;
    this.empty.hidden = !none;
    this.canvas.hidden = none;
    this.legend.replaceChildren(...this.series.map((s, i) => legendItem(seriesName(s.name), COLOURS[i % COLOURS.length])));
    this.canvas.setAttribute("aria-label", this.series.map((s) => seriesName(s.name)).join(", "));
  }

  /** Draw the range [startMs, endMs] across `widthPx`, with the playhead at `playheadMs`. */
  draw(startMs, endMs, widthPx, playheadMs) {
    if (!this.series.length) return;
    const { ctx, height } = sizedContext(this.canvas, this.root, widthPx);
    const x = (t) => ((t - startMs) / (endMs - startMs)) * widthPx;
    this.series.forEach((s, i) => {
      const min = Math.min(...s.values);
      const span = Math.max(...s.values) - min || 1;
      ctx.strokeStyle = COLOURS[i % COLOURS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      let started = false;
      s.times_ms.forEach((t, j) => {
        if (t < startMs - 1000 || t > endMs + 1000) return;
        const y = height - 4 - ((s.values[j] - min) / span) * (height - 8);
        if (started) ctx.lineTo(x(t), y);
        else ctx.moveTo(x(t), y);
        started = true;
      });
      ctx.stroke();
    });
    drawPlayhead(ctx, x(playheadMs), height);
  }
}

/** The canvas of a lane sized to `widthPx` and the height of `root` (sharp on high-density screens): its 2D
 * context in CSS pixels, and that height. */
export function sizedContext(canvas, root, widthPx) {
  const height = root.clientHeight || 60;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(widthPx * ratio));
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${widthPx}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  return { ctx, height };
}

/** The playhead: a red line at `x` across the lane. */
export function drawPlayhead(ctx, x, height) {
  ctx.strokeStyle = "#d1242f";
  ctx.beginPath();
  ctx.moveTo(x, 0);
  ctx.lineTo(x, height);
  ctx.stroke();
}

/** A legend entry: `text` after a square of `colour`. */
export function legendItem(text, colour) {
  const item = document.createElement("li");
  item.style.setProperty("--colour", colour);
  item.textContent = text;
  return item;
}
