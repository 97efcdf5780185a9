/**
 * ProfileConfig from a profile's merged keys: the typed fields the rest of
 * awsmfa reads, plus every key as written. Values that do not parse (a
 * duration that is not a number, malformed tags) leave the typed field
 * unset here; validateProfile reports them when the profile is used.
 */
import type { ProfileConfig, SourceLocation, StaticKeys } from "./types.ts";
import { parseSessionTags, parseTransitiveSessionTags } from "./validate.ts";

export interface LocatedValue {
  readonly value: string;
  readonly where: SourceLocation;
}

export interface ProfileInput {
  readonly name: string;
  /** key -> winning value, credentials file over config file, as the SDK merges them */
  readonly values: ReadonlyMap<string, LocatedValue>;
  readonly location: SourceLocation;
  readonly inConfig: boolean;
  readonly inCredentials: boolean;
}

/** Config keys with a plain string field, key -> ProfileConfig field. */
export const STRING_KEYS = {
  region: "region",
  mfa_serial: "mfaSerial",
  role_arn: "roleArn",
  source_profile: "sourceProfile",
  include_profile: "includeProfile",
  credential_process: "credentialProcess",
  mfa_process: "mfaProcess",
  external_id: "externalId",
  role_session_name: "roleSessionName",
  source_identity: "sourceIdentity",
  endpoint_url: "endpointUrl",
  services: "services",
  sso_session: "ssoSession",
  sso_start_url: "ssoStartUrl",
  sso_region: "ssoRegion",
  sso_account_id: "ssoAccountId",
  sso_role_name: "ssoRoleName",
  vault_path: "vaultPath",
  vault_addr: "vaultAddr",
  vault_ttl: "vaultTtl",
  vault_role_arn: "vaultRoleArn",
  vault_namespace: "vaultNamespace",
} as const;

export const STATIC_KEY_NAMES = [
  "aws_access_key_id",
  "aws_secret_access_key",
  "aws_session_token",
] as const;

/** Every key awsmfa gives a meaning to. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...Object.keys(STRING_KEYS),
  "duration_seconds",
  "session_tags",
  "transitive_session_tags",
  ...STATIC_KEY_NAMES,
]);

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function makeProfileConfig(input: ProfileInput): ProfileConfig {
  const { values } = input;
  const p: Mutable<ProfileConfig> = {
    name: input.name,
    raw: Object.fromEntries([...values].map(([k, v]) => [k, v.value])),
    where: Object.fromEntries([...values].map(([k, v]) => [k, v.where])),
    location: input.location,
    inConfig: input.inConfig,
    inCredentials: input.inCredentials,
  };
  for (const [key, field] of Object.entries(STRING_KEYS)) {
    const v = values.get(key);
    if (v !== undefined) p[field] = v.value;
  }
  const duration = values.get("duration_seconds")?.value.trim();
  if (duration !== undefined && /^\d{1,9}$/.test(duration)) p.durationSeconds = Number(duration);
  const tags = values.get("session_tags");
  if (tags !== undefined) {
    const r = parseSessionTags(tags.value);
    if (r.ok) p.sessionTags = r.value;
  }
  const transitive = values.get("transitive_session_tags");
  if (transitive !== undefined) {
    const r = parseTransitiveSessionTags(transitive.value);
    if (r.ok) p.transitiveSessionTags = r.value;
  }
  const staticKeys = staticKeysOf(values);
  if (staticKeys !== undefined) p.staticKeys = staticKeys;
  return p;
}

/** Both halves of a key pair, as the SDK requires before it uses them. */
function staticKeysOf(values: ReadonlyMap<string, LocatedValue>): StaticKeys | undefined {
  const id = values.get("aws_access_key_id");
  const secret = values.get("aws_secret_access_key");
  if (id === undefined || secret === undefined) return undefined;
  const token = values.get("aws_session_token");
  return {
    accessKeyId: id.value,
    secretAccessKey: secret.value,
    ...(token === undefined ? {} : { sessionToken: token.value }),
    where: id.where,
  };
}

/** The located values of a ProfileConfig, to merge profiles (include_profile). */
export function valuesOf(p: ProfileConfig): Map<string, LocatedValue> {
  const out = new Map<string, LocatedValue>();
  for (const [k, value] of Object.entries(p.raw)) {
    const where = p.where[k];
    if (where !== undefined) out.set(k, { value, where });
  }
  return out;
}
