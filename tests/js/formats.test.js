// The formats' list as the pages use it (formats.js).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import {
  acceptList, extensionsText, loadFormats, offerReadable,
} from "../../kslars/web/static/slan/js/formats.js";

const FORMATS = [
  { name: "eaf", extensions: [".eaf"], readable: true, writable: true },
  { name: "pdf", extensions: [".pdf"], readable: false, writable: true },
  { name: "textgrid", extensions: [".textgrid", ".TextGrid"], readable: true, writable: true },
];
const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

test("file choosers take the readable formats' extensions", () => {
  assert.equal(acceptList(FORMATS), ".eaf,.textgrid,.TextGrid");
  assert.equal(extensionsText(FORMATS), "(.eaf, .textgrid, .TextGrid)");
  const input = {};
  const note = {};
  offerReadable(input, note, FORMATS);
  assert.equal(input.accept, ".eaf,.textgrid,.TextGrid");
  assert.equal(note.textContent, " (.eaf, .textgrid, .TextGrid)");
  offerReadable(input, null, FORMATS); // no note on the page: the chooser alone
});

test("a page asks once; a failed request is asked again", async () => {
  let calls = 0;
  globalThis.fetch = async () => {
    calls += 1;
    if (calls === 1) throw new TypeError("Failed to fetch");
    return new Response(JSON.stringify(FORMATS), { status: 200 });
  };
  await assert.rejects(loadFormats("/api/formats"));
  assert.deepEqual(await loadFormats("/api/formats"), FORMATS);
  assert.deepEqual(await loadFormats("/api/formats"), FORMATS);
  assert.equal(calls, 2);
});
