// The agreement page: two tiers chosen (each "project id|tier name"), GET /api/agreement, and the report drawn:
// a table of the scores and counts, the confusion of values, and histograms of the boundary differences (SVG).
//
// Hooks (data-testid): agreement-form, agreement-a, agreement-b, agreement-overlap, agreement-submit,
// agreement-status, agreement-report, agreement-summary (rows with data-key), agreement-confusion,
// agreement-plot (an svg; one rect.agreement-bar per non-empty bin, data-edge start or end).
import { request } from "./api.js";
import { format, gettext } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const LIMIT_MS = 1000; // differences beyond this are counted in the outermost bins
const BIN_MS = 40;
const MOST_CONFUSIONS = 40;

const form = document.querySelector("[data-testid=agreement-form]");
const status = document.querySelector("[data-testid=agreement-status]");
const report = document.querySelector("[data-testid=agreement-report]");

/** "12|Gloss" -> [12, "Gloss"]. */
function choice(select) {
  const [id, ...tier] = select.value.split("|");
  return [id, tier.join("|")];
}

function element(tag, text, className) {
  const el = document.createElement(tag);
  if (text !== undefined) el.textContent = text;
  if (className) el.className = className;
  return el;
}

function number(value, digits = 3) {
  return value === null || value === undefined ? "–" : Number(value).toFixed(digits);
}

function summaryTable(data) {
  const rows = [
    ["kappa", gettext("Modified Cohen's kappa (ELAN, unlinked segments included)"), number(data.kappa)],
    ["kappa_max", gettext("Maximum possible kappa"), number(data.kappa_max)],
    ["raw_agreement", gettext("Raw agreement (unlinked segments included)"), number(data.raw_agreement)],
    ["cohen_kappa", gettext("Cohen's kappa of the linked pairs"), number(data.cohen_kappa)],
    ["percent_agreement", gettext("Linked pairs with equal values"), data.percent_agreement === null ? "–" : `${data.percent_agreement.toFixed(1)} %`],
    ["matched", gettext("Linked pairs"), String(data.matched)],
    ["unmatched_a", format(gettext("Segments of A linked to none (of %(count)s)"), { count: data.a.segments }), String(data.unmatched_a)],
    ["unmatched_b", format(gettext("Segments of B linked to none (of %(count)s)"), { count: data.b.segments }), String(data.unmatched_b)],
    ["start_ms", gettext("Start differences, B − A: mean, median |d| (ms)"), differences(data.boundaries.start_ms)],
    ["end_ms", gettext("End differences, B − A: mean, median |d| (ms)"), differences(data.boundaries.end_ms)],
    ["staccato", gettext("Segmentation agreement (Staccato-style degree of organisation)"), number(data.staccato.degree_of_organisation)],
  ];
  const table = element("table", undefined, "agreement-table agreement-summary");
  table.dataset.testid = "agreement-summary";
  table.append(element("caption", format(gettext("A: %(a)s · B: %(b)s"), {
    a: `${data.a.file} / ${data.a.tier}`, b: `${data.b.file} / ${data.b.tier}`,
  })));
  for (const [key, label, value] of rows) {
    const row = element("tr");
    row.dataset.key = key;
    row.append(element("th", label), element("td", value));
    table.append(row);
  }
  return table;
}

function differences(d) {
  return d.mean === null ? "–" : `${d.mean} · ${d.median_abs}`;
}

function confusionTable(confusion) {
  const table = element("table", undefined, "agreement-table agreement-confusion");
  table.dataset.testid = "agreement-confusion";
  table.append(element("caption", gettext("Values of linked pairs, and unlinked segments (–), most frequent first")));
  const head = element("tr");
  head.append(element("th", gettext("Value in A")), element("th", gettext("Value in B")), element("th", gettext("Count")));
  table.append(head);
  for (const c of confusion.slice(0, MOST_CONFUSIONS)) {
    const row = element("tr", undefined, c.a === c.b ? "is-same" : "is-different");
    row.append(element("td", c.a ?? "–"), element("td", c.b ?? "–"), element("td", String(c.count)));
    table.append(row);
  }
  if (confusion.length > MOST_CONFUSIONS) {
    table.append(element("caption", format(gettext("and %(count)s more"), { count: confusion.length - MOST_CONFUSIONS })));
  }
  return table;
}

function svg(tag, attributes, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Histograms of the start and end differences (B − A, ms) of the linked pairs, one panel each. */
function boundaryPlot(pairs) {
  const width = 640;
  const panel = 130;
  const margin = { left: 44, right: 28, top: 22, bottom: 26 };
  const bins = (2 * LIMIT_MS) / BIN_MS;
  const plot = svg("svg", {
    viewBox: `0 0 ${width} ${2 * panel + 20}`, role: "img", class: "agreement-plot", "data-testid": "agreement-plot",
    "aria-label": gettext("Boundary differences of the linked pairs"),
  });
  const inner = width - margin.left - margin.right;
  const x = (ms) => margin.left + ((ms + LIMIT_MS) / (2 * LIMIT_MS)) * inner;
  [["start", gettext("Start, B − A (ms)"), 0], ["end", gettext("End, B − A (ms)"), 1]].forEach(([edge, title, k]) => {
    const counts = new Array(bins).fill(0);
    for (const p of pairs) {
      const d = edge === "start" ? p.b[0] - p.a[0] : p.b[1] - p.a[1];
      counts[Math.min(bins - 1, Math.max(0, Math.floor((d + LIMIT_MS) / BIN_MS)))] += 1;
    }
    const top = k * (panel + 10) + margin.top;
    const height = panel - margin.top - margin.bottom;
    const most = Math.max(1, ...counts);
    plot.append(svg("text", { x: margin.left, y: top - 8, class: "agreement-title" }, title));
    counts.forEach((n, i) => {
      if (!n) return;
      const h = (n / most) * height;
      const bar = svg("rect", { x: x(-LIMIT_MS + i * BIN_MS) + 0.5, y: top + height - h, width: Math.max(1, inner / bins - 1), height: h, class: "agreement-bar" });
      bar.dataset.edge = edge;
      bar.append(svg("title", {}, format(gettext("%(count)s pairs from %(from)s to %(to)s ms"), {
        count: n, from: -LIMIT_MS + i * BIN_MS, to: -LIMIT_MS + (i + 1) * BIN_MS,
      })));
      plot.append(bar);
    });
    plot.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: top + height, y2: top + height, class: "agreement-axis" }));
    plot.append(svg("line", { x1: x(0), x2: x(0), y1: top, y2: top + height, class: "agreement-zero" }));
    for (const tick of [-LIMIT_MS, -LIMIT_MS / 2, 0, LIMIT_MS / 2, LIMIT_MS]) {
      const label = tick === -LIMIT_MS ? `≤${tick}` : tick === LIMIT_MS ? `≥${tick}` : String(tick);
      plot.append(svg("text", { x: x(tick), y: top + height + 16, class: "agreement-tick" }, label));
    }
    plot.append(svg("text", { x: margin.left - 6, y: top + 10, class: "agreement-count" }, String(most)));
  });
  return plot;
}

async function compare(event) {
  event.preventDefault();
  const [a, tierA] = choice(form.elements.a);
  const [b, tierB] = choice(form.elements.b);
  const query = new URLSearchParams({ a, tier_a: tierA, b, tier_b: tierB, min_overlap: form.elements.min_overlap.value });
  status.textContent = gettext("Comparing…");
  report.hidden = true;
  try {
    const data = await request(`/api/agreement?${query}`);
    report.replaceChildren(
      summaryTable(data),
      element("h2", gettext("Boundary differences")),
      boundaryPlot(data.boundaries.pairs),
      element("h2", gettext("Confusion of values")),
      confusionTable(data.confusion),
    );
    report.hidden = false;
    status.textContent = "";
  } catch (err) {
    status.textContent = err.message;
  }
}

if (form) {
  if (form.elements.b.options.length > 1 && form.elements.b.selectedIndex === 0) form.elements.b.selectedIndex = 1;
  form.addEventListener("submit", compare);
}
