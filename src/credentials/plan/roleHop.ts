/**
 * Any other role: assumed with the credentials the chain holds so far (a
 * session, another role, or keys without a device). It carries its own
 * device's code unless that device already proved this chain.
 */
import { addRoleStep } from "./addRoleStep.ts";
import { note, type HopRule } from "./PlanState.ts";

export const roleHop: HopRule = (s, inputs, hop) => {
  const role = hop.role;
  if (role === undefined) return undefined;
  const own = hop.own;
  if (own !== undefined && s.proven.has(own.serial)) {
    const next = note(
      s,
      `profile ${hop.profile.name}: ${own.serial} was already used in this chain, so AssumeRole carries no MFA code`,
    );
    return addRoleStep(next, inputs, hop, role, undefined);
  }
  return addRoleStep(s, inputs, hop, role, own);
};
