/**
 * The human summary of a migration (for stderr). Pure. Never shows key
 * material: access key ids arrive redacted, secrets never arrive.
 */
import type { MigrateOutcome, MigrateReport } from "./types.ts";

const LABEL: Readonly<Record<MigrateOutcome, string>> = {
  migrated: "migrated",
  "would-migrate": "would migrate",
  skipped: "skipped",
  refused: "refused",
  failed: "FAILED",
};

export function formatMigrateReport(
  report: MigrateReport,
  display: (path: string) => string = (p) => p,
): string {
  const { results } = report;
  if (results.length === 0) {
    return "Nothing to migrate: no profile has aws_access_key_id in the credentials or config file.\n";
  }
  let out = report.dryRun ? "Dry run: nothing was changed.\n" : "";
  const width = Math.max(...results.map((r) => r.profile.length));
  const labelWidth = Math.max(...results.map((r) => LABEL[r.outcome].length));
  for (const r of results) {
    let line = `  ${r.profile.padEnd(width)}  ${LABEL[r.outcome].padEnd(labelWidth)}`;
    if (r.outcome === "migrated" || r.outcome === "would-migrate") {
      line += `  ${r.accessKeyId ?? ""} from ${r.from ?? "?"} into the ${report.storeBackend} store`;
      if (r.notes.length > 0) line += `; ${r.notes.join("; ")}`;
    } else {
      const key = r.accessKeyId === undefined ? "" : `${r.accessKeyId}: `;
      line += `  ${key}${r.reason ?? ""}`;
    }
    out += `${line}\n`;
  }
  if (report.backups.length > 0) {
    out +=
      "Backups of the files as they were (they hold your keys in plain text: delete them once your tools work):\n";
    for (const b of report.backups) out += `  ${display(b)}\n`;
  }
  const counts = new Map<MigrateOutcome, number>();
  for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  const parts = [...counts].map(([o, n]) => `${String(n)} ${LABEL[o].toLowerCase()}`);
  out += `${parts.join(", ")}.\n`;
  return out;
}
