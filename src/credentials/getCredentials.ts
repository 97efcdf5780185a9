/**
 * The credential engine: profile -> plan -> [GetSessionToken with MFA] ->
 * [AssumeRole hops], every STS result cached in the secret store under a
 * cross-process lock, so N callers that miss the cache together produce one
 * MFA prompt and one STS call.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { AwsConfig } from "../config/types.ts";
import { AwsmfaError, redactKeyId } from "../errors.ts";
import { inheritedEnv } from "../platform/inheritedEnv.ts";
import { withLock } from "../platform/lock.ts";
import { parseStoredKeys } from "../store/SecretStore.ts";
import type { AwsCredentials, TemporaryCredentials } from "../aws/StsClient.ts";
import { StsError } from "../aws/StsError.ts";
import { checkMfaCode } from "../mfa/mfaCode.ts";
import { createMfaCodeSource, type MfaCodeSource } from "../mfa/mfaCodeSource.ts";
import { parseCredentialProcessOutput, type ProcessCredentials } from "./credentialProcess.ts";
import { describePlan } from "./describePlan.ts";
import { isSessionOf, parseCacheKey, sessionFamily } from "./cacheKey.ts";
import { formatDuration } from "./durations.ts";
import { planFromChain } from "./plan/planFromChain.ts";
import {
  DURATION_FLAG,
  type CredentialPlan,
  type LongTermSource,
  type PlanContext,
  type PlanStep,
} from "./plan/types.ts";
import { resolveProfile } from "../config/resolveProfile.ts";
import { dropCachedSession, readCachedSession, writeCachedSession } from "./sessionCache.ts";
import {
  clearRejection,
  isRejectedCode,
  recordRejection,
  rejectionPath,
  rejectionSince,
} from "./rejectedCode.ts";
import type { CredentialRequest, EngineDeps, ResolvedCredentials } from "./types.ts";

/** Profiles being resolved by awsmfa processes above us (credential_process calling awsmfa). */
export const RESOLVING_VAR = "AWSMFA_RESOLVING_PROFILES";
const DEFAULT_LOCK_TIMEOUT_MS = 120_000;
const CREDENTIAL_PROCESS_TIMEOUT_MS = 300_000;
/**
 * How much less than -d asked for a cached entry may have left and still be
 * reused: one fetched moments ago by another process (we waited on its lock)
 * or on a clock a little off from STS's is not "shorter than asked".
 */
const ASKED_DURATION_SLACK_MS = 5 * 60_000;

/** The plan for a request, without any I/O (the store's key names come in `ctx`). */
export function planCredentials(
  config: AwsConfig,
  req: CredentialRequest,
  ctx: PlanContext,
): CredentialPlan {
  const { chain } = resolveProfile(config, req.profile, { storedKeys: ctx.storedKeys });
  return planFromChain(config, chain, req, ctx);
}

export async function getCredentials(
  deps: EngineDeps,
  req: CredentialRequest,
): Promise<ResolvedCredentials> {
  // Shape first: a malformed code must fail before anything is sent or prompted.
  if (req.mfaToken !== undefined) checkMfaCode(req.mfaToken, "--mfa-token");
  const resolving = resolvingProfiles(deps.env);
  if (resolving.includes(req.profile)) {
    throw new AwsmfaError(
      "E_CREDENTIAL_PROCESS_CYCLE",
      `credential_process commands call awsmfa in a cycle: ${[...resolving, req.profile].join(" -> ")}.`,
      {
        hint: `Store keys for one of these profiles with 'awsmfa add', or fix their credential_process.`,
      },
    );
  }
  // One listing (names only, nothing decrypted) for both the stored keys and
  // the cached sessions: a session is found by its family, not by one name.
  const refs = await deps.store.list();
  const storedKeys = new Set(refs.filter((r) => r.kind === "keys").map((r) => r.name));
  const sessionNames = refs.filter((r) => r.kind === "session").map((r) => r.name);
  const plan = planCredentials(deps.config, req, { storedKeys, env: deps.env });
  for (const line of describePlan(plan)) deps.debug(line);
  return new Run(deps, req, plan, resolving, sessionNames).resolve();
}

interface Obtained {
  readonly creds: TemporaryCredentials;
  /** Fetched from STS in this run (not from the cache). */
  readonly fresh: boolean;
  /** The store name it was read from or written under. */
  readonly key: string;
}

class Run {
  private readonly mfa: MfaCodeSource;
  private longTermPromise: Promise<ProcessCredentials> | undefined;
  /** An MFA code was asked for (from --mfa-token, mfa_process or the terminal) in this run. */
  private codeNeeded = false;
  /** When this run began: a code rejected after it was rejected while we waited. */
  private readonly started: number;

  constructor(
    private readonly deps: EngineDeps,
    private readonly req: CredentialRequest,
    private readonly plan: CredentialPlan,
    private readonly resolving: readonly string[],
    /** Session names in the store when the run started. */
    private readonly sessionNames: readonly string[],
  ) {
    this.mfa = createMfaCodeSource({
      ...(req.mfaToken === undefined ? {} : { token: req.mfaToken }),
      prompt: deps.mfa.prompt,
      ...(deps.mfa.driver === undefined ? {} : { driver: deps.mfa.driver }),
      runProcess: deps.runProcess,
      env: deps.env,
      debug: deps.debug,
    });
    this.started = deps.clock.now();
  }

  async resolve(): Promise<ResolvedCredentials> {
    const region = this.plan.region === undefined ? {} : { region: this.plan.region };
    const last = this.plan.steps.length - 1;
    const final = this.plan.steps[last];
    if (final === undefined) {
      const c = await this.longTerm();
      return {
        accessKeyId: c.accessKeyId,
        secretAccessKey: c.secretAccessKey,
        ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
        ...region,
        source: this.plan.source.kind,
      };
    }
    const { creds } = await this.obtain(last);
    const proven = this.plan.steps.find((s) => s.mfa !== undefined);
    if (this.req.mfaToken !== undefined && !this.codeNeeded && proven !== undefined) {
      this.deps.warn(
        `--mfa-token was not needed: the cached ${stepName(proven)} is still good. The code was not sent, so it is not spent.`,
      );
    }
    return {
      accessKeyId: creds.accessKeyId,
      secretAccessKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
      expiration: creds.expiration,
      ...region,
      source: final.kind,
    };
  }

  /** Step i's credentials: from the cache, else from STS under the step's lock. */
  private async obtain(i: number): Promise<Obtained> {
    const step = this.step(i);
    const cached = await this.lookup(step, "", this.sessionNames, false);
    if (cached !== undefined) return { ...cached, fresh: false };
    const lock = lockPath(this.deps.lockDir, lockKey(step));
    const rejected = rejectionPath(lock);
    const timeoutMs = this.deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    return withLock(
      lock,
      async () => {
        // Another process may have fetched it while we waited for the lock.
        const names = (await this.deps.store.list("session")).map((r) => r.name);
        const again = await this.lookup(step, " (fetched by another awsmfa process)", names, true);
        if (again !== undefined) return { ...again, fresh: false };
        // Or had its MFA code rejected while we waited: fail as it did, rather
        // than every waiter asking for a code of its own.
        const failed = await rejectionSince(rejected, this.started);
        if (failed !== undefined) {
          this.deps.debug(
            `awsmfa process ${String(failed.byPid)} had its MFA code rejected while we waited for the ${stepName(step)}`,
          );
          throw failed;
        }
        const done = this.deps.progress?.(`getting the ${stepName(step)}`);
        let creds;
        try {
          creds = await this.fetch(i, step);
        } catch (e) {
          if (step.mfa !== undefined && isRejectedCode(e)) {
            // Best effort: the rejection is what the user must see.
            await recordRejection(rejected, e, this.deps.clock.now()).catch((e2: unknown) => {
              this.deps.debug(`could not record the rejected code beside the lock: ${String(e2)}`);
            });
          }
          throw e;
        } finally {
          done?.();
        }
        // Best effort: these credentials may have cost an MFA code.
        await clearRejection(rejected).catch((e: unknown) => {
          this.deps.debug(`could not remove ${rejected}: ${String(e)}`);
        });
        try {
          await writeCachedSession(this.deps.store, step.cacheKey, creds);
          this.deps.debug(
            `cached ${stepName(step)} until ${creds.expiration.toISOString()} in the ${this.deps.store.backend} store`,
          );
        } catch (e) {
          // The credentials are good and an MFA code may have been spent on
          // them: hand them out, and say that the next call starts over.
          const why = e instanceof Error ? e.message : String(e);
          const hint = e instanceof AwsmfaError && e.hint !== undefined ? ` ${e.hint}` : "";
          this.deps.warn(
            `could not cache the ${stepName(step)} in the ${this.deps.store.backend} store (${why}); using it this once, the next call will get new credentials from STS.${hint}`,
          );
        }
        return { creds, fresh: true, key: step.cacheKey };
      },
      {
        clock: this.deps.clock,
        timeoutMs,
        // A holder may wait for a person to type a code; one that holds the
        // lock longer than its waiters wait (a dead container's) is gone.
        holdMs: timeoutMs,
        what: `the ${stepName(step)}, which another awsmfa process is getting (it may be waiting for an MFA code)`,
        onWait: (holder) => {
          this.deps.debug(
            `waiting for awsmfa process ${String(holder.pid)}, which is getting the ${stepName(step)}`,
          );
        },
        onLongWait: (holder) => {
          this.deps.warn(
            `waiting for awsmfa process ${String(holder.pid)} on ${holder.host}, which is getting the ${stepName(step)} and may be waiting for an MFA code; giving up after ${String(Math.round(timeoutMs / 1000))} s.`,
          );
        },
      },
    );
  }

  private async fetch(i: number, step: PlanStep): Promise<TemporaryCredentials> {
    let source = await this.sourceFor(i);
    // The code is asked for once per step: a retry below reuses it (AWS
    // rejected the request before looking at the code).
    if (step.mfa !== undefined) this.codeNeeded = true;
    const code =
      step.mfa === undefined
        ? undefined
        : await this.mfa({
            serial: step.mfa.serial,
            profile: step.mfa.profile,
            ...(step.mfa.mfaProcess === undefined ? {} : { mfaProcess: step.mfa.mfaProcess }),
          });
    try {
      return await this.call(step, source.creds, code);
    } catch (e) {
      const prev = i > 0 ? this.step(i - 1) : undefined;
      if (
        prev !== undefined &&
        !source.fresh &&
        e instanceof StsError &&
        (e.kind === "expired-token" || e.kind === "invalid-client-token")
      ) {
        this.deps.debug(
          `the cached ${stepName(prev)} was rejected (${e.awsCode ?? e.kind}); dropping it and getting a new one`,
        );
        if (source.key !== undefined) await dropCachedSession(this.deps.store, source.key);
        source = await this.obtain(i - 1);
        try {
          return await this.call(step, source.creds, code);
        } catch (e2) {
          throw this.explain(e2, step, i);
        }
      }
      throw this.explain(e, step, i);
    }
  }

  private async sourceFor(
    i: number,
  ): Promise<{ creds: AwsCredentials; fresh: boolean; key?: string }> {
    if (i === 0) {
      const c = await this.longTerm();
      return {
        creds: {
          accessKeyId: c.accessKeyId,
          secretAccessKey: c.secretAccessKey,
          ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
        },
        fresh: true,
      };
    }
    return this.obtain(i - 1);
  }

  private async call(
    step: PlanStep,
    creds: AwsCredentials,
    code: string | undefined,
  ): Promise<TemporaryCredentials> {
    const client = this.deps.sts({
      credentials: creds,
      region: this.plan.stsRegion,
      endpoint: this.plan.endpoint.url,
      ...(this.deps.stsTimeouts === undefined ? {} : { timeouts: this.deps.stsTimeouts }),
    });
    const mfa =
      step.mfa === undefined || code === undefined
        ? {}
        : { serialNumber: step.mfa.serial, tokenCode: code };
    this.deps.debug(
      `calling ${step.kind === "session" ? "GetSessionToken" : `AssumeRole ${step.roleArn}`} with key ${redactKeyId(creds.accessKeyId)}${code === undefined ? "" : " and an MFA code"}, ${formatDuration(step.duration.seconds)}`,
    );
    if (step.kind === "session") {
      return client.getSessionToken({ durationSeconds: step.duration.seconds, ...mfa });
    }
    return client.assumeRole({
      roleArn: step.roleArn,
      roleSessionName: step.roleSessionName,
      durationSeconds: step.duration.seconds,
      ...mfa,
      ...(step.externalId === undefined ? {} : { externalId: step.externalId }),
      ...(step.sourceIdentity === undefined ? {} : { sourceIdentity: step.sourceIdentity }),
      ...(step.tags.length === 0 ? {} : { tags: step.tags }),
      ...(step.transitiveTagKeys.length === 0 ? {} : { transitiveTagKeys: step.transitiveTagKeys }),
    });
  }

  /**
   * A usable cached entry for the step. A role is one exact name. A session
   * is any entry of its family (same source profile and MFA serial, or the
   * same absence of one), whatever duration it was fetched with; the one
   * with the most time left wins. So `exec admin` (an 8h session to assume
   * roles from) and then `exec caktus-mfa` (1h by default) share one MFA
   * prompt, as DESIGN asks: one GetSessionToken per (source, mfa_serial).
   *
   * A duration from the environment or the defaults only shapes an entry
   * that has to be fetched: a cached one is handed out with whatever it has
   * left, so callers asking for different lengths share one MFA prompt.
   * An explicit -d is different: the user said how long the credentials
   * must last, so an entry with less left than that (give or take
   * ASKED_DURATION_SLACK_MS) is passed over and a new one fetched.
   */
  private async lookup(
    step: PlanStep,
    how: string,
    names: readonly string[],
    locked: boolean,
  ): Promise<{ creds: TemporaryCredentials; key: string } | undefined> {
    const now = this.deps.clock.now();
    const keys =
      step.kind === "role"
        ? [step.cacheKey]
        : names.filter((n) => isSessionOf(parseCacheKey(n), step.sourceProfile, step.mfa?.serial));
    const asked = step.duration.from === DURATION_FLAG ? step.duration.seconds : undefined;
    let best: { creds: TemporaryCredentials; key: string } | undefined;
    for (const key of keys) {
      const r = await readCachedSession(this.deps.store, key, now, locked);
      if (r.hit) {
        const leftMs = r.credentials.expiration.getTime() - now;
        if (asked !== undefined && leftMs < asked * 1000 - ASKED_DURATION_SLACK_MS) {
          if (locked) {
            this.deps.debug(
              `not reusing the cached ${stepName(step)}: ${formatDuration(leftMs / 1000)} left, less than the ${formatDuration(asked)} asked for with -d`,
            );
          }
          continue;
        }
        if (best === undefined || r.credentials.expiration > best.creds.expiration) {
          best = { creds: r.credentials, key };
        }
      } else if (r.why !== "missing" && locked) {
        this.deps.debug(
          `dropped the cached ${stepName(step)}: ${r.why === "expiring" ? "5 minutes or less left" : "unreadable"}`,
        );
      }
    }
    if (best !== undefined) {
      const left = formatDuration((best.creds.expiration.getTime() - now) / 1000);
      this.deps.debug(`reusing cached ${stepName(step)}${how}, ${left} left`);
    }
    return best;
  }

  /** The long-term credentials, loaded once per run. */
  private longTerm(): Promise<ProcessCredentials> {
    this.longTermPromise ??= this.loadLongTerm(this.plan.source);
    return this.longTermPromise;
  }

  private async loadLongTerm(source: LongTermSource): Promise<ProcessCredentials> {
    switch (source.kind) {
      case "stored-keys": {
        const raw = await this.deps.store.get("keys", source.profile);
        const keys = raw === undefined ? undefined : parseStoredKeys(raw);
        if (keys === undefined) {
          throw new AwsmfaError(
            raw === undefined ? "E_NO_STORED_KEYS" : "E_STORED_KEYS_UNREADABLE",
            raw === undefined
              ? `The keys of profile ${source.profile} disappeared from the ${this.deps.store.backend} store.`
              : `The keys stored for profile ${source.profile} in the ${this.deps.store.backend} store are not readable.`,
            { hint: `Store them again with 'awsmfa add ${source.profile}'.` },
          );
        }
        this.deps.debug(
          `using the stored keys of profile ${source.profile} (${redactKeyId(keys.accessKeyId)})`,
        );
        return keys;
      }
      case "static-keys": {
        const p = this.deps.config.profiles.get(source.profile);
        const k = p?.staticKeys;
        if (k === undefined)
          throw new Error(`static keys of ${source.profile} vanished from the config`);
        this.deps.debug(
          `using keys in plain text from ${k.where.file}:${String(k.where.line)} (${redactKeyId(k.accessKeyId)}); 'awsmfa add ${source.profile}' would keep them encrypted`,
        );
        return k.sessionToken === undefined
          ? { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey }
          : {
              accessKeyId: k.accessKeyId,
              secretAccessKey: k.secretAccessKey,
              sessionToken: k.sessionToken,
            };
      }
      case "credential-process": {
        const at =
          source.where === undefined ? "" : ` (${source.where.file}:${String(source.where.line)})`;
        const what = `credential_process of profile ${source.profile}${at}`;
        this.deps.debug(`running the ${what}`);
        const env = inheritedEnv(this.deps.env);
        env[RESOLVING_VAR] = JSON.stringify([...this.resolving, this.req.profile]);
        const r = await this.deps.runProcess(source.command, {
          env,
          timeoutMs: CREDENTIAL_PROCESS_TIMEOUT_MS,
          what,
        });
        if (r.code !== 0) {
          throw new AwsmfaError(
            "E_CREDENTIAL_PROCESS_FAILED",
            `The ${what} failed (${r.code === null ? "killed by a signal" : `exit code ${String(r.code)}`}).`,
            { hint: "Run the command by hand to see its error." },
          );
        }
        const c = parseCredentialProcessOutput(r.stdout, what, this.deps.clock.now());
        this.deps.debug(`the ${what} gave key ${redactKeyId(c.accessKeyId)}`);
        return c;
      }
    }
  }

  private step(i: number): PlanStep {
    const s = this.plan.steps[i];
    if (s === undefined) throw new Error(`no plan step ${String(i)}`);
    return s;
  }

  /** Adds what only the engine knows (whose keys, which device) to an STS failure. */
  private explain(e: unknown, step: PlanStep, i: number): unknown {
    if (!(e instanceof StsError)) return e;
    const profile = step.profile;
    const op = step.kind === "session" ? "GetSessionToken" : `AssumeRole ${step.roleArn}`;
    const src = this.plan.source;
    const signer =
      i > 0
        ? `the ${stepName(this.step(i - 1))}`
        : src.kind === "stored-keys"
          ? `the stored keys of profile ${src.profile}`
          : src.kind === "static-keys"
            ? `the keys in ${src.where.file}:${String(src.where.line)}`
            : `the keys from the credential_process of profile ${src.profile}`;
    const make = (message: string, hint: string | undefined) =>
      new AwsmfaError(e.code, message, { hint: hint ?? e.hint ?? "", cause: e });
    const aws = e.awsMessage === "" ? "" : ` AWS said: ${e.awsMessage}`;
    switch (e.kind) {
      case "mfa-rejected":
        return make(
          `STS rejected the MFA code for ${step.mfa?.serial ?? "the device"} (profile ${profile}, ${op}).`,
          "The code was wrong or already used; wait for the next code and try again.",
        );
      case "invalid-client-token":
        return make(
          i === 0 && src.kind === "stored-keys"
            ? `The stored keys for profile ${src.profile} were rejected by STS (${e.awsCode ?? "InvalidClientTokenId"}).`
            : `${capitalise(signer)} were rejected by STS (${op}, ${e.awsCode ?? "InvalidClientTokenId"}).`,
          i === 0 && src.kind === "stored-keys"
            ? `They were deleted or deactivated in IAM: rotate them and store the new ones with 'awsmfa add ${src.profile}'.`
            : undefined,
        );
      case "bad-signature":
        return make(
          `STS rejected the signature made with ${signer} (${op}): the secret key does not belong to the key id.`,
          i === 0 && src.kind === "stored-keys"
            ? `Store the keys again with 'awsmfa add ${src.profile}', copying the secret exactly.`
            : undefined,
        );
      case "access-denied":
        return make(
          `STS denied ${op} for profile ${profile}.${aws}`,
          step.kind === "role"
            ? "Check the role's trust policy: who may assume it, whether it requires MFA (mfa_serial) or an external id (external_id)."
            : undefined,
        );
      case "validation":
        return make(
          `STS rejected the parameters of ${op} for profile ${profile}.${aws}`,
          undefined,
        );
      default:
        return make(`Profile ${profile}: ${e.message}`, undefined);
    }
  }
}

function stepName(step: PlanStep): string {
  return step.kind === "session"
    ? `session for ${step.sourceProfile}/${step.mfa?.serial ?? "no MFA"}`
    : `role credentials for profile ${step.profile} (${step.roleArn})`;
}

/** What a step's lock is named after: a session's family (every duration shares it), a role's key. */
function lockKey(step: PlanStep): string {
  return step.kind === "session"
    ? sessionFamily(step.sourceProfile, step.mfa?.serial)
    : step.cacheKey;
}

/**
 * The lock for one cache key (acquireLock adds ".lock"). Hashed: keys hold
 * ARNs and profile names, which do not make portable file names.
 */
export function lockPath(lockDir: string, key: string): string {
  return join(lockDir, createHash("sha256").update(key).digest("hex").slice(0, 32));
}

function resolvingProfiles(env: Readonly<Record<string, string | undefined>>): string[] {
  const raw = env[RESOLVING_VAR];
  if (raw === undefined || raw === "") return [];
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    v = undefined;
  }
  // Set only by awsmfa for the credential_process commands it runs; a value
  // we cannot read would silently switch off cycle detection, so say so.
  const names = Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  if (!Array.isArray(v) || names.length !== v.length) {
    throw new AwsmfaError(
      "E_BAD_ENVIRONMENT",
      `${RESOLVING_VAR} is set but is not a JSON list of profile names.`,
      { hint: `Unset ${RESOLVING_VAR}: awsmfa sets it itself for the commands it runs.` },
    );
  }
  return names;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
