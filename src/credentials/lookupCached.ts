/**
 * A usable cached entry for a step. A role is one exact name. A session is
 * any entry of its family (same source profile and MFA serial, or the same
 * absence of one), whatever duration it was fetched with; the one with the
 * most time left wins. So `exec admin` (an 8h session to assume roles from)
 * and then `exec caktus-mfa` (1h by default) share one MFA prompt, as
 * DESIGN asks: one GetSessionToken per (source, mfa_serial).
 *
 * A duration from the environment or the defaults only shapes an entry
 * that has to be fetched: a cached one is handed out with whatever it has
 * left, so callers asking for different lengths share one MFA prompt. An
 * explicit -d is different: the user said how long the credentials must
 * last, so an entry with less left than that (give or take
 * ASKED_DURATION_SLACK_MS) is passed over and a new one fetched.
 */
import type { TemporaryCredentials } from "../aws/StsClient.ts";
import { isSessionOf, parseCacheKey } from "./cacheKey.ts";
import { formatDuration } from "./durations.ts";
import { DURATION_FLAG, type PlanStep } from "./plan/types.ts";
import { readCachedSession } from "./sessionCache.ts";
import { stepName } from "./stepName.ts";
import type { EngineDeps } from "./types.ts";

/**
 * How much less than -d asked for a cached entry may have left and still be
 * reused: one fetched moments ago by another process (we waited on its lock)
 * or on a clock a little off from STS's is not "shorter than asked".
 */
const ASKED_DURATION_SLACK_MS = 5 * 60_000;

export interface CachedEntry {
  readonly creds: TemporaryCredentials;
  /** The store name it was read from. */
  readonly key: string;
}

export async function lookupCached(
  deps: Pick<EngineDeps, "clock" | "store" | "debug">,
  step: PlanStep,
  names: readonly string[],
  /** Under the step's lock: may drop expiring entries, and says why it passes one over. */
  locked: boolean,
  how: string,
): Promise<CachedEntry | undefined> {
  const now = deps.clock.now();
  const keys =
    step.kind === "role"
      ? [step.cacheKey]
      : names.filter((n) => isSessionOf(parseCacheKey(n), step.sourceProfile, step.mfa?.serial));
  const asked = step.duration.from === DURATION_FLAG ? step.duration.seconds : undefined;
  let best: CachedEntry | undefined;
  for (const key of keys) {
    const r = await readCachedSession(deps.store, key, now, locked);
    if (r.hit) {
      const leftMs = r.credentials.expiration.getTime() - now;
      if (asked !== undefined && leftMs < asked * 1000 - ASKED_DURATION_SLACK_MS) {
        if (locked) {
          deps.debug(
            `not reusing the cached ${stepName(step)}: ${formatDuration(leftMs / 1000)} left, less than the ${formatDuration(asked)} asked for with -d`,
          );
        }
        continue;
      }
      if (best === undefined || r.credentials.expiration > best.creds.expiration) {
        best = { creds: r.credentials, key };
      }
    } else if (r.why !== "missing" && locked) {
      deps.debug(
        `dropped the cached ${stepName(step)}: ${r.why === "expiring" ? "5 minutes or less left" : "unreadable"}`,
      );
    }
  }
  if (best !== undefined) {
    const left = formatDuration((best.creds.expiration.getTime() - now) / 1000);
    deps.debug(`reusing cached ${stepName(step)}${how}, ${left} left`);
  }
  return best;
}
