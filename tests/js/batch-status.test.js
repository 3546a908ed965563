// How a batch and its videos are said in words (batch-status.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { batchSummary, itemState } from "../../kslars/web/static/slan/js/batch-status.js";

test("each video's state, with the percentage while it runs", () => {
  assert.equal(itemState({ status: "queued", progress: 0 }), "Queued");
  assert.equal(itemState({ status: "running", progress: 0.426 }), "Running 43 %");
  assert.equal(itemState({ status: "succeeded", progress: 1 }), "Done");
  assert.equal(itemState({ status: "failed", progress: 0.2 }), "Failed");
  assert.equal(itemState({ status: "cancelled", progress: 0 }), "Cancelled");
});

test("the batch's line counts done, failed and waiting or running videos", () => {
  const batch = {
    counts: { queued: 1, running: 1, succeeded: 2, failed: 1, cancelled: 0 },
    items: new Array(5).fill({}),
  };
  assert.equal(batchSummary(batch), "2 of 5 videos processed, 1 failed, 2 to go");
});
