// Keyboard shortcuts of the editor (also listed on the Help page). Keys typed into fields are left alone.

/** Install the shortcuts; `c` holds the commands (see editor.js), `canEdit` disables edit shortcuts. */
export function installShortcuts(c, canEdit) {
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const saveKey = (event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s";
    if (!saveKey && target.closest && target.closest("input, textarea, select, [contenteditable=true], dialog")) return;
    // Enter activates a focused button or link; Space stays play/pause everywhere.
    if (event.key === "Enter" && target.closest && target.closest("button, a, [tabindex='0'].tl-label")) return;
    const run = command(event, c, canEdit);
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

function command(e, c, canEdit) {
  const ctrl = e.ctrlKey || e.metaKey;
  const key = e.key;
  const edit = (fn) => (canEdit ? fn : null);
  if (ctrl) {
    if (key.toLowerCase() === "z") return edit(e.shiftKey ? c.redo : c.undo);
    if (key.toLowerCase() === "y") return edit(c.redo);
    if (key.toLowerCase() === "s") return c.save;
    if (e.shiftKey && key === "ArrowLeft") return () => c.jumpAnnotation(-1, true);
    if (e.shiftKey && key === "ArrowRight") return () => c.jumpAnnotation(1, true);
    return null;
  }
  if (e.altKey) {
    if (key === "ArrowLeft") return edit(() => c.nudge(-1, e.shiftKey ? "end" : "both"));
    if (key === "ArrowRight") return edit(() => c.nudge(1, e.shiftKey ? "end" : "both"));
    if (e.code === "Comma") return edit(() => c.nudge(-1, "start")); // by key position: Alt+, types other things
    if (e.code === "Period") return edit(() => c.nudge(1, "start"));
    return null;
  }
  switch (key) {
    case " ": return c.togglePlay;
    case "ArrowLeft": return e.shiftKey ? () => c.jumpAnnotation(-1) : () => c.stepFrames(-1);
    case "ArrowRight": return e.shiftKey ? () => c.jumpAnnotation(1) : () => c.stepFrames(1);
    case "ArrowUp": return () => c.selectTier(-1);
    case "ArrowDown": return () => c.selectTier(1);
    case "l": case "L": return c.toggleLoop;
    case "[": return () => c.changeSpeed(-1);
    case "]": return () => c.changeSpeed(1);
    case "+": case "=": return () => c.zoom(1.5);
    case "-": case "_": return () => c.zoom(1 / 1.5);
    case "?": return c.help;
    case "Enter": return edit(c.editSelected);
    case "Delete": case "Backspace": return edit(c.deleteSelected);
    case "s": case "S": return edit(c.split);
    case "m": case "M": return edit(c.merge);
    case "Escape": return c.clearSelection;
    default: return null;
  }
}
