/**
 * The plan as --debug lines. Nothing secret is in a plan, so this is safe
 * to print as is.
 */
import { formatDuration } from "./durations.ts";
import type { CredentialPlan, PlanStep } from "./plan/types.ts";

export function describePlan(plan: CredentialPlan): string[] {
  const lines: string[] = [];
  lines.push(
    `profile ${plan.profile}: chain ${plan.chain.join(" -> ")}; STS at ${plan.endpoint.url} (${plan.endpoint.from}), region ${plan.stsRegion}`,
  );
  lines.push(...plan.notes);
  if (plan.steps.length === 0) {
    lines.push(
      `no STS call: handing out the ${plan.source.kind} of profile ${plan.source.profile} as they are`,
    );
  }
  plan.steps.forEach((s, i) => lines.push(`step ${String(i + 1)}: ${describeStep(s)}`));
  return lines;
}

export function describeStep(s: PlanStep): string {
  const d = `${formatDuration(s.duration.seconds)} (${s.duration.from})`;
  if (s.kind === "session") {
    return `GetSessionToken for ${s.sourceProfile}${s.mfa === undefined ? " without MFA" : ` with MFA ${s.mfa.serial}`}, ${d}`;
  }
  const extras = [
    s.mfa === undefined ? undefined : `MFA ${s.mfa.serial}`,
    s.externalId === undefined ? undefined : "external id",
    s.sourceIdentity === undefined ? undefined : `source identity ${s.sourceIdentity}`,
    s.tags.length === 0 ? undefined : `tags ${s.tags.map((t) => t.key).join(",")}`,
    s.chained ? "chained" : undefined,
  ].filter((x) => x !== undefined);
  return `AssumeRole ${s.roleArn} for profile ${s.profile} as ${s.roleSessionName}, ${d}${extras.length > 0 ? `; ${extras.join("; ")}` : ""}`;
}
