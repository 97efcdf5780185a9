/**
 * Rotates the access key a profile keeps in the store: check the two-key
 * limit, create the new key, store it, prove it works, drop the sessions the
 * old key made, delete the old key. Any failure rolls back to where it
 * started: the new key deleted at IAM, the old one stored and live.
 *
 * Unlike aws-vault's rotate, the limit is checked before anything is made,
 * and a failed step never leaves the store holding a key IAM has deleted.
 */
import type { CallerIdentity, AwsCredentials } from "../aws/StsClient.ts";
import type { IamClient, NewAccessKey } from "../aws/IamClient.ts";
import { AwsmfaError, isAwsmfaError, redactKeyId } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import { parseStoredKeys, type SecretStore, type StoredKeys } from "../store/SecretStore.ts";
import { clearSessions } from "./sessionCache.ts";

export interface RotateDeps {
  readonly store: SecretStore;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
  /** IAM signed as the key's user (with an MFA session when the profile has one). */
  readonly iam: IamClient;
  /** GetCallerIdentity signed with the given keys. */
  readonly callerIdentity: (keys: AwsCredentials) => Promise<CallerIdentity>;
  readonly debug: (message: string) => void;
  /** Told about each step as it starts (stderr in the CLI). */
  readonly step?: (message: string) => void;
}

export interface RotateRequest {
  /** The store item holding the keys. */
  readonly profile: string;
  /** How often to try the new key before giving up (IAM is eventually consistent). Default 8. */
  readonly verifyAttempts?: number;
}

export interface RotateResult {
  readonly userName: string;
  readonly oldKeyId: string;
  readonly newKeyId: string;
  /** Profiles whose stored keys were the old key (all now hold the new one). */
  readonly profiles: readonly string[];
  /** Cached session names dropped. */
  readonly clearedSessions: readonly string[];
}

/** Waits between tries of the new key: 1, 2, 3, 4, 5, 5... seconds. */
const retryDelayMs = (attempt: number) => Math.min(5, attempt) * 1_000;

export async function rotateKeys(deps: RotateDeps, req: RotateRequest): Promise<RotateResult> {
  const { store, iam, debug } = deps;
  const step = deps.step ?? (() => undefined);
  const old = await storedKeys(store, req.profile);
  const oldId = old.accessKeyId;

  // 1. The two-key limit, before anything is made.
  const listed = await iam.listAccessKeys();
  const ids = listed.keys.map((k) => k.accessKeyId);
  if (!ids.includes(oldId)) {
    throw new AwsmfaError(
      "E_ROTATE_KEY_UNKNOWN",
      `rotate: IAM user '${listed.userName}' has no access key ${redactKeyId(oldId)}, the one profile '${req.profile}' holds.`,
      {
        hint: "The stored key may have been deleted already: store a working key with 'awsmfa add PROFILE --force'.",
      },
    );
  }
  if (ids.length >= 2) {
    const other = ids.find((id) => id !== oldId) ?? "";
    throw new AwsmfaError(
      "E_ROTATE_TWO_KEYS",
      `rotate: IAM user '${listed.userName}' has two access keys already (${redactKeyId(oldId)}, stored for '${req.profile}', and ${redactKeyId(other)}); IAM allows two, so no new one can be made.`,
      {
        hint: `If nothing uses ${redactKeyId(other)}, delete it ('aws iam delete-access-key --access-key-id' with the id ending in ${other.slice(-4)}), then run again. Nothing was changed.`,
      },
    );
  }
  const sharing = await profilesHolding(store, oldId);

  // 2. The new key.
  step(`creating a new access key for IAM user '${listed.userName}'`);
  const created = await iam.createAccessKey();
  debug(`created access key ${redactKeyId(created.accessKeyId)}`);
  const fresh: StoredKeys = {
    accessKeyId: created.accessKeyId,
    secretAccessKey: created.secretAccessKey,
    addedAt: new Date(deps.clock.now()).toISOString(),
  };

  const stored: string[] = [];
  try {
    // 3. Stored for every profile that held the old key.
    for (const name of sharing) {
      await store.set("keys", name, JSON.stringify(fresh));
      stored.push(name);
    }
    // 4. Proved: the new key signs as the same user.
    step(`checking the new key ${redactKeyId(created.accessKeyId)} works`);
    await prove(deps, created, listed.userName, req.verifyAttempts ?? 8);
  } catch (e) {
    throw await rollBack(deps, created, old, stored, e);
  }

  // 5. Sessions made with the old key go: they would outlive it otherwise.
  const clearedSessions: string[] = [];
  for (const name of sharing) clearedSessions.push(...(await clearSessions(store, name)));
  debug(`dropped ${String(clearedSessions.length)} cached session(s) made with the old key`);

  // 6. The old key goes last.
  step(`deleting the old access key ${redactKeyId(oldId)}`);
  try {
    await iam.deleteAccessKey(oldId);
  } catch (e) {
    throw await rollBack(deps, created, old, stored, e);
  }
  return {
    userName: listed.userName,
    oldKeyId: oldId,
    newKeyId: created.accessKeyId,
    profiles: sharing,
    clearedSessions,
  };
}

async function storedKeys(store: SecretStore, profile: string): Promise<StoredKeys> {
  const raw = await store.get("keys", profile);
  const keys = raw === undefined ? undefined : parseStoredKeys(raw);
  if (keys === undefined) {
    throw new AwsmfaError(
      "E_ROTATE_NO_KEYS",
      `rotate: profile '${profile}' has no ${raw === undefined ? "" : "readable "}keys in the store.`,
      { hint: "Only keys stored with 'awsmfa add' (or migrate) can be rotated." },
    );
  }
  return keys;
}

/** Every store item holding this access key id, the rotated profile among them. */
async function profilesHolding(store: SecretStore, accessKeyId: string): Promise<string[]> {
  const out: string[] = [];
  for (const ref of await store.list("keys")) {
    const raw = await store.get("keys", ref.name);
    if (raw !== undefined && parseStoredKeys(raw)?.accessKeyId === accessKeyId) out.push(ref.name);
  }
  return out;
}

/**
 * GetCallerIdentity with the new key until it answers as the user: a new
 * key can take seconds to be known everywhere at AWS. Retries only that
 * (an unknown key); any other failure is final.
 */
async function prove(
  deps: RotateDeps,
  key: NewAccessKey,
  userName: string,
  attempts: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const who = await deps.callerIdentity({
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
      });
      if (
        userName !== "" &&
        !who.arn.endsWith(`:user/${userName}`) &&
        !who.arn.endsWith(`/${userName}`)
      ) {
        throw new AwsmfaError(
          "E_ROTATE_WRONG_USER",
          `rotate: the new key signs as ${who.arn}, not as IAM user '${userName}'.`,
          {
            hint: "Check AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_IAM: they point at different accounts.",
          },
        );
      }
      return;
    } catch (e) {
      const unknownYet =
        isAwsmfaError(e) &&
        /InvalidClientTokenId|does not know the access key/.test(
          `${Reflect.get(e, "awsCode") ?? ""} ${e.message}`,
        );
      if (!unknownYet || attempt >= attempts) throw e;
      const wait = retryDelayMs(attempt);
      deps.debug(
        `the new key is not known to STS yet (try ${String(attempt)} of ${String(attempts)}); trying again in ${String(wait / 1000)} s`,
      );
      await deps.sleep(wait);
    }
  }
}

/**
 * Back to the start: the old key stored again, the new key deleted at IAM.
 * Returns the error to throw: the failure, with what was undone (or could
 * not be) ahead of its hint.
 */
async function rollBack(
  deps: RotateDeps,
  created: NewAccessKey,
  old: StoredKeys,
  stored: readonly string[],
  cause: unknown,
): Promise<AwsmfaError> {
  const left: string[] = [];
  for (const name of stored) {
    try {
      await deps.store.set("keys", name, JSON.stringify(old));
    } catch (e) {
      deps.debug(`rollback: could not store the old key for ${name} again: ${String(e)}`);
      left.push(
        `profile '${name}' holds the new key ${redactKeyId(created.accessKeyId)}, which is being deleted (store a working key with 'awsmfa add ${name} --force')`,
      );
    }
  }
  try {
    await deps.iam.deleteAccessKey(created.accessKeyId);
    deps.debug(`rollback: deleted the new key ${redactKeyId(created.accessKeyId)}`);
  } catch (e) {
    deps.debug(
      `rollback: could not delete the new key: ${isAwsmfaError(e) ? e.message : String(e)}`,
    );
    left.push(
      `the new key ${redactKeyId(created.accessKeyId)} still exists at IAM (delete it: 'aws iam delete-access-key' with the id ending in ${created.accessKeyId.slice(-4)})`,
    );
  }
  const undone =
    left.length === 0
      ? `Rolled back: the old key ${redactKeyId(old.accessKeyId)} is stored and active; the new one was deleted.`
      : `Rollback incomplete: ${left.join("; ")}.`;
  if (isAwsmfaError(cause)) {
    return new AwsmfaError(cause.code, cause.message, {
      hint: cause.hint === undefined ? undone : `${undone} ${cause.hint}`,
      exitCode: cause.exitCode,
      cause,
    });
  }
  const what = cause instanceof Error ? `${cause.name}: ${cause.message}` : "unknown error";
  return new AwsmfaError("E_ROTATE_FAILED", `rotate failed: ${what}.`, { hint: undone, cause });
}
