// The dictionary page's results: gloss, translations, the sign's handshapes drawn as in the palette (with the
// HamNoSys glyphs when a HamNoSys font is installed), its video or pose file when it has one.
import { gettext } from "./i18n.js";
import { hamnosysFont, handshapeSvg } from "./handshapes.js";

const LANGUAGES = { ru: gettext("Russian"), kk: gettext("Kazakh"), en: gettext("English") };

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `address` when it is a web address or a path on this site, else null (never a javascript: link). */
function safeAddress(address) {
  if (!address) return null;
  try {
    const url = new URL(address, window.location.href);
    return ["http:", "https:"].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** The handshape drawings of a sign (dominant, then non-dominant) and its HamNoSys in glyphs when a font shows them.
 * `entries` maps handshape class names to the palette's vocabulary entries. */
function hamnosysFigure(sign, entries) {
  const figure = element("div", "result-hamnosys");
  figure.dataset.testid = "result-hamnosys";
  figure.dataset.hamnosys = sign.hamnosys;
  const hands = [[sign.handshapes.dominant, gettext("Dominant hand")],
    [sign.handshapes.nondominant, gettext("Non-dominant hand")]];
  for (const [name, hand] of hands) {
    const entry = name && entries.get(name);
    if (!entry) continue;
    const shape = element("span", "result-hand");
    shape.dataset.testid = "result-handshape";
    shape.dataset.handshape = name;
    shape.append(handshapeSvg(entry.attributes, { size: 44, title: `${hand}: ${name}` }),
      element("span", "palette-label", name.replace(/_/g, "_\u200b")));
    figure.append(shape);
  }
  const font = hamnosysFont();
  if (font) {
    const glyphs = element("span", "hs-glyph result-glyphs", sign.hamnosys);
    glyphs.style.fontFamily = `"${font}"`;
    glyphs.title = "HamNoSys";
    figure.append(glyphs);
  }
  return figure;
}

function translationList(translations) {
  const list = element("dl", "result-translations");
  list.dataset.testid = "result-translations";
  for (const [language, text] of Object.entries(translations)) {
    const row = element("div");
    row.append(element("dt", "", LANGUAGES[language] || language), element("dd", "", text));
    row.lastChild.lang = language;
    list.append(row);
  }
  return list;
}

function media(sign) {
  const box = element("div", "result-media");
  const video = safeAddress(sign.video);
  if (video) { // the player is made on request: a list of players would load and weigh down a phone
    const play = element("button", "button button-small button-quiet", gettext("Play the video"));
    play.type = "button";
    play.dataset.testid = "result-video";
    play.addEventListener("click", () => {
      const player = element("video");
      Object.assign(player, { src: video, controls: true, autoplay: true, playsInline: true, muted: true });
      player.dataset.testid = "result-video-player";
      player.setAttribute("aria-label", gettext("Video of the sign"));
      play.replaceWith(player);
    });
    box.append(play);
  }
  const pose = safeAddress(sign.pose);
  if (pose) {
    const link = element("a", "", gettext("Pose file (.pose)"));
    link.href = pose;
    link.dataset.testid = "result-pose";
    box.append(link);
  }
  return box;
}

function resultItem(sign, entries) {
  const item = element("li", "dictionary-result");
  item.dataset.testid = "result";
  item.dataset.signId = sign.id;
  const head = element("div", "result-head");
  const gloss = element("h3", "result-gloss", sign.gloss);
  gloss.dataset.testid = "result-gloss";
  const score = element("meter");
  Object.assign(score, { min: 0, max: 1, value: sign.score });
  score.title = `${gettext("Match")}: ${Math.round(sign.score * 100)} %`;
  score.setAttribute("aria-label", gettext("Match"));
  head.append(gloss, score);
  item.append(head, hamnosysFigure(sign, entries));
  if (Object.keys(sign.translations).length) item.append(translationList(sign.translations));
  item.append(media(sign));
  if (sign.source) item.append(element("p", "result-source", sign.source));
  return item;
}

/** Show `results` (the API's signs, best first) in the list `list`. */
export function renderResults(list, results, entries) {
  list.replaceChildren(...results.map((sign) => resultItem(sign, entries)));
}
