// Shareable links: the page's state (TBN, constraints, options, check text) in the URL's fragment,
// so opening the link restores it. The fragment never reaches the server, so its length only meets
// the browser's limit; it is deflated and base64url-encoded where the browser can (CompressionStream),
// else plain URL-encoded JSON. Links of the original's stablegen.net, `?input=<TBN text>`, open too.

const PACKED = "z="; // #z=<base64url(deflate-raw(JSON))>
const PLAIN = "j="; // #j=<encodeURIComponent(JSON)>

/** The fragment (without '#') that holds ``state``, an object of strings. */
export async function encodeState(state) {
  const json = JSON.stringify(state);
  if (typeof CompressionStream !== "function") return PLAIN + encodeURIComponent(json);
  const bytes = await transform(new TextEncoder().encode(json), new CompressionStream("deflate-raw"));
  return PACKED + toBase64Url(bytes);
}

/**
 * The state a URL carries, or null when it carries none. A fragment that cannot be read throws.
 * @param {Location|URL} where
 * @returns {Promise<object|null>}
 */
export async function decodeLocation(where) {
  const fragment = where.hash.replace(/^#/, "");
  if (fragment.startsWith(PACKED)) {
    const bytes = await transform(fromBase64Url(fragment.slice(PACKED.length)), new DecompressionStream("deflate-raw"));
    return checked(JSON.parse(new TextDecoder().decode(bytes)));
  }
  if (fragment.startsWith(PLAIN)) return checked(JSON.parse(decodeURIComponent(fragment.slice(PLAIN.length))));
  const query = new URLSearchParams(where.search);
  const fromFragment = new URLSearchParams(fragment);
  const input = query.get("input") ?? fromFragment.get("input");
  if (input === null) return null;
  const state = { tbn: input };
  const constraints = query.get("constraints") ?? fromFragment.get("constraints");
  if (constraints !== null) state.constraints = constraints;
  return state;
}

/** Only string fields: a link is data, and nothing else in it is used. */
function checked(state) {
  if (!state || typeof state !== "object" || Array.isArray(state)) throw new Error("the link holds no page state");
  return Object.fromEntries(Object.entries(state).filter(([, v]) => typeof v === "string"));
}

async function transform(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
