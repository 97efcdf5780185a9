/**
 * The picker's rows for the profiles of the AWS config (pure): what each
 * profile is (role and account, region, MFA device), whether a cached
 * session would spare an MFA prompt (and how long it has left), most
 * recently used first.
 */
import { parseCacheKey } from "../../credentials/cacheKey.ts";
import { formatDuration } from "../../credentials/durations.ts";
import { isWrittenProfile } from "../../config/writtenSections.ts";
import type { AwsConfig, ProfileConfig } from "../../config/types.ts";
import type { PickerItem } from "./pickerState.ts";

/** A cached session by name, with its expiry when it could be read. */
export interface SessionEntry {
  readonly name: string;
  /** ms since epoch; undefined when unreadable (no passphrase without a prompt). */
  readonly expiresAt: number | undefined;
}

/** Sessions with this little left are not handed out (the engine's window). */
const EXPIRY_WINDOW_MS = 5 * 60_000;

export function profileItems(
  config: AwsConfig,
  sessions: readonly SessionEntry[],
  recent: readonly string[],
  nowMs: number,
): PickerItem[] {
  // Sections awsmfa wrote are outputs of a pick, not something to pick from.
  const profiles = [...config.profiles.values()].filter((p) => !isWrittenProfile(p));
  const rank = new Map(recent.map((name, i) => [name, i]));
  // Recently used first (in that order), then the rest in config-file order.
  const ordered = profiles
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const ra = rank.get(a.p.name);
      const rb = rank.get(b.p.name);
      if (ra !== undefined && rb !== undefined) return ra - rb;
      if (ra !== undefined) return -1;
      if (rb !== undefined) return 1;
      return a.i - b.i;
    })
    .map(({ p }) => p);
  return ordered.map((p) => ({
    name: p.name,
    details: [
      roleText(p),
      p.region ?? "-",
      p.mfaSerial === undefined ? "-" : `mfa ${shortArn(p.mfaSerial)}`,
      sessionText(p, config, sessions, nowMs),
    ],
  }));
}

function roleText(p: ProfileConfig): string {
  if (p.roleArn !== undefined) {
    const m = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(p.roleArn);
    return m === null ? p.roleArn : `${m[2] ?? ""} @ ${m[1] ?? ""}`;
  }
  if (p.credentialProcess !== undefined) return "credential_process";
  if (p.ssoAccountId !== undefined) return `sso ${p.ssoRoleName ?? ""} @ ${p.ssoAccountId}`;
  return "keys";
}

/**
 * The best live session for the profile: its own role session, else an MFA
 * session of its source chain (the role is then assumed without a prompt).
 */
function sessionText(
  p: ProfileConfig,
  config: AwsConfig,
  sessions: readonly SessionEntry[],
  nowMs: number,
): string {
  const sources = sourceChain(p, config);
  let best: { what: string; left: number | undefined } | undefined;
  for (const s of sessions) {
    const info = parseCacheKey(s.name);
    if (info === undefined) continue;
    const mine =
      info.type === "role" ? info.profile === p.name : sources.includes(info.sourceProfile);
    if (!mine) continue;
    const left = s.expiresAt === undefined ? undefined : s.expiresAt - nowMs;
    if (left !== undefined && left <= EXPIRY_WINDOW_MS) continue;
    const what = info.type === "role" ? "session" : "mfa session";
    if (best === undefined || better({ what, left }, best)) best = { what, left };
  }
  if (best === undefined) return "";
  return best.left === undefined
    ? `${best.what} cached`
    : `${best.what} ${formatDuration(best.left / 1000)} left`;
}

/**
 * A role session beats an MFA session (no STS call at all), a known expiry
 * an unknown one, then the longer one.
 */
function better(
  a: { what: string; left: number | undefined },
  b: { what: string; left: number | undefined },
): boolean {
  const rank = (x: { what: string; left: number | undefined }) =>
    [x.what === "session" ? 1 : 0, x.left === undefined ? 0 : 1, x.left ?? 0] as const;
  const [ra, rb] = [rank(a), rank(b)];
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i]) return (ra[i] ?? 0) > (rb[i] ?? 0);
  }
  return false;
}

/** The profile and its source_profile hops (cycle-safe; config validates cycles elsewhere). */
function sourceChain(p: ProfileConfig, config: AwsConfig): string[] {
  const chain = [p.name];
  let cur: ProfileConfig | undefined = p;
  while (cur?.sourceProfile !== undefined && !chain.includes(cur.sourceProfile)) {
    chain.push(cur.sourceProfile);
    cur = config.profiles.get(cur.sourceProfile);
  }
  return chain;
}

/** account:mfa/name -> "alice @ 111111111111" */
function shortArn(arn: string): string {
  const m = /^arn:[^:]+:iam::(\d{12}):mfa\/(?:.*\/)?([^/]+)$/.exec(arn);
  return m === null ? arn : `${m[2] ?? ""} @ ${m[1] ?? ""}`;
}
