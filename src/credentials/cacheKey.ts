/**
 * Names of cached sessions in the secret store. Readable, so `awsmfa list`
 * and `awsmfa clear <profile>` work from the names alone without reading
 * (or decrypting) any secret:
 *
 *   session|<source profile>|<mfa serial or empty>|<seconds>
 *   role|<profile>|<role arn>|<seconds>|<via>|<mfa serial or empty>|<hash>
 *
 * A session is one GetSessionToken per (source profile, mfa serial): that
 * pair is its identity (see `sessionFamily`); the seconds only record what
 * it was fetched with, and any entry of the family serves any request while
 * it has time left. A session without MFA (empty serial) is a family of its
 * own and never stands in for one with MFA.
 *
 * A role names the profiles whose credentials it was assumed with (<via>:
 * comma-separated, nearest first, ending at the profile holding the
 * long-term keys) and the MFA device that proved it, so clearing a profile
 * also clears every role obtained through it. The hash covers everything
 * else the credentials depend on (upstream session, external id, tags...).
 *
 * Fields are percent-encoded for "%", "|" and "," so any profile name survives.
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
      /**
       * The profiles it was assumed through, nearest first, the long-term
       * source last; empty when the profile holds its keys itself (or for
       * names written before this field existed).
       */
      readonly via: readonly string[];
      /** The MFA device that proved the chain (the session's, or the role's own). */
      readonly mfaSerial: string | undefined;
      readonly fingerprint: string;
    };

const enc = (s: string) => s.replace(/%/g, "%25").replace(/\|/g, "%7C").replace(/,/g, "%2C");
const dec = (s: string) => s.replace(/%7C/gi, "|").replace(/%2C/gi, ",").replace(/%25/g, "%");

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

export interface RoleChain {
  /** The profiles whose credentials assume the role, nearest first, the long-term source last. */
  readonly via: readonly string[];
  readonly mfaSerial: string | undefined;
}

export function roleCacheKey(
  profile: string,
  roleArn: string,
  durationSeconds: number,
  dependsOn: unknown,
  chain: RoleChain = { via: [], mfaSerial: undefined },
): string {
  const fingerprint = createHash("sha256")
    .update(JSON.stringify(dependsOn))
    .digest("hex")
    .slice(0, 16);
  return [
    "role",
    enc(profile),
    enc(roleArn),
    String(durationSeconds),
    chain.via.map(enc).join(","),
    enc(chain.mfaSerial ?? ""),
    fingerprint,
  ].join("|");
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
  // 7 fields; 5 in names written before <via> and the serial were added.
  if (parts[0] === "role" && (parts.length === 7 || parts.length === 5)) {
    const [, profile = "", arn = "", seconds = ""] = parts;
    const [via = "", serial = ""] = parts.length === 7 ? parts.slice(4, 6) : [];
    const fingerprint = parts.at(-1) ?? "";
    if (!/^\d+$/.test(seconds)) return undefined;
    return {
      type: "role",
      profile: dec(profile),
      roleArn: dec(arn),
      durationSeconds: Number(seconds),
      via: via === "" ? [] : via.split(",").map(dec),
      mfaSerial: serial === "" ? undefined : dec(serial),
      fingerprint,
    };
  }
  return undefined;
}

/** Whether a cached session was obtained with the credentials of `profile` (directly or through it). */
export function usesProfile(info: CacheKeyInfo, profile: string): boolean {
  return info.type === "session"
    ? info.sourceProfile === profile
    : info.profile === profile || info.via.includes(profile);
}
