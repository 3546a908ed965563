// Undo and redo (history.js) against a server kept in memory, through the real save queue and store.
import { test } from "node:test";
import assert from "node:assert/strict";
import { NetworkError } from "../../kslars/web/static/slan/js/api.js";
import { History } from "../../kslars/web/static/slan/js/history.js";
import { SaveQueue } from "../../kslars/web/static/slan/js/save.js";
import { Store } from "../../kslars/web/static/slan/js/store.js";

/** The annotation routes of the API over a Map, with versions as the server keeps them. */
class FakeServer {
  constructor() {
    this.rows = new Map();
    this.next = 1;
    this.requests = 0;
    this.fails = null; // (operations of a request) => an error to throw instead of doing any of them, or null
  }
  /** One request: refused as a whole, or counted and done. */
  request(operations) {
    const refusal = this.fails && this.fails(operations);
    if (refusal) throw refusal;
    this.requests += 1;
  }
  createAnnotation(fields) {
    this.request([fields]);
    return this.create(fields);
  }
  updateAnnotation(id, fields) {
    this.requests += 1;
    return this.update(id, fields);
  }
  deleteAnnotation(id, version) {
    this.requests += 1;
    const refusal = this.refuseNext;
    this.refuseNext = null;
    if (refusal) throw refusal;
    this.delete(id, version);
    return { deleted: [] };
  }
  /** As the server: all or nothing; `parent` and `previous` may name the `ref` of a create before them. */
  batch(operations) {
    this.request(operations);
    const refs = new Map();
    const [rows, next] = [structuredClone(this.rows), this.next];
    try {
      return { results: operations.map((op) => this.operate(op, refs)) };
    } catch (err) {
      [this.rows, this.next] = [rows, next];
      throw err;
    }
  }
  operate(op, refs) {
    if (op.op === "create") {
      const { ref, ...fields } = op;
      for (const key of ["parent", "previous"]) if (refs.has(fields[key])) fields[key] = refs.get(fields[key]);
      const row = this.create(fields);
      if (ref) refs.set(ref, row.id);
      return row;
    }
    if (op.op === "update") return this.update(op.id, op);
    this.delete(op.id, op.version);
    return { id: op.id, deleted: true };
  }
  create({ op, tier_id: tierId, ...fields }) {
    const row = { id: `a${this.next++}`, version: 1, tier_id: tierId, ...fields };
    this.rows.set(row.id, row);
    return structuredClone(row);
  }
  update(id, { op, id: same, version, ...fields }) {
    const row = this.rows.get(id);
    assert.equal(row.version, version, "the client sends the version it has");
    Object.assign(row, fields, { version: version + 1 });
    return structuredClone(row);
  }
  /** As the server: an annotation deleted already is a conflict; its symbolic children go with it. */
  delete(id, version) {
    const row = this.rows.get(id);
    if (!row) throw Object.assign(new Error(`annotation ${id} was deleted by someone else`), { isConflict: true });
    assert.equal(row.version, version);
    this.rows.delete(id);
    for (const child of [...this.rows.values()]) if (child.parent === id) this.delete(child.id, child.version);
  }
  values() { return [...this.rows.values()].map((r) => r.value).sort(); }
}

function setUp(onError = (err) => { throw err; }) {
  const server = new FakeServer();
  const store = new Store();
  store.load({
    revision: 1,
    tier_types: [{ id: 1, name: "gloss", constraint: "None" }, { id: 2, name: "meaning", constraint: "Symbolic_Subdivision" }],
    tiers: [
      { id: 1, name: "Gloss", type_id: 1, position: 0, annotations: [] },
      { id: 2, name: "Meaning", type_id: 2, parent_id: 1, position: 1, annotations: [] },
    ],
  });
  const queue = new SaveQueue({ onStatus: () => {}, onError, onConflict: () => {} });
  const history = new History({ store, api: server, queue });
  return { server, store, history, queue };
}

const create = (value, start) => ({ op: "create", tier_id: 1, value, start_ms: start, end_ms: start + 100 });

test("undo takes a created annotation away and redo brings it back under a new id", async () => {
  const { server, store, history } = setUp();
  const [made] = await history.apply("Create", [create("HOUSE", 0)]);
  assert.deepEqual(server.values(), ["HOUSE"]);
  assert.ok(store.annotation(made.id));
  await history.undo();
  assert.deepEqual(server.values(), []);
  assert.equal(store.annotation(made.id), null);
  await history.redo();
  assert.deepEqual(server.values(), ["HOUSE"]);
  const [again] = server.rows.keys();
  assert.notEqual(again, made.id);
  assert.equal(history.resolve(made.id), again, "the old id is followed to the new one");
  // an edit of the old id after redo goes to the recreated annotation
  await history.apply("Rename", [{ op: "update", id: made.id, value: "HOME" }]);
  assert.deepEqual(server.values(), ["HOME"]);
});

test("undo of a value edit restores the value before it; redo does the edit again", async () => {
  const { server, history } = setUp();
  const [made] = await history.apply("Create", [create("HOUSE", 0)]);
  await history.apply("Rename", [{ op: "update", id: made.id, value: "HOME" }]);
  await history.undo();
  assert.deepEqual(server.values(), ["HOUSE"]);
  await history.redo();
  assert.deepEqual(server.values(), ["HOME"]);
  await history.undo();
  await history.undo();
  assert.deepEqual(server.values(), []);
  assert.equal(history.canUndo(), false);
  assert.equal(history.canRedo(), true);
});

test("a new edit after undo forgets what could be redone", async () => {
  const { history } = setUp();
  await history.apply("Create", [create("HOUSE", 0)]);
  await history.undo();
  assert.equal(history.canRedo(), true);
  await history.apply("Create", [create("TREE", 200)]);
  assert.equal(history.canRedo(), false);
});

test("several operations are one step, sent in one request, and undone together", async () => {
  const { server, history } = setUp();
  await history.apply("Create", [create("HOUSE", 0), create("TREE", 200)]);
  assert.equal(server.requests, 1);
  const ids = [...server.rows.keys()];
  await history.apply("Delete", ids.map((id) => ({ op: "delete", id })));
  assert.deepEqual(server.values(), []);
  await history.undo();
  assert.deepEqual(server.values(), ["HOUSE", "TREE"]);
  assert.deepEqual([...server.rows.values()].map((r) => r.start_ms).sort((a, b) => a - b), [0, 200]);
});

test("undo with nothing to undo does nothing", async () => {
  const { server, history } = setUp();
  await history.undo();
  await history.redo();
  assert.equal(server.requests, 0);
});

test("an undo the server refuses stays to be tried again; one that could not be sent is the one sent again", async () => {
  const errors = [];
  const { server, history, queue } = setUp((err) => errors.push(err));
  await history.apply("Create", [create("HOUSE", 0)]);
  await history.apply("Create", [create("TREE", 200)]);
  server.refuseNext = new Error("refused");
  await history.undo();
  assert.equal(errors.length, 1);
  assert.deepEqual(server.values(), ["HOUSE", "TREE"]);
  assert.ok(history.canUndo());
  server.refuseNext = new NetworkError("offline");
  const undone = history.undo();
  await new Promise((resolve) => setTimeout(resolve, 0));
  await queue.flush(); // the queue sends again at once instead of in 5 s
  await undone;
  assert.deepEqual(server.values(), ["HOUSE"], "the step that failed, TREE's creation, is the one undone");
  await history.undo();
  assert.deepEqual(server.values(), []);
});

/** HOUSE on Gloss with the pieces "a" and "building" on its symbolic child tier; then all three deleted, the pieces
 * first (as the editor deletes a selection with its dependants). */
async function deletedWithChildren(history, server) {
  const [house] = await history.apply("Create", [create("HOUSE", 0)]);
  const [a] = await history.apply("Piece", [{ op: "create", tier_id: 2, value: "a", parent: house.id }]);
  const [building] = await history.apply("Piece", [
    { op: "create", tier_id: 2, value: "building", parent: house.id, previous: a.id },
  ]);
  await history.apply("Delete", [building, a, house].map(({ id }) => ({ op: "delete", id })));
  assert.deepEqual(server.values(), []);
}

/** The stored annotations as value: parent value / previous value. */
function family(server) {
  const value = (id) => (id ? server.rows.get(id).value : null);
  return [...server.rows.values()].map((r) => `${r.value}: ${value(r.parent)} / ${value(r.previous)}`).sort();
}

test("undo of deleted annotations with symbolic children is one request that brings them all back", async () => {
  const { server, store, history } = setUp();
  await deletedWithChildren(history, server);
  const sent = server.requests;
  await history.undo();
  assert.equal(server.requests, sent + 1, "parents and children in one request");
  assert.deepEqual(family(server), ["HOUSE: null / null", "a: HOUSE / null", "building: HOUSE / a"]);
  for (const id of server.rows.keys()) assert.ok(store.annotation(id), "the store has what the server has");
  await history.redo();
  assert.deepEqual(server.values(), []);
  await history.undo();
  assert.deepEqual(family(server), ["HOUSE: null / null", "a: HOUSE / null", "building: HOUSE / a"]);
});

test("an undo with symbolic children that fails stays on its stack, creates nothing, and its retry no duplicates", async () => {
  const errors = [];
  const { server, history, queue } = setUp((err) => errors.push(err));
  await deletedWithChildren(history, server);
  // the server refuses (then cannot be reached for) any request that creates a symbolic child
  server.fails = (operations) => (operations.some((op) => op.parent) ? new Error("refused") : null);
  await history.undo();
  assert.equal(errors.length, 1);
  assert.deepEqual(server.values(), [], "no parent came back without its children");
  assert.ok(history.canUndo() && !history.canRedo(), "the step is still there to be tried again");
  server.fails = (operations) => (operations.some((op) => op.parent) ? new NetworkError("offline") : null);
  const undone = history.undo();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(server.values(), []);
  server.fails = null;
  await queue.flush(); // the queue sends again at once instead of in 5 s
  await undone;
  assert.deepEqual(family(server), ["HOUSE: null / null", "a: HOUSE / null", "building: HOUSE / a"]);
  assert.equal(history.undoStack.length, 3, "the undone step left the undo stack (the three creations are left)");
  assert.ok(history.canRedo());
});
