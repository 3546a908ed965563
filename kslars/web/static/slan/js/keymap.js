// The editor's keyboard shortcuts, in one table: the key handler (keys.js) looks commands up in it and the Help
// page lists it (help.js), so the two cannot disagree. Pure data and functions: nothing here touches the page.
//
// A shortcut has the `keys` shown to people (alternatives, each a list of keys pressed together), what it does
// (`label`), whether it changes the document (`edit`: off for viewers), and its `bindings`: a key (event.key, or
// event.code where the key's position matters), the modifiers it needs and the command it runs on the editor's
// commands `c` (see editor.js). Ctrl stands for Cmd on a Mac as well; a binding that does not name Shift takes
// the key with or without it.
import { gettext } from "./i18n.js";

const ctrl = { ctrl: true };
const alt = { alt: true };

/** Every shortcut of the editor, in the order Help lists them. */
export const SHORTCUTS = [
  {
    keys: [["Space"]], label: gettext("Play or pause"),
    bindings: [{ key: " ", run: (c) => c.togglePlay() }],
  },
  {
    keys: [["←"], ["→"]], label: gettext("One frame back / forward"),
    bindings: [
      { key: "ArrowLeft", shift: false, run: (c) => c.stepFrames(-1) },
      { key: "ArrowRight", shift: false, run: (c) => c.stepFrames(1) },
    ],
  },
  {
    keys: [["Shift", "←"], ["Shift", "→"]], label: gettext("Go to the previous / next annotation on the selected tier"),
    bindings: [
      { key: "ArrowLeft", shift: true, run: (c) => c.jumpAnnotation(-1) },
      { key: "ArrowRight", shift: true, run: (c) => c.jumpAnnotation(1) },
    ],
  },
  {
    keys: [["Ctrl", "Shift", "←"], ["Ctrl", "Shift", "→"]],
    label: gettext("Go to the previous / next annotation on any tier"),
    bindings: [
      { key: "ArrowLeft", ...ctrl, shift: true, run: (c) => c.jumpAnnotation(-1, true) },
      { key: "ArrowRight", ...ctrl, shift: true, run: (c) => c.jumpAnnotation(1, true) },
    ],
  },
  {
    keys: [["L"]], label: gettext("Loop the selected annotation"),
    bindings: [{ key: "l", run: (c) => c.toggleLoop() }],
  },
  {
    keys: [["["], ["]"]], label: gettext("Slower / faster (0.1× to 2×)"),
    bindings: [{ key: "[", run: (c) => c.changeSpeed(-1) }, { key: "]", run: (c) => c.changeSpeed(1) }],
  },
  {
    keys: [["Enter"]], label: gettext("Edit the selected annotation's value (Enter saves, Escape cancels)"), edit: true,
    bindings: [{ key: "Enter", run: (c) => c.editSelected() }],
  },
  {
    keys: [["Delete"], ["Backspace"]], label: gettext("Delete the selected annotations"), edit: true,
    bindings: [{ key: "Delete", run: (c) => c.deleteSelected() }, { key: "Backspace", run: (c) => c.deleteSelected() }],
  },
  {
    keys: [["S"]], label: gettext("Split the selected annotation at the playhead"), edit: true,
    bindings: [{ key: "s", run: (c) => c.split() }],
  },
  {
    keys: [["M"]], label: gettext("Merge the selected annotations"), edit: true,
    bindings: [{ key: "m", run: (c) => c.merge() }],
  },
  {
    keys: [["Alt", "←"], ["Alt", "→"]], label: gettext("Move the selected annotation one frame earlier / later"),
    edit: true,
    bindings: [
      { key: "ArrowLeft", ...alt, shift: false, run: (c) => c.nudge(-1, "both") },
      { key: "ArrowRight", ...alt, shift: false, run: (c) => c.nudge(1, "both") },
    ],
  },
  {
    keys: [["Alt", "Shift", "←"], ["Alt", "Shift", "→"]],
    label: gettext("Make the selected annotation end one frame earlier / later"), edit: true,
    bindings: [
      { key: "ArrowLeft", ...alt, shift: true, run: (c) => c.nudge(-1, "end") },
      { key: "ArrowRight", ...alt, shift: true, run: (c) => c.nudge(1, "end") },
    ],
  },
  {
    // by the key's position: Alt+, types other characters on some layouts
    keys: [["Alt", ","], ["Alt", "."]], label: gettext("Make the selected annotation start one frame earlier / later"),
    edit: true,
    bindings: [
      { code: "Comma", ...alt, run: (c) => c.nudge(-1, "start") },
      { code: "Period", ...alt, run: (c) => c.nudge(1, "start") },
    ],
  },
  {
    keys: [["Ctrl", "Z"]], label: gettext("Undo"), edit: true,
    bindings: [{ key: "z", ...ctrl, shift: false, run: (c) => c.undo() }],
  },
  {
    keys: [["Ctrl", "Shift", "Z"], ["Ctrl", "Y"]], label: gettext("Redo"), edit: true,
    bindings: [{ key: "z", ...ctrl, shift: true, run: (c) => c.redo() }, { key: "y", ...ctrl, run: (c) => c.redo() }],
  },
  {
    keys: [["Ctrl", "S"]], label: gettext("Save now"), inFields: true,
    bindings: [{ key: "s", ...ctrl, run: (c) => c.save() }],
  },
  {
    keys: [["+"], ["-"]], label: gettext("Zoom the timeline in / out"),
    bindings: [
      { key: "+", run: (c) => c.zoom(1.5) }, { key: "=", run: (c) => c.zoom(1.5) },
      { key: "-", run: (c) => c.zoom(1 / 1.5) }, { key: "_", run: (c) => c.zoom(1 / 1.5) },
    ],
  },
  {
    keys: [["↑"], ["↓"]], label: gettext("Select the tier above / below"),
    bindings: [{ key: "ArrowUp", run: (c) => c.selectTier(-1) }, { key: "ArrowDown", run: (c) => c.selectTier(1) }],
  },
  {
    keys: [["1"], ["2"], ["3"]], label: gettext("Take the first, second or third predicted value of the selected annotation"),
    edit: true,
    bindings: [0, 1, 2].map((i) => ({ key: String(i + 1), run: (c) => c.takeAlternative(i) })),
  },
  {
    keys: [["Escape"]], label: gettext("Select nothing"),
    bindings: [{ key: "Escape", run: (c) => c.clearSelection() }],
  },
  {
    keys: [["?"]], label: gettext("Open this help"),
    bindings: [{ key: "?", run: (c) => c.help() }],
  },
];

/** Whether `event` (a KeyboardEvent, or an object with its key, code and modifier fields) presses `binding`. */
export function matches(binding, event) {
  const key = event.key && event.key.length === 1 ? event.key.toLowerCase() : event.key;
  if (binding.code ? event.code !== binding.code : key !== binding.key) return false;
  if (Boolean(binding.ctrl) !== Boolean(event.ctrlKey || event.metaKey)) return false;
  if (Boolean(binding.alt) !== Boolean(event.altKey)) return false;
  return binding.shift === undefined || binding.shift === Boolean(event.shiftKey);
}

/** The shortcut and binding that `event` presses, as { shortcut, binding }, or null. */
export function shortcutFor(event) {
  for (const shortcut of SHORTCUTS) {
    for (const binding of shortcut.bindings) if (matches(binding, event)) return { shortcut, binding };
  }
  return null;
}

/** What `event` should do in the editor: a function running the command on `commands`, or null when the key is
 * no shortcut, or one that changes the document while `canEdit` is off. */
export function commandFor(event, commands, canEdit) {
  const found = shortcutFor(event);
  if (!found || (found.shortcut.edit && !canEdit)) return null;
  return () => found.binding.run(commands);
}
