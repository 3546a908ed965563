// Undo for what a background job wrote: the document before the job (a snapshot of the store) is compared with
// the document after it, on the tiers the job writes. The job's new tiers, its new annotations on existing tiers
// and the untouched predictions it replaced become one entry of the undo history: Undo deletes what the job added
// and brings back what it replaced, Redo does it again; each in one request that the server applies all together
// or not at all.

const FIELDS = ["value", "start_ms", "end_ms", "cv_entry", "attributes"];

/** The store's tiers and annotations now: tier id -> (annotation id -> copy of the annotation). */
export function snapshot(store) {
  return new Map(store.tiers.map((t) => [t.id, new Map(t.annotations.map((a) => [a.id, structuredClone(a)]))]));
}

/** Whether `a` is a prediction nobody changed (made by the engine, version 1), as the server decides it. */
export function untouchedPrediction(a) {
  return (a.attributes || {}).source === "kslars-engine" && a.version === 1;
}

/** The undo entry of the job's change from `before` to the store's document, or null when it changed nothing.
 *
 * Only tiers for which `written(tier, before)` holds count (a job may write several); on those, annotations the job added are the new ones for
 * which `added(a)` holds, and annotations it replaced are the untouched predictions that are gone. A new tier
 * below another new tier goes with its parent. Child tiers come first, so that deleting a parent annotation never
 * takes along one that is deleted after it, in Undo nor in Redo. */
export function jobResultUndo({ label, before, store, history, tierActions, written, added }) {
  const newTiers = [];
  const deletes = [];
  const creates = [];
  const tiers = store.tiers.filter((tier) => written(tier, before));
  const isNew = (tier) => tier && !before.has(tier.id);
  for (const tier of deepestFirst(tiers, store)) {
    const old = before.get(tier.id);
    if (!old) {
      if (!isNew(tiers.find((t) => t.id === tier.parent_id))) newTiers.push(tier.id);
      continue;
    }
    const now = new Set(tier.annotations.map((a) => a.id));
    for (const a of tier.annotations) if (!old.has(a.id) && added(a)) deletes.push({ op: "delete", id: a.id });
    for (const [id, a] of old) {
      if (now.has(id) || !untouchedPrediction(a)) continue;
      creates.push({ op: "create", tier_id: tier.id, replaces: id, ...copy(a) });
    }
  }
  const ops = [...deletes, ...creates];
  if (!ops.length && !newTiers.length) return null;
  return jobStep({ label, history, tierActions, ops, deleteTiers: newTiers });
}

/** A step of the undo history that changes tiers and annotations in one request (POST /tiers/batch), which the
 * server applies all together or not at all: the tiers kept in `restore` (a TierActions.copyOf) come back, then
 * `ops` are applied, then the tiers `deleteTiers` are deleted with the tiers below them (a copy of them is kept).
 * When the request fails, nothing has changed, and the step can be tried again as it is. Its reverse is the step
 * that does the opposite, in one request too. */
export function jobStep({ label, history, tierActions, ops = [], restore = null, deleteTiers = [] }) {
  return {
    label,
    run: async () => {
      const doomed = deleteTiers.map((id) => history.tierId(id));
      const kept = doomed.length ? tierActions.copyOf(doomed) : null;
      let restored = null;
      const { inverse } = await history.execute(ops, async (operations) => {
        const body = { restore: restore && tierActions.restoreRequest(restore), operations, delete_tiers: doomed };
        const answer = await history.api.tierBatch(body);
        restored = answer.restored;
        return answer.results;
      });
      if (restored) tierActions.restored(restored);
      for (const id of doomed) history.store.removeTier(id);
      history.store.emit("doc");
      const again = restore ? restore.tiers.filter((t) => !restore.tiers.some((p) => p.id === t.parent_id)) : [];
      return jobStep({ label, history, tierActions, ops: inverse, restore: kept, deleteTiers: again.map((t) => t.id) });
    },
  };
}

/** `tiers` ordered by how many parents each has in `store`, most first (a stable sort). */
function deepestFirst(tiers, store) {
  const depth = (tier) => {
    let n = 0;
    for (let t = tier; t && t.parent_id != null && n < 100; t = store.tier(t.parent_id)) n += 1;
    return n;
  };
  return tiers.map((t) => [depth(t), t]).sort((a, b) => b[0] - a[0]).map(([, t]) => t);
}

function copy(a) {
  return Object.fromEntries(FIELDS.filter((k) => a[k] != null).map((k) => [k, a[k]]));
}
