// The editor's copy of the annotation document, the selection and the rules the timeline needs
// (gaps between annotations, parent annotations, times of symbolic annotations).

const ALIGNED = new Set(["None", "Included_In", "Time_Subdivision"]);

function byStart(a, b) {
  return (a.start_ms ?? 0) - (b.start_ms ?? 0);
}

/** How a document language ({id, label}) is named on screen: "Russian (rus)", or its id when it has no label. */
export function languageName(language) {
  return language.label ? `${language.label} (${language.id})` : language.id;
}

/** Document state shared by every panel; listeners get "doc" or "selection". */
export class Store {
  constructor() {
    this.listeners = new Set();
    this.tiers = [];
    this.tierTypes = [];
    this.vocabularies = [];
    this.languages = [];
    this.video = null;
    this.project = null;
    this.revision = 0;
    this.selection = new Set();
    this.selectedTierId = null;
    this.index = new Map(); // annotation id -> tier
  }

  subscribe(listener) { this.listeners.add(listener); }
  emit(kind) { for (const listener of this.listeners) listener(kind); }

  /** Replace everything with a GET /document response. */
  load(doc) {
    this.project = doc.project || this.project;
    this.video = "video" in doc ? doc.video : this.video;
    this.tierTypes = doc.tier_types || [];
    this.vocabularies = doc.vocabularies || [];
    this.languages = doc.languages || [];
    this.tiers = (doc.tiers || []).map((t) => this.normalise(t));
    this.sortTiers();
    this.revision = doc.revision ?? this.revision;
    this.reindex();
    for (const id of [...this.selection]) if (!this.index.has(id)) this.selection.delete(id);
    if (!this.tier(this.selectedTierId)) this.selectedTierId = this.tiers.length ? this.tiers[0].id : null;
    this.emit("doc");
  }

  /** Apply a GET /changes response: the whole document, or the tiers that changed. */
  applyChanges(changes) {
    if (changes.unchanged) return;
    if (changes.tier_types) {
      this.load(changes);
      return;
    }
    for (const id of changes.deleted_tier_ids || []) this.tiers = this.tiers.filter((t) => t.id !== id);
    for (const tier of changes.tiers || []) this.putTier(tier, false);
    this.revision = changes.revision ?? this.revision;
    this.reindex();
    this.emit("doc");
  }

  normalise(tier) {
    const annotations = [...(tier.annotations || [])];
    if (this.isAligned(tier)) annotations.sort(byStart);
    return { ...tier, annotations };
  }

  sortTiers() { this.tiers.sort((a, b) => a.position - b.position || a.id - b.id); }

  reindex() {
    this.index.clear();
    for (const tier of this.tiers) for (const a of tier.annotations) this.index.set(a.id, tier);
  }

  // ---- lookups ---------------------------------------------------------------------------------
  tier(id) { return this.tiers.find((t) => t.id === id) || null; }
  tierByName(name) { return this.tiers.find((t) => t.name === name) || null; }
  typeOf(tier) { return this.tierTypes.find((tt) => tt.id === tier.type_id) || null; }
  constraintOf(tier) { return (this.typeOf(tier) || {}).constraint || "None"; }
  isAligned(tier) { return ALIGNED.has(this.constraintOf(tier)); }
  vocabularyOf(tier) {
    const type = this.typeOf(tier);
    return type && type.vocabulary_id != null ? this.vocabularies.find((v) => v.id === type.vocabulary_id) : null;
  }
  tierOf(annotationId) { return this.index.get(annotationId) || null; }
  annotation(id) {
    const tier = this.tierOf(id);
    return tier ? tier.annotations.find((a) => a.id === id) : null;
  }
  depth(tier) {
    let depth = 0;
    for (let t = tier; t && t.parent_id != null && depth < 20; t = this.tier(t.parent_id)) depth += 1;
    return depth;
  }

  /** [start, end] of an annotation; symbolic ones take their parent's span (subdivisions share it). */
  timesOf(annotation, tier = this.tierOf(annotation.id), seen = 0) {
    if (annotation.start_ms != null && annotation.end_ms != null) return [annotation.start_ms, annotation.end_ms];
    if (!tier || annotation.parent == null || seen > 20) return [null, null];
    const parent = this.annotation(annotation.parent);
    if (!parent) return [null, null];
    const [ps, pe] = this.timesOf(parent, this.tierOf(parent.id), seen + 1);
    if (ps == null || this.constraintOf(tier) !== "Symbolic_Subdivision") return [ps, pe];
    const siblings = tier.annotations.filter((a) => a.parent === annotation.parent);
    const i = siblings.indexOf(annotation);
    const step = (pe - ps) / siblings.length;
    return [Math.round(ps + i * step), Math.round(ps + (i + 1) * step)];
  }

  /** The parent tier's annotation that covers `timeMs`, for child tiers; null if none. */
  parentAnnotationAt(tier, timeMs) {
    const parentTier = this.tier(tier.parent_id);
    if (!parentTier) return null;
    return parentTier.annotations.find((p) => {
      const [s, e] = this.timesOf(p, parentTier);
      return s != null && s <= timeMs && timeMs < e;
    }) || null;
  }

  /** The free range [lo, hi] around `timeMs` on an aligned tier (ignoring `exclude` ids), or null if taken. */
  freeRange(tier, timeMs, exclude = new Set(), durationMs = Infinity) {
    let lo = 0;
    let hi = durationMs;
    for (const a of tier.annotations) {
      if (exclude.has(a.id) || a.start_ms == null || a.end_ms == null) continue;
      if (a.start_ms <= timeMs && timeMs < a.end_ms) return null;
      if (a.end_ms <= timeMs) lo = Math.max(lo, a.end_ms);
      if (a.start_ms > timeMs) hi = Math.min(hi, a.start_ms);
    }
    if (tier.parent_id != null && this.constraintOf(tier) !== "None") {
      const parent = this.parentAnnotationAt(tier, timeMs);
      if (!parent) return null;
      const [ps, pe] = this.timesOf(parent);
      lo = Math.max(lo, ps);
      hi = Math.min(hi, pe);
    }
    return [lo, hi];
  }

  /** The last annotation end, or the video duration when known. */
  durationMs() {
    let end = 0;
    for (const tier of this.tiers) for (const a of tier.annotations) end = Math.max(end, a.end_ms || 0);
    const video = this.video && this.video.duration_ms ? this.video.duration_ms : 0;
    return Math.max(video, end, video ? 0 : 60000);
  }

  // ---- changes ---------------------------------------------------------------------------------
  putTier(tier, emit = true) {
    const existing = this.tier(tier.id);
    const merged = this.normalise({ ...(existing || { annotations: [] }), ...tier });
    if (existing) this.tiers[this.tiers.indexOf(existing)] = merged;
    else this.tiers.push(merged);
    this.sortTiers();
    this.reindex();
    if (emit) this.emit("doc");
  }

  removeTier(id) {
    const doomed = new Set([id]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of this.tiers) if (t.parent_id != null && doomed.has(t.parent_id) && !doomed.has(t.id)) {
        doomed.add(t.id);
        grew = true;
      }
    }
    this.tiers = this.tiers.filter((t) => !doomed.has(t.id));
    if (doomed.has(this.selectedTierId)) this.selectedTierId = this.tiers.length ? this.tiers[0].id : null;
    this.reindex();
    this.emit("doc");
  }

  putAnnotation(tierId, annotation) {
    const tier = this.tier(tierId);
    const old = this.tierOf(annotation.id);
    if (old === tier) {
      tier.annotations[tier.annotations.findIndex((a) => a.id === annotation.id)] = annotation;
      if (this.isAligned(tier)) tier.annotations.sort(byStart);
      return;
    }
    if (old) old.annotations = old.annotations.filter((a) => a.id !== annotation.id);
    const after = annotation.previous ? tier.annotations.findIndex((a) => a.id === annotation.previous) : -1;
    if (after >= 0) tier.annotations.splice(after + 1, 0, annotation);
    else tier.annotations.push(annotation);
    if (this.isAligned(tier)) tier.annotations.sort(byStart);
    this.index.set(annotation.id, tier);
  }

  removeAnnotation(id) {
    const tier = this.tierOf(id);
    if (!tier) return;
    tier.annotations = tier.annotations.filter((a) => a.id !== id);
    this.index.delete(id);
    this.selection.delete(id);
  }

  // ---- selection -------------------------------------------------------------------------------
  select(ids, { add = false } = {}) {
    if (!add) this.selection.clear();
    for (const id of ids) this.selection.add(id);
    const first = ids.length ? this.tierOf(ids[ids.length - 1]) : null;
    if (first) this.selectedTierId = first.id;
    this.emit("selection");
  }
  toggle(id) {
    if (this.selection.has(id)) this.selection.delete(id);
    else this.selection.add(id);
    const tier = this.tierOf(id);
    if (tier) this.selectedTierId = tier.id;
    this.emit("selection");
  }
  selectTier(id) {
    this.selectedTierId = id;
    this.emit("selection");
  }
  selected() { return [...this.selection].map((id) => this.annotation(id)).filter(Boolean); }
}
