/**
 * "Did you mean ...?" for names a user typed: profiles, commands, options.
 * Closeness is the edit distance (insertions, deletions, substitutions, and
 * swaps of two neighbouring characters, the commonest typo).
 */

/** The candidates nearest to word, if near enough to be a typo of it (at most three, best first). */
export function nearest(word: string, candidates: Iterable<string>): string[] {
  // Up to a third of the word may be wrong, at least one character, at most three.
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  const scored: { name: string; d: number }[] = [];
  for (const name of new Set(candidates)) {
    if (name === word) continue;
    const d = editDistance(word.toLowerCase(), name.toLowerCase());
    if (d <= limit) scored.push({ name, d });
  }
  scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
  const best = scored[0]?.d;
  return scored
    .filter((s) => s.d === best)
    .slice(0, 3)
    .map((s) => s.name);
}

/** "Did you mean 'alice'?" / "Did you mean 'dev' or 'dev2'?", or undefined when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const near = nearest(word, candidates).map((n) => `'${n}'`);
  if (near.length === 0) return undefined;
  const last = near.pop() ?? "";
  return `Did you mean ${near.length === 0 ? last : `${near.join(", ")} or ${last}`}?`;
}

/** Optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const prev = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}
