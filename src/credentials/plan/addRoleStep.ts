/**
 * An AssumeRole step for a role profile: its session name, tags and cache
 * key. The cache key names whose credentials assume the role (the profiles
 * between it and the keys) and the device that proved the chain, so
 * clearing any of them clears this role too.
 */
import { AwsmfaError } from "../../errors.ts";
import type { ProfileConfig } from "../../config/types.ts";
import { at } from "./at.ts";
import { roleCacheKey } from "../cacheKey.ts";
import { defaultRoleSessionName } from "../roleSessionName.ts";
import { prove, type Hop, type PlanInputs, type PlanState } from "./PlanState.ts";
import type { MfaDevice } from "./types.ts";

export function addRoleStep(
  s: PlanState,
  inputs: PlanInputs,
  hop: Hop,
  role: NonNullable<Hop["role"]>,
  hopMfa: MfaDevice | undefined,
): PlanState {
  const p = hop.profile;
  const roleSessionName = p.roleSessionName ?? defaultRoleSessionName(inputs.env);
  checkRoleSessionName(roleSessionName, p);
  const tags = Object.entries(p.sessionTags ?? {}).map(([key, value]) => ({ key, value }));
  const transitiveTagKeys = [...(p.transitiveSessionTags ?? [])];
  const chainSerial = hopMfa?.serial ?? s.chainSerial;
  const cacheKey = roleCacheKey(
    p.name,
    role.arn,
    role.duration.seconds,
    {
      upstream: s.upstream,
      mfa: hopMfa?.serial,
      externalId: p.externalId,
      roleSessionName,
      sourceIdentity: p.sourceIdentity,
      tags,
      transitiveTagKeys,
    },
    {
      via: inputs.chain.slice(hop.index + 1, inputs.base + 1).map((q) => q.name),
      mfaSerial: chainSerial,
    },
  );
  const next: PlanState = {
    ...s,
    steps: [
      ...s.steps,
      {
        kind: "role",
        profile: p.name,
        roleArn: role.arn,
        roleSessionName,
        duration: role.duration,
        chained: s.holding === "role",
        mfa: hopMfa,
        externalId: p.externalId,
        sourceIdentity: p.sourceIdentity,
        tags,
        transitiveTagKeys,
        cacheKey,
      },
    ],
    pending: undefined,
    upstream: cacheKey,
    holding: "role",
  };
  return hopMfa === undefined ? next : prove(next, hopMfa.serial);
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
