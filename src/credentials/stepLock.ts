/** The cross-process lock a step is fetched under. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { sessionFamily } from "./cacheKey.ts";
import type { PlanStep } from "./plan/types.ts";

/** What a step's lock is named after: a session's family (every duration shares it), a role's key. */
export function lockKey(step: PlanStep): string {
  return step.kind === "session"
    ? sessionFamily(step.sourceProfile, step.mfa?.serial)
    : step.cacheKey;
}

/**
 * The lock for one cache key (acquireLock adds ".lock"). Hashed: keys hold
 * ARNs and profile names, which do not make portable file names.
 */
export function lockPath(lockDir: string, key: string): string {
  return join(lockDir, createHash("sha256").update(key).digest("hex").slice(0, 32));
}
