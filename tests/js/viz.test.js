// The hand-speed lane (viz.js), drawn at every frame of playback: its work per frame must not grow with the whole
// recording, and a long recording's series must draw at all. A few stand-ins for the page's elements and canvas.
import { test } from "node:test";
import assert from "node:assert/strict";

/** A 2D context that keeps the y of every point drawn since it was last cleared. */
class FakeContext {
  constructor() { this.reset(); }
  reset() { this.ys = []; this.transform = [1, 0, 0, 1, 0, 0]; }
  setTransform(...m) { this.transform = m; }
  scale(x, y) { this.transform = [this.transform[0] * x, 0, 0, this.transform[3] * y, 0, 0]; }
  clearRect() { this.ys = []; }
  beginPath() {}
  stroke() {}
  moveTo(x, y) { this.ys.push(y); }
  lineTo(x, y) { this.ys.push(y); }
}

class FakeElement {
  constructor() {
    this.dataset = {};
    this.style = { setProperty() {} };
    this.children = [];
    this.clientHeight = 60;
  }
  setAttribute() {}
  append(...children) { this.children.push(...children); }
  replaceChildren(...children) { this.children = children; }
}

/** A canvas that counts how often its bitmap is reallocated (setting width or height does that, and clears it). */
class FakeCanvas extends FakeElement {
  constructor() {
    super();
    this.context = new FakeContext();
    this.sizes = 0;
    this.bitmap = [300, 150];
  }
  get width() { return this.bitmap[0]; }
  set width(w) { this.bitmap = [w, this.bitmap[1]]; this.resized(); }
  get height() { return this.bitmap[1]; }
  set height(h) { this.bitmap = [this.bitmap[0], h]; this.resized(); }
  resized() { this.sizes += 1; this.context.reset(); }
  getContext() { return this.context; }
}

globalThis.window = { devicePixelRatio: 2 };
globalThis.document = { createElement: (tag) => (tag === "canvas" ? new FakeCanvas() : new FakeElement()) };
const { VizPanel } = await import("../../kslars/web/static/slan/js/viz.js");

/** A hand-speed series of `frames` frames at 30 fps: a slow ramp from 0 up to 1. */
function speed(frames) {
  const times = Array.from({ length: frames }, (_, i) => Math.round((i * 1000) / 30));
  const values = Array.from({ length: frames }, (_, i) => i / (frames - 1));
  return { name: "Right hand speed", times_ms: times, values };
}

/** `values` behind a proxy that counts the values read. */
function counted(values) {
  const reads = { count: 0 };
  const proxy = new Proxy(values, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) reads.count += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { proxy, reads };
}

test("a two-hour recording's series draws, scaled to its lowest and highest value", () => {
  const panel = new VizPanel(new FakeElement());
  const series = speed(2 * 60 * 60 * 30);
  panel.setSeries([series]);
  const endMs = series.times_ms.at(-1);
  panel.draw(0, endMs, 800, 0);
  const ys = panel.canvas.context.ys;
  assert.ok(ys.length > 0);
  assert.equal(Math.max(...ys.slice(0, 10)), 60 - 4); // the lowest value at the bottom
  panel.draw(endMs - 10000, endMs, 800, endMs);
  const line = panel.canvas.context.ys.slice(0, -2); // the last two points are the playhead's
  assert.equal(Math.min(...line), 4); // the highest value at the top, also when only the end is in view
});

test("frames at one size reuse the canvas and read only the series' visible part", () => {
  const panel = new VizPanel(new FakeElement());
  const series = speed(50000); // about 28 minutes
  const { proxy, reads } = counted(series.values);
  panel.setSeries([{ ...series, values: proxy }]);
  const sizes = panel.canvas.sizes;
  reads.count = 0;
  for (let frame = 0; frame < 10; frame += 1) panel.draw(60000 + frame * 33, 70000 + frame * 33, 800, 65000);
  assert.ok(reads.count < 10 * 500, `${reads.count} values read for 10 frames of 10 s (300 frames) each`);
  assert.ok(panel.canvas.sizes - sizes <= 2, "the canvas was reallocated at every frame");
  assert.deepEqual(panel.canvas.context.transform, [2, 0, 0, 2, 0, 0]); // drawn in CSS pixels on a 2x screen
  const ys = panel.canvas.context.ys;
  assert.ok(ys.length > 250 && ys.length < 400, `${ys.length} points in the last frame`);
});
