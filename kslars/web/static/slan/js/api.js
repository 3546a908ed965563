// The SLAN JSON API client: CSRF for logged-in users, X-Share-Token for read-only links, clear errors.
import { gettext } from "./i18n.js";

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

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function detailOf(data, response) {
  const detail = data && data.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) return detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
  return `${response.status} ${response.statusText}`;
}

/** API calls for one project. */
export class Api {
  constructor({ apiBase, projectId, shareToken }) {
    this.base = apiBase;
    this.projectId = projectId;
    this.shareToken = shareToken || null;
  }

  /** Send one request; resolves to the JSON body (null for 204), throws ApiError or NetworkError. */
  async request(method, path, body) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (this.shareToken) headers["X-Share-Token"] = this.shareToken;
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    let response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers,
        credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new NetworkError(gettext("The server cannot be reached; your edits will be sent when it is back."));
    }
    if (response.status === 204) return null;
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, detailOf(data, response), data);
    return data;
  }

  project(path) {
    return `projects/${this.projectId}${path}`;
  }

  document() { return this.request("GET", this.project("/document")); }
  changes(since) { return this.request("GET", this.project(`/changes?since=${since}`)); }
  video() { return this.request("GET", this.project("/video")); }

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
  createTierType(fields) { return this.request("POST", this.project("/tier-types"), fields); }
  updateTierType(id, fields) { return this.request("PATCH", this.project(`/tier-types/${id}`), fields); }

  createVocabulary(fields) { return this.request("POST", this.project("/vocabularies"), fields); }
  updateVocabulary(id, fields) { return this.request("PATCH", this.project(`/vocabularies/${id}`), fields); }
  deleteVocabulary(id) { return this.request("DELETE", this.project(`/vocabularies/${id}`)); }
}
