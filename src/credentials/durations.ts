/**
 * How long each credential lives, and AWS's limits on it, checked before any
 * call so a bad value fails at once with a message that names where it came
 * from (a flag, an environment variable, or a file:line).
 */
import { AwsmfaError } from "../errors.ts";
import { parseDuration as parseDurationText } from "../config/validate.ts";
import type { Env } from "../platform/env.ts";

/** GetSessionToken for IAM users: 15 min .. 36 h. */
export const SESSION_MIN = 900;
export const SESSION_MAX = 129_600;
/** AssumeRole: 15 min .. 12 h (the role's MaxSessionDuration may be lower). */
export const ROLE_MIN = 900;
export const ROLE_MAX = 43_200;
/** AWS caps role chaining at 1 h; we treat a role assumed with session credentials the same. */
export const CHAINED_ROLE_MAX = 3_600;

/** A session that only exists to assume roles from: long, so one MFA prompt covers a working day. */
export const DEFAULT_CHAINED_SESSION = 8 * 3600;
/** A session handed out as is. */
export const DEFAULT_SESSION = 3600;
export const DEFAULT_ROLE = 3600;

/** A duration and where it came from (for messages and --debug). */
export interface Duration {
  readonly seconds: number;
  readonly from: string;
}

/**
 * Environment overrides: ours first, then aws-vault's names for users
 * migrating from it.
 */
export const SESSION_TTL_VARS = ["AWSMFA_SESSION_TTL", "AWS_SESSION_TOKEN_TTL"] as const;
export const CHAINED_SESSION_TTL_VARS = [
  "AWSMFA_SESSION_TTL",
  "AWS_CHAINED_SESSION_TOKEN_TTL",
  "AWS_SESSION_TOKEN_TTL",
] as const;
export const ROLE_TTL_VARS = ["AWSMFA_ASSUME_ROLE_TTL", "AWS_ASSUME_ROLE_TTL"] as const;

export function durationFromEnv(env: Env, names: readonly string[]): Duration | undefined {
  for (const name of names) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") continue;
    const seconds = parseDuration(raw);
    if (seconds === undefined) {
      throw new AwsmfaError("E_BAD_DURATION", `${name}='${raw}' is not a duration.`, {
        hint: `Write it as seconds (3600) or with units (15m, 1h, 1h30m), or unset ${name}.`,
      });
    }
    return { seconds, from: name };
  }
  return undefined;
}

/**
 * Plain seconds, or Go-style units as aws-vault takes them: 15m, 1h, 1h30m,
 * 3600s, 1h0m0s. The one parser of that syntax is src/config/validate.ts's;
 * here without its range, since the limits depend on what the duration is
 * for (checkRange, with the AWS limit for a session or a role).
 */
export function parseDuration(value: string): number | undefined {
  const r = parseDurationText(value, { min: 0, max: Number.MAX_SAFE_INTEGER });
  return r.ok ? r.value : undefined;
}

export function checkRange(d: Duration, what: string, min: number, max: number, why: string): void {
  if (d.seconds < min || d.seconds > max) {
    throw new AwsmfaError(
      "E_BAD_DURATION",
      `${what} of ${formatDuration(d.seconds)} (from ${d.from}) is outside what AWS allows: ${formatDuration(min)} to ${formatDuration(max)}${why}.`,
      { hint: `Ask for a duration between ${formatDuration(min)} and ${formatDuration(max)}.` },
    );
  }
}

/** 8h, 1h30m, 15m, 45s, 7h12m */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return m > 0 ? `${String(h)}h${String(m)}m` : `${String(h)}h`;
  if (m > 0) return rest > 0 && m < 5 ? `${String(m)}m${String(rest)}s` : `${String(m)}m`;
  return `${String(rest)}s`;
}
