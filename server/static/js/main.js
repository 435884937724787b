// Wiring: editors and examples -> POST /task -> long-poll GET /status/<id>?wait= -> results or an error.
import { describeFailure, isCancellation, setApiKey, submitTask, taskStatus, terminateTask } from "./api.js";
import { LineEditor } from "./editor.js";
import { locateError } from "./errorlines.js";
import { EXAMPLES, loadExample } from "./examples.js";
import { renderResult, renderTimeoutBest } from "./results.js";
import { tokenize } from "./textformat.js";

const $ = (id) => document.getElementById(id);
const POLL_MS = 300; // least time between two status requests (a long poll that waited counts)
const WAIT_S = 10; // each status request waits up to this for new progress or the end of the job

const editors = {
  tbn: new LineEditor($("tbn-editor")),
  constraints: new LineEditor($("constraints-editor")),
};

/** The one job this page tracks at a time. */
let job = null;

function setState(state) {
  document.body.dataset.state = state;
  $("solve").disabled = state === "submitting" || state === "running" || state === "cancelling";
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
    const name = spot.editor === "tbn" ? "TBN" : "constraints";
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

function readNumber(id) {
  const input = $(id);
  const value = Number(input.value);
  if (!Number.isInteger(value) || value < 1) {
    input.focus();
    throw new Error(`${id} must be a whole number of at least 1.`);
  }
  return value;
}

/** The request's options for the chosen mode: the gen best, or a listing ("all", "within"). */
function readOptions() {
  const mode = $("mode").value;
  if (mode === "all") return { all: true };
  if (mode === "within") {
    const input = $("within");
    const within = Number(input.value);
    if (!Number.isInteger(within) || within < 0) {
      input.focus();
      throw new Error("within must be a whole number of at least 0.");
    }
    return { within };
  }
  return { gen: readNumber("gen"), init_k: readNumber("init_k") };
}

/** A listing lists every configuration: gen and init_k apply to the gen best only. */
function showMode() {
  const mode = $("mode").value;
  $("within-field").hidden = mode !== "within";
  $("gen").disabled = $("init_k").disabled = mode !== "best";
}

async function solve() {
  if (job && !job.finished) return;
  clearError();
  $("results").hidden = true;
  let options;
  try {
    options = readOptions();
  } catch (err) {
    showError({ title: "Check the options", message: err.message });
    return;
  }
  const sent = { tbn: tokenize(editors.tbn.value), constraints: tokenize(editors.constraints.value) };
  const request = { monomers: sent.tbn.lists, constraints: sent.constraints.lists, ...options };
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
    $("run-state").textContent = `Solved in ${elapsedSeconds(current).toFixed(1)} s.`;
    renderResult(body, current.sent, current.id);
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
showMode();
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    solve();
  }
});
setState("idle");
document.body.dataset.ready = "true";
