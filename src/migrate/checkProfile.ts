/**
 * The checks a profile's plain-text keys pass before `awsmfa migrate` moves
 * them: what could break or be lost if they left the file. Reads the store
 * (the last check) and nothing else.
 */
import type { IniDocument } from "../config/IniDocument.ts";
import type { AwsConfig } from "../config/types.ts";
import { planCredentials } from "../credentials/getCredentials.ts";
import type { Env } from "../credentials/types.ts";
import { isAwsmfaError, redactKeyId } from "../errors.ts";
import { parseStoredKeys } from "../store/SecretStore.ts";
import { callsAwsmfaFor } from "./credentialProcessLine.ts";
import {
  effectiveSetting,
  KEY_ID,
  SECRET,
  type FileKeys,
  type PlainKeys,
} from "./findPlainKeys.ts";
import { errorText } from "./migrateResults.ts";
import { sameSecret } from "./sameSecret.ts";
import type { Candidate, MigrateInput, MigrateResult } from "./types.ts";

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

/**
 * Decides whether a profile's keys can move, in this order (the first
 * reason wins, so the message names the most fundamental problem):
 * temporary credentials are never long-term keys; incomplete keys are not
 * usable; keys that differ between the two files are ambiguous; settings
 * that change what the tools do once the keys are gone; a credential_process
 * we would have to overwrite; and last the store, the only check that reads
 * a secret backend.
 */
export async function checkProfile(
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
      reason: `could not read the ${input.store.backend} store: ${errorText(e)}; nothing was changed`,
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
