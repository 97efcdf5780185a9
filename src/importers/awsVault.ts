/**
 * `awsmfa import aws-vault`: copies long-term keys (never sessions) from
 * aws-vault's stores into ours. Nothing is deleted from aws-vault's store.
 *
 * Facts about aws-vault's storage (99designs/aws-vault + 99designs/keyring):
 * - one item per key; long-term keys are named after the profile; session
 *   items are "session,<b64 profile>,<b64 mfa serial>,<unix expiry>" (older:
 *   "session:...", "<p> session (<n>)"), OIDC tokens "oidc:<start url>";
 * - the item's data is the JSON of Go's credentials struct: AccessKeyID,
 *   SecretAccessKey, SessionToken, ... ;
 * - file backend: one JWE per item in ~/.awsvault/keys/ (AWS_VAULT_FILE_DIR),
 *   file name = key with "%" and "/" percent-encoded, payload = JSON of the
 *   keyring item {Key, Data (base64), Label, ...}; passphrase from
 *   AWS_VAULT_FILE_PASSPHRASE or a prompt;
 * - pass backend: `pass show <AWS_VAULT_PASS_PREFIX>/<key>` in
 *   AWS_VAULT_PASS_PASSWORD_STORE_DIR (default ~/.password-store), same item JSON;
 * - secret-service backend: collection "awsvault"
 *   (AWS_VAULT_SECRET_SERVICE_COLLECTION_NAME), item label = key, attribute
 *   profile = key, secret = the same item JSON.
 */
import { AwsmfaError, redactKeyId } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import type { Env } from "../platform/env.ts";
import type { SecretStore, StoredKeys } from "../store/SecretStore.ts";
import { fileSource } from "./awsVault/fileSource.ts";
import { passSource } from "./awsVault/passSource.ts";
import { secretServiceSource } from "./awsVault/secretServiceSource.ts";
import type { Source } from "./awsVault/Source.ts";

export type AwsVaultSourceName = "file" | "keychain" | "secret-service" | "kwallet" | "pass";
export const AWS_VAULT_SOURCES: readonly AwsVaultSourceName[] = [
  "file",
  "keychain",
  "secret-service",
  "kwallet",
  "pass",
];

export interface ImportFromAwsVaultInput {
  readonly from: AwsVaultSourceName;
  /** Profiles to import; empty: every long-term key found. */
  readonly profiles: readonly string[];
  readonly dryRun: boolean;
  readonly env: Env;
  readonly homedir: string;
  /** Where the keys go. */
  readonly store: SecretStore;
  /** Asked (once) for the file backend's passphrase when AWS_VAULT_FILE_PASSPHRASE is unset. */
  readonly passphrase: (prompt: string) => Promise<string>;
  /** Stamps addedAt on imported keys. */
  readonly clock: Clock;
  /** Bound on each external command (pass, secret-tool, dbus-send). Default 30 s. */
  readonly timeoutMs?: number;
}

export type ImportOutcome = "imported" | "would-import" | "skipped" | "failed";

export interface ImportResult {
  readonly profile: string;
  readonly outcome: ImportOutcome;
  /** Redacted (last four characters) when known. */
  readonly accessKeyId?: string;
  /** Why it was skipped or failed. */
  readonly reason?: string;
}

export interface ImportSummary {
  readonly from: AwsVaultSourceName;
  /** Where we read from, for the user (a directory, a pass prefix, a collection). */
  readonly location: string;
  readonly dryRun: boolean;
  readonly results: readonly ImportResult[];
}

const OLD_SESSION_PATTERNS = [
  /^session,[^,]+,[^,]*,[0-9]{2,}$/,
  /^session:[^ ]+:[^ ]*:[^:]+$/,
  /^.+? session \(\d+\)$/,
];
const SESSION_PATTERN = /^[^,]+,[^,]+,[^,]*,[0-9]+$/;

/** A session or OIDC token item of aws-vault, not long-term keys. */
export function isAwsVaultNonKeyItem(key: string): boolean {
  return (
    key.startsWith("oidc:") ||
    SESSION_PATTERN.test(key) ||
    OLD_SESSION_PATTERNS.some((p) => p.test(key))
  );
}

function unsupported(from: AwsVaultSourceName): AwsmfaError {
  return new AwsmfaError(
    "E_IMPORT_UNSUPPORTED",
    `Importing from aws-vault's ${from} backend is not supported yet.`,
    {
      hint: `Copy each profile through the environment instead: aws-vault --backend ${from} exec --no-session PROFILE -- awsmfa add PROFILE --env`,
    },
  );
}

/** Parses aws-vault's credentials JSON (aws-sdk-go v1 Value and v2 Credentials both work). */
function parseCredentials(
  data: Buffer,
): { accessKeyId: string; secretAccessKey: string; sessionToken: string } | undefined {
  let v: unknown;
  try {
    v = JSON.parse(data.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof v !== "object" || v === null) return undefined;
  const rec: Record<string, unknown> = { ...v };
  const id = rec.AccessKeyID;
  const secret = rec.SecretAccessKey;
  if (typeof id !== "string" || typeof secret !== "string" || id === "" || secret === "")
    return undefined;
  const token = typeof rec.SessionToken === "string" ? rec.SessionToken : "";
  return { accessKeyId: id, secretAccessKey: secret, sessionToken: token };
}

export async function importFromAwsVault(input: ImportFromAwsVaultInput): Promise<ImportSummary> {
  const timeoutMs = input.timeoutMs ?? 30_000;
  let source: Source;
  switch (input.from) {
    case "file":
      source = fileSource(input);
      break;
    case "pass":
      source = passSource(input, timeoutMs);
      break;
    case "secret-service":
      source = secretServiceSource(input, timeoutMs);
      break;
    case "keychain":
    case "kwallet":
      throw unsupported(input.from);
  }

  const all = await source.keys();
  const keyNames = all.filter((k) => !isAwsVaultNonKeyItem(k));
  const wanted = input.profiles.length > 0 ? [...new Set(input.profiles)] : keyNames.sort();
  const results: ImportResult[] = [];
  for (const profile of wanted) {
    if (!keyNames.includes(profile)) {
      results.push({
        profile,
        outcome: "failed",
        reason: `no long-term keys for it in ${source.location}`,
      });
      continue;
    }
    if ((await input.store.get("keys", profile)) !== undefined) {
      results.push({
        profile,
        outcome: "skipped",
        reason: `already in the ${input.store.backend} store`,
      });
      continue;
    }
    let creds;
    try {
      creds = parseCredentials(await source.read(profile));
    } catch (e) {
      // A wrong passphrase fails every item alike: stop and say so once.
      if (e instanceof AwsmfaError && e.code === "E_IMPORT_PASSPHRASE") throw e;
      const reason = e instanceof AwsmfaError ? e.message : `could not read it: ${String(e)}`;
      results.push({ profile, outcome: "failed", reason });
      continue;
    }
    if (creds === undefined) {
      results.push({ profile, outcome: "skipped", reason: "not an aws-vault credentials item" });
      continue;
    }
    const accessKeyId = redactKeyId(creds.accessKeyId);
    if (creds.sessionToken !== "") {
      results.push({
        profile,
        outcome: "skipped",
        accessKeyId,
        reason: "temporary credentials (has a session token), not long-term keys",
      });
      continue;
    }
    if (input.dryRun) {
      results.push({ profile, outcome: "would-import", accessKeyId });
      continue;
    }
    const keys: StoredKeys = {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      addedAt: new Date(input.clock.now()).toISOString(),
    };
    await input.store.set("keys", profile, JSON.stringify(keys));
    results.push({ profile, outcome: "imported", accessKeyId });
  }
  return { from: input.from, location: source.location, dryRun: input.dryRun, results };
}
