/**
 * `awsmfa migrate`: moves long-term keys written in plain text in the shared
 * credentials file (or the config file) into the secret store, and points
 * the profile at awsmfa with a credential_process line, so every tool that
 * reads the profile keeps working.
 *
 * Order of operations, chosen so that a failure at any step leaves working
 * credentials behind (see README.md for the reasoning per step):
 *   1. back up both files (0600);
 *   2. store the keys, read them back and compare;
 *   3. edit the config file: add credential_process (and remove key lines
 *      written in the config file itself, in the same atomic write);
 *   4. edit the credentials file: remove the key lines.
 * Between 3 and 4 the keys are in both places; the AWS SDKs and CLI prefer
 * static keys over credential_process, so tools still use the file's keys.
 *
 * No process access: paths, store, clock and the credential_process line
 * come in through the input.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { rm } from "node:fs/promises";
import { buildAwsConfig } from "../config/buildAwsConfig.ts";
import { editIniFile } from "../config/editFile.ts";
import { parseIni, type IniDocument } from "../config/IniDocument.ts";
import { readConfigText } from "../config/loadAwsConfig.ts";
import type { AwsConfig } from "../config/types.ts";
import { planCredentials } from "../credentials/getCredentials.ts";
import type { Env } from "../credentials/types.ts";
import { AwsmfaError, isAwsmfaError, redactKeyId } from "../errors.ts";
import type { Clock } from "../platform/clock.ts";
import { parseStoredKeys, type SecretStore, type StoredKeys } from "../store/SecretStore.ts";
import { backupFile } from "./backupFile.ts";
import { callsAwsmfaFor } from "./credentialProcessLine.ts";
import {
  effectiveSetting,
  fileKeys,
  findPlainKeys,
  KEY_ID,
  SECRET,
  STATIC_KEY_NAMES,
  type FileKeys,
  type PlainKeys,
} from "./findPlainKeys.ts";
import { redactedDiff } from "./redactedDiff.ts";

export interface MigrateInput {
  readonly configFile: string;
  readonly credentialsFile: string;
  /** How the files are named in messages (`~/.aws/config`). */
  readonly configLabel: string;
  readonly credentialsLabel: string;
  /** Profiles to migrate; empty: every profile with keys in plain text. */
  readonly profiles: readonly string[];
  readonly dryRun: boolean;
  /** Replace different keys already stored for a profile with the file's. */
  readonly force: boolean;
  readonly store: SecretStore;
  readonly clock: Clock;
  /** The environment the credential_process will run with (AWSMFA_*, AWS_*). */
  readonly env: Env;
  /** The credential_process command line for a profile. */
  readonly credentialProcess: (profile: string) => string;
}

/**
 * migrated: keys in the store, removed from the files, profile points at awsmfa.
 * would-migrate: the same, under --dry-run.
 * skipped: nothing to do on purpose (temporary credentials).
 * refused: left as it was because moving the keys could break or lose something; the reason says what to do.
 * failed: an attempt went wrong; the reason says what state it was left in.
 */
export type MigrateOutcome = "migrated" | "would-migrate" | "skipped" | "refused" | "failed";

export interface MigrateResult {
  readonly profile: string;
  readonly outcome: MigrateOutcome;
  /** Redacted (last four characters). */
  readonly accessKeyId?: string;
  /** Where the key id was read (`~/.aws/credentials:3`). */
  readonly from?: string;
  readonly reason?: string;
  /** What else was done or noticed (already stored, credential_process kept, ...). */
  readonly notes: readonly string[];
}

export interface MigrateReport {
  readonly dryRun: boolean;
  readonly storeBackend: string;
  readonly results: readonly MigrateResult[];
  /** Backup files written (absolute paths). */
  readonly backups: readonly string[];
  /** The redacted unified diff of both files (what was or would be changed); "" when none. */
  readonly diff: string;
}

/** A profile that passed every check and will be moved. */
interface Candidate {
  readonly profile: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly from: string;
  readonly inCredentials: boolean;
  readonly inConfig: boolean;
  /** Its credential_process already calls awsmfa for it: keep that line. */
  readonly keepCredentialProcess: boolean;
  /** What the store holds for it now. */
  readonly stored: "none" | "same" | { readonly replace: string };
  readonly notes: string[];
}

/**
 * Settings that make the AWS tools do something other than use the
 * profile's static keys once those leave the file (see README.md).
 */
const CONFLICTING_SETTINGS: readonly { key: string; why: string }[] = [
  {
    key: "role_arn",
    why: "the AWS tools would assume its role where they used its keys (or, with source_profile = itself, refuse the profile) once the keys leave the file",
  },
  {
    key: "credential_source",
    why: "it takes credentials from credential_source, not from its keys",
  },
  {
    key: "web_identity_token_file",
    why: "it takes credentials from web_identity_token_file, not from its keys",
  },
  { key: "sso_session", why: "it uses IAM Identity Center (sso_session)" },
  { key: "sso_start_url", why: "it uses IAM Identity Center (sso_start_url)" },
];

function sameSecret(a: string, b: string): boolean {
  // Hash first so lengths leak nothing and timingSafeEqual gets equal sizes.
  const h = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}

function message(e: unknown): string {
  if (isAwsmfaError(e)) return e.message;
  return e instanceof Error ? e.message : String(e);
}

export async function migrateKeys(input: MigrateInput): Promise<MigrateReport> {
  // Parse both files first: a malformed file stops everything before any change.
  const configText = await readConfigText(input.configFile, input.configLabel);
  const credentialsText = await readConfigText(input.credentialsFile, input.credentialsLabel);
  const configDoc = parseIni(configText, input.configLabel);
  const credentialsDoc = parseIni(credentialsText, input.credentialsLabel);

  const results: MigrateResult[] = [];
  const found = findPlainKeys(configDoc, credentialsDoc);
  let wanted: PlainKeys[] = found;
  if (input.profiles.length > 0) {
    const names = [...new Set(input.profiles)];
    wanted = [];
    for (const name of names) {
      const f = found.find((p) => p.profile === name);
      if (f !== undefined) wanted.push(f);
      else {
        results.push({
          profile: name,
          outcome: "failed",
          reason: `no aws_access_key_id for it in ${input.credentialsLabel} or ${input.configLabel}`,
          notes: [],
        });
      }
    }
  }

  const awsConfig = buildAwsConfig({
    configFile: input.configFile,
    credentialsFile: input.credentialsFile,
    configDoc,
    credentialsDoc,
  });
  const candidates: Candidate[] = [];
  for (const p of wanted) {
    const checked = await check(p, configDoc, credentialsDoc, awsConfig, input);
    if ("outcome" in checked) results.push(checked);
    else candidates.push(checked);
  }

  // Rehearse the edits on in-memory copies: a profile whose edit the
  // document refuses (a name that cannot be a config section) is refused
  // before anything is stored. The rehearsal is also the --dry-run diff.
  const planConfig = parseIni(configText, input.configLabel);
  const planCredentials = parseIni(credentialsText, input.credentialsLabel);
  const ready: Candidate[] = [];
  for (const c of candidates) {
    try {
      editConfig(planConfig, c, input);
      editCredentials(planCredentials, c);
      ready.push(c);
    } catch (e) {
      results.push(refused(c, `the config file cannot be edited for it: ${message(e)}`));
    }
  }
  const diffOf = (config: string, credentials: string) =>
    redactedDiff(configText, config, { before: input.configLabel, after: input.configLabel }) +
    redactedDiff(credentialsText, credentials, {
      before: input.credentialsLabel,
      after: input.credentialsLabel,
    });
  const report = (backups: string[], diff: string): MigrateReport => ({
    dryRun: input.dryRun,
    storeBackend: input.store.backend,
    results: order(results, input, found),
    backups,
    diff,
  });

  if (input.dryRun || ready.length === 0) {
    for (const c of ready) results.push(done(c, "would-migrate"));
    return report([], diffOf(planConfig.toString(), planCredentials.toString()));
  }

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
    for (const b of backups) await rm(b, { force: true });
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
        failed(
          c,
          `could not store its keys in the ${input.store.backend} store: ${message(e)}; nothing was changed in the files`,
        ),
      );
    }
  }

  // No file edit follows: the backups would only be one more plain-text
  // copy of keys the files still hold.
  if (stored.length === 0) {
    for (const b of backups) await rm(b, { force: true });
    return report([], "");
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
      results.push(changedMeanwhile(c, input.configLabel, input.store.backend));
    }
    inConfig = result.ok;
  } catch (e) {
    for (const c of stored) {
      results.push(
        failed(
          c,
          `its keys are in the ${input.store.backend} store, but ${input.configLabel} could not be edited (${message(e)}); the keys are still in the file, so your tools work as before. Fix that and run 'awsmfa migrate' again`,
        ),
      );
    }
    return report(backups, "");
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
      results.push(changedMeanwhile(c, input.credentialsLabel, input.store.backend));
    }
    for (const c of result.ok) results.push(done(c, "migrated"));
  } catch (e) {
    for (const c of inConfig) {
      results.push(
        failed(
          c,
          `its keys are in the ${input.store.backend} store and ${input.configLabel} points at awsmfa, but the key lines could not be removed from ${input.credentialsLabel} (${message(e)}); your tools still use the keys in the file. Fix that and run 'awsmfa migrate' again`,
        ),
      );
    }
  }
  return report(backups, "");
}

/**
 * Runs `edit` for each candidate whose keys in this file are still the ones
 * stored (the file is re-read under its lock; someone may have changed it).
 */
function applyEdits(
  doc: IniDocument,
  kind: "config" | "credentials",
  candidates: readonly Candidate[],
  edit: (doc: IniDocument, c: Candidate) => void,
): { ok: Candidate[]; changed: Candidate[] } {
  const ok: Candidate[] = [];
  const changed: Candidate[] = [];
  for (const c of candidates) {
    if (!unchanged(doc, kind, c)) {
      changed.push(c);
      continue;
    }
    edit(doc, c);
    ok.push(c);
  }
  return { ok, changed };
}

/**
 * Decides whether a profile's keys can move, in this order (the first
 * reason wins, so the message names the most fundamental problem):
 * temporary credentials are never long-term keys; incomplete keys are not
 * usable; keys that differ between the two files are ambiguous; settings
 * that change what the tools do once the keys are gone; a credential_process
 * we would have to overwrite; and last the store, the only check that reads
 * a secret backend.
 */
async function check(
  p: PlainKeys,
  config: IniDocument,
  credentials: IniDocument,
  awsConfig: AwsConfig,
  input: MigrateInput,
): Promise<Candidate | MigrateResult> {
  const { profile } = p;
  const files = [p.inCredentials, p.inConfig].filter((f): f is FileKeys => f !== undefined);
  const token = files.find((f) => f.sessionToken !== undefined)?.sessionToken;
  const idAt = files.find((f) => f.accessKeyId !== undefined)?.accessKeyId;
  const base = {
    profile,
    notes: [],
    ...(idAt === undefined ? {} : { accessKeyId: redactKeyId(idAt.value), from: idAt.at }),
  };
  if (token !== undefined) {
    return {
      ...base,
      outcome: "skipped",
      reason: `temporary credentials (session token at ${token.at}), not long-term keys; left as they are`,
    };
  }
  // The credentials file wins per key, as in the SDKs.
  const id = p.inCredentials?.accessKeyId ?? p.inConfig?.accessKeyId;
  const secret = p.inCredentials?.secretAccessKey ?? p.inConfig?.secretAccessKey;
  if (id === undefined || secret === undefined) {
    const has = id ?? secret;
    return {
      ...base,
      outcome: "refused",
      reason: `only ${id === undefined ? SECRET : KEY_ID} is set${has === undefined ? "" : ` (${has.at})`}; both are needed. Complete or remove the keys, then run again`,
    };
  }
  if (id.value.startsWith("ASIA")) {
    return {
      ...base,
      outcome: "skipped",
      reason: `the access key id (${id.at}) starts with ASIA: temporary credentials, not long-term keys; left as they are`,
    };
  }
  if (p.inCredentials !== undefined && p.inConfig !== undefined) {
    const a = p.inCredentials;
    const b = p.inConfig;
    const differ =
      (a.accessKeyId !== undefined &&
        b.accessKeyId !== undefined &&
        a.accessKeyId.value !== b.accessKeyId.value) ||
      (a.secretAccessKey !== undefined &&
        b.secretAccessKey !== undefined &&
        !sameSecret(a.secretAccessKey.value, b.secretAccessKey.value));
    if (differ) {
      return {
        ...base,
        outcome: "refused",
        reason: `it has different keys in ${input.credentialsLabel} and ${input.configLabel}; the tools use the credentials file's. Remove the keys you do not use from one file, then run again`,
      };
    }
  }
  for (const { key, why } of CONFLICTING_SETTINGS) {
    const s = effectiveSetting(config, credentials, profile, key);
    if (s !== undefined) {
      return {
        ...base,
        outcome: "refused",
        reason: `it has ${key} (${s.at}): ${why}. Move the keys to a profile of their own (e.g. [${profile}-keys]) and point source_profile at it, then migrate that one`,
      };
    }
  }
  const notes: string[] = [];
  let keepCredentialProcess = false;
  const cp = effectiveSetting(config, credentials, profile, "credential_process");
  if (cp !== undefined) {
    if (!callsAwsmfaFor(cp.value, profile)) {
      return {
        ...base,
        outcome: "refused",
        reason: `it already has a credential_process (${cp.at}) that the keys in the file override today; migrating would either replace that line or let it take over. Remove the line (or the keys) yourself, then run again`,
      };
    }
    keepCredentialProcess = true;
    notes.push(`kept its credential_process (${cp.at}): it already calls awsmfa`);
  }
  const unusable = unusableByAwsmfa(awsConfig, profile, input.env);
  if (unusable !== undefined) {
    return {
      ...base,
      outcome: "refused",
      reason: `awsmfa could not use the profile once migrated, so the credential_process line would fail where the tools use the keys in the file today: ${unusable}. Fix or remove that setting (the AWS tools ignore it on a profile with keys of its own), then run again`,
    };
  }

  let stored: Candidate["stored"] = "none";
  let existing: string | undefined;
  try {
    existing = await input.store.get("keys", profile);
  } catch (e) {
    return {
      ...base,
      outcome: "failed",
      reason: `could not read the ${input.store.backend} store: ${message(e)}; nothing was changed`,
    };
  }
  if (existing !== undefined) {
    const keys = parseStoredKeys(existing);
    const same =
      keys !== undefined &&
      keys.accessKeyId === id.value &&
      sameSecret(keys.secretAccessKey, secret.value);
    if (same) {
      stored = "same";
      notes.push(`the same keys were already in the ${input.store.backend} store`);
    } else {
      const storedId = keys === undefined ? "unreadable keys" : redactKeyId(keys.accessKeyId);
      if (!input.force) {
        return {
          ...base,
          outcome: "refused",
          reason: `the ${input.store.backend} store already holds different keys for it (${storedId}). Run again with --force to replace them with the file's keys (the tools use the file's today), or 'awsmfa remove ${profile}' first`,
        };
      }
      stored = { replace: storedId };
      notes.push(`replaced the different keys (${storedId}) that were in the store (--force)`);
    }
  }
  return {
    profile,
    accessKeyId: id.value,
    secretAccessKey: secret.value,
    from: id.at,
    inCredentials: p.inCredentials !== undefined,
    inConfig: p.inConfig !== undefined,
    keepCredentialProcess,
    stored,
    notes,
  };
}

/**
 * Why the credential_process line migrate writes would fail for the profile,
 * or undefined when it works: the engine's own plan for it, with its keys in
 * the store and --no-session, exactly as the line asks. awsmfa checks every
 * setting of a profile it uses (duration_seconds, external_id, endpoint_url,
 * role_session_name, the profiles named by source_profile/include_profile,
 * services) where botocore ignores them on a profile that has its own keys,
 * so a profile the tools use happily today can be one awsmfa refuses.
 */
function unusableByAwsmfa(config: AwsConfig, profile: string, env: Env): string | undefined {
  try {
    planCredentials(config, { profile, noSession: true }, { storedKeys: new Set([profile]), env });
    return undefined;
  } catch (e) {
    if (!isAwsmfaError(e)) throw e;
    return e.message.replace(/\.$/, "");
  }
}

function editConfig(doc: IniDocument, c: Candidate, input: MigrateInput): void {
  const header = doc.profileSectionHeader("config", c.profile);
  if (header === undefined) {
    throw new AwsmfaError(
      "E_CONFIG_VALUE",
      `${doc.file}: '${c.profile}' cannot be written as a profile section.`,
    );
  }
  if (!c.keepCredentialProcess)
    doc.setKey(header, "credential_process", input.credentialProcess(c.profile));
  if (c.inConfig) for (const k of STATIC_KEY_NAMES) doc.removeKey(header, k);
}

function editCredentials(doc: IniDocument, c: Candidate): void {
  if (!c.inCredentials) return;
  const header = doc.profileSectionHeader("credentials", c.profile);
  if (header === undefined) return;
  for (const k of STATIC_KEY_NAMES) doc.removeKey(header, k);
}

/** The file still holds the keys we stored (or none), so editing it loses nothing. */
function unchanged(doc: IniDocument, kind: "config" | "credentials", c: Candidate): boolean {
  if (!(kind === "config" ? c.inConfig : c.inCredentials)) return true;
  const keys = fileKeys(doc, kind, c.profile);
  if (keys === undefined) return true;
  if (keys.sessionToken !== undefined) return false;
  const idOk = keys.accessKeyId === undefined || keys.accessKeyId.value === c.accessKeyId;
  const secretOk =
    keys.secretAccessKey === undefined || sameSecret(keys.secretAccessKey.value, c.secretAccessKey);
  return idOk && secretOk;
}

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

function done(c: Candidate, outcome: "migrated" | "would-migrate"): MigrateResult {
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

function refused(c: Candidate, reason: string): MigrateResult {
  return {
    profile: c.profile,
    outcome: "refused",
    accessKeyId: redactKeyId(c.accessKeyId),
    from: c.from,
    reason,
    notes: [],
  };
}

function failed(c: Candidate, reason: string): MigrateResult {
  return { ...refused(c, reason), outcome: "failed" };
}

function changedMeanwhile(c: Candidate, label: string, backend: string): MigrateResult {
  return failed(
    c,
    `its keys in ${label} changed while migrating; left that file as it is (the keys read before are in the ${backend} store). Run 'awsmfa migrate' again`,
  );
}

/** Results in the order the profiles were asked for, else in file order. */
function order(
  results: readonly MigrateResult[],
  input: MigrateInput,
  found: readonly PlainKeys[],
): MigrateResult[] {
  const names = input.profiles.length > 0 ? [...input.profiles] : found.map((p) => p.profile);
  const rank = (r: MigrateResult) => {
    const i = names.indexOf(r.profile);
    return i < 0 ? names.length : i;
  };
  return [...results].sort((a, b) => rank(a) - rank(b));
}
