// Translations for the editor's JavaScript. Django's JavaScriptCatalog (/jsi18n/) defines window.gettext and
// window.interpolate; without it (or outside a browser, in the unit tests) the English source strings are shown.
// Call sites use gettext("...") literally so that `makemessages -d djangojs` finds them.

/** The translation of `text` in the page's language. */
export const gettext = typeof globalThis.gettext === "function" ? globalThis.gettext : (text) => text;

/** `text` translated, with %(name)s placeholders filled from `values`. */
export function format(text, values) {
  return text.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}
