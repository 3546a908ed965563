// Undo/redo. Every change is an entry whose run() performs it on the server and returns the entry that
// reverses it. Annotation edits are lists of operations in the batch endpoint's form; their inverses are
// computed from the state before the edit. Recreating a deleted annotation gives it a new id, so old ids are
// followed through an alias table.

const FIELDS = ["value", "start_ms", "end_ms", "cv_entry", "attributes"];

/** Undo and redo stacks over a SaveQueue; annotation edits go through apply(). */
export class History {
  constructor({ store, api, queue, onChange }) {
    this.store = store;
    this.api = api;
    this.queue = queue;
    this.onChange = onChange || (() => {});
    this.undoStack = [];
    this.redoStack = [];
    this.aliases = new Map();
    this.tierAliases = new Map();
  }

  canUndo() { return this.undoStack.length > 0; }
  canRedo() { return this.redoStack.length > 0; }

  /** Perform annotation operations as one undoable step; resolves to the server's results (or null). */
  apply(label, ops) {
    let results = null;
    const entry = this.opsEntry(label, ops, (r) => { results = r; });
    return this.perform(entry).then(() => results);
  }

  /** Perform any undoable change given as an entry {label, run: async () => reversingEntry}. */
  perform(entry) {
    return this.queue.push(async () => {
      const reverse = await entry.run();
      this.undoStack.push(reverse);
      this.redoStack = [];
      this.onChange();
    });
  }

  /** Record a change made already; `reverse` is the entry that undoes it. */
  record(reverse) {
    this.undoStack.push(reverse);
    this.redoStack = [];
    this.onChange();
  }

  /** The current id of a tier that was deleted and created again by undo/redo. */
  tierId(id) {
    let current = id;
    for (let i = 0; i < 100 && this.tierAliases.has(current); i += 1) current = this.tierAliases.get(current);
    return current;
  }

  undo() { return this.step(this.undoStack, this.redoStack); }
  redo() { return this.step(this.redoStack, this.undoStack); }

  /** Undo or redo in turn with the edits before it: the entry is taken when the queue gets to it. When the server
   * refuses it or cannot be reached, it goes back, to be tried again (the queue sends it again after a network
   * failure); after a conflict the document is reloaded with the other person's version, and the entry is dropped. */
  step(from, to) {
    if (!from.length && !this.queue.tasks.length) return Promise.resolve();
    return this.queue.push(async () => {
      const entry = from.pop();
      if (!entry) return;
      this.onChange();
      let reverse;
      try {
        reverse = await entry.run();
      } catch (err) {
        if (!err.isConflict) from.push(entry);
        this.onChange();
        throw err;
      }
      to.push(reverse);
      this.onChange();
    });
  }

  resolve(id) {
    let current = id;
    for (let i = 0; i < 100 && this.aliases.has(current); i += 1) current = this.aliases.get(current);
    return current;
  }

  opsEntry(label, ops, onResults) {
    return {
      label,
      run: async () => {
        const { inverse, results } = await this.execute(ops);
        if (onResults) onResults(results);
        return this.opsEntry(label, inverse);
      },
    };
  }

  /** Send `ops` in one request (or one batch; or through `send`, which takes them as the batch endpoint does and
   * resolves to the results), update the store, and return the operations that undo them.

   * Creates that refer to an annotation recreated in the same list (a symbolic child of a restored parent) name
   * it by a ref, and come after it: the server creates them all in one transaction, or none of them.
   */
  async execute(ops, send = null) {
    const prepared = inCreationOrder(ops).map((op) => this.prepare(op));
    const before = prepared.map((op) => (op.op === "create" ? null : structuredClone(this.store.annotation(op.id))));
    const tiers = prepared.map((op) => (op.op === "create" ? op.tier_id : this.store.tierOf(op.id)?.id));
    const wire = prepared.map(({ replaces, ...fields }) => fields);
    let results;
    if (send) results = await send(wire);
    else if (prepared.length === 1) results = [await this.single(prepared[0])];
    else results = (await this.api.batch(wire)).results;
    const deletes = [];
    const updates = [];
    const creates = [];
    prepared.forEach((op, i) => {
      const result = results[i];
      if (op.op === "delete") {
        this.store.removeAnnotation(op.id);
        creates.push({ op: "create", tier_id: tiers[i], ...pick(before[i], ["parent", "previous", ...FIELDS]),
          replaces: op.id });
      } else {
        this.store.putAnnotation(tiers[i], result);
        if (op.replaces) this.aliases.set(op.replaces, result.id);
        if (op.op === "create") deletes.unshift({ op: "delete", id: result.id }); // children before parents
        else updates.unshift({ op: "update", id: op.id, ...previousValues(before[i], op) });
      }
    });
    // Annotations deleted along with a parent: extra results of a batch, or the list a single delete returns.
    for (const extra of results.slice(prepared.length)) if (extra && extra.deleted) this.store.removeAnnotation(extra.id);
    for (const result of results) for (const id of (result && result.cascade) || []) this.store.removeAnnotation(id);
    this.store.emit("doc");
    return { inverse: [...deletes, ...updates, ...creates], results };
  }

  /** The operation as the server wants it: ids followed through aliases, current versions. */
  prepare(op) {
    if (op.op === "create") {
      const { replaces, ...fields } = op;
      const out = { ...fields, tier_id: this.tierId(fields.tier_id) };
      for (const key of ["parent", "previous"]) if (out[key] && !isRef(out[key])) out[key] = this.resolve(out[key]);
      return replaces ? { ...out, replaces, ref: refFor(replaces) } : out;
    }
    const id = this.resolve(op.id);
    const current = this.store.annotation(id);
    if (!current) throw Object.assign(new Error(`annotation ${id} no longer exists`), { isConflict: true });
    return { ...op, id, version: current.version };
  }

  async single(op) {
    const { op: kind, id, version, replaces, ref, ...fields } = op;
    if (kind === "create") return this.api.createAnnotation(fields);
    if (kind === "update") return this.api.updateAnnotation(id, { version, ...fields });
    const answer = await this.api.deleteAnnotation(id, version);
    return { id, deleted: true, cascade: (answer && answer.deleted) || [] };
  }
}

/** The ref a batch gives the annotation created again for the deleted `id` (never an annotation id itself). */
const refFor = (id) => `undo:${id}`;
const isRef = (value) => value.startsWith("undo:");

/** `ops` with each create that names an annotation created again in the list (its parent or previous piece) after
 * that one, naming it by its ref; the others keep their order. */
function inCreationOrder(ops) {
  const out = [];
  let pending = ops;
  while (pending.length) {
    const recreated = new Set(pending.filter((op) => op.replaces).map((op) => op.replaces));
    const waits = (op) => op.op === "create" && (recreated.has(op.parent) || recreated.has(op.previous));
    const now = pending.filter((op) => !waits(op));
    if (!now.length) return [...out, ...pending]; // a circle: the server says what is wrong
    out.push(...now);
    pending = pending.filter(waits);
  }
  const refs = new Set(out.filter((op) => op.replaces).map((op) => op.replaces));
  return out.map((op) => {
    if (op.op !== "create") return op;
    const named = { ...op };
    for (const key of ["parent", "previous"]) if (refs.has(op[key])) named[key] = refFor(op[key]);
    return named;
  });
}

function previousValues(before, op) {
  const out = {};
  for (const key of FIELDS) if (key in op) out[key] = before[key] ?? null;
  return out;
}

function pick(object, keys) {
  const out = {};
  for (const key of keys) if (object && object[key] !== undefined && object[key] !== null) out[key] = object[key];
  return out;
}
