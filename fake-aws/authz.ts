/** Identity-policy checks for a principal, with the request keys AWS would set. */
import { faults } from "./errors.ts";
import { evaluate } from "./policy.ts";
import type { Decision } from "./policy.ts";
import { principalArn } from "./state.ts";
import type { FakeState, Principal } from "./state.ts";

/** Global condition keys, lower-case. aws:MultiFactorAuthPresent is absent for long-term keys. */
export function conditionKeys(state: FakeState, p: Principal): Map<string, string> {
  const keys = new Map<string, string>([
    ["aws:principalarn", p.kind === "assumed-role" ? p.role.arn : principalArn(p)],
    ["aws:principalaccount", p.account],
    ["aws:viaawsservice", "false"],
    [
      "aws:principaltype",
      p.kind === "assumed-role" ? "AssumedRole" : p.kind === "federated" ? "FederatedUser" : "User",
    ],
  ]);
  if (p.kind === "user" || p.kind === "session-token" || p.kind === "federated") {
    keys.set("aws:username", p.user.name);
  }
  if (p.kind === "session-token" || p.kind === "assumed-role") {
    keys.set("aws:multifactorauthpresent", String(p.mfa));
    if (p.mfaAtMs !== undefined) {
      keys.set("aws:multifactorauthage", String(Math.floor((state.now() - p.mfaAtMs) / 1000)));
    }
  } else if (p.kind === "federated") {
    keys.set("aws:multifactorauthpresent", "false");
  }
  if (p.kind === "assumed-role") {
    if (p.sourceIdentity !== undefined) keys.set("aws:sourceidentity", p.sourceIdentity);
    for (const t of p.tags) keys.set(`aws:principaltag/${t.Key.toLowerCase()}`, t.Value);
  }
  return keys;
}

export function decide(state: FakeState, p: Principal, action: string, resource: string): Decision {
  return evaluate(state.policiesOf(p), { action, resource, keys: conditionKeys(state, p) });
}

export function notAuthorized(p: Principal, action: string, resource: string, decision?: Decision) {
  const why =
    decision === "explicit-deny"
      ? " with an explicit deny in an identity-based policy"
      : decision === "implicit-deny"
        ? ` because no identity-based policy allows the ${action} action`
        : "";
  return faults.accessDenied(
    `User: ${principalArn(p)} is not authorized to perform: ${action} on resource: ${resource}${why}`,
  );
}

/** Throws AccessDenied unless the principal's policies allow the action. */
export function authorize(state: FakeState, p: Principal, action: string, resource: string): void {
  const d = decide(state, p, action, resource);
  if (d !== "allow") throw notAuthorized(p, action, resource, d);
}
