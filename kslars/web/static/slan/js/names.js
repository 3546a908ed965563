// What the editor shows for names that come from the engine and the HamNoSys inventory, in the page's language.
// The names themselves (series, vocabulary, tier type and constraint ids, handshape class ids) are data and are
// stored as they are; only their display is translated here.
import { gettext } from "./i18n.js";

const SERIES = new Map([
  ["Right hand speed", gettext("Right hand speed")],
  ["Left hand speed", gettext("Left hand speed")],
]);
const VOCABULARIES = new Map([
  ["HamNoSys handshapes", gettext("Handshapes (HamNoSys)")],
  ["HamNoSys palm orientations", gettext("Palm orientations (HamNoSys)")],
  ["HamNoSys finger directions", gettext("Finger directions (HamNoSys)")],
  ["Eyebrow actions", gettext("Eyebrow actions")],
  ["Head movements", gettext("Head movements")],
  ["Mouth actions", gettext("Mouth actions")],
]);
// tier types of the default document (kslars.krsl) and of the engine (kslars.engine.annotation_tiers)
const TIER_TYPES = new Map([
  ["translation", gettext("translation")],
  ["gloss", gettext("gloss")],
  ["handshape", gettext("handshape")],
  ["Automatic segments", gettext("Automatic segments")],
  ["Handshape", gettext("Handshape")],
  ["Palm orientation", gettext("Palm orientation")],
  ["Finger direction", gettext("Finger direction")],
  ["Eyebrow action", gettext("Eyebrow action")],
  ["Head movement", gettext("Head movement")],
  ["Mouth action", gettext("Mouth action")],
]);
const CONSTRAINTS = new Map([
  ["None", gettext("independent tier")],
  ["Included_In", gettext("inside its parent's annotations")],
  ["Time_Subdivision", gettext("divides its parent's annotations in time")],
  ["Symbolic_Subdivision", gettext("divides its parent's annotations into a sequence")],
  ["Symbolic_Association", gettext("one value for each parent annotation")],
]);
// the parts of a HamNoSys handshape class (kslars.hamnosys): base form, thumb, finger bending
const HANDSHAPE_PARTS = new Map([
  ["fist", gettext("fist")],
  ["flathand", gettext("flat hand")],
  ["finger2", gettext("index finger")],
  ["finger23", gettext("index and middle finger")],
  ["finger23spread", gettext("index and middle finger spread")],
  ["finger2345", gettext("four fingers spread")],
  ["pinch12", gettext("thumb and index pinch")],
  ["pinchall", gettext("all fingers pinched")],
  ["pinch12open", gettext("open thumb and index pinch")],
  ["cee12", gettext("C shape of thumb and index")],
  ["ceeall", gettext("C shape of all fingers")],
  ["ceeopen", gettext("open C shape")],
  ["thumbout", gettext("thumb out")],
  ["thumbacross", gettext("thumb across")],
  ["thumbopen", gettext("thumb open")],
  ["bent", gettext("fingers bent at the base")],
  ["hooked", gettext("fingers hooked")],
  ["doublebent", gettext("fingers double bent")],
  ["doublehooked", gettext("fingers double hooked")],
]);
// the page's language as a document language id (ISO 639-3)
const DOCUMENT_LANGUAGES = { ru: "rus", kk: "kaz", en: "eng" };

const shown = (map, name) => map.get(name) || name;

/** A visualisation series' name to show. */
export const seriesName = (name) => shown(SERIES, name);
/** A vocabulary's name to show. */
export const vocabularyName = (name) => shown(VOCABULARIES, name);
/** A tier type's name to show. */
export const tierTypeName = (name) => shown(TIER_TYPES, name);
/** What a tier constraint means, to show. */
export const constraintName = (constraint) => shown(CONSTRAINTS, constraint);

/** A handshape class described in words ("index finger, thumb out"), or null when its parts are unknown. */
export function handshapeDescription(attributes) {
  const parts = [attributes.base_form, attributes.thumb, attributes.bending].filter(Boolean);
  if (!parts.length || !parts.every((p) => HANDSHAPE_PARTS.has(p))) return null;
  return parts.map((p) => HANDSHAPE_PARTS.get(p)).join(", ");
}

/** The value (with its description) an entry has in the page's language, or null when it has none. */
export function localValue(entry) {
  const lang = DOCUMENT_LANGUAGES[(document.documentElement.lang || "en").split("-")[0]];
  return (entry.values || []).find((v) => v.lang === lang && v.value) || null;
}
