// The tier list: each timeline row's label (name, type, hide, move up/down, rename, settings, delete; right-click
// opens the settings too) and the "Add tier" dialog (an existing tier type, or a new one with constraint, parent
// tier and vocabulary).
import { gettext, format } from "./i18n.js";
import { constraintName, tierTypeName } from "./names.js";

const CONSTRAINTS = ["None", "Included_In", "Time_Subdivision", "Symbolic_Subdivision", "Symbolic_Association"];

function iconButton(testid, symbol, label, onClick) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon-button";
  button.dataset.testid = testid;
  button.textContent = symbol;
  button.title = label;
  button.setAttribute("aria-label", label);
  button.addEventListener("click", (event) => {
    event.stopPropagation();
    onClick();
  });
  return button;
}

/** Tier labels and tier dialogs; `actions` has addTier, renameTier, setHidden, moveTier, deleteTier;
 * `openSettings(tier)` opens the "Tier settings" dialog. */
export class TierPanel {
  constructor({ store, canEdit, actions, dialog, confirmDialog, openSettings }) {
    this.store = store;
    this.openSettings = openSettings;
    this.canEdit = canEdit;
    this.actions = actions;
    this.dialog = dialog;
    this.confirmDialog = confirmDialog;
    this.dragged = null;
    if (canEdit) this.bindDialog();
  }

  /** Fill a timeline row's label element for `tier`. */
  renderLabel(tier, label) {
    const type = this.store.typeOf(tier);
    label.dataset.testid = "tier-label";
    label.dataset.tierName = tier.name;
    label.style.setProperty("--depth", String(this.store.depth(tier)));
    label.tabIndex = 0;
    label.addEventListener("click", () => this.store.selectTier(tier.id));
    label.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && e.target === label) this.store.selectTier(tier.id);
    });
    const name = document.createElement("span");
    name.className = "tier-name";
    name.dataset.testid = "tier-name";
    // Names often differ only at their ends ("Right handshape (2)", "Lexem_Gebärde_r_A"): the start gives way
    // (elided) and the end stays, so that a long name elides in the middle.
    const cut = tier.name.length - Math.min(8, Math.floor(tier.name.length * 0.3));
    const start = document.createElement("span");
    start.className = "tier-name-start";
    start.textContent = tier.name.slice(0, cut);
    const end = document.createElement("span");
    end.className = "tier-name-end";
    end.dataset.testid = "tier-name-end";
    end.textContent = tier.name.slice(cut);
    name.append(start, end);
    name.title = type ? `${tier.name} · ${tierTypeName(type.name)} · ${constraintName(type.constraint)}` : tier.name;
    const eye = iconButton("tier-hide", tier.hidden ? "○" : "◉",
      tier.hidden ? format(gettext("Show tier %(name)s"), { name: tier.name })
        : format(gettext("Hide tier %(name)s"), { name: tier.name }),
      () => this.actions.setHidden(tier, !tier.hidden));
    eye.setAttribute("aria-pressed", String(tier.hidden));
    label.append(eye, name);
    if (!this.canEdit) return;
    label.draggable = true;
    label.addEventListener("contextmenu", (e) => {
      e.preventDefault();
      this.openSettings(tier);
    });
    label.addEventListener("dragstart", (e) => {
      this.dragged = tier.id;
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", tier.name);
    });
    label.addEventListener("dragover", (e) => {
      if (this.dragged == null) return;
      e.preventDefault();
      label.classList.add("is-drop-target");
    });
    label.addEventListener("dragleave", () => label.classList.remove("is-drop-target"));
    label.addEventListener("drop", (e) => {
      e.preventDefault();
      label.classList.remove("is-drop-target");
      const from = this.dragged;
      this.dragged = null;
      if (from != null && from !== tier.id) this.actions.moveTier(from, this.store.tiers.indexOf(tier));
    });
    const tools = document.createElement("span");
    tools.className = "tier-tools";
    const index = this.store.tiers.indexOf(tier);
    tools.append(
      iconButton("tier-up", "▲", format(gettext("Move tier %(name)s up"), { name: tier.name }),
        () => this.actions.moveTier(tier.id, Math.max(0, index - 1))),
      iconButton("tier-down", "▼", format(gettext("Move tier %(name)s down"), { name: tier.name }),
        () => this.actions.moveTier(tier.id, Math.min(this.store.tiers.length - 1, index + 1))),
      iconButton("tier-rename", "✎", format(gettext("Rename tier %(name)s"), { name: tier.name }),
        () => this.rename(tier, label, name)),
      iconButton("tier-settings", "⚙", format(gettext("Settings of tier %(name)s"), { name: tier.name }),
        () => this.openSettings(tier)),
      iconButton("tier-delete", "✕", format(gettext("Delete tier %(name)s"), { name: tier.name }),
        () => this.confirmDelete(tier)),
    );
    label.append(tools);
  }

  rename(tier, label, nameEl) {
    const input = document.createElement("input");
    input.type = "text";
    input.value = tier.name;
    input.className = "tier-rename-input";
    input.dataset.testid = "tier-rename-input";
    input.setAttribute("aria-label", gettext("New tier name"));
    nameEl.replaceWith(input);
    input.focus();
    input.select();
    let done = false;
    const finish = (save) => {
      if (done) return;
      done = true;
      input.replaceWith(nameEl);
      const value = input.value.trim();
      if (save && value && value !== tier.name) this.actions.renameTier(tier, value);
    };
    input.addEventListener("keydown", (e) => {
      e.stopPropagation();
      if (e.key === "Enter") finish(true);
      if (e.key === "Escape") finish(false);
    });
    input.addEventListener("blur", () => finish(true));
    input.addEventListener("click", (e) => e.stopPropagation());
  }

  confirmDelete(tier) {
    const count = tier.annotations.length;
    const children = this.store.tiers.filter((t) => t.parent_id === tier.id).map((t) => t.name);
    let text = format(gettext("Delete tier \u201c%(name)s\u201d and its %(count)s annotations?"), { name: tier.name, count });
    if (children.length) text += " " + format(gettext("Its child tiers go too: %(names)s."), { names: children.join(", ") });
    text += " " + gettext("Undo (Ctrl+Z) brings everything back.");
    this.confirmDialog.querySelector("[data-testid=confirm-text]").textContent = text;
    this.confirmDialog.returnValue = "";
    this.confirmDialog.onclose = () => {
      if (this.confirmDialog.returnValue === "confirm") this.actions.deleteTier(tier);
    };
    this.confirmDialog.showModal();
  }

  // ---- add tier dialog ---------------------------------------------------------------------------
  field(name) { return this.dialog.querySelector(`[name=${name}]`); }

  bindDialog() {
    const constraint = this.field("constraint");
    for (const c of CONSTRAINTS) constraint.add(new Option(c, c));
    this.field("type").addEventListener("change", () => this.updateDialog());
    constraint.addEventListener("change", () => this.updateDialog());
    this.dialog.querySelector("form").addEventListener("submit", (event) => {
      if (event.submitter && event.submitter.value === "cancel") return;
      event.preventDefault();
      this.submit();
    });
  }

  /** Open the "Add tier" dialog. */
  openAddDialog() {
    const type = this.field("type");
    type.replaceChildren(...this.store.tierTypes.map((tt) => new Option(`${tt.name} (${tt.constraint})`, String(tt.id))),
      new Option(gettext("New tier type…"), "new"));
    const parent = this.field("parent");
    parent.replaceChildren(new Option(gettext("(none)"), ""),
      ...this.store.tiers.map((t) => new Option(t.name, String(t.id))));
    const vocabulary = this.field("vocabulary");
    vocabulary.replaceChildren(new Option(gettext("(none)"), ""),
      ...this.store.vocabularies.map((v) => new Option(v.name, String(v.id))));
    this.dialog.querySelector("form").reset();
    this.dialog.querySelector("[data-testid=tier-dialog-error]").textContent = "";
    this.updateDialog();
    this.dialog.showModal();
    this.field("name").focus();
  }

  chosenConstraint() {
    const typeValue = this.field("type").value;
    if (typeValue === "new") return this.field("constraint").value;
    const type = this.store.tierTypes.find((tt) => String(tt.id) === typeValue);
    return type ? type.constraint : "None";
  }

  updateDialog() {
    const isNew = this.field("type").value === "new";
    this.dialog.querySelector(".new-type-fields").hidden = !isNew;
    this.dialog.querySelector(".parent-field").hidden = this.chosenConstraint() === "None";
  }

  async submit() {
    const error = this.dialog.querySelector("[data-testid=tier-dialog-error]");
    const name = this.field("name").value.trim();
    const constraint = this.chosenConstraint();
    const parentId = this.field("parent").value ? Number(this.field("parent").value) : null;
    if (!name) return void (error.textContent = gettext("Give the tier a name."));
    if (this.store.tierByName(name)) return void (error.textContent = gettext("A tier with this name exists already."));
    if (constraint !== "None" && parentId == null) {
      return void (error.textContent = format(gettext("A %(constraint)s tier needs a parent tier."), { constraint }));
    }
    const newType = this.field("type").value === "new" ? {
      name: this.field("type_name").value.trim(),
      constraint,
      vocabulary_id: this.field("vocabulary").value ? Number(this.field("vocabulary").value) : null,
    } : null;
    if (newType && !newType.name) return void (error.textContent = gettext("Give the new tier type a name."));
    try {
      await this.actions.addTier({
        name, typeId: newType ? null : Number(this.field("type").value), newType,
        parentId: constraint === "None" ? null : parentId,
      });
      this.dialog.close();
    } catch (err) {
      error.textContent = err.message;
    }
  }
}
