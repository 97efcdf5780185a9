/**
 * A role assumed straight from the long-term keys, with the MFA code on
 * the AssumeRole call itself, when a session in between cannot or must not
 * be used: --no-session; source keys that are already temporary
 * (GetSessionToken refuses them); or a role duration over 1 h (a role
 * assumed with session credentials is capped at 1 h by AWS).
 */
import { CHAINED_ROLE_MAX, formatDuration } from "../durations.ts";
import { addRoleStep } from "./addRoleStep.ts";
import { note, sourceIsTemporary, type HopRule } from "./PlanState.ts";

export const directMfaRoleHop: HopRule = (s, inputs, hop) => {
  const role = hop.role;
  const device = s.pending ?? hop.own;
  if (role === undefined || s.holding !== "long-term" || device === undefined) return undefined;
  const why =
    inputs.req.noSession === true
      ? "--no-session"
      : sourceIsTemporary(inputs.source)
        ? "the source credentials are temporary"
        : role.duration.seconds > CHAINED_ROLE_MAX
          ? `the role duration is over 1h (${formatDuration(role.duration.seconds)} from ${role.duration.from})`
          : undefined;
  if (why === undefined) return undefined;
  const hopMfa = hop.own ?? device;
  let next = note(
    s,
    `skipping GetSessionToken because ${why}; assuming ${role.arn} directly with MFA (${hopMfa.serial}) from the keys of ${inputs.source.profile}`,
  );
  if (s.pending !== undefined && s.pending.serial !== hopMfa.serial) {
    next = note(
      next,
      `${s.pending.serial} of profile ${s.pending.profile} is not used: one AssumeRole carries one device`,
    );
  }
  return addRoleStep(next, inputs, hop, role, hopMfa);
};
