/**
 * A GetSessionToken step signed by the long-term keys. Roles that follow
 * depend on which session (its family), not on how long it was fetched for:
 * a cached session of the same family serves any duration.
 */
import { sessionCacheKey, sessionFamily } from "../cacheKey.ts";
import { SESSION_MAX, SESSION_MIN, checkRange, type Duration } from "../durations.ts";
import { prove, type PlanInputs, type PlanState } from "./PlanState.ts";
import type { MfaDevice } from "./types.ts";

export function addSessionStep(
  s: PlanState,
  inputs: PlanInputs,
  profile: string,
  mfa: MfaDevice | undefined,
  duration: Duration,
): PlanState {
  checkRange(duration, "A GetSessionToken session", SESSION_MIN, SESSION_MAX, "");
  const sourceProfile = inputs.source.profile;
  const next: PlanState = {
    ...s,
    steps: [
      ...s.steps,
      {
        kind: "session",
        sourceProfile,
        profile,
        mfa,
        duration,
        cacheKey: sessionCacheKey(sourceProfile, mfa?.serial, duration.seconds),
      },
    ],
    upstream: sessionFamily(sourceProfile, mfa?.serial),
    holding: "session",
  };
  return mfa === undefined ? next : prove(next, mfa.serial);
}
