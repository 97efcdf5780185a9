/**
 * Caching as one wrapper around "fetch this step": look in the cache; else
 * take the step's cross-process lock, look again (another process may have
 * fetched it while we waited), fail as the holder did when its MFA code was
 * rejected while we waited (one prompt, not one per waiter), fetch, and
 * write the result to the store. N callers that miss together make one STS
 * call and one MFA prompt.
 */
import type { TemporaryCredentials } from "../aws/StsClient.ts";
import { AwsmfaError } from "../errors.ts";
import { withLock } from "../platform/lock.ts";
import { lookupCached, type CachedEntry } from "./lookupCached.ts";
import type { PlanStep } from "./plan/types.ts";
import {
  clearRejection,
  isRejectedCode,
  recordRejection,
  rejectionPath,
  rejectionSince,
} from "./rejectedCode.ts";
import { writeCachedSession } from "./sessionCache.ts";
import { lockKey, lockPath } from "./stepLock.ts";
import { stepName } from "./stepName.ts";
import type { EngineDeps } from "./types.ts";

const DEFAULT_LOCK_TIMEOUT_MS = 120_000;

export interface Obtained extends CachedEntry {
  /** Fetched from STS in this run (not from the cache). */
  readonly fresh: boolean;
}

export interface CachedStepContext {
  readonly deps: EngineDeps;
  /** Session names in the store when the run started (one listing for the whole run). */
  readonly sessionNames: readonly string[];
  /** When the run began: a code rejected after that was rejected while we waited. */
  readonly started: number;
}

export async function cachedStep(
  ctx: CachedStepContext,
  step: PlanStep,
  fetch: () => Promise<TemporaryCredentials>,
): Promise<Obtained> {
  const { deps } = ctx;
  const cached = await lookupCached(deps, step, ctx.sessionNames, false, "");
  if (cached !== undefined) return { ...cached, fresh: false };
  const lock = lockPath(deps.lockDir, lockKey(step));
  const rejected = rejectionPath(lock);
  const timeoutMs = deps.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return withLock(
    lock,
    async () => {
      const names = (await deps.store.list("session")).map((r) => r.name);
      const again = await lookupCached(
        deps,
        step,
        names,
        true,
        " (fetched by another awsmfa process)",
      );
      if (again !== undefined) return { ...again, fresh: false };
      const failed = await rejectionSince(rejected, ctx.started);
      if (failed !== undefined) {
        deps.debug(
          `awsmfa process ${String(failed.byPid)} had its MFA code rejected while we waited for the ${stepName(step)}`,
        );
        throw failed;
      }
      const creds = await fetchRecordingRejection(deps, step, rejected, fetch);
      await store(deps, step, creds);
      return { creds, fresh: true, key: step.cacheKey };
    },
    {
      clock: deps.clock,
      timeoutMs,
      // A holder may wait for a person to type a code; one that holds the
      // lock longer than its waiters wait (a dead container's) is gone.
      holdMs: timeoutMs,
      what: `the ${stepName(step)}, which another awsmfa process is getting (it may be waiting for an MFA code)`,
      onWait: (holder) => {
        deps.debug(
          `waiting for awsmfa process ${String(holder.pid)}, which is getting the ${stepName(step)}`,
        );
      },
      onLongWait: (holder) => {
        deps.warn(
          `waiting for awsmfa process ${String(holder.pid)} on ${holder.host}, which is getting the ${stepName(step)} and may be waiting for an MFA code; giving up after ${String(Math.round(timeoutMs / 1000))} s.`,
        );
      },
    },
  );
}

async function fetchRecordingRejection(
  deps: EngineDeps,
  step: PlanStep,
  rejected: string,
  fetch: () => Promise<TemporaryCredentials>,
): Promise<TemporaryCredentials> {
  const done = deps.progress?.(`getting the ${stepName(step)}`);
  let creds;
  try {
    creds = await fetch();
  } catch (e) {
    if (step.mfa !== undefined && isRejectedCode(e)) {
      // Best effort: the rejection is what the user must see.
      await recordRejection(rejected, e, deps.clock.now()).catch((e2: unknown) => {
        deps.debug(`could not record the rejected code beside the lock: ${String(e2)}`);
      });
    }
    throw e;
  } finally {
    done?.();
  }
  // Best effort: these credentials may have cost an MFA code.
  await clearRejection(rejected).catch((e: unknown) => {
    deps.debug(`could not remove ${rejected}: ${String(e)}`);
  });
  return creds;
}

async function store(deps: EngineDeps, step: PlanStep, creds: TemporaryCredentials): Promise<void> {
  try {
    await writeCachedSession(deps.store, step.cacheKey, creds);
    deps.debug(
      `cached ${stepName(step)} until ${creds.expiration.toISOString()} in the ${deps.store.backend} store`,
    );
  } catch (e) {
    // The credentials are good and an MFA code may have been spent on
    // them: hand them out, and say that the next call starts over.
    const why = e instanceof Error ? e.message : String(e);
    const hint = e instanceof AwsmfaError && e.hint !== undefined ? ` ${e.hint}` : "";
    deps.warn(
      `could not cache the ${stepName(step)} in the ${deps.store.backend} store (${why}); using it this once, the next call will get new credentials from STS.${hint}`,
    );
  }
}
