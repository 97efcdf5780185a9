/**
 * After the last profile: what the credentials handed out are, when no role
 * decided it. In order:
 * 1. --no-session with a device still pending: the long-term keys as they
 *    are (the device is not used, and --debug says so).
 * 2. A pending device (mfa_serial on the profile asked for, or between it
 *    and the keys, with no role after it): a GetSessionToken session with MFA.
 * 3. Stored keys with no step at all: a session without MFA, so the stored
 *    keys never leave the store (--no-session hands them out).
 * 4. Otherwise the source's credentials as they are; -d cannot shape them.
 */
import { DEFAULT_SESSION, type Duration } from "../durations.ts";
import { addSessionStep } from "./addSessionStep.ts";
import { note, type PlanInputs, type PlanState } from "./PlanState.ts";

export function finishPlan(s: PlanState, inputs: PlanInputs): PlanState {
  const { req, source, flag } = inputs;
  const usedAsIs = (): Duration =>
    flag ??
    inputs.sessionEnv ?? { seconds: DEFAULT_SESSION, from: "the default for a session used as is" };
  if (s.pending !== undefined && req.noSession === true) {
    return note(
      s,
      `--no-session: handing out the long-term keys of ${source.profile}; mfa_serial ${s.pending.serial} of profile ${s.pending.profile} is not used`,
    );
  }
  if (s.pending !== undefined) {
    return addSessionStep(s, inputs, s.pending.profile, s.pending, usedAsIs());
  }
  if (s.steps.length > 0) return s;
  if (source.kind === "stored-keys" && req.noSession !== true) {
    const next = note(
      s,
      `using a GetSessionToken session (no MFA) so the stored keys of ${source.profile} stay in the store; --no-session hands out the keys`,
    );
    const requested = inputs.chain[0]?.name ?? source.profile;
    return addSessionStep(next, inputs, requested, undefined, usedAsIs());
  }
  if (flag !== undefined) {
    return note(s, `-d is ignored: ${source.kind} credentials are handed out as they are`);
  }
  return s;
}
