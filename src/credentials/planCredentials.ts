import type { AwsConfig } from "../config/types.ts";
import { resolveProfile } from "../config/resolveProfile.ts";
import { planFromChain } from "./plan/planFromChain.ts";
import type { CredentialPlan, PlanContext } from "./plan/types.ts";
import type { CredentialRequest } from "./types.ts";

/** The plan for a request, without any I/O (the store's key names come in `ctx`). */
export function planCredentials(
  config: AwsConfig,
  req: CredentialRequest,
  ctx: PlanContext,
): CredentialPlan {
  const { chain } = resolveProfile(config, req.profile, { storedKeys: ctx.storedKeys });
  return planFromChain(config, chain, req, ctx);
}
