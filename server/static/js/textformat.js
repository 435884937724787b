// The TBN / constraints text format, reduced to what the API wants: lists of tokens.
// One line = one monomer (or one constraint); `#` starts a comment; blank lines are skipped;
// tokens are separated by whitespace. We keep the editor line of every list so that an error
// about "monomer 3" can be pointed at the line the user actually typed.

/**
 * Split editor text into token lists.
 * @param {string} text
 * @returns {{lists: string[][], lines: number[]}} lines[i] is the 1-based editor line of lists[i]
 */
export function tokenize(text) {
  const lists = [];
  const lines = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const hash = raw.indexOf("#");
    const code = hash >= 0 ? raw.slice(0, hash) : raw;
    const tokens = code.split(/\s+/).filter((t) => t.length > 0);
    if (tokens.length > 0) {
      lists.push(tokens);
      lines.push(index + 1);
    }
  });
  return { lists, lines };
}

/**
 * Split one site token like `b*:s1` into its parts.
 * @param {string} token
 * @returns {{domain: string, starred: boolean, label: string|null}}
 */
export function parseSite(token) {
  const colon = token.indexOf(":");
  const body = colon >= 0 ? token.slice(0, colon) : token;
  const label = colon >= 0 ? token.slice(colon + 1) : null;
  const starred = body.endsWith("*");
  return { domain: starred ? body.slice(0, -1) : body, starred, label };
}

/**
 * Split a monomer's tokens into its name (`>m1`) and its site tokens; a line `n[...]` / `inf[...]`
 * gives the tokens inside the brackets (`excess` for `inf[`).
 * @param {string[]} tokens
 * @returns {{name: string|null, sites: string[], excess: boolean}}
 */
export function splitMonomer(tokens) {
  let name = null;
  const sites = [];
  const counted = tokens.length > 0 && /^(inf|\d*)\[/.test(tokens[0]) && tokens[tokens.length - 1].endsWith("]");
  const excess = counted && tokens[0].startsWith("inf[");
  if (counted) {  // a whole line n[...] or inf[...]: the tokens inside the brackets
    tokens = tokens.map((t, i) => (i === 0 ? t.replace(/^(inf|\d*)\[/, "") : t));
    tokens[tokens.length - 1] = tokens[tokens.length - 1].slice(0, -1);
    tokens = tokens.filter((t) => t.length > 0);
  }
  for (const token of tokens) {
    if (token.startsWith(">")) name = token.slice(1);
    else sites.push(token);
  }
  return { name, sites, excess };
}

/** The identity of a monomer's sites regardless of order and labels (labels never reach results). */
export function siteKey(sites) {
  return sites
    .map((s) => {
      const p = parseSite(s);
      return p.domain + (p.starred ? "*" : "");
    })
    .sort()
    .join(" ");
}
