// The entries table of the vocabulary dialog: one row per entry, a value and a description column for each of
// the document's languages (and any other language the entries use), add and remove rows, and the entries read
// back for the API. Entries keep their id, attributes (e.g. HamNoSys symbols) and external reference, and values
// in a language the table does not show, so an edit never loses what it does not touch.
//
// data-testid hooks: vocab-entry-row (data-entry-id, empty for new rows), vocab-entry-value and
// vocab-entry-description (data-lang), vocab-remove-entry.
import { gettext, format } from "./i18n.js";
import { languageName } from "./store.js";

const NO_LANGUAGE = "";

function langKey(lang) { return lang == null ? NO_LANGUAGE : lang; }

function textInput(testid, lang, value, label) {
  const input = document.createElement("input");
  input.type = "text";
  input.dataset.testid = testid;
  input.dataset.lang = lang;
  input.value = value || "";
  input.setAttribute("aria-label", label);
  return input;
}

/** The table inside `table` (a <table> with <thead> and <tbody>); `onChange()` after every edit. */
export class EntriesTable {
  constructor(table, { onChange }) {
    this.table = table;
    this.onChange = onChange;
    this.columns = [];
    this.rows = []; // {entry (as loaded, or null for a new row), tr}
    table.addEventListener("input", () => this.onChange());
  }

  /** Show `entries` with a column pair for each of `languages` ({id, label}) and each other language used;
   * the languages the entries use come first, so that their values are in view. */
  show(entries, languages) {
    const columns = languages.map((l) => ({ lang: l.id, name: languageName(l) }));
    for (const entry of entries) for (const v of entry.values) {
      if (!columns.some((c) => c.lang === langKey(v.lang))) {
        columns.push({ lang: langKey(v.lang), name: v.lang || gettext("no language") });
      }
    }
    if (!columns.length) columns.push({ lang: NO_LANGUAGE, name: gettext("no language") });
    const used = new Set(entries.flatMap((e) => e.values.map((v) => langKey(v.lang))));
    this.columns = [...columns.filter((c) => used.has(c.lang)), ...columns.filter((c) => !used.has(c.lang))];
    const head = document.createElement("tr");
    const th = (text) => {
      const cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = text;
      head.append(cell);
    };
    th(gettext("Entry"));
    for (const c of this.columns) {
      th(format(gettext("Value: %(language)s"), { language: c.name }));
      th(format(gettext("Description: %(language)s"), { language: c.name }));
    }
    th(gettext("Attributes"));
    th("");
    this.table.tHead.replaceChildren(head);
    this.table.tBodies[0].replaceChildren();
    this.rows = [];
    for (const entry of entries) this.addRow(entry);
  }

  /** Add a row for `entry` (a new, empty entry when null); returns its first value input. */
  addRow(entry = null) {
    const tr = document.createElement("tr");
    tr.dataset.testid = "vocab-entry-row";
    tr.dataset.entryId = entry ? entry.id : "";
    const id = document.createElement("td");
    id.className = "vocab-entry-id";
    id.textContent = entry ? entry.id : gettext("new");
    tr.append(id);
    const row = { entry, tr };
    const number = this.rows.length + 1;
    for (const c of this.columns) {
      const value = entry ? entry.values.find((v) => langKey(v.lang) === c.lang) : null;
      const names = { number, language: c.name };
      for (const [testid, key, label] of [
        ["vocab-entry-value", "value", format(gettext("Value of entry %(number)s in %(language)s"), names)],
        ["vocab-entry-description", "description", format(gettext("Description of entry %(number)s in %(language)s"), names)],
      ]) {
        const cell = document.createElement("td");
        cell.append(textInput(testid, c.lang, value ? value[key] : "", label));
        tr.append(cell);
      }
    }
    const attributes = document.createElement("td");
    attributes.className = "vocab-attributes";
    const attrs = (entry && entry.attributes) || {};
    attributes.textContent = Object.keys(attrs).join(", ");
    attributes.title = Object.entries(attrs).map(([k, v]) => `${k}: ${v}`).join("\n");
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "icon-button";
    remove.dataset.testid = "vocab-remove-entry";
    remove.textContent = "✕";
    remove.title = format(gettext("Remove entry %(number)s"), { number });
    remove.setAttribute("aria-label", remove.title);
    remove.addEventListener("click", () => {
      this.rows = this.rows.filter((r) => r !== row);
      tr.remove();
      this.onChange();
    });
    const last = document.createElement("td");
    last.append(remove);
    tr.append(attributes, last);
    this.table.tBodies[0].append(tr);
    this.rows.push(row);
    return tr.querySelector("input");
  }

  /** The entries as the API takes them, in table order; new rows left completely empty are skipped. */
  read() {
    const out = [];
    for (const { entry, tr } of this.rows) {
      const typed = new Map();
      for (const c of this.columns) {
        const get = (testid) => tr.querySelector(`[data-testid=${testid}][data-lang="${CSS.escape(c.lang)}"]`).value.trim();
        typed.set(c.lang, { value: get("vocab-entry-value"), description: get("vocab-entry-description") });
      }
      if (!entry && [...typed.values()].every((t) => !t.value && !t.description)) continue;
      const values = [];
      const shown = new Set();
      const put = (lang) => {
        const t = typed.get(lang);
        if (t.value) values.push({ value: t.value, lang: lang === NO_LANGUAGE ? null : lang, description: t.description || null });
      };
      for (const v of entry ? entry.values : []) {
        const key = langKey(v.lang);
        if (shown.has(key)) values.push(v); // a second value in one language: kept as it was
        else if (typed.has(key)) put(key);
        else values.push(v);
        shown.add(key);
      }
      for (const c of this.columns) if (!shown.has(c.lang)) put(c.lang);
      out.push(entry
        ? { id: entry.id, values, attributes: entry.attributes || {}, ext_ref: entry.ext_ref ?? null }
        : { values, attributes: {} });
    }
    return out;
  }
}
