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

  /** Replace the series shown; each is {name, times_ms: number[], values: number[]} of equal lengths, times in
   * order. Each series' lowest and highest value are found here, once, not at every frame. */
  setSeries(series) {
    this.series = series.filter((s) => s.times_ms && s.values && s.times_ms.length === s.values.length);
    this.ranges = this.series.map((s) => valueRange(s.values));
    const none = this.series.length === 0;
    this.empty.hidden = !none;
    this.canvas.hidden = none;
    this.legend.replaceChildren(...this.series.map((s, i) => legendItem(seriesName(s.name), COLOURS[i % COLOURS.length])));
    this.canvas.setAttribute("aria-label", this.series.map((s) => seriesName(s.name)).join(", "));
  }

  /** Draw the range [startMs, endMs] across `widthPx`, with the playhead at `playheadMs`; only the points in
   * (and a second around) that range are read. */
  draw(startMs, endMs, widthPx, playheadMs) {
    if (!this.series.length) return;
    const { ctx, height } = sizedContext(this.canvas, this.root, widthPx);
    const x = (t) => ((t - startMs) / (endMs - startMs)) * widthPx;
    this.series.forEach((s, i) => {
      const [min, span] = this.ranges[i];
      ctx.strokeStyle = COLOURS[i % COLOURS.length];
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      const first = firstAtOrAfter(s.times_ms, startMs - 1000);
      for (let j = first; j < s.times_ms.length && s.times_ms[j] <= endMs + 1000; j += 1) {
        const y = height - 4 - ((s.values[j] - min) / span) * (height - 8);
        if (j > first) ctx.lineTo(x(s.times_ms[j]), y);
        else ctx.moveTo(x(s.times_ms[j]), y);
      }
      ctx.stroke();
    });
    drawPlayhead(ctx, x(playheadMs), height);
  }
}

/** The lowest of `values` and the span from it to the highest (1 when they are all equal), in one pass: spreading
 * a long recording's values into Math.min overflows the call stack. */
export function valueRange(values) {
  let [min, max] = [Infinity, -Infinity];
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max - min || 1];
}

/** The index of the first of the ordered `times` at or after `ms` (their length when there is none). */
function firstAtOrAfter(times, ms) {
  let [lo, hi] = [0, times.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The canvas of a lane sized to `widthPx` and the height of `root` (sharp on high-density screens), cleared: its 2D
 * context in CSS pixels, and that height. The bitmap is reallocated only when that size changes, not at every frame. */
export function sizedContext(canvas, root, widthPx) {
  const height = root.clientHeight || 60;
  const ratio = window.devicePixelRatio || 1;
  const [width, rows] = [Math.max(1, Math.round(widthPx * ratio)), Math.round(height * ratio)];
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== rows) canvas.height = rows;
  canvas.style.width = `${widthPx}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, widthPx, height);
  ctx.lineWidth = 1;
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
