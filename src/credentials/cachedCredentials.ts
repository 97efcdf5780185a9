/**
 * The engine's first look, alone: the request's credentials when the cache
 * already holds the last step, with no lock, no STS call, no prompt and no
 * source loaded. This is what a cached credential_process needs, and all
 * that its start-up path (src/cli/cachedFastPath.ts) bundles; undefined
 * means "go the whole way" (getCredentials), which looks again under the
 * step's lock. Same plan, same lookup, same output as getCredentials gives
 * for a cache hit: both are built from these files.
 */
import { lookupCached } from "./lookupCached.ts";
import { startRun } from "./planCredentials.ts";
import { resolved } from "./resolvedCredentials.ts";
import type { CredentialRequest, EngineDeps, ResolvedCredentials } from "./types.ts";

export type CachedDeps = Pick<EngineDeps, "clock" | "env" | "config" | "store" | "debug">;

export async function cachedCredentials(
  deps: CachedDeps,
  req: CredentialRequest,
): Promise<ResolvedCredentials | undefined> {
  // -t must be reported as not spent (getCredentials warns): not this path's business.
  if (req.mfaToken !== undefined) return undefined;
  const { sessionNames, plan } = await startRun(deps, req);
  const final = plan.steps[plan.steps.length - 1];
  // No step: long-term credentials (stored keys, a process, Vault, SSO), loaded by getCredentials.
  if (final === undefined) return undefined;
  const hit = await lookupCached(deps, final, sessionNames, false, "");
  return hit === undefined ? undefined : resolved(hit.creds, plan, final.kind);
}
