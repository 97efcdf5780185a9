/**
 * How long a role hop's credentials are asked for, and whether AWS allows
 * it: -d for the role asked for, else the TTL variables, else the
 * profile's duration_seconds, else the default. A role assumed with another
 * role's credentials (chaining) is capped at 1 h by AWS.
 */
import { AwsmfaError } from "../../errors.ts";
import type { ProfileConfig } from "../../config/types.ts";
import {
  CHAINED_ROLE_MAX,
  DEFAULT_ROLE,
  ROLE_MAX,
  ROLE_MIN,
  checkRange,
  formatDuration,
  type Duration,
} from "../durations.ts";
import { at } from "./at.ts";
import type { PlanInputs, PlanState } from "./PlanState.ts";

export function roleDuration(
  s: PlanState,
  inputs: PlanInputs,
  p: ProfileConfig,
  final: boolean,
): Duration {
  const duration = pick(p, final, inputs);
  checkRange(duration, `The role duration for profile ${p.name}`, ROLE_MIN, ROLE_MAX, "");
  if (s.holding === "role" && duration.seconds > CHAINED_ROLE_MAX) {
    throw new AwsmfaError(
      "E_BAD_DURATION",
      `Profile ${p.name} assumes its role with credentials from another role (role chaining), which AWS caps at 1h; ${formatDuration(duration.seconds)} was asked for (from ${duration.from}).`,
      { hint: "Ask for 1h or less for chained roles." },
    );
  }
  return duration;
}

function pick(p: ProfileConfig, final: boolean, inputs: PlanInputs): Duration {
  if (final && inputs.flag !== undefined) return inputs.flag;
  if (inputs.roleEnv !== undefined) return inputs.roleEnv;
  if (p.durationSeconds !== undefined) {
    const w = p.where.duration_seconds;
    return { seconds: p.durationSeconds, from: `duration_seconds of profile ${p.name}${at(w)}` };
  }
  return { seconds: DEFAULT_ROLE, from: "the default for roles" };
}
