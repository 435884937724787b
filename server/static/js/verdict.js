// The "check my design" verdict: is the proposed configuration valid, saturated, stable, and how far
// from the entropy (a POST /task with "check"; the answer is CheckResult.to_json() under "check").
import { drawConfigs, setJson, stat } from "./results.js";
import { el } from "./render.js";

const $ = (id) => document.getElementById(id);

/** A configuration (as results give it) in the check box's text form: a blank line between polymers. */
export function configText(config) {
  return (config.polymers || []).map((polymer) => polymer.map((m) => m.join(" ")).join("\n")).join("\n\n") + "\n";
}

function headline(v) {
  if (!v.valid) return "Not a configuration of this TBN";
  if (v.stable) return "Stable: saturated, with as many polymers as the entropy";
  if (v.saturated) return `Saturated but not stable: ${v.distance} ${v.distance === 1 ? "polymer" : "polymers"} short of the entropy`;
  return "Not saturated: some limiting sites are left unbound";
}

function yesNo(value) {
  return value === null || value === undefined ? "–" : value ? "yes" : "no";
}

function list(className, items) {
  const ul = el("ul", className);
  for (const text of items) ul.append(el("li", null, text));
  return ul;
}

/**
 * Show a check job's COMPLETE body; ``markLine(n)`` marks line n of the check box (the first problem
 * a message places on a line).
 */
export function renderCheck(body, sent, taskId, markLine) {
  const v = body.check;
  const box = $("summary");
  box.replaceChildren();
  const title = el("p", v.stable ? "verdict good" : "verdict bad", headline(v));
  title.id = "check-verdict";
  box.append(title);
  const stats = el("div", "stats-row");
  stats.append(stat("Valid", yesNo(v.valid), "check-valid", "the TBN's monomers, each once"));
  stats.append(stat("Saturated", yesNo(v.saturated), "check-saturated", "every limiting site bound"));
  stats.append(stat("Stable", yesNo(v.stable), "check-stable", "saturated, entropy polymers"));
  stats.append(stat("Polymers", v.polymers_count, "check-count", "in your configuration"));
  if (v.valid) {
    stats.append(stat("Entropy", v.entropy, "check-entropy", "polymers when stable"));
    stats.append(stat("Distance", v.distance, "check-distance", "entropy − polymers"));
  }
  box.append(stats);
  if (v.problems.length) {
    box.append(el("p", "explain", "What does not match the TBN:"), list("check-problems", v.problems));
    const line = v.problems.map((p) => p.match(/^line (\d+):/)).find(Boolean);
    if (line) markLine(Number(line[1]));
  }
  if (v.unsaturated.length) {
    box.append(el("p", "explain", "What breaks saturation (a limiting site left unbound in its polymer):"),
      list("check-unsaturated", v.unsaturated.map((u) =>
        `polymer ${u.polymer} leaves ${u.unbound} ${u.site} unbound`)));
  }
  const config = { polymers: v.polymers, polymers_count: v.polymers.length };
  drawConfigs(v.valid ? [config] : [], sent, ["Your configuration"]);
  setJson(body, taskId);
  $("results").hidden = false;
}
