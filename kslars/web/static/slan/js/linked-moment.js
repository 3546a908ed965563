// The moment an editor address points at: /p/<id>/#t=<seconds>&a=<annotation id>, as corpus search results link.
// Both parts are optional; a time that is not a number is ignored, an id the document lacks selects nothing.

/** `{ ms, annotationId }` from a location hash ("#t=12.345&a=a678"); null for what it does not give. */
export function linkedMoment(hash) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  const seconds = params.has("t") ? Number(params.get("t")) : NaN;
  return {
    ms: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : null,
    annotationId: params.get("a") || null,
  };
}

/** Go to the moment `hash` names: seek the player, scroll the timeline there, select the annotation if it exists. */
export function openLinkedMoment(hash, { player, timeline, store }) {
  const { ms, annotationId } = linkedMoment(hash);
  if (ms != null) {
    player.seekMs(ms);
    timeline.reveal(ms);
  }
  if (annotationId != null && store.annotation(annotationId)) store.select([annotationId]);
}
