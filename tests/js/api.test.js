// The API client (api.js): headers it sends, and the errors people see when a request fails.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { Api, ApiError, NetworkError, errorDetail, request, sendForm } from "../../kslars/web/static/slan/js/api.js";

const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

/** Answer every fetch with `status` and `body` (a string is sent as it is), recording the requests. */
function answer(status, body) {
  const sent = [];
  globalThis.fetch = async (url, init) => {
    sent.push({ url, ...init });
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return new Response(status === 204 ? null : text, { status });
  };
  return sent;
}

test("the server's message is the error's", () => {
  assert.equal(errorDetail(400, { detail: "line 3: no such tier" }), "line 3: no such tier");
  assert.equal(
    errorDetail(422, { detail: [{ loc: ["body", "start_ms"], msg: "not an integer" }, { msg: "missing" }] }),
    "body.start_ms: not an integer; : missing",
  );
  assert.equal(errorDetail(413, null), "The file is larger than the upload limit.");
  assert.equal(errorDetail(502, null), "The server answered 502.");
});

test("a refused request throws ApiError with status, message and body; 409 carries the current annotation", async () => {
  answer(409, { detail: "changed by someone else", current: { id: "a1", value: "HOUSE" } });
  const api = new Api({ apiBase: "/api/", projectId: 7 });
  const err = await api.updateAnnotation("a1", { version: 1, value: "TREE" }).catch((e) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.status, 409);
  assert.equal(err.message, "changed by someone else");
  assert.equal(err.isConflict, true);
  assert.deepEqual(err.current, { id: "a1", value: "HOUSE" });
});

test("an answer that is not JSON still gives a readable error", async () => {
  answer(500, "<html>Server Error</html>");
  const err = await request("/api/x").catch((e) => e);
  assert.ok(err instanceof ApiError);
  assert.equal(err.message, "The server answered 500.");
});

test("no server: NetworkError, with the message for edits from Api", async () => {
  globalThis.fetch = async () => { throw new TypeError("Failed to fetch"); };
  const plain = await request("/api/x").catch((e) => e);
  assert.ok(plain instanceof NetworkError);
  assert.match(plain.message, /try again when the connection is back/);
  const edit = await new Api({ apiBase: "/api/", projectId: 1 }).document().catch((e) => e);
  assert.ok(edit instanceof NetworkError);
  assert.match(edit.message, /your edits will be sent/);
});

test("JSON bodies, the share token, and CSRF on unsafe methods only", async () => {
  const sent = answer(200, { ok: true });
  const api = new Api({ apiBase: "/api/", projectId: 3, shareToken: "tok" });
  assert.deepEqual(await api.document(), { ok: true });
  await api.createTier({ name: "Gloss" });
  const [get, post] = sent;
  assert.equal(get.url, "/api/projects/3/document");
  assert.equal(get.headers["X-Share-Token"], "tok");
  assert.equal("X-CSRFToken" in get.headers, false);
  assert.equal(post.method, "POST");
  assert.equal(post.headers["Content-Type"], "application/json");
  assert.equal(post.body, JSON.stringify({ name: "Gloss" }));
  assert.equal("X-CSRFToken" in post.headers, true);
});

test("a form is posted as it is, with the CSRF token given; 204 resolves to null", async () => {
  const sent = answer(204);
  const form = new FormData();
  form.append("file", "x");
  assert.equal(await sendForm("/api/projects/import", form, "csrf-1"), null);
  assert.equal(sent[0].body, form);
  assert.equal(sent[0].headers["X-CSRFToken"], "csrf-1");
  assert.equal("Content-Type" in sent[0].headers, false); // the browser sets the multipart boundary
});
