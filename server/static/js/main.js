// Wiring: editors and examples -> POST /task -> long-poll GET /status/<id>?wait= -> results or an error.
import { describeFailure, isCancellation, setApiKey, submitTask, taskStatus, terminateTask } from "./api.js";
import { LineEditor } from "./editor.js";
import { locateError } from "./errorlines.js";
import { EXAMPLES, loadExample } from "./examples.js";
import { onCheckThis, renderResult, renderTimeoutBest } from "./results.js";
import { decodeLocation, encodeState } from "./share.js";
import { tokenize } from "./textformat.js";
import { configText, renderCheck } from "./verdict.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 300; // least time between two status requests (a long poll that waited counts)
const WAIT_S = 10; // each status request waits up to this for new progress or the end of the job

const editors = {
  tbn: new LineEditor($("tbn-editor")),
  constraints: new LineEditor($("constraints-editor")),
  check: new LineEditor($("check-editor")),
};
const EDITOR_NAMES = { tbn: "TBN", constraints: "constraints", check: "check" };

/** The one job this page tracks at a time. */
let job = null;

function setState(state) {
  document.body.dataset.state = state;
  $("solve").disabled = $("check-submit").disabled =
    state === "submitting" || state === "running" || state === "cancelling";
  $("cancel").disabled = state !== "running";
}

// ---------- examples ----------

function fillExampleMenu() {
  const select = $("example");
  for (const example of EXAMPLES) {
    const option = document.createElement("option");
    option.value = example.id;
    option.textContent = example.title;
    select.append(option);
  }
  select.addEventListener("change", async () => {
    const example = EXAMPLES.find((e) => e.id === select.value);
    if (!example) return;
    try {
      const { tbn, constraints } = await loadExample(example);
      editors.tbn.value = tbn;
      editors.constraints.value = constraints;
      $("example-about").textContent = example.about;
      $("example-about").hidden = false;
      clearError();
      $("results").hidden = true;
      document.body.dataset.example = example.id;
    } catch (err) {
      showError({ title: "Could not load the example", message: String(err.message || err) });
    }
  });
}

// ---------- errors ----------

function clearError() {
  $("error").hidden = true;
  editors.tbn.clearMark();
  editors.constraints.clearMark();
  editors.check.clearMark();
}

/** Show an error beside the input; if it is about a line, mark that line in its editor. */
function showError({ title, message }, sent) {
  const box = $("error");
  box.querySelector(".error-title").textContent = title;
  box.querySelector(".error-message").textContent = message;
  const where = box.querySelector(".error-where");
  where.hidden = true;
  const spot = sent ? locateError(message, sent) : null;
  if (spot && editors[spot.editor].markLine(spot.line)) {
    const name = EDITOR_NAMES[spot.editor];
    where.textContent = `→ ${name} line ${spot.line}: ${editors[spot.editor].lineText(spot.line).trim()}`;
    where.hidden = false;
    box.dataset.line = String(spot.line);
    box.dataset.editor = spot.editor;
  } else {
    delete box.dataset.line;
    delete box.dataset.editor;
  }
  box.hidden = false;
}

// ---------- submitting ----------

function readNumber(id, least = 1) {
  const input = $(id);
  const value = Number(input.value);
  if (input.value.trim() === "" || !Number.isInteger(value) || value < least) {
    input.focus();
    throw new Error(`${id} must be a whole number of at least ${least}.`);
  }
  return value;
}

const LISTINGS = { all: { all: true }, no_optimize: { no_optimize: true } };
const LISTING_BOUNDS = ["min_polymers", "max_polymers", "max_configs"];

/** The request's options for the chosen mode: the gen best, or a listing ("all", "within",
 * "no_optimize") with its optional bounds (an empty field is not sent). */
function readOptions() {
  const mode = $("mode").value;
  if (mode === "best") return { gen: readNumber("gen"), init_k: readNumber("init_k") };
  const options = mode === "within" ? { within: readNumber("within", 0) } : { ...LISTINGS[mode] };
  for (const id of LISTING_BOUNDS) if ($(id).value.trim() !== "") options[id] = readNumber(id);
  return options;
}

/** A listing lists every configuration: gen and init_k apply to the gen best only. */
function showMode() {
  const mode = $("mode").value;
  $("within-field").hidden = mode !== "within";
  $("gen").disabled = $("init_k").disabled = mode !== "best";
  for (const field of document.querySelectorAll(".listing-field")) field.hidden = mode === "best";
}

/** The optional bond weight (docs/energy.md): absent when the box is empty. */
function readEnergy() {
  const input = $("bond_weight");
  if (input.value.trim() === "") return {};
  const weight = Number(input.value);
  if (!Number.isFinite(weight) || weight <= 0) {
    input.focus();
    throw new Error("bond weight must be a number above 0 (or empty for none).");
  }
  return { bond_weight: weight };
}

async function solve() {
  if (job && !job.finished) return;
  clearError();
  $("results").hidden = true;
  let options;
  try {
    options = { ...readOptions(), ...readEnergy() };
  } catch (err) {
    showError({ title: "Check the options", message: err.message });
    return;
  }
  const sent = { tbn: tokenize(editors.tbn.value), constraints: tokenize(editors.constraints.value) };
  run({ monomers: sent.tbn.lists, constraints: sent.constraints.lists, ...options }, sent);
}

/** "Check my design": the check box's text, judged against the TBN (no constraints, no options). */
function checkDesign() {
  if (job && !job.finished) return;
  clearError();
  $("results").hidden = true;
  const text = editors.check.value;
  if (!text.trim()) {
    showError({ title: "Nothing to check", message: "Write a configuration in the check box: one monomer " +
      "per line, a blank line between polymers (or use “Check this” beside a listed configuration)." });
    return;
  }
  const sent = { tbn: tokenize(editors.tbn.value), constraints: tokenize(""), check: text };
  run({ monomers: sent.tbn.lists, check: text }, sent);
}

/** Check a listed configuration: put it in the check box and check it. */
function checkListed(config) {
  editors.check.value = configText(config);
  checkDesign();
  $("check-form").scrollIntoView({ block: "nearest" });
}

async function run(request, sent) {
  job = { id: null, sent, started: performance.now(), finished: false, cancelRequested: false, ticker: null };
  startRunPanel();
  setState("submitting");
  const reply = await submitTask(request);
  if (reply.kind === "http" && reply.httpStatus >= 200 && reply.httpStatus < 300 && reply.body?.task_id) {
    job.id = reply.body.task_id;
    $("task-id").textContent = job.id;
    $("run-state").textContent = "Queued…";
    setState("running");
    schedulePoll(job, 0);
  } else {
    finish(job, "error");
    $("run").hidden = true;
    if (reply.kind === "http" && reply.httpStatus === 403) $("api-key-field").hidden = false;
    showError(describeFailure(reply), sent);
  }
}

// ---------- progress ----------

function startRunPanel() {
  $("run").hidden = false;
  $("progress-count").textContent = "–";
  $("progress-k").textContent = "–";
  $("task-id").textContent = "–";
  $("run-state").textContent = "Submitting…";
  const tick = () => {
    $("progress-elapsed").textContent = `${((performance.now() - job.started) / 1000).toFixed(1)} s`;
  };
  tick();
  job.ticker = setInterval(tick, 100);
}

function elapsedSeconds(current) {
  return (performance.now() - current.started) / 1000;
}

function schedulePoll(current, delay) {
  setTimeout(() => poll(current), delay);
}

async function poll(current) {
  if (current.finished) return;
  const asked = performance.now();
  const reply = await taskStatus(current.id, WAIT_S);
  if (current.finished) return;
  const status = reply.kind === "http" ? reply.httpStatus : 0;
  const body = reply.kind === "http" ? reply.body || {} : {};
  if (status === 202 || status === 203) {
    showProgress(current, body);
    schedulePoll(current, Math.max(0, POLL_MS - (performance.now() - asked)));
  } else if (status === 200 && body.status === "COMPLETE") {
    finish(current, "complete");
    if (Number.isInteger(body.count)) $("progress-count").textContent = String(body.count);
    const verb = body.check ? "Checked" : "Solved";
    $("run-state").textContent = `${verb} in ${elapsedSeconds(current).toFixed(1)} s.`;
    if (body.check) renderCheck(body, current.sent, current.id, (line) => editors.check.markLine(line));
    else renderResult(body, current.sent, current.id);
  } else if (isCancellation(body) || (current.cancelRequested && status === 404)) {
    finish(current, "cancelled");
    $("run-state").textContent = `Cancelled. ${body.message || ""}`.trim();
  } else if (reply.kind === "network" && !current.networkRetried) {
    current.networkRetried = true;
    schedulePoll(current, 1000);
  } else {
    finish(current, "error");
    $("run-state").textContent = "Stopped with an error (see beside the input).";
    showError(describeFailure(reply), current.sent);
    if (status === 400 && body.best) renderTimeoutBest(body, current.sent, current.id);
  }
}

function showProgress(current, body) {
  const has = (v) => v !== undefined && v !== null && v !== "";
  if (has(body.count) && Number(body.count) > 0) $("progress-count").textContent = String(body.count);
  if (has(body.k) && Number(body.k) > 0) $("progress-k").textContent = String(body.k);
  if (current.cancelRequested) return;
  const started = has(body.count) && Number(body.count) > 0;
  $("run-state").textContent = started
    ? `Searching for configuration ${body.count}${has(body.k) ? `, trying k = ${body.k} polymers` : ""}…`
    : "Queued, waiting for a worker…";
}

function finish(current, state) {
  current.finished = true;
  clearInterval(current.ticker);
  $("progress-elapsed").textContent = `${elapsedSeconds(current).toFixed(1)} s`;
  setState(state);
}

async function cancel() {
  if (!job || job.finished || !job.id) return;
  job.cancelRequested = true;
  setState("cancelling");
  $("run-state").textContent = "Cancelling…";
  const reply = await terminateTask(job.id);
  if (!(reply.kind === "http" && reply.httpStatus < 300) && !job.finished) {
    showError(describeFailure(reply), null);
  }
}

// ---------- shareable link ----------

const STATE_FIELDS = ["mode", "gen", "init_k", "within", ...LISTING_BOUNDS, "bond_weight"];
const DEFAULTS = Object.fromEntries(STATE_FIELDS.map((id) => [id, $(id).value]));

/** Everything a link restores; fields at their default are left out, to keep links short. */
function pageState() {
  const state = {};
  for (const name of Object.keys(editors)) if (editors[name].value) state[name] = editors[name].value;
  for (const id of STATE_FIELDS) if ($(id).value !== DEFAULTS[id]) state[id] = $(id).value;
  return state;
}

function applyState(state) {
  for (const name of Object.keys(editors)) editors[name].value = state[name] ?? "";
  for (const id of STATE_FIELDS) $(id).value = state[id] ?? DEFAULTS[id];
  if (!$("mode").value) $("mode").value = DEFAULTS.mode; // an unknown mode
  showMode();
  clearError();
  $("results").hidden = true;
  $("example").value = "";
  $("example-about").hidden = true;
}

async function copyLink() {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = await encodeState(pageState());
  history.replaceState(null, "", url.href);
  const field = $("share-link");
  field.value = url.href;
  $("share-line").hidden = false;
  field.select();
  let copied = false;
  try {
    await navigator.clipboard.writeText(url.href);
    copied = true;
  } catch {
    copied = document.execCommand("copy"); // no Clipboard API on plain http: copy the selection
  }
  const size = `${url.href.length} characters`;
  $("share-status").textContent = copied ? `Link copied (${size}).` : `Copy the link above (${size}).`;
}

async function restoreFromUrl() {
  try {
    const state = await decodeLocation(window.location);
    if (state) applyState(state);
  } catch (err) {
    showError({ title: "This link could not be read", message: String(err.message || err) });
  }
}

// ---------- start ----------

function setupApiKey() {
  const input = $("api-key");
  const saved = sessionStorage.getItem("stableconfigs-api-key") || "";
  input.value = saved;
  setApiKey(saved);
  if (saved) $("api-key-field").hidden = false;
  input.addEventListener("input", () => {
    setApiKey(input.value);
    sessionStorage.setItem("stableconfigs-api-key", input.value);
  });
}

setupApiKey();
fillExampleMenu();
$("solve-form").addEventListener("submit", (event) => {
  event.preventDefault();
  solve();
});
$("cancel").addEventListener("click", cancel);
$("mode").addEventListener("change", showMode);
$("check-form").addEventListener("submit", (event) => {
  event.preventDefault();
  checkDesign();
});
$("share").addEventListener("click", copyLink);
onCheckThis(checkListed);
window.addEventListener("hashchange", restoreFromUrl);
showMode();
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    solve();
  }
});
setState("idle");
restoreFromUrl().then(() => {
  document.body.dataset.ready = "true";
});
