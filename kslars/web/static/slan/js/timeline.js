// The timeline under the player: a ruler, one row per tier (label + lane), the visualisation lane and the
// playhead, in one scroll area. Drag on an empty lane to create, double-click to create or edit, drag an
// annotation to move it or its edges to resize, Shift/Ctrl-click or Shift-drag (rubber band) to select several.
// By touch the lanes take sideways drags and leave swipes up and down to the browser (CSS touch-action: pan-y): a
// touch acts only once it is known not to be a scroll. The ruler scrolls sideways by touch; a tap on it seeks.
import { format, gettext } from "./i18n.js";
import { formatTime } from "./player.js";
import { handshapeSvg } from "./handshapes.js";
import { InlineEditor } from "./inline.js";
import {
  anchoredScroll, comfortableScale, contentWidth, fittingScale, revealScroll, tickStep, timeAtX, zoomedScale,
} from "./timescale.js";

const EDGE_PX = 6;
const TOUCH_EDGE_PX = 16; // a finger is less precise than a mouse: the edge it takes is wider (a third at most)
const DRAG_PX = 3;
const MIN_LABEL_PX = 80; // the tier names' column: narrowest, arrow-key step, where this browser keeps its width
const LABEL_STEP_PX = 16;
const LABEL_WIDTH_KEY = "slan.labelWidth";

/** The timeline; `actions` carries create/createAt/move/setValue/seek/onDirty callbacks from the editor. */
export class Timeline {
  constructor(root, { store, canEdit, player, renderLabel, actions, viz }) {
    this.store = store;
    this.canEdit = canEdit;
    this.player = player;
    this.renderLabel = renderLabel;
    this.actions = actions;
    this.viz = viz;
    this.scale = 0.15; // pixels per millisecond
    this.drag = null;
    this.touchDown = null; // a touch on the lanes that has not yet shown whether it is a tap, a drag or a scroll
    this.scroll = root.querySelector("[data-testid=timeline-scroll]");
    this.canvas = root.querySelector(".tl-canvas");
    this.ruler = root.querySelector(".tl-ruler");
    this.rows = root.querySelector(".tl-rows");
    this.vizLane = root.querySelector("[data-testid=viz-panel]");
    this.playhead = root.querySelector(".tl-playhead");
    this.band = root.querySelector(".tl-band");
    this.root = root;
    this.labelWidth = parseFloat(getComputedStyle(root).getPropertyValue("--label-width")) || 220;
    const saved = Number(localStorage.getItem(LABEL_WIDTH_KEY));
    if (saved) this.setLabelWidth(saved, false);
    this.editor = new InlineEditor(this.canvas, {
      store,
      onCommit: (id, value) => actions.setValue(id, value),
      onDirty: (dirty) => actions.onDirty(dirty),
      onEmpty: () => actions.onEmptyValue(),
    });
    this.bindEvents();
  }

  /** Widen or narrow the tier names' column to `px` (kept within reason); remembered in this browser. */
  setLabelWidth(px, remember = true) {
    const most = Math.max(MIN_LABEL_PX, Math.round((this.scroll.clientWidth || window.innerWidth) * 0.6));
    this.labelWidth = Math.round(Math.min(most, Math.max(MIN_LABEL_PX, px)));
    this.root.style.setProperty("--label-width", `${this.labelWidth}px`);
    if (remember) localStorage.setItem(LABEL_WIDTH_KEY, String(this.labelWidth));
  }

  bindResizer() {
    const handle = this.root.querySelector("[data-testid=label-resizer]");
    if (!handle) return;
    handle.addEventListener("pointerdown", (e) => {
      e.preventDefault();
      handle.setPointerCapture(e.pointerId);
    });
    handle.addEventListener("pointermove", (e) => {
      if (!handle.hasPointerCapture(e.pointerId)) return;
      this.setLabelWidth(e.clientX - this.scroll.getBoundingClientRect().left);
      this.render();
    });
    handle.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
      e.preventDefault();
      e.stopPropagation(); // the arrows step frames everywhere else
      this.setLabelWidth(this.labelWidth + (e.key === "ArrowLeft" ? -LABEL_STEP_PX : LABEL_STEP_PX));
      this.render();
    });
  }

  bindEvents() {
    this.bindResizer();
    this.scroll.addEventListener("scroll", () => this.requestLanes());
    this.rows.addEventListener("pointerdown", (e) => this.pointerDown(e));
    this.rows.addEventListener("pointermove", (e) => this.pointerMove(e));
    this.rows.addEventListener("pointerup", (e) => this.pointerUp(e));
    this.rows.addEventListener("pointercancel", (e) => {
      this.touchDown = null;
      this.cancelDrag(e);
    });
    this.rows.addEventListener("lostpointercapture", (e) => {
      if (e.target === this.rows) this.cancelDrag(e); // not an annotation's implicit touch capture handed to the rows
    });
    this.rows.addEventListener("dblclick", (e) => this.doubleClick(e));
    this.ruler.addEventListener("pointerdown", (e) => {
      if (e.pointerType === "touch") return; // a touch seeks when lifted: sliding it scrolls (and is cancelled)
      this.ruler.setPointerCapture(e.pointerId);
      this.actions.seek(this.timeAt(e.clientX));
    });
    this.ruler.addEventListener("pointermove", (e) => {
      if (this.ruler.hasPointerCapture(e.pointerId)) this.actions.seek(this.timeAt(e.clientX));
    });
    this.ruler.addEventListener("pointerup", (e) => {
      if (e.pointerType === "touch") this.actions.seek(this.timeAt(e.clientX));
    });
    this.scroll.addEventListener("wheel", (e) => {
      if (!e.ctrlKey) return;
      e.preventDefault();
      this.zoom(e.deltaY < 0 ? 1.25 : 0.8, this.timeAt(e.clientX));
    }, { passive: false });
    window.addEventListener("resize", () => this.requestLanes());
  }

  get contentWidth() { return contentWidth(this.store.durationMs(), this.scale); }
  get viewStartMs() { return this.scroll.scrollLeft / this.scale; }
  get viewWidthPx() { return Math.max(1, this.scroll.clientWidth - this.labelWidth); }

  /** The time under a screen x coordinate. */
  timeAt(clientX) {
    const left = this.ruler.getBoundingClientRect().left;
    return timeAtX(clientX - left, this.scale, this.store.durationMs());
  }

  /** The scale at which the whole recording fits the visible width. */
  get fittingScale() { return fittingScale(this.viewWidthPx, this.store.durationMs()); }

  /** Zoom by `factor`, keeping `anchorMs` (default: the playhead) where it is on screen; out no further than
   * the whole recording. */
  zoom(factor, anchorMs = this.player.timeMs) {
    const [before, scrollLeft] = [this.scale, this.scroll.scrollLeft];
    this.scale = zoomedScale(before, factor, this.fittingScale);
    this.render();
    this.scroll.scrollLeft = anchoredScroll(anchorMs, before, this.scale, scrollLeft, this.viewWidthPx);
  }

  /** Zoom so that the whole recording fits the visible width when that is not too small to work with. */
  fit() {
    this.scale = comfortableScale(this.fittingScale);
    this.render();
  }

  /** Zoom out (or in) until the whole recording fits the visible width, however long it is. */
  fitAll() {
    this.scale = this.fittingScale;
    this.render();
    this.scroll.scrollLeft = 0;
  }

  /** Scroll so that `ms` is in view. */
  reveal(ms) {
    const scrollLeft = revealScroll(ms, this.scale, this.scroll.scrollLeft, this.viewWidthPx);
    if (scrollLeft !== null) this.scroll.scrollLeft = scrollLeft;
  }

  /** Rebuild rows, labels and lanes. */
  render() {
    this.canvas.style.width = `${this.labelWidth + this.contentWidth}px`;
    const rows = this.store.tiers.map((tier) => {
      const row = document.createElement("div");
      row.className = "tl-row";
      row.dataset.testid = "tier-row";
      row.dataset.tierId = String(tier.id);
      row.dataset.tierName = tier.name;
      row.classList.toggle("is-hidden", tier.hidden);
      row.classList.toggle("is-selected", tier.id === this.store.selectedTierId);
      const label = document.createElement("div");
      label.className = "tl-label";
      this.renderLabel(tier, label);
      const lane = document.createElement("div");
      lane.className = "tl-lane";
      lane.setAttribute("aria-label", tier.name);
      row.append(label, lane);
      return row;
    });
    this.rows.replaceChildren(...rows);
    this.renderLanes();
  }

  requestLanes() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.renderLanes();
    });
  }

  /** Draw the ruler and the annotations in (and near) the visible range. */
  renderLanes() {
    const width = this.contentWidth;
    const from = this.viewStartMs - this.viewWidthPx / this.scale;
    const to = this.viewStartMs + (2 * this.viewWidthPx) / this.scale;
    this.renderRuler(from, to, width);
    this.vizLane.style.width = `${this.viewWidthPx}px`;
    for (const row of this.rows.children) {
      const tier = this.store.tier(Number(row.dataset.tierId));
      const lane = row.querySelector(".tl-lane");
      lane.style.width = `${width}px`;
      if (!tier || tier.hidden) {
        lane.replaceChildren();
        continue;
      }
      row.classList.toggle("is-selected", tier.id === this.store.selectedTierId);
      const items = [];
      for (const a of tier.annotations) {
        const [s, e] = this.store.timesOf(a, tier);
        if (s == null || e < from || s > to) continue;
        items.push(this.annotationElement(tier, a, s, e));
      }
      lane.replaceChildren(...items);
    }
    this.setTime(this.player.timeMs, false);
  }

  annotationElement(tier, a, s, e) {
    const el = document.createElement("div");
    el.className = "ann";
    el.dataset.testid = "annotation";
    el.dataset.annotationId = a.id;
    el.dataset.tierName = tier.name;
    el.dataset.value = a.value || "";
    el.style.left = `${s * this.scale}px`;
    el.style.width = `${Math.max(3, (e - s) * this.scale)}px`;
    el.classList.toggle("is-selected", this.store.selection.has(a.id));
    el.classList.toggle("is-symbolic", !this.store.isAligned(tier));
    el.title = `${a.value || gettext("(empty)")} ${formatTime(s)}–${formatTime(e)}`
      + (a.annotator ? `\n${format(gettext("by %(name)s"), { name: a.annotator })}` : "");
    const entry = this.entryOf(tier, a);
    if (entry && entry.attributes && entry.attributes.base_form) el.append(handshapeSvg(entry.attributes, { size: 18 }));
    el.append(a.value || "");
    return el;
  }

  entryOf(tier, a) {
    const vocabulary = this.store.vocabularyOf(tier);
    if (!vocabulary || !a.value) return null;
    return vocabulary.entries.find((e) => e.id === a.cv_entry)
      || vocabulary.entries.find((e) => (e.values || []).some((v) => v.value === a.value)) || null;
  }

  renderRuler(from, to, width) {
    this.ruler.style.width = `${width}px`;
    const step = tickStep(this.scale);
    const ticks = [];
    for (let t = Math.max(0, Math.floor(from / step) * step); t <= Math.min(to, this.store.durationMs()); t += step) {
      const tick = document.createElement("span");
      tick.className = "tl-tick";
      tick.style.left = `${t * this.scale}px`;
      tick.textContent = formatTime(t).replace(/\.000$/, "");
      ticks.push(tick);
    }
    this.ruler.replaceChildren(...ticks);
  }

  /** Move the playhead to `ms`; while playing, keep it in view. */
  setTime(ms, follow = true) {
    this.playhead.style.left = `${this.labelWidth + ms * this.scale}px`;
    if (follow && this.player.playing) {
      const x = ms * this.scale - this.scroll.scrollLeft;
      if (x > this.viewWidthPx - 30 || x < 0) this.scroll.scrollLeft = ms * this.scale - 40;
    }
    if (this.viz) this.viz.draw(this.viewStartMs, this.viewStartMs + this.viewWidthPx / this.scale, this.viewWidthPx, ms);
  }

  /** Open the inline value editor on annotation `id`. */
  editValue(id) {
    const annotation = this.store.annotation(id);
    const tier = this.store.tierOf(id);
    if (!annotation || !this.canEdit) return;
    const [s] = this.store.timesOf(annotation, tier);
    this.reveal(s);
    this.renderLanes();
    const row = this.rows.querySelector(`[data-tier-id="${tier.id}"]`);
    const el = row && row.querySelector(`[data-annotation-id="${CSS.escape(id)}"]`);
    if (!el) return;
    this.editor.show(id, {
      left: this.labelWidth + el.offsetLeft,
      top: this.rowTop(row),
      width: el.offsetWidth,
      height: row.offsetHeight,
    });
  }

  /** Where `row` begins in the layer of the value editor (the canvas, which also holds the ruler). */
  rowTop(row) { return row.getBoundingClientRect().top - this.canvas.getBoundingClientRect().top; }

  /** Hold the value editor open over [s, e] on `tier` while that annotation is being created. */
  holdValue(tier, s, e) {
    const row = this.rows.querySelector(`[data-tier-id="${tier.id}"]`);
    if (!row || !this.canEdit || s == null) return;
    this.editor.hold(tier, {
      left: this.labelWidth + s * this.scale,
      top: this.rowTop(row),
      width: (e - s) * this.scale,
      height: row.offsetHeight,
    });
  }

  // ---- pointer interaction -----------------------------------------------------------------------
  hit(event) {
    const row = event.target.closest(".tl-row");
    if (!row || event.target.closest(".tl-label")) return null;
    const tier = this.store.tier(Number(row.dataset.tierId));
    const el = event.target.closest(".ann");
    return { row, tier, el, id: el ? el.dataset.annotationId : null, t: this.timeAt(event.clientX) };
  }

  pointerDown(event) {
    if (event.button !== 0) return;
    if (event.pointerType === "touch") {
      this.touchDown = event; // acted on at its first sideways move or when lifted; a scroll cancels it
      return;
    }
    this.pressed(event);
  }

  /** A touch held back by pointerDown acts now, as a press where it began, if `event` shows it is no scroll. */
  touchDecided(event) {
    const down = this.touchDown;
    if (!down || down.pointerId !== event.pointerId) return;
    const [dx, dy] = [event.clientX - down.clientX, event.clientY - down.clientY];
    if (event.type === "pointermove" && (Math.abs(dx) < DRAG_PX || Math.abs(dx) < Math.abs(dy))) return;
    this.touchDown = null;
    this.pressed(down);
  }

  /** A press of the mouse, pen or finger on the lanes: select, seek, and get ready to drag. */
  pressed(event) {
    const hit = this.hit(event);
    if (!hit || !hit.tier || hit.tier.hidden) return;
    const base = { x0: event.clientX, y0: event.clientY, started: false, pointerId: event.pointerId };
    if (hit.el) {
      if (event.shiftKey || event.ctrlKey || event.metaKey) {
        this.store.toggle(hit.id);
        return;
      }
      const rect = hit.el.getBoundingClientRect(); // before selecting: that redraws the lane
      if (!this.store.selection.has(hit.id)) this.store.select([hit.id]);
      if (!this.canEdit || !this.store.isAligned(hit.tier)) return;
      const edge = event.pointerType === "touch" ? Math.min(TOUCH_EDGE_PX, rect.width / 3) : EDGE_PX;
      const mode = event.clientX - rect.left < edge ? "start" : rect.right - event.clientX < edge ? "end" : "move";
      if (this.store.constraintOf(hit.tier) === "Time_Subdivision") {
        this.drag = mode === "move" ? null : this.boundaryDrag(base, hit, mode);
        return;
      }
      const ids = mode === "move" ? [...this.store.selection].filter((id) => this.alignedId(id)) : [hit.id];
      this.drag = { ...base, mode, ids, bounds: this.boundsFor(ids) };
    } else if (event.shiftKey) {
      this.drag = { ...base, mode: "band" };
    } else {
      this.store.selectTier(hit.tier.id);
      if (!(event.ctrlKey || event.metaKey)) this.store.select([]);
      this.actions.seek(hit.t);
      if (this.canEdit && this.store.isAligned(hit.tier) && this.store.constraintOf(hit.tier) !== "Time_Subdivision") {
        const range = this.store.freeRange(hit.tier, hit.t, new Set(), this.store.durationMs());
        if (range) this.drag = { ...base, mode: "create", tier: hit.tier, t0: hit.t, range };
      }
    }
  }

  alignedId(id) {
    const tier = this.store.tierOf(id);
    return tier && this.store.isAligned(tier);
  }

  /** For each dragged annotation its original times and the free range around it. */
  boundsFor(ids) {
    const exclude = new Set(ids);
    return ids.map((id) => {
      const a = this.store.annotation(id);
      const tier = this.store.tierOf(id);
      const range = this.store.freeRange(tier, a.start_ms, new Set([...exclude]), this.store.durationMs())
        || [a.start_ms, a.end_ms];
      return { id, tier, s: a.start_ms, e: a.end_ms, lo: range[0], hi: range[1] };
    });
  }

  /** Pieces of a Time_Subdivision tile their parent: dragging an edge moves the boundary shared with the neighbour. */
  boundaryDrag(base, hit, mode) {
    const a = this.store.annotation(hit.id);
    const left = mode === "start" ? hit.tier.annotations.find((o) => o.end_ms === a.start_ms && o.id !== a.id) : a;
    const right = mode === "start" ? a : hit.tier.annotations.find((o) => o.start_ms === a.end_ms && o.id !== a.id);
    if (!left || !right) return null; // the parent's own edges stay where they are
    return { ...base, mode: "boundary", left, right, at: left.end_ms };
  }

  /** New times of the dragged annotations for a pointer `dx` pixels from where the drag began. */
  dragTimes(drag, dx) {
    const { mode, bounds } = drag;
    const delta = Math.round(dx / this.scale);
    if (mode === "boundary") {
      const { left, right } = drag;
      const at = Math.min(right.end_ms - 1, Math.max(left.start_ms + 1, drag.at + delta));
      return [{ id: left.id, start_ms: left.start_ms, end_ms: at }, { id: right.id, start_ms: at, end_ms: right.end_ms }];
    }
    if (mode === "move") {
      const min = Math.max(...bounds.map((b) => b.lo - b.s));
      const max = Math.min(...bounds.map((b) => b.hi - b.e));
      const d = Math.min(max, Math.max(min, delta));
      return bounds.map((b) => ({ id: b.id, start_ms: b.s + d, end_ms: b.e + d }));
    }
    const b = bounds[0];
    if (mode === "start") return [{ id: b.id, start_ms: Math.min(b.e - 1, Math.max(b.lo, b.s + delta)), end_ms: b.e }];
    return [{ id: b.id, start_ms: b.s, end_ms: Math.max(b.s + 1, Math.min(b.hi, b.e + delta)) }];
  }

  pointerMove(event) {
    this.touchDecided(event);
    const drag = this.drag;
    if (!drag) {
      const el = event.target.closest(".ann");
      if (el && this.canEdit) {
        const rect = el.getBoundingClientRect();
        const edge = event.clientX - rect.left < EDGE_PX || rect.right - event.clientX < EDGE_PX;
        el.style.cursor = edge ? "ew-resize" : "grab";
      }
      return;
    }
    const dx = event.clientX - drag.x0;
    if (!drag.started && Math.abs(dx) < DRAG_PX && Math.abs(event.clientY - drag.y0) < DRAG_PX) return;
    if (!drag.started) this.rows.setPointerCapture(drag.pointerId); // only now, so that clicks keep their targets
    drag.started = true;
    if (drag.mode === "band") return this.showBand(drag, event);
    if (drag.mode === "create") return this.showGhost(drag, this.timeAt(event.clientX));
    for (const change of this.dragTimes(drag, dx)) {
      const el = this.rows.querySelector(`[data-annotation-id="${CSS.escape(change.id)}"]`);
      if (!el) continue;
      el.style.left = `${change.start_ms * this.scale}px`;
      el.style.width = `${Math.max(3, (change.end_ms - change.start_ms) * this.scale)}px`;
      el.classList.add("is-dragging");
    }
  }

  pointerUp(event) {
    this.touchDecided(event);
    const drag = this.drag;
    if (!drag) return;
    this.endDrag(drag);
    if (!drag.started) return;
    if (drag.mode === "create") {
      const [s, e] = this.createSpan(drag, this.timeAt(event.clientX));
      if (e > s) this.actions.create(drag.tier, s, e);
    } else if (drag.mode !== "band") {
      this.actions.move(this.dragTimes(drag, event.clientX - drag.x0));
    }
  }

  /** The browser took the pointer away (a touch drag became a scroll, a system gesture): end the drag unsaved and
   * draw the lanes as the document has them. */
  cancelDrag(event) {
    const drag = this.drag;
    if (!drag || drag.pointerId !== event.pointerId) return;
    this.endDrag(drag);
    this.renderLanes();
  }

  /** Stop following the pointer: release it, hide the rubber band and remove the ghost. */
  endDrag(drag) {
    this.drag = null;
    if (this.rows.hasPointerCapture(drag.pointerId)) this.rows.releasePointerCapture(drag.pointerId);
    this.band.hidden = true;
    if (drag.ghost) drag.ghost.remove();
  }

  createSpan(drag, t) {
    const [lo, hi] = drag.range;
    return [Math.max(lo, Math.min(drag.t0, t)), Math.min(hi, Math.max(drag.t0, t))];
  }

  showGhost(drag, t) {
    if (!drag.ghost) {
      drag.ghost = document.createElement("div");
      drag.ghost.className = "ann is-ghost";
      this.rows.querySelector(`[data-tier-id="${drag.tier.id}"] .tl-lane`).append(drag.ghost);
    }
    const [s, e] = this.createSpan(drag, t);
    drag.ghost.style.left = `${s * this.scale}px`;
    drag.ghost.style.width = `${Math.max(1, (e - s) * this.scale)}px`;
  }

  showBand(drag, event) {
    const box = this.canvas.getBoundingClientRect();
    const [x1, x2] = [Math.min(drag.x0, event.clientX), Math.max(drag.x0, event.clientX)];
    const [y1, y2] = [Math.min(drag.y0, event.clientY), Math.max(drag.y0, event.clientY)];
    Object.assign(this.band.style, {
      left: `${x1 - box.left}px`, top: `${y1 - box.top}px`, width: `${x2 - x1}px`, height: `${y2 - y1}px`,
    });
    this.band.hidden = false;
    const ids = [...this.rows.querySelectorAll(".ann")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.right >= x1 && r.left <= x2 && r.bottom >= y1 && r.top <= y2;
    }).map((el) => el.dataset.annotationId);
    this.store.select(ids);
  }

  doubleClick(event) {
    const hit = this.hit(event);
    if (!hit || !hit.tier || !this.canEdit || hit.tier.hidden) return;
    if (hit.el) this.editValue(hit.id);
    else this.actions.createAt(hit.tier, hit.t);
  }
}
