// The original StableConfigs example inputs (the repo's examples/, served at assets/examples/), with what each shows.
// Files are fetched from this same server when picked; nothing comes from the internet.

export const EXAMPLES = [
  { id: "basic", title: "Basic", tbn: "basic.txt",
    about: "Six monomers over two domains. Entropy 4." },
  { id: "and_gate", title: "AND gate (FREE output)", tbn: "and_gate.txt", constraints: "and_gate_constraints.txt",
    about: "A two-input AND gate; the constraint asks that the output strand be stably free. Entropy 5." },
  { id: "or_gate", title: "OR gate (FREE output1)", tbn: "or_gate.txt", constraints: "or_gate_constraints.txt",
    about: "Two AND gates sharing an output; entropy 10, still 10 with output1 free." },
  { id: "explicit_or", title: "Explicit OR (FREE output)", tbn: "explicit_or.txt",
    constraints: "explicit_or_constraints.txt", about: "An OR gate written out directly. Entropy 7." },
  { id: "two_and", title: "Two AND gates in series (FREE output2)", tbn: "two_and.txt",
    constraints: "two_and_constraints.txt", about: "Cascaded AND gates. Entropy 9." },
  { id: "strand_displacement", title: "Strand displacement", tbn: "strand_displacement.txt",
    about: "A strand-displacement cascade. Entropy 5." },
  { id: "stably_together", title: "Stably together (TOGETHER t2 t3)", tbn: "stably_together_example.txt",
    constraints: "stably_together_constraints.txt",
    about: "Entropy 3, but keeping t2 and t3 in one polymer costs a polymer: 2." },
  { id: "stably_free", title: "Stably free (FREE t1)", tbn: "stably_free_example.txt",
    constraints: "stably_free_constraints.txt", about: "Entropy 6, still 6 with t1 free." },
  { id: "gates_in_copies", title: "Gates in copies (FREE 1 V0, NOTFREE 1 V0)", tbn: "gates_in_copies.txt",
    constraints: "gates_in_copies_constraints.txt",
    about: "Monomers in copies, 2[... >V0]; counts of a type's copies: one gate by rows, one by columns. Entropy 6." },
  { id: "mistake_bad", title: "Mistake (TOGETHER m2 m3)", tbn: "mistake_bad.txt",
    constraints: "mistake_constraints.txt", about: "Entropy 3; forcing m2 and m3 together gives 2." },
  { id: "comment", title: "Comments", tbn: "comment.txt", about: "`#` starts a comment. Entropy 3." },
  { id: "one_site", title: "One site", tbn: "one_site.txt", about: "Entropy 2." },
  { id: "example", title: "Chain", tbn: "example.txt", about: "Everything binds into one polymer. Entropy 1." },
  { id: "tiny", title: "Tiny", tbn: "tiny.txt", about: "Entropy 1." },
  { id: "wraparound", title: "Wraparound sorting network (longer)", tbn: "wraparound_sorting_network.txt",
    about: "97 monomers; entropy 49. Takes a while: watch the progress." },
  { id: "exponential_tree", title: "Exponential tree (longer)", tbn: "exponential_tree.txt",
    about: "m[i] here are sites, not names. Entropy 1." },
  { id: "excess", title: "Excess monomers (StableTBN's two gates)", tbn: "tbn_gg_2g_with_cat_and_excess.txt",
    about: "inf[...] monomers are in excess. List all stable: 9 configurations of energy 6 (docs/energy.md)." },
  { id: "error", title: "Error: duplicate name", tbn: "error.txt", constraints: "error_constraints.txt",
    about: "Shows how input errors are reported: the name t2 is used twice." },
  { id: "classic", title: "Error: unknown name in constraint", tbn: "classic.txt",
    constraints: "classic_constraints.txt", about: "The constraint names mon1, which the TBN does not define." },
  { id: "empty", title: "Error: empty input", tbn: "empty.txt", about: "No monomers at all." },
];

/** Fetch an example's text files from this server. */
export async function loadExample(example) {
  const get = async (file) => {
    if (!file) return "";
    const response = await fetch(`assets/examples/${file}`, { cache: "no-cache" });
    if (!response.ok) throw new Error(`Could not load example file ${file} (HTTP ${response.status}).`);
    return response.text();
  };
  const [tbn, constraints] = await Promise.all([get(example.tbn), get(example.constraints)]);
  return { tbn, constraints };
}
