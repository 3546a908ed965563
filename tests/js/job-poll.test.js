// Following a background job (job-poll.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, NetworkError } from "../../kslars/web/static/slan/js/api.js";
import { pollJob } from "../../kslars/web/static/slan/js/job-poll.js";

/** An api whose job() gives `answers` in turn (an Error is thrown). */
function jobsApi(answers) {
  const asked = [];
  return {
    asked,
    async job(id) {
      asked.push(id);
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next;
    },
  };
}
const noWait = async () => {};

test("asks until the job has ended, showing each state it runs in", async () => {
  const api = jobsApi([
    { id: 5, status: "running", progress: 0.5 },
    { id: 5, status: "succeeded", progress: 1 },
  ]);
  const seen = [];
  const waits = [];
  const done = await pollJob(api, { id: 5, status: "queued", progress: 0 }, (job) => seen.push(job.status), {
    intervalMs: 250, sleep: async (ms) => waits.push(ms),
  });
  assert.equal(done.status, "succeeded");
  assert.deepEqual(seen, ["queued", "running"]);
  assert.deepEqual(waits, [250, 250]);
  assert.deepEqual(api.asked, [5, 5]);
});

test("a moment without the server does not end the following", async () => {
  const api = jobsApi([new NetworkError("offline"), { id: 1, status: "failed", error: "no video" }]);
  const done = await pollJob(api, { id: 1, status: "running" }, () => {}, { sleep: noWait });
  assert.equal(done.status, "failed");
  assert.equal(api.asked.length, 2);
});

test("a refusal from the server ends it with the server's error", async () => {
  const api = jobsApi([new ApiError(404, "Not found", null)]);
  await assert.rejects(pollJob(api, { id: 1, status: "running" }, () => {}, { sleep: noWait }), /Not found/);
});

test("a job that has ended already is returned without asking", async () => {
  const api = jobsApi([]);
  const job = { id: 2, status: "cancelled" };
  assert.equal(await pollJob(api, job, () => assert.fail("no update"), { sleep: noWait }), job);
  assert.equal(api.asked.length, 0);
});
