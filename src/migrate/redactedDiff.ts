/**
 * A unified diff of two versions of an AWS shared file, for
 * `awsmfa migrate --dry-run`, with every secret value redacted: a secret
 * access key, session token or external id shows as `****`, an access key
 * id as its last four characters. The redaction applies to every line shown
 * (removed, added and context), so a neighbouring profile's keys never leak.
 */
import { redactKeyId } from "../errors.ts";

/** Keys whose values are never shown, not even in part. */
const SECRET_KEYS = new Set([
  "aws_secret_access_key",
  "aws_session_token",
  "aws_security_token",
  "external_id",
]);

/** One line as shown: `key = value` lines with secret keys redacted. */
export function redactLine(line: string): string {
  // The key is what stands before the first '=' (as the SDK reads it);
  // a comment before it means the line is a comment, shown as written.
  // A commented-out key (`# aws_secret_access_key = ...`) is redacted too:
  // an old secret in a comment is still a secret.
  const eq = line.indexOf("=");
  if (eq <= 0) return line;
  const key = line
    .slice(0, eq)
    .replace(/^[\s;#]+/, "")
    .trim()
    .toLowerCase();
  const head = line.slice(0, eq + 1);
  const value = line
    .slice(eq + 1)
    .replace(/\s[;#].*$/, "")
    .trim();
  if (SECRET_KEYS.has(key)) return `${head} ****`;
  if (key === "aws_access_key_id") return `${head} ${redactKeyId(value)}`;
  return line;
}

interface Op {
  readonly kind: " " | "-" | "+";
  readonly text: string;
  /** 1-based line numbers in the old and new text (0 for lines not in that text). */
  readonly oldLine: number;
  readonly newLine: number;
}

function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  if (text === "") return { lines: [], finalNewline: true };
  const finalNewline = text.endsWith("\n");
  const body = finalNewline ? text.slice(0, -1) : text;
  // Line endings are part of the file but not of what a reader compares by eye.
  return { lines: body.split("\n").map((l) => l.replace(/\r$/, "")), finalNewline };
}

/** Longest-common-subsequence line diff (the files are small: a few hundred lines). */
function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j]: LCS length of a[i..] and b[j..]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] ?? [];
    const below = lcs[i + 1] ?? [];
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[i] === b[j] ? (below[j + 1] ?? 0) + 1 : Math.max(below[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ kind: " ", text: a[i] ?? "", oldLine: i + 1, newLine: j + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || (lcs[i]?.[j + 1] ?? 0) >= (lcs[i + 1]?.[j] ?? 0))) {
      ops.push({ kind: "+", text: b[j] ?? "", oldLine: 0, newLine: j + 1 });
      j++;
    } else {
      ops.push({ kind: "-", text: a[i] ?? "", oldLine: i + 1, newLine: 0 });
      i++;
    }
  }
  return ops;
}

/**
 * A unified diff (`--- label`, `+++ label`, `@@` hunks with `context` lines
 * around each change), secrets redacted; "" when the texts are equal.
 * A change in line endings only is not shown (migrate never makes one).
 */
export function redactedDiff(
  before: string,
  after: string,
  labels: { readonly before: string; readonly after: string },
  context = 2,
): string {
  if (before === after) return "";
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffOps(a.lines, b.lines);
  const changed = ops.map((o, k) => (o.kind === " " ? -1 : k)).filter((k) => k >= 0);
  if (changed.length === 0 && a.finalNewline === b.finalNewline) return "";
  let out = `--- ${labels.before}\n+++ ${labels.after}\n`;
  // Group changes whose context windows touch into one hunk.
  const hunks: { from: number; to: number }[] = [];
  for (const k of changed) {
    const from = Math.max(0, k - context);
    const to = Math.min(ops.length, k + context + 1);
    const last = hunks.at(-1);
    if (last !== undefined && from <= last.to) last.to = Math.max(last.to, to);
    else hunks.push({ from, to });
  }
  for (const h of hunks) {
    const slice = ops.slice(h.from, h.to);
    const oldCount = slice.filter((o) => o.kind !== "+").length;
    const newCount = slice.filter((o) => o.kind !== "-").length;
    const oldStart = slice.find((o) => o.kind !== "+")?.oldLine ?? 0;
    const newStart = slice.find((o) => o.kind !== "-")?.newLine ?? 0;
    out += `@@ -${String(oldStart)},${String(oldCount)} +${String(newStart)},${String(newCount)} @@\n`;
    for (const o of slice) {
      out += `${o.kind}${redactLine(o.text)}\n`;
      const lastOld = o.kind !== "+" && o.oldLine === a.lines.length && !a.finalNewline;
      const lastNew = o.kind !== "-" && o.newLine === b.lines.length && !b.finalNewline;
      if (lastOld || lastNew) out += "\\ No newline at end of file\n";
    }
  }
  return out;
}
