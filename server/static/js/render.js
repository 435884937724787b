// Drawing results: configurations as rows of polymer cards, sites coloured by domain so that a
// domain and its complement (a / a*) share a colour and the starred one is drawn inverted.
import { parseSite, siteKey, splitMonomer } from "./textformat.js";

/** Create an element with a class list and optional text. */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Spread hues around the colour wheel by the golden angle so neighbours never look alike. */
export function domainHues(domains) {
  const hues = new Map();
  [...new Set(domains)].sort(naturalCompare).forEach((d, i) => hues.set(d, Math.round((i * 137.508) % 360)));
  return hues;
}

function naturalCompare(a, b) {
  return a.localeCompare(b, undefined, { numeric: true });
}

/** Every domain mentioned by the input and by the result, for one consistent palette. */
export function collectDomains(inputLists, configs) {
  const domains = [];
  for (const tokens of inputLists) for (const s of splitMonomer(tokens).sites) domains.push(parseSite(s).domain);
  for (const config of configs) {
    for (const polymer of config.polymers || []) {
      for (const monomer of polymer) for (const s of splitMonomer(monomer).sites) domains.push(parseSite(s).domain);
    }
  }
  return domains;
}

/** One site chip; the hue is set through CSSOM so the strict content-security policy allows it. */
export function siteChip(token, hues) {
  const site = parseSite(token);
  const chip = el("span", site.starred ? "site starred" : "site");
  chip.style.setProperty("--hue", String(hues.get(site.domain) ?? 0));
  chip.append(el("span", "domain", site.domain));
  if (site.starred) chip.append(el("span", "star", "*"));
  if (site.label) chip.append(el("span", "label", `:${site.label}`));
  chip.title = site.starred
    ? `${site.domain}* binds ${site.domain}${site.label ? ` (label ${site.label})` : ""}`
    : `${site.domain} binds ${site.domain}*${site.label ? ` (label ${site.label})` : ""}`;
  chip.dataset.domain = site.domain;
  return chip;
}

/**
 * Results carry only sites, so names come from matching each result monomer to an input monomer
 * with the same sites. Identical monomers with different names cannot be told apart; we say so.
 */
export function makeNamer(inputLists) {
  const buckets = new Map();
  const excessNames = new Set();
  for (const tokens of inputLists) {
    const { name, sites, excess } = splitMonomer(tokens);
    const key = siteKey(sites);
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key).push({ name, sites, excess });
    if (excess) excessNames.add(name ?? `[${key}]`);
  }
  return (resultTokens) => {
    const { name, sites } = splitMonomer(resultTokens);
    const excess = excessNames.has(name ?? `[${siteKey(sites)}]`);
    if (name) return { names: [name], sites, ambiguous: false, excess };
    const bucket = (buckets.get(siteKey(sites)) || []).filter((m) => m.excess === excess);
    const names = [...new Set(bucket.map((m) => m.name).filter(Boolean))];
    const labelled = bucket.length > 0 && bucket.every((m) => m.sites.join(" ") === bucket[0].sites.join(" "));
    const unnamedToo = bucket.some((m) => !m.name);
    return {
      names,
      sites: labelled ? bucket[0].sites : sites,
      ambiguous: names.length > 1 || (names.length === 1 && unnamedToo),
      excess,
    };
  };
}

function monomerRow(tokens, hues, namer, copies) {
  const info = namer(tokens);
  const row = el("li", "monomer");
  const nameEl = el("span", info.names.length ? "mname" : "mname anonymous");
  if (info.names.length === 0) nameEl.textContent = "·";
  else if (info.ambiguous) {
    nameEl.textContent = info.names.join(" / ") + (info.names.length === 1 ? "?" : "");
    nameEl.classList.add("ambiguous");
    nameEl.title = "Identical monomers carry these names; the solver does not say which one this is.";
  } else nameEl.textContent = info.names[0];
  row.append(nameEl);
  const sitesEl = el("span", "sites");
  for (const s of info.sites) sitesEl.append(siteChip(s, hues));
  row.append(sitesEl);
  if (info.excess) {
    const tag = el("span", "excess-copies", `excess ×${copies}`);
    tag.title = `${copies} ${copies === 1 ? "copy" : "copies"} of this monomer in excess (inf[...]) in this polymer`;
    row.append(tag);
  }
  return row;
}

/** A polymer card: a numbered box listing its monomers. */
export function polymerCard(polymer, index, hues, namer) {
  const card = el("article", "polymer");
  const head = el("header", "polymer-head");
  head.append(el("span", "polymer-title", `Polymer ${index + 1}`));
  const size = polymer.length === 1 ? "free monomer" : `${polymer.length} monomers`;
  head.append(el("span", polymer.length === 1 ? "polymer-size free" : "polymer-size", size));
  card.append(head);
  const list = el("ul", "monomers");
  const groups = new Map();  // an excess monomer is listed once per copy: show it once with its copies
  for (const monomer of polymer) {
    const key = namer(monomer).excess ? monomer.join(" ") : Symbol("finite");
    const group = groups.get(key);
    if (group) group.copies += 1;
    else groups.set(key, { monomer, copies: 1 });
  }
  for (const { monomer, copies } of groups.values()) list.append(monomerRow(monomer, hues, namer, copies));
  card.append(list);
  return card;
}

/** One configuration: a heading with its polymer count, then its polymer cards in a wrapping row. */
export function configRow(config, index, hues, namer, title) {
  const section = el("section", "config");
  const polymers = config.polymers || [];
  const count = config.polymers_count ?? polymers.length;
  const head = el("h3", "config-head");
  head.append(el("span", null, title || `Configuration ${index + 1}`));
  head.append(el("span", "polymer-count", `${count} ${count === 1 ? "polymer" : "polymers"}`));
  if (typeof config.energy === "number") head.append(el("span", "config-energy", `energy ${config.energy}`));
  section.append(head);
  const row = el("div", "polymer-row");
  polymers.forEach((p, i) => row.append(polymerCard(p, i, hues, namer)));
  section.append(row);
  return section;
}

/** A legend of the domains in play: each as a pair `x` / `x*` in its colour. */
export function legend(hues) {
  const box = el("div", "legend");
  box.append(el("span", "legend-title", "Domains:"));
  for (const domain of hues.keys()) {
    const pair = el("span", "legend-pair");
    pair.append(siteChip(domain, hues), siteChip(`${domain}*`, hues));
    box.append(pair);
  }
  return box;
}
