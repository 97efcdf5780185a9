/**
 * The credential engine: profile -> plan -> [GetSessionToken with MFA] ->
 * [AssumeRole hops]. The plan (plan/) decides every step up front; each
 * step is fetched through cachedStep (cache, cross-process lock, one MFA
 * prompt for N callers) with the credentials of the step before it, the
 * first one signed by the long-term source (sources/).
 */
import type { AwsCredentials, TemporaryCredentials } from "../aws/StsClient.ts";
import { StsError } from "../aws/StsError.ts";
import { checkMfaCode } from "../mfa/mfaCode.ts";
import { createMfaCodeSource, type MfaCodeSource } from "../mfa/mfaCodeSource.ts";
import { cachedStep, type Obtained } from "./cachedStep.ts";
import { callSts } from "./callSts.ts";
import type { ProcessCredentials } from "./credentialProcess.ts";
import { describePlan } from "./describePlan.ts";
import { explainStsFailure } from "./explainStsFailure.ts";
import { startRun } from "./planCredentials.ts";
import { resolved, signing } from "./resolvedCredentials.ts";
import type { CredentialPlan, MfaDevice, PlanStep } from "./plan/types.ts";
import { dropCachedSession } from "./sessionCache.ts";
import { describeSource, loadLongTerm } from "./sources/longTermSources.ts";
import { stepName } from "./stepName.ts";
import type { CredentialRequest, EngineDeps, ResolvedCredentials } from "./types.ts";

export { lockPath } from "./stepLock.ts";
export { RESOLVING_VAR } from "./resolvingProfiles.ts";

export { planCredentials } from "./planCredentials.ts";

export async function getCredentials(
  deps: EngineDeps,
  req: CredentialRequest,
): Promise<ResolvedCredentials> {
  // Shape first: a malformed code must fail before anything is sent or prompted.
  if (req.mfaToken !== undefined) checkMfaCode(req.mfaToken, "--mfa-token");
  const { resolving, sessionNames, plan } = await startRun(deps, req);
  for (const line of describePlan(plan)) deps.debug(line);
  return new Run(deps, req, plan, [...resolving, req.profile], sessionNames).resolve();
}

class Run {
  private readonly mfa: MfaCodeSource;
  private longTermPromise: Promise<ProcessCredentials> | undefined;
  /** An MFA code was asked for (from --mfa-token, mfa_process or the terminal) in this run. */
  private codeNeeded = false;
  private readonly started: number;

  constructor(
    private readonly deps: EngineDeps,
    private readonly req: CredentialRequest,
    private readonly plan: CredentialPlan,
    /** Profiles being resolved by awsmfa processes above us, and this one last. */
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
    const last = this.plan.steps.length - 1;
    const final = this.plan.steps[last];
    if (final === undefined) {
      const c = await this.longTerm();
      const src = this.plan.source;
      if (this.req.mfaToken !== undefined && !this.codeNeeded && src.kind === "vault") {
        this.deps.warn(
          `--mfa-token was not needed: ${describeSource(src)} are cached and still good. The code was not sent, so it is not spent.`,
        );
      }
      return resolved(c, this.plan, src.kind);
    }
    const { creds } = await this.obtain(last);
    const proven = this.plan.steps.find((s) => s.mfa !== undefined);
    if (this.req.mfaToken !== undefined && !this.codeNeeded && proven !== undefined) {
      this.deps.warn(
        `--mfa-token was not needed: the cached ${stepName(proven)} is still good. The code was not sent, so it is not spent.`,
      );
    }
    return resolved(creds, this.plan, final.kind);
  }

  /** Step i's credentials: from the cache, else from STS under the step's lock. */
  private obtain(i: number): Promise<Obtained> {
    const ctx = { deps: this.deps, sessionNames: this.sessionNames, started: this.started };
    return cachedStep(ctx, this.step(i), () => this.fetch(i));
  }

  /** One MFA code for a device, from --mfa-token, mfa_process, --prompt or the terminal. */
  private code(device: MfaDevice): Promise<string> {
    this.codeNeeded = true;
    return this.mfa({
      serial: device.serial,
      profile: device.profile,
      ...(device.mfaProcess === undefined ? {} : { mfaProcess: device.mfaProcess }),
    });
  }

  private async fetch(i: number): Promise<TemporaryCredentials> {
    const step = this.step(i);
    let source = await this.sourceFor(i);
    // The code is asked for once per step: a retry below reuses it (AWS
    // rejected the request before looking at the code).
    const code = step.mfa === undefined ? undefined : await this.code(step.mfa);
    try {
      return await callSts(this.deps, this.plan, step, source.creds, code);
    } catch (e) {
      // A cached step before this one that STS no longer accepts (revoked,
      // or cut short): drop it, get it again, and retry once.
      const prev = i > 0 ? this.step(i - 1) : undefined;
      if (
        prev === undefined ||
        source.fresh ||
        !(e instanceof StsError) ||
        (e.kind !== "expired-token" && e.kind !== "invalid-client-token")
      ) {
        throw explainStsFailure(e, this.plan, i);
      }
      this.deps.debug(
        `the cached ${stepName(prev)} was rejected (${e.awsCode ?? e.kind}); dropping it and getting a new one`,
      );
      if (source.key !== undefined) await dropCachedSession(this.deps.store, source.key);
      source = await this.obtain(i - 1);
      try {
        return await callSts(this.deps, this.plan, step, source.creds, code);
      } catch (e2) {
        throw explainStsFailure(e2, this.plan, i);
      }
    }
  }

  /** What signs step i: the long-term source for the first, the step before for the others. */
  private async sourceFor(
    i: number,
  ): Promise<{ creds: AwsCredentials; fresh: boolean; key?: string }> {
    if (i === 0) return { creds: signing(await this.longTerm()), fresh: true };
    return this.obtain(i - 1);
  }

  /** The long-term credentials, loaded once per run. */
  private longTerm(): Promise<ProcessCredentials> {
    this.longTermPromise ??= loadLongTerm(this.plan.source, {
      deps: this.deps,
      resolving: this.resolving,
      mfaCode: (device) => this.code(device),
    });
    return this.longTermPromise;
  }

  private step(i: number): PlanStep {
    const s = this.plan.steps[i];
    if (s === undefined) throw new Error(`no plan step ${String(i)}`);
    return s;
  }
}
