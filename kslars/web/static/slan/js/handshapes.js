// Drawings of HamNoSys handshape classes, made from their base form, thumb and bending, so that every class
// has a picture even where no HamNoSys font is installed: a palm, four fingers and a thumb, seen from the palm.

const NS = "http://www.w3.org/2000/svg";
const KNUCKLE_X = [13, 18, 23, 28]; // index, middle, ring, little
const KNUCKLE_Y = 24;
const LENGTH = [17, 19, 17, 13];

// Per base form: the state of index..little and the default thumb.
const FORMS = {
  fist: { fingers: ["curled", "curled", "curled", "curled"], thumb: "along" },
  flathand: { fingers: ["ext", "ext", "ext", "ext"], thumb: "along" },
  finger2: { fingers: ["ext", "curled", "curled", "curled"], thumb: "across" },
  finger23: { fingers: ["ext", "ext", "curled", "curled"], thumb: "across" },
  finger23spread: { fingers: ["ext", "ext", "curled", "curled"], thumb: "across", spread: true },
  finger2345: { fingers: ["ext", "ext", "ext", "ext"], thumb: "along", spread: true },
  pinch12: { fingers: ["pinch", "curled", "curled", "curled"], thumb: "opposed" },
  pinchall: { fingers: ["pinch", "pinch", "pinch", "pinch"], thumb: "opposed" },
  pinch12open: { fingers: ["pinch", "ext", "ext", "ext"], thumb: "opposed" },
  cee12: { fingers: ["cee", "curled", "curled", "curled"], thumb: "cee" },
  ceeall: { fingers: ["cee", "cee", "cee", "cee"], thumb: "cee" },
  ceeopen: { fingers: ["ceewide", "ceewide", "ceewide", "ceewide"], thumb: "ceewide" },
};

const BENDING = { bent: "bent", doublebent: "bent", hooked: "hooked", doublehooked: "hooked" };
const THUMB = { thumbout: "out", thumbacross: "across", thumbopen: "ceewide" };

function fingerPath(state, x, length, lean) {
  const y = KNUCKLE_Y;
  switch (state) {
    case "ext": return `M${x} ${y} L${x + lean} ${y - length}`;
    case "bent": return `M${x} ${y} L${x + lean / 2} ${y - length * 0.45}`;
    case "hooked": return `M${x} ${y} L${x} ${y - length * 0.6} Q${x} ${y - length * 0.85} ${x + 3} ${y - length * 0.55}`;
    case "curled": return `M${x - 2} ${y + 1} Q${x} ${y - 6} ${x + 2} ${y + 1}`;
    case "pinch": return `M${x} ${y} Q${x} ${y - 14} ${12} ${y - 9}`;
    case "cee": return `M${x} ${y} Q${x} ${y - 16} ${x - 7} ${y - 14}`;
    case "ceewide": return `M${x} ${y} Q${x} ${y - 18} ${x - 5} ${y - 19}`;
    default: return "";
  }
}

function thumbPath(state) {
  switch (state) {
    case "out": return "M10 36 L1 25";
    case "across": return "M10 37 L25 31";
    case "opposed": return "M10 37 Q5 28 12 15";
    case "cee": return "M10 37 Q2 30 6 22";
    case "ceewide": return "M10 37 Q0 32 2 24";
    default: return "M10 37 L8 27"; // along the side of the hand
  }
}

/** Finger states (index..little) and thumb state of a handshape class, from its vocabulary attributes. */
export function handshapeParts({ base_form: base, thumb, bending }) {
  const form = FORMS[base] || FORMS.flathand;
  const bend = BENDING[bending];
  const fingers = form.fingers.map((f) => (f === "ext" && bend ? bend : f));
  return { fingers, thumb: THUMB[thumb] || form.thumb, spread: Boolean(form.spread) };
}

/** An SVG element drawing the handshape class described by `attributes` (base_form, thumb, bending). */
export function handshapeSvg(attributes, { size = 40, title = "" } = {}) {
  const { fingers, thumb, spread } = handshapeParts(attributes);
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "-1 3 36 42");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(Math.round((size * 42) / 36)));
  svg.setAttribute("class", "hs-drawing");
  svg.setAttribute("role", "img");
  if (title) {
    svg.setAttribute("aria-label", title);
    const t = document.createElementNS(NS, "title");
    t.textContent = title;
    svg.append(t);
  }
  const palm = document.createElementNS(NS, "rect");
  Object.entries({ x: 10, y: 22, width: 21, height: 21, rx: 5, class: "hs-palm" })
    .forEach(([k, v]) => palm.setAttribute(k, String(v)));
  svg.append(palm);
  fingers.forEach((state, i) => {
    const lean = spread ? (i - 1.5) * 4 : 0;
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", fingerPath(state, KNUCKLE_X[i], LENGTH[i], lean));
    path.setAttribute("class", `hs-finger hs-${state}`);
    svg.append(path);
    if (state === "bent") {
      const tip = document.createElementNS(NS, "circle");
      Object.entries({ cx: KNUCKLE_X[i] + lean / 2, cy: KNUCKLE_Y - LENGTH[i] * 0.45, r: 2.6, class: "hs-tip" })
        .forEach(([k, v]) => tip.setAttribute(k, String(v)));
      svg.append(tip);
    }
  });
  const thumbEl = document.createElementNS(NS, "path");
  thumbEl.setAttribute("d", thumbPath(thumb));
  thumbEl.setAttribute("class", `hs-thumb hs-thumb-${thumb}`);
  svg.append(thumbEl);
  return svg;
}

// HamNoSys fonts a user may have installed (the symbols are Private Use Area code points, so without one of
// these fonts they would show as empty boxes: the drawings above stand in for them).
const HAMNOSYS_FONTS = ["HamNoSysUnicode", "HamNoSys"];
let installedFont;

/** The name of an installed HamNoSys font, or null: a PUA symbol measures differently in it than without it. */
export function hamnosysFont() {
  if (installedFont !== undefined) return installedFont;
  const ctx = document.createElement("canvas").getContext("2d");
  const sample = "\ue000\ue002\ue00c";
  const width = (family) => {
    ctx.font = `32px ${family}`;
    return ctx.measureText(sample).width;
  };
  const fallbacks = ["monospace", "serif"];
  installedFont = HAMNOSYS_FONTS.find((name) => fallbacks.every((f) => width(`"${name}", ${f}`) !== width(f))) || null;
  return installedFont;
}
