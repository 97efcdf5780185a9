import type { AwsConfig } from "../config/types.ts";
import { resolveProfile } from "../config/resolveProfile.ts";
import { planFromChain } from "./plan/planFromChain.ts";
import type { CredentialPlan, PlanContext } from "./plan/types.ts";
import { resolvingProfiles } from "./resolvingProfiles.ts";
import type { CredentialRequest, EngineDeps } from "./types.ts";

/** The plan for a request, without any I/O (the store's key names come in `ctx`). */
export function planCredentials(
  config: AwsConfig,
  req: CredentialRequest,
  ctx: PlanContext,
): CredentialPlan {
  const { chain } = resolveProfile(config, req.profile, { storedKeys: ctx.storedKeys });
  return planFromChain(config, chain, req, ctx);
}

/**
 * Where every run starts (getCredentials, and its cache-only first look
 * cachedCredentials): the cycle check across processes, one store listing
 * (names only, nothing decrypted) for both the stored keys and the cached
 * sessions (a session is found by its family, not by one name), the plan.
 */
export async function startRun(
  deps: Pick<EngineDeps, "env" | "config" | "store">,
  req: CredentialRequest,
): Promise<{ resolving: string[]; sessionNames: string[]; plan: CredentialPlan }> {
  const resolving = resolvingProfiles(deps.env, req.profile);
  const refs = await deps.store.list();
  const storedKeys = new Set(refs.filter((r) => r.kind === "keys").map((r) => r.name));
  const sessionNames = refs.filter((r) => r.kind === "session").map((r) => r.name);
  const plan = planCredentials(deps.config, req, { storedKeys, env: deps.env });
  return { resolving, sessionNames, plan };
}
