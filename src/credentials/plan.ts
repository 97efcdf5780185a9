/**
 * The plan: which long-term credentials, whether a GetSessionToken session is
 * used, and which AssumeRole hops follow, with every duration, MFA device and
 * cache key decided up front. Pure: no store, no network, no clock. `--debug`
 * prints it (describePlan.ts) and tests assert on it.
 */
import type { AwsConfig, ProfileConfig, SourceLocation } from "../config/types.ts";
import { AwsmfaError } from "../errors.ts";
import { resolveStsEndpoint, type ResolvedEndpoint } from "../aws/endpoint.ts";
import type { SessionTag } from "../aws/StsClient.ts";
import { roleCacheKey, sessionCacheKey, sessionFamily } from "./cacheKey.ts";
import { parseAwsmfaCall } from "./credentialProcess.ts";
import {
  CHAINED_ROLE_MAX,
  CHAINED_SESSION_TTL_VARS,
  DEFAULT_CHAINED_SESSION,
  DEFAULT_ROLE,
  DEFAULT_SESSION,
  ROLE_MAX,
  ROLE_MIN,
  ROLE_TTL_VARS,
  SESSION_MAX,
  SESSION_MIN,
  SESSION_TTL_VARS,
  checkRange,
  durationFromEnv,
  formatDuration,
  type Duration,
} from "./durations.ts";
import { defaultRoleSessionName } from "./roleSessionName.ts";
import type { CredentialRequest, Env } from "./types.ts";

export type LongTermSource =
  | { readonly kind: "stored-keys"; readonly profile: string }
  | {
      readonly kind: "static-keys";
      readonly profile: string;
      readonly where: SourceLocation;
      /** The file holds a session token too: temporary credentials. */
      readonly temporary: boolean;
    }
  | {
      readonly kind: "credential-process";
      readonly profile: string;
      readonly command: string;
      readonly where: SourceLocation | undefined;
    };

export interface MfaDevice {
  readonly serial: string;
  /** The profile that names the device. */
  readonly profile: string;
  readonly mfaProcess: { readonly command: string; readonly where?: SourceLocation } | undefined;
}

export interface SessionStep {
  readonly kind: "session";
  /** The profile whose long-term keys sign the call. */
  readonly sourceProfile: string;
  /** The profile that asked for the session (names mfa_serial or is the one requested). */
  readonly profile: string;
  readonly mfa: MfaDevice | undefined;
  readonly duration: Duration;
  readonly cacheKey: string;
}

export interface RoleStep {
  readonly kind: "role";
  readonly profile: string;
  readonly roleArn: string;
  readonly roleSessionName: string;
  readonly duration: Duration;
  /** Assumed with credentials from another role (AWS caps these at 1 h). */
  readonly chained: boolean;
  /** Set when this AssumeRole carries SerialNumber/TokenCode itself. */
  readonly mfa: MfaDevice | undefined;
  readonly externalId: string | undefined;
  readonly sourceIdentity: string | undefined;
  readonly tags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
  readonly cacheKey: string;
}

export type PlanStep = SessionStep | RoleStep;

/** `Duration.from` of a step whose length the user asked for with -d. */
export const DURATION_FLAG = "-d";

export interface CredentialPlan {
  readonly profile: string;
  /** Profile names from the one asked for to the one holding the long-term credentials. */
  readonly chain: readonly string[];
  readonly source: LongTermSource;
  readonly steps: readonly PlanStep[];
  /** For the credentials handed out (AWS_REGION); undefined when nothing names one. */
  readonly region: string | undefined;
  /** The region STS calls are signed for. */
  readonly stsRegion: string;
  readonly endpoint: ResolvedEndpoint;
  /** Why each choice was made, in order, for --debug. */
  readonly notes: readonly string[];
}

export interface PlanContext {
  /** Profiles with long-term keys in the secret store. */
  readonly storedKeys: ReadonlySet<string>;
  readonly env: Env;
}

/**
 * Plans for a profile chain as resolved by src/config (chain[0] is the
 * profile asked for; each next one is the previous one's source_profile,
 * include_profile already merged).
 */
export function planFromChain(
  config: Pick<AwsConfig, "services">,
  chain: readonly ProfileConfig[],
  req: CredentialRequest,
  ctx: PlanContext,
): CredentialPlan {
  const notes: string[] = [];
  const requested = chain[0];
  if (requested === undefined) throw new Error("planFromChain: empty chain");
  const { base, source } = findLongTermSource(chain, ctx, notes);
  const env = ctx.env;
  const sessionEnv = durationFromEnv(env, SESSION_TTL_VARS);
  const chainedSessionEnv = durationFromEnv(env, CHAINED_SESSION_TTL_VARS);
  const roleEnv = durationFromEnv(env, ROLE_TTL_VARS);
  const flag: Duration | undefined =
    req.durationSeconds === undefined
      ? undefined
      : { seconds: req.durationSeconds, from: DURATION_FLAG };

  const sourceIsTemporary = source.kind === "static-keys" && source.temporary;
  const steps: PlanStep[] = [];
  type State = "long-term" | "session" | "role";
  let state: State = sourceIsTemporary ? "session" : "long-term";
  /** MFA devices already proven in this chain: later steps need no second code. */
  const proven = new Set<string>();
  /** An mfa_serial on a profile without role_arn, waiting to see what follows. */
  let pending: MfaDevice | undefined;
  let upstream: unknown = { source: source.kind, profile: source.profile };
  /** The MFA device that proved the chain so far (named in role cache keys). */
  let chainSerial: string | undefined;

  const mfaDevice = (p: ProfileConfig): MfaDevice | undefined =>
    p.mfaSerial === undefined
      ? undefined
      : {
          serial: p.mfaSerial,
          profile: p.name,
          mfaProcess: mfaProcessFor(p, requested),
        };

  const addSession = (profile: string, mfa: MfaDevice | undefined, duration: Duration) => {
    checkRange(duration, "A GetSessionToken session", SESSION_MIN, SESSION_MAX, "");
    const cacheKey = sessionCacheKey(source.profile, mfa?.serial, duration.seconds);
    steps.push({
      kind: "session",
      sourceProfile: source.profile,
      profile,
      mfa,
      duration,
      cacheKey,
    });
    // Roles depend on which session, not on how long it was fetched for:
    // a session of the same family serves any duration (see getCredentials).
    upstream = sessionFamily(source.profile, mfa?.serial);
    state = "session";
    if (mfa !== undefined) {
      proven.add(mfa.serial);
      chainSerial = mfa.serial;
    }
  };

  for (let k = base; k >= 0; k--) {
    const p = chain[k];
    if (p === undefined) continue;
    const final = k === 0;
    const own = mfaDevice(p);

    if (p.roleArn === undefined) {
      if (own === undefined) continue;
      if (proven.has(own.serial) || pending?.serial === own.serial) {
        notes.push(
          `${own.serial} is already used earlier in the chain; profile ${p.name} adds nothing`,
        );
        continue;
      }
      if (state !== "long-term") {
        throw new AwsmfaError(
          "E_MFA_AFTER_TEMPORARY",
          `Profile ${p.name} sets mfa_serial without role_arn, but the credentials it gets from ${chain[k + 1]?.name ?? source.profile} are already temporary; GetSessionToken needs long-term keys.`,
          {
            hint: `Put mfa_serial on the profile that holds the keys (${source.profile}) or on the role profile.`,
          },
        );
      }
      // Decided by what follows: a role hop uses it (through a session, or
      // directly with --no-session); without one it becomes a session.
      pending = own;
      continue;
    }

    // A role hop.
    const duration = roleDuration(p, final, flag, roleEnv);
    const chained = state === "role";
    checkRange(duration, `The role duration for profile ${p.name}`, ROLE_MIN, ROLE_MAX, "");
    if (chained && duration.seconds > CHAINED_ROLE_MAX) {
      throw new AwsmfaError(
        "E_BAD_DURATION",
        `Profile ${p.name} assumes its role with credentials from another role (role chaining), which AWS caps at 1h; ${formatDuration(duration.seconds)} was asked for (from ${duration.from}).`,
        { hint: "Ask for 1h or less for chained roles." },
      );
    }
    // The device for a session: one named between this role and its source
    // (the aws-vault "*-mfa" profile), else the role's own.
    const sessionDevice = pending ?? own;
    let hopMfa: MfaDevice | undefined;
    if (state === "long-term" && sessionDevice !== undefined) {
      const direct =
        req.noSession === true
          ? "--no-session"
          : sourceIsTemporary
            ? "the source credentials are temporary"
            : duration.seconds > CHAINED_ROLE_MAX
              ? `the role duration is over 1h (${formatDuration(duration.seconds)} from ${duration.from})`
              : undefined;
      if (direct !== undefined) {
        hopMfa = own ?? sessionDevice;
        notes.push(
          `skipping GetSessionToken because ${direct}; assuming ${p.roleArn} directly with MFA (${hopMfa.serial}) from the keys of ${source.profile}`,
        );
        if (pending !== undefined && pending.serial !== hopMfa.serial) {
          notes.push(
            `${pending.serial} of profile ${pending.profile} is not used: one AssumeRole carries one device`,
          );
        }
      } else {
        const sessionDuration = chainedSessionEnv ?? {
          seconds: DEFAULT_CHAINED_SESSION,
          from: "the default for a session used to assume roles",
        };
        notes.push(
          `using one MFA session for ${source.profile}/${sessionDevice.serial} to assume roles from (every role sharing it needs no new code)`,
        );
        addSession(sessionDevice.profile, sessionDevice, sessionDuration);
        if (own !== undefined && !proven.has(own.serial)) {
          hopMfa = own;
          notes.push(
            `profile ${p.name} names its own device ${own.serial}: its AssumeRole needs a second code`,
          );
        }
      }
    } else if (own !== undefined) {
      if (proven.has(own.serial)) {
        notes.push(
          `profile ${p.name}: ${own.serial} was already used in this chain, so AssumeRole carries no MFA code`,
        );
      } else {
        hopMfa = own;
      }
    }
    pending = undefined;
    const roleSessionName = p.roleSessionName ?? defaultRoleSessionName(env);
    checkRoleSessionName(roleSessionName, p);
    const tags = Object.entries(p.sessionTags ?? {}).map(([key, value]) => ({ key, value }));
    const transitiveTagKeys = [...(p.transitiveSessionTags ?? [])];
    const fields = {
      upstream,
      mfa: hopMfa?.serial,
      externalId: p.externalId,
      roleSessionName,
      sourceIdentity: p.sourceIdentity,
      tags,
      transitiveTagKeys,
    };
    if (hopMfa !== undefined) chainSerial = hopMfa.serial;
    // Whose credentials assume it, so clearing any of them clears this role too.
    const via = chain.slice(k + 1, base + 1).map((q) => q.name);
    const cacheKey = roleCacheKey(p.name, p.roleArn, duration.seconds, fields, {
      via,
      mfaSerial: chainSerial,
    });
    steps.push({
      kind: "role",
      profile: p.name,
      roleArn: p.roleArn,
      roleSessionName,
      duration,
      chained,
      mfa: hopMfa,
      externalId: p.externalId,
      sourceIdentity: p.sourceIdentity,
      tags,
      transitiveTagKeys,
      cacheKey,
    });
    if (hopMfa !== undefined) proven.add(hopMfa.serial);
    upstream = cacheKey;
    state = "role";
  }

  if (pending !== undefined && req.noSession === true) {
    notes.push(
      `--no-session: handing out the long-term keys of ${source.profile}; mfa_serial ${pending.serial} of profile ${pending.profile} is not used`,
    );
  } else if (pending !== undefined) {
    // mfa_serial on the profile asked for (or between it and the keys), no role after it.
    addSession(
      pending.profile,
      pending,
      flag ??
        sessionEnv ?? { seconds: DEFAULT_SESSION, from: "the default for a session used as is" },
    );
  } else if (steps.length === 0) {
    if (source.kind === "stored-keys" && req.noSession !== true) {
      // Long-term keys never leave the store: hand out a session instead.
      notes.push(
        `using a GetSessionToken session (no MFA) so the stored keys of ${source.profile} stay in the store; --no-session hands out the keys`,
      );
      addSession(
        requested.name,
        undefined,
        flag ??
          sessionEnv ?? { seconds: DEFAULT_SESSION, from: "the default for a session used as is" },
      );
    } else if (flag !== undefined) {
      notes.push(`-d is ignored: ${source.kind} credentials are handed out as they are`);
    }
  }

  if (req.mfaToken !== undefined && !steps.some((s) => s.mfa !== undefined)) {
    throw mfaTokenUnused(requested.name, pending, req.noSession === true);
  }

  const region =
    req.region ??
    chain.find((p) => p.region !== undefined)?.region ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION);
  const stsRegion = region ?? "us-east-1";
  const endpoint = resolveStsEndpoint(env, config, chain, stsRegion);
  return {
    profile: requested.name,
    chain: chain.slice(0, base + 1).map((p) => p.name),
    source,
    steps,
    region,
    stsRegion,
    endpoint,
    notes,
  };
}

/**
 * The first profile in the chain that holds long-term credentials itself.
 * The order is deliberate:
 * 1. keys in the store: what awsmfa is for; they win even over a
 *    credential_process that calls awsmfa back (the aws-vault layout);
 * 2. keys in plain text, unless the profile names a source_profile (the AWS
 *    CLI then ignores them too, except for source_profile = itself);
 * 3. credential_process, unless it calls awsmfa for this same profile (that
 *    would recurse into ourselves);
 * 4. else follow source_profile.
 */
function findLongTermSource(
  chain: readonly ProfileConfig[],
  ctx: PlanContext,
  notes: string[],
): { base: number; source: LongTermSource } {
  for (let k = 0; k < chain.length; k++) {
    const p = chain[k];
    if (p === undefined) break;
    const follows = p.sourceProfile !== undefined && p.sourceProfile !== p.name;
    if (ctx.storedKeys.has(p.name)) {
      if (follows) {
        notes.push(
          `profile ${p.name} has keys in the store and source_profile = ${p.sourceProfile ?? ""}; the stored keys win`,
        );
      }
      if (p.credentialProcess !== undefined) {
        notes.push(`profile ${p.name}: using its stored keys, not its credential_process`);
      }
      notes.push(`long-term keys: stored keys of profile ${p.name}`);
      return { base: k, source: { kind: "stored-keys", profile: p.name } };
    }
    if (p.staticKeys !== undefined && !follows) {
      const w = p.staticKeys.where;
      notes.push(
        `long-term keys: profile ${p.name} has keys in plain text in ${w.file}:${String(w.line)}; 'awsmfa add ${p.name}' moves them into the store`,
      );
      return {
        base: k,
        source: {
          kind: "static-keys",
          profile: p.name,
          where: w,
          temporary: p.staticKeys.sessionToken !== undefined,
        },
      };
    }
    if (p.credentialProcess !== undefined) {
      const call = parseAwsmfaCall(p.credentialProcess);
      const where = p.where.credential_process;
      if (call === undefined || (call.profile !== undefined && call.profile !== p.name)) {
        notes.push(`long-term keys: credential_process of profile ${p.name}`);
        return {
          base: k,
          source: {
            kind: "credential-process",
            profile: p.name,
            command: p.credentialProcess,
            where,
          },
        };
      }
      if (!follows) {
        throw new AwsmfaError(
          "E_NO_STORED_KEYS",
          `Profile ${p.name} has no keys in the store, and its credential_process${at(where)} calls awsmfa for ${p.name} itself.`,
          { hint: `Store its keys with 'awsmfa add ${p.name}'.` },
        );
      }
      notes.push(
        `profile ${p.name}: its credential_process calls awsmfa back; following source_profile instead`,
      );
    }
    if (follows) continue;
    if (p.ssoStartUrl !== undefined || p.ssoSession !== undefined) {
      throw new AwsmfaError(
        "E_UNSUPPORTED_SSO",
        `Profile ${p.name}${at(p.location)} uses IAM Identity Center (sso_*), which awsmfa does not handle.`,
        { hint: "Use 'aws sso login' for this profile, or add IAM user keys with 'awsmfa add'." },
      );
    }
    throw new AwsmfaError(
      "E_NO_CREDENTIALS",
      `Profile ${p.name}${at(p.location)} has no keys in the store, no credential_process and no source_profile${k > 0 ? ` (reached from ${chain[0]?.name ?? ""})` : ""}.`,
      { hint: `Store its keys with 'awsmfa add ${p.name}', or set source_profile.` },
    );
  }
  throw new Error("findLongTermSource: chain ended without a root");
}

/**
 * --mfa-token given for credentials that need no code. Refused rather than
 * ignored: the user expects MFA-backed credentials, and getting a session
 * without MFA instead (a profile that lacks mfa_serial, a config file that
 * is not the one they think) fails later, under a policy that requires MFA,
 * far from the cause. Nothing has been sent, so the code is not spent.
 */
function mfaTokenUnused(
  profile: string,
  unused: MfaDevice | undefined,
  noSession: boolean,
): AwsmfaError {
  return noSession && unused !== undefined
    ? new AwsmfaError(
        "E_MFA_TOKEN_UNUSED",
        `--mfa-token was given, but with --no-session profile ${profile} hands out long-term keys and uses no MFA code (mfa_serial ${unused.serial} of profile ${unused.profile} is not used). Nothing was sent; the code is not spent.`,
        {
          hint: "Leave out --no-session to get an MFA session, or leave out --mfa-token.",
          exitCode: 2,
        },
      )
    : new AwsmfaError(
        "E_MFA_TOKEN_UNUSED",
        `--mfa-token was given, but profile ${profile} uses no MFA device: neither it nor a profile it uses sets mfa_serial. Nothing was sent; the code is not spent.`,
        {
          hint: `Add mfa_serial to profile ${profile} (or its source profile) if it should use MFA, or leave out --mfa-token.`,
          exitCode: 2,
        },
      );
}

function roleDuration(
  p: ProfileConfig,
  final: boolean,
  flag: Duration | undefined,
  roleEnv: Duration | undefined,
): Duration {
  if (final && flag !== undefined) return flag;
  if (roleEnv !== undefined) return roleEnv;
  if (p.durationSeconds !== undefined) {
    const w = p.where.duration_seconds;
    return { seconds: p.durationSeconds, from: `duration_seconds of profile ${p.name}${at(w)}` };
  }
  return { seconds: DEFAULT_ROLE, from: "the default for roles" };
}

function mfaProcessFor(
  p: ProfileConfig,
  requested: ProfileConfig,
): { readonly command: string; readonly where?: SourceLocation } | undefined {
  const owner =
    p.mfaProcess !== undefined ? p : requested.mfaProcess !== undefined ? requested : undefined;
  if (owner?.mfaProcess === undefined) return undefined;
  const where = owner.where.mfa_process;
  return where === undefined ? { command: owner.mfaProcess } : { command: owner.mfaProcess, where };
}

const ROLE_SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function checkRoleSessionName(name: string, p: ProfileConfig): void {
  if (!ROLE_SESSION_NAME.test(name)) {
    throw new AwsmfaError(
      "E_BAD_ROLE_SESSION_NAME",
      `role_session_name '${name}' of profile ${p.name}${at(p.where.role_session_name)} is not what AWS accepts (2 to 64 of letters, digits and + = , . @ _ -).`,
      { hint: "Change role_session_name, or remove it to use your user name." },
    );
  }
}

function at(w: SourceLocation | undefined): string {
  return w === undefined ? "" : ` (${w.file}:${String(w.line)})`;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}
