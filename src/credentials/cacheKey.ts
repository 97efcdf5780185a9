/**
 * Names of cached sessions in the secret store. Readable, so `awsmfa list`
 * and `awsmfa clear <profile>` work from the names alone without reading
 * (or decrypting) any secret:
 *
 *   session|<source profile>|<mfa serial or empty>|<seconds>
 *   role|<profile>|<role arn>|<seconds>|<hash of everything upstream and every other parameter>
 *
 * A session is one GetSessionToken per (source profile, mfa serial): that
 * pair is its identity (see `sessionFamily`); the seconds only record what
 * it was fetched with, and any entry of the family serves any request while
 * it has time left. A session without MFA (empty serial) is a family of its
 * own and never stands in for one with MFA.
 *
 * Fields are percent-encoded for "|" and "%" so any profile name survives.
 */
import { createHash } from "node:crypto";

export type CacheKeyInfo =
  | {
      readonly type: "session";
      /** The profile whose long-term keys signed GetSessionToken. */
      readonly sourceProfile: string;
      readonly mfaSerial: string | undefined;
      /** What it was fetched with (informational: it serves any duration). */
      readonly durationSeconds: number;
    }
  | {
      readonly type: "role";
      /** The profile whose role_arn this is. */
      readonly profile: string;
      readonly roleArn: string;
      readonly durationSeconds: number;
      readonly fingerprint: string;
    };

const enc = (s: string) => s.replace(/%/g, "%25").replace(/\|/g, "%7C");
const dec = (s: string) => s.replace(/%7C/gi, "|").replace(/%25/g, "%");

export function sessionCacheKey(
  sourceProfile: string,
  mfaSerial: string | undefined,
  durationSeconds: number,
): string {
  return [sessionFamily(sourceProfile, mfaSerial), String(durationSeconds)].join("|");
}

/**
 * What every name of one session shares, whatever its duration: the lock
 * that serialises fetching it, and what roles assumed from it depend on.
 */
export function sessionFamily(sourceProfile: string, mfaSerial: string | undefined): string {
  return ["session", enc(sourceProfile), enc(mfaSerial ?? "")].join("|");
}

/** Whether a parsed name is a session of (sourceProfile, mfaSerial). */
export function isSessionOf(
  info: CacheKeyInfo | undefined,
  sourceProfile: string,
  mfaSerial: string | undefined,
): boolean {
  return (
    info?.type === "session" && info.sourceProfile === sourceProfile && info.mfaSerial === mfaSerial
  );
}

export function roleCacheKey(
  profile: string,
  roleArn: string,
  durationSeconds: number,
  dependsOn: unknown,
): string {
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(dependsOn))
    .digest("hex")
    .slice(0, 16);
  return ["role", enc(profile), enc(roleArn), String(durationSeconds), fingerprint].join("|");
}

/** undefined for names that are not ours. */
export function parseCacheKey(name: string): CacheKeyInfo | undefined {
  const parts = name.split("|");
  if (parts[0] === "session" && parts.length === 4) {
    const [, source = "", serial = "", seconds = ""] = parts;
    if (!/^\d+$/.test(seconds)) return undefined;
    return {
      type: "session",
      sourceProfile: dec(source),
      mfaSerial: serial === "" ? undefined : dec(serial),
      durationSeconds: Number(seconds),
    };
  }
  if (parts[0] === "role" && parts.length === 5) {
    const [, profile = "", arn = "", seconds = "", fingerprint = ""] = parts;
    if (!/^\d+$/.test(seconds)) return undefined;
    return {
      type: "role",
      profile: dec(profile),
      roleArn: dec(arn),
      durationSeconds: Number(seconds),
      fingerprint,
    };
  }
  return undefined;
}
