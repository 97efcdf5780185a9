/**
 * The per-profile results of a migration and their order in the report.
 * Pure. Access key ids leave here redacted; secrets never.
 */
import { isAwsmfaError, redactKeyId } from "../errors.ts";
import type { PlainKeys } from "./findPlainKeys.ts";
import type { Candidate, MigrateInput, MigrateResult } from "./types.ts";

/** An error's text for a result's reason. */
export function errorText(e: unknown): string {
  if (isAwsmfaError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export function doneResult(c: Candidate, outcome: "migrated" | "would-migrate"): MigrateResult {
  const notes = [...c.notes];
  if (!c.keepCredentialProcess) notes.push("credential_process added to the config");
  return {
    profile: c.profile,
    outcome,
    accessKeyId: redactKeyId(c.accessKeyId),
    from: c.from,
    notes,
  };
}

export function refusedResult(c: Candidate, reason: string): MigrateResult {
  return {
    profile: c.profile,
    outcome: "refused",
    accessKeyId: redactKeyId(c.accessKeyId),
    from: c.from,
    reason,
    notes: [],
  };
}

export function failedResult(c: Candidate, reason: string): MigrateResult {
  return { ...refusedResult(c, reason), outcome: "failed" };
}

export function changedMeanwhileResult(
  c: Candidate,
  label: string,
  backend: string,
): MigrateResult {
  return failedResult(
    c,
    `its keys in ${label} changed while migrating; left that file as it is (the keys read before are in the ${backend} store). Run 'awsmfa migrate' again`,
  );
}

/** Results in the order the profiles were asked for, else in file order. */
export function orderResults(
  results: readonly MigrateResult[],
  input: Pick<MigrateInput, "profiles">,
  found: readonly PlainKeys[],
): MigrateResult[] {
  const names = input.profiles.length > 0 ? [...input.profiles] : found.map((p) => p.profile);
  const rank = (r: MigrateResult) => {
    const i = names.indexOf(r.profile);
    return i < 0 ? names.length : i;
  };
  return [...results].sort((a, b) => rank(a) - rank(b));
}
