// Find which editor line an error message is about.
// The page sends token lists, so a server message that says "line 3" (or "monomer 3",
// "constraint 3") counts non-blank, non-comment lines; we map that back to the line in the editor.
// The request validator's "monomers[2]" is a 0-based index into the same lists.
// Messages that name a token instead (a duplicate name, an unknown name) are located by searching.

/**
 * @param {string} message
 * @param {{tbn: {lists: string[][], lines: number[]}, constraints: {lists: string[][], lines: number[]}}} sent
 * @returns {{editor: "tbn"|"constraints"|"check", line: number}|null}
 */
export function locateError(message, sent) {
  if (!message) return null;
  // The check box's text is sent as it is, so "check, line 3" is line 3 of that editor.
  const checked = sent.check !== undefined && message.match(/\bcheck, line (\d+)\b/);
  if (checked) return { editor: "check", line: Number(checked[1]) };
  // The library prefixes parse errors with their source: "monomers, line 4: ..." / "constraints, line 1: ...".
  const sourced = message.match(/^(monomers|constraints), line (\d+)\b/);
  if (sourced) {
    const which = sourced[1] === "monomers" ? "tbn" : "constraints";
    const index = Number(sourced[2]);
    const lines = sent[which].lines;
    if (index >= 1 && index <= lines.length) return { editor: which, line: lines[index - 1] };
  }
  const aboutConstraints = /constraint/i.test(message);
  const editor = aboutConstraints ? "constraints" : "tbn";
  const indexed = message.match(/\b(monomers|constraints)\[(\d+)\]/);
  if (indexed) {
    const which = indexed[1] === "monomers" ? "tbn" : "constraints";
    const lines = sent[which].lines;
    const index = Number(indexed[2]);
    if (index < lines.length) return { editor: which, line: lines[index] };
  }
  const numbered = message.match(/\b(?:line|monomer|constraint)\s*#?\s*\[?(\d+)\]?/i);
  if (numbered) {
    const index = Number(numbered[1]);
    const lines = sent[editor].lines;
    if (index >= 1 && index <= lines.length) return { editor, line: lines[index - 1] };
  }
  for (const token of quotedTokens(message)) {
    const found = findToken(token, sent, aboutConstraints);
    if (found) return found;
  }
  return null;
}

/** Tokens a message quotes: [x], `x`, 'x' or "x". */
function quotedTokens(message) {
  const tokens = [];
  for (const m of message.matchAll(/\[([^\]\s]+)\]|`([^`\s]+)`|'([^'\s]+)'|"([^"\s]+)"/g)) {
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return tokens;
}

/** The line a quoted token points at: the last `>name` definition (a duplicate) or a constraint/site use. */
function findToken(token, sent, preferConstraints) {
  const bare = token.replace(/^>/, "");
  const nameHits = sent.tbn.lists
    .map((tokens, i) => (tokens.includes(`>${bare}`) ? sent.tbn.lines[i] : 0))
    .filter(Boolean);
  const constraintHits = sent.constraints.lists
    .map((tokens, i) => (tokens.slice(1).includes(bare) ? sent.constraints.lines[i] : 0))
    .filter(Boolean);
  const siteHits = sent.tbn.lists
    .map((tokens, i) => (tokens.some((t) => t === token || t.split(":")[0] === token) ? sent.tbn.lines[i] : 0))
    .filter(Boolean);
  if (preferConstraints && constraintHits.length) return { editor: "constraints", line: constraintHits[0] };
  if (nameHits.length > 1) return { editor: "tbn", line: nameHits[nameHits.length - 1] };
  if (constraintHits.length) return { editor: "constraints", line: constraintHits[0] };
  if (nameHits.length) return { editor: "tbn", line: nameHits[0] };
  if (siteHits.length) return { editor: "tbn", line: siteHits[0] };
  return null;
}
