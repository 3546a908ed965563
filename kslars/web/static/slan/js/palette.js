// The vocabulary palette beside the player: for the selected tier's controlled vocabulary. Handshape
// vocabularies (entries with a category) are grouped by category and drawn; clicking sets the value.
import { gettext, format } from "./i18n.js";
import { hamnosysFont, handshapeSvg } from "./handshapes.js";
import { handshapeDescription, localValue, vocabularyName } from "./names.js";

// HamNoSys handshape categories (kslars.hamnosys.CATEGORIES) in palette order, with their translated names;
// other categories follow in entry order under their own names.
const CATEGORIES = new Map([
  ["fist", gettext("fist")],
  ["one finger", gettext("one finger")],
  ["two fingers", gettext("two fingers")],
  ["two fingers spread", gettext("two fingers spread")],
  ["four fingers / flat hand", gettext("four fingers / flat hand")],
  ["pinch", gettext("pinch")],
  ["cee", gettext("cee")],
]);
const CATEGORY_ORDER = [...CATEGORIES.keys()];

function codePoints(symbols) {
  return [...(symbols || "")].map((c) => `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join(" ");
}

function valueOf(entry) {
  return entry.values && entry.values.length ? entry.values[0].value : entry.id;
}

/** Renders the palette for the selected tier into `root`; onPick(entry) when an entry is clicked. */
export class Palette {
  constructor(root, { store, canEdit, onPick }) {
    this.root = root;
    this.store = store;
    this.canEdit = canEdit;
    this.onPick = onPick;
    this.shownVocabulary = undefined;
    root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-entry-id]");
      if (!button || !this.canEdit) return;
      const vocabulary = this.store.vocabularies.find((v) => v.id === Number(button.dataset.vocabularyId));
      const entry = vocabulary && vocabulary.entries.find((e) => e.id === button.dataset.entryId);
      if (entry) this.onPick(entry, valueOf(entry));
    });
  }

  /** Redraw when the selected tier's vocabulary changed; mark the selected annotation's value. */
  render() {
    const tier = this.store.tier(this.store.selectedTierId);
    const vocabulary = tier ? this.store.vocabularyOf(tier) : null;
    if (vocabulary !== this.shownVocabulary || !vocabulary) {
      this.shownVocabulary = vocabulary;
      this.draw(tier, vocabulary);
    }
    const current = this.store.selected().find((a) => this.store.tierOf(a.id) === tier);
    for (const button of this.root.querySelectorAll("[data-entry-id]")) {
      const on = Boolean(current) && (current.cv_entry === button.dataset.entryId || current.value === button.dataset.value);
      button.setAttribute("aria-pressed", String(on));
    }
    const hint = this.root.querySelector(".palette-hint");
    if (hint) {
      hint.textContent = !this.canEdit
        ? gettext("Read-only: the palette shows the vocabulary but cannot change values.")
        : current
          ? format(gettext("Click an entry to set the value of the selected annotation on %(tier)s."), { tier: tier.name })
          : gettext("Select an annotation on this tier, then click an entry to set its value.");
    }
  }

  draw(tier, vocabulary) {
    this.root.replaceChildren();
    this.root.hidden = false;
    if (!vocabulary) {
      const empty = document.createElement("p");
      empty.className = "palette-empty";
      empty.dataset.testid = "palette-empty";
      empty.textContent = tier
        ? format(gettext("Tier %(name)s has no controlled vocabulary. Select a tier that has one (e.g. a handshape tier) to pick values from a palette."), { name: tier.name })
        : gettext("Select a tier to see its vocabulary here.");
      this.root.append(empty);
      return;
    }
    const heading = document.createElement("h2");
    heading.textContent = format(gettext("Vocabulary: %(name)s"), { name: vocabularyName(vocabulary.name) });
    const hint = document.createElement("p");
    hint.className = "palette-hint";
    this.root.append(heading, hint);
    const groups = new Map();
    for (const entry of vocabulary.entries) {
      const category = (entry.attributes && entry.attributes.category) || gettext("Entries");
      if (!groups.has(category)) groups.set(category, []);
      groups.get(category).push(entry);
    }
    const rank = (c) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length);
    const ordered = [...groups].sort((a, b) => rank(a[0]) - rank(b[0]));
    for (const [category, entries] of ordered) {
      const section = document.createElement("section");
      section.className = "palette-group";
      section.dataset.testid = "palette-group";
      section.dataset.category = category;
      const title = document.createElement("h3");
      title.textContent = CATEGORIES.get(category) || category;
      const list = document.createElement("div");
      list.className = "palette-entries";
      for (const entry of entries) list.append(this.button(vocabulary, entry));
      section.append(title, list);
      this.root.append(section);
    }
  }

  button(vocabulary, entry) {
    const attributes = entry.attributes || {};
    const value = valueOf(entry);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "palette-entry";
    button.dataset.testid = attributes.base_form ? "handshape" : "vocabulary-entry";
    button.dataset.entryId = entry.id;
    button.dataset.vocabularyId = String(vocabulary.id);
    button.dataset.value = value;
    if (attributes.base_form) button.dataset.handshape = value;
    const points = codePoints(attributes.symbols);
    // the stored value is the class id (finger2_thumbout); the button shows it in words where it can
    const local = localValue(entry);
    const shown = handshapeDescription(attributes) || (local && local.value !== value ? local.value : null);
    const about = [value, local && local.description].filter(Boolean).join(": ");
    button.title = [shown ? `${shown} · ${about}` : about, points ? `(HamNoSys ${points})` : ""].filter(Boolean).join(" ");
    button.setAttribute("aria-label", shown ? `${shown} (${value})` : value);
    if (!this.canEdit) button.classList.add("is-readonly");
    const font = attributes.symbols ? hamnosysFont() : null;
    if (font) {
      const glyph = document.createElement("span");
      glyph.className = "hs-glyph";
      glyph.style.fontFamily = `"${font}"`;
      glyph.textContent = attributes.symbols;
      glyph.setAttribute("aria-hidden", "true");
      button.append(glyph);
    }
    if (attributes.base_form) button.append(handshapeSvg(attributes, { size: 40 }));
    const label = document.createElement("span");
    label.className = "palette-label";
    label.textContent = shown || value.replace(/_/g, "_\u200b"); // lets long class names wrap at their parts
    button.append(label);
    return button;
  }
}
