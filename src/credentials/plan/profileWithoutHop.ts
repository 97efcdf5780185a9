/** A profile with neither role_arn nor mfa_serial adds no step. */
import type { HopRule } from "./PlanState.ts";

export const profileWithoutHop: HopRule = (s, _inputs, hop) =>
  hop.profile.roleArn === undefined && hop.own === undefined ? s : undefined;
