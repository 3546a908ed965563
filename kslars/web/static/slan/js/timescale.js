// The timeline's maths between time and pixels, apart from the page so that it can be tested alone: a scale is
// in pixels per millisecond; x is measured from the recording's start in the timeline's content.

/** Room after the recording's end, in pixels. */
export const END_PX = 40;
/** The furthest zoom in, in pixels per millisecond. */
export const MAX_SCALE = 5;
/** Zooming out stops at this scale, or sooner at the one where the whole recording fits. */
export const MIN_SCALE = 0.002;
/** The ruler's steps between ticks; the shortest that leaves TICK_PX between ticks is used. */
export const STEPS_MS = [10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000,
  600000];
const TICK_PX = 80;

/** The time at `x` pixels, kept within the recording (0..durationMs) and rounded to a millisecond. */
export function timeAtX(x, scale, durationMs) {
  return Math.max(0, Math.min(durationMs, Math.round(x / scale)));
}

/** The width of the timeline's content for a recording of `durationMs`. */
export function contentWidth(durationMs, scale) {
  return Math.ceil(durationMs * scale) + END_PX;
}

/** The scale at which a recording of `durationMs` fits `viewWidthPx`. */
export function fittingScale(viewWidthPx, durationMs) {
  return Math.max(1, viewWidthPx - END_PX - 1) / Math.max(1, durationMs);
}

/** `scale` zoomed by `factor`: in no further than MAX_SCALE, out no further than MIN_SCALE or the `fitting`
 * scale, whichever is smaller. */
export function zoomedScale(scale, factor, fitting) {
  return Math.min(MAX_SCALE, Math.max(Math.min(MIN_SCALE, fitting), scale * factor));
}

/** The scale of Fit: the fitting one when that is not too small or too large to work with (0.15..1 px/ms). */
export function comfortableScale(fitting) {
  return Math.min(1, Math.max(0.15, fitting));
}

/** The scroll position after a zoom from scale `before` to `after` that keeps `anchorMs` where it was on screen;
 * an anchor that was out of view comes to the middle. */
export function anchoredScroll(anchorMs, before, after, scrollLeft, viewWidthPx) {
  const x = anchorMs * before - scrollLeft;
  return anchorMs * after - (x >= 0 && x <= viewWidthPx ? x : viewWidthPx / 2);
}

/** The scroll position that brings `ms` into view (a third from the left), or null when it is in view. */
export function revealScroll(ms, scale, scrollLeft, viewWidthPx) {
  const x = ms * scale;
  if (x >= scrollLeft && x <= scrollLeft + viewWidthPx - 20) return null;
  return Math.max(0, x - viewWidthPx / 3);
}

/** The ruler's step between ticks at `scale`. */
export function tickStep(scale) {
  return STEPS_MS.find((s) => s * scale >= TICK_PX) || STEPS_MS[STEPS_MS.length - 1];
}
