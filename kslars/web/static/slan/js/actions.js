// Annotation commands of the editor: they turn what the user did into API operations through the undo history.
import { gettext } from "./i18n.js";

const DEFAULT_LENGTH_MS = 1000;

/** Annotation commands; `ui` has notify(text), editValue(id), holdValue(tier, start, end), releaseValue(), timeMs(),
 * fps(). */
export class Actions {
  constructor({ store, api, history, ui }) {
    this.store = store;
    this.api = api;
    this.history = history;
    this.ui = ui;
  }

  // ---- annotations -------------------------------------------------------------------------------
  /** Create an annotation [start, end] on an aligned tier and open its value for typing. */
  async create(tier, start, end, extra = {}) {
    this.ui.holdValue(tier, start, end); // what is typed while the server answers becomes the value
    const results = await this.history.apply(gettext("Create annotation"), [
      { op: "create", tier_id: tier.id, value: "", start_ms: start, end_ms: end, ...extra },
    ]);
    if (!results) return this.ui.releaseValue();
    this.store.select([results[0].id]);
    this.ui.editValue(results[0].id);
  }

  /** Double-click: a new annotation at `t` (a default length that fits the gap) or, on symbolic tiers, in the parent. */
  createAt(tier, t) {
    if (!this.store.isAligned(tier)) return this.createSymbolic(tier, t);
    if (this.store.constraintOf(tier) === "Time_Subdivision") return this.createSubdivision(tier, t);
    const range = this.store.freeRange(tier, t, new Set(), this.store.durationMs());
    if (!range) {
      const parentMissing = tier.parent_id != null && !this.store.parentAnnotationAt(tier, t);
      return this.ui.notify(parentMissing
        ? gettext("Annotations on this tier must lie within an annotation of its parent tier: create that first.")
        : gettext("There is an annotation here already: double-click it to edit its value."));
    }
    const [lo, hi] = range;
    let start = t;
    const end = Math.min(hi, t + DEFAULT_LENGTH_MS);
    if (end - start < 100) start = Math.max(lo, end - DEFAULT_LENGTH_MS);
    if (end <= start) return this.ui.notify(gettext("There is no room for an annotation here."));
    return this.create(tier, start, end);
  }

  /** Time_Subdivision pieces tile their parent: the first one covers it; Split (S) makes more. */
  createSubdivision(tier, t) {
    const parent = this.store.parentAnnotationAt(tier, t);
    if (!parent) return this.ui.notify(gettext("Create an annotation on the parent tier first."));
    const [ps, pe] = this.store.timesOf(parent);
    if (tier.annotations.some((a) => a.start_ms != null && a.start_ms < pe && ps < a.end_ms)) {
      return this.ui.notify(gettext("This annotation is divided already: split a piece at the playhead (S) to add one."));
    }
    return this.create(tier, ps, pe);
  }

  createSymbolic(tier, t) {
    const parent = this.store.parentAnnotationAt(tier, t);
    if (!parent) return this.ui.notify(gettext("Create an annotation on the parent tier first."));
    const siblings = tier.annotations.filter((a) => a.parent === parent.id);
    if (this.store.constraintOf(tier) === "Symbolic_Association" && siblings.length) {
      return this.ui.editValue(siblings[0].id);
    }
    const extra = { parent: parent.id };
    if (siblings.length) extra.previous = siblings[siblings.length - 1].id;
    return this.create(tier, null, null, extra);
  }

  /** Set an annotation's value (and its vocabulary entry when the tier has a vocabulary). */
  setValue(id, value) {
    const tier = this.store.tierOf(id);
    const vocabulary = tier && this.store.vocabularyOf(tier);
    const op = { op: "update", id, value };
    if (vocabulary) {
      const entry = vocabulary.entries.find((e) => (e.values || []).some((v) => v.value === value));
      if (entry) op.cv_entry = entry.id;
    }
    return this.history.apply(gettext("Edit value"), [op]);
  }

  /** Palette click: give the selected annotation of the selected tier this vocabulary entry. */
  pick(entry, value) {
    const target = this.store.selected().find((a) => this.store.tierOf(a.id)?.id === this.store.selectedTierId);
    if (!target) return this.ui.notify(gettext("Select an annotation on this tier first."));
    return this.history.apply(gettext("Set value"), [{ op: "update", id: target.id, value, cv_entry: entry.id }]);
  }

  /** Apply new times [{id, start_ms, end_ms}], ordered so that no step overlaps a neighbour on the way. */
  move(changes) {
    const real = changes.filter((c) => {
      const a = this.store.annotation(c.id);
      return a && (a.start_ms !== c.start_ms || a.end_ms !== c.end_ms);
    });
    if (!real.length) return Promise.resolve();
    const first = this.store.annotation(real[0].id);
    const right = real[0].start_ms > first.start_ms || real[0].end_ms > first.end_ms;
    real.sort((a, b) => (right ? b.start_ms - a.start_ms : a.start_ms - b.start_ms));
    return this.history.apply(gettext("Move"), real.map((c) => ({ op: "update", ...c })));
  }

  /** Alt+arrows, Alt+, and Alt+.: move the selection's `edge` ("both", "start" or "end") by `frames` frames. */
  nudge(frames, edge) {
    const delta = Math.round((frames * 1000) / this.ui.fps());
    const changes = this.alignedSelection().map((a) => ({
      id: a.id,
      start_ms: edge === "end" ? a.start_ms : a.start_ms + delta,
      end_ms: edge === "start" ? a.end_ms : a.end_ms + delta,
    }));
    if (changes.some((c) => c.start_ms < 0 || c.end_ms <= c.start_ms)) return Promise.resolve();
    return this.move(changes);
  }

  alignedSelection() {
    return this.store.selected().filter((a) => a.start_ms != null && this.store.isAligned(this.store.tierOf(a.id)));
  }

  /** Delete the selection with the annotations that depend on it, deepest first, so that Undo restores all. */
  deleteSelected() {
    const ids = [...this.store.selection];
    if (!ids.length) return this.ui.notify(gettext("Select annotations to delete first."));
    return this.history.apply(gettext("Delete"), this.deletions(ids));
  }

  /** Delete operations for `ids` and everything that depends on them, dependants first. */
  deletions(ids) {
    const order = [];
    const visit = (id) => {
      if (order.includes(id)) return;
      for (const child of this.dependants(id)) visit(child);
      order.push(id);
    };
    ids.forEach(visit);
    return order.map((id) => ({ op: "delete", id }));
  }

  /** Ids of the annotations on child tiers that belong to annotation `id`. */
  dependants(id) {
    const tier = this.store.tierOf(id);
    const annotation = this.store.annotation(id);
    const [s, e] = this.store.timesOf(annotation, tier);
    const out = [];
    for (const child of this.store.tiers.filter((t) => t.parent_id === tier.id)) {
      const aligned = this.store.isAligned(child);
      for (const a of child.annotations) {
        if (aligned ? a.start_ms != null && s <= a.start_ms && a.end_ms <= e : a.parent === id) out.push(a.id);
      }
    }
    return out;
  }

  /** Split the selected annotation (or the selected tier's annotation under the playhead) at the playhead. */
  split() {
    const pieces = this.store.selected().filter((a) => this.store.constraintOf(this.store.tierOf(a.id)) === "Symbolic_Subdivision");
    if (pieces.length) return this.addPieceAfter(pieces[0]);
    const t = this.ui.timeMs();
    const covers = (a) => a.start_ms != null && a.start_ms < t && t < a.end_ms;
    let target = this.alignedSelection().find(covers);
    const tier = this.store.tier(this.store.selectedTierId);
    if (!target && tier && this.store.isAligned(tier)) target = tier.annotations.find(covers);
    if (!target) return this.ui.notify(gettext("Put the playhead inside an annotation to split it."));
    const tierId = this.store.tierOf(target.id).id;
    return this.history.apply(gettext("Split"), [
      { op: "update", id: target.id, end_ms: t },
      { op: "create", tier_id: tierId, value: target.value, start_ms: t, end_ms: target.end_ms },
    ]);
  }

  /** On a Symbolic_Subdivision tier, "split" adds an empty piece after the selected one. */
  async addPieceAfter(piece) {
    const tier = this.store.tierOf(piece.id);
    await this.create(tier, null, null, { parent: piece.parent, previous: piece.id });
  }

  /** Merge the selected annotations of one tier into the first; values are joined with spaces. */
  merge() {
    const chosen = this.alignedSelection().sort((a, b) => a.start_ms - b.start_ms);
    const tiers = new Set(chosen.map((a) => this.store.tierOf(a.id).id));
    if (chosen.length < 2 || tiers.size !== 1) {
      return this.ui.notify(gettext("Select two or more annotations on one tier to merge them."));
    }
    const [first, ...rest] = chosen;
    const value = chosen.map((a) => a.value).filter(Boolean).join(" ");
    return this.history.apply(gettext("Merge"), [
      ...this.deletions(rest.map((a) => a.id)),
      { op: "update", id: first.id, end_ms: rest[rest.length - 1].end_ms, value },
    ]).then((results) => results && this.store.select([first.id]));
  }
}
