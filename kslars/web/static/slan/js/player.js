// The video player: play/pause, speed, frame steps, looping a time range, and the time/frame readout.
// Without a video it keeps a plain position so that the timeline and "split at playhead" still work.
import { gettext } from "./i18n.js";

export const SPEEDS = [0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];
const DEFAULT_FPS = 25;

/** "mm:ss.mmm" for a time in milliseconds. */
export function formatTime(ms) {
  const total = Math.max(0, Math.round(ms));
  const minutes = Math.floor(total / 60000);
  const seconds = Math.floor((total % 60000) / 1000);
  const millis = total % 1000;
  return `${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}.${String(millis).padStart(3, "0")}`;
}

/** Wraps the <video> element and the player controls found by data-testid inside `root`. */
export class Player {
  constructor(root, { fps, onTime }) {
    this.root = root;
    this.video = root.querySelector("video");
    this.fps = fps || DEFAULT_FPS;
    this.onTime = onTime;
    this.virtualMs = 0;
    this.loopRange = null;
    this.hasSource = false;
    this.el = (id) => root.querySelector(`[data-testid="${id}"]`);
    this.bindControls();
    this.bindVideo();
    this.render();
  }

  bindControls() {
    this.el("play-button").addEventListener("click", () => this.togglePlay());
    this.el("frame-back").addEventListener("click", () => this.stepFrames(-1));
    this.el("frame-forward").addEventListener("click", () => this.stepFrames(1));
    const speed = this.el("speed-select");
    for (const s of SPEEDS) speed.add(new Option(`${s}×`, String(s), s === 1, s === 1));
    speed.addEventListener("change", () => this.setRate(Number(speed.value)));
  }

  bindVideo() {
    const v = this.video;
    for (const name of ["play", "pause", "ratechange", "loadedmetadata"]) v.addEventListener(name, () => this.render());
    v.addEventListener("seeked", () => this.tick());
    v.addEventListener("timeupdate", () => this.tick());
    v.addEventListener("error", () => this.showState(gettext("The video cannot be played in this browser.")));
    const loop = () => {
      this.tick();
      this.frameRequest = "requestVideoFrameCallback" in v
        ? v.requestVideoFrameCallback(loop)
        : requestAnimationFrame(loop);
    };
    v.addEventListener("play", () => {
      if (!this.frameRequest) loop();
    });
    v.addEventListener("pause", () => {
      if ("cancelVideoFrameCallback" in v) v.cancelVideoFrameCallback(this.frameRequest);
      cancelAnimationFrame(this.frameRequest);
      this.frameRequest = null;
      this.tick();
    });
  }

  /** Load the playable video at `url` with its frame rate. */
  setSource(url, fps) {
    if (fps) this.fps = fps;
    this.hasSource = true;
    this.video.src = url;
    this.video.hidden = false;
    this.showState("");
  }

  showState(text) {
    const state = this.el("video-state");
    state.textContent = text;
    state.hidden = !text;
  }

  get timeMs() {
    return this.hasSource ? Math.round(this.video.currentTime * 1000) : this.virtualMs;
  }

  get frame() {
    return Math.floor((this.timeMs / 1000) * this.fps + 1e-3);
  }

  get playing() { return this.hasSource && !this.video.paused; }

  /** Jump to `ms` (the position where frame boundaries fall is the browser's). */
  seekMs(ms) {
    const clamped = Math.max(0, ms);
    if (this.hasSource) this.video.currentTime = clamped / 1000;
    else this.virtualMs = Math.round(clamped);
    this.tick();
  }

  /** Show frame `n`: seek to the middle of it so rounding cannot land on its neighbour. */
  seekFrame(n) {
    this.seekMs(((Math.max(0, n) + 0.5) / this.fps) * 1000);
  }

  stepFrames(delta) {
    if (this.playing) this.video.pause();
    this.seekFrame(this.frame + delta);
  }

  togglePlay() {
    if (!this.hasSource) return;
    if (this.video.paused) this.video.play().catch(() => {});
    else this.video.pause();
  }

  setRate(rate) {
    this.video.playbackRate = rate;
    this.el("speed-select").value = String(rate);
    this.render();
  }

  /** Move to the next slower (-1) or faster (+1) speed. */
  changeSpeed(direction) {
    const i = SPEEDS.indexOf(this.video.playbackRate);
    const next = SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, (i < 0 ? SPEEDS.indexOf(1) : i) + direction))];
    this.setRate(next);
  }

  /** Loop [start, end] ms (null stops looping). */
  setLoop(range) {
    this.loopRange = range;
    if (range) {
      this.seekMs(range[0]);
      if (this.hasSource && this.video.paused) this.video.play().catch(() => {});
    }
    this.render();
  }

  tick() {
    if (this.loopRange && this.playing && this.timeMs >= this.loopRange[1]) this.seekMs(this.loopRange[0]);
    this.el("time-display").textContent = formatTime(this.timeMs);
    this.el("frame-display").textContent = `${gettext("frame")} ${this.frame}`;
    this.onTime(this.timeMs);
  }

  render() {
    const play = this.el("play-button");
    play.textContent = this.playing ? "❚❚" : "▶";
    play.setAttribute("aria-label", this.playing ? gettext("Pause (Space)") : gettext("Play (Space)"));
    play.setAttribute("aria-pressed", String(this.playing));
    const loop = this.el("loop-button");
    loop.setAttribute("aria-pressed", String(Boolean(this.loopRange)));
    loop.classList.toggle("active", Boolean(this.loopRange));
    this.tick();
  }
}
