// The "Vocabularies" dialog (editors only): the project's controlled vocabularies, created, renamed, edited entry
// by entry (vocab-entries.js) and deleted, and the tier types with the vocabulary each takes its values from.
// The server checks every change against the annotations and refuses what would break them (e.g. deleting a
// vocabulary a tier type uses); its message is shown in the dialog. After a change the editor reloads the
// document, since annotation values, entries and versions may have moved along (a renamed entry renames its
// annotations).
//
// data-testid hooks: vocab-button, vocab-dialog, vocab-item (data-vocab-name; aria-current on the open one),
// vocab-new, vocab-editor, vocab-name, vocab-description (one per language, data-lang), vocab-used, vocab-entries, vocab-add-entry, vocab-save, vocab-delete,
// vocab-confirm (vocab-confirm-delete, vocab-confirm-keep), vocab-error, vocab-status, vocab-close,
// type-vocabulary (one select per tier type, data-type-name), and those of vocab-entries.js.
import { gettext, format } from "./i18n.js";
import { EntriesTable } from "./vocab-entries.js";

/** The dialog in `root`; `beforeChange()` sends pending edits first, `onChanged()` reloads the document. */
export class VocabularyDialog {
  constructor({ root, store, api, beforeChange, onChanged }) {
    this.$ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
    this.dialog = this.$("vocab-dialog");
    this.store = store;
    this.api = api;
    this.beforeChange = beforeChange;
    this.onChanged = onChanged;
    this.current = null; // the id of the vocabulary shown, "new" for one not saved yet, or null
    this.dirty = false;
    this.table = new EntriesTable(this.$("vocab-entries"), { onChange: () => { this.dirty = true; } });
    this.$("vocab-button").addEventListener("click", () => this.open());
    this.$("vocab-new").addEventListener("click", () => this.leave() && this.showNew());
    this.$("vocab-add-entry").addEventListener("click", () => { this.dirty = true; this.table.addRow().focus(); });
    this.$("vocab-name").addEventListener("input", () => { this.dirty = true; });
    this.$("vocab-descriptions").addEventListener("input", () => { this.dirty = true; });
    this.keptDescriptions = []; // descriptions in languages the dialog does not show, sent back unchanged
    this.$("vocab-delete").addEventListener("click", () => this.askDelete());
    this.$("vocab-confirm-keep").addEventListener("click", () => { this.$("vocab-confirm").hidden = true; });
    this.$("vocab-confirm-delete").addEventListener("click", () => this.remove());
    this.$("vocab-close").addEventListener("click", () => this.leave() && this.dialog.close());
    this.dialog.addEventListener("cancel", (event) => {
      if (!this.leave()) event.preventDefault();
    });
    this.dialog.querySelector("form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
  }

  vocabulary(id) { return this.store.vocabularies.find((v) => v.id === id) || null; }

  open() {
    this.message("", "");
    const keep = this.vocabulary(this.current);
    this.renderList();
    this.renderTypes();
    if (keep) this.show(keep);
    else if (this.store.vocabularies.length) this.show(this.store.vocabularies[0]);
    else this.showNew();
    this.dialog.showModal();
  }

  /** Whether unsaved edits may be dropped (asks when there are some). */
  leave() {
    return !this.dirty || window.confirm(gettext("Discard the unsaved changes to this vocabulary?"));
  }

  message(error, status) {
    this.$("vocab-error").textContent = error;
    this.$("vocab-status").textContent = status;
  }

  renderList() {
    const list = this.$("vocab-list");
    list.replaceChildren(...this.store.vocabularies.map((v) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "vocab-item";
      button.dataset.testid = "vocab-item";
      button.dataset.vocabName = v.name;
      button.textContent = format(gettext("%(name)s (%(count)s entries)"), { name: v.name, count: v.entries.length });
      if (v.id === this.current) button.setAttribute("aria-current", "true");
      button.addEventListener("click", () => {
        if (v.id !== this.current && this.leave()) this.show(v);
      });
      item.append(button);
      return item;
    }));
  }

  /** One row per tier type: its constraint and a choice of vocabulary, saved as soon as it changes. */
  renderTypes() {
    const body = this.$("vocab-types").tBodies[0];
    body.replaceChildren(...this.store.tierTypes.map((tt) => {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = tt.name;
      const constraint = document.createElement("td");
      constraint.textContent = tt.constraint;
      const select = document.createElement("select");
      select.dataset.testid = "type-vocabulary";
      select.dataset.typeName = tt.name;
      select.setAttribute("aria-label", format(gettext("Controlled vocabulary of tier type %(name)s"), { name: tt.name }));
      select.append(new Option(gettext("(none)"), ""), ...this.store.vocabularies.map((v) => new Option(v.name, String(v.id))));
      select.value = tt.vocabulary_id == null ? "" : String(tt.vocabulary_id);
      select.addEventListener("change", () => this.attach(tt, select));
      const cell = document.createElement("td");
      cell.append(select);
      tr.append(name, constraint, cell);
      return tr;
    }));
  }

  show(vocabulary) {
    this.current = vocabulary.id;
    this.dirty = false;
    this.$("vocab-editor").hidden = false;
    this.$("vocab-confirm").hidden = true;
    this.$("vocab-delete").hidden = false;
    this.$("vocab-name").value = vocabulary.name;
    this.table.show(vocabulary.entries, this.store.languages);
    this.showDescriptions(vocabulary.descriptions || []);
    this.renderUse();
    this.renderList();
  }

  showNew() {
    this.current = "new";
    this.dirty = false;
    this.$("vocab-editor").hidden = false;
    this.$("vocab-confirm").hidden = true;
    this.$("vocab-delete").hidden = true;
    this.$("vocab-name").value = "";
    this.table.show([], this.store.languages);
    this.showDescriptions([]);
    this.table.addRow();
    this.renderUse();
    this.renderList();
    this.$("vocab-name").focus();
  }

  /** A description field for each language the entries table shows (the vocabulary's own description). */
  showDescriptions(descriptions) {
    const langOf = (d) => d.lang || "";
    const shown = new Set(this.table.columns.map((c) => c.lang));
    this.keptDescriptions = descriptions.filter((d) => !shown.has(langOf(d)));
    this.$("vocab-descriptions").replaceChildren(...this.table.columns.map((c) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "text";
      input.dataset.testid = "vocab-description";
      input.dataset.lang = c.lang;
      input.value = (descriptions.find((d) => langOf(d) === c.lang) || {}).value || "";
      label.append(format(gettext("Description: %(language)s"), { language: c.name }), " ", input);
      return label;
    }));
  }

  /** The descriptions as the API takes them: the filled-in fields, and those in languages not shown. */
  readDescriptions() {
    const fields = [...this.$("vocab-descriptions").querySelectorAll("input")];
    const filled = fields.filter((i) => i.value.trim()).map((i) => ({ value: i.value.trim(), lang: i.dataset.lang || null }));
    return [...filled, ...this.keptDescriptions];
  }

  renderUse() {
    const users = this.store.tierTypes.filter((tt) => tt.vocabulary_id === this.current).map((tt) => tt.name);
    this.$("vocab-used").textContent = users.length
      ? format(gettext("Used by tier types: %(names)s"), { names: users.join(", ") })
      : gettext("No tier type uses this vocabulary yet.");
  }

  /** Send a change, reload the document and show `done` (or the server's refusal); resolves to the answer. */
  async send(request, done) {
    this.message("", "");
    try {
      await this.beforeChange();
      const answer = await request();
      await this.onChanged();
      this.message("", done);
      return answer;
    } catch (err) {
      this.message(err.message, "");
      return undefined;
    }
  }

  async save() {
    const name = this.$("vocab-name").value.trim();
    if (!name) return void this.message(gettext("Give the vocabulary a name."), "");
    const body = { name, entries: this.table.read(), descriptions: this.readDescriptions() };
    const saved = await this.send(
      () => (this.current === "new" ? this.api.createVocabulary(body) : this.api.updateVocabulary(this.current, body)),
      format(gettext("Vocabulary %(name)s is saved."), { name }),
    );
    if (!saved) return;
    this.renderTypes();
    this.show(this.vocabulary(saved.id) || saved);
  }

  askDelete() {
    const vocabulary = this.vocabulary(this.current);
    if (!vocabulary) return;
    this.$("vocab-confirm-text").textContent = format(gettext("Delete vocabulary %(name)s with its %(count)s entries?"),
      { name: vocabulary.name, count: vocabulary.entries.length });
    this.$("vocab-confirm").hidden = false;
  }

  async remove() {
    const vocabulary = this.vocabulary(this.current);
    this.$("vocab-confirm").hidden = true;
    if (!vocabulary) return;
    const done = format(gettext("Vocabulary %(name)s is deleted."), { name: vocabulary.name });
    if ((await this.send(() => this.api.deleteVocabulary(vocabulary.id), done)) === undefined) return;
    this.dirty = false;
    this.renderTypes();
    if (this.store.vocabularies.length) this.show(this.store.vocabularies[0]);
    else this.showNew();
    this.message("", done);
  }

  async attach(tierType, select) {
    const id = select.value ? Number(select.value) : null;
    const vocabulary = this.vocabulary(id);
    const done = vocabulary
      ? format(gettext("Tier type %(type)s now takes its values from %(name)s."), { type: tierType.name, name: vocabulary.name })
      : format(gettext("Tier type %(type)s has no controlled vocabulary now."), { type: tierType.name });
    const answer = await this.send(() => this.api.updateTierType(tierType.id, { vocabulary_id: id }), done);
    if (answer === undefined) select.value = tierType.vocabulary_id == null ? "" : String(tierType.vocabulary_id);
    this.renderTypes();
    this.renderUse();
    this.renderList();
  }
}
