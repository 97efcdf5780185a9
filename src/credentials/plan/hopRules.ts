/**
 * The rules for one profile of the chain, tried in order; the first that
 * applies decides. Each is a pure function of the plan so far. A new kind
 * of hop is one more rule (in its own file) placed where its "why" says.
 *
 * Why this order:
 * 1. A profile with neither role_arn nor mfa_serial adds nothing (it only
 *    carries settings such as region, or names the source).
 * 2. An mfa_serial without role_arn waits (pending) for what follows: a
 *    role uses it, or at the end it becomes a session of its own. It comes
 *    before the role rules because they read the pending device.
 * 3. A role that must be assumed straight from the long-term keys with MFA
 *    (--no-session, temporary source keys, more than 1 h asked for) comes
 *    before the session rule, which would otherwise claim it.
 * 4. A role over long-term keys with a device: one MFA session first, so
 *    every role sharing the source and device shares one prompt.
 * 5. Any other role: chained from a role or session, MFA only if its own
 *    device is not proven yet.
 */
import type { HopRule } from "./PlanState.ts";
import { profileWithoutHop } from "./profileWithoutHop.ts";
import { mfaOnlyHop } from "./mfaOnlyHop.ts";
import { directMfaRoleHop } from "./directMfaRoleHop.ts";
import { sessionRoleHop } from "./sessionRoleHop.ts";
import { roleHop } from "./roleHop.ts";

export const HOP_RULES: readonly HopRule[] = [
  profileWithoutHop,
  mfaOnlyHop,
  directMfaRoleHop,
  sessionRoleHop,
  roleHop,
];
