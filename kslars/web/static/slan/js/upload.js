// Uploading a project's video: drag-and-drop or a file picker, an upload progress bar, the server's error
// messages, then the progress of the conversion for the browser (when the video needs one).
//
//   import { initUpload } from "./upload.js";
//   initUpload(element, projectId, (video) => { ...load video.url... }, videoTheProjectHasNow);
//
// Optional data attributes on the element: data-api-base (default "/api/"), data-max-bytes (the upload limit,
// checked before sending so that a too large file is refused at once).
import { format, gettext } from "./i18n.js";
import { Api, csrfToken, errorDetail } from "./api.js";
import { pollJob } from "./job-poll.js";

const ACCEPT = "video/*,.mp4,.m4v,.mov,.webm,.mkv,.avi,.mpg,.mpeg,.wmv,.flv,.3gp";

function megabytes(bytes) {
  return (bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** Build the upload area inside `zone` and call `onDone(video)` once the uploaded video plays in the browser;
 * `current` is the project's video as the page knows it (null when it has none). */
export function initUpload(zone, projectId, onDone, current = null) {
  const apiBase = zone.dataset.apiBase || "/api/";
  const maxBytes = Number(zone.dataset.maxBytes || 0);
  const api = new Api({ apiBase, projectId });
  zone.classList.add("slan-upload");
  zone.replaceChildren();

  const prompt = element("p", "slan-upload__prompt", gettext("Drop a video file here, or"));
  const input = element("input");
  input.type = "file";
  input.accept = ACCEPT;
  input.className = "slan-upload__input";
  input.id = `slan-upload-${projectId}`;
  const choose = element("label", "slan-upload__choose", gettext("Choose a video file"));
  choose.htmlFor = input.id;
  choose.tabIndex = 0;
  prompt.append(" ", choose, input);
  const bar = element("progress", "slan-upload__bar");
  bar.max = 1;
  bar.value = 0;
  bar.hidden = true;
  const status = element("p", "slan-upload__status");
  status.setAttribute("aria-live", "polite");
  const error = element("p", "slan-upload__error");
  error.setAttribute("role", "alert");
  const actions = element("div", "slan-upload__actions");
  zone.append(prompt, bar, status, error, actions);

  let busy = false;

  function show({ progress = null, text = "", problem = "", buttons = [] }) {
    bar.hidden = progress === null;
    if (progress !== null) bar.value = progress;
    status.textContent = text;
    error.textContent = problem;
    actions.replaceChildren(...buttons);
  }

  function button(label, action) {
    const node = element("button", "slan-upload__button", label);
    node.type = "button";
    node.addEventListener("click", action);
    return node;
  }

  async function finish() {
    const video = await api.video();
    busy = false;
    show({ text: gettext("The video is ready.") });
    onDone(video);
  }

  async function follow(job) {
    job = await pollJob(api, job, (seen) => {
      const text = seen.status === "queued"
        ? gettext("Waiting for a worker to convert the video for the browser…")
        : format(gettext("Converting the video for the browser: %(percent)s %"), {
          percent: Math.round(seen.progress * 100),
        });
      show({ progress: seen.progress, text, buttons: [button(gettext("Cancel conversion"), () => cancel(seen))] });
    });
    if (job.status === "succeeded") return finish();
    busy = false;
    const problem = job.status === "failed"
      ? job.error || gettext("The conversion failed.")
      : gettext("The conversion was cancelled.");
    show({ problem, buttons: [button(gettext("Retry the conversion"), () => retry(job))] });
  }

  async function cancel(job) {
    try {
      await api.cancelJob(job.id);
    } catch (err) {
      show({ problem: err.message });
    }
  }

  async function retry(job) {
    busy = true;
    try {
      await follow(await api.retryJob(job.id));
    } catch (err) {
      busy = false;
      show({ problem: err.message });
    }
  }

  function send(file) {
    if (busy) return;
    if (maxBytes && file.size > maxBytes) {
      show({
        problem: format(gettext("%(name)s is %(size)s MB; the upload limit is %(limit)s MB."), {
          name: file.name, size: megabytes(file.size), limit: megabytes(maxBytes),
        }),
      });
      return;
    }
    busy = true;
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append("file", file);
    xhr.open("POST", `${apiBase}projects/${projectId}/video`);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      show({
        progress: event.loaded / event.total,
        text: format(gettext("Uploading %(name)s: %(done)s of %(total)s MB"), {
          name: file.name, done: megabytes(event.loaded), total: megabytes(event.total),
        }),
        buttons: [button(gettext("Cancel upload"), () => xhr.abort())],
      });
    });
    xhr.upload.addEventListener("load", () => show({ progress: null, text: gettext("Checking the video…") }));
    xhr.addEventListener("load", () => {
      if (xhr.status !== 201) {
        busy = false;
        show({ problem: errorDetail(xhr.status, xhr.response) });
        return;
      }
      const video = xhr.response;
      if (video.job) follow(video.job).catch((err) => { busy = false; show({ problem: err.message }); });
      else finish().catch((err) => { busy = false; show({ problem: err.message }); });
    });
    xhr.addEventListener("error", () => {
      busy = false;
      show({ problem: gettext("The upload was interrupted. Check the connection and the file size, then try again.") });
    });
    xhr.addEventListener("abort", () => {
      busy = false;
      show({ text: gettext("Upload cancelled.") });
    });
    xhr.send(form);
  }

  input.addEventListener("change", () => {
    if (input.files.length) send(input.files[0]);
    input.value = "";
  });
  choose.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      input.click();
    }
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("slan-upload--over");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("slan-upload--over"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    const files = event.dataTransfer ? event.dataTransfer.files : [];
    if (files.length > 1) show({ problem: gettext("Drop one video file at a time.") });
    else if (files.length) send(files[0]);
  });

  // A conversion that was already running when the page opened (or after a reload) is followed as well.
  if (!current) return; // no video: nothing to ask about
  api.video()
    .then((video) => {
      if (video.job && video.job.status !== "succeeded" && video.status !== "ready") {
        busy = true;
        return follow(video.job);
      }
      return null;
    })
    .catch(() => null); // gone meanwhile: nothing to follow
}
