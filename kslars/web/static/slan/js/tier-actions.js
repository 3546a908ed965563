// Tier commands: add, rename, hide, reorder, change the settings of and delete tiers, each undoable. Deleting a tier keeps a copy of it,
// its child tiers and their annotations, so that Undo can create them again, all in one request that the server applies
// all together or not at all (with new ids, followed by aliases).
import { gettext } from "./i18n.js";

const FIELDS = ["value", "start_ms", "end_ms", "parent", "previous", "cv_entry", "attributes"];

/** Tier commands; `ui` has notify(text) and canEdit. */
export class TierActions {
  constructor({ store, api, history, ui }) {
    this.store = store;
    this.api = api;
    this.history = history;
    this.ui = ui;
  }

  /** Add a tier (with a new tier type first when asked); throws with the server's message on failure. */
  async addTier({ name, typeId, newType, parentId }) {
    let type = typeId;
    if (newType) {
      const created = await this.api.createTierType(newType);
      this.store.tierTypes.push(created);
      type = created.id;
    }
    const tier = await this.api.createTier({ name, type_id: type, parent_id: parentId });
    this.store.putTier(tier);
    this.store.selectTier(tier.id);
    this.history.record(this.deleteEntry(tier.id)); // undoing an addition deletes the tier
  }

  tierChange(tier, fields, label) {
    const id = this.history.tierId(tier.id);
    const old = this.store.tier(id);
    const previous = Object.fromEntries(Object.keys(fields).map((k) => [k, old[k]]));
    return {
      label,
      run: async () => {
        const tierId = this.history.tierId(id);
        const wire = { ...fields };
        if (wire.parent_id != null) wire.parent_id = this.history.tierId(wire.parent_id);
        this.store.putTier(await this.api.updateTier(tierId, wire));
        return this.tierChange(this.store.tier(tierId), previous, label);
      },
    };
  }

  /** Change a tier's settings (name, type, parent, participant, annotator, language) now, so that a refusal
   * reaches the caller with the server's message and changes nothing; Undo puts the old settings back. */
  async changeTier(tier, fields) {
    const before = this.store.tier(tier.id);
    const previous = Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null]));
    this.store.putTier(await this.api.updateTier(tier.id, fields));
    this.history.record(this.tierChange(this.store.tier(tier.id), previous, gettext("Tier settings")));
  }

  renameTier(tier, name) { return this.history.perform(this.tierChange(tier, { name }, gettext("Rename tier"))); }

  /** Hide or show a tier: saved for editors, only on this screen for viewers. */
  setHidden(tier, hidden) {
    if (!this.ui.canEdit) {
      this.store.putTier({ ...tier, hidden });
      return Promise.resolve();
    }
    return this.history.perform(this.tierChange(tier, { hidden }, gettext("Hide tier")));
  }

  /** Move tier `tierId` to position `index` in the list. */
  moveTier(tierId, index) {
    const ids = this.store.tiers.map((t) => t.id);
    const from = ids.indexOf(tierId);
    if (from < 0 || from === index) return Promise.resolve();
    ids.splice(index, 0, ...ids.splice(from, 1));
    return this.history.perform(this.orderEntry(ids));
  }

  orderEntry(ids) {
    return {
      label: gettext("Reorder tiers"),
      run: async () => {
        const before = this.store.tiers.map((t) => t.id);
        const tiers = await this.api.orderTiers(ids.map((id) => this.history.tierId(id)));
        for (const t of tiers || []) this.store.putTier(t, false);
        this.store.sortTiers();
        this.store.emit("doc");
        return this.orderEntry(before);
      },
    };
  }

  /** Delete a tier with its child tiers and annotations; Undo restores them. */
  deleteTier(tier) {
    return this.history.perform(this.deleteEntry(tier.id));
  }

  deleteEntry(id) {
    return {
      label: gettext("Delete tier"),
      run: async () => {
        const tierId = this.history.tierId(id);
        const copy = this.copyOf([tierId]);
        await this.api.deleteTier(tierId);
        this.store.removeTier(tierId);
        return this.restoreEntry(copy);
      },
    };
  }

  /** What Undo of the deletion of the tiers `tierIds` needs: the display order, and each of them with the tiers
   * below it (parents before children) and their annotations. */
  copyOf(tierIds) {
    return {
      order: this.store.tiers.map((t) => t.id),
      tiers: tierIds.flatMap((id) => this.family(id))
        .map((t) => ({ ...t, annotations: structuredClone(t.annotations) })),
    };
  }

  /** `tierId` and the tiers below it, parents before children. */
  family(tierId) {
    const out = [this.store.tier(tierId)];
    for (let i = 0; i < out.length; i += 1) {
      out.push(...this.store.tiers.filter((t) => t.parent_id === out[i].id));
    }
    return out;
  }

  /** Create the deleted tiers again with their annotations in one request, all together or not at all, and follow
   * their old ids to the new ones. */
  restoreEntry(copy) {
    return {
      label: gettext("Delete tier"),
      run: async () => {
        this.restored(await this.api.restoreTiers(this.restoreRequest(copy)));
        this.store.emit("doc");
        return this.deleteEntry(copy.tiers[0].id);
      },
    };
  }

  /** The body of the request that creates the tiers of `copy` (see copyOf) again: ids that are not the copy's own
   * followed through aliases. */
  restoreRequest(copy) {
    const tierIds = new Set(copy.tiers.map((t) => t.id));
    const annotationIds = new Set(copy.tiers.flatMap((t) => t.annotations.map((a) => a.id)));
    const tier = (id) => (id == null || tierIds.has(id) ? id : this.history.tierId(id));
    const annotation = (id) => (annotationIds.has(id) ? id : this.history.resolve(id));
    return {
      tiers: copy.tiers.map((t) => ({
        id: t.id, name: t.name, type_id: t.type_id, parent_id: tier(t.parent_id), hidden: Boolean(t.hidden),
        participant: t.participant, annotator: t.annotator, language: t.language,
      })),
      annotations: copy.tiers.flatMap((t) => t.annotations.map((a) => {
        const fields = Object.fromEntries(FIELDS.filter((k) => a[k] != null).map((k) => [k, a[k]]));
        for (const key of ["parent", "previous"]) if (fields[key]) fields[key] = annotation(fields[key]);
        return { id: a.id, tier_id: t.id, ...fields };
      })),
      order: copy.order.map(tier),
    };
  }

  /** Put the server's answer to a restore in the store (without telling the views), following the old ids of the
   * tiers and annotations to the new ones. */
  restored(answer) {
    for (const [old, id] of Object.entries(answer.tier_ids)) this.history.tierAliases.set(Number(old), id);
    for (const [old, id] of Object.entries(answer.annotation_ids)) this.history.aliases.set(old, id);
    for (const t of answer.tiers) this.store.putTier(t, false);
    answer.order.forEach((id, position) => { const t = this.store.tier(id); if (t) t.position = position; });
    this.store.sortTiers();
  }
}
