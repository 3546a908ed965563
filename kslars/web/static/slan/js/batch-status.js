// How a batch of Process video jobs and each of its videos are said in words (the project list's recent batches
// and a batch's page share them). Imports nothing of the page, so the unit tests can load it.
import { format, gettext } from "./i18n.js";

/** The words for a video's status ("running" with its percentage). */
export function itemState(item) {
  switch (item.status) {
    case "queued": return gettext("Queued");
    case "running": return format(gettext("Running %(percent)s %"), { percent: Math.round(item.progress * 100) });
    case "succeeded": return gettext("Done");
    case "failed": return gettext("Failed");
    default: return gettext("Cancelled");
  }
}

/** One line about a whole batch: how many videos are done, failed, left. */
export function batchSummary(batch) {
  const { counts } = batch;
  const total = batch.items.length;
  return format(gettext("%(done)s of %(total)s videos processed, %(failed)s failed, %(left)s to go"), {
    done: counts.succeeded,
    total,
    failed: counts.failed,
    left: counts.queued + counts.running,
  });
}
