// The result panel: what the numbers mean, the configurations, and the raw JSON to copy or save.
import { collectDomains, configRow, domainHues, el, legend, makeNamer } from "./render.js";

const $ = (id) => document.getElementById(id);

let currentJson = "";
let currentName = "stableconfigs.json";

export function stat(label, value, id, note) {
  const box = el("div", "stat");
  box.append(el("div", "stat-label", label));
  const v = el("div", "stat-value", value);
  if (id) v.id = id;
  box.append(v);
  if (note) box.append(el("div", "stat-note", note));
  return box;
}

function summary(body, constrained) {
  const box = $("summary");
  box.replaceChildren();
  const configs = body.configs || [];
  const stats = el("div", "stats-row");
  if (typeof body.energy === "number") {
    stats.append(stat("Energy", body.energy, "energy", "least: W × unbound sites + merges"));
  } else {
    stats.append(stat("Entropy", body.entropy, "entropy", "polymers when stable"));
  }
  if (constrained && configs.length) {
    const best = configs[0].polymers_count;
    const cost = body.entropy - best;
    stats.append(stat("With constraints", best, "constrained-count", "polymers"));
    stats.append(stat("Constraints cost", cost, "constraint-cost", cost === 1 ? "polymer" : "polymers"));
  }
  stats.append(stat("Configurations", body.count ?? configs.length, "config-count", "listed below"));
  if (typeof body.complete === "boolean") {
    stats.append(stat("Complete", body.complete ? "yes" : "no", "list-complete",
      `complete: ${body.complete} — ${body.complete ? "no other is in the window" : "a cap, the time limit or " +
        "the model's size ended it: more may exist"}`));
  }
  box.append(stats);
  box.append(el("p", "explain", explanation(body, constrained)));
}

function explanation(body, constrained) {
  const configs = body.configs || [];
  if (typeof body.energy === "number") {
    return `The least energy is ${body.energy}: each merge of two polymers costs 1, each limiting site left ` +
      "unbound costs the bond weight (StableTBN's definitions). Each row below is a configuration asked " +
      "for with its energy; a monomer in excess shows how many copies each polymer takes.";
  }
  const base =
    `A stable configuration of this TBN has ${body.entropy} separate polymers: no binding of the ` +
    "monomers with every starred site bound leaves more polymers apart.";
  if (typeof body.complete === "boolean" && !constrained) {
    return `${base} Each row below is one configuration asked for (its heading gives its polymer count); ` +
      "each card is one polymer.";
  }
  if (!constrained) return `${base} Each row below is one such configuration; each card is one polymer.`;
  if (!configs.length) return `${base} No configuration satisfies the constraints.`;
  const cost = body.entropy - configs[0].polymers_count;
  const verdict =
    cost === 0
      ? "Your constraints cost nothing: a stable configuration already satisfies them."
      : `Satisfying your constraints costs ${cost} ${cost === 1 ? "polymer" : "polymers"}: ` +
        `the best configuration that meets them has ${configs[0].polymers_count}.`;
  return `${base} ${verdict} Each row below is a configuration that meets the constraints.`;
}

let checkThis = null; // what "Check this" beside a listed configuration does (main.js sets it)

/** Offer "Check this" on each listed configuration: ``action(config)``. */
export function onCheckThis(action) {
  checkThis = action;
}

export function drawConfigs(configs, sent, titles, offerCheck = false) {
  const hues = domainHues(collectDomains(sent.tbn.lists, configs));
  const namer = makeNamer(sent.tbn.lists);
  $("legend").replaceChildren(hues.size ? legend(hues) : "");
  const box = $("configs");
  box.replaceChildren();
  configs.forEach((config, i) => {
    const row = configRow(config, i, hues, namer, titles?.[i]);
    if (offerCheck && checkThis) {
      const button = el("button", "check-this", "Check this");
      button.type = "button";
      button.addEventListener("click", () => checkThis(config));
      row.querySelector(".config-head").append(button);
    }
    box.append(row);
  });
}

export function setJson(body, taskId) {
  currentJson = JSON.stringify(body, null, 2);
  currentName = `stableconfigs-${taskId || "result"}.json`;
  $("json").textContent = currentJson;
  $("copy-status").textContent = "";
}

/** Show a COMPLETE status body. */
export function renderResult(body, sent, taskId) {
  summary(body, sent.constraints.lists.length > 0);
  // a check judges saturation and entropy: not the energy engine's answers (docs/energy.md)
  drawConfigs(body.configs || [], sent, null, typeof body.energy !== "number");
  setJson(body, taskId);
  $("results").hidden = false;
}

/** Show what a timed-out job found before the limit ("best" and "upper_bound" are optional). */
export function renderTimeoutBest(body, sent, taskId) {
  const box = $("summary");
  box.replaceChildren();
  const best = body.best;
  const stats = el("div", "stats-row");
  stats.append(stat("Best found", best.polymers_count, "best-count", "polymers (not proven stable)"));
  if (body.upper_bound !== undefined && body.upper_bound !== null) {
    stats.append(stat("Upper bound", body.upper_bound, "upper-bound", "polymers at most"));
  }
  box.append(stats);
  box.append(
    el("p", "explain", "The solver ran out of time. The entropy is at least the best count found" +
      (body.upper_bound != null ? " and at most the upper bound." : ".")),
  );
  drawConfigs([best], sent, ["Best configuration found before the time limit"]);
  setJson(body, taskId);
  $("results").hidden = false;
}

async function copyJson() {
  try {
    await navigator.clipboard.writeText(currentJson);
  } catch {
    // Clipboard API needs a secure context; plain http on a LAN address falls back to a selection copy.
    const area = el("textarea");
    area.value = currentJson;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  $("copy-status").textContent = "Copied.";
}

function downloadJson() {
  const url = URL.createObjectURL(new Blob([currentJson], { type: "application/json" }));
  const link = el("a");
  link.href = url;
  link.download = currentName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

$("copy-json").addEventListener("click", copyJson);
$("download-json").addEventListener("click", downloadJson);
