// The inline value editor: an input laid over an annotation on the timeline. Enter saves, Escape cancels,
// leaving the field saves a changed value. Vocabulary tiers offer their entries as suggestions. While a new
// annotation is being created the input is held open over its span, so what is typed at once becomes its value.
import { gettext, format } from "./i18n.js";

/** One input that edits one annotation's value at a time. */
export class InlineEditor {
  constructor(layer, { store, onCommit, onDirty, onEmpty }) {
    this.store = store;
    this.onCommit = onCommit;
    this.onDirty = onDirty;
    this.onEmpty = onEmpty;
    this.id = null;
    this.held = null; // while held for a new annotation: "typing", then "enter" or "escape" once pressed
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
        if (this.held) this.held = "enter";
        else this.commit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        if (this.held) {
          this.held = "escape";
          this.input.hidden = true;
        } else this.close();
      }
    });
    this.input.addEventListener("input", () => this.onDirty(this.input.value !== (this.original || "")));
    this.input.addEventListener("blur", () => {
      if (this.held === "typing") this.held = "enter";
      else this.commit();
    });
  }

  get open() { return this.id !== null || this.held !== null; }

  /** Show an empty input over `box` for an annotation of `tier` that is still being created. */
  hold(tier, box) {
    this.commit();
    this.held = "typing";
    this.original = "";
    this.input.value = "";
    this.prepare(tier, box);
  }

  /** Suggestions and label for a value on `tier`; the input shown over `box` and focused. */
  prepare(tier, box) {
    const vocabulary = this.store.vocabularyOf(tier);
    this.list.replaceChildren(...(vocabulary ? vocabulary.entries : []).map((e) => new Option(
      e.values && e.values[0] ? e.values[0].value : e.id,
    )));
    if (vocabulary) this.input.setAttribute("list", this.list.id);
    else this.input.removeAttribute("list");
    this.input.setAttribute("aria-label", format(gettext("Value of the annotation on %(tier)s"), { tier: tier.name }));
    this.place(box);
    this.input.hidden = false;
    this.input.focus();
  }

  /** The annotation was not created after all: put the held input away. */
  release() {
    if (this.held) this.close();
  }

  /** Show the input over `box` ({left, top, width, height} in the layer's pixels) for annotation `id`. */
  show(id, box) {
    const annotation = this.store.annotation(id);
    if (!annotation) return;
    const held = this.held;
    const typed = this.input.value;
    if (held === "escape") return this.close();
    this.held = null;
    this.id = id;
    this.original = annotation.value || "";
    this.input.value = held ? typed : this.original;
    if (held === "enter") return this.commit(); // Enter (or leaving the field) came before the annotation did
    this.prepare(this.store.tierOf(id), box);
    if (!held) this.input.select();
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
    if (this.id === null) return;
    const { id } = this;
    const value = this.input.value;
    const changed = value !== this.original;
    this.close();
    if (changed) this.onCommit(id, value);
    if (!value.trim()) this.onEmpty();
  }

  close() {
    if (!this.open) return;
    this.id = null;
    this.held = null;
    this.input.hidden = true;
    this.onDirty(false);
    if (document.activeElement === this.input || document.activeElement === document.body) {
      document.querySelector("[data-testid=timeline-scroll]")?.focus({ preventScroll: true });
    }
  }
}
