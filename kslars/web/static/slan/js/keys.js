// The editor's keyboard shortcuts, as keymap.js lists them (Help shows the same table). Keys typed into fields
// are left alone, except the shortcuts that work there too (Ctrl+S).
import { commandFor, shortcutFor } from "./keymap.js";

const FIELDS = "input, textarea, select, [contenteditable=true], dialog";

/** Install the shortcuts; `c` holds the commands (see editor.js), `canEdit` disables edit shortcuts. */
export function installShortcuts(c, canEdit) {
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const found = shortcutFor(event);
    if (!found) return;
    if (!found.shortcut.inFields && target.closest && target.closest(FIELDS)) return;
    // Enter activates a focused button or link; Space stays play/pause everywhere.
    if (event.key === "Enter" && target.closest && target.closest("button, a, [tabindex='0'].tl-label")) return;
    const run = commandFor(event, c, canEdit);
    if (run) {
      event.preventDefault();
      run();
    }
  });
  // A focused button would also "click" on Space's keyup: Space belongs to play/pause.
  document.addEventListener("keyup", (event) => {
    if (event.key === " " && !(event.target.closest && event.target.closest("input, textarea, select, dialog"))) {
      event.preventDefault();
    }
  });
}
