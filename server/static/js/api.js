// The three public endpoints, wrapped so every outcome becomes a plain object and nothing throws.
// The page never talks to the server any other way: it is also a working example of the API.

/**
 * @typedef {{kind: "network", message: string}} NetworkFailure
 * @typedef {{kind: "http", httpStatus: number, body: any}} HttpReply
 */

let apiKey = "";

/** Servers started with STABLECONFIGS_API_KEY want it in X-API-Key on every call. */
export function setApiKey(key) {
  apiKey = key || "";
}

async function call(method, url, body) {
  const init = { method, headers: { Accept: "application/json" }, cache: "no-store" };
  if (apiKey) init.headers["X-API-Key"] = apiKey;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (err) {
    return { kind: "network", message: `Cannot reach the server (${err.message || err}).` };
  }
  const text = await response.text().catch(() => "");
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = { message: text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 300) };
  }
  return { kind: "http", httpStatus: response.status, body: parsed };
}

/** POST /task with {"monomers", "constraints", "gen", "init_k"}. */
export function submitTask(request) {
  return call("POST", "task", request);
}

/** GET /status/<id>; with waitSeconds, the server answers on new progress or the job's end (or after the wait). */
export function taskStatus(taskId, waitSeconds) {
  const wait = waitSeconds ? `?wait=${waitSeconds}` : "";
  return call("GET", `status/${encodeURIComponent(taskId)}${wait}`);
}

/** DELETE /terminate/<id>. */
export function terminateTask(taskId) {
  return call("DELETE", `terminate/${encodeURIComponent(taskId)}`);
}

const STATUS_HINTS = {
  400: "The solver ran out of time.",
  401: "The input is not a valid TBN or constraint list.",
  402: "The server hit an unexpected error.",
  403: "This server needs an API key: enter it under the Solve button.",
  404: "The server does not know this job (it may have expired).",
  413: "The input is too large for this server.",
  429: "Too many requests; try again in a moment.",
  500: "The server hit an internal error.",
  502: "The server is not reachable behind its proxy.",
  503: "The service is unavailable right now (its queue or workers may be down); try again shortly.",
};

/**
 * Turn a failed reply into {title, message, body} for display.
 * @param {NetworkFailure|HttpReply} reply
 */
export function describeFailure(reply) {
  if (reply.kind === "network") return { title: "Network error", message: reply.message, body: null };
  const body = reply.body || {};
  const status = typeof body.status === "string" ? body.status : "";
  const message = typeof body.message === "string" && body.message ? body.message : STATUS_HINTS[reply.httpStatus];
  const title = `${status || "Error"} (HTTP ${reply.httpStatus})`;
  return { title, message: message || "Unexpected reply from the server.", body };
}

/** True when a status body says the job stopped because someone cancelled it. */
export function isCancellation(body) {
  if (!body) return false;
  const text = `${body.status || ""} ${body.message || ""}`;
  return /early termination|cancelled|revoked/i.test(text);
}
