/**
 * Names of cached sessions in the secret store. Readable (so `awsmfa list`
 * can show them without reading any secret) and keyed by everything the
 * credentials depend on:
 *
 *   session|<source profile>|<mfa serial or empty>|<seconds>
 *   role|<profile>|<role arn>|<seconds>|<hash of everything upstream and every other parameter>
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
  return ["session", enc(sourceProfile), enc(mfaSerial ?? ""), String(durationSeconds)].join("|");
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
