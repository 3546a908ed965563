// The inline value editor: an input laid over an annotation on the timeline. Enter saves, Escape cancels,
// leaving the field saves a changed value. Vocabulary tiers offer their entries as suggestions.
import { gettext, format } from "./i18n.js";

/** One input that edits one annotation's value at a time. */
export class InlineEditor {
  constructor(layer, { store, onCommit, onDirty }) {
    this.store = store;
    this.onCommit = onCommit;
    this.onDirty = onDirty;
    this.id = null;
    this.input = document.createElement("input");
    this.input.type = "text";
    this.input.className = "tl-input";
    this.input.dataset.testid = "annotation-input";
    this.input.hidden = true;
    this.list = document.createElement("datalist");
    this.list.id = "slan-value-options";
    layer.append(this.input, this.list);
    this.input.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") return; // Save reaches the page
      event.stopPropagation();
      if (event.key === "Enter") {
        event.preventDefault();
        this.commit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
    this.input.addEventListener("input", () => this.onDirty(this.input.value !== this.original));
    this.input.addEventListener("blur", () => this.commit());
  }

  get open() { return this.id !== null; }

  /** Show the input over `box` ({left, top, width, height} in the layer's pixels) for annotation `id`. */
  show(id, box) {
    const annotation = this.store.annotation(id);
    if (!annotation) return;
    const tier = this.store.tierOf(id);
    this.id = id;
    this.original = annotation.value || "";
    const vocabulary = this.store.vocabularyOf(tier);
    this.list.replaceChildren(...(vocabulary ? vocabulary.entries : []).map((e) => new Option(
      e.values && e.values[0] ? e.values[0].value : e.id,
    )));
    if (vocabulary) this.input.setAttribute("list", this.list.id);
    else this.input.removeAttribute("list");
    this.input.value = this.original;
    this.input.setAttribute("aria-label", format(gettext("Value of the annotation on %(tier)s"), { tier: tier.name }));
    this.place(box);
    this.input.hidden = false;
    this.input.focus();
    this.input.select();
  }

  place(box) {
    Object.assign(this.input.style, {
      left: `${box.left}px`,
      top: `${box.top}px`,
      width: `${Math.max(box.width, 180)}px`,
      height: `${box.height}px`,
    });
  }

  commit() {
    if (!this.open) return;
    const { id } = this;
    const value = this.input.value;
    const changed = value !== this.original;
    this.close();
    if (changed) this.onCommit(id, value);
  }

  close() {
    if (!this.open) return;
    this.id = null;
    this.input.hidden = true;
    this.onDirty(false);
    if (document.activeElement === this.input || document.activeElement === document.body) {
      document.querySelector("[data-testid=timeline-scroll]")?.focus({ preventScroll: true });
    }
  }
}
