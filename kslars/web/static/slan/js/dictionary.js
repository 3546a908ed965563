// The dictionary page: search by the handshapes picked in the editor's palette (dominant hand, and optionally the
// non-dominant one), by a photo of one hand (a file or a camera snapshot) or by a word. Only the newest search's
// answer is shown; the server's message is shown when it refuses a query.
//
// data-testid hooks: dictionary, tab-handshape|photo|text, panel-handshape|photo|text, hand-dominant,
// hand-nondominant, chosen-dominant, chosen-nondominant, dictionary-palette (its buttons: handshape), photo-input,
// photo-preview, camera-open, camera, camera-preview, camera-capture, camera-close, text-form, text-input,
// search-status, search-error, jump-to-results, results (result, result-gloss, result-hamnosys, result-handshape,
// result-translations, result-video, result-video-player, result-pose).
import { gettext, format } from "./i18n.js";
import { Palette } from "./palette.js";
import { handshapeSvg } from "./handshapes.js";
import { getJson, sendForm } from "./api.js";
import { renderResults } from "./dictionary-results.js";
import { Camera, cameraAvailable } from "./camera.js";

const TEXT_DELAY_MS = 300; // typing pauses this long before a text search starts

/** Runs searches and shows their results; an answer that arrives after a newer search started is dropped. */
class Searcher {
  constructor(root, entries) {
    this.status = root.querySelector('[data-testid="search-status"]');
    this.error = root.querySelector('[data-testid="search-error"]');
    this.list = root.querySelector('[data-testid="results"]');
    this.jump = root.querySelector('[data-testid="jump-to-results"]');
    this.entries = entries;
    this.initial = this.status.textContent;
    this.latest = 0;
  }

  async run(request) {
    const ticket = ++this.latest;
    this.error.hidden = true;
    this.status.textContent = gettext("Searching…");
    try {
      const results = await request();
      if (ticket !== this.latest) return;
      renderResults(this.list, results, this.entries);
      this.jump.hidden = !results.length;
      this.status.textContent = results.length
        ? format(gettext("Signs found: %(count)s. The best match comes first."), { count: results.length })
        : gettext("No sign matches this search.");
    } catch (err) {
      if (ticket !== this.latest) return;
      this.show(err.message);
    }
  }

  show(message) {
    this.latest++;
    this.jump.hidden = true;
    this.list.replaceChildren();
    this.status.textContent = "";
    this.error.textContent = message;
    this.error.hidden = false;
  }

  reset() {
    this.latest++;
    this.jump.hidden = true;
    this.list.replaceChildren();
    this.error.hidden = true;
    this.status.textContent = this.initial;
  }
}

function initTabs(root) {
  const tabs = [...root.querySelectorAll('[role="tab"]')];
  const select = (tab) => {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
    }
  };
  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      select(next);
      next.focus();
    });
  }
}

function initHandshapes(root, api, vocabulary, entries, searcher) {
  const chosen = { dominant: null, nondominant: null };
  const paletteRoot = root.querySelector('[data-testid="dictionary-palette"]');
  const palette = new Palette(paletteRoot, {
    store: { vocabularies: [vocabulary] },
    canEdit: true,
    onPick: (entry, value) => {
      chosen[hand()] = value;
      update();
    },
  });
  palette.draw(null, vocabulary);
  paletteRoot.querySelector("h2").remove(); // "Vocabulary: ...": the tab already says what the palette is for
  const hint = paletteRoot.querySelector(".palette-hint");
  const hand = () => root.querySelector('input[name="hand"]:checked').value;

  function showChosen(which) {
    const row = root.querySelector(`[data-testid="chosen-${which}"]`);
    const value = row.querySelector(".chosen-value");
    const name = chosen[which];
    value.replaceChildren(name ? handshapeSvg(entries.get(name).attributes, { size: 28, title: name }) : "—");
    if (name) value.append(` ${name}`);
    row.dataset.value = name || "";
    row.querySelector("[data-clears]").hidden = !name;
  }

  function update() {
    showChosen("dominant");
    showChosen("nondominant");
    const current = chosen[hand()];
    for (const button of paletteRoot.querySelectorAll("[data-entry-id]")) {
      button.setAttribute("aria-pressed", String(button.dataset.value === current));
    }
    hint.textContent = hand() === "dominant"
      ? gettext("Click the handshape of the dominant hand (the right hand of a right-handed signer).")
      : gettext("Click the handshape of the non-dominant hand, for signs made with both hands.");
    if (!chosen.dominant) {
      if (chosen.nondominant) searcher.show(gettext("Choose the dominant hand's handshape too."));
      else searcher.reset();
      return;
    }
    const query = new URLSearchParams({ dominant: chosen.dominant });
    if (chosen.nondominant) query.set("nondominant", chosen.nondominant);
    searcher.run(() => getJson(`${api}handshape?${query}`));
  }

  for (const radio of root.querySelectorAll('input[name="hand"]')) radio.addEventListener("change", update);
  for (const button of root.querySelectorAll("[data-clears]")) {
    button.addEventListener("click", () => {
      chosen[button.dataset.clears] = null;
      update();
    });
  }
  update();
}

function initPhoto(root, api, searcher) {
  const input = root.querySelector('[data-testid="photo-input"]');
  const preview = root.querySelector('[data-testid="photo-preview"]');
  const limit = Number(root.dataset.maxPhotoBytes);

  function search(photo, name) {
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(photo);
    preview.hidden = false;
    if (photo.size > limit) {
      searcher.show(format(gettext("The photo is larger than %(mb)s MB: take a smaller one."),
        { mb: Math.round(limit / 1048576) }));
      return;
    }
    const form = new FormData();
    form.append("file", photo, name);
    searcher.run(() => sendForm(`${api}photo`, form));
  }

  input.addEventListener("change", () => {
    if (input.files.length) search(input.files[0], input.files[0].name);
    input.value = "";
  });
  initCamera(root, searcher, (blob) => search(blob, "camera.jpg"));
}

async function initCamera(root, searcher, onPhoto) {
  const openButton = root.querySelector('[data-testid="camera-open"]');
  const box = root.querySelector('[data-testid="camera"]');
  const camera = new Camera(root.querySelector('[data-testid="camera-preview"]'));
  const close = () => {
    camera.close();
    box.hidden = true;
    openButton.hidden = false;
  };
  openButton.addEventListener("click", async () => {
    try {
      box.hidden = false;
      openButton.hidden = true;
      await camera.open();
    } catch {
      close();
      searcher.show(gettext("The camera cannot be used: allow this page to use it, or choose a photo instead."));
    }
  });
  root.querySelector('[data-testid="camera-capture"]').addEventListener("click", async () => {
    const photo = await camera.snapshot();
    close();
    if (photo) onPhoto(photo);
  });
  root.querySelector('[data-testid="camera-close"]').addEventListener("click", close);
  openButton.hidden = !(await cameraAvailable());
}

function initText(root, api, searcher) {
  const form = root.querySelector('[data-testid="text-form"]');
  const input = root.querySelector('[data-testid="text-input"]');
  let timer = null;
  const search = () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) searcher.reset();
    else searcher.run(() => getJson(`${api}text?${new URLSearchParams({ text })}`));
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, TEXT_DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
}

const root = document.querySelector('[data-testid="dictionary"]');
if (root) {
  const api = root.dataset.api;
  const vocabulary = JSON.parse(document.getElementById("dictionary-palette-data").textContent);
  const entries = new Map(vocabulary.entries.map((entry) => [entry.values[0].value, entry]));
  const searcher = new Searcher(root, entries);
  initTabs(root);
  initHandshapes(root, api, vocabulary, entries, searcher);
  initPhoto(root, api, searcher);
  initText(root, api, searcher);
}
