import { partitionOf, type Partition } from "../aws/federation.ts";
import type { CredentialPlan } from "./plan/types.ts";

/**
 * A plan's AWS partition: the region's when there is one, else the one its
 * ARNs (role_arn, mfa_serial) name, else "aws".
 */
export function planPartition(plan: CredentialPlan, region: string | undefined): Partition {
  const arns = plan.steps.flatMap((s) => [
    ...(s.kind === "role" ? [s.roleArn] : []),
    ...(s.mfa === undefined ? [] : [s.mfa.serial]),
  ]);
  return partitionOf(region, arns);
}
