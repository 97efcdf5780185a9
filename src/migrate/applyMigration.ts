/**
 * The second half of `awsmfa migrate`, in the order that leaves working
 * credentials behind whatever step fails (see README.md):
 *   1. back up both files (0600); a failure takes the backups back;
 *   2. store the keys, read them back and compare; a mismatch puts the
 *      store back as it was;
 *   3. edit the config file: add credential_process (and remove key lines
 *      written in the config file itself, in the same atomic write);
 *   4. edit the credentials file: remove the key lines.
 * Between 3 and 4 the keys are in both places; the AWS SDKs and CLI prefer
 * static keys over credential_process, so tools still use the file's keys.
 */
import { rm } from "node:fs/promises";
import { editIniFile } from "../config/editFile.ts";
import { AwsmfaError } from "../errors.ts";
import { parseStoredKeys, type StoredKeys } from "../store/SecretStore.ts";
import { backupFile } from "./backupFile.ts";
import { changedMeanwhileResult, doneResult, errorText, failedResult } from "./migrateResults.ts";
import { applyEdits, editConfig, editCredentials } from "./migrationEdits.ts";
import { sameSecret } from "./sameSecret.ts";
import type { Candidate, MigrateInput, MigrateResult } from "./types.ts";

export interface AppliedMigration {
  /** One result per candidate: migrated or failed (with the state it was left in). */
  readonly results: readonly MigrateResult[];
  /** Backup files kept (absolute paths); none when no file was to change. */
  readonly backups: readonly string[];
}

/** Throws, with nothing changed, only when a backup cannot be made. */
export async function applyMigration(
  ready: readonly Candidate[],
  input: MigrateInput,
): Promise<AppliedMigration> {
  const results: MigrateResult[] = [];

  // 1. Backups, before anything changes (the store included: --force may
  // replace keys there). A failure here throws with nothing changed, and
  // takes back the backup already made: no stray plain-text copy.
  const backups: string[] = [];
  try {
    for (const [path, label] of [
      [input.credentialsFile, input.credentialsLabel],
      [input.configFile, input.configLabel],
    ] as const) {
      const b = await backupFile(path, label, input.clock.now());
      if (b !== undefined) backups.push(b.path);
    }
  } catch (e) {
    await removeBackups(backups);
    throw e;
  }

  // 2. Store, read back, compare. Nothing in the files changes yet.
  const stored: Candidate[] = [];
  for (const c of ready) {
    try {
      await storeAndVerify(c, input);
      stored.push(c);
    } catch (e) {
      results.push(
        failedResult(
          c,
          `could not store its keys in the ${input.store.backend} store: ${errorText(e)}; nothing was changed in the files`,
        ),
      );
    }
  }

  // No file edit follows: the backups would only be one more plain-text
  // copy of keys the files still hold.
  if (stored.length === 0) {
    await removeBackups(backups);
    return { results, backups: [] };
  }

  // 3. Config: add credential_process (and drop key lines written there).
  let inConfig: Candidate[] = stored;
  try {
    // editIniFile would create a missing file even for no change: only call it with work to do.
    const needed = stored.some((c) => c.inConfig || !c.keepCredentialProcess);
    const { result } = !needed
      ? { result: { ok: stored, changed: [] } }
      : await editIniFile(
          input.configFile,
          (doc) =>
            applyEdits(doc, "config", stored, (d, c) => {
              editConfig(d, c, input);
            }),
          { label: input.configLabel },
        );
    for (const c of result.changed) {
      results.push(changedMeanwhileResult(c, input.configLabel, input.store.backend));
    }
    inConfig = result.ok;
  } catch (e) {
    for (const c of stored) {
      results.push(
        failedResult(
          c,
          `its keys are in the ${input.store.backend} store, but ${input.configLabel} could not be edited (${errorText(e)}); the keys are still in the file, so your tools work as before. Fix that and run 'awsmfa migrate' again`,
        ),
      );
    }
    return { results, backups };
  }

  // 4. Credentials: remove the key lines.
  try {
    const needed = inConfig.some((c) => c.inCredentials);
    const { result } = !needed
      ? { result: { ok: inConfig, changed: [] } }
      : await editIniFile(
          input.credentialsFile,
          (doc) => applyEdits(doc, "credentials", inConfig, editCredentials),
          { label: input.credentialsLabel },
        );
    for (const c of result.changed) {
      results.push(changedMeanwhileResult(c, input.credentialsLabel, input.store.backend));
    }
    for (const c of result.ok) results.push(doneResult(c, "migrated"));
  } catch (e) {
    for (const c of inConfig) {
      results.push(
        failedResult(
          c,
          `its keys are in the ${input.store.backend} store and ${input.configLabel} points at awsmfa, but the key lines could not be removed from ${input.credentialsLabel} (${errorText(e)}); your tools still use the keys in the file. Fix that and run 'awsmfa migrate' again`,
        ),
      );
    }
  }
  return { results, backups };
}

async function removeBackups(backups: readonly string[]): Promise<void> {
  for (const b of backups) await rm(b, { force: true });
}

/** Step 2 for one profile, with its rollback: on a mismatch the store is put back as it was. */
async function storeAndVerify(c: Candidate, input: MigrateInput): Promise<void> {
  const previous = c.stored === "none" ? undefined : await input.store.get("keys", c.profile);
  if (c.stored !== "same") {
    const keys: StoredKeys = {
      accessKeyId: c.accessKeyId,
      secretAccessKey: c.secretAccessKey,
      addedAt: new Date(input.clock.now()).toISOString(),
    };
    await input.store.set("keys", c.profile, JSON.stringify(keys));
  }
  const back = await input.store.get("keys", c.profile);
  const parsed = back === undefined ? undefined : parseStoredKeys(back);
  const ok =
    parsed !== undefined &&
    parsed.accessKeyId === c.accessKeyId &&
    sameSecret(parsed.secretAccessKey, c.secretAccessKey);
  if (ok) return;
  // Put the store back as it was, so a later run starts from the same place.
  if (previous === undefined) await input.store.remove("keys", c.profile).catch(() => false);
  else await input.store.set("keys", c.profile, previous).catch(() => undefined);
  throw new AwsmfaError(
    "E_MIGRATE_VERIFY",
    "the keys read back from the store differ from what was written",
  );
}
