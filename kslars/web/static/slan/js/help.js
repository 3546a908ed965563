// The Help page's table of keyboard shortcuts, drawn from the editor's own keymap (keymap.js).
//
// Hooks (data-testid): shortcut-list (the table's body), shortcut (one row; data-label = what it does).
import { SHORTCUTS } from "./keymap.js";

function keysCell(keys) {
  const cell = document.createElement("td");
  keys.forEach((combination, i) => {
    if (i) cell.append(" / ");
    combination.forEach((key, j) => {
      if (j) cell.append("+");
      const kbd = document.createElement("kbd");
      kbd.textContent = key;
      cell.append(kbd);
    });
  });
  return cell;
}

const list = document.querySelector('[data-testid="shortcut-list"]');
if (list) {
  list.replaceChildren(...SHORTCUTS.map((shortcut) => {
    const row = document.createElement("tr");
    row.dataset.testid = "shortcut";
    const label = document.createElement("td");
    label.textContent = shortcut.label;
    row.append(keysCell(shortcut.keys), label);
    return row;
  }));
}
