// Following a background job (a video conversion, Process video, Recognise glosses, Read fingerspelling): ask the
// server for the job every second until it has ended. A moment without the server does not end the following;
// an error answer does.
import { ApiError } from "./api.js";

export const POLL_MS = 1000;
/** The statuses of a job that has not ended. */
export const ACTIVE = new Set(["queued", "running"]);

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follow `job` through `api` (an Api): `onUpdate(job)` runs for every state it is seen in while it runs, then
 * the ended job (succeeded, failed or cancelled) is returned. Throws the ApiError of a refused request. */
export async function pollJob(api, job, onUpdate, { intervalMs = POLL_MS, sleep = wait } = {}) {
  while (ACTIVE.has(job.status)) {
    onUpdate(job);
    await sleep(intervalMs);
    try {
      job = await api.job(job.id);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      // the server is out of reach for a moment: the job goes on, ask again
    }
  }
  return job;
}
