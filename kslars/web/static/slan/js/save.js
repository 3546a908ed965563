// Autosave: every edit is a task sent to the server at once, in order. The status line says where things are.
import { NetworkError } from "./api.js";

const RETRY_MS = 5000;

/** Runs edit tasks one after another; keeps failed-to-send ones and retries them. */
export class SaveQueue {
  /** onStatus(state) with state "saved" | "saving" | "unsaved" | "conflict"; onError(err); onConflict(err). */
  constructor({ onStatus, onError, onConflict }) {
    this.tasks = [];
    this.pushed = 0; // counts edits, so a poll that overlapped one is dropped
    this.running = false;
    this.retryTimer = null;
    this.dirty = false; // typed but not yet submitted (inline editor open with changes)
    this.conflict = false;
    this.waiters = [];
    this.onStatus = onStatus;
    this.onError = onError;
    this.onConflict = onConflict;
    this.state = "saved";
  }

  /** Queue `task` (an async function); resolves once it has run (or failed for good). */
  push(task) {
    return new Promise((resolve) => {
      this.tasks.push({ task, resolve });
      this.pushed += 1;
      this.conflict = false;
      this.update("saving");
      this.pump();
    });
  }

  /** Send what is waiting now (the Save button); resolves when nothing is left to send. */
  flush() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pump();
    return this.idle();
  }

  idle() {
    if (!this.tasks.length) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Whether something is not on the server yet. */
  pending() { return this.tasks.length > 0 || this.dirty; }

  setDirty(dirty) {
    this.dirty = dirty;
    this.update(this.currentState());
  }

  currentState() {
    if (this.tasks.length) return this.retryTimer ? "unsaved" : "saving";
    if (this.dirty) return "unsaved";
    return this.conflict ? "conflict" : "saved";
  }

  update(state) {
    if (state === this.state) return;
    this.state = state;
    this.onStatus(state);
  }

  async pump() {
    if (this.running || this.retryTimer) return;
    this.running = true;
    while (this.tasks.length) {
      const item = this.tasks[0];
      try {
        await item.task();
      } catch (err) {
        if (err instanceof NetworkError) {
          this.running = false;
          this.retryTimer = setTimeout(() => { this.retryTimer = null; this.pump(); }, RETRY_MS);
          this.update("unsaved");
          this.onError(err);
          return;
        }
        if (err.isConflict) {
          this.conflict = true;
          try {
            await this.onConflict(err);
          } catch (reloadError) {
            this.onError(reloadError);
          }
        } else {
          this.onError(err);
        }
      }
      this.tasks.shift();
      item.resolve();
    }
    this.running = false;
    this.update(this.currentState());
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
