// The editor's keymap (keymap.js): the handler and Help's table come from the same entries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { SHORTCUTS, commandFor, shortcutFor } from "../../kslars/web/static/slan/js/keymap.js";

/** A recorder of command calls, standing in for the editor's commands. */
function recorder() {
  const calls = [];
  const commands = new Proxy({}, { get: (_, name) => (...args) => calls.push([name, ...args]) });
  return { calls, commands };
}

/** What pressing `key` with `modifiers` does: the command calls, or null when nothing runs. */
function press(key, modifiers = {}, canEdit = true) {
  const { calls, commands } = recorder();
  const run = commandFor({ key, code: modifiers.code, ...modifiers }, commands, canEdit);
  if (!run) return null;
  run();
  return calls;
}

test("each key does what Help says", () => {
  assert.deepEqual(press(" "), [["togglePlay"]]);
  assert.deepEqual(press("ArrowLeft"), [["stepFrames", -1]]);
  assert.deepEqual(press("ArrowRight", { shiftKey: true }), [["jumpAnnotation", 1]]);
  assert.deepEqual(press("ArrowLeft", { ctrlKey: true, shiftKey: true }), [["jumpAnnotation", -1, true]]);
  assert.deepEqual(press("L", { shiftKey: true }), [["toggleLoop"]]);
  assert.deepEqual(press("z", { ctrlKey: true }), [["undo"]]);
  assert.deepEqual(press("z", { metaKey: true }), [["undo"]]); // Cmd on a Mac
  assert.deepEqual(press("Z", { ctrlKey: true, shiftKey: true }), [["redo"]]);
  assert.deepEqual(press("y", { ctrlKey: true }), [["redo"]]);
  assert.deepEqual(press("s", { ctrlKey: true }), [["save"]]);
  assert.deepEqual(press("s"), [["split"]]);
  assert.deepEqual(press("ArrowRight", { altKey: true }), [["nudge", 1, "both"]]);
  assert.deepEqual(press("ArrowLeft", { altKey: true, shiftKey: true }), [["nudge", -1, "end"]]);
  assert.deepEqual(press("≤", { altKey: true, code: "Comma" }), [["nudge", -1, "start"]]); // Option+, on a Mac
  assert.deepEqual(press("="), [["zoom", 1.5]]);
  assert.deepEqual(press("_", { shiftKey: true }), [["zoom", 1 / 1.5]]);
  assert.deepEqual(press("2"), [["takeAlternative", 1]]);
  assert.deepEqual(press("Escape"), [["clearSelection"]]);
  assert.deepEqual(press("?", { shiftKey: true }), [["help"]]);
});

test("keys that are no shortcut do nothing", () => {
  assert.equal(press("x"), null);
  assert.equal(press("a", { ctrlKey: true }), null); // the browser's select-all stays
  assert.equal(press("[", { ctrlKey: true, altKey: true }), null); // AltGr types characters on some layouts
  assert.equal(press("s", { altKey: true }), null);
});

test("viewers get the shortcuts that do not change the document, and only those", () => {
  assert.deepEqual(press("ArrowRight", {}, false), [["stepFrames", 1]]);
  assert.deepEqual(press("s", { ctrlKey: true }, false), [["save"]]);
  for (const [key, modifiers] of [["Delete", {}], ["m", {}], ["z", { ctrlKey: true }], ["1", {}], ["Enter", {}]]) {
    assert.equal(press(key, modifiers, false), null, key);
  }
});

test("every binding is reached by its own keys: no shortcut hides another", () => {
  for (const shortcut of SHORTCUTS) {
    for (const binding of shortcut.bindings) {
      const event = {
        key: binding.key, code: binding.code, ctrlKey: Boolean(binding.ctrl), altKey: Boolean(binding.alt),
        shiftKey: Boolean(binding.shift),
      };
      assert.equal(shortcutFor(event)?.binding, binding, `${shortcut.label}: ${binding.key || binding.code}`);
    }
  }
});

test("every shortcut has keys to show and a label", () => {
  for (const shortcut of SHORTCUTS) {
    assert.ok(shortcut.label, JSON.stringify(shortcut.keys));
    assert.ok(shortcut.keys.length > 0 && shortcut.keys.every((combination) => combination.length > 0));
    assert.ok(shortcut.bindings.length >= shortcut.keys.length, shortcut.label);
  }
});
