// The landmark skeleton drawn over the video: upper body and both hands of the frame at the playhead, from
// GET /landmarks, fetched in windows of five minutes as the playhead reaches them (once for most videos).
// Coordinates arrive normalised to the video frame.
//
// Hooks (data-testid): skeleton-toggle (aria-pressed), skeleton-canvas.
import { gettext } from "./i18n.js";

const COLOURS = { body: "#f2cc60", left: "#58a6ff", right: "#ff7b72" };
const WINDOW_MS = 300000;

/** A canvas over `video` inside `wrap`, switched by `toggle`; `load(startMs, endMs)` resolves to /landmarks. */
export class SkeletonOverlay {
  constructor({ wrap, video, toggle, load, notify }) {
    this.wrap = wrap;
    this.video = video;
    this.toggle = toggle;
    this.load = load;
    this.notify = notify;
    this.windows = new Map(); // window index -> /landmarks answer, or the promise of it
    this.on = false;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "skeleton-canvas";
    this.canvas.dataset.testid = "skeleton-canvas";
    this.canvas.setAttribute("aria-hidden", "true");
    this.canvas.hidden = true;
    wrap.append(this.canvas);
    toggle.addEventListener("click", () => this.setOn(!this.on));
    window.addEventListener("resize", () => this.draw(this.lastMs || 0));
  }

  /** Forget the fetched landmarks (after processing made new ones). */
  invalidate() {
    this.windows.clear();
    if (this.on) this.setOn(true);
  }

  /** The landmarks of the window holding `ms`, fetched when first needed. */
  async fetchWindow(ms) {
    const index = Math.max(0, Math.floor(ms / WINDOW_MS));
    if (!this.windows.has(index)) {
      const request = this.load(index * WINDOW_MS, (index + 1) * WINDOW_MS);
      this.windows.set(index, request);
      try {
        this.windows.set(index, await request);
      } catch (err) {
        this.windows.delete(index);
        throw err;
      }
    }
    return this.windows.get(index);
  }

  async setOn(on) {
    this.on = on;
    this.toggle.setAttribute("aria-pressed", String(on));
    this.toggle.classList.toggle("active", on);
    this.canvas.hidden = !on;
    if (!on) return;
    let data;
    try {
      data = await this.fetchWindow(this.lastMs || 0);
    } catch (err) {
      this.notify(err.message, "error");
      return this.setOn(false);
    }
    if (!data.available) {
      this.notify(gettext("There are no landmarks yet: process the video first (Process video…)."));
      this.windows.clear();
      return this.setOn(false);
    }
    this.draw(this.lastMs || 0);
  }

  /** The rectangle the picture occupies inside the element (object-fit: contain leaves bars). */
  pictureRect(data) {
    const w = this.video.clientWidth || this.wrap.clientWidth;
    const h = this.video.clientHeight || this.wrap.clientHeight;
    const vw = this.video.videoWidth || data.width;
    const vh = this.video.videoHeight || data.height;
    const scale = Math.min(w / vw, h / vh);
    return { x: this.video.offsetLeft + (w - vw * scale) / 2, y: this.video.offsetTop + (h - vh * scale) / 2,
      width: vw * scale, height: vh * scale };
  }

  /** Draw the frame shown at `ms`. */
  draw(ms) {
    this.lastMs = ms;
    if (!this.on) return;
    const data = this.windows.get(Math.max(0, Math.floor(ms / WINDOW_MS)));
    if (!data || data instanceof Promise) {
      if (!data) this.fetchWindow(ms).then(() => this.draw(this.lastMs)).catch((err) => this.notify(err.message, "error"));
      return;
    }
    if (!data.available) return;
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.wrap.clientWidth * ratio);
    this.canvas.height = Math.round(this.wrap.clientHeight * ratio);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.wrap.clientWidth, this.wrap.clientHeight);
    const { fps, start_ms: start, frames } = data;
    const index = Math.floor(((ms - start) * fps) / 1000 + 1e-6);
    if (index < 0 || index >= frames.length) return;
    const [body, left, right] = frames[index];
    const rect = this.pictureRect(data);
    const at = (flat, i) => [rect.x + flat[2 * i] * rect.width, rect.y + flat[2 * i + 1] * rect.height];
    const part = (flat, edges, colour) => {
      if (!flat) return;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 2;
      ctx.beginPath();
      for (const [a, b] of edges) {
        if (2 * Math.max(a, b) + 1 >= flat.length) continue;
        ctx.moveTo(...at(flat, a));
        ctx.lineTo(...at(flat, b));
      }
      ctx.stroke();
      for (let i = 0; i < flat.length / 2; i += 1) {
        const [x, y] = at(flat, i);
        ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
      }
    };
    part(body, data.body_edges, COLOURS.body);
    part(left, data.hand_edges, COLOURS.left);
    part(right, data.hand_edges, COLOURS.right);
  }
}
