/**
 * A role over long-term keys with an MFA device (named between the role and
 * its source, or on the role itself): one GetSessionToken with MFA first,
 * then AssumeRole with that session. Every role that shares the source and
 * device then shares one prompt. A role that names a different device of
 * its own still needs that device's code on its AssumeRole.
 */
import { DEFAULT_CHAINED_SESSION } from "../durations.ts";
import { addRoleStep } from "./addRoleStep.ts";
import { addSessionStep } from "./addSessionStep.ts";
import { note, type HopRule } from "./PlanState.ts";

export const sessionRoleHop: HopRule = (s, inputs, hop) => {
  const role = hop.role;
  const device = s.pending ?? hop.own;
  if (role === undefined || s.holding !== "long-term" || device === undefined) return undefined;
  const duration = inputs.chainedSessionEnv ?? {
    seconds: DEFAULT_CHAINED_SESSION,
    from: "the default for a session used to assume roles",
  };
  let next = note(
    s,
    `using one MFA session for ${inputs.source.profile}/${device.serial} to assume roles from (every role sharing it needs no new code)`,
  );
  next = addSessionStep(next, inputs, device.profile, device, duration);
  const own = hop.own;
  if (own === undefined || next.proven.has(own.serial)) {
    return addRoleStep(next, inputs, hop, role, undefined);
  }
  next = note(
    next,
    `profile ${hop.profile.name} names its own device ${own.serial}: its AssumeRole needs a second code`,
  );
  return addRoleStep(next, inputs, hop, role, own);
};
