// The undo step of a background job's result (job-undo.js): several requests in turn (the job's new tiers, its
// annotations). A step that fails part-way stays on its stack; trying it again sends only what is not done yet.
import { test } from "node:test";
import assert from "node:assert/strict";
import { History } from "../../kslars/web/static/slan/js/history.js";
import { together } from "../../kslars/web/static/slan/js/job-undo.js";
import { SaveQueue } from "../../kslars/web/static/slan/js/save.js";

/** An entry whose run is counted in `log` and throws `failures` times first; its reverse is logged too. */
function counted(name, log, failures = 0) {
  let left = failures;
  return {
    label: name,
    run: async () => {
      if (left > 0) {
        left -= 1;
        throw new Error(`${name} refused`);
      }
      log.push(name);
      return counted(`undo ${name}`, log);
    },
  };
}

test("a job's step that fails part-way is tried again from where it stopped, never running a part twice", async () => {
  const errors = [];
  const queue = new SaveQueue({ onStatus: () => {}, onError: (err) => errors.push(err), onConflict: () => {} });
  const history = new History({ store: null, api: null, queue });
  const log = [];
  history.record(together("Process video", [counted("tier", log), counted("annotations", log, 1)]));
  await history.undo();
  assert.equal(errors.length, 1);
  assert.deepEqual(log, ["tier"]);
  assert.ok(history.canUndo(), "the step stays to be tried again");
  await history.undo();
  assert.deepEqual(log, ["tier", "annotations"], "the tier's part is not sent again");
  assert.ok(!history.canUndo() && history.canRedo());
  await history.redo();
  assert.deepEqual(log.slice(2), ["undo annotations", "undo tier"], "redo reverses the parts in the opposite order");
});
