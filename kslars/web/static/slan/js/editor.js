// The SLAN editor page: loads the document, wires player, timeline, tiers, palette, visualisation, undo
// history, autosave status, polling for other people's edits and keyboard shortcuts.
//
// Stable hooks for browser tests (data-testid):
//   editor (root; data-can-edit, data-ready="true" once loaded), readonly-badge, save-status (data-state:
//   saved|saving|unsaved|conflict), save-button, undo-button, redo-button, split-button, merge-button,
//   delete-button, help-link, message, tools-toggle (aria-expanded; shown on narrow screens only),
//   video, video-state, upload-zone, play-button, speed-select, frame-back, frame-forward, prev-annotation,
//   next-annotation, loop-button, time-display, frame-display,
//   timeline, timeline-scroll, selection-info, zoom-in, zoom-out, zoom-fit, add-tier, tier-row (data-tier-id, data-tier-name),
//   tier-label (data-tier-name), tier-name, tier-name-end, label-resizer, tier-hide, tier-up, tier-down, tier-rename, tier-rename-input,
//   tier-settings (tier-settings-dialog: tier-settings.js), vocab-button (vocab-dialog: vocab-dialog.js), tier-delete, confirm-dialog, confirm-text, confirm-delete, tier-dialog (fields by name: name, type,
//   type_name, constraint, parent, vocabulary), tier-dialog-error, tier-dialog-submit,
//   annotation (data-annotation-id, data-tier-name, data-value; class is-selected), annotation-input,
//   palette, palette-empty, palette-group (data-category), handshape (data-handshape, data-entry-id),
//   vocabulary-entry (data-value),
//   viz-panel, viz-empty, face-label, face-panel (face-lane.js),
//   process-button, process-dialog, process-submit, process-progress, process-cancel, process-retry, process-error
//   (process.js, job-progress.js), recognise-button, recognise-dialog, recognise-empty, recognise-submit
//   (recognise.js), fingerspell-button, fingerspell-dialog, fingerspell-span, fingerspell-submit (fingerspell.js),
//   alternatives, alternative (data-class; alternatives.js), skeleton-toggle, skeleton-canvas
//   (skeleton.js).
import { Actions } from "./actions.js";
import { Alternatives } from "./alternatives.js";
import { Api } from "./api.js";
import { History } from "./history.js";
import { initExportDialog } from "./export-dialog.js";
import { FaceLane } from "./face-lane.js";
import { FingerspellPanel } from "./fingerspell.js";
import { initImportDialog } from "./import-dialog.js";
import { JobProgress } from "./job-progress.js";
import { LearnControls } from "./learn.js";
import { openLinkedMoment } from "./linked-moment.js";
import { gettext, format } from "./i18n.js";
import { installShortcuts } from "./keys.js";
import { Palette } from "./palette.js";
import { Player, formatTime } from "./player.js";
import { ProcessPanel } from "./process.js";
import { RecognisePanel } from "./recognise.js";
import { SaveQueue } from "./save.js";
import { SkeletonOverlay } from "./skeleton.js";
import { Store } from "./store.js";
import { TierActions } from "./tier-actions.js";
import { TierSettings } from "./tier-settings.js";
import { TierPanel } from "./tiers.js";
import { Timeline } from "./timeline.js";
import { VizPanel } from "./viz.js";
import { VocabularyDialog } from "./vocab-dialog.js";

const POLL_MS = 3000;
const config = JSON.parse(document.getElementById("slan-config").textContent);
const root = document.getElementById("slan-editor");
const $ = (testid) => root.querySelector(`[data-testid="${testid}"]`);
const canEdit = Boolean(config.canEdit);
const STATUS = {
  saved: gettext("Saved"),
  saving: gettext("Saving..."),
  unsaved: gettext("Unsaved changes"),
  conflict: gettext("Conflict: reloaded the other person's change"),
};

let messageTimer = null;
/** Show a message in the message bar (never only a sound or a colour). */
function notify(text, kind = "info") {
  const bar = $("message");
  bar.textContent = text;
  bar.dataset.kind = kind;
  bar.hidden = !text;
  clearTimeout(messageTimer);
  messageTimer = setTimeout(() => { bar.hidden = true; }, kind === "error" ? 15000 : 8000);
}

$("message").addEventListener("click", () => { $("message").hidden = true; });

const store = new Store();
const api = new Api({ apiBase: config.apiBase, projectId: config.projectId, shareToken: config.shareToken });
const queue = new SaveQueue({
  onStatus: (state) => {
    const el = $("save-status");
    el.textContent = STATUS[state];
    el.dataset.state = state;
  },
  onError: (err) => notify(err.message, "error"),
  onConflict: async (err) => {
    notify(format(gettext("%(detail)s. Their version is shown now."), { detail: err.message }), "error");
    await reload();
  },
});
const history = new History({ store, api, queue, onChange: () => updateButtons() });
let timeline = null;
let skeleton = null;
const player = new Player($("player"), {
  fps: config.fps,
  onTime: (ms) => {
    if (timeline) timeline.setTime(ms);
    if (skeleton) skeleton.draw(ms);
  },
});
skeleton = new SkeletonOverlay({
  wrap: root.querySelector(".ed-video-wrap"),
  video: $("video"),
  toggle: $("skeleton-toggle"),
  load: (startMs, endMs) => api.request("GET", api.project(`/landmarks?start_ms=${startMs}&end_ms=${endMs}`)),
  notify,
});
const ui = {
  notify,
  canEdit,
  editValue: (id) => timeline.editValue(id),
  holdValue: (tier, start, end) => timeline.holdValue(tier, start, end),
  releaseValue: () => timeline.editor.release(),
  timeMs: () => player.timeMs,
  fps: () => player.fps,
};
const actions = new Actions({ store, api, history, ui });
const tierActions = new TierActions({ store, api, history, ui });
const tierSettings = canEdit ? new TierSettings({
  dialog: $("tier-settings-dialog"), store, actions: tierActions, beforeChange: () => queue.flush(),
}) : null;
const tiers = new TierPanel({
  store,
  canEdit,
  actions: tierActions,
  dialog: $("tier-dialog"),
  confirmDialog: $("confirm-dialog"),
  openSettings: (tier) => tierSettings && tierSettings.open(tier),
});
const viz = new VizPanel($("viz-panel"));
const faceLane = new FaceLane({
  root: $("face-panel"),
  label: $("face-label"),
  load: (startMs, endMs) => api.request("GET", api.project(`/nonmanual?start_ms=${startMs}&end_ms=${endMs}`)),
});
timeline = new Timeline($("timeline"), {
  store,
  canEdit,
  player,
  renderLabel: (tier, label) => tiers.renderLabel(tier, label),
  viz: { draw: (...view) => [viz, faceLane].forEach((lane) => lane.draw(...view)) },
  actions: {
    create: (tier, s, e) => actions.create(tier, s, e),
    createAt: (tier, t) => actions.createAt(tier, t),
    move: (changes) => actions.move(changes).then(() => timeline.renderLanes()),
    setValue: (id, value) => actions.setValue(id, value),
    seek: (ms) => player.seekMs(ms),
    onDirty: (dirty) => queue.setDirty(dirty),
    onEmptyValue: () => notify(gettext("The annotation has no value: double-click it or press Enter to type one.")),
  },
});
const palette = new Palette($("palette"), { store, canEdit, onPick: (entry, value) => actions.pick(entry, value) });
const alternatives = new Alternatives($("alternatives"), {
  store, canEdit, take: (id, value) => actions.setValue(id, value),
});
/** After a job that wrote into the document: the new tiers, and the landmarks it may have extracted. */
async function afterJob(job) {
  await reload();
  await loadSeries();
  skeleton.invalidate();
  faceLane.invalidate();
  notify(job.message);
}
const jobProgress = canEdit ? new JobProgress({ root, api }) : null;
if (canEdit) {
  new ProcessPanel({ root, store, notify, progress: jobProgress, history, tierActions, onDone: afterJob });
  new RecognisePanel({ root, api, store, notify, progress: jobProgress, history, tierActions, onDone: afterJob });
  new FingerspellPanel({ root, store, notify, progress: jobProgress, history, tierActions, onDone: afterJob });
  new LearnControls({ root, api, notify, progress: jobProgress });
}

/** Hand speed from the stored landmarks in the visualisation panel (empty until the video was processed). */
async function loadSeries() {
  try {
    viz.setSeries(await api.request("GET", api.project("/series")));
    timeline.renderLanes();
  } catch (err) {
    /* the panel keeps its empty state */
  }
}

store.subscribe((kind) => {
  if (kind === "doc") timeline.render();
  else timeline.renderLanes();
  palette.render();
  alternatives.render();
  showSelection();
  updateButtons();
});

/** What is selected, with exact times: the tier, or the annotation(s) with start, end and duration. */
function showSelection() {
  const chosen = store.selected();
  const tier = store.tier(store.selectedTierId);
  let text = tier ? format(gettext("Tier: %(name)s"), { name: tier.name }) : "";
  if (chosen.length === 1) {
    const [s, e] = store.timesOf(chosen[0]);
    if (s != null) text += ` · ${formatTime(s)}–${formatTime(e)} (${e - s} ms)`;
  } else if (chosen.length > 1) {
    text += " · " + format(gettext("%(count)s annotations selected"), { count: chosen.length });
  }
  $("selection-info").textContent = text;
}

function updateButtons() {
  if (!canEdit) return;
  $("undo-button").disabled = !history.canUndo();
  $("redo-button").disabled = !history.canRedo();
  $("merge-button").disabled = store.selection.size < 2;
  $("delete-button").disabled = store.selection.size === 0;
}

// ---- commands (buttons and keyboard) -------------------------------------------------------------
const commands = {
  togglePlay: () => player.togglePlay(),
  stepFrames: (n) => player.stepFrames(n),
  changeSpeed: (d) => player.changeSpeed(d),
  zoom: (f) => timeline.zoom(f),
  help: () => window.open(config.helpUrl, "_blank", "noopener"),
  undo: () => history.undo(),
  redo: () => history.redo(),
  split: () => actions.split(),
  merge: () => actions.merge(),
  deleteSelected: () => actions.deleteSelected(),
  nudge: (frames, edge) => actions.nudge(frames, edge),
  clearSelection: () => store.select([]),
  takeAlternative: (index) => alternatives.choose(index),
  editSelected: () => {
    const [first] = store.selection;
    if (first) return timeline.editValue(first);
    const tier = store.tier(store.selectedTierId);
    if (tier && !tier.hidden) return actions.createAt(tier, player.timeMs);
    return notify(gettext("Select a tier first (Up/Down)."));
  },
  save: async () => {
    timeline.editor.commit();
    await queue.flush();
    if (!queue.pending()) notify(gettext("All changes are saved."));
  },
  selectTier: (direction) => {
    const visible = store.tiers;
    const i = visible.findIndex((t) => t.id === store.selectedTierId);
    const next = visible[Math.min(visible.length - 1, Math.max(0, i + direction))];
    if (next) store.selectTier(next.id);
  },
  /** The previous/next annotation on the selected tier (when it has any) or, with `anyTier`, on every shown tier. */
  jumpAnnotation: (direction, anyTier = false) => {
    const tier = store.tier(store.selectedTierId);
    const pool = !anyTier && tier && tier.annotations.length ? [tier] : store.tiers.filter((t) => !t.hidden);
    const t = player.timeMs;
    let best = null;
    for (const tr of pool) for (const a of tr.annotations) {
      const [s] = store.timesOf(a, tr);
      if (s == null) continue;
      if (direction > 0 ? s > t + 1 && (!best || s < best.s) : s < t - 1 && (!best || s > best.s)) best = { a, s };
    }
    if (!best) return notify(direction > 0 ? gettext("No annotation after the playhead.") : gettext("No annotation before the playhead."));
    player.seekMs(best.s);
    store.select([best.a.id]);
    timeline.reveal(best.s);
  },
  toggleLoop: () => {
    if (player.loopRange) return player.setLoop(null);
    const [first] = store.selected();
    if (!first) return notify(gettext("Select an annotation to loop it."));
    const [s, e] = store.timesOf(first);
    player.setLoop([s, e]);
  },
};

function bindButtons() {
  const click = (testid, fn) => { const el = $(testid); if (el) el.addEventListener("click", fn); };
  click("prev-annotation", () => commands.jumpAnnotation(-1));
  click("next-annotation", () => commands.jumpAnnotation(1));
  click("loop-button", commands.toggleLoop);
  click("zoom-in", () => commands.zoom(1.5));
  click("zoom-out", () => commands.zoom(1 / 1.5));
  click("zoom-fit", () => timeline.fitAll());
  click("save-button", commands.save);
  click("undo-button", commands.undo);
  click("redo-button", commands.redo);
  click("split-button", commands.split);
  click("merge-button", commands.merge);
  click("delete-button", commands.deleteSelected);
  click("add-tier", () => tiers.openAddDialog());
  click("tools-toggle", () => { // on a phone the header's buttons fold behind this toggle
    const toggle = $("tools-toggle");
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    root.querySelector(".ed-bar").classList.toggle("is-open", open);
  });
  initImportDialog({
    root, config, beforeImport: () => queue.flush(), onImported: async (message) => { await reload(); notify(message); },
  });
  initExportDialog({ root, config, store });
  if (canEdit) new VocabularyDialog({ root, store, api, beforeChange: () => queue.flush(), onChanged: reload });
}

// ---- video ---------------------------------------------------------------------------------------
function videoUrl(video) {
  let url = video.url || config.videoUrl;
  if (config.shareToken && !url.includes("share=")) url += (url.includes("?") ? "&" : "?") + `share=${encodeURIComponent(config.shareToken)}`;
  return url;
}

async function setupVideo() {
  const video = store.video;
  const zone = $("upload-zone");
  zone.hidden = true;
  if (video && video.status === "ready") {
    player.setSource(videoUrl(video), video.fps);
    timeline.fit();
    return;
  }
  if (video && (video.status === "uploaded" || video.status === "transcoding")) {
    player.showState(gettext("The video is being converted for the browser; it will appear here when ready."));
    setTimeout(async () => {
      try { store.video = await api.video(); } catch (err) { /* keep waiting */ }
      setupVideo();
    }, POLL_MS);
    return;
  }
  if (video && video.status === "failed") {
    player.showState(format(gettext("The video could not be converted: %(error)s"), { error: video.error || "" }));
  } else {
    player.showState(canEdit ? gettext("No video yet: drop a video file here or choose one.")
      : gettext("This project has no video yet."));
  }
  if (!canEdit) return;
  zone.hidden = false;
  try {
    const { initUpload } = await import("./upload.js");
    initUpload(zone, config.projectId, async (uploaded) => {
      store.video = uploaded || (await api.video());
      setupVideo();
    }, video);
  } catch (err) {
    zone.hidden = true;
    player.showState(gettext("Video upload is not available on this server."));
  }
}

// ---- loading and polling -------------------------------------------------------------------------
async function reload() {
  store.load(await api.document());
}

/** Someone is in the middle of something that a redraw would throw away. */
function busy() {
  return queue.pending() || timeline.drag || timeline.editor.open || root.querySelector(".tier-rename-input, dialog[open]");
}

async function poll() {
  if (document.hidden || busy()) return;
  const pushed = queue.pushed;
  try {
    const changes = await api.changes(store.revision);
    if (busy() || queue.pushed !== pushed) return;
    if (changes && changes.revision !== store.revision) store.applyChanges(changes);
  } catch (err) {
    /* the next poll tries again; edits report their own errors */
  }
}

async function start() {
  bindButtons();
  installShortcuts(commands, canEdit);
  window.addEventListener("beforeunload", (event) => {
    if (queue.pending()) event.preventDefault();
  });
  try {
    await reload();
  } catch (err) {
    notify(format(gettext("The annotation document could not be loaded: %(error)s"), { error: err.message }), "error");
    return;
  }
  await setupVideo();
  timeline.fit();
  openLinkedMoment(location.hash, { player, timeline, store }); // #t=seconds&a=id, as search results link
  window.addEventListener("hashchange", () => openLinkedMoment(location.hash, { player, timeline, store }));
  await loadSeries();
  if (jobProgress) jobProgress.resume();
  root.dataset.ready = "true";
  setInterval(poll, POLL_MS);
}

start();
