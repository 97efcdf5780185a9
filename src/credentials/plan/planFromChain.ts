/**
 * The plan: which long-term credentials, whether a GetSessionToken session is
 * used, and which AssumeRole hops follow, with every duration, MFA device and
 * cache key decided up front. Pure: no store, no network, no clock. `--debug`
 * prints it (describePlan.ts) and tests assert on it.
 *
 * The chain is walked from the profile holding the long-term credentials to
 * the one asked for; at each profile the first rule of HOP_RULES that
 * applies decides (hopRules.ts says why in that order); finishPlan decides
 * what is handed out when no role did.
 */
import type { AwsConfig, ProfileConfig } from "../../config/types.ts";
import { resolveStsEndpoint } from "../../aws/endpoint.ts";
import {
  CHAINED_SESSION_TTL_VARS,
  ROLE_TTL_VARS,
  SESSION_TTL_VARS,
  durationFromEnv,
} from "../durations.ts";
import type { CredentialRequest } from "../types.ts";
import { nonBlank } from "../../platform/env.ts";
import { findLongTermSource } from "./findLongTermSource.ts";
import { finishPlan } from "./finishPlan.ts";
import { HOP_RULES } from "./hopRules.ts";
import { mfaDevice } from "./mfaDevice.ts";
import { initialState, type Hop, type PlanInputs, type PlanState } from "./PlanState.ts";
import { roleDuration } from "./roleDuration.ts";
import { mfaTokenUnused } from "./mfaTokenUnused.ts";
import { DURATION_FLAG, type CredentialPlan, type PlanContext } from "./types.ts";

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
  const requested = chain[0];
  if (requested === undefined) throw new Error("planFromChain: empty chain");
  const notes: string[] = [];
  const { base, source } = findLongTermSource(chain, ctx, notes);
  const env = ctx.env;
  const inputs: PlanInputs = {
    chain,
    base,
    source,
    req,
    env,
    flag:
      req.durationSeconds === undefined
        ? undefined
        : { seconds: req.durationSeconds, from: DURATION_FLAG },
    sessionEnv: durationFromEnv(env, SESSION_TTL_VARS),
    chainedSessionEnv: durationFromEnv(env, CHAINED_SESSION_TTL_VARS),
    roleEnv: durationFromEnv(env, ROLE_TTL_VARS),
  };

  let state = initialState(source, notes);
  for (let k = base; k >= 0; k--) {
    const p = chain[k];
    if (p === undefined) continue;
    const hop: Hop = {
      profile: p,
      index: k,
      own: mfaDevice(p, requested),
      role:
        p.roleArn === undefined
          ? undefined
          : { arn: p.roleArn, duration: roleDuration(state, inputs, p, k === 0) },
    };
    state = applyFirstRule(state, inputs, hop);
  }
  state = finishPlan(state, inputs);
  const sourceMfa = source.kind === "vault" && source.mfa !== undefined;
  if (req.mfaToken !== undefined && !sourceMfa && !state.steps.some((s) => s.mfa !== undefined)) {
    throw mfaTokenUnused(requested.name, state.pending, req.noSession === true);
  }

  const region =
    req.region ??
    chain.find((p) => p.region !== undefined)?.region ??
    nonBlank(env.AWS_REGION) ??
    nonBlank(env.AWS_DEFAULT_REGION);
  const stsRegion = region ?? "us-east-1";
  return {
    profile: requested.name,
    chain: chain.slice(0, base + 1).map((p) => p.name),
    source,
    steps: state.steps,
    region,
    stsRegion,
    endpoint: resolveStsEndpoint(env, config, chain, stsRegion),
    notes: state.notes,
  };
}

function applyFirstRule(s: PlanState, inputs: PlanInputs, hop: Hop): PlanState {
  for (const rule of HOP_RULES) {
    const next = rule(s, inputs, hop);
    if (next !== undefined) return next;
  }
  // roleHop takes every role and profileWithoutHop / mfaOnlyHop every other profile.
  throw new Error(`no plan rule for profile ${hop.profile.name}`);
}
