/**
 * `awsmfa migrate`: moves long-term keys written in plain text in the shared
 * credentials file (or the config file) into the secret store, and points
 * the profile at awsmfa with a credential_process line, so every tool that
 * reads the profile keeps working.
 *
 * planMigration reads, checks and rehearses (changes nothing; --dry-run
 * stops there); applyMigration backs up, stores and edits, in the order that
 * leaves working credentials behind whatever step fails.
 *
 * No process access: paths, store, clock and the credential_process line
 * come in through the input.
 */
import { applyMigration } from "./applyMigration.ts";
import { doneResult, orderResults } from "./migrateResults.ts";
import { planMigration } from "./planMigration.ts";
import type { MigrateInput, MigrateReport, MigrateResult } from "./types.ts";

export async function migrateKeys(input: MigrateInput): Promise<MigrateReport> {
  const plan = await planMigration(input);
  const report = (
    results: readonly MigrateResult[],
    backups: readonly string[],
    diff: string,
  ): MigrateReport => ({
    dryRun: input.dryRun,
    storeBackend: input.store.backend,
    results: orderResults([...plan.results, ...results], input, plan.found),
    backups,
    diff,
  });

  if (input.dryRun || plan.ready.length === 0) {
    return report(
      plan.ready.map((c) => doneResult(c, "would-migrate")),
      [],
      plan.diff,
    );
  }
  const applied = await applyMigration(plan.ready, input);
  return report(applied.results, applied.backups, "");
}
