// The "Tier settings" dialog: rename a tier, change its tier type and parent tier, its participant, annotator and
// language. The server checks a new type or parent against every annotation on the tier and the tiers below it;
// when it refuses, its message stays in the dialog and nothing changes. An accepted change is one undoable step.
//
// data-testid hooks: tier-settings-dialog (fields by name: name, type, parent, participant, annotator, language),
// tier-settings-vocabulary, tier-settings-error, tier-settings-submit.
import { gettext, format } from "./i18n.js";
import { languageName } from "./store.js";

/** Settings of one tier at a time; `actions.changeTier(tier, fields)` saves, `beforeChange()` sends pending edits. */
export class TierSettings {
  constructor({ dialog, store, actions, beforeChange }) {
    this.dialog = dialog;
    this.store = store;
    this.actions = actions;
    this.beforeChange = beforeChange;
    this.tierId = null;
    this.error = dialog.querySelector("[data-testid=tier-settings-error]");
    this.field("type").addEventListener("change", () => this.update());
    dialog.querySelector("form").addEventListener("submit", (event) => {
      if (event.submitter && event.submitter.value === "cancel") return;
      event.preventDefault();
      this.submit();
    });
  }

  field(name) { return this.dialog.querySelector(`[name=${name}]`); }

  /** Open the dialog for `tier`, filled with its current settings. */
  open(tier) {
    this.tierId = tier.id;
    const title = format(gettext("Settings of tier %(name)s"), { name: tier.name });
    this.dialog.querySelector(".tier-settings-title").textContent = title;
    const below = new Set(this.actions.family(tier.id).map((t) => t.id));
    this.field("type").replaceChildren(
      ...this.store.tierTypes.map((tt) => new Option(`${tt.name} (${tt.constraint})`, String(tt.id))));
    this.field("parent").replaceChildren(new Option(gettext("(none)"), ""),
      ...this.store.tiers.filter((t) => !below.has(t.id)).map((t) => new Option(t.name, String(t.id))));
    const languages = [...this.store.languages];
    if (tier.language && !languages.some((l) => l.id === tier.language)) languages.push({ id: tier.language });
    this.field("language").replaceChildren(new Option(gettext("(none)"), ""),
      ...languages.map((l) => new Option(languageName(l), l.id)));
    this.field("name").value = tier.name;
    this.field("type").value = String(tier.type_id);
    this.field("parent").value = tier.parent_id == null ? "" : String(tier.parent_id);
    this.field("participant").value = tier.participant || "";
    this.field("annotator").value = tier.annotator || "";
    this.field("language").value = tier.language || "";
    this.error.textContent = "";
    this.update();
    this.dialog.showModal();
    this.field("name").focus();
  }

  chosenType() { return this.store.tierTypes.find((tt) => String(tt.id) === this.field("type").value) || null; }

  /** Show the parent field only for constrained types, and which vocabulary the chosen type draws values from. */
  update() {
    const type = this.chosenType();
    this.dialog.querySelector(".tier-settings-parent").hidden = !type || type.constraint === "None";
    const vocabulary = type && type.vocabulary_id != null
      ? this.store.vocabularies.find((v) => v.id === type.vocabulary_id) : null;
    this.dialog.querySelector("[data-testid=tier-settings-vocabulary]").textContent = vocabulary
      ? format(gettext("Values come from the controlled vocabulary %(name)s."), { name: vocabulary.name })
      : gettext("This tier type has no controlled vocabulary: values are free text.");
  }

  /** The fields that differ from the tier as it is. */
  changes(tier) {
    const type = this.chosenType();
    const text = (name) => this.field(name).value.trim() || null;
    const parent = type && type.constraint !== "None" && this.field("parent").value ? Number(this.field("parent").value) : null;
    const wanted = {
      name: this.field("name").value.trim(),
      type_id: type ? type.id : tier.type_id,
      parent_id: parent,
      participant: text("participant"),
      annotator: text("annotator"),
      language: text("language"),
    };
    return Object.fromEntries(Object.entries(wanted).filter(([key, value]) => value !== (tier[key] ?? null)));
  }

  async submit() {
    const tier = this.store.tier(this.tierId);
    if (!tier) return this.dialog.close();
    const fields = this.changes(tier);
    const type = this.chosenType();
    if (!this.field("name").value.trim()) return void (this.error.textContent = gettext("Give the tier a name."));
    if (type && type.constraint !== "None" && !this.field("parent").value) {
      const text = format(gettext("A %(constraint)s tier needs a parent tier."), { constraint: type.constraint });
      return void (this.error.textContent = text);
    }
    if (!Object.keys(fields).length) return this.dialog.close();
    const submit = this.dialog.querySelector("[data-testid=tier-settings-submit]");
    submit.disabled = true;
    this.error.textContent = "";
    try {
      await this.beforeChange();
      await this.actions.changeTier(tier, fields);
      this.dialog.close();
    } catch (err) {
      this.error.textContent = err.message;
    } finally {
      submit.disabled = false;
    }
  }
}
