/**
 * Validators for the values in ~/.aws/config that have a shape AWS checks
 * (ARNs, durations, tags). Each returns a result instead of throwing so the
 * caller can name the file:line and profile; the credential engine reuses
 * them for command-line input.
 */

export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** IAM path and name after `mfa/` or `role/`: `name` or `path/to/name`, of letters, digits and + = , . @ _ - */
const IAM_PATH_NAME = String.raw`(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,128}`;
const PARTITION = String.raw`aws(?:-[a-z]+)*`;
const MFA_ARN = new RegExp(String.raw`^arn:${PARTITION}:iam::\d{12}:mfa/${IAM_PATH_NAME}$`);
const ROLE_ARN = new RegExp(String.raw`^arn:${PARTITION}:iam::\d{12}:role/${IAM_PATH_NAME}$`);
/** A hardware token's serial number, e.g. GAHT12345678 (IAM: 9 or more characters). */
const HARDWARE_SERIAL = /^[A-Za-z0-9]{9,64}$/;

/** `arn:aws[-partition]:iam::<12 digits>:mfa/<path/name>` or a hardware serial like `GAHT12345678`. */
export function isMfaSerial(s: string): boolean {
  return MFA_ARN.test(s) || HARDWARE_SERIAL.test(s);
}

/** `arn:aws[-partition]:iam::<12 digits>:role/<path/name>`. */
export function isRoleArn(s: string): boolean {
  return ROLE_ARN.test(s);
}

export const MFA_SERIAL_HINT =
  "Use the device ARN arn:aws:iam::<12-digit account id>:mfa/<device name> (IAM > Users > Security credentials), or a hardware token's serial number.";
export const ROLE_ARN_HINT = "Use arn:aws:iam::<12-digit account id>:role/<role name>.";

/** duration_seconds: what AssumeRole accepts (the role's own maximum may be lower). */
export const DURATION_SECONDS_MIN = 900;
export const DURATION_SECONDS_MAX = 43_200;

export interface DurationRange {
  readonly min: number;
  readonly max: number;
}

/**
 * A whole number of seconds as written in the config file (`3600`), within
 * range (default 900..43200, AssumeRole's limits).
 */
export function parseDurationSeconds(
  text: string,
  range: DurationRange = { min: DURATION_SECONDS_MIN, max: DURATION_SECONDS_MAX },
): Parsed<number> {
  const t = text.trim();
  if (!/^\d{1,9}$/.test(t)) return fail(`'${text}' is not a whole number of seconds`);
  return inRange(Number(t), range);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/**
 * A duration as people type it on the command line: `3600` (seconds),
 * `3600s`, `45m`, `1h`, `1h30m` (aws-vault's and Go's forms for whole
 * seconds), within range.
 */
export function parseDuration(
  text: string,
  range: DurationRange = { min: DURATION_SECONDS_MIN, max: DURATION_SECONDS_MAX },
): Parsed<number> {
  const t = text.trim();
  if (/^\d{1,9}$/.test(t)) return inRange(Number(t), range);
  if (!/^(?:\d{1,6}[hms])+$/.test(t)) {
    return fail(`'${text}' is not a duration (use e.g. 3600, 45m, 1h or 1h30m)`);
  }
  let total = 0;
  for (const m of t.matchAll(/(\d+)([hms])/g)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? "s"] ?? 1);
  }
  return inRange(total, range);
}

function inRange(seconds: number, range: DurationRange): Parsed<number> {
  if (seconds < range.min || seconds > range.max) {
    return fail(`${seconds} seconds is outside ${range.min}..${range.max}`);
  }
  return ok(seconds);
}

// Built on first use: V8 builds \p{L} classes when the literal is evaluated
// (about a millisecond), and most calls never read a tag.
let tagPatterns: { readonly key: RegExp; readonly value: RegExp } | undefined;
function tagPattern(): { readonly key: RegExp; readonly value: RegExp } {
  tagPatterns ??= {
    key: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u,
    value: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u,
  };
  return tagPatterns;
}

/** session_tags = key1=value1,key2=value2 (aws-vault's format). */
export function parseSessionTags(text: string): Parsed<Readonly<Record<string, string>>> {
  const tags: Record<string, string> = {};
  if (text.trim() === "") return ok(tags);
  for (const part of text.split(",")) {
    const eq = part.indexOf("=");
    if (eq === -1) return fail(`'${part.trim()}' is not key=value`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (!tagPattern().key.test(key)) return fail(`'${key}' is not a valid tag key`);
    if (!tagPattern().value.test(value))
      return fail(`the value of tag '${key}' is not a valid tag value`);
    if (Object.hasOwn(tags, key)) return fail(`tag '${key}' is given twice`);
    Object.defineProperty(tags, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return ok(tags);
}

/** transitive_session_tags = key1,key2 */
export function parseTransitiveSessionTags(text: string): Parsed<readonly string[]> {
  if (text.trim() === "") return ok([]);
  const keys = text.split(",").map((k) => k.trim());
  for (const k of keys) if (!tagPattern().key.test(k)) return fail(`'${k}' is not a valid tag key`);
  return ok(keys);
}

/** role_session_name and source_identity: 2..64 of letters, digits and + = , . @ _ - */
export function isRoleSessionName(s: string): boolean {
  return /^[\w+=,.@-]{2,64}$/.test(s);
}

/** external_id: 2..1224 of letters, digits and + = , . @ : / _ - */
export function isExternalId(s: string): boolean {
  return /^[\w+=,.@:/-]{2,1224}$/.test(s);
}

/** An http(s) URL, for endpoint_url. */
export function isEndpointUrl(s: string): boolean {
  if (!URL.canParse(s)) return false;
  const u = new URL(s);
  return u.protocol === "https:" || u.protocol === "http:";
}
