// The one client of SLAN's JSON API: every fetch of the pages goes through request(), which adds the CSRF token
// to unsafe requests (and X-Share-Token for read-only links in Api), and turns a failed answer into an ApiError
// carrying the server's message, or a NetworkError when the server cannot be reached.
import { format, gettext } from "./i18n.js";

/** An HTTP error from the API; `status` 409 carries `current` (the annotation as saved now, or null). */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
    this.current = body && "current" in body ? body.current : undefined;
    this.isConflict = status === 409;
  }
}

/** The server could not be reached: the edit stays queued and is retried. */
export class NetworkError extends Error {}

/** The CSRF token Django keeps in its cookie ("" when there is none). */
export function csrfToken() {
  const match = globalThis.document ? document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/) : null;
  return match ? decodeURIComponent(match[1]) : "";
}

/** The message of a failed answer with HTTP `status` and JSON body `data` (null when it was not JSON): the
 * server's {"detail": "..."}, a list of validation problems, or a sentence about the status. */
export function errorDetail(status, data) {
  const detail = data && data.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
  if (status === 413) return gettext("The file is larger than the upload limit.");
  return format(gettext("The server answered %(status)s."), { status });
}

/** Send one request to `url`: `json` (an object) or `form` (FormData) as its body, `headers` added, `token` as
 * the CSRF token of unsafe methods (default: the cookie's). Resolves to the JSON answer (null for 204 or an
 * answer that is not JSON); throws ApiError with the server's message, or NetworkError with `offline`. */
export async function request(url, { method = "GET", json, form, headers = {}, token, offline } = {}) {
  const sent = { Accept: "application/json", ...headers };
  if (json !== undefined) sent["Content-Type"] = "application/json";
  if (method !== "GET") sent["X-CSRFToken"] = token ?? csrfToken();
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: sent,
      credentials: "same-origin",
      body: json !== undefined ? JSON.stringify(json) : form,
    });
  } catch (err) {
    throw new NetworkError(offline || gettext("The server cannot be reached; try again when the connection is back."));
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch (err) {
    data = null;
  }
  if (!response.ok) throw new ApiError(response.status, errorDetail(response.status, data), data);
  return data;
}

/** GET `url`'s JSON (see request()). */
export function getJson(url) {
  return request(url);
}

/** POST `form` (a FormData) to `url`; resolves to the JSON answer (see request()). */
export function sendForm(url, form, token = undefined) {
  return request(url, { method: "POST", form, token });
}

/** API calls for one project. */
export class Api {
  constructor({ apiBase, projectId, shareToken }) {
    this.base = apiBase;
    this.projectId = projectId;
    this.shareToken = shareToken || null;
  }

  /** Send one request; resolves to the JSON body (null for 204), throws ApiError or NetworkError. */
  request(method, path, body) {
    return request(this.base + path, {
      method,
      json: body,
      headers: this.shareToken ? { "X-Share-Token": this.shareToken } : {},
      offline: gettext("The server cannot be reached; your edits will be sent when it is back."),
    });
  }

  project(path) {
    return `projects/${this.projectId}${path}`;
  }

  document() { return this.request("GET", this.project("/document")); }
  changes(since) { return this.request("GET", this.project(`/changes?since=${since}`)); }
  video() { return this.request("GET", this.project("/video")); }
  formats() { return this.request("GET", "formats"); }

  createAnnotation(fields) { return this.request("POST", this.project("/annotations"), fields); }
  updateAnnotation(id, fields) {
    return this.request("PATCH", this.project(`/annotations/${encodeURIComponent(id)}`), fields);
  }
  deleteAnnotation(id, version) {
    return this.request("DELETE", this.project(`/annotations/${encodeURIComponent(id)}?version=${version}`));
  }
  batch(operations) { return this.request("POST", this.project("/annotations/batch"), { operations }); }

  createTier(fields) { return this.request("POST", this.project("/tiers"), fields); }
  updateTier(id, fields) { return this.request("PATCH", this.project(`/tiers/${id}`), fields); }
  deleteTier(id) { return this.request("DELETE", this.project(`/tiers/${id}`)); }
  orderTiers(tierIds) { return this.request("POST", this.project("/tiers/order"), { tier_ids: tierIds }); }
  restoreTiers(restore) { return this.request("POST", this.project("/tiers/restore"), restore); }
  tierBatch(step) { return this.request("POST", this.project("/tiers/batch"), step); }
  createTierType(fields) { return this.request("POST", this.project("/tier-types"), fields); }
  updateTierType(id, fields) { return this.request("PATCH", this.project(`/tier-types/${id}`), fields); }

  createVocabulary(fields) { return this.request("POST", this.project("/vocabularies"), fields); }
  updateVocabulary(id, fields) { return this.request("PATCH", this.project(`/vocabularies/${id}`), fields); }
  deleteVocabulary(id) { return this.request("DELETE", this.project(`/vocabularies/${id}`)); }

  jobs() { return this.request("GET", this.project("/jobs")); }
  job(id) { return this.request("GET", `jobs/${id}`); }
  cancelJob(id) { return this.request("POST", `jobs/${id}/cancel`); }
  retryJob(id) { return this.request("POST", `jobs/${id}/retry`); }
}
