// Predictions of the automatic annotation carry their confidence and top-3 alternatives (attributes.confidence,
// attributes.alternatives = [[value, probability], ...]). When one such annotation is selected this panel shows
// them; a click or the keys 1, 2, 3 (keymap.js) take an alternative as an ordinary, undoable value edit.
//
// Hooks (data-testid): alternatives (the panel), alternative (one choice; data-class = its value).
import { format, gettext } from "./i18n.js";

function percent(p) {
  return `${Math.round(Number(p) * 100)} %`;
}

/** The panel in `root`; `take(id, value)` sets an annotation's value through the undo history. */
export class Alternatives {
  constructor(root, { store, canEdit, take }) {
    this.root = root;
    this.store = store;
    this.canEdit = canEdit;
    this.take = take;
  }

  /** The single selected annotation with alternatives, or null. */
  current() {
    const chosen = this.store.selected();
    if (chosen.length !== 1) return null;
    const alternatives = (chosen[0].attributes || {}).alternatives;
    return Array.isArray(alternatives) && alternatives.length ? chosen[0] : null;
  }

  render() {
    const a = this.current();
    this.root.hidden = !a;
    if (!a) {
      this.root.replaceChildren();
      return;
    }
    const { confidence, alternatives } = a.attributes;
    const label = document.createElement("span");
    label.className = "alt-confidence";
    label.textContent = confidence != null
      ? format(gettext("Predicted (confidence %(confidence)s):"), { confidence: percent(confidence) })
      : gettext("Predicted:");
    const choices = alternatives.slice(0, 3).map(([value, p], i) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "ed-button alt-choice";
      button.dataset.testid = "alternative";
      button.dataset.class = value;
      button.disabled = !this.canEdit;
      button.classList.toggle("is-current", value === a.value);
      button.setAttribute("aria-pressed", String(value === a.value));
      button.title = this.canEdit ? format(gettext("Take this value (key %(key)s)"), { key: i + 1 }) : "";
      const key = document.createElement("kbd");
      key.textContent = String(i + 1);
      button.append(key, ` ${value} `, percent(p));
      button.addEventListener("click", () => this.choose(i));
      return button;
    });
    this.root.replaceChildren(label, ...choices);
  }

  /** Give the selected annotation its alternative number `index` (0-based). */
  choose(index) {
    const a = this.current();
    if (!a || !this.canEdit) return;
    const alternative = a.attributes.alternatives[index];
    if (!alternative || alternative[0] === a.value) return;
    this.take(a.id, alternative[0]);
  }
}
