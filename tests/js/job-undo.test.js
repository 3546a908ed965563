// The undo step of a background job's result (job-undo.js): Undo deletes the job's new tiers and its annotations on
// the tiers it filled, Redo brings them back, each in one request (POST /tiers/batch) that the server applies all
// together or not at all. A refused step changes nothing, here nor there, and stays on its stack to be tried again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { History } from "../../kslars/web/static/slan/js/history.js";
import { jobResultUndo, snapshot } from "../../kslars/web/static/slan/js/job-undo.js";
import { SaveQueue } from "../../kslars/web/static/slan/js/save.js";
import { Store } from "../../kslars/web/static/slan/js/store.js";
import { TierActions } from "../../kslars/web/static/slan/js/tier-actions.js";

/** The tier batch route over Maps of tiers and annotations, all or nothing, as the server does it. */
class FakeServer {
  constructor() {
    this.tiers = new Map([[1, { id: 1, name: "Gloss", type_id: 1, parent_id: null }]]);
    this.rows = new Map([["a1", { id: "a1", tier_id: 1, version: 1, value: "HOUSE", start_ms: 0, end_ms: 500 }]]);
    this.next = 10;
    this.requests = [];
    this.refuseNext = null; // an error to answer the next request with, doing none of it
  }
  add(tier, annotation) {
    this.tiers.set(tier.id, { ...tier });
    this.rows.set(annotation.id, { ...annotation, tier_id: annotation.tier_id ?? tier.id });
  }
  tierBatch(body) {
    this.requests.push(structuredClone(body));
    if (this.refuseNext) {
      const err = this.refuseNext;
      this.refuseNext = null;
      throw err;
    }
    let restored = null;
    if (body.restore) {
      const { tiers, annotations, order } = body.restore;
      const tierIds = {};
      const annotationIds = {};
      for (const t of tiers) {
        tierIds[t.id] = this.next++;
        this.tiers.set(tierIds[t.id], { ...t, id: tierIds[t.id] });
      }
      for (const a of annotations) {
        annotationIds[a.id] = `a${this.next++}`;
        this.rows.set(annotationIds[a.id], { ...a, id: annotationIds[a.id], tier_id: tierIds[a.tier_id], version: 1 });
      }
      const out = (t) => ({ ...this.tiers.get(tierIds[t.id]), annotations: this.on(tierIds[t.id]) });
      const final = order.map((id) => tierIds[id] ?? id);
      restored = { tiers: tiers.map(out), tier_ids: tierIds, annotation_ids: annotationIds, order: final };
    }
    const results = body.operations.map(({ op, id, version, ref, ...fields }) => {
      if (op === "delete") {
        assert.equal(this.rows.get(id).version, version);
        this.rows.delete(id);
        return { id, deleted: true };
      }
      const row = { id: `a${this.next++}`, version: 1, ...fields };
      this.rows.set(row.id, row);
      return structuredClone(row);
    });
    for (const id of body.delete_tiers) {
      this.tiers.delete(id);
      for (const a of this.on(id)) this.rows.delete(a.id);
    }
    return { restored, results, revision: 1 };
  }
  on(tierId) { return [...this.rows.values()].filter((a) => a.tier_id === tierId); }
  /** Each tier's name with its annotations' values. */
  state() {
    return Object.fromEntries([...this.tiers.values()].map((t) => [t.name, this.on(t.id).map((a) => a.value).sort()]));
  }
}

/** The store's tiers by name with their annotations' values, as the editor shows them. */
const shown = (store) => Object.fromEntries(store.tiers.map((t) => [t.name, t.annotations.map((a) => a.value).sort()]));

/** A project with HOUSE on Gloss; a job then wrote a new tier Mouth ("haus") and TREE on Gloss, and its result is
 * on the undo stack. */
function jobDone() {
  const server = new FakeServer();
  const store = new Store();
  store.load({
    revision: 1,
    tier_types: [{ id: 1, name: "gloss", constraint: "None" }],
    tiers: [{ id: 1, name: "Gloss", type_id: 1, position: 0, annotations: [server.rows.get("a1")] }],
  });
  const errors = [];
  const queue = new SaveQueue({ onStatus: () => {}, onError: (err) => errors.push(err), onConflict: () => {} });
  const history = new History({ store, api: server, queue });
  const tierActions = new TierActions({ store, api: server, history, ui: null });
  const before = snapshot(store);
  const mouth = { id: 3, name: "Mouth", type_id: 1, parent_id: null, position: 1 };
  const haus = { id: "a2", tier_id: 3, version: 1, value: "haus", start_ms: 100, end_ms: 300 };
  const tree = { id: "a3", tier_id: 1, version: 1, value: "TREE", start_ms: 600, end_ms: 900 };
  server.add(mouth, haus);
  server.add(server.tiers.get(1), tree);
  store.putTier({ ...mouth, annotations: [haus] });
  store.putAnnotation(1, tree);
  const entry = jobResultUndo({
    label: "Process video", before, store, history, tierActions, written: () => true, added: () => true,
  });
  history.record(entry);
  return { server, store, history, errors };
}

const written = { Gloss: ["HOUSE", "TREE"], Mouth: ["haus"] };

test("undo and redo of a job's result are one request each", async () => {
  const { server, store, history } = jobDone();
  await history.undo();
  assert.equal(server.requests.length, 1);
  assert.deepEqual(server.requests[0], {
    restore: null, operations: [{ op: "delete", id: "a3", version: 1 }], delete_tiers: [3],
  });
  assert.deepEqual(server.state(), { Gloss: ["HOUSE"] });
  assert.deepEqual(shown(store), { Gloss: ["HOUSE"] });
  await history.redo();
  assert.equal(server.requests.length, 2, "the tier, its annotation and TREE come back in one request");
  assert.deepEqual(server.requests[1].restore.tiers.map((t) => t.name), ["Mouth"]);
  assert.deepEqual(server.requests[1].operations.map((op) => op.value), ["TREE"]);
  assert.deepEqual(server.state(), written);
  assert.deepEqual(shown(store), written);
  const again = [...server.tiers.values()].find((t) => t.name === "Mouth").id;
  assert.notEqual(again, 3);
  await history.undo();
  assert.equal(server.requests.length, 3);
  assert.deepEqual(server.requests[2].delete_tiers, [again], "the restored tier is deleted under its new id");
  assert.equal(server.requests[2].operations.length, 1);
  assert.deepEqual(server.state(), { Gloss: ["HOUSE"] });
  assert.deepEqual(shown(store), { Gloss: ["HOUSE"] });
});

test("a refused undo or redo of a job's result changes nothing and is tried again as a whole", async () => {
  const { server, store, history, errors } = jobDone();
  server.refuseNext = new Error("handshape B is no longer in the vocabulary");
  await history.undo();
  assert.equal(errors.length, 1);
  assert.equal(server.requests.length, 1, "one request, refused as a whole");
  assert.deepEqual(server.state(), written);
  assert.deepEqual(shown(store), written, "the new tier and TREE are still shown");
  assert.ok(history.canUndo() && !history.canRedo(), "the step stays to be tried again");
  await history.undo();
  assert.equal(server.requests.length, 2);
  assert.deepEqual(server.requests[1], server.requests[0], "the retry sends the same whole step");
  assert.deepEqual(shown(store), { Gloss: ["HOUSE"] });
  server.refuseNext = new Error("refused");
  await history.redo();
  assert.equal(server.requests.length, 3);
  assert.deepEqual(server.state(), { Gloss: ["HOUSE"] });
  assert.deepEqual(shown(store), { Gloss: ["HOUSE"] }, "no tier came back without its annotations");
  assert.ok(history.canRedo());
  await history.redo();
  assert.equal(server.requests.length, 4);
  assert.deepEqual(shown(store), written);
});
