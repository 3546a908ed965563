// The annotation file formats, as the server's format registry lists them (GET /api/formats): the export menu,
// what the import file choosers accept, and the extensions they mention, all come from that one list.
import { getJson } from "./api.js";

const loaded = new Map(); // url -> the promise of its list, so that a page asks once

/** The formats at `url` (the API's formats route); a failed request is asked again next time. */
export function loadFormats(url) {
  if (!loaded.has(url)) {
    loaded.set(url, getJson(url).catch((err) => {
      loaded.delete(url);
      throw err;
    }));
  }
  return loaded.get(url);
}

/** The extensions of the formats that can be read (imported), in the registry's order. */
export function readableExtensions(formats) {
  return formats.filter((f) => f.readable).flatMap((f) => f.extensions);
}

/** A file input's `accept` for the formats that can be read. */
export function acceptList(formats) {
  return readableExtensions(formats).join(",");
}

/** The extensions that can be read, to show people: "(.eaf, .json, …)". */
export function extensionsText(formats) {
  return `(${readableExtensions(formats).join(", ")})`;
}

/** Show the readable formats on a file input (its `accept`) and in `note` (may be null). */
export function offerReadable(input, note, formats) {
  input.accept = acceptList(formats);
  if (note) note.textContent = ` ${extensionsText(formats)}`;
}
