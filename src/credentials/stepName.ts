/** How a plan step is named in messages and --debug lines. */
import type { PlanStep } from "./plan/types.ts";

export function stepName(step: PlanStep): string {
  return step.kind === "session"
    ? `session for ${step.sourceProfile}/${step.mfa?.serial ?? "no MFA"}`
    : `role credentials for profile ${step.profile} (${step.roleArn})`;
}
