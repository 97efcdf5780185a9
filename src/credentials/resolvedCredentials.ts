/** The shapes credentials are handed out in, shared by the engine and its cached-only path. */
import type { AwsCredentials } from "../aws/StsClient.ts";
import type { ProcessCredentials } from "./credentialProcess.ts";
import type { CredentialPlan } from "./plan/types.ts";
import type { ResolvedCredentials } from "./types.ts";

/** The credentials handed out: what the last step (or the source) gave, and the plan's region. */
export function resolved(
  c: ProcessCredentials,
  plan: CredentialPlan,
  source: ResolvedCredentials["source"],
): ResolvedCredentials {
  return {
    ...signing(c),
    ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
    ...(plan.region === undefined ? {} : { region: plan.region }),
    source,
  };
}

/** The part of any credentials that signs a request. */
export function signing(c: AwsCredentials): AwsCredentials {
  const { accessKeyId, secretAccessKey, sessionToken } = c;
  return sessionToken === undefined
    ? { accessKeyId, secretAccessKey }
    : { accessKeyId, secretAccessKey, sessionToken };
}
