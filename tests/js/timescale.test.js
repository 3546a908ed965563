// The timeline's maths between time and pixels (timescale.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  END_PX, MAX_SCALE, MIN_SCALE, anchoredScroll, comfortableScale, contentWidth, fittingScale, revealScroll, tickStep,
  timeAtX, zoomedScale,
} from "../../kslars/web/static/slan/js/timescale.js";

test("time at a pixel is rounded and kept within the recording", () => {
  assert.equal(timeAtX(15, 0.15, 10000), 100);
  assert.equal(timeAtX(15.1, 0.15, 10000), 101);
  assert.equal(timeAtX(-30, 0.15, 10000), 0);
  assert.equal(timeAtX(5000, 0.15, 10000), 10000);
});

test("time and pixels go back and forth at every zoom", () => {
  for (const scale of [MIN_SCALE, 0.15, 1, MAX_SCALE]) {
    for (const ms of [0, 1, 999, 123457]) assert.equal(timeAtX(ms * scale, scale, 200000), ms);
  }
});

test("the content is the recording plus room after its end", () => {
  assert.equal(contentWidth(10000, 0.15), 1500 + END_PX);
  assert.equal(contentWidth(10001, 0.15), 1501 + END_PX); // rounded up: the end stays reachable
});

test("the fitting scale puts the whole recording in view", () => {
  const scale = fittingScale(1041, 60000);
  assert.ok(contentWidth(60000, scale) <= 1041);
  assert.equal(fittingScale(10, 60000), 1 / 60000); // a tiny view still gives a positive scale
  assert.equal(fittingScale(1041, 0), 1000); // an empty recording does not divide by zero
});

test("zoom in stops at the largest scale, zoom out at the smaller of the minimum and the fitting scale", () => {
  assert.equal(zoomedScale(4, 1.5, 0.1), MAX_SCALE);
  assert.equal(zoomedScale(0.15, 1.5, 0.1), 0.15 * 1.5);
  assert.equal(zoomedScale(0.0021, 0.5, 0.1), MIN_SCALE);
  const longFit = 0.0001; // a recording of hours
  assert.equal(zoomedScale(0.001, 0.5, longFit), 0.0005);
  assert.equal(zoomedScale(0.0002, 0.5, longFit), longFit);
});

test("Fit keeps the scale between 0.15 and 1 pixel per millisecond", () => {
  assert.equal(comfortableScale(0.01), 0.15);
  assert.equal(comfortableScale(0.5), 0.5);
  assert.equal(comfortableScale(3), 1);
});

test("zooming keeps the anchor where it was on screen", () => {
  const [anchor, before, after, scrollLeft, width] = [20000, 0.15, 0.3, 2700, 800];
  const x = anchor * before - scrollLeft; // 300 px into the view
  const scroll = anchoredScroll(anchor, before, after, scrollLeft, width);
  assert.equal(anchor * after - scroll, x);
});

test("an anchor out of view comes to the middle", () => {
  const scroll = anchoredScroll(50000, 0.15, 0.3, 0, 800);
  assert.equal(50000 * 0.3 - scroll, 400);
});

test("reveal scrolls only when the time is out of view", () => {
  assert.equal(revealScroll(1000, 0.15, 0, 800), null);
  assert.equal(revealScroll(10000, 0.15, 0, 900), 1500 - 300);
  assert.equal(revealScroll(100, 0.15, 500, 900), 0);
});

test("ruler ticks are at least 80 pixels apart, on round steps", () => {
  assert.equal(tickStep(0.15), 1000);
  assert.equal(tickStep(1), 100);
  assert.equal(tickStep(MAX_SCALE), 20);
  assert.equal(tickStep(0.00001), 600000); // zoomed out past every step: the longest
});
